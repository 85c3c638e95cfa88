// Moving between the console's pages once the script runs: the page is fetched and swapped in
// under the dialogs, and whatever the server answers instead of a console page wins.
import { test, expect } from '../support/fixtures';
import {
  TOKENS_PATH,
  createToken,
  openTokensPage,
  revealToken,
  tokenDialog,
  tokenRow,
  uniqueName,
} from '../support/console';

test.beforeEach(async ({ page }) => {
  await openTokensPage(page);
});

test('when the table cannot be refreshed after Create, the new token stays on screen', async ({
  page,
  browserErrors,
}) => {
  browserErrors.allow(/ERR_FAILED|Failed to fetch/);
  // Only the page's refresh (a fetch of the tokens page) fails; the creation goes through.
  await page.route(`**${TOKENS_PATH}`, (route) =>
    route.request().resourceType() === 'fetch' ? route.abort() : route.continue(),
  );
  const name = uniqueName('Offline');
  await createToken(page, { name });
  await expect(page).toHaveURL(TOKENS_PATH);
  const token = await revealToken(page);
  expect(token).not.toBe('');
  await expect(tokenDialog(page)).toBeVisible();

  await page.unroute(`**${TOKENS_PATH}`);
  await tokenDialog(page).getByRole('button', { name: 'Close' }).click();
  await page.reload();
  await expect(tokenRow(page, name)).toBeVisible();
});

test('a link followed after the session ended leads to the login page', async ({ page }) => {
  await page.context().clearCookies();
  await page.getByRole('link', { name: 'Audit log', exact: true }).click();
  await expect(page).toHaveURL('/login');
  await expect(page.getByRole('button', { name: 'Log in', exact: true })).toBeVisible();
});

test('the sidebar marks the page shown, also after moving in the same document', async ({
  page,
}) => {
  const tokens = page.getByRole('link', { name: 'API tokens', exact: true });
  const audit = page.getByRole('link', { name: 'Audit log', exact: true });
  await expect(tokens).toHaveAttribute('aria-current', 'page');
  await audit.click();
  await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(/^Audit log/);
  await expect(audit).toHaveAttribute('aria-current', 'page');
  await expect(tokens).not.toHaveAttribute('aria-current', 'page');
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(/^API tokens/);
  await expect(tokens).toHaveAttribute('aria-current', 'page');
});
