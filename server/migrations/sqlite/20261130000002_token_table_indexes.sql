-- The tokens table pages by keyset on (sort key, id): one index per sort key, so any page at
-- any depth reads about one page of index entries. The owner index serves the user filter.
CREATE INDEX api_tokens_by_created ON api_tokens (created_at, id);
CREATE INDEX api_tokens_by_expiration ON api_tokens (expires_on, id);
CREATE INDEX api_tokens_by_name ON api_tokens (name, id);
CREATE INDEX api_tokens_by_last_use ON api_tokens ((COALESCE(last_used_at, 0)), id);
CREATE INDEX api_tokens_by_owner ON api_tokens (owner_id, id);
-- The "User" field searches technical users, by name.
CREATE INDEX people_technical_by_name ON people (name, login) WHERE technical = 1;
