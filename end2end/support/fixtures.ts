// `test` with a guard: any uncaught page error or console error fails the test, except the
// ones a test declares as expected (an HTTP error status the test provokes on purpose).
import { test as base, expect, type BrowserContext } from '@playwright/test';

export interface BrowserErrors {
  /** Tolerate console errors matching this pattern (matched against "text @ url"). */
  allow(pattern: RegExp): void;
  /** Also watch a context the test created itself. */
  watch(context: BrowserContext): void;
}

export const test = base.extend<{ browserErrors: BrowserErrors }>({
  browserErrors: [
    async ({ context }, use) => {
      const seen: string[] = [];
      const allowed: RegExp[] = [];
      const watch = (ctx: BrowserContext) => {
        ctx.on('weberror', (error) => seen.push(`page error: ${error.error().message}`));
        ctx.on('console', (message) => {
          if (message.type() === 'error') {
            seen.push(`console error: ${message.text()} @ ${message.location().url}`);
          }
        });
      };
      watch(context);
      await use({ allow: (pattern) => allowed.push(pattern), watch });
      const unexpected = seen.filter(
        (entry) => !entry.startsWith('console error') || !allowed.some((p) => p.test(entry)),
      );
      expect(unexpected, 'errors reported by the browser').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
