-- Admin settings: customer experiences and their widgets, experience admins, space invitations,
-- work types, saved queues, SLA goals and the audit log. Kept column-for-column equal to
-- migrations/postgres/0003_settings.sql.

-- What customers see (SPEC R-MODE-*, R-ROUTE-1, R-SPACE-4). `allowed_domains` is a JSON array.
CREATE TABLE experiences (
    id                TEXT   PRIMARY KEY,
    name              TEXT   NOT NULL UNIQUE,
    support_mode      TEXT   NOT NULL CHECK (support_mode IN ('ai_agent', 'support_team', 'ai_and_team')),
    website           BIGINT NOT NULL DEFAULT 1,
    embedded          BIGINT NOT NULL DEFAULT 0,
    space_id          TEXT   REFERENCES spaces(id),
    fallback_message  TEXT   NOT NULL DEFAULT '',
    help_text         TEXT   NOT NULL DEFAULT '',
    widget_key        TEXT   NOT NULL UNIQUE,
    allowed_domains   TEXT   NOT NULL DEFAULT '[]',
    identity_secret   TEXT   NOT NULL,
    ai_published      BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL
);

CREATE TABLE experience_admins (
    experience_id  TEXT NOT NULL REFERENCES experiences(id) ON DELETE CASCADE,
    user_id        TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (experience_id, user_id)
);

-- Baton sends no mail yet: an invitation is a link the space admin passes on.
CREATE TABLE invitations (
    token        TEXT   PRIMARY KEY,
    space_id     TEXT   NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    email        TEXT   NOT NULL,
    role         TEXT   NOT NULL CHECK (role IN ('space_admin', 'agent')),
    invited_by   TEXT   NOT NULL REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    accepted_at  BIGINT
);

-- Work types for follow-up work besides Conversation.
CREATE TABLE work_types (
    space_id  TEXT NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    PRIMARY KEY (space_id, name)
);

CREATE TABLE queues (
    id          TEXT   PRIMARY KEY,
    space_id    TEXT   NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    name        TEXT   NOT NULL,
    filter      TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    UNIQUE (space_id, name)
);

-- Time to first response (SPEC R-VIEW-4). work_type '' is the goal for every work type; a goal
-- for a named work type narrows it.
CREATE TABLE sla_goals (
    space_id   TEXT   NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    work_type  TEXT   NOT NULL DEFAULT '',
    minutes    BIGINT NOT NULL CHECK (minutes > 0),
    PRIMARY KEY (space_id, work_type)
);

-- Who changed which setting, when, from what to what. Only ever appended to.
CREATE TABLE audit_log (
    id          TEXT   PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    TEXT,
    actor_name  TEXT   NOT NULL,
    subject     TEXT   NOT NULL,
    field       TEXT   NOT NULL,
    old_value   TEXT   NOT NULL,
    new_value   TEXT   NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Identity tokens (JWT) already used by an embedding site: a replayed token is refused.
CREATE TABLE identity_tokens (
    experience_id  TEXT   NOT NULL REFERENCES experiences(id) ON DELETE CASCADE,
    jti            TEXT   NOT NULL,
    expires_at     BIGINT NOT NULL,
    PRIMARY KEY (experience_id, jti)
);

-- A customer an embedding site identified: "<experience id>:<the site's user id>".
ALTER TABLE customers ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX customers_external ON customers (external_id);

ALTER TABLE conversations ADD COLUMN experience_id TEXT REFERENCES experiences(id);
