// Address allowlists per token: set at creation, shown in the table, changed from the row, and
// applied to API calls by the client address the server trusts (here through a trusted proxy's
// X-Forwarded-For: the test server trusts 127.0.0.1, see support/serve.mjs).
import { test, expect } from '../support/fixtures';
import { ELIGIBLE_USER } from '../support/env';
import {
  cell,
  createDialog,
  openTokensPage,
  pickUser,
  revealToken,
  tokenDialog,
  tokenRow,
  uniqueName,
} from '../support/console';

const REFUSED = 'The token cannot be used from this address.';

test('a token limited to addresses works from them only, and the row changes them', async ({
  page,
  request,
  browserErrors,
}) => {
  browserErrors.allow(/status of 422 .*@ .*\/api\/set_allowed_addresses/);
  await openTokensPage(page);
  const name = uniqueName('Limited');
  await page.getByRole('button', { name: 'Create an API token' }).click();
  const dialog = createDialog(page);
  await pickUser(dialog, ELIGIBLE_USER.option);
  await dialog.getByLabel('Token name').fill(name);
  await dialog.getByLabel('Allowed addresses').fill('203.0.113.0/24\n2001:db8::1');
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  const token = await revealToken(page);
  await tokenDialog(page).getByRole('button', { name: 'Close' }).click();
  const row = tokenRow(page, name);
  await expect(cell(row, 'Token name')).toContainText('Allowed from 203.0.113.0/24, 2001:db8::1');

  const me = (client: string) =>
    request.get('/api/v1/me', {
      headers: { Authorization: `Bearer ${token}`, 'X-Forwarded-For': client },
    });
  expect((await me('203.0.113.50')).status()).toBe(200);
  expect((await me('2001:db8::1')).status()).toBe(200);
  const refused = await me('198.51.100.7');
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error_description).toBe(REFUSED);

  await row.getByRole('button', { name: `Edit allowed addresses of token ${name}` }).click();
  const edit = page.getByRole('dialog', { name: 'Allowed addresses' });
  const field = edit.getByLabel('Allowed addresses');
  await expect(field).toHaveValue('203.0.113.0/24\n2001:db8::1');
  await field.fill('198.51.100.0/24, 300.1.1.1');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByRole('alert')).toContainText('“300.1.1.1” is not an IP address');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  expect((await me('203.0.113.50')).status()).toBe(200);

  await field.fill('198.51.100.0/24');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(cell(row, 'Token name')).toContainText('Allowed from 198.51.100.0/24');
  expect((await me('198.51.100.7')).status()).toBe(200);
  expect((await me('203.0.113.50')).status()).toBe(401);
});
