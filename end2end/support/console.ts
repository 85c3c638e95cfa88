// Helpers for the administration console's pages, by role and accessible name.
import {
  expect,
  type APIRequestContext,
  type BrowserContext,
  type Locator,
  type Page,
} from '@playwright/test';
import { dayText } from './cli';
import { ELIGIBLE_USER, PEOPLE } from './env';

export const TOKENS_PATH = '/security/api-tokens';
export const NEW_TOKEN_PATH = '/security/api-tokens/new';
export const COLUMNS = [
  'User',
  'Token name',
  'Creation date',
  'Expiration date',
  'Last used',
  'Removal date',
  'Removal',
  'Status',
] as const;
export type Column = (typeof COLUMNS)[number];
export const TOKEN_PATTERN = /^jet_[0-9A-Za-z]{49}$/;

/** Resolves once the WASM has hydrated the page (clicks now run Rust handlers). */
export async function waitHydrated(page: Page): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
}

/** Logs in through the login form (hydrated) and waits for the tokens page URL. */
export async function login(page: Page, who: keyof typeof PEOPLE = 'admin'): Promise<void> {
  const person = PEOPLE[who];
  await page.goto('/login');
  await waitHydrated(page);
  await page.getByLabel('Login').fill(person.login);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await expect(page).toHaveURL(TOKENS_PATH);
}

/** Logs in as the administrator and waits for the hydrated tokens page. */
export async function openTokensPage(page: Page): Promise<void> {
  await login(page, 'admin');
  await waitHydrated(page);
  await expect(page.getByRole('heading', { name: 'API tokens', level: 1 })).toBeVisible();
}

/** A token name no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** The table row of the token named `name` (found by its "Delete token <name>" button). */
export function tokenRow(page: Page, name: string): Locator {
  return page
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: `Delete token ${name}`, exact: true }) });
}

export function cell(row: Locator, column: Column): Locator {
  return row.getByRole('cell').nth(COLUMNS.indexOf(column));
}

/** A table cell showing the day `iso` (YYYY-MM-DD): written for the reader, ISO in `<time>`. */
export async function expectDay(where: Locator, iso: string): Promise<void> {
  await expect(where.locator('time')).toHaveAttribute('datetime', iso);
  await expect(where).toHaveText(dayText(iso));
}

export function createDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Create an API token', exact: true });
}

export function tokenDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: 'API token', exact: true });
}

export function tokenValue(page: Page): Locator {
  return tokenDialog(page).getByTestId('token-value');
}

export interface NewToken {
  name: string;
  /** Option text, "Name (login)". */
  user?: string;
  /** YYYY-MM-DD; empty or absent leaves the field empty. */
  expiration?: string;
}

/** In the create dialog's "User" type-ahead: types the name of `option` ("Name (login)") and
 * picks that suggestion. */
export async function pickUser(dialog: Locator, option: string): Promise<void> {
  const field = dialog.getByRole('combobox', { name: 'User' });
  await field.fill(option.replace(/ \(.*\)$/, ''));
  await dialog.getByRole('option', { name: option, exact: true }).click();
  await expect(field).toHaveValue(option);
}

/** How many tokens the table says match (its count line). */
export async function tokenCount(page: Page): Promise<number> {
  const text = (await page.locator('p.matches').textContent()) ?? '';
  const count = /^([\d,]+) tokens?$/.exec(text.trim());
  if (!count) throw new Error(`no token count in ${JSON.stringify(text)}`);
  return Number(count[1].replaceAll(',', ''));
}

/** Opens the create dialog, fills it in and submits it (no wait for the outcome). */
export async function submitCreate(page: Page, token: NewToken): Promise<Locator> {
  await page.getByRole('button', { name: 'Create an API token' }).click();
  const dialog = createDialog(page);
  await expect(dialog).toBeVisible();
  await pickUser(dialog, token.user ?? ELIGIBLE_USER.option);
  await dialog.getByLabel('Token name').fill(token.name);
  if (token.expiration) {
    await dialog.getByLabel('Expiration date').fill(token.expiration);
  }
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();
  return dialog;
}

/** Creates a token and returns the "API token" dialog that shows it. */
export async function createToken(page: Page, token: NewToken): Promise<Locator> {
  const dialog = await submitCreate(page, token);
  await expect(dialog).toBeHidden();
  await expect(tokenDialog(page)).toBeVisible();
  return tokenDialog(page);
}

/** In the "API token" dialog: shows the token and returns its text. */
export async function revealToken(page: Page): Promise<string> {
  await tokenDialog(page).getByRole('button', { name: 'Show token' }).click();
  await expect(tokenValue(page)).toHaveText(TOKEN_PATTERN);
  return (await tokenValue(page).textContent()) ?? '';
}

/** Creates a token, reads it, closes the dialog and returns the token. */
export async function createAndReadToken(page: Page, token: NewToken): Promise<string> {
  await createToken(page, token);
  const secret = await revealToken(page);
  await tokenDialog(page).getByRole('button', { name: 'Close' }).click();
  await expect(tokenDialog(page)).toBeHidden();
  await expect(tokenRow(page, token.name)).toBeVisible();
  return secret;
}

/** GET /api/v1/me with the token as bearer. */
export function callMe(request: APIRequestContext, token: string) {
  return request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } });
}

/** Fills in and submits the login form as the admin, in a new page of `context`. */
export async function submitLoginForm(context: BrowserContext, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByLabel('Login').fill(PEOPLE.admin.login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  return page;
}
