// Where the prebuilt server lives, which port it listens on and where this run's database
// goes. Used by the Playwright config (main process and workers) and by the test helpers; the
// web server script (serve.mjs) receives the same values through its environment.
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';

// `cargo site test` passes both; run directly, they are found under Cargo's target directory
// (after `cargo site build`).
function cargoTargetDir(): string {
  const metadata = execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], {
    cwd: path.join(__dirname, '..', '..'),
    encoding: 'utf8',
  });
  return JSON.parse(metadata).target_directory;
}
/** `cargo site test` runs the core flow again against the dist binary (the site built in). */
export const DIST = process.env.JETONS_E2E_DIST === '1';
if (!process.env.JETONS_SERVER_BIN || (!DIST && !process.env.LEPTOS_SITE_ROOT)) {
  const target = cargoTargetDir();
  process.env.JETONS_SERVER_BIN ||= path.join(target, 'debug', 'server');
  if (!DIST) {
    process.env.LEPTOS_SITE_ROOT ||= path.join(target, 'site');
  }
}
export const SERVER_BIN = process.env.JETONS_SERVER_BIN;
/** Unset for the dist binary, which needs none. */
export const SITE_ROOT = DIST ? undefined : process.env.LEPTOS_SITE_ROOT;
export const PORT = Number(process.env.JETONS_E2E_PORT || 3410);
export const BASE_URL = `http://127.0.0.1:${PORT}`;

// A fresh folder per run: the main Playwright process picks it and exports it; the web server
// and the worker processes inherit the variable, so they all use the same database.
if (!process.env.JETONS_E2E_DATA_DIR) {
  const stamp = `${Date.now().toString(36)}-${process.pid}`;
  process.env.JETONS_E2E_DATA_DIR = path.join(os.tmpdir(), `jetons-e2e-${stamp}`);
}
export const DATA_DIR = process.env.JETONS_E2E_DATA_DIR;
/** SQLite in the run's folder, or an empty database named by JETONS_E2E_DATABASE_URL (such as a
 * PostgreSQL database created for the run). */
export const DATABASE_URL =
  process.env.JETONS_E2E_DATABASE_URL || `sqlite://${path.join(DATA_DIR, 'jetons.db')}`;

/** The people seeded by support/serve.mjs. */
export const PEOPLE = {
  /** Has right 090201: may use the console. */
  admin: { login: 'admin', name: 'Ada Admin', password: 'admin-secret-pw' },
  /** Has a password but not right 090201. */
  clerk: { login: 'clerk', name: 'Carl Clerk', password: 'clerk-secret-pw' },
} as const;

/** The only technical user working in the company today. */
export const ELIGIBLE_USER = { login: 'ci-bot', name: 'CI Robot', option: 'CI Robot (ci-bot)' };

/** Seeded people who may not own a token (employment ended, not started, not technical). */
export const INELIGIBLE_OPTIONS = [
  'Retired Robot (old-bot)',
  'Future Robot (next-bot)',
  'Paula Person (paula)',
  'Ada Admin (admin)',
  'Carl Clerk (clerk)',
];

/** The console's lifetime policy in these tests (set by support/serve.mjs). */
export const LIFETIME_POLICY = { warningDays: 7, maxLifetimeDays: 3650 } as const;
