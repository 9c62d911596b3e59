/** A backup restored into a fresh database gives back every table: same row counts, same content. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../server/ops/backup.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { createTestApp } from '../helpers/app.js';

let source: TestDatabase;
let target: TestDatabase;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-backup-test-'));
beforeAll(async () => {
  source = await createTestDatabase('demo');
  target = await createTestDatabase('empty');
});
afterAll(async () => {
  await source?.drop();
  await target?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Row count and an order-independent checksum of every table in the public schema. */
async function fingerprint(db: TestDatabase) {
  const tables = (await db.pool.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map((r) => r.tablename as string);
  const result: Record<string, { rows: number; md5: string | null }> = {};
  for (const table of tables) {
    const { rows } = await db.pool.query(`SELECT count(*)::int AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5 FROM public.${table} t`);
    result[table] = rows[0];
  }
  return result;
}

describe('backup and restore', () => {
  it('restores into a fresh database with the same rows in every table', async () => {
    // Something written after the demo load, so the backup is not just the template.
    await source.pool.query(`INSERT INTO audit_log (action, success, detail) VALUES ('test.backup', true, '{"n": 1}')`);
    const file = path.join(dir, 'wangge.dump');
    const { bytes } = backupDatabase(source.url, file);
    expect(bytes).toBeGreaterThan(100_000);

    await restoreDatabase(target.url, file);
    const [before, after] = await Promise.all([fingerprint(source), fingerprint(target)]);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(before.grid!.rows).toBeGreaterThan(893);
    expect(before.incident!.rows).toBeGreaterThan(20_000);
    expect(after).toEqual(before);
    // The append-only rule came back with the data.
    await expect(target.pool.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('refuses a missing backup file with a clear message and changes nothing', async () => {
    const before = await fingerprint(target);
    await expect(restoreDatabase(target.url, path.join(dir, 'missing.dump'))).rejects.toThrow(/No backup file/);
    expect(await fingerprint(target)).toEqual(before);
  });

  it('restored in place under a running app, the app\'s next spatial write works (its pooled connections are renewed)', async () => {
    const t = await createTestApp();
    try {
      const planner = await t.loginAs('planner');
      const createFacility = (name: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/facilities',
          headers: { cookie: planner },
          payload: { facilityType: 'home_elderly_care_station', name, address: '人民路1号', lon: 108.7, lat: 34.34, phone: null, openingHours: null, services: [], capacity: null, isPublic: true },
        });
      // Warm every pooled connection with the spatial checks (ST_Covers) before the restore.
      const before = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => createFacility(`恢复前站点${n}`)));
      expect(before.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
      const file = path.join(dir, 'in-place.dump');
      backupDatabase(t.db.url, file);
      const { endedConnections } = await restoreDatabase(t.db.url, file);
      expect(endedConnections).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => createFacility(`恢复后站点${n}`)));
      expect(after.map((r) => [r.statusCode, r.statusCode === 201 ? '' : r.body])).toEqual(Array(6).fill([201, '']));
      // The restored data is what the backup held, and the app reads it.
      const login = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: planner } });
      expect(login.json().user.username).toBe('planner');
    } finally {
      await t.close();
    }
  });
});
