-- Changes that stop tokens (remove, delete, an owner's employment, the feature flag), read by
-- the server to keep its cache of validated tokens exact, also for changes made by the CLI.
-- PostgreSQL carries the same changes as notifications (pg_notify) instead.
CREATE TABLE token_invalidations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    at BIGINT NOT NULL
);
