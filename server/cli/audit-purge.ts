/**
 * `npm run audit:purge`: removes audit rows older than AUDIT_RETENTION_DAYS (never less than
 * 184), as the owner role: the role the app serves with cannot. The purge writes an audit row
 * of its own (audit.purge: the retention, how many rows, the oldest removed).
 */
import { openDatabase, runCli } from './open-database.js';

await runCli(async () => {
  const db = await openDatabase();
  try {
    const { rows } = await db.pool.query<{ removed: number }>('SELECT audit_log_purge($1) AS removed', [db.config.AUDIT_RETENTION_DAYS]);
    console.log(`Removed ${rows[0]!.removed} audit rows older than ${db.config.AUDIT_RETENTION_DAYS} days.`);
  } finally {
    await db.close();
  }
});
