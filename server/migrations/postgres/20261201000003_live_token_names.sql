-- A token name is unique among its owner's tokens that are not removed: a rotated token's
-- replacement keeps its name, and a removed token's name can be used again.
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_owner_id_name_key;
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (owner_id, name) WHERE removed_at IS NULL;
