// Creating a token without JavaScript: the button leads to a page of its own, and the token is
// shown once on a page that is never stored.
import { test, expect } from '../support/fixtures';
import { BASE_URL, ELIGIBLE_USER, PEOPLE } from '../support/env';
import {
  NEW_TOKEN_PATH,
  TOKEN_PATTERN,
  TOKENS_PATH,
  callMe,
  cell,
  submitLoginForm,
  tokenRow,
  uniqueName,
} from '../support/console';

test('without JavaScript, a token is created on a page of its own and shown once', async ({
  browser,
  browserErrors,
  request,
}) => {
  // The refused post below answers 422, which the browser reports.
  browserErrors.allow(/status of 422 .*@ .*\/api\/create_token/);
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: BASE_URL });
  await browserErrors.watch(context);
  try {
    const page = await submitLoginForm(context, PEOPLE.admin.password);
    await expect(page).toHaveURL(TOKENS_PATH);
    await page.getByRole('button', { name: 'Create an API token' }).click();
    await expect(page).toHaveURL(new RegExp(`${NEW_TOKEN_PATH}\\??$`));
    await expect(page.getByRole('heading', { name: 'Create an API token', level: 1 })).toBeVisible();

    // A refusal names what is wrong and leads back to the form.
    await page.getByLabel('User').fill(ELIGIBLE_USER.login);
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'The token was not created' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveText('Enter a token name.');
    await page.getByRole('link', { name: 'Back to the form' }).click();

    const name = uniqueName('No-JS create');
    await page.getByLabel('User').fill(ELIGIBLE_USER.login);
    await page.getByLabel('Token name').fill(name);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/create_token'));
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    const created = await answer;
    expect(created.status()).toBe(200);
    expect(created.headers()['cache-control']).toBe('no-store');
    await expect(page.getByRole('heading', { name: 'API token created' })).toBeVisible();
    const token = await page.getByLabel('Token', { exact: true }).inputValue();
    expect(token).toMatch(TOKEN_PATTERN);
    expect((await callMe(request, token)).status()).toBe(200);

    await page.getByRole('link', { name: 'Close' }).click();
    await expect(page).toHaveURL(TOKENS_PATH);
    const row = tokenRow(page, name);
    await expect(cell(row, 'User')).toContainText(ELIGIBLE_USER.name);
    // The table shows the hint, never the token.
    await expect(page.getByText(token)).toHaveCount(0);
    await expect(page.locator('html')).not.toHaveAttribute('data-hydrated', 'true');
  } finally {
    await context.close();
  }
});
