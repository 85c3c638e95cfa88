// The Playwright web server: a fresh SQLite database seeded with the fixtures through the
// operator CLI, then `server serve`. Signals are forwarded to the server.
//
// Environment (set by playwright.config.ts): JETONS_SERVER_BIN, LEPTOS_SITE_ROOT (not with
// JETONS_E2E_DIST=1: the dist binary, run from its own directory),
// LEPTOS_SITE_ADDR, JETONS_E2E_DATA_DIR, DATABASE_URL, JETONS_E2E_ADMIN_PASSWORD,
// JETONS_E2E_CLERK_PASSWORD. JETONS_E2E_KEEP_DATA=1 keeps the database after the run.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`serve.mjs: ${name} is not set (run through playwright.config.ts)`);
    process.exit(2);
  }
  return value;
}

const serverBin = required('JETONS_SERVER_BIN');
// The dist binary carries the site: it runs from its own directory, without a site root.
const dist = process.env.JETONS_E2E_DIST === '1';
const siteRoot = dist ? null : required('LEPTOS_SITE_ROOT');
const dataDir = required('JETONS_E2E_DATA_DIR');
const env = {
  ...process.env,
  DATABASE_URL: required('DATABASE_URL'),
  LEPTOS_SITE_ADDR: required('LEPTOS_SITE_ADDR'),
  JETONS_TIME_ZONE: 'UTC',
  // The lifetime policy the tests expect (support/env.ts: LIFETIME_POLICY).
  JETONS_EXPIRY_WARNING_DAYS: '7',
  JETONS_MAX_TOKEN_LIFETIME: '3650d',
  // Calls may name their client in X-Forwarded-For (tests/allowlist.spec.ts).
  JETONS_TRUSTED_PROXIES: '127.0.0.1',
  RUST_LOG: process.env.RUST_LOG || 'warn',
};
delete env.JETONS_TEST_CLOCK;
delete env.JETONS_TEST_MODE;

// The binary may be briefly absent while it is being relinked.
for (let waited = 0; !fs.existsSync(serverBin); waited += 5) {
  if (waited >= 120) {
    console.error(`serve.mjs: no server binary at ${serverBin} (set JETONS_SERVER_BIN)`);
    process.exit(1);
  }
  await sleep(5000);
}
if (dist) {
  delete env.LEPTOS_SITE_ROOT;
} else if (!fs.existsSync(path.join(siteRoot, 'pkg'))) {
  console.error(`serve.mjs: no site (pkg/) under ${siteRoot} (set LEPTOS_SITE_ROOT)`);
  process.exit(1);
}

// Only this run's database files are ever removed, never anything else in the folder.
function removeDatabase() {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    fs.rmSync(path.join(dataDir, `jetons.db${suffix}`), { force: true });
  }
  try {
    fs.rmdirSync(dataDir);
  } catch {
    // not empty, or already gone: leave it
  }
}
removeDatabase();
fs.mkdirSync(dataDir, { recursive: true });

function cli(args, input) {
  execFileSync(serverBin, args, {
    env,
    input,
    stdio: ['pipe', 'inherit', 'inherit'],
    cwd: dist ? path.dirname(serverBin) : undefined,
  });
}

const year = new Date().getUTCFullYear();
cli(['migrate']);
cli(['user', 'add', '--login', 'admin', '--name', 'Ada Admin', '--right', '090201',
  '--employed-from', '2015-01-01', '--password-stdin'], `${required('JETONS_E2E_ADMIN_PASSWORD')}\n`);
cli(['user', 'add', '--login', 'clerk', '--name', 'Carl Clerk',
  '--employed-from', '2015-01-01', '--password-stdin'], `${required('JETONS_E2E_CLERK_PASSWORD')}\n`);
// Technical users: working today; left two years ago; starts in two years.
cli(['user', 'add', '--login', 'ci-bot', '--name', 'CI Robot', '--technical',
  '--employed-from', '2020-01-01']);
cli(['user', 'add', '--login', 'old-bot', '--name', 'Retired Robot', '--technical',
  '--employed-from', '2018-01-01', '--employed-until', `${year - 2}-12-31`]);
cli(['user', 'add', '--login', 'next-bot', '--name', 'Future Robot', '--technical',
  '--employed-from', `${year + 2}-01-01`]);
// Working today, but not a technical user.
cli(['user', 'add', '--login', 'paula', '--name', 'Paula Person',
  '--employed-from', '2019-01-01']);
cli(['flag', 'enable', 'Technique', 'Jetons Api']);

const server = spawn(serverBin, ['serve'], {
  env,
  stdio: 'inherit',
  cwd: dist ? path.dirname(serverBin) : undefined,
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => {
  if (process.env.JETONS_E2E_KEEP_DATA !== '1') {
    removeDatabase();
  }
  process.exit(code ?? (signal ? 1 : 0));
});
