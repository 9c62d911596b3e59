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
import { DEFAULT_APP_ROLE, grantAppRole, roleExists } from './roles.js';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
const MIGRATION_LOCK_KEY = 7_402_610; // any constant; shared by every Wangge process

export interface MigrateOptions {
  /**
   * The role that serves requests, to be granted its privileges. Default: DEFAULT_APP_ROLE
   * when that role exists. Null: no grants (the caller is not the owner).
   */
  appRole?: string | null;
}

export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<{ applied: string[]; version: number }> {
  const client = await pool.connect();
  try {
    await checkPostgis(client);
    await checkDistributedMode(client);
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

/**
 * The distributed mode asked for (WANGGE_DISTRIBUTED=citus) on a database without Citus: refused,
 * naming what to do (migration 032 lays the schema out for Citus only where the extension is).
 */
async function checkDistributedMode(client: Queryable): Promise<void> {
  const wanted = process.env.WANGGE_DISTRIBUTED;
  if (!wanted) return;
  if (wanted !== 'citus') throw new Error(`WANGGE_DISTRIBUTED=${wanted} is not a distributed mode Wangge knows: set it to citus, or unset it`);
  const { rows } = await client.query<{ found: boolean }>(`SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') AS found`);
  if (!rows[0]?.found) {
    throw new Error(
      'WANGGE_DISTRIBUTED=citus, but the database has no citus extension: on the coordinator run  CREATE EXTENSION citus;  ' +
        "and register the workers (SELECT citus_add_node('host', port)), or unset WANGGE_DISTRIBUTED for a single PostGIS",
    );
  }
}
