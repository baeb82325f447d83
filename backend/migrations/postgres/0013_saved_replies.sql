-- Saved replies (canned responses): a space's short texts that agents insert in the composer by
-- typing / and the shortcut. A shortcut is unique within its space.
CREATE TABLE saved_replies (
    id          TEXT   PRIMARY KEY,
    space_id    TEXT   NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    shortcut    TEXT   NOT NULL,
    body        TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (space_id, shortcut)
);
