/**
 * Every expensive route declares a rate limit (config.rateLimit, shared/rate-limits.ts), found
 * from the app's own route list, and one real 429 per family: exports, imports, incident
 * analyses, siting, planning checks, the public aggregates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

/** What makes a route expensive: its path names an import, export, analysis or check. */
const EXPENSIVE =
  /\/(import|export|exports|grid-import|analysis|siting|candidates|heat|points|hexagons|list|by-grid|summary|compare|indicators|grid-validation|grid-figures|building-figures|encoding-preview|encode|repair-slivers|nearest)(\/|$)/;
/** Polling a job: a lookup in memory. Tiles: cached, shared and cancelled (tiles module). */
const EXEMPT = new Set(['/api/incidents/import/jobs/:jobId', '/api/coverage/siting/:id', '/api/incidents/my-grids']);

let t: TestApp;
const PER_MINUTE = 2;
beforeAll(async () => {
  t = await createTestApp({ env: { EXPENSIVE_RATE_PER_MINUTE: String(PER_MINUTE) } });
});
afterAll(async () => t?.close());

describe('rate limits', () => {
  it('every expensive route declares one, and the list covers the routes an outside test hammered', () => {
    const expensive = t.app.declaredRoutes.filter((r) => r.method !== 'HEAD' && r.url.startsWith('/api/') && EXPENSIVE.test(r.url) && !EXEMPT.has(r.url));
    const urls = expensive.map((r) => `${r.method} ${r.url}`);
    for (const named of ['GET /api/exports/grids', 'GET /api/incidents/export', 'GET /api/facilities/export', 'GET /api/incidents/by-grid', 'POST /api/incidents/import/preview', 'POST /api/grid-import/preview', 'POST /api/facilities/import/preview', 'POST /api/coverage/siting', 'GET /api/incidents/heat', 'GET /api/incidents/hexagons', 'GET /api/incidents/summary', 'GET /api/incidents/compare', 'GET /api/incidents/indicators', 'POST /api/coverage/analysis']) {
      expect(urls).toContain(named);
    }
    const missing = expensive.filter((r) => !r.rateLimit).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    for (const r of expensive) expect(r.rateLimit!.max).toBeLessThanOrEqual(PER_MINUTE * 4);
  });

  const families: { name: string; role: 'planner' | 'analyst' | 'admin' | null; method: 'GET' | 'POST'; url: string; payload?: object; max: number }[] = [
    { name: 'exports', role: 'planner', method: 'GET', url: '/api/exports/grids?area=610402002&format=geojson', max: PER_MINUTE },
    { name: 'imports', role: 'analyst', method: 'POST', url: '/api/incidents/import/preview', payload: {}, max: PER_MINUTE },
    { name: 'grid imports', role: 'planner', method: 'POST', url: '/api/grid-import/preview', payload: {}, max: PER_MINUTE },
    { name: 'incident analyses', role: 'analyst', method: 'GET', url: '/api/incidents/by-grid', max: PER_MINUTE * 4 },
    { name: 'siting', role: 'planner', method: 'POST', url: '/api/coverage/siting', payload: {}, max: PER_MINUTE },
    { name: 'planning checks', role: 'planner', method: 'GET', url: '/api/grid-validation?area=610402002', max: PER_MINUTE },
    { name: 'public aggregates', role: null, method: 'GET', url: '/api/facilities/summary', max: PER_MINUTE * 4 },
  ];
  it.each(families)('answers 429 with Retry-After past the limit: $name', async ({ role, method, url, payload, max }) => {
    const headers = role ? { cookie: await t.loginAs(role) } : {};
    const codes: number[] = [];
    for (let i = 0; i <= max; i++) {
      const res = await t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
      codes.push(res.statusCode);
      if (i === max) {
        expect(res.statusCode).toBe(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(codes.slice(0, max).every((c) => c !== 429)).toBe(true);
  });
});
