-- Searching tokens and people by any part of a name or login reads trigram indexes (FTS5),
-- kept in step with their tables by triggers.
CREATE VIRTUAL TABLE api_tokens_search USING fts5(name, content='api_tokens', content_rowid='id', tokenize='trigram');
CREATE TRIGGER api_tokens_search_insert AFTER INSERT ON api_tokens BEGIN
    INSERT INTO api_tokens_search (rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER api_tokens_search_delete AFTER DELETE ON api_tokens BEGIN
    INSERT INTO api_tokens_search (api_tokens_search, rowid, name) VALUES ('delete', old.id, old.name);
END;
CREATE TRIGGER api_tokens_search_update AFTER UPDATE OF name ON api_tokens BEGIN
    INSERT INTO api_tokens_search (api_tokens_search, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO api_tokens_search (rowid, name) VALUES (new.id, new.name);
END;
INSERT INTO api_tokens_search (api_tokens_search) VALUES ('rebuild');

CREATE VIRTUAL TABLE people_search USING fts5(login, name, content='people', content_rowid='id', tokenize='trigram');
CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN
    INSERT INTO people_search (rowid, login, name) VALUES (new.id, new.login, new.name);
END;
CREATE TRIGGER people_search_delete AFTER DELETE ON people BEGIN
    INSERT INTO people_search (people_search, rowid, login, name) VALUES ('delete', old.id, old.login, old.name);
END;
CREATE TRIGGER people_search_update AFTER UPDATE OF login, name ON people BEGIN
    INSERT INTO people_search (people_search, rowid, login, name) VALUES ('delete', old.id, old.login, old.name);
    INSERT INTO people_search (rowid, login, name) VALUES (new.id, new.login, new.name);
END;
INSERT INTO people_search (people_search) VALUES ('rebuild');
