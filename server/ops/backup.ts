/**
 * Backups with pg_dump (custom format: compressed, restorable table by table) and restores with
 * pg_restore into an empty or existing database (objects are dropped and recreated).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
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

export function restoreDatabase(databaseUrl: string, file: string): void {
  if (!fs.existsSync(file)) throw new Error(`No backup file ${file}`);
  run(tool('pg_restore'), ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${databaseUrl}`, file]);
}
