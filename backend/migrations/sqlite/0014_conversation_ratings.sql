-- Customer satisfaction: one rating per conversation (a second one from the customer replaces
-- it). The agent and space are copied from the conversation when it is rated, so averages per
-- agent and space read this table alone.
CREATE TABLE conversation_ratings (
    conversation_id  TEXT     PRIMARY KEY REFERENCES conversations (id),
    space_id         TEXT     NOT NULL,
    agent_id         TEXT,
    score            BIGINT   NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment          TEXT,
    rated_at         BIGINT   NOT NULL
);
CREATE INDEX conversation_ratings_by_agent ON conversation_ratings (agent_id, rated_at);
CREATE INDEX conversation_ratings_by_space ON conversation_ratings (space_id, rated_at);
