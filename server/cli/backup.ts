/**
 * `npm run backup [-- --out FILE]` and `npm run restore -- FILE`: pg_dump/pg_restore of
 * DATABASE_URL, or of the project-local cluster when it is unset (started for the occasion).
 * Backups go to .data/backups/wangge-<timestamp>.dump by default.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { migrateAsOwner } from '../db/connections.js';
import { backupDatabase, restoreDatabase } from '../ops/backup.js';
import { repoRoot } from '../paths.js';
import { openDatabase } from './open-database.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, restore: { type: 'boolean', default: false } } });
// As the owner role: a restore drops and recreates the tables.
const db = await openDatabase({ migrate: false });
const databaseUrl = db.databaseUrl;
try {
  if (values.restore) {
    const file = positionals[0];
    if (!file) throw new Error('Name the backup file: npm run restore -- FILE');
    const { endedConnections } = await restoreDatabase(databaseUrl, path.resolve(file));
    // The dump carries no privileges: the app role gets its grants again.
    await migrateAsOwner(db.pool, db.connections);
    console.log(`Restored ${file}` + (endedConnections ? `; ended ${endedConnections} open connection(s), which reconnect on their next request` : ''));
  } else {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = path.resolve(values.out ?? path.join(repoRoot, '.data', 'backups', `wangge-${stamp}.dump`));
    const { bytes } = backupDatabase(databaseUrl, file);
    console.log(`Backup written: ${path.relative(process.cwd(), file)} (${(bytes / 1024 / 1024).toFixed(1)} MB)`);
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await db.close();
}
