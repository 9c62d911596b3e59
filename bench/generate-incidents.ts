/**
 * Grows the incident table to a given size for the incidents benchmark: copies of the demo's
 * incidents, each moved by up to ±40 m and shifted by up to ±30 days (never into the future),
 * keeping the original's grid and community, so that the density pattern (town, hotspots,
 * villages) stays that of the demo at any scale. (A copy moved 40 m may sit just across a grid
 * edge from its grid: irrelevant to the timings this is for.) Deterministic (setseed). Rows go in through the
 * real schema (check constraints, the generated metric column, every index) in batches. To load
 * millions of rows in minutes rather than hours, the secondary indexes are dropped during the load
 * and built again after it (the same definitions), and foreign-key triggers are skipped for the
 * copies (session_replication_role = replica; every key they carry is copied from a valid row):
 * that needs the database owner, as in the benchmark's own cluster.
 *
 *   DATABASE_URL=… npx tsx bench/generate-incidents.ts --total 1000000
 *
 * Used by bench/incidents.ts; write only to a database made for benchmarking.
 */
import { parseArgs } from 'node:util';
import type pg from 'pg';

const BATCH = 250_000;

/** Adds synthetic incidents until the table holds `total` rows; returns how many it added. */
export async function growIncidents(pool: pg.Pool, total: number, log: (line: string) => void = () => {}): Promise<number> {
  const { rows } = await pool.query<{ n: number; base: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE external_id LIKE 'QD-%')::int AS base FROM incident`);
  let current = rows[0]!.n;
  const base = rows[0]!.base;
  if (base === 0) throw new Error('growIncidents: load the demo district first (its incidents are the pattern)');
  const started = Date.now();
  let added = 0;
  let round = 0;
  if (current >= total) return 0;
  // Secondary indexes (not the primary key, not the unique external_id) go, and come back below.
  const { rows: indexes } = await pool.query<{ name: string; def: string }>(
    `SELECT i.indexname AS name, i.indexdef AS def FROM pg_indexes i
     WHERE i.tablename = 'incident' AND i.indexname NOT IN ('incident_pkey', 'incident_external_id_key')`,
  );
  for (const index of indexes) await pool.query(`DROP INDEX ${index.name}`);
  while (current < total) {
    const want = Math.min(BATCH, total - current);
    round += 1;
    const client = await pool.connect();
    try {
      await client.query(`SET statement_timeout = 0`);
      await client.query(`SET session_replication_role = replica`);
      await client.query('SELECT setseed($1)', [(round % 1000) / 1000]);
      const result = await client.query(
        `INSERT INTO incident (category, sub_category, source, status, occurred_at, reported_at, due_at, closed_at, geom, grid_id, community_code, description)
         SELECT d.category, d.sub_category, d.source, d.status, NULL, d.reported_at + shift, d.due_at + shift,
                d.closed_at + shift, moved.geom, d.grid_id, d.community_code, ''
         FROM (SELECT i.*, (floor(random() * 60) - 30) * interval '1 day' AS shift,
                      (random() - 0.5) * 80 AS dx, (random() - 0.5) * 80 AS dy
               FROM incident i, generate_series(1, $1::int / $2::int + 1) copy
               WHERE i.external_id LIKE 'QD-%') d
         CROSS JOIN LATERAL (SELECT ST_Transform(ST_Translate(ST_Transform(d.geom, 4545), d.dx, d.dy), 4326) AS geom) moved
         WHERE d.reported_at + shift < now() AND (d.closed_at IS NULL OR d.closed_at + shift < now())
         LIMIT $1`,
        [want, base],
      );
      added += result.rowCount ?? 0;
      current += result.rowCount ?? 0;
      log(`  ${current.toLocaleString('en')} incidents (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    } finally {
      await client.query(`RESET session_replication_role`).catch(() => {});
      client.release();
    }
  }
  const client = await pool.connect();
  try {
    await client.query(`SET statement_timeout = 0`);
    await client.query(`SET maintenance_work_mem = '512MB'`);
    for (const index of indexes) await client.query(index.def);
    // The incident summaries (migration 011) follow the incidents by trigger; the triggers were off.
    await client.query('SELECT incident_summary_rebuild()');
    await client.query('VACUUM ANALYZE incident');
  } finally {
    client.release();
  }
  log(`  indexes rebuilt (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return added;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { total: { type: 'string', default: '1000000' } } });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to a database made for benchmarking');
  const { createPool } = await import('../server/db/pool.js');
  const pool = createPool(url, 2);
  try {
    await growIncidents(pool, Number(values.total), console.log);
  } finally {
    await pool.end();
  }
}
