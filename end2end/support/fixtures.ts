// `test` with a guard: any uncaught page error or console error fails the test, except the
// ones a test declares as expected (an HTTP error status the test provokes on purpose).
// Content-Security-Policy violations always fail the test: they cannot be allowed, only
// expected by the one test that checks the guard itself.
import { test as base, expect, type BrowserContext } from '@playwright/test';

export interface BrowserErrors {
  /** Tolerate console errors matching this pattern (matched against "text @ url"). */
  allow(pattern: RegExp): void;
  /** Also watch a context the test created itself (before opening pages in it). */
  watch(context: BrowserContext): Promise<void>;
  /** The CSP violations reported so far by the watched contexts. */
  cspViolations(): Promise<string[]>;
  /** This test provokes a CSP violation matching `pattern` on purpose: it must be reported. */
  expectCspViolation(pattern: RegExp): void;
}

/** Browser messages that mean "the Content-Security-Policy blocked something". */
const CSP_MESSAGE = /Content[- ]Security[- ]Policy|^Refused to |BLOCKED_BY_CSP/i;
const REPORT_BINDING = '__jetonsReportCspViolation';

interface Violation {
  id: string;
  text: string;
}

/** Runs in every document before its own scripts (CDP injection: the page's CSP does not apply). */
function recordCspViolations(binding: string): void {
  const w = window as unknown as {
    __cspViolations?: Violation[];
    [name: string]: unknown;
  };
  w.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    const violation = {
      id: `${Date.now()}-${Math.random()}`,
      text:
        `securitypolicyviolation: ${event.effectiveDirective} blocked ` +
        `${event.blockedURI || '(inline)'} in ${event.documentURI}` +
        (event.sourceFile ? ` (${event.sourceFile}:${event.lineNumber})` : '') +
        (event.sample ? ` sample: ${event.sample}` : ''),
    };
    w.__cspViolations?.push(violation);
    // The window's list dies with the document: also report at once, in case of navigation.
    const report = w[binding];
    if (typeof report === 'function') {
      void (report as (v: Violation) => Promise<void>)(violation);
    }
  });
}

export const test = base.extend<{ browserErrors: BrowserErrors }>({
  browserErrors: [
    async ({ context }, use) => {
      const seen: string[] = [];
      const allowed: RegExp[] = [];
      const reported = new Map<string, string>();
      const cspConsole: string[] = [];
      const expectedCsp: RegExp[] = [];
      const contexts: BrowserContext[] = [];

      const watch = async (ctx: BrowserContext) => {
        contexts.push(ctx);
        ctx.on('weberror', (error) => seen.push(`page error: ${error.error().message}`));
        ctx.on('console', (message) => {
          const entry = `${message.text()} @ ${message.location().url}`;
          if (CSP_MESSAGE.test(message.text())) {
            cspConsole.push(`console ${message.type()}: ${entry}`);
          } else if (message.type() === 'error') {
            seen.push(`console error: ${entry}`);
          }
        });
        await ctx.exposeBinding(REPORT_BINDING, (_source, violation: Violation) => {
          reported.set(violation.id, violation.text);
        });
        await ctx.addInitScript(recordCspViolations, REPORT_BINDING);
      };

      const cspViolations = async (): Promise<string[]> => {
        const all = new Map(reported);
        for (const ctx of contexts) {
          for (const page of ctx.pages()) {
            const inWindow = await page
              .evaluate(
                () => (window as unknown as { __cspViolations?: Violation[] }).__cspViolations ?? [],
              )
              .catch(() => [] as Violation[]);
            for (const v of inWindow) all.set(v.id, v.text);
          }
        }
        return [...all.values(), ...cspConsole];
      };

      await watch(context);
      await use({
        allow: (pattern) => allowed.push(pattern),
        watch,
        cspViolations,
        expectCspViolation: (pattern) => expectedCsp.push(pattern),
      });

      const violations = await cspViolations();
      for (const pattern of expectedCsp) {
        expect(
          violations.some((v) => pattern.test(v)),
          `expected CSP violation ${pattern} was not reported`,
        ).toBe(true);
      }
      expect(
        violations.filter((v) => !expectedCsp.some((p) => p.test(v))),
        'Content-Security-Policy violations reported by the browser',
      ).toEqual([]);
      const unexpected = seen.filter(
        (entry) => !entry.startsWith('console error') || !allowed.some((p) => p.test(entry)),
      );
      expect(unexpected, 'errors reported by the browser').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
