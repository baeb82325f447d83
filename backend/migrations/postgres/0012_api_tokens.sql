-- Tokens for the REST API (/api/v1). Site admins make them; each acts for one staff member with
-- that person's access. Only the token's SHA-256 is stored; its value is shown once.
CREATE TABLE api_tokens (
    id           TEXT   PRIMARY KEY,
    name         TEXT   NOT NULL,
    token_hash   TEXT   NOT NULL UNIQUE,
    scope        TEXT   NOT NULL CHECK (scope IN ('read', 'read_write')),
    user_id      TEXT   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
