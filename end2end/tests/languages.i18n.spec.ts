// The core flow in each language of the console (one Playwright project per locale: the
// browser's Accept-Language picks the language), found by role and accessible name in that
// language; axe finds no accessibility violation on the pages and dialogs it goes through.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { dayText, todayUtc, utcDay } from '../support/cli';
import { TOKENS_PATH, TOKEN_PATTERN, uniqueName, waitHydrated } from '../support/console';
import { ELIGIBLE_USER, PEOPLE } from '../support/env';
import { languageOf, words, type Say } from '../support/words';

async function expectNoViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const found = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
  expect(found, `axe on ${what}`).toEqual([]);
}

async function logIn(page: Page, say: Say, language: string): Promise<void> {
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await waitHydrated(page);
  await expectNoViolations(page, 'the login page');
  await page.getByLabel(say('login.login'), { exact: true }).fill(PEOPLE.admin.login);
  await page.getByLabel(say('login.password'), { exact: true }).fill(PEOPLE.admin.password);
  await page.getByRole('button', { name: say('login.log_in'), exact: true }).click();
  await expect(page).toHaveURL(TOKENS_PATH);
  await waitHydrated(page);
}

test('log in, create a token shown once, remove it, delete it', async ({ page }, testInfo) => {
  // Six axe scans (a few seconds each on a busy machine) besides the flow itself.
  test.setTimeout(90_000);
  const language = languageOf(testInfo);
  const say = words(language);
  await logIn(page, say, language);
  await expect(page.getByRole('heading', { name: say('nav.api_tokens'), level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(say('app.page_title', { page: say('nav.api_tokens') }));
  await expectNoViolations(page, 'the tokens page');

  // A refusal from the server, in the page's language.
  await page.getByRole('button', { name: say('tokens.create_button'), exact: true }).click();
  const dialog = page.getByRole('dialog', { name: say('tokens.create_button'), exact: true });
  const user = dialog.getByRole('combobox', { name: say('tokens.user'), exact: true });
  await user.fill(ELIGIBLE_USER.name);
  await dialog.getByRole('option', { name: `${ELIGIBLE_USER.name} (${ELIGIBLE_USER.login})` }).click();
  const name = uniqueName(language === 'fr' ? 'Export nocturne' : 'Nightly export');
  await dialog.getByLabel(say('tokens.token_name'), { exact: true }).fill(name);
  await dialog.getByLabel(say('tokens.expiration_date'), { exact: true }).fill(utcDay(-1));
  await expectNoViolations(page, 'the create dialog');
  await dialog.getByRole('button', { name: say('dialog.create'), exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    say('rules.date_in_past', { today: dayText(todayUtc(), language) }),
  );

  await dialog.getByLabel(say('tokens.expiration_date'), { exact: true }).fill(todayUtc());
  await dialog.getByRole('button', { name: say('dialog.create'), exact: true }).click();
  const reveal = page.getByRole('dialog', { name: say('reveal.title'), exact: true });
  await expect(reveal).toBeVisible();
  await expect(reveal.getByText(say('reveal.warning'))).toBeVisible();
  await reveal.getByRole('button', { name: say('reveal.show'), exact: true }).click();
  await expect(reveal.getByTestId('token-value')).toHaveText(TOKEN_PATTERN);
  await expect(reveal.getByRole('button', { name: say('reveal.hide'), exact: true })).toBeVisible();
  await expectNoViolations(page, 'the new token dialog');
  await reveal.getByRole('button', { name: say('dialog.close'), exact: true }).click();
  await expect(reveal).toBeHidden();

  const removeLabel = say('table.remove_label', { name });
  const row = page
    .getByRole('row')
    .filter({ has: page.getByRole('button', { name: say('table.delete_label', { name }), exact: true }) });
  await expect(row).toContainText(`${say('status.expires_soon')} (${say('status.today')})`);
  await expect(row).toContainText(dayText(todayUtc(), language));

  await row.getByRole('button', { name: removeLabel, exact: true }).click();
  const confirm = page.getByRole('dialog', { name: say('remove.title'), exact: true });
  await expect(confirm).toContainText(
    say('remove.question', { name, user: ELIGIBLE_USER.name }),
  );
  await expectNoViolations(page, 'the remove dialog');
  await confirm.getByRole('button', { name: say('dialog.confirm'), exact: true }).click();
  await expect(row).toContainText(say('status.removed'));

  await row.getByRole('button', { name: say('table.delete_label', { name }), exact: true }).click();
  const deletion = page.getByRole('dialog', { name: say('delete.title'), exact: true });
  await deletion.getByRole('button', { name: say('dialog.confirm'), exact: true }).click();
  await expect(row).toHaveCount(0);

  await page.getByRole('link', { name: say('nav.audit_log'), exact: true }).click();
  await expect(page.getByRole('heading', { name: say('nav.audit_log'), level: 1 })).toBeVisible();
  await expect(page.getByRole('cell', { name: say('audit.action.token_deleted') }).first()).toBeVisible();
  await expectNoViolations(page, 'the audit log');
});

test('the Language control switches the console and is remembered', async ({ page }, testInfo) => {
  const language = languageOf(testInfo);
  const other = language === 'fr' ? 'en' : 'fr';
  const say = words(language);
  const sayOther = words(other);
  await logIn(page, say, language);
  // Moved to another page in place (no reload): the control goes back to that one.
  await page.getByRole('link', { name: say('nav.audit_log'), exact: true }).click();
  await expect(page.getByRole('heading', { name: say('nav.audit_log'), level: 1 })).toBeVisible();

  await page.getByRole('combobox', { name: say('shell.language'), exact: true }).selectOption(other);
  await page.getByRole('button', { name: say('shell.language_apply'), exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', other);
  await expect(page).toHaveURL(/\/security\/audit-log$/);
  await expect(page.getByRole('heading', { name: sayOther('nav.audit_log'), level: 1 })).toBeVisible();
  await page.goto(`${TOKENS_PATH}?status=active`);
  await expect(page.getByRole('heading', { name: sayOther('nav.api_tokens'), level: 1 })).toBeVisible();
  await expectNoViolations(page, `the tokens page in ${other}`);

  // Back to the browser's language, for the tests that follow.
  await page.getByRole('combobox', { name: sayOther('shell.language'), exact: true }).selectOption(language);
  await page.getByRole('button', { name: sayOther('shell.language_apply'), exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await expect(page).toHaveURL(/\/security\/api-tokens\?status=active$/);
});
