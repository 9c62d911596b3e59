/** `npm run migrate`: applies pending migrations to DATABASE_URL. */
import { loadConfig } from '../config.js';
import { createPool } from '../db/pool.js';
import { migrate } from '../db/migrate.js';

const config = loadConfig();
if (!config.DATABASE_URL) {
  console.error('Set DATABASE_URL (npm start migrates its local database by itself).');
  process.exit(2);
}
const pool = createPool(config.DATABASE_URL);
try {
  const { applied, version } = await migrate(pool);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply.', `Schema version ${version}.`);
} finally {
  await pool.end();
}
