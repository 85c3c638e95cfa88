// Logging in and out, with and without JavaScript, and who may see the console.
import { test, expect } from '../support/fixtures';
import { BASE_URL, PEOPLE } from '../support/env';
import {
  COLUMNS,
  TOKENS_PATH,
  cell,
  createAndReadToken,
  login,
  openTokensPage,
  submitLoginForm,
  tokenRow,
  uniqueName,
  waitHydrated,
} from '../support/console';

test('a visitor who is not logged in is sent to the login page', async ({ page }) => {
  await page.goto(TOKENS_PATH);
  await expect(page).toHaveURL('/login');
  await expect(page.getByRole('button', { name: 'Log in', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'API tokens' })).toHaveCount(0);
});

test('logs in and out with JavaScript', async ({ page }) => {
  await page.goto('/login');
  await waitHydrated(page);
  await page.getByLabel('Login').fill(PEOPLE.admin.login);
  await page.getByLabel('Password').fill(PEOPLE.admin.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();

  await expect(page).toHaveURL(TOKENS_PATH);
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText(PEOPLE.admin.name);
  await expect(page.getByRole('button', { name: 'Create an API token' })).toBeVisible();

  // The root of the site leads to the same page while the session lasts.
  await page.goto('/');
  await expect(page).toHaveURL(TOKENS_PATH);
  await waitHydrated(page);

  await page.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL('/login');
  await expect(page.getByLabel('Login')).toBeVisible();

  // The session is over: the console sends back to the login page.
  await page.goto(TOKENS_PATH);
  await expect(page).toHaveURL('/login');
  await expect(page.getByRole('heading', { name: 'API tokens' })).toHaveCount(0);
});

test('a wrong password shows an error and does not log in', async ({ page, browserErrors }) => {
  browserErrors.allow(/status of 401 .*@ .*\/api\/login/);
  await page.goto('/login');
  await waitHydrated(page);
  await page.getByLabel('Login').fill(PEOPLE.admin.login);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Log in', exact: true }).click();

  await expect(page.getByRole('alert')).toHaveText('Invalid login or password.');
  await expect(page).toHaveURL(/\/login/);

  await page.goto(TOKENS_PATH);
  await expect(page).toHaveURL('/login');
});

test('logs in without JavaScript and gets the tokens table rendered by the server', async ({
  page,
  browser,
  browserErrors,
}) => {
  // A token to find in the table, created beforehand in a browser with JavaScript.
  const name = uniqueName('No-JS visible');
  await openTokensPage(page);
  await createAndReadToken(page, { name });

  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: BASE_URL });
  await browserErrors.watch(context);
  try {
    const noJs = await submitLoginForm(context, PEOPLE.admin.password);

    await expect(noJs).toHaveURL(TOKENS_PATH);
    await expect(noJs.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
    await expect(noJs.getByRole('columnheader')).toHaveText([...COLUMNS, 'Actions']);
    const row = tokenRow(noJs, name);
    await expect(row).toBeVisible();
    await expect(cell(row, 'User')).toContainText('CI Robot');
    await expect(cell(row, 'Status')).toHaveText('Expires soon (today)');
    // Nothing ran in this page: what is shown came from the server.
    await expect(noJs.locator('html')).not.toHaveAttribute('data-hydrated', 'true');

    // Logging out is a plain form too.
    await noJs.getByRole('button', { name: 'Log out' }).click();
    await expect(noJs).toHaveURL('/login');
    await noJs.goto(TOKENS_PATH);
    await expect(noJs).toHaveURL('/login');
  } finally {
    await context.close();
  }
});

test('a wrong password without JavaScript shows the error too', async ({
  browser,
  browserErrors,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: BASE_URL });
  await browserErrors.watch(context);
  try {
    const noJs = await submitLoginForm(context, 'not-the-password');

    await expect(noJs).toHaveURL(/\/login\?failed=/);
    await expect(noJs.getByRole('alert')).toHaveText('Invalid login or password.');
    await noJs.goto(TOKENS_PATH);
    await expect(noJs).toHaveURL('/login');
  } finally {
    await context.close();
  }
});

test('a person without right 090201 gets the 403 page', async ({ page, browserErrors }) => {
  browserErrors.allow(/status of 403 .*@ .*\/(api\/current_admin|security\/api-tokens)$/);
  await login(page, 'clerk');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('403');
  await expect(page.getByText('You need right 090201')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'API tokens' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Create an API token' })).toHaveCount(0);
  await expect(page.getByRole('table')).toHaveCount(0);

  // A fresh load (server rendering) refuses too.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('403');
  await expect(page.getByRole('button', { name: 'Create an API token' })).toHaveCount(0);
});
