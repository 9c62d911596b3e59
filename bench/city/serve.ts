/**
 * The Wangge app alone, for benchmarks: built on DATABASE_URL (the city database), API only,
 * listening on 127.0.0.1 on a free port, which it prints as `listening <url>` once ready. Run
 * as a child process so that the load generator does not share the server's event loop.
 */
import { buildApp } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createPool } from '../../server/db/pool.js';

const config = loadConfig({
  DATABASE_URL: process.env.DATABASE_URL,
  LOG_LEVEL: 'silent',
  DEMO: 'true',
  LOGIN_RATE_PER_MINUTE: '100000',
  EXPENSIVE_RATE_PER_MINUTE: '1000000',
});
const pool = createPool(config.DATABASE_URL!, Number(process.env.POOL_SIZE ?? 20));
const app = await buildApp({ config, pool, serveWeb: false });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening ${address}`);
const stop = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
