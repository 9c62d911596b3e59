/**
 * `npm run backup [-- --out FILE]` and `npm run restore -- FILE`: pg_dump/pg_restore of
 * DATABASE_URL, or of the project-local cluster when it is unset (started for the occasion).
 * Backups go to .data/backups/wangge-<timestamp>.dump by default.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { startLocalCluster } from '../local-postgres/cluster.js';
import { backupDatabase, restoreDatabase } from '../ops/backup.js';
import { repoRoot } from '../paths.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, restore: { type: 'boolean', default: false } } });
const config = loadConfig();
let databaseUrl = config.DATABASE_URL;
let stop = () => {};
if (!databaseUrl) {
  const cluster = await startLocalCluster({ name: 'pg', preferredPort: 54329 });
  databaseUrl = cluster.connectionString;
  if (cluster.startedHere) stop = () => cluster.stop();
}
try {
  if (values.restore) {
    const file = positionals[0];
    if (!file) throw new Error('Name the backup file: npm run restore -- FILE');
    const { endedConnections } = await restoreDatabase(databaseUrl, path.resolve(file));
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
  stop();
}
