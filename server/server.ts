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
import { issueSetupToken, SETUP_TOKEN_HOURS } from './modules/setup/setup-repository.js';
import { ensureGdalInstalled } from './modules/imports/gdal.js';
import { glyphRangesInUse, glyphServiceFor } from './modules/basemap/glyphs.js';
import path from 'node:path';
import { repoRoot } from './paths.js';

const log = (line: string) => console.log(line);

async function main() {
  const config = loadConfig();
  const connections = await resolveConnections(config, log);
  const cluster = connections.cluster;
  const pool = createPool(connections.appUrl);
  let setupToken: string | null = null;
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
    try {
      // Imports read files with GDAL: installed here as root on Debian, else named with its command.
      ensureGdalInstalled(log);
    } catch (error) {
      log(`Warning: ${(error as Error).message.trim()}\nImports answer 503 until it is installed.`);
    }
    await ensureWebBuilt(log);
    // No administrator yet (a fresh install without the demo): a one-time link to create one.
    setupToken = await issueSetupToken(pool);
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
  // The label glyphs the district's names need, built in the background (one core, one range at a
  // time) so that no map request waits for them; a request for one not built yet goes first.
  const glyphsStarted = Date.now();
  void glyphRangesInUse(pool)
    .then((starts) => glyphServiceFor(config.GLYPHS_DIR ?? path.join(repoRoot, '.data', 'glyphs')).warm(starts))
    .then(({ built }) => { if (built > 0) log(`Label glyphs: built ${built} range(s) in ${((Date.now() - glyphsStarted) / 1000).toFixed(1)} s`); })
    .catch((error: unknown) => log(`Warning: label glyphs not built in advance (${(error as Error).message}); they are built when a map asks`));
  log(`\nWangge is running at ${address}  (API documentation: ${address}/docs)`);
  if (config.DEMO) {
    log('Demo mode. Demo accounts (username / password / role):');
    for (const a of DEMO_ACCOUNTS) log(`  ${a.username.padEnd(11)} ${a.password.padEnd(22)} ${a.role}`);
  }
  if (setupToken) {
    // Printed here only: the token is stored hashed and never written to the request log.
    log('\nNo administrator yet. Open this one-time link to create the first one');
    log(`(valid for ${SETUP_TOKEN_HOURS} hours or until used; every start prints a new one and voids the last):`);
    log(`  ${address}/setup#token=${setupToken}`);
    log('Or from the command line: npm run admin:create -- --username NAME');
  }
}

main().catch((error: unknown) => {
  console.error(`\nWangge could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
