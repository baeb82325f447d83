-- The AI agent of each customer experience: its handoff settings, its knowledge base, and what
-- it decided on each turn (for the handoff limit and Conversation review). Kept column-for-column
-- equal to migrations/postgres/0004_ai_agent.sql. Whether it is published stays in
-- experiences.ai_published.

-- SPEC R-HAND-4: the AI agent's handoff settings. `handoff_phrases` is a JSON array.
CREATE TABLE ai_agents (
    experience_id      TEXT   PRIMARY KEY REFERENCES experiences(id) ON DELETE CASCADE,
    unconfident_limit  BIGINT NOT NULL DEFAULT 2,
    handoff_phrases    TEXT   NOT NULL DEFAULT '[]',
    updated_at         BIGINT NOT NULL
);

-- The articles the AI agent answers from; only published ones are searched or shown.
CREATE TABLE kb_articles (
    id             TEXT   PRIMARY KEY,
    experience_id  TEXT   NOT NULL REFERENCES experiences(id) ON DELETE CASCADE,
    title          TEXT   NOT NULL,
    body           TEXT   NOT NULL,
    published      BIGINT NOT NULL DEFAULT 0,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX kb_articles_experience ON kb_articles (experience_id, published);

-- One row per AI reply: what kind of turn it was ('answer', 'not_sure', 'small_talk',
-- 'handoff') and which article it came from. Written in the same transaction as the reply's
-- message event; the handoff limit counts the trailing 'not_sure' rows.
CREATE TABLE ai_replies (
    conversation_id  TEXT   NOT NULL REFERENCES conversations(id),
    seq              BIGINT NOT NULL,
    kind             TEXT   NOT NULL,
    article_id       TEXT,
    PRIMARY KEY (conversation_id, seq)
);

-- The anonymous visitor who started a conversation with the AI agent (their open conversation
-- is found again by it, and handed to them once they sign in).
ALTER TABLE conversations ADD COLUMN visitor_id TEXT;
CREATE INDEX conversations_visitor ON conversations (visitor_id) WHERE visitor_id IS NOT NULL;
