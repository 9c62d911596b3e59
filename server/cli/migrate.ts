/**
 * `npm run migrate`: applies pending migrations as the owner role (DATABASE_OWNER_URL, else
 * DATABASE_URL, else the local cluster) and gives the app role its grants.
 */
import { openDatabase, runCli } from './open-database.js';
import { databaseVersion } from '../db/migrate.js';
import { migrateAsOwner } from '../db/connections.js';

await runCli(async () => {
  const db = await openDatabase({ migrate: false });
  try {
    const applied = await migrateAsOwner(db.pool, db.connections);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply.', `Schema version ${await databaseVersion(db.pool)}.`);
  } finally {
    await db.close();
  }
});
