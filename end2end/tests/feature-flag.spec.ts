// The feature flag Technique > Jetons Api gates the whole screen.
import { test, expect } from '../support/fixtures';
import { setJetonsApiFlag } from '../support/cli';
import { TOKENS_PATH, openTokensPage, waitHydrated } from '../support/console';

const EXPLANATION = 'This feature requires enabling the feature flag Technique > Jetons Api.';

test.afterEach(() => {
  setJetonsApiFlag(true);
});

test('with the flag disabled, the page explains why and offers no creation', async ({
  page,
  browserErrors,
}) => {
  browserErrors.allow(/status of 403 .*@ .*\/security\/api-tokens/);
  await openTokensPage(page);
  await expect(page.getByRole('button', { name: 'Create an API token' })).toBeVisible();

  expect(setJetonsApiFlag(false)).toContain('disabled');
  await page.reload();
  await waitHydrated(page);
  await expect(page.getByText(EXPLANATION)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create an API token' })).toHaveCount(0);
  await expect(page.getByRole('table')).toHaveCount(0);

  // Enabling it again brings the screen back.
  setJetonsApiFlag(true);
  await page.goto(TOKENS_PATH);
  await waitHydrated(page);
  await expect(page.getByRole('button', { name: 'Create an API token' })).toBeVisible();
  await expect(page.getByText(EXPLANATION)).toHaveCount(0);
});
