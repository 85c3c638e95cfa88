-- Counting the tokens of a status reads an index, not the table: removed tokens, and the
-- live (not removed) tokens by expiration date (expired: before today; active: from today).
CREATE INDEX api_tokens_removed_by_created ON api_tokens (created_at, id) WHERE removed_at IS NOT NULL;
CREATE INDEX api_tokens_live_by_expiration ON api_tokens (expires_on, owner_id) WHERE removed_at IS NULL;
