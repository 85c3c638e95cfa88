// The failed-login throttle, seen from the login page.
//
// CAUTION: this blocks every login from 127.0.0.1 for a minute (the server counts failures per
// client address too, and every browser request comes from 127.0.0.1). playwright.config.ts
// therefore runs this file alone, in the "throttle" project, as the teardown of the
// "chromium" project: after every other test.
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { BASE_URL } from '../support/env';
import { cli } from '../support/cli';
import { TOKENS_PATH, waitHydrated } from '../support/console';

const THROTTLED = 'Too many failed attempts: wait a minute before trying again.';
const LIMIT = 5;

/** Seconds the last refusal said to wait (its Retry-After). */
let lastRetryAfter = 0;

async function submitLogin(page: Page, login: string, password: string): Promise<number> {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  const response = page.waitForResponse(
    (r) => r.url() === `${BASE_URL}/api/login` && r.request().method() === 'POST',
  );
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  const answer = await response;
  lastRetryAfter = Number((await answer.allHeaders())['retry-after'] ?? 0);
  return answer.status();
}

/** Fails logins until the address is blocked; returns the statuses seen. */
async function failUntilBlocked(page: Page, login: string): Promise<number[]> {
  const statuses: number[] = [];
  for (let attempt = 0; attempt <= LIMIT; attempt++) {
    const status = await submitLogin(page, login, 'not-the-password');
    statuses.push(status);
    if (status !== 401) break;
    await expect(page.getByRole('alert')).toHaveText('Invalid login or password.');
  }
  return statuses;
}

test('after 5 failed logins, even the right password waits a minute, with or without JS', async ({
  page,
  browser,
  browserErrors,
}) => {
  browserErrors.allow(/status of (401|429) .*@ .*\/api\/login$/);
  // A person of its own, so that the per-login count starts from zero.
  const login = `throttled-${Date.now().toString(36)}`;
  const password = 'throttle-secret-pw';
  cli(
    ['user', 'add', '--login', login, '--name', 'Throttle Probe', '--right', '090201',
      '--employed-from', '2015-01-01', '--password-stdin'],
    `${password}\n`,
  );

  await page.goto('/login');
  await waitHydrated(page);
  // Failures from this address in the last minute (other tests) may bring the throttle sooner,
  // and end it sooner: a block about to end is waited out, and brought about again by this
  // test's own failures, so that it lasts through the checks below.
  let statuses = await failUntilBlocked(page, login);
  if (statuses.at(-1) === 429 && lastRetryAfter < 30) {
    await page.waitForTimeout((lastRetryAfter + 1) * 1000);
    statuses = await failUntilBlocked(page, login);
  }
  expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
  expect(statuses.length, `statuses ${statuses}`).toBeLessThanOrEqual(LIMIT + 1);
  expect(statuses.at(-1)).toBe(429);
  await expect(page.getByRole('alert')).toHaveText(THROTTLED);

  // The right password is refused as well, and no session is opened.
  expect(await submitLogin(page, login, password)).toBe(429);
  await expect(page.getByRole('alert')).toHaveText(THROTTLED);
  await expect(page).toHaveURL('/login');
  await page.goto(TOKENS_PATH);
  await expect(page).toHaveURL('/login');

  // Without JavaScript: the form is sent back to the login page, which says why.
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: BASE_URL });
  await browserErrors.watch(context);
  try {
    const noJs = await context.newPage();
    await noJs.goto('/login');
    await noJs.getByLabel('Login').fill(login);
    await noJs.getByLabel('Password').fill(password);
    await noJs.getByRole('button', { name: 'Log in', exact: true }).click();
    await expect(noJs).toHaveURL('/login?failed=throttled');
    await expect(noJs.getByRole('alert')).toHaveText(THROTTLED);
    await noJs.goto(TOKENS_PATH);
    await expect(noJs).toHaveURL('/login');
  } finally {
    await context.close();
  }
});
