// The tokens table at size: pages, sorting, filters and search, all carried by the URL (links,
// Back and Forward), with and without JavaScript; and the "User" type-ahead.
import type { Locator, Page } from '@playwright/test';
import { test, expect } from '../support/fixtures';
import { BASE_URL, ELIGIBLE_USER, INELIGIBLE_OPTIONS } from '../support/env';
import { cli } from '../support/cli';
import {
  COLUMNS,
  TOKENS_PATH,
  createDialog,
  login,
  openTokensPage,
  tokenCount,
  waitHydrated,
} from '../support/console';

// 120 tokens of 30 people who are not technical users ("Person 1" … "Person 30"): enough for
// three pages, and none of them may be offered in the "User" field.
const LOADED = 120;
const LOADED_VIEW = `${TOKENS_PATH}?q=Person`;

test.beforeAll(() => {
  try {
    cli(['bench-data', '--people', '30', '--technical', '0', '--tokens', String(LOADED)]);
  } catch (error) {
    // Loaded by an earlier repetition of this file: the same rows are there.
    if (!String((error as { stderr?: string }).stderr).includes('already holds')) throw error;
  }
});

function bodyRows(page: Page): Locator {
  return page.locator('table.tokens tbody tr');
}

async function rowIds(page: Page): Promise<string[]> {
  return bodyRows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-token-id') ?? ''));
}

function columnTexts(page: Page, column: (typeof COLUMNS)[number]): Promise<string[]> {
  return bodyRows(page)
    .locator(`td:nth-child(${COLUMNS.indexOf(column) + 1})`)
    .allTextContents();
}

/** The different texts of a column, sorted. */
async function distinct(page: Page, column: (typeof COLUMNS)[number]): Promise<string[]> {
  return [...new Set(await columnTexts(page, column))].sort();
}

/** The token names of the rows, or their users' logins (what those columns sort by). */
function names(page: Page): Promise<string[]> {
  return bodyRows(page).locator('.token-name').allTextContents();
}

function logins(page: Page): Promise<string[]> {
  return bodyRows(page).locator('.user-login').allTextContents();
}

/** Waits for the table to show other rows than `before` (the page has been replaced). */
async function rowsOtherThan(page: Page, before: string[]): Promise<string[]> {
  await expect.poll(() => rowIds(page)).not.toEqual(before);
  return rowIds(page);
}

async function openView(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await waitHydrated(page);
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
}

test('pages through a view fifty rows at a time; Back and Forward follow the pages', async ({
  page,
}) => {
  await login(page);
  await openView(page, LOADED_VIEW);
  expect(await tokenCount(page)).toBe(LOADED);
  await expect(bodyRows(page)).toHaveCount(50);
  const first = await rowIds(page);
  await expect(page.getByText('Previous page')).toHaveAttribute('aria-disabled', 'true');

  await page.getByRole('link', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/[?&]after=/);
  const second = await rowsOtherThan(page, first);
  expect(second).toHaveLength(50);
  expect(second.filter((id) => first.includes(id))).toEqual([]);
  const secondUrl = page.url();

  await page.getByRole('link', { name: 'Next page' }).click();
  const third = await rowsOtherThan(page, second);
  expect(third).toHaveLength(LOADED - 100);
  await expect(page.getByText('Next page')).toHaveAttribute('aria-disabled', 'true');
  await page.getByRole('link', { name: 'Previous page' }).click();
  await expect.poll(() => rowIds(page)).toEqual(second);

  await page.goBack();
  await expect.poll(() => rowIds(page)).toEqual(third);
  await page.goBack();
  await expect(page).toHaveURL(secondUrl);
  await expect.poll(() => rowIds(page)).toEqual(second);
  await page.goBack();
  await expect.poll(() => rowIds(page)).toEqual(first);
  await page.goForward();
  await expect.poll(() => rowIds(page)).toEqual(second);
  // A page is a link: opened afresh, it shows the same rows.
  await openView(page, secondUrl);
  expect(await rowIds(page)).toEqual(second);
});

test('a column header sorts by it, and sorts the other way when clicked again', async ({
  page,
}) => {
  await login(page);
  await openView(page, LOADED_VIEW);
  const header = page.getByRole('columnheader', { name: 'Token name' });
  await header.getByRole('link').click();
  await expect(page).toHaveURL(/sort=name&dir=asc/);
  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  const ascending = await names(page);
  expect(ascending).toEqual([...ascending].sort());

  await header.getByRole('link').click();
  await expect(page).toHaveURL(/sort=name&dir=desc/);
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => names(page)).not.toEqual(ascending);
  const descending = await names(page);
  expect(descending).toEqual([...descending].sort().reverse());
  await expect(page.getByRole('columnheader', { name: 'Creation date' })).not.toHaveAttribute(
    'aria-sort',
    /.+/,
  );
  // The search survives sorting.
  expect(await tokenCount(page)).toBe(LOADED);
});

test('filters by status, user and text; the filtered view is a link', async ({ page }) => {
  await login(page);
  await openView(page, LOADED_VIEW);
  const filters = page.getByRole('search', { name: 'Filter tokens' });
  await filters.getByLabel('Status').selectOption({ label: 'Removed' });
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/status=removed/);
  await expect.poll(() => distinct(page, 'Status')).toEqual(['Removed']);
  const removed = await tokenCount(page);
  expect(removed).toBeGreaterThan(0);
  expect(removed).toBeLessThan(LOADED);

  await filters.getByLabel('Status').selectOption({ label: 'Any status' });
  await filters.getByLabel('User login').fill('load-0000007');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/user=load-0000007/);
  await expect.poll(() => distinct(page, 'User')).toEqual(['Person 7load-0000007']);
  expect(await tokenCount(page)).toBe(LOADED / 30);

  await filters.getByLabel('User login').fill('');
  await filters.getByLabel('Search').fill('TOKEN 11');
  await filters.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/q=TOKEN\+11/);
  await expect
    .poll(async () => (await names(page)).every((n) => n.toLowerCase().includes('token 11')))
    .toBe(true);
  expect((await names(page)).length).toBeGreaterThan(0);

  await page.getByRole('link', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(new RegExp(`${TOKENS_PATH}$`));
  await expect.poll(() => tokenCount(page)).toBeGreaterThanOrEqual(LOADED);

  await page.getByRole('link', { name: 'Audit log' }).click();
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`${TOKENS_PATH}$`));
  await page.goBack();
  await expect(page).toHaveURL(/q=TOKEN\+11/);
  await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('TOKEN 11');
});

test('without JavaScript, filters, sorting and pages work as plain links and forms', async ({
  browser,
  browserErrors,
}) => {
  // Log in with JavaScript, then look at the table with it switched off.
  const withJs = await browser.newContext({ baseURL: BASE_URL });
  await browserErrors.watch(withJs);
  const jsPage = await withJs.newPage();
  await login(jsPage);
  const cookies = await withJs.cookies();
  await withJs.close();

  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: BASE_URL });
  await browserErrors.watch(context);
  await context.addCookies(cookies);
  const page = await context.newPage();
  await page.goto(LOADED_VIEW);
  expect(await tokenCount(page)).toBe(LOADED);
  await expect(bodyRows(page)).toHaveCount(50);

  await page.getByRole('link', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/[?&]after=/);
  await expect(bodyRows(page)).toHaveCount(50);

  await page.getByRole('columnheader', { name: 'User' }).getByRole('link').click();
  await expect(page).toHaveURL(/sort=user/);
  const users = await logins(page);
  expect(users).toEqual([...users].sort());

  await page.getByLabel('Status').selectOption({ label: 'User inactive' });
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/status=user_inactive/);
  await expect(page).toHaveURL(/sort=user/);
  expect(await distinct(page, 'Status')).toEqual(['User inactive']);
  await context.close();
});

test('a query the table did not give is explained, with a way back', async ({
  page,
  browserErrors,
}) => {
  browserErrors.allow(/status of 400/);
  await openTokensPage(page);
  await page.goto(`${TOKENS_PATH}?status=lost`);
  await expect(page.getByRole('alert')).toContainText('Unknown status');
  await page.getByRole('link', { name: 'Show all tokens' }).click();
  await expect(page).toHaveURL(new RegExp(`${TOKENS_PATH}$`));
  await expect(page.locator('p.matches')).toBeVisible();
});

test('the User field suggests matching technical users and is keyboard complete', async ({
  page,
}) => {
  await openTokensPage(page);
  await page.getByRole('button', { name: 'Create an API token' }).click();
  const dialog = createDialog(page);
  const field = dialog.getByRole('combobox', { name: 'User' });
  await expect(field).toBeFocused();
  // The suggestions open on typing, or on the Down arrow.
  await expect(field).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowDown');
  await expect(dialog.getByRole('option', { name: ELIGIBLE_USER.option })).toBeVisible();
  await expect(field).toHaveAttribute('aria-expanded', 'true');

  // People who may not own a token are never suggested, however they are searched for.
  for (const search of ['Person', 'load-00000', ...INELIGIBLE_OPTIONS.map((o) => o.split(' (')[0])]) {
    await field.fill(search);
    await expect(dialog.getByRole('option')).toHaveCount(0);
    await expect(field).toHaveAttribute('aria-expanded', 'false');
  }

  await field.fill(ELIGIBLE_USER.login.toUpperCase());
  const option = dialog.getByRole('option', { name: ELIGIBLE_USER.option, exact: true });
  await expect(option).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await expect(field).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id'))!);
  await page.keyboard.press('Enter');
  await expect(field).toHaveValue(ELIGIBLE_USER.option);
  await expect(field).toHaveAttribute('aria-expanded', 'false');
  await expect(dialog).toBeVisible();

  // Escape closes the suggestions first, then the dialog.
  await field.fill(ELIGIBLE_USER.name.slice(0, 2));
  await expect(option).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog.getByRole('option')).toHaveCount(0);
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});
