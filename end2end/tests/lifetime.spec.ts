// Expiry warnings and the lifetime policy in the console (the server runs with
// JETONS_EXPIRY_WARNING_DAYS=7 and JETONS_MAX_TOKEN_LIFETIME=3650d, see support/serve.mjs).
import { test, expect } from '../support/fixtures';
import { BASE_URL, LIFETIME_POLICY, PEOPLE } from '../support/env';
import { dayText, utcDay } from '../support/cli';
import {
  NEW_TOKEN_PATH,
  TOKENS_PATH,
  callMe,
  cell,
  createAndReadToken,
  createDialog,
  openTokensPage,
  submitCreate,
  submitLoginForm,
  tokenRow,
  uniqueName, expectDay } from '../support/console';

test.beforeEach(async ({ page }) => {
  await openTokensPage(page);
});

test('tokens expiring within the warning days say so, with the days left, and can be filtered', async ({
  page,
}) => {
  const soon = uniqueName('Expiring');
  const lastWarned = uniqueName('Last warned');
  const later = uniqueName('Later');
  await createAndReadToken(page, { name: soon, expiration: utcDay(1) });
  await createAndReadToken(page, {
    name: lastWarned,
    expiration: utcDay(LIFETIME_POLICY.warningDays),
  });
  await createAndReadToken(page, {
    name: later,
    expiration: utcDay(LIFETIME_POLICY.warningDays + 1),
  });
  await expect(cell(tokenRow(page, soon), 'Status')).toHaveText('Expires soon (in 1 day)');
  await expect(cell(tokenRow(page, lastWarned), 'Status')).toHaveText(
    `Expires soon (in ${LIFETIME_POLICY.warningDays} days)`,
  );
  await expect(cell(tokenRow(page, later), 'Status')).toHaveText('Active');

  const filters = page.getByRole('search', { name: 'Filter tokens' });
  await filters.getByLabel('Status').selectOption({ label: 'Expires soon' });
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/status=expires_soon/);
  await expect(tokenRow(page, soon)).toBeVisible();
  await expect(tokenRow(page, lastWarned)).toBeVisible();
  await expect(tokenRow(page, later)).toHaveCount(0);
  const statuses = await page.locator('table.tokens tbody tr td:nth-child(8)').allTextContents();
  expect(statuses.length).toBeGreaterThan(0);
  expect(statuses.every((status) => status.startsWith('Expires soon'))).toBe(true);

  await filters.getByLabel('Status').selectOption({ label: 'Active' });
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/status=active/);
  await expect(tokenRow(page, later)).toBeVisible();
  await expect(tokenRow(page, soon)).toHaveCount(0);
});

test('the date field stops at the longest lifetime, and the server refuses a later date', async ({
  page,
  request,
  browserErrors,
}) => {
  browserErrors.allow(/status of 422 .*@ .*\/api\/create_token/);
  const latest = utcDay(LIFETIME_POLICY.maxLifetimeDays);
  await page.getByRole('button', { name: 'Create an API token' }).click();
  const dialog = createDialog(page);
  const date = dialog.getByLabel('Expiration date');
  await expect(date).toHaveAttribute('max', latest);
  await expect(dialog.getByText(`At the latest ${dayText(latest)}.`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // A date typed past the limit: the browser itself refuses to send the form.
  const name = uniqueName('Too long');
  const dialogAgain = await submitCreate(page, {
    name,
    expiration: utcDay(LIFETIME_POLICY.maxLifetimeDays + 1),
  });
  const typed = dialogAgain.getByLabel('Expiration date');
  expect(await typed.evaluate((input: HTMLInputElement) => input.validity.rangeOverflow)).toBe(true);
  await expect(dialogAgain).toBeVisible();
  // Sent anyway (a page without the limit, an old tab): the server refuses it.
  await typed.evaluate((input: HTMLInputElement) => input.removeAttribute('max'));
  await dialogAgain.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(dialogAgain.getByRole('alert')).toHaveText(
    `The expiration date can be ${dayText(latest)} at the latest (the longest a token may live).`,
  );
  await expect(typed).toHaveAttribute('aria-invalid', 'true');
  await dialogAgain.getByRole('button', { name: 'Cancel' }).click();
  await page.goto(TOKENS_PATH);
  await expect(tokenRow(page, name)).toHaveCount(0);

  // The last allowed day itself is fine, and the API names it.
  const longest = uniqueName('Longest');
  const token = await createAndReadToken(page, { name: longest, expiration: latest });
  await expectDay(cell(tokenRow(page, longest), 'Expiration date'), latest);
  const me = await callMe(request, token);
  expect(me.headers()['jetons-token-expires']).toBe(latest);
});

test('without JavaScript, the create page shows the same limit', async ({
  browser,
  browserErrors,
}) => {
  const latest = utcDay(LIFETIME_POLICY.maxLifetimeDays);
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: BASE_URL });
  await browserErrors.watch(context);
  try {
    const page = await submitLoginForm(context, PEOPLE.admin.password);
    await page.goto(NEW_TOKEN_PATH);
    await expect(page.getByLabel('Expiration date')).toHaveAttribute('max', latest);
    await expect(page.getByText(`At the latest ${dayText(latest)}.`)).toBeVisible();
  } finally {
    await context.close();
  }
});
