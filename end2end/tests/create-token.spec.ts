// Creating a token: who may own one, the dates, and the one and only view of the token.
import { test, expect } from '../support/fixtures';
import { BASE_URL, ELIGIBLE_USER, INELIGIBLE_OPTIONS } from '../support/env';
import { todayUtc, utcDay } from '../support/cli';
import {
  COLUMNS,
  TOKEN_PATTERN,
  callMe,
  cell,
  createAndReadToken,
  createDialog,
  createToken,
  openTokensPage,
  revealToken,
  tokenDialog,
  tokenRow,
  tokenValue,
  uniqueName, expectDay } from '../support/console';

test.beforeEach(async ({ page }) => {
  await openTokensPage(page);
});

test('the user list offers only technical users working in the company today', async ({
  page,
}) => {
  await page.getByRole('button', { name: 'Create an API token' }).click();
  const dialog = createDialog(page);
  await expect(dialog).toBeVisible();
  // Empty, the field suggests every eligible user (at most 20) on the Down arrow.
  await expect(dialog.getByLabel('User')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(dialog.getByRole('option')).toHaveText([ELIGIBLE_USER.option]);
  for (const ineligible of INELIGIBLE_OPTIONS) {
    await expect(dialog.getByRole('option', { name: ineligible })).toHaveCount(0);
  }

  // Cancel closes the dialog without creating anything.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(tokenDialog(page)).toHaveCount(0);
});

test('an empty expiration date means today; the row shows the hint, never the token', async ({
  page,
  request,
}) => {
  const name = uniqueName('Nightly export');
  const token = await createAndReadToken(page, { name });
  const today = todayUtc();

  await expect(page.getByRole('columnheader')).toHaveText([...COLUMNS, 'Actions']);
  const row = tokenRow(page, name);
  await expect(cell(row, 'User')).toContainText(ELIGIBLE_USER.name);
  await expect(cell(row, 'Token name')).toContainText(name);
  await expect(cell(row, 'Token name')).toContainText(`jet_…${token.slice(-4)}`);
  await expectDay(cell(row, 'Creation date'), today);
  await expectDay(cell(row, 'Expiration date'), today);
  await expect(cell(row, 'Removal date')).toHaveText('');
  await expect(cell(row, 'Status')).toHaveText('Expires soon (today)');
  await expect(row).not.toContainText(token);

  const me = await callMe(request, token);
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({
    login: ELIGIBLE_USER.login,
    name: ELIGIBLE_USER.name,
    token: { name, expiration_date: today },
  });
});

test('a chosen expiration date is kept', async ({ page, request }) => {
  const name = uniqueName('Quarterly sync');
  const expiration = utcDay(45);
  const token = await createAndReadToken(page, { name, expiration });

  const row = tokenRow(page, name);
  await expectDay(cell(row, 'Creation date'), todayUtc());
  await expectDay(cell(row, 'Expiration date'), expiration);
  const me = await callMe(request, token);
  expect(me.status()).toBe(200);
  expect((await me.json()).token).toEqual({ name, expiration_date: expiration });
});

test('the new token is masked until "Show token", and "Hide token" masks it again', async ({
  page,
}) => {
  const dialog = await createToken(page, { name: uniqueName('Masked') });
  await expect(dialog).toContainText(
    'it is no longer possible to view the token once the window is closed',
  );
  const value = tokenValue(page);
  const show = dialog.getByRole('button', { name: 'Show token' });
  await expect(show).toHaveAttribute('aria-pressed', 'false');
  await expect(value).toHaveText(/^•+$/);
  await expect(value).not.toContainText('jet_');

  await show.click();
  const hide = dialog.getByRole('button', { name: 'Hide token' });
  await expect(hide).toHaveAttribute('aria-pressed', 'true');
  await expect(value).toHaveText(TOKEN_PATTERN);
  const token = (await value.textContent()) ?? '';

  await hide.click();
  await expect(dialog.getByRole('button', { name: 'Show token' })).toHaveAttribute(
    'aria-pressed',
    'false',
  );
  await expect(value).not.toContainText('jet_');
  await expect(value).not.toHaveText(token);
  await expect(value).toHaveText(/^•+$/);
});

test('"Copy to the clipboard" copies a working token and closes the dialog', async ({
  page,
  context,
  request,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
  const name = uniqueName('Clipboard');
  const dialog = await createToken(page, { name });
  await dialog.getByRole('button', { name: 'Copy to the clipboard' }).click();
  await expect(tokenDialog(page)).toBeHidden();

  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toMatch(TOKEN_PATTERN);
  expect(await page.content()).not.toContain(copied);
  await expect(cell(tokenRow(page, name), 'Token name')).toContainText(
    `jet_…${copied.slice(-4)}`,
  );
  const me = await callMe(request, copied);
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ login: ELIGIBLE_USER.login, token: { name } });
});

test('once closed, the token is nowhere in the page, even after a reload', async ({
  page,
  request,
}) => {
  const name = uniqueName('Closed');
  const token = await createAndReadToken(page, { name });
  expect(await page.content()).not.toContain(token);

  await page.reload();
  await expect(tokenRow(page, name)).toBeVisible();
  await expect(tokenDialog(page)).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  // Still a valid token: it was hidden, not lost.
  expect((await callMe(request, token)).status()).toBe(200);
});

test('without a clipboard, "Copy to the clipboard" explains it and keeps the dialog open', async ({
  page,
  context,
}) => {
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined });
  });
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
  expect(await page.evaluate(() => navigator.clipboard)).toBeUndefined();

  const dialog = await createToken(page, { name: uniqueName('No clipboard') });
  await dialog.getByRole('button', { name: 'Copy to the clipboard' }).click();
  await expect(dialog.getByRole('alert')).toContainText('clipboard is not available');
  await expect(dialog).toBeVisible();
  // The token can still be read and copied by hand.
  const token = await revealToken(page);
  expect(token).toMatch(TOKEN_PATTERN);
});

test('dialogs take the focus and Escape closes them', async ({ page }) => {
  await page.getByRole('button', { name: 'Create an API token' }).click();
  const dialog = createDialog(page);
  await expect(dialog.getByLabel('User')).toBeFocused();
  // The page behind the dialog is out of reach while it is open.
  await expect(page.locator('header.topbar')).toHaveAttribute('inert', '');
  await expect(page.locator('nav.sidebar')).toHaveAttribute('inert', '');
  const logOut = page.getByRole('button', { name: 'Log out' });
  await logOut.focus();
  await expect(logOut).not.toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.locator('[inert]')).toHaveCount(0);
  await logOut.focus();
  await expect(logOut).toBeFocused();

  const name = uniqueName('Keyboard');
  const reveal = await createToken(page, { name });
  await expect(reveal.getByRole('button', { name: 'Show token' })).toBeFocused();
  const token = await revealToken(page);
  await page.keyboard.press('Escape');
  await expect(tokenDialog(page)).toHaveCount(0);
  // Create closed as the token dialog opened: nothing stays inert once both are gone.
  await expect(page.locator('[inert]')).toHaveCount(0);
  await page.getByRole('button', { name: `Delete token ${name}` }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete the token' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(tokenRow(page, name)).toBeVisible();
  expect(await page.content()).not.toContain(token);
});

test('Tab keeps the focus inside an open dialog', async ({ page }) => {
  await page.getByRole('button', { name: 'Create an API token' }).click();
  const dialog = createDialog(page);
  const user = dialog.getByLabel('User');
  await expect(user).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByRole('button', { name: 'Create', exact: true })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(user).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(dialog.getByLabel('Token name')).toBeFocused();
});
