// The console under its Content-Security-Policy, the "Last used" column, and token names that
// look like code: shown as typed, never run.
import type { Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { BASE_URL, ELIGIBLE_USER, PEOPLE } from '../support/env';
import {
  TOKENS_PATH,
  callMe,
  cell,
  createAndReadToken,
  createToken,
  openTokensPage,
  revealToken,
  tokenDialog,
  tokenRow,
  tokenValue,
  uniqueName,
  waitHydrated,
} from '../support/console';

const AUDIT_LOG_PATH = '/security/audit-log';

function confirmation(page: Page, title: string) {
  return page.getByRole('dialog', { name: title, exact: true });
}

/** The nonce of a page's script-src, checked against the policy's other rules. */
function scriptNonce(policy: string | undefined): string {
  expect(policy, 'Content-Security-Policy header').toBeTruthy();
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/);
  expect(policy).not.toContain('unsafe-inline');
  expect(policy).not.toContain("'unsafe-eval'");
  return /'nonce-([^']+)'/.exec(policy ?? '')?.[1] ?? '';
}

test('the whole flow works under the CSP without a single violation', async ({
  page,
  context,
  browserErrors,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });

  // The policy is really served, with a fresh nonce that the hydration script carries.
  const first = await page.goto('/login');
  const nonce = scriptNonce(first?.headers()['content-security-policy']);
  expect(await first?.text()).toContain(`nonce="${nonce}"`);
  const second = await page.reload();
  expect(scriptNonce(second?.headers()['content-security-policy'])).not.toBe(nonce);
  // Hydrated: the WASM was fetched, compiled and run under the policy.
  await waitHydrated(page);

  await page.getByLabel('Login').fill(PEOPLE.admin.login);
  await page.getByLabel('Password').fill(PEOPLE.admin.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page).toHaveURL(TOKENS_PATH);
  await waitHydrated(page);

  // Create, show, hide, copy (which closes the dialog).
  const copied = uniqueName('CSP copied');
  const dialog = await createToken(page, { name: copied });
  await revealToken(page);
  await dialog.getByRole('button', { name: 'Hide token' }).click();
  await expect(tokenValue(page)).toHaveText(/^•+$/);
  await dialog.getByRole('button', { name: 'Copy to the clipboard' }).click();
  await expect(tokenDialog(page)).toBeHidden();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^jet_/);

  // Create another one and close its dialog with "Close".
  const closed = uniqueName('CSP closed');
  await createAndReadToken(page, { name: closed });

  // Remove the first, delete the second.
  await page.getByRole('button', { name: `Remove token ${copied}`, exact: true }).click();
  await confirmation(page, 'Remove the token').getByRole('button', { name: 'Confirm' }).click();
  await expect(cell(tokenRow(page, copied), 'Status')).toHaveText('Removed');
  await page.getByRole('button', { name: `Delete token ${closed}`, exact: true }).click();
  await confirmation(page, 'Delete the token').getByRole('button', { name: 'Confirm' }).click();
  await expect(tokenRow(page, closed)).toHaveCount(0);

  // The audit log, through the sidebar, then loaded afresh.
  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  await expect(page).toHaveURL(AUDIT_LOG_PATH);
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  await expect(page.getByRole('row').nth(1)).toContainText('Token deleted');
  await page.reload();
  await waitHydrated(page);
  await expect(page.getByRole('row').nth(1)).toContainText('Token deleted');

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL('/login');
  await waitHydrated(page);

  expect(await browserErrors.cspViolations()).toEqual([]);
});

test('the CSP guard itself reports what the policy blocks', async ({ page, browserErrors }) => {
  // Without this proof, "no violation" above could mean "nothing was listening".
  browserErrors.expectCspViolation(/csp-probe\.invalid/);
  browserErrors.expectCspViolation(/blocked inline|inline script/);
  await page.goto('/login');
  await waitHydrated(page);
  await page.evaluate(() => {
    const img = document.createElement('img');
    img.src = 'https://csp-probe.invalid/pixel.png';
    document.body.append(img);
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true;';
    document.body.append(script);
  });
  const reported = async () => (await browserErrors.cspViolations()).join('\n');
  await expect.poll(reported).toMatch(/csp-probe\.invalid/);
  await expect.poll(reported).toMatch(/inline/);
  // The injected inline script did not run: no 'unsafe-inline'.
  expect(await page.evaluate(() => (window as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
});

test('Last used: "Never", then the time and address of the last API call', async ({ page }) => {
  await openTokensPage(page);
  const used = uniqueName('Used');
  const idle = uniqueName('Idle');
  const token = await createAndReadToken(page, { name: used });
  await createAndReadToken(page, { name: idle });
  await expect(cell(tokenRow(page, used), 'Last used')).toHaveText('Never');
  await expect(cell(tokenRow(page, idle), 'Last used')).toHaveText('Never');

  const before = Date.now();
  expect((await callMe(page.request, token)).status()).toBe(200);
  const after = Date.now();

  await page.reload();
  await waitHydrated(page);
  const lastUsed = cell(tokenRow(page, used), 'Last used');
  await expect(lastUsed.locator('span')).toHaveText([
    /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2}$/,
    '127.0.0.1',
  ]);
  // "YYYY-MM-DDTHH:MM" in UTC: the minute of the call.
  const shown = (await lastUsed.locator('time').getAttribute('datetime')) ?? '';
  const at = Date.parse(`${shown}:00Z`);
  expect(at).toBeGreaterThanOrEqual(Math.floor(before / 60_000) * 60_000);
  expect(at).toBeLessThanOrEqual(after);
  await expect(cell(tokenRow(page, idle), 'Last used')).toHaveText('Never');
});

/** Names that would run or break something if not shown as text; each run adds a suffix of
 * its own, so the test passes again on the same database. */
const TRICKY_BASES = [
  '<script>alert(1)</script>',
  'مفتاح 🔑 テスト',
  "'; DROP TABLE api_tokens; --",
];

/** Each tricky name is in its row exactly, as text; nothing was parsed as markup. */
async function expectNamesAsTyped(page: Page, names: string[]): Promise<void> {
  for (const name of names) {
    const row = tokenRow(page, name);
    await expect(row).toHaveCount(1);
    await expect(cell(row, 'Token name').locator('.token-name')).toHaveJSProperty(
      'textContent',
      name,
    );
    await expect(row.getByRole('button', { name: `Delete token ${name}` })).toHaveAttribute(
      'aria-label',
      `Delete token ${name}`,
    );
  }
  await expect(page.locator('main script')).toHaveCount(0);
}

test('token names are shown exactly as typed and never run', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await openTokensPage(page);
  const names = TRICKY_BASES.map((base) => uniqueName(base));
  const tokens: string[] = [];
  for (const name of names) {
    tokens.push(await createAndReadToken(page, { name }));
  }
  await expectNamesAsTyped(page, names);

  // The API returns the same names.
  for (const [i, name] of names.entries()) {
    const me = await callMe(page.request, tokens[i]);
    expect(me.status()).toBe(200);
    expect((await me.json()).token.name).toBe(name);
  }

  // Rendered by the server: escaped in the HTML, the same text once hydrated.
  const html = await (await page.request.get(TOKENS_PATH)).text();
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(html).not.toContain(TRICKY_BASES[0]);
  await page.reload();
  await waitHydrated(page);
  await expectNamesAsTyped(page, names);

  // The audit log names them the same way, newest first.
  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  const events = page.getByRole('row').filter({ has: page.getByRole('cell') });
  for (const [i, name] of [...names].reverse().entries()) {
    await expect(events.nth(i).getByRole('cell').nth(1)).toHaveText('Token created');
    await expect(events.nth(i).getByRole('cell').nth(4)).toHaveJSProperty(
      'textContent',
      `${ELIGIBLE_USER.login} › ${name}`,
    );
  }
  await expect(page.locator('main script')).toHaveCount(0);

  expect(dialogs, 'dialogs opened by the page').toEqual([]);
});
