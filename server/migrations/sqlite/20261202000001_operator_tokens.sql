-- A token is created either by a person in the console (created_by) or by an operator on the
-- server's command line (created_by_operator, as the audit log names them), never both. SQLite
-- cannot drop a NOT NULL, so the table is rebuilt as before (same rows, same ids, same counter),
-- with its indexes and triggers.
CREATE TABLE api_tokens_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES people (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    hint TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER REFERENCES people (id),
    created_by_operator TEXT,
    expires_on TEXT NOT NULL,
    removed_at INTEGER,
    removed_by INTEGER REFERENCES people (id),
    last_used_at INTEGER,
    last_used_from TEXT,
    removal_reason TEXT CHECK (removal_reason IN ('holder', 'rotated')),
    allowed_addresses TEXT,
    CHECK ((created_by IS NULL) <> (created_by_operator IS NULL))
);
INSERT INTO api_tokens_rebuilt (id, owner_id, name, token_hash, hint, created_at, created_by,
    expires_on, removed_at, removed_by, last_used_at, last_used_from, removal_reason,
    allowed_addresses)
SELECT id, owner_id, name, token_hash, hint, created_at, created_by, expires_on, removed_at,
    removed_by, last_used_at, last_used_from, removal_reason, allowed_addresses
FROM api_tokens;
-- Ids of deleted tokens are never handed out again: the counter goes on where it was.
INSERT INTO sqlite_sequence (name, seq)
SELECT 'api_tokens_rebuilt', 0
WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'api_tokens_rebuilt');
UPDATE sqlite_sequence
SET seq = MAX(seq, COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'api_tokens'), 0))
WHERE name = 'api_tokens_rebuilt';
DROP TABLE api_tokens;
ALTER TABLE api_tokens_rebuilt RENAME TO api_tokens;

CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (owner_id, name) WHERE removed_at IS NULL;
CREATE UNIQUE INDEX api_tokens_token_hash ON api_tokens (token_hash);
CREATE INDEX api_tokens_by_created ON api_tokens (created_at, id);
CREATE INDEX api_tokens_by_expiration ON api_tokens (expires_on, id);
CREATE INDEX api_tokens_by_name ON api_tokens (name, id);
CREATE INDEX api_tokens_by_last_use ON api_tokens ((COALESCE(last_used_at, 0)), id);
CREATE INDEX api_tokens_by_owner ON api_tokens (owner_id, id);
CREATE INDEX api_tokens_removed_by_created ON api_tokens (created_at, id) WHERE removed_at IS NOT NULL;
CREATE INDEX api_tokens_live_by_expiration ON api_tokens (expires_on, owner_id) WHERE removed_at IS NULL;
CREATE INDEX api_tokens_live_by_owner ON api_tokens (owner_id, expires_on) WHERE removed_at IS NULL;
CREATE INDEX api_tokens_by_lower_name ON api_tokens (lower(name), id);
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
CREATE TRIGGER api_tokens_mark_holders AFTER INSERT ON api_tokens
BEGIN
    UPDATE people SET holds_tokens = 1 WHERE id = NEW.owner_id AND holds_tokens = 0;
END;
