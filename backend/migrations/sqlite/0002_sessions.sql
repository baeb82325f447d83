-- Server-side sessions (staff and customers). The browser holds only the random id.
CREATE TABLE sessions (
    id          TEXT   PRIMARY KEY,
    data        TEXT   NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- How far each reader has seen a conversation (the websocket's `ack`): unread counts.
CREATE TABLE read_marks (
    conversation_id  TEXT   NOT NULL REFERENCES conversations(id),
    reader           TEXT   NOT NULL,
    seq              BIGINT NOT NULL,
    PRIMARY KEY (conversation_id, reader)
);
