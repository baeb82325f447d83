-- A routing decision reads only what it can touch (ARCHITECTURE.md, "The conversation engine"):
-- every conversation holding an offer, the head of each space's queue, and each agent's open
-- conversations by COUNT. These indexes make each of those reads cost what it returns, never
-- the number of conversations waiting or closed. Kept equal to
-- migrations/sqlite/0006_routing_indexes.sql.
--
-- SQLite uses a partial index only for a query that repeats its condition word for word, so
-- the engine's queries (backend/src/engine/snapshot.rs) repeat these.

-- Conversations holding a live offer: at most agents × Maximum conversations.
CREATE INDEX conversations_offered ON conversations (offer_agent_id)
    WHERE offer_agent_id IS NOT NULL;

-- Each space's line of waiting conversations nobody holds an offer for, oldest first.
CREATE INDEX conversations_unoffered_queue ON conversations (space_id, waiting_since, id)
    WHERE status = 'waiting_for_agent' AND offer_agent_id IS NULL;

-- An agent's load: their Active and Wrapping up conversations, never the Closed ones.
CREATE INDEX conversations_open_by_assignee ON conversations (assignee_id)
    WHERE status IN ('active', 'wrapping_up');

-- A customer's place in the queue: who waits ahead of them in the same space.
CREATE INDEX conversations_space_queue ON conversations (space_id, status, waiting_since, id);
