-- What every Baton node sharing this database must agree on (ARCHITECTURE.md, "Limits" and
-- "The AI agent"). The same tables in migrations/sqlite and migrations/postgres.

-- Request quotas (`backend::quotas`): one GCRA bucket per limiter and caller. The key is the
-- limiter's name and a keyed SHA-256 of the caller (email, address, visitor), never the text
-- itself. `tat` is the bucket's theoretical arrival time in unix ms: the bucket is full again
-- once it has passed, and such rows are swept.
CREATE TABLE quota_buckets (
    key  TEXT   PRIMARY KEY,
    tat  BIGINT NOT NULL
);
CREATE INDEX quota_buckets_tat ON quota_buckets (tat);

-- The key for those hashes, made by the first node that needs it (one row).
CREATE TABLE quota_secret (
    id      BIGINT  PRIMARY KEY CHECK (id = 1),
    secret  TEXT    NOT NULL
);

-- One AI reply in flight per conversation, whichever node was told (`backend::ai::turns`).
-- `holder` names the claim; `again` = 1 when the customer wrote while it was held; a claim older
-- than the lease (its node died) can be taken over.
CREATE TABLE ai_turns (
    conversation_id  TEXT    PRIMARY KEY,
    holder           TEXT    NOT NULL,
    claimed_at       BIGINT  NOT NULL,
    again            BIGINT  NOT NULL DEFAULT 0
);
