-- A resent message is recognised by its author and client id together: before, the key was
-- (conversation, client id) alone, so an agent's message whose client id happened to equal the
-- customer's was "acknowledged" as a resend and never stored. Kept column-for-column equal to
-- migrations/postgres/0005_author_scoped_message_ids.sql.
--
-- `author` is 'customer', 'ai' or 'agent:<id>' for messages and '' for every other event.
-- SQLite cannot drop a table's UNIQUE constraint, so the table is rebuilt (nothing references
-- it) with the new key as an index.

CREATE TABLE conversation_events_new (
    conversation_id  TEXT   NOT NULL REFERENCES conversations(id),
    seq              BIGINT NOT NULL,
    at               BIGINT NOT NULL,
    kind             TEXT   NOT NULL,
    client_id        TEXT,
    body             TEXT   NOT NULL,
    author           TEXT   NOT NULL DEFAULT '',
    PRIMARY KEY (conversation_id, seq)
);

INSERT INTO conversation_events_new (conversation_id, seq, at, kind, client_id, body, author)
SELECT conversation_id, seq, at, kind, client_id, body,
       CASE
           WHEN kind <> 'message' OR NOT json_valid(body) THEN ''
           WHEN json_extract(body, '$.author.kind') = 'agent'
               THEN 'agent:' || COALESCE(json_extract(body, '$.author.agent'), '')
           ELSE COALESCE(json_extract(body, '$.author.kind'), '')
       END
FROM conversation_events;

DROP TABLE conversation_events;
ALTER TABLE conversation_events_new RENAME TO conversation_events;

CREATE UNIQUE INDEX conversation_events_author_client_id
    ON conversation_events (conversation_id, author, client_id);
