// The dist binary (cargo site dist) serves the site it carries: bundle names hashed after
// their content and cached for a year as immutable, sent precompressed (brotli, gzip) as the
// browser accepts, with a strong ETag per encoding that revalidates to 304.
// Runs only in the "dist" project, against that binary.
import { test, expect } from '../support/fixtures';

const HASHED = /^\/pkg\/jetons\.[0-9a-f]{20}\.(js|wasm|css)$/;

test('the built-in site is hashed, precompressed and cached for a year', async ({
  page,
  request,
}) => {
  await page.goto('/login');
  const hrefs = await page
    .locator('link[rel=modulepreload], link[rel=preload][as=fetch], link[rel=stylesheet]')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href') ?? ''));
  expect(hrefs).toHaveLength(3);
  const types: Record<string, string> = {
    js: 'text/javascript; charset=utf-8',
    wasm: 'application/wasm',
    css: 'text/css; charset=utf-8',
  };
  for (const href of hrefs) {
    expect(href).toMatch(HASHED);
    const kind = href.split('.').pop() ?? '';
    const fetch = (headers: Record<string, string>) => request.get(href, { headers });

    const br = await fetch({ 'Accept-Encoding': 'gzip, br' });
    expect(br.status()).toBe(200);
    const headers = br.headers();
    expect(headers['content-encoding']).toBe('br');
    expect(headers['content-type']).toBe(types[kind]);
    expect(headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(headers['vary']).toBe('Accept-Encoding');
    const etag = headers['etag'];
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);

    const gzip = await fetch({ 'Accept-Encoding': 'gzip' });
    expect(gzip.headers()['content-encoding']).toBe('gzip');
    expect(gzip.headers()['etag']).not.toBe(etag);
    const plain = await fetch({ 'Accept-Encoding': 'identity' });
    expect(plain.headers()['content-encoding']).toBeUndefined();
    // Each encoding decodes to the same file.
    expect((await gzip.body()).equals(await plain.body())).toBe(true);
    expect((await br.body()).equals(await plain.body())).toBe(true);

    const again = await fetch({ 'Accept-Encoding': 'gzip, br', 'If-None-Match': etag });
    expect(again.status()).toBe(304);
  }

  // Names that are not hashed are revalidated each time.
  const icon = await request.get('/favicon.svg', { headers: { 'Accept-Encoding': 'br' } });
  expect(icon.status()).toBe(200);
  expect(icon.headers()['cache-control']).toBe('public, no-cache');
  expect(icon.headers()['content-type']).toBe('image/svg+xml');
});
