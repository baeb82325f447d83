-- Signed webhooks: endpoints a site admin subscribes to events, and the outbox the engine writes
-- in each command's own transaction (one row per endpoint and event), so a delivery survives a
-- crash right after the commit. Kept column-for-column equal in both dialects.
CREATE TABLE webhook_endpoints (
    id            TEXT   PRIMARY KEY,
    url           TEXT   NOT NULL,
    description   TEXT   NOT NULL DEFAULT '',
    -- Event codes separated by commas (conversation.started,message.created).
    events        TEXT   NOT NULL,
    -- The signing secret, sealed under the server's secret key (shown once, at creation).
    secret_sealed TEXT   NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE webhook_outbox (
    -- The order deliveries are made in, per endpoint and conversation.
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The delivery's id: the receiver's idempotency key (a retry sends the same one).
    id              TEXT   NOT NULL UNIQUE,
    endpoint_id     TEXT   NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    conversation_id TEXT   NOT NULL,
    event           TEXT   NOT NULL,
    body            TEXT   NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    -- When to try next; NULL once delivered or given up.
    next_attempt_at BIGINT,
    claimed_until   BIGINT,
    delivered_at    BIGINT,
    failed_at       BIGINT,
    last_status     BIGINT,
    last_error      TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX webhook_outbox_due ON webhook_outbox (next_attempt_at);
CREATE INDEX webhook_outbox_line ON webhook_outbox (endpoint_id, conversation_id, seq);

-- Every attempt, for the delivery log on the endpoint's settings page.
CREATE TABLE webhook_attempts (
    outbox_seq BIGINT NOT NULL REFERENCES webhook_outbox (seq) ON DELETE CASCADE,
    at         BIGINT NOT NULL,
    status     BIGINT,
    error      TEXT   NOT NULL DEFAULT '',
    took_ms    BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_outbox ON webhook_attempts (outbox_seq, at);
