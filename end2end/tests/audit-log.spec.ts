// Security > Audit log: who did what, from where, newest first, 50 events a page.
import type { Locator, Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { BASE_URL, ELIGIBLE_USER, PEOPLE } from '../support/env';
import {
  createAndReadToken,
  login,
  openTokensPage,
  tokenRow,
  uniqueName,
  waitHydrated,
} from '../support/console';

const AUDIT_LOG_PATH = '/security/audit-log';
const AUDIT_COLUMNS = ['Date', 'Event', 'By', 'From', 'Target'];
const PER_PAGE = 50;
// A local time to the second as the English console writes it ("Dec 1, 2026 14:05:09").
const AT = /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2}:\d{2}$/;

/** The event rows (the header row has no cell). */
function auditRows(page: Page): Locator {
  return page.getByRole('row').filter({ has: page.getByRole('cell') });
}

function pager(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Audit log pages', exact: true });
}

/** "Page X of Y (N events)", read from the pager. */
async function pagerState(page: Page): Promise<{ page: number; pages: number; total: number }> {
  const text = pager(page).getByText(/^Page \d+ of \d+ \(\d+ events\)$/);
  await expect(text).toBeVisible();
  const [, current, pages, total] = /^Page (\d+) of (\d+) \((\d+) events\)$/.exec(
    (await text.textContent()) ?? '',
  )!;
  return { page: Number(current), pages: Number(pages), total: Number(total) };
}

/** A server function called like the page does (same session, same origin). */
async function callServerFn(page: Page, name: string, form: Record<string, string> = {}) {
  const response = await page.request.post(`/api/${name}`, {
    form,
    headers: { Origin: BASE_URL },
  });
  expect(response.status(), `${name} → ${await response.text()}`).toBe(200);
  return response.json();
}

/** `count` events or a few more, without the UI: create and delete tokens of the robot. */
async function addEvents(page: Page, count: number): Promise<number> {
  const users: { id: number; login: string }[] = await callServerFn(page, 'eligible_users');
  const robot = users.find((user) => user.login === ELIGIBLE_USER.login)!;
  let added = 0;
  while (added < count) {
    const created = await callServerFn(page, 'create_token', {
      user_id: String(robot.id),
      name: uniqueName('Pager filler'),
      expiration: '',
    });
    await callServerFn(page, 'delete_token', { id: String(created.row.id) });
    added += 2;
  }
  return added;
}

/** Marks the document: the mark survives client-side navigation, not a page load. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __marker: string }).__marker = 'still here';
  });
}

async function isSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __marker?: string }).__marker === 'still here');
}

test('removing a token is logged above its creation, with who, from where and what', async ({
  page,
}) => {
  await openTokensPage(page);
  const name = uniqueName('Audited');
  const before = Date.now();
  await createAndReadToken(page, { name });
  await tokenRow(page, name).getByRole('button', { name: `Remove token ${name}` }).click();
  await page
    .getByRole('dialog', { name: 'Remove the token' })
    .getByRole('button', { name: 'Confirm' })
    .click();
  await expect(tokenRow(page, name).getByRole('cell').nth(7)).toHaveText('Removed');
  const after = Date.now();

  // The sidebar link, once hydrated, changes the page without loading a new document.
  await markDocument(page);
  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  await expect(page).toHaveURL(AUDIT_LOG_PATH);
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  expect(await isSameDocument(page)).toBe(true);

  const expectTopEvents = async () => {
    await expect(page.getByRole('columnheader')).toHaveText(AUDIT_COLUMNS);
    const target = `${ELIGIBLE_USER.login} › ${name}`;
    const from = '127.0.0.1';
    const rows = auditRows(page);
    await expect(rows.nth(0).getByRole('cell')).toHaveText([
      AT,
      'Token removed',
      PEOPLE.admin.login,
      from,
      target,
    ]);
    await expect(rows.nth(1).getByRole('cell')).toHaveText([
      AT,
      'Token created',
      PEOPLE.admin.login,
      from,
      target,
    ]);
    // The login just before: the console itself is the target.
    await expect(rows.nth(2).getByRole('cell')).toHaveText([
      AT,
      'Login succeeded',
      PEOPLE.admin.login,
      from,
      'Administration console',
    ]);
    // The times are those of the actions (UTC, to the second).
    for (const i of [0, 1]) {
      const at = (await rows.nth(i).getByRole('cell').first().textContent()) ?? '';
      const time = Date.parse(`${at.replace(' ', 'T')}Z`);
      expect(time).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
      expect(time).toBeLessThanOrEqual(after);
    }
  };
  await expectTopEvents();

  // The same page, rendered by the server.
  await page.reload();
  await waitHydrated(page);
  await expectTopEvents();

  // And back to the tokens through the sidebar.
  await page.getByRole('link', { name: 'API tokens', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
  await expect(tokenRow(page, name)).toBeVisible();
});

test('50 events a page; "Next" and "Previous" move through the pages', async ({ page }) => {
  await openTokensPage(page);
  await page.goto(AUDIT_LOG_PATH);
  await waitHydrated(page);
  const start = await pagerState(page);
  if (start.total <= PER_PAGE) {
    // One page: the pager has nowhere to go.
    expect(start).toEqual({ page: 1, pages: 1, total: start.total });
    await expect(auditRows(page)).toHaveCount(start.total);
    await expect(pager(page).getByRole('link')).toHaveCount(0);
  }

  const added = await addEvents(page, Math.max(2, PER_PAGE + 1 - start.total));
  await page.reload();
  await waitHydrated(page);
  const total = start.total + added;
  const pages = Math.ceil(total / PER_PAGE);
  expect(total).toBeGreaterThan(PER_PAGE);
  expect(await pagerState(page)).toEqual({ page: 1, pages, total });
  await expect(auditRows(page)).toHaveCount(PER_PAGE);
  await expect(pager(page).getByRole('link', { name: 'Previous' })).toHaveCount(0);
  await expect(auditRows(page).first().getByRole('cell').nth(1)).toHaveText('Token deleted');
  const lastOnPage1 = Number(await auditRows(page).last().getAttribute('data-event-id'));

  await pager(page).getByRole('link', { name: 'Next', exact: true }).click();
  await expect(page).toHaveURL(`${AUDIT_LOG_PATH}?page=2`);
  await expect(pager(page)).toContainText(`Page 2 of ${pages} (${total} events)`);
  await expect(auditRows(page)).toHaveCount(Math.min(PER_PAGE, total - PER_PAGE));
  // Older events continue where page 1 stopped.
  const firstOnPage2 = Number(await auditRows(page).first().getAttribute('data-event-id'));
  expect(firstOnPage2).toBeLessThan(lastOnPage1);
  // The oldest event of all, on the last page: the administrator added with the operator CLI.
  if (pages === 2) {
    await expect(auditRows(page).last().getByRole('cell')).toHaveText([
      AT,
      'User added',
      /^operator .*\(CLI\)$/,
      'local (CLI)',
      new RegExp(`^${PEOPLE.admin.login}: `),
    ]);
    await expect(pager(page).getByRole('link', { name: 'Next' })).toHaveCount(0);
  }

  await pager(page).getByRole('link', { name: 'Previous', exact: true }).click();
  await expect(page).toHaveURL(`${AUDIT_LOG_PATH}?page=1`);
  await expect(pager(page)).toContainText(`Page 1 of ${pages} (${total} events)`);
  await expect(auditRows(page)).toHaveCount(PER_PAGE);

  // Past the end: nothing to show, and a way back to the last page.
  await page.goto(`${AUDIT_LOG_PATH}?page=${pages + 5}`);
  await waitHydrated(page);
  await expect(page.getByText('No event on this page.')).toBeVisible();
  await expect(pager(page).getByRole('link', { name: 'Previous' })).toHaveAttribute(
    'href',
    `${AUDIT_LOG_PATH}?page=${pages}`,
  );
});

test('a person without right 090201 gets the 403 page, not the log', async ({
  page,
  browserErrors,
}) => {
  browserErrors.allow(
    /status of 403 .*@ .*\/(api\/current_admin|api\/audit_log|security\/api-tokens|security\/audit-log)$/,
  );
  await login(page, 'clerk');
  await page.goto(AUDIT_LOG_PATH);
  await waitHydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('403');
  await expect(page.getByText('You need right 090201')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toHaveCount(0);
  await expect(page.getByRole('table')).toHaveCount(0);
  await expect(pager(page)).toHaveCount(0);
  await expect(page.getByText(/Login succeeded|Token created/)).toHaveCount(0);

  // The server function refuses too, with the same session.
  const response = await page.request.post('/api/audit_log', {
    form: { page: '1' },
    headers: { Origin: BASE_URL },
  });
  expect(response.status()).toBe(403);
  expect(await response.json()).toEqual({ error: 'forbidden' });
});
