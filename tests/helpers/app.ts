import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { DEMO_ACCOUNTS } from '../../server/demo/accounts.js';
import type { Role } from '../../server/modules/auth/roles.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  db: TestDatabase;
  /** Logs in as the demo account of a role; returns the Cookie header to send. */
  loginAs(role: Role): Promise<string>;
  close(): Promise<void>;
}

/**
 * The real app on a database of its own, serving as the app role (as `npm start` does) while
 * `db.pool` stays the owner's. `serveWeb` needs `npm run build` to have run.
 */
export async function createTestApp(
  options: { template?: 'demo' | 'empty'; serveWeb?: boolean; env?: Record<string, string> } = {},
): Promise<TestApp> {
  const db = await createTestDatabase(options.template ?? 'demo');
  const config = loadConfig({ DATABASE_URL: db.appUrl, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', DEMO: 'true', LOGIN_RATE_PER_MINUTE: '1000', EXPENSIVE_RATE_PER_MINUTE: '1000', ...options.env });
  const app = await buildApp({ config, pool: db.appPool, serveWeb: options.serveWeb ?? false });
  await app.ready();
  return {
    app,
    db,
    async loginAs(role) {
      const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: account.username, password: account.password } });
      if (res.statusCode !== 200) throw new Error(`login as ${role} failed: ${res.statusCode} ${res.body}`);
      return sessionCookie(res);
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/** The `name=value` of the session cookie a response set. */
export function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'wangge_session');
  if (!cookie) throw new Error('no session cookie in response');
  return `${cookie.name}=${cookie.value}`;
}

/**
 * A real listening server (127.0.0.1, a free port) serving the built web app, for browser tests.
 * By default on a copy of the demo; `{ template: 'empty', env: { DEMO: 'false' } }` is a fresh install.
 */
export async function startTestServer(
  options: { template?: 'demo' | 'empty'; env?: Record<string, string> } = {},
): Promise<TestApp & { baseUrl: string }> {
  const testApp = await createTestApp({ ...options, serveWeb: true });
  const address = await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...testApp, baseUrl: address };
}
