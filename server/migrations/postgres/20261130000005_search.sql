-- Searching tokens and people by any part of a name or login (ILIKE '%…%') reads trigram
-- indexes. pg_trgm is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX api_tokens_name_trigrams ON api_tokens USING gin (name gin_trgm_ops);
CREATE INDEX people_login_trigrams ON people USING gin (login gin_trgm_ops);
CREATE INDEX people_name_trigrams ON people USING gin (name gin_trgm_ops);
