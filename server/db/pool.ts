import pg from 'pg';

// bigint columns (ids, counts) come back as JS numbers: ids here stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));
// numeric (sums, averages) as numbers too.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value));

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
/** Anything that can run a query: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

export function createPool(connectionString: string, max = 10, options: { connectionTimeoutMillis?: number } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: 'wangge',
    // Fail fast when the database is away: requests answer 503 in seconds, not minutes.
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 3000,
    // No statement may hold a connection for ever (imports and analyses stay well below).
    statement_timeout: 120_000,
  });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => {});
  return pool;
}

/** Runs fn inside one transaction; rolls back on any error. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Minimum PostGIS the SQL relies on (ST_TileEnvelope, ST_AsMVT options, geography buffers). */
export const MIN_POSTGIS_VERSION = '3.1';

export interface DatabaseVersions {
  postgres: string;
  postgis: string;
}

/** Refuses a database without PostGIS or with one older than MIN_POSTGIS_VERSION. */
export async function checkPostgis(db: Queryable): Promise<DatabaseVersions> {
  const pgVersion = await db.query<{ server_version: string }>('SHOW server_version');
  const available = await db.query<{ default_version: string | null; installed_version: string | null }>(
    `SELECT default_version, installed_version FROM pg_available_extensions WHERE name = 'postgis'`,
  );
  const problem = postgisProblem(available.rows[0]);
  if (problem) throw new Error(problem);
  const row = available.rows[0]!;
  return { postgres: pgVersion.rows[0]!.server_version, postgis: (row.installed_version ?? row.default_version)! };
}

/** What is wrong with the PostGIS a database offers (its pg_available_extensions row), or null. */
export function postgisProblem(row: { default_version: string | null; installed_version: string | null } | undefined): string | null {
  const version = row?.installed_version ?? row?.default_version;
  if (!version) {
    return (
      `This database has no PostGIS extension available. Install PostGIS ≥ ${MIN_POSTGIS_VERSION} on the ` +
      'database server (Debian/Ubuntu: apt-get install postgresql-<version>-postgis-3), or unset DATABASE_URL ' +
      'to let Wangge start its own.'
    );
  }
  if (compareVersions(version, MIN_POSTGIS_VERSION) < 0) {
    return `PostGIS ${version} is too old: Wangge needs PostGIS ≥ ${MIN_POSTGIS_VERSION}.`;
  }
  return null;
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(/[.-]/).map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
