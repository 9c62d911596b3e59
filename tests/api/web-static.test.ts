/**
 * How the built web app is sent (needs `npx vite build` first): hashed assets precompressed
 * (brotli or gzip, as the browser accepts) with a year-long immutable cache; index.html and the
 * unhashed files revalidated by ETag on every use; the security headers on all of them.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { webDistDir } from '../../server/paths.js';

let t: TestApp;
/** The entry script named by index.html, e.g. /assets/index-AbC123.js. */
let entryScript: string;
beforeAll(async () => {
  t = await createTestApp({ template: 'empty', serveWeb: true });
  const html = fs.readFileSync(path.join(webDistDir, 'index.html'), 'utf8');
  entryScript = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
});
afterAll(async () => t?.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

describe('hashed assets', () => {
  it('are built with brotli and gzip copies beside them', () => {
    const file = path.join(webDistDir, entryScript);
    expect(fs.existsSync(`${file}.br`), 'run `npx vite build` before this test').toBe(true);
    expect(fs.existsSync(`${file}.gz`)).toBe(true);
  });

  it('come as brotli to a browser that accepts it, cached for a year and immutable', async () => {
    const res = await get(entryScript, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    const original = fs.readFileSync(path.join(webDistDir, entryScript));
    expect(res.rawPayload.length).toBeLessThan(original.length / 2);
    expect(zlib.brotliDecompressSync(res.rawPayload).equals(original)).toBe(true);
  });

  it('carry no validators nor the headers that act only on documents; a policy allowing nothing, nosniff and HSTS stay', async () => {
    const res = await get(entryScript, { 'accept-encoding': 'br' });
    expect(res.statusCode).toBe(200);
    for (const name of ['etag', 'last-modified', 'x-frame-options', 'cross-origin-opener-policy', 'origin-agent-cluster', 'x-xss-protection', 'x-download-options', 'x-dns-prefetch-control', 'x-permitted-cross-domain-policies']) {
      expect(res.headers[name], name).toBeUndefined();
    }
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeDefined();
    // MapLibre's worker runs under the policy of its own script: it keeps the page's (it fetches tiles).
    const worker = fs.readdirSync(path.join(webDistDir, 'assets')).find((f) => /^maplibre-gl-worker-.*\.mjs$/.test(f));
    expect(worker, 'the map worker script is built').toBeDefined();
    const workerRes = await get(`/assets/${worker}`, { 'accept-encoding': 'br' });
    expect(workerRes.statusCode).toBe(200);
    expect(workerRes.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(workerRes.headers['content-security-policy']).toContain("worker-src 'self' blob:");
    // A page keeps them all.
    const page = await get('/', { accept: 'text/html' });
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBeDefined();
    expect(page.headers.etag).toBeTruthy();
  });

  it('come as gzip to a browser without brotli, and plain to one that accepts neither', async () => {
    const original = fs.readFileSync(path.join(webDistDir, entryScript));
    const gz = await get(entryScript, { 'accept-encoding': 'gzip, deflate' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zlib.gunzipSync(gz.rawPayload).equals(original)).toBe(true);

    const plain = await get(entryScript, { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(original)).toBe(true);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('include the MapLibre worker and the stylesheets, compressed the same way', async () => {
    const assets = fs.readdirSync(path.join(webDistDir, 'assets'));
    const worker = assets.find((f) => /^maplibre-gl-worker-.+\.mjs$/.test(f));
    const css = assets.find((f) => f.endsWith('.css') && fs.statSync(path.join(webDistDir, 'assets', f)).size > 4096);
    for (const file of [worker, css]) {
      expect(file).toBeDefined();
      const res = await get(`/assets/${file}`, { 'accept-encoding': 'br' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe('br');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });
});

describe('index.html and unhashed files', () => {
  it('are revalidated each time: no-cache with an ETag, and 304 when unchanged', async () => {
    for (const headers of [{ accept: 'text/html' }, { accept: 'text/html', 'accept-encoding': 'br, gzip' }] as Record<string, string>[]) {
      const res = await get('/', headers);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers.etag).toBeTruthy();
      const again = await get('/', { ...headers, 'if-none-match': String(res.headers.etag) });
      expect(again.statusCode).toBe(304);
    }
  });

  it('a client-side route is answered with index.html, not cached either', async () => {
    const res = await get('/admin/users', { accept: 'text/html', 'accept-encoding': 'br' });
    expect(res.statusCode).toBe(200);
    // Over 1 kB (the icon is inline), index.html has a brotli copy too, sent to a browser that accepts it.
    const body = res.headers['content-encoding'] === 'br' ? zlib.brotliDecompressSync(res.rawPayload).toString('utf8') : res.body;
    expect(body).toContain('<div id="root">');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('the favicon (no hash in its name) is revalidated, not kept for a year', async () => {
    const res = await get('/favicon.svg', { 'accept-encoding': 'br' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toBeTruthy();
  });

  it('a missing asset is a 404, not index.html', async () => {
    const res = await get('/assets/index-doesnotexist.js', { 'accept-encoding': 'br' });
    expect(res.statusCode).toBe(404);
  });
});

describe('API answers', () => {
  it('of 1 KB and more come compressed as the client accepts (brotli, else gzip, else plain)', async () => {
    const plain = await get('/api/facility-types');
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(1024);
    const br = await get('/api/facility-types', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(JSON.parse(zlib.brotliDecompressSync(br.rawPayload).toString('utf8'))).toEqual(plain.json());
    const gz = await get('/api/facility-types', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gz.rawPayload).toString('utf8'))).toEqual(plain.json());
  });

  it('under 1 KB are sent as they are', async () => {
    const small = await get('/api/config', { 'accept-encoding': 'br, gzip' });
    expect(small.statusCode).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toHaveProperty('demoMode');
  });
});
