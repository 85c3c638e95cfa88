-- Keys the server makes once and every instance shares (the device cookies' signing key).
-- Whoever can read this table can forge device cookies, which only let a browser past the
-- per-login throttle: never into the console.
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
