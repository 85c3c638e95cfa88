// The console's words in each language, read from the locale files the server is built from
// (app/locales/*.json), so the browser tests find buttons and headings by the names a person
// using that language sees.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestInfo } from '@playwright/test';

export type Language = 'en' | 'fr';
export type Say = (key: string, values?: Record<string, string | number>) => string;

/** The language of the running project (its `locale`, such as fr-FR). */
export function languageOf(testInfo: TestInfo): Language {
  const locale = String(testInfo.project.use.locale ?? 'en-US');
  return locale.startsWith('fr') ? 'fr' : 'en';
}

/** `say('remove.question', { name, user })`: a text of `language`, its `{{ variables }}`
 * filled. A key or a variable missing from the file fails the test. */
export function words(language: Language): Say {
  const file = path.join(__dirname, '..', '..', 'app', 'locales', `${language}.json`);
  const texts = JSON.parse(readFileSync(file, 'utf8'));
  return (key, values = {}) => {
    const text = key.split('.').reduce((node, part) => node?.[part], texts);
    if (typeof text !== 'string') throw new Error(`${language}.json has no text ${key}`);
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_: string, name: string) => {
      if (!(name in values)) throw new Error(`${key} needs ${name}`);
      return String(values[name]);
    });
  };
}
