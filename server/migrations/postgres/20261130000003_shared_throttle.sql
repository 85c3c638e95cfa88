-- Refused attempts (logins, unknown bearer tokens), counted here so that every instance sees
-- every other's. UNLOGGED: a crash only forgives the last minutes' failures. Times are Unix
-- microseconds.
CREATE UNLOGGED TABLE throttle_failures (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX throttle_failures_by_key ON throttle_failures (scope, key, at);
CREATE INDEX throttle_failures_by_time ON throttle_failures (at);

-- The end of the block whose first refusal was already reported (audited once per block).
CREATE UNLOGGED TABLE throttle_reports (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    until_at BIGINT NOT NULL,
    PRIMARY KEY (scope, key)
);
