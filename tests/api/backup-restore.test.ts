/** A backup restored into a fresh database gives back every table: same row counts, same content. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../server/ops/backup.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

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

    restoreDatabase(target.url, file);
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
    expect(() => restoreDatabase(target.url, path.join(dir, 'missing.dump'))).toThrow(/No backup file/);
    expect(await fingerprint(target)).toEqual(before);
  });
});
