/**
 * Before any migration runs: is the database a plain PostGIS, or the coordinator of a Citus cluster
 * that is ready to take the distributed schema? A cluster that is half set up (the citus extension
 * but no worker, a worker down, a worker without PostGIS or Citus, or with other releases than the
 * coordinator's) is refused with what is missing and the command that fixes it, before anything is
 * changed: a migration that stopped half-way through distributing tables would leave a schema
 * neither layout can continue from.
 *
 * The workers are checked from the coordinator (run_command_on_workers), so the names, ports and
 * credentials are the ones Citus itself uses.
 */
import type pg from 'pg';

/** How the deployment asks for the distributed mode (WANGGE_DISTRIBUTED); unset: detected. */
export type DistributedMode = 'citus';

export interface CitusLayout {
  citusVersion: string;
  workers: { host: string; port: number }[];
}

/** A database that migrations must not touch until an operator fixes what `problems` name. */
export class ClusterNotReadyError extends Error {
  constructor(readonly database: string, readonly problems: string[]) {
    super(
      `Refusing to migrate database ${database}: the Citus cluster is not ready. Nothing was changed.\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'ClusterNotReadyError';
  }
}

type Client = Pick<pg.PoolClient, 'query'>;

/** How long the coordinator may wait for one worker while checking (a worker behind a dead route). */
const WORKER_CONNECT_TIMEOUT_MS = 5000;

const major = (versionNum: string) => String(Math.floor(Number(versionNum) / 10000));

/**
 * Null for a plain PostGIS (no citus extension and the mode not asked for); the cluster's layout
 * when it is ready; throws ClusterNotReadyError otherwise. Read-only. `client` must be one
 * connection (it runs a short transaction).
 */
export async function citusPreflight(client: Client, options: { distributed?: DistributedMode | null } = {}): Promise<CitusLayout | null> {
  const { rows } = await client.query<{
    database: string;
    installed: string | null;
    available: string | null;
    preload: string;
    version_num: string;
    postgis: string | null;
  }>(
    `SELECT current_database() AS database,
            (SELECT extversion FROM pg_extension WHERE extname = 'citus') AS installed,
            (SELECT default_version FROM pg_available_extensions WHERE name = 'citus') AS available,
            current_setting('shared_preload_libraries') AS preload,
            current_setting('server_version_num') AS version_num,
            (SELECT extversion FROM pg_extension WHERE extname = 'postgis') AS postgis`,
  );
  const here = rows[0]!;
  const database = here.database;
  const pgMajor = major(here.version_num);

  if (!here.installed) {
    if (options.distributed !== 'citus') return null;
    const preloaded = here.preload.split(',').map((s) => s.trim()).includes('citus');
    if (!here.available) {
      throw new ClusterNotReadyError(database, [
        `WANGGE_DISTRIBUTED=citus, but this PostgreSQL ${pgMajor} server has no Citus installed: install Citus's package for PostgreSQL ${pgMajor} on the coordinator and every worker (docs/SCALE.md), set shared_preload_libraries = 'citus', restart, then run as a superuser in database ${database}:  CREATE EXTENSION citus;`,
      ]);
    }
    if (!preloaded) {
      throw new ClusterNotReadyError(database, [
        `WANGGE_DISTRIBUTED=citus, but Citus is not loaded by this server: set shared_preload_libraries = 'citus' in postgresql.conf, restart PostgreSQL, then run as a superuser in database ${database}:  CREATE EXTENSION citus;`,
      ]);
    }
    throw new ClusterNotReadyError(database, [
      `WANGGE_DISTRIBUTED=citus, but database ${database} has no citus extension: run as a superuser in it  CREATE EXTENSION citus;  then register each worker:  SELECT citus_add_node('worker-host', 5432);  (or unset WANGGE_DISTRIBUTED to run on this one server)`,
    ]);
  }

  const local = await client.query<{ groupid: number }>('SELECT groupid FROM pg_dist_local_group');
  if ((local.rows[0]?.groupid ?? 0) !== 0) {
    throw new ClusterNotReadyError(database, [
      'this server is a Citus worker, not the coordinator: point DATABASE_URL (and DATABASE_OWNER_URL) at the coordinator',
    ]);
  }

  const nodes = await client.query<{ nodename: string; nodeport: number; isactive: boolean }>(
    `SELECT nodename, nodeport, isactive FROM pg_dist_node
      WHERE groupid <> 0 AND noderole = 'primary' ORDER BY nodeid`,
  );
  const problems: string[] = [];
  if (nodes.rows.length === 0) {
    problems.push(
      `database ${database} has the citus extension but no worker is registered: on the coordinator run  SELECT citus_set_coordinator_host('coordinator-host', 5432);  and, for each worker,  SELECT citus_add_node('worker-host', 5432);  (or DROP EXTENSION citus to run on this one server)`,
    );
    throw new ClusterNotReadyError(database, problems);
  }
  for (const node of nodes.rows.filter((n) => !n.isactive)) {
    problems.push(`worker ${node.nodename}:${node.nodeport} is registered but not active: when it is up, run  SELECT citus_activate_node('${node.nodename}', ${node.nodeport});`);
  }

  // What each active worker has, seen from the coordinator: PostgreSQL, Citus, PostGIS (created in
  // this database, and available on the server).
  const probe = `SELECT concat_ws('|', current_setting('server_version_num'),
      coalesce((SELECT extversion FROM pg_extension WHERE extname = 'citus'), '-'),
      coalesce((SELECT extversion FROM pg_extension WHERE extname = 'postgis'), '-'),
      coalesce((SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'), '-'))`;
  let results: { nodename: string; nodeport: number; success: boolean; result: string }[];
  await client.query('BEGIN');
  try {
    await client.query(`SELECT set_config('citus.node_connection_timeout', $1, true)`, [String(WORKER_CONNECT_TIMEOUT_MS)]);
    results = (await client.query('SELECT nodename, nodeport, success, result FROM run_command_on_workers($1)', [probe])).rows;
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }

  for (const r of results) {
    const node = `worker ${r.nodename}:${r.nodeport}`;
    if (!r.success) {
      problems.push(`${node} cannot be reached from the coordinator (${r.result.trim()}): start it, or check that database ${database} exists there and that the coordinator may log in to it`);
      continue;
    }
    const [versionNum = '0', citus, postgis, postgisAvailable] = r.result.split('|');
    if (major(versionNum) !== pgMajor) problems.push(`${node} runs PostgreSQL ${major(versionNum)}, the coordinator ${pgMajor}: every node needs the same major release`);
    if (citus === '-') {
      problems.push(`${node} has no citus extension in database ${database}: run there as a superuser  CREATE EXTENSION citus;`);
    } else if (citus !== here.installed) {
      problems.push(`${node} has Citus ${citus}, the coordinator ${here.installed}: install the same Citus release on every node and run  ALTER EXTENSION citus UPDATE;  on each`);
    }
    if (postgisAvailable === '-') {
      problems.push(`${node} has no PostGIS installed: install PostGIS for PostgreSQL ${major(versionNum)} there (Debian/Ubuntu: apt-get install postgresql-${major(versionNum)}-postgis-3)`);
    } else if (here.postgis && postgis === '-') {
      problems.push(`${node} lacks PostGIS in database ${database} (the coordinator has ${here.postgis}): run there as a superuser  CREATE EXTENSION postgis VERSION '${here.postgis}';`);
    } else if (here.postgis && postgis !== here.postgis) {
      problems.push(`${node} has PostGIS ${postgis}, the coordinator ${here.postgis}: every node needs the same PostGIS release (ALTER EXTENSION postgis UPDATE on each)`);
    }
  }
  if (problems.length > 0) throw new ClusterNotReadyError(database, problems);
  return { citusVersion: here.installed, workers: nodes.rows.map((n) => ({ host: n.nodename, port: n.nodeport })) };
}
