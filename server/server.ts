/**
 * `npm start`: the database (the project-local cluster when DATABASE_URL is unset), migrations
 * as the owner role, the demo district on first run, the web build, then the app on
 * 127.0.0.1:3000, serving as the app role (never a superuser nor the tables' owner). Ctrl-C
 * stops the app and the local cluster cleanly.
 */
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { checkPostgis, createPool } from './db/pool.js';
import { assertServingRole, migrateAsOwner, resolveConnections } from './db/connections.js';
import { ensureDemoLoaded } from './demo/ensure-demo.js';
import { DEMO_ACCOUNTS } from './demo/accounts.js';
import { ensureWebBuilt } from './web-build.js';

const log = (line: string) => console.log(line);

async function main() {
  const config = loadConfig();
  const connections = await resolveConnections(config, log);
  const cluster = connections.cluster;
  const pool = createPool(connections.appUrl);
  const stopDatabase = async () => {
    await pool.end().catch(() => {});
    cluster?.stop();
  };
  try {
    if (connections.ownerUrl) {
      const ownerPool = createPool(connections.ownerUrl, 4);
      try {
        const versions = await checkPostgis(ownerPool);
        log(`Database: PostgreSQL ${versions.postgres}, PostGIS ${versions.postgis}`);
        const applied = await migrateAsOwner(ownerPool, connections);
        if (applied.length > 0) log(`Applied migrations: ${applied.join(', ')}`);
        if (config.DEMO) await ensureDemoLoaded(ownerPool, log);
      } finally {
        await ownerPool.end().catch(() => {});
      }
    } else {
      await checkPostgis(pool);
    }
    await assertServingRole(pool, connections);
    if (!connections.ownerUrl && config.DEMO) await ensureDemoLoaded(pool, log);
    await ensureWebBuilt(log);
  } catch (error) {
    await stopDatabase();
    throw error;
  }

  const app = await buildApp({ config, pool });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`\n${signal}: stopping Wangge…`);
    const forceExit = setTimeout(() => process.exit(1), 10_000);
    forceExit.unref();
    await app.shutdown();
    await stopDatabase();
    log(cluster ? 'Stopped Wangge and its local PostgreSQL.' : 'Stopped Wangge.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.PORT, host: config.HOST });
  const address = `http://${config.HOST}:${config.PORT}`;
  log(`\nWangge is running at ${address}  (API documentation: ${address}/docs)`);
  if (config.DEMO) {
    log('Demo mode. Demo accounts (username / password / role):');
    for (const a of DEMO_ACCOUNTS) log(`  ${a.username.padEnd(11)} ${a.password.padEnd(22)} ${a.role}`);
  }
}

main().catch((error: unknown) => {
  console.error(`\nWangge could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
