-- "User inactive" is counted from the people who ever held a token and cannot use them today:
-- a few among everyone in the company. A trigger keeps the mark, whoever inserts tokens.
ALTER TABLE people ADD COLUMN holds_tokens INTEGER NOT NULL DEFAULT 0;
UPDATE people SET holds_tokens = 1 WHERE id IN (SELECT owner_id FROM api_tokens);
CREATE INDEX people_token_holders ON people (id, technical, employed_from, employed_until) WHERE holds_tokens = 1;

CREATE TRIGGER api_tokens_mark_holders AFTER INSERT ON api_tokens
BEGIN
    UPDATE people SET holds_tokens = 1 WHERE id = NEW.owner_id AND holds_tokens = 0;
END;
