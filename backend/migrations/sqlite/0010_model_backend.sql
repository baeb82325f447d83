-- The AI agent's model backend (Built-in, or an OpenAI-compatible language model), and which
-- backend wrote each reply with what it cost. Kept column-for-column equal in both dialects.
-- The API key is stored sealed (XChaCha20-Poly1305 under the server's secret key); it is never
-- read back to a page.
ALTER TABLE ai_agents ADD COLUMN model_backend TEXT NOT NULL DEFAULT 'built_in';
ALTER TABLE ai_agents ADD COLUMN model_base_url TEXT NOT NULL DEFAULT '';
ALTER TABLE ai_agents ADD COLUMN model_name TEXT NOT NULL DEFAULT '';
ALTER TABLE ai_agents ADD COLUMN model_key_sealed TEXT NOT NULL DEFAULT '';
-- Hundredths: 20 is a temperature of 0.2.
ALTER TABLE ai_agents ADD COLUMN model_temperature BIGINT NOT NULL DEFAULT 20;
ALTER TABLE ai_agents ADD COLUMN model_tone TEXT NOT NULL DEFAULT '';

ALTER TABLE ai_replies ADD COLUMN backend TEXT NOT NULL DEFAULT 'built_in';
ALTER TABLE ai_replies ADD COLUMN tokens BIGINT NOT NULL DEFAULT 0;
