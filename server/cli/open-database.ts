/**
 * The one way a command-line tool reaches Wangge's database: the same one `npm start` uses,
 * as the owner role (DATABASE_OWNER_URL, else DATABASE_URL, else the project-local cluster's
 * owner), since tools migrate, restore and purge. The local cluster is reused when Wangge is
 * running and started for the occasion (and stopped again) when it is not. Pending migrations
 * are applied first (with the app role's grants), so a tool works on a fresh install too.
 */
import type pg from 'pg';
import { loadConfig, type Config } from '../config.js';
import { createPool } from '../db/pool.js';
import { migrateAsOwner, resolveConnections, type DatabaseConnections } from '../db/connections.js';

export interface CliDatabase {
  config: Config;
  /** A pool as the owner role. */
  pool: pg.Pool;
  /** The owner role's connection string. */
  databaseUrl: string;
  connections: DatabaseConnections;
  /** Closes the pool, and stops the local cluster when this tool started it. */
  close(): Promise<void>;
}

export async function openDatabase(options: { migrate?: boolean } = {}): Promise<CliDatabase> {
  const config = loadConfig();
  const connections = await resolveConnections(config);
  const databaseUrl = connections.ownerUrl ?? connections.appUrl;
  const stopCluster = connections.cluster?.startedHere ? () => connections.cluster!.stop() : () => {};
  const pool = createPool(databaseUrl, 4);
  const close = async () => {
    await pool.end().catch(() => {});
    stopCluster();
  };
  if (options.migrate !== false) {
    try {
      await migrateAsOwner(pool, connections);
    } catch (error) {
      await close();
      throw error;
    }
  }
  return { config, pool, databaseUrl, connections, close };
}

/** Runs a command-line tool: prints its error as one line and exits non-zero on failure. */
export async function runCli(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
