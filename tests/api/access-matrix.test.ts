/**
 * The whole matrix of callers × routes: every route the app registers declares who may call it,
 * and nobody else gets a 2xx — anonymous visitors, and each staff role outside the route's list.
 * New routes join the matrix by themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { ROLES, type Role } from '../../server/modules/auth/roles.js';

let t: TestApp;
const cookies = new Map<Role, string>();
beforeAll(async () => {
  t = await createTestApp();
  for (const role of ROLES) cookies.set(role, await t.loginAs(role));
});
afterAll(async () => t?.close());

/** A concrete URL for a route pattern: every :param becomes 1. */
const concrete = (url: string) => url.replace(/:[a-zA-Z]+/g, '1');

describe('access matrix', () => {
  it('every API route declares its access, and the list is not empty', () => {
    const api = t.app.declaredRoutes.filter((r) => r.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(10);
    expect(t.app.declaredRoutes.some((r) => 'public' in r.access && r.url === '/api/auth/login')).toBe(true);
  });

  it('gives no 2xx to a caller outside a route’s roles', async () => {
    const unexpected: string[] = [];
    let checked = 0;
    for (const route of t.app.declaredRoutes) {
      if ('public' in route.access || route.method === 'HEAD') continue;
      const callers: (Role | 'anonymous')[] = ['anonymous', ...ROLES.filter((r) => !(route.access as { roles: readonly Role[] }).roles.includes(r))];
      for (const caller of callers) {
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers: caller === 'anonymous' ? {} : { cookie: cookies.get(caller)! },
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
        });
        checked++;
        const expected = caller === 'anonymous' ? 401 : 403;
        if (res.statusCode !== expected) unexpected.push(`${caller} ${route.method} ${route.url} → ${res.statusCode}`);
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(unexpected).toEqual([]);
  });

  it('answers a public route without any cookie with no 5xx', async () => {
    const failures: string[] = [];
    for (const route of t.app.declaredRoutes) {
      if (!('public' in route.access) || route.method !== 'GET') continue;
      const res = await t.app.inject({ method: 'GET', url: concrete(route.url) });
      if (res.statusCode >= 500) failures.push(`${route.url} → ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });
});
