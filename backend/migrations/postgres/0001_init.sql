-- Baton schema, PostgreSQL flavour; kept column-for-column equal to migrations/sqlite.
-- Timestamps are unix milliseconds (BIGINT); flags are 0/1 BIGINTs so both backends decode alike.

CREATE TABLE site_settings (
    id                 BIGINT  PRIMARY KEY CHECK (id = 1),
    name               TEXT    NOT NULL,
    plan               TEXT    NOT NULL DEFAULT 'Premium' CHECK (plan IN ('Standard', 'Premium', 'Enterprise')),
    max_conversations  BIGINT  NOT NULL DEFAULT 3 CHECK (max_conversations BETWEEN 1 AND 100),
    resolutions        TEXT    NOT NULL DEFAULT '["Done","Duplicate","Won''t do"]',
    routing_version    BIGINT  NOT NULL DEFAULT 0
);

CREATE TABLE users (
    id                  TEXT   PRIMARY KEY,
    email               TEXT   NOT NULL UNIQUE,
    display_name        TEXT   NOT NULL,
    password_hash       TEXT   NOT NULL,
    site_admin          BIGINT NOT NULL DEFAULT 0,
    unavailable_reason  TEXT,
    created_at          BIGINT NOT NULL
);

CREATE TABLE spaces (
    id          TEXT   PRIMARY KEY,
    name        TEXT   NOT NULL UNIQUE,
    live_chat   BIGINT NOT NULL DEFAULT 1,
    rr_cursor   TEXT   REFERENCES users(id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE space_members (
    space_id      TEXT   NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    user_id       TEXT   NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role          TEXT   NOT NULL CHECK (role IN ('space_admin', 'agent')),
    position      BIGINT NOT NULL,
    availability  TEXT   NOT NULL DEFAULT 'Unavailable' CHECK (availability IN ('Available', 'Unavailable')),
    PRIMARY KEY (space_id, user_id)
);

CREATE TABLE customers (
    id             TEXT   PRIMARY KEY,
    email          TEXT   UNIQUE,
    display_name   TEXT   NOT NULL,
    password_hash  TEXT,
    created_at     BIGINT NOT NULL
);

CREATE TABLE conversations (
    id              TEXT   PRIMARY KEY,
    space_id        TEXT   NOT NULL REFERENCES spaces(id),
    customer_id     TEXT   REFERENCES customers(id),
    status          TEXT   NOT NULL CHECK (status IN ('with_ai', 'ended_with_ai', 'waiting_for_agent', 'active', 'wrapping_up', 'closed')),
    assignee_id     TEXT   REFERENCES users(id),
    offer_agent_id  TEXT   REFERENCES users(id),
    waiting_since   BIGINT,
    started_at      BIGINT NOT NULL,
    next_deadline   BIGINT,
    state           TEXT   NOT NULL
);
CREATE INDEX conversations_due ON conversations (next_deadline) WHERE next_deadline IS NOT NULL;
CREATE INDEX conversations_waiting ON conversations (status, waiting_since);
CREATE INDEX conversations_assignee ON conversations (assignee_id, status);

CREATE TABLE conversation_events (
    conversation_id  TEXT   NOT NULL REFERENCES conversations(id),
    seq              BIGINT NOT NULL,
    at               BIGINT NOT NULL,
    kind             TEXT   NOT NULL,
    client_id        TEXT,
    body             TEXT   NOT NULL,
    PRIMARY KEY (conversation_id, seq),
    UNIQUE (conversation_id, client_id)
);

CREATE TABLE work_items (
    id               TEXT   PRIMARY KEY,
    space_id         TEXT   NOT NULL REFERENCES spaces(id),
    work_type        TEXT   NOT NULL,
    title            TEXT   NOT NULL,
    status           TEXT   NOT NULL,
    assignee_id      TEXT   REFERENCES users(id),
    conversation_id  TEXT   UNIQUE REFERENCES conversations(id),
    customer_id      TEXT   REFERENCES customers(id),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);

-- SPEC R-ROUTE-9: a conversation work item's assignee can only mirror what routing decided.
CREATE FUNCTION work_items_assignee_by_routing_only() RETURNS trigger AS $$
BEGIN
    IF NEW.work_type = 'Conversation' AND NEW.assignee_id IS DISTINCT FROM
       (SELECT assignee_id FROM conversations WHERE id = NEW.conversation_id) THEN
        RAISE EXCEPTION 'assignee of a conversation is set only by routing';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER work_items_assignee_by_routing_only
BEFORE UPDATE OF assignee_id ON work_items
FOR EACH ROW EXECUTE FUNCTION work_items_assignee_by_routing_only();
