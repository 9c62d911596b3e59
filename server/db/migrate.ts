/**
 * Applies the numbered SQL files in ./migrations with postgrator, as the owner role. Re-running
 * applies nothing new; an advisory lock keeps two processes from migrating at once. After every
 * migrate the app role gets its grants on whatever tables exist (roles.ts: grantAppRole), so a
 * migration never names the app role.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Postgrator from 'postgrator';
import type pg from 'pg';
import { checkPostgis, type Queryable } from './pool.js';
import { citusPreflight, type DistributedMode } from './citus-preflight.js';
import { DEFAULT_APP_ROLE, grantAppRole, roleExists } from './roles.js';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const MIGRATION_LOCK_KEY = 7_402_610; // any constant; shared by every Wangge process

export interface MigrateOptions {
  /**
   * The role that serves requests, to be granted its privileges. Default: DEFAULT_APP_ROLE
   * when that role exists. Null: no grants (the caller is not the owner).
   */
  appRole?: string | null;
  /**
   * 'citus' (WANGGE_DISTRIBUTED): the database must be a ready Citus coordinator. Unset: a database
   * with the citus extension is checked the same way, one without it is a plain PostGIS.
   */
  distributed?: DistributedMode | null;
}

export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<{ applied: string[]; version: number }> {
  const client = await pool.connect();
  try {
    await checkPostgis(client);
    // A half-set-up Citus cluster is refused here, before anything changes (citus-preflight.ts).
    await citusPreflight(client, { distributed: options.distributed });
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const postgrator = new Postgrator({
      migrationPattern: path.join(migrationsDir, '*.sql'),
      driver: 'pg',
      schemaTable: 'schema_migration',
      execQuery: (query: string) => client.query(query),
    });
    const applied = await postgrator.migrate();
    const version = await postgrator.getDatabaseVersion();
    const appRole = options.appRole === undefined ? ((await roleExists(client, DEFAULT_APP_ROLE)) ? DEFAULT_APP_ROLE : null) : options.appRole;
    if (appRole) await grantAppRole(client, appRole);
    return { applied: applied.map((m) => `${m.version} ${m.name}`), version };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    client.release();
  }
}

/** The highest migration number this version of Wangge has. */
export function latestMigrationVersion(): number {
  return Math.max(...fs.readdirSync(migrationsDir).map((f) => Number.parseInt(f, 10)).filter(Number.isFinite));
}

/** The migration version a database is at (0 before the first). */
export async function databaseVersion(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ version: number | null }>(
    `SELECT CASE WHEN to_regclass('public.schema_migration') IS NULL THEN 0 ELSE (SELECT max(version)::int FROM schema_migration) END AS version`,
  );
  return rows[0]?.version ?? 0;
}

