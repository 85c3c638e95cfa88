//! The integration tests: one binary, one module per area. Each test starts the real server
//! binary (`support`) on a fresh database: SQLite, or PostgreSQL with
//! `JETONS_TEST_DATABASE=postgres` (`cargo site test` runs the suite on both).

mod support;

mod allowlist;
mod api;
mod audit;
mod authz;
mod authz_pages;
mod bad_input;
mod bad_input_edges;
mod bearer_limits;
mod cli;
mod cli_tokens;
mod connections;
mod console;
mod crash;
mod database_down;
mod headers;
mod health;
mod hostile_input;
mod instances;
mod languages;
mod leaks;
mod leavers;
mod lifetime;
mod limits;
mod login_limits;
mod observability;
mod openapi;
mod overload;
mod postgres;
mod proxy;
mod public_origin;
mod revoke;
mod rotate;
mod session;
mod session_hardening;
mod token_cache;
mod token_table;
