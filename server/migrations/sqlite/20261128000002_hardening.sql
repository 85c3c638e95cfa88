-- Idle timeout: a session dies when it has not been used for a while.
ALTER TABLE console_sessions ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
UPDATE console_sessions SET last_seen_at = created_at;

-- Last use of a token by the API, written at most once a minute per token.
ALTER TABLE api_tokens ADD COLUMN last_used_at INTEGER;
ALTER TABLE api_tokens ADD COLUMN last_used_from TEXT;

-- Who did what, from where, to what. Never a token or a password.
CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    client TEXT NOT NULL,
    target TEXT NOT NULL
);
