// Revocation by the token's holder (POST /api/v1/revoke, RFC 7009), as the console shows it.
import { test, expect } from '../support/fixtures';
import { ELIGIBLE_USER } from '../support/env';
import { todayUtc } from '../support/cli';
import {
  callMe,
  cell,
  createAndReadToken,
  openTokensPage,
  tokenRow,
  uniqueName, expectDay } from '../support/console';

test('a token revoked by its holder stops at once and shows as removed, with that reason', async ({
  page,
  request,
}) => {
  await openTokensPage(page);
  const name = uniqueName('Leaked');
  const token = await createAndReadToken(page, { name });

  // No session, no cookie: the token is the credential.
  const answer = await request.post('/api/v1/revoke', { form: { token } });
  expect(answer.status()).toBe(200);
  expect((await callMe(request, token)).status()).toBe(401);

  await page.reload();
  const row = tokenRow(page, name);
  await expect(cell(row, 'Status')).toHaveText('Removed');
  await expectDay(cell(row, 'Removal date'), todayUtc());
  await expect(row.getByRole('img', { name: 'Removed' })).toBeVisible();
  await expect(cell(row, 'Removal')).toContainText('Revoked by its holder');
  await expect(row.getByRole('button', { name: `Remove token ${name}` })).toHaveCount(0);

  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  const newest = page.locator('table tbody tr').first().getByRole('cell');
  await expect(newest).toHaveText([
    /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d\d:\d\d:\d\d$/,
    'Token revoked by its holder',
    'token holder',
    '127.0.0.1',
    `${ELIGIBLE_USER.login} › ${name}`,
  ]);
});
