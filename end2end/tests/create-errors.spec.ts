// Refused creations: the error is shown inline, the dialog stays open with what was typed.
import { test, expect } from '../support/fixtures';
import { ELIGIBLE_USER } from '../support/env';
import { dayText, todayUtc, utcDay } from '../support/cli';
import {
  createDialog,
  openTokensPage,
  submitCreate,
  tokenCount,
  tokenDialog,
  uniqueName,
} from '../support/console';

test.beforeEach(async ({ page, browserErrors }) => {
  browserErrors.allow(/status of 422 .*@ .*\/api\/create_token/);
  await openTokensPage(page);
});


test('an empty token name is refused inline and nothing is created', async ({ page }) => {
  const before = await tokenCount(page);
  const expiration = utcDay(10);
  const dialog = await submitCreate(page, { name: '', expiration });

  await expect(dialog.getByRole('alert')).toHaveText('Enter a token name.');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Token name')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByLabel('User')).toHaveValue(/.+/);
  await expect(dialog.getByLabel('User')).toHaveValue(ELIGIBLE_USER.option);
  await expect(dialog.getByLabel('Expiration date')).toHaveValue(expiration);
  await expect(tokenDialog(page)).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
  expect(await tokenCount(page)).toBe(before);
});

test('an expiration date in the past is refused inline and nothing is created', async ({
  page,
}) => {
  const before = await tokenCount(page);
  const name = uniqueName('Too late');
  const yesterday = utcDay(-1);
  const dialog = await submitCreate(page, { name, expiration: yesterday });

  await expect(dialog.getByRole('alert')).toHaveText(
    `The expiration date cannot be before today (${dayText(todayUtc())}).`,
  );
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Expiration date')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByLabel('Token name')).toHaveValue(name);
  await expect(dialog.getByLabel('User')).toHaveValue(ELIGIBLE_USER.option);
  await expect(dialog.getByLabel('Expiration date')).toHaveValue(yesterday);
  await expect(tokenDialog(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: `Delete token ${name}` })).toHaveCount(0);

  // Correcting the date in the same dialog then works.
  await dialog.getByLabel('Expiration date').fill(todayUtc());
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(tokenDialog(page)).toBeVisible();
  await expect(createDialog(page)).toHaveCount(0);
  await tokenDialog(page).getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('button', { name: `Delete token ${name}` })).toBeVisible();

  await page.reload();
  await expect(page.getByRole('button', { name: `Delete token ${name}` })).toBeVisible();
  expect(await tokenCount(page)).toBe(before + 1);
});

test('an empty form reports every missing field at once', async ({ page }) => {
  const before = await tokenCount(page);
  await page.getByRole('button', { name: 'Create an API token' }).click();
  const dialog = createDialog(page);
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();

  await expect(dialog.getByRole('alert')).toHaveText(['Select a user.', 'Enter a token name.']);
  await expect(dialog.getByLabel('User')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByLabel('Token name')).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByLabel('Expiration date')).toHaveAttribute('aria-invalid', 'false');
  expect(await tokenCount(page)).toBe(before);
});
