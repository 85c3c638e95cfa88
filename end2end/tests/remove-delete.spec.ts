// Removing (revoking) and deleting tokens, and changing one's mind.
import { test, expect } from '../support/fixtures';
import { todayUtc } from '../support/cli';
import {
  TOKENS_PATH,
  callMe,
  cell,
  createAndReadToken,
  openTokensPage,
  tokenRow,
  uniqueName, expectDay } from '../support/console';
import type { Page } from '@playwright/test';

test.beforeEach(async ({ page }) => {
  await openTokensPage(page);
});

/** Marks the current document: the mark survives in-page updates, not a reload. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { __marker: string }).__marker = 'still here';
  });
}

async function expectSameDocument(page: Page): Promise<void> {
  expect(await page.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe(
    'still here',
  );
  await expect(page).toHaveURL(TOKENS_PATH);
}

function confirmation(page: Page, title: string) {
  return page.getByRole('dialog', { name: title, exact: true });
}

test('Remove: the row stays, marked removed today, and the token stops working', async ({
  page,
  request,
}) => {
  const name = uniqueName('Revoked');
  const token = await createAndReadToken(page, { name });
  expect((await callMe(request, token)).status()).toBe(200);
  const row = tokenRow(page, name);
  await expect(row.getByRole('img', { name: 'Removed' })).toHaveCount(0);

  await markDocument(page);
  await row.getByRole('button', { name: `Remove token ${name}`, exact: true }).click();
  const dialog = confirmation(page, 'Remove the token');
  await expect(dialog).toContainText(name);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();

  await expect(cell(row, 'Status')).toHaveText('Removed');
  await expectDay(cell(row, 'Removal date'), todayUtc());
  await expect(cell(row, 'Removal').getByRole('img', { name: 'Removed' })).toBeVisible();
  await expect(row.getByRole('button', { name: `Remove token ${name}` })).toHaveCount(0);
  await expect(row.getByRole('button', { name: `Delete token ${name}` })).toBeVisible();
  await expectSameDocument(page);

  const me = await callMe(request, token);
  expect(me.status()).toBe(401);

  // The server remembers it.
  await page.reload();
  await expect(cell(tokenRow(page, name), 'Status')).toHaveText('Removed');
  await expectDay(cell(tokenRow(page, name), 'Removal date'), todayUtc());
});

test('Delete: the row disappears and the token stops working', async ({ page, request }) => {
  const name = uniqueName('Deleted');
  const token = await createAndReadToken(page, { name });
  const other = uniqueName('Kept');
  const otherToken = await createAndReadToken(page, { name: other });

  await markDocument(page);
  await page.getByRole('button', { name: `Delete token ${name}`, exact: true }).click();
  const dialog = confirmation(page, 'Delete the token');
  await expect(dialog).toContainText(name);
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toBeHidden();

  await expect(tokenRow(page, name)).toHaveCount(0);
  await expect(page.getByText(name, { exact: true })).toHaveCount(0);
  await expect(tokenRow(page, other)).toBeVisible();
  await expectSameDocument(page);

  expect((await callMe(request, token)).status()).toBe(401);
  expect((await callMe(request, otherToken)).status()).toBe(200);

  await page.reload();
  await expect(tokenRow(page, other)).toBeVisible();
  await expect(page.getByText(name, { exact: true })).toHaveCount(0);
});

test('a removed token can then be deleted', async ({ page, request }) => {
  const name = uniqueName('Removed then deleted');
  const token = await createAndReadToken(page, { name });
  const row = tokenRow(page, name);

  await row.getByRole('button', { name: `Remove token ${name}`, exact: true }).click();
  await confirmation(page, 'Remove the token').getByRole('button', { name: 'Confirm' }).click();
  await expect(cell(row, 'Status')).toHaveText('Removed');

  await row.getByRole('button', { name: `Delete token ${name}`, exact: true }).click();
  await confirmation(page, 'Delete the token').getByRole('button', { name: 'Confirm' }).click();
  await expect(row).toHaveCount(0);
  expect((await callMe(request, token)).status()).toBe(401);
});

test('Cancel in a confirmation changes nothing', async ({ page, request }) => {
  const name = uniqueName('Spared');
  const token = await createAndReadToken(page, { name });
  const row = tokenRow(page, name);

  await row.getByRole('button', { name: `Remove token ${name}`, exact: true }).click();
  const remove = confirmation(page, 'Remove the token');
  await expect(remove).toBeVisible();
  await remove.getByRole('button', { name: 'Cancel' }).click();
  await expect(remove).toBeHidden();

  await row.getByRole('button', { name: `Delete token ${name}`, exact: true }).click();
  const del = confirmation(page, 'Delete the token');
  await expect(del).toBeVisible();
  await del.getByRole('button', { name: 'Cancel' }).click();
  await expect(del).toBeHidden();

  await expect(cell(row, 'Status')).toHaveText('Expires soon (today)');
  await expect(cell(row, 'Removal date')).toHaveText('');
  await expect(row.getByRole('img', { name: 'Removed' })).toHaveCount(0);
  await expect(row.getByRole('button', { name: `Remove token ${name}` })).toBeVisible();
  expect((await callMe(request, token)).status()).toBe(200);

  await page.reload();
  await expect(cell(tokenRow(page, name), 'Status')).toHaveText('Expires soon (today)');
  expect((await callMe(request, token)).status()).toBe(200);
});
