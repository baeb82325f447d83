-- A resent message is recognised by its author and client id together: before, the key was
-- (conversation, client id) alone, so an agent's message whose client id happened to equal the
-- customer's was "acknowledged" as a resend and never stored. Kept column-for-column equal to
-- migrations/sqlite/0005_author_scoped_message_ids.sql.
--
-- `author` is 'customer', 'ai' or 'agent:<id>' for messages and '' for every other event.

ALTER TABLE conversation_events ADD COLUMN author TEXT NOT NULL DEFAULT '';

-- The author of stored messages, from their JSON body (a body that is not JSON keeps '').
CREATE FUNCTION pg_temp.message_author(body TEXT) RETURNS TEXT AS $$
DECLARE
    event JSONB;
BEGIN
    event := body::jsonb;
    IF event #>> '{author,kind}' = 'agent' THEN
        RETURN 'agent:' || COALESCE(event #>> '{author,agent}', '');
    END IF;
    RETURN COALESCE(event #>> '{author,kind}', '');
EXCEPTION WHEN others THEN
    RETURN '';
END;
$$ LANGUAGE plpgsql;

UPDATE conversation_events SET author = pg_temp.message_author(body) WHERE kind = 'message';

ALTER TABLE conversation_events DROP CONSTRAINT conversation_events_conversation_id_client_id_key;

CREATE UNIQUE INDEX conversation_events_author_client_id
    ON conversation_events (conversation_id, author, client_id);

DROP FUNCTION pg_temp.message_author(TEXT);
