/**
 * Applies the numbered SQL files in ./migrations with postgrator. Re-running applies nothing
 * new; an advisory lock keeps two processes from migrating at once.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Postgrator from 'postgrator';
import type pg from 'pg';
import { checkPostgis } from './pool.js';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const MIGRATION_LOCK_KEY = 7_402_610; // any constant; shared by every Wangge process

export async function migrate(pool: pg.Pool): Promise<{ applied: string[]; version: number }> {
  const client = await pool.connect();
  try {
    await checkPostgis(client);
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const postgrator = new Postgrator({
      migrationPattern: path.join(migrationsDir, '*.sql'),
      driver: 'pg',
      schemaTable: 'schema_migration',
      execQuery: (query: string) => client.query(query),
    });
    const applied = await postgrator.migrate();
    const version = await postgrator.getDatabaseVersion();
    return { applied: applied.map((m) => `${m.version} ${m.name}`), version };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    client.release();
  }
}
