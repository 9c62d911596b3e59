/**
 * The one way a command-line tool reaches Wangge's database: the same one `npm start` uses.
 * DATABASE_URL when it is set; otherwise the project-local cluster, which is reused when Wangge
 * is running and started for the occasion (and stopped again) when it is not. Pending
 * migrations are applied first, so a tool works on a fresh install too.
 */
import type pg from 'pg';
import { loadConfig, type Config } from '../config.js';
import { createPool } from '../db/pool.js';
import { migrate } from '../db/migrate.js';
import { startLocalCluster } from '../local-postgres/cluster.js';

export interface CliDatabase {
  config: Config;
  pool: pg.Pool;
  databaseUrl: string;
  /** Closes the pool, and stops the local cluster when this tool started it. */
  close(): Promise<void>;
}

export async function openDatabase(options: { migrate?: boolean } = {}): Promise<CliDatabase> {
  const config = loadConfig();
  let databaseUrl = config.DATABASE_URL;
  let stopCluster = () => {};
  if (!databaseUrl) {
    const cluster = await startLocalCluster({ name: 'pg', preferredPort: 54329 });
    databaseUrl = cluster.connectionString;
    if (cluster.startedHere) stopCluster = () => cluster.stop();
  }
  const pool = createPool(databaseUrl, 4);
  const close = async () => {
    await pool.end().catch(() => {});
    stopCluster();
  };
  if (options.migrate !== false) {
    try {
      await migrate(pool);
    } catch (error) {
      await close();
      throw error;
    }
  }
  return { config, pool, databaseUrl, close };
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
