-- People of the ERP, as far as the console needs them.
CREATE TABLE people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    technical INTEGER NOT NULL DEFAULT 0 CHECK (technical IN (0, 1)),
    employed_from TEXT NOT NULL,
    employed_until TEXT,
    password_hash TEXT,
    created_at INTEGER NOT NULL
);

CREATE TABLE person_rights (
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    right_code TEXT NOT NULL,
    PRIMARY KEY (person_id, right_code)
);

CREATE TABLE feature_flags (
    domain TEXT NOT NULL,
    label TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 0 CHECK (enabled IN (0, 1)),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (domain, label)
);

-- The plaintext token is never stored: only its SHA-256 (hex) and a display hint.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES people (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    hint TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by INTEGER NOT NULL REFERENCES people (id),
    expires_on TEXT NOT NULL,
    removed_at INTEGER,
    removed_by INTEGER REFERENCES people (id),
    UNIQUE (owner_id, name)
);
CREATE UNIQUE INDEX api_tokens_token_hash ON api_tokens (token_hash);

CREATE TABLE console_sessions (
    session_hash TEXT PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
