-- Who has a dashboard open, shared by every node (ARCHITECTURE.md, "Presence"). One row per
-- node and agent: how many tabs that node holds for the agent, and when the node last vouched
-- for them (a heartbeat while tabs > 0; the moment the last one closed otherwise). An agent is
-- gone when every row of theirs is older than the grace period. A node that dies stops its
-- heartbeat, so its rows age out with it. Kept equal to migrations/sqlite/0007_presence.sql.
CREATE TABLE presence_tabs (
    node_id  TEXT   NOT NULL,
    agent_id TEXT   NOT NULL,
    tabs     BIGINT NOT NULL,
    seen_at  BIGINT NOT NULL,
    PRIMARY KEY (node_id, agent_id)
);

-- "Has this agent a row newer than the cutoff?", asked per agent by every sweep.
CREATE INDEX presence_tabs_agent ON presence_tabs (agent_id, seen_at);
