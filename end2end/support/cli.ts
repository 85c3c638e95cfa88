// The operator CLI against this run's database (the server keeps running: SQLite in WAL mode).
import { execFileSync } from 'node:child_process';
import { DATABASE_URL, SERVER_BIN } from './env';

/** Runs `server <args>` and returns its standard output; throws when it fails. */
export function cli(args: string[], stdin = ''): string {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL, JETONS_TIME_ZONE: 'UTC' };
  delete env.JETONS_TEST_CLOCK;
  delete env.JETONS_TEST_MODE;
  return execFileSync(SERVER_BIN, args, {
    env,
    input: stdin,
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

export function setJetonsApiFlag(enabled: boolean): string {
  return cli(['flag', enabled ? 'enable' : 'disable', 'Technique', 'Jetons Api']);
}

/** A calendar day in UTC (the server's time zone here) as YYYY-MM-DD, today by default. */
export function utcDay(offsetDays = 0): string {
  const day = new Date(Date.now() + offsetDays * 86_400_000);
  return day.toISOString().slice(0, 10);
}

export const todayUtc = (): string => utcDay(0);

/** A YYYY-MM-DD day as the console writes it in `language` ("Dec 1, 2026", "1 décembre 2026"). */
export function dayText(iso: string, language: 'en' | 'fr' = 'en'): string {
  const format = new Intl.DateTimeFormat(language === 'en' ? 'en-US' : 'fr-FR', {
    day: 'numeric',
    month: language === 'en' ? 'short' : 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return format.format(new Date(`${iso}T00:00:00Z`));
}
