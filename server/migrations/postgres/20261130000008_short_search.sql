-- Searches of one or two characters match the start of token names, logins and people's
-- names, any letter case: ranges of these indexes, in byte order whatever the database's
-- collation.
CREATE INDEX api_tokens_by_lower_name ON api_tokens ((lower(name)) COLLATE "C", id);
CREATE INDEX people_by_lower_login ON people ((lower(login)) COLLATE "C");
CREATE INDEX people_by_lower_name ON people ((lower(name)) COLLATE "C");
