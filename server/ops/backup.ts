/**
 * Backups with pg_dump (custom format: compressed, restorable table by table) and restores with
 * pg_restore into an empty or existing database (objects are dropped and recreated).
 *
 * A restore in place drops and recreates PostGIS's types and operators under new object ids,
 * and a connection that was open before keeps the old ones in its caches (the next spatial
 * write fails: "no spatial operator found for 'st_covers'"). So after restoring, every other
 * connection to the database is ended: a running app's pool opens fresh ones on its next
 * request (its tile listener reconnects by itself).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { findBinaries } from '../local-postgres/cluster.js';

function tool(name: 'pg_dump' | 'pg_restore'): string {
  const found = findBinaries();
  if ('binDir' in found) return path.join(found.binDir, name);
  return name; // a client on PATH, e.g. with an external DATABASE_URL
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw new Error(`${path.basename(command)} could not run: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${path.basename(command)} failed: ${result.stderr.trim()}`);
  return result;
}

export function backupDatabase(databaseUrl: string, file: string): { file: string; bytes: number } {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  run(tool('pg_dump'), ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, `--dbname=${databaseUrl}`]);
  return { file, bytes: fs.statSync(file).size };
}

/** Restores a backup; returns how many other connections to the database it then ended. */
export async function restoreDatabase(databaseUrl: string, file: string): Promise<{ endedConnections: number }> {
  if (!fs.existsSync(file)) throw new Error(`No backup file ${file}`);
  run(tool('pg_restore'), ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${databaseUrl}`, file]);
  return { endedConnections: await endOtherConnections(databaseUrl) };
}

/**
 * Ends every connection to the database but this one (needs a superuser or the same role), and
 * returns once each has really ended (at most 5 s each): a running app's pool has then been told
 * of every closed connection before its next query, so it opens new ones onto the restored data
 * instead of sending a query down a connection that is about to close.
 */
export async function endOtherConnections(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'wangge-restore' });
  await client.connect();
  try {
    const { rows } = await client.query<{ ended: number }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))::int AS ended
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return rows[0]!.ended;
  } finally {
    await client.end();
  }
}
