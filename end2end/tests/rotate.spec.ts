// Rotating a token from its row: the replacement is shown once in the same dialog as after
// Create; the old token stops at once, or keeps working through the overlap chosen.
import { test, expect } from '../support/fixtures';
import { dayText, utcDay, todayUtc } from '../support/cli';
import { LIFETIME_POLICY } from '../support/env';
import {
  callMe,
  cell,
  createAndReadToken,
  openTokensPage,
  tokenDialog,
  tokenRow,
  revealToken,
  uniqueName, expectDay } from '../support/console';
import type { Page } from '@playwright/test';

const ROTATED = 'The token has been rotated; use its replacement.';

/** Rotates the token named `name` with the overlap chosen; returns the new token. */
async function rotate(page: Page, name: string, overlap: string): Promise<string> {
  await tokenRow(page, name).getByRole('button', { name: `Rotate token ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate the token' });
  await dialog.getByLabel('The old token keeps working').selectOption({ label: overlap });
  await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();
  await expect(dialog).toBeHidden();
  const token = await revealToken(page);
  await tokenDialog(page).getByRole('button', { name: 'Close' }).click();
  await expect(tokenDialog(page)).toBeHidden();
  return token;
}

/** The rows named `name`: the replacement first (newest first), then the rotated one. */
function rows(page: Page, name: string) {
  return page
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: `Delete token ${name}`, exact: true }) });
}

test.beforeEach(async ({ page }) => {
  await openTokensPage(page);
});

test('rotating at once: the old token is refused, the new one keeps the user and the name', async ({
  page,
  request,
}) => {
  const name = uniqueName('Rotated');
  const expiration = utcDay(20);
  const old = await createAndReadToken(page, { name, expiration });

  await tokenRow(page, name).getByRole('button', { name: `Rotate token ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate the token' });
  // Today plus the old token's lifetime (20 days); the old token stops immediately by default.
  await expect(dialog.getByLabel('Expiration date')).toHaveValue(expiration);
  await expect(dialog.getByLabel('The old token keeps working')).toHaveValue('0');
  // The lifetime policy's limit, as in the create dialog.
  const latest = utcDay(LIFETIME_POLICY.maxLifetimeDays);
  await expect(dialog.getByLabel('Expiration date')).toHaveAttribute('max', latest);
  await expect(dialog.getByText(`At the latest ${dayText(latest)}.`)).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  const fresh = await rotate(page, name, 'Immediately');
  expect(fresh).not.toBe(old);
  const oldAnswer = await callMe(request, old);
  expect(oldAnswer.status()).toBe(401);
  expect((await oldAnswer.json()).error_description).toBe(ROTATED);
  expect((await callMe(request, fresh)).status()).toBe(200);

  await expect(rows(page, name)).toHaveCount(2);
  const replacement = rows(page, name).nth(0);
  const rotated = rows(page, name).nth(1);
  await expect(cell(replacement, 'Status')).toHaveText('Active');
  await expectDay(cell(replacement, 'Expiration date'), expiration);
  await expect(cell(rotated, 'Status')).toHaveText('Removed');
  await expect(cell(rotated, 'Removal')).toContainText('Replaced by rotation');
  await expectDay(cell(rotated, 'Removal date'), todayUtc());
  expect(await page.content()).not.toContain(fresh);
});

test('rotating with an overlap: the old token keeps working meanwhile', async ({
  page,
  request,
}) => {
  const name = uniqueName('Overlapped');
  const old = await createAndReadToken(page, { name, expiration: utcDay(10) });
  const fresh = await rotate(page, name, '1 hour');
  expect((await callMe(request, old)).status()).toBe(200);
  expect((await callMe(request, fresh)).status()).toBe(200);
  const rotated = rows(page, name).nth(1);
  await expect(cell(rotated, 'Status')).toHaveText('Removed');
  await expect(cell(rotated, 'Removal')).toContainText('Replaced by rotation');
  await expect(cell(rotated, 'Removal')).toContainText(/Works until [A-Z][a-z]{2} \d{1,2}, \d{4} \d\d:\d\d/);

  // Stopped at once from its row (a leak during the overlap).
  await rotated.getByRole('button', { name: `Remove token ${name}` }).click();
  await page
    .getByRole('dialog', { name: 'Remove the token' })
    .getByRole('button', { name: 'Confirm' })
    .click();
  await expect(rows(page, name).nth(1).getByRole('button', { name: `Remove token ${name}` })).toHaveCount(0);
  expect((await callMe(request, old)).status()).toBe(401);
  expect((await callMe(request, fresh)).status()).toBe(200);
});
