-- Timers claimed once across nodes: a scheduler claims due conversations for a short lease
-- before ticking them, so several nodes share the work and none ticks what another is ticking.
-- Storing the conversation (the tick's own write) clears the claim.
ALTER TABLE conversations ADD COLUMN claimed_until BIGINT;
