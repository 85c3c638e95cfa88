-- Searches of one or two characters match the start of token names, logins and people's
-- names, any letter case (SQLite's lower() folds ASCII letters): ranges of these indexes.
CREATE INDEX api_tokens_by_lower_name ON api_tokens (lower(name), id);
CREATE INDEX people_by_lower_login ON people (lower(login));
CREATE INDEX people_by_lower_name ON people (lower(name));
