/**
 * The walking network: whether pgRouting is there, replacing the roads all or nothing (checked,
 * noded into the walking graph, the graph checked), and keeping the walking service areas and the
 * buildings' joining points current after a change. Without pgRouting the roads are still stored
 * and drawn, and every figure stays straight-line; the status says what to run.
 */
import type { Pool, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { badRequest } from '../../shared/errors.js';
import { sqlFile } from '../../shared/sql.js';
import type { RoadLine } from './road-lines.js';

const BUILD_GRAPH_SQL = sqlFile(import.meta.url, 'build-graph.sql');
const GRAPH_REPORT_SQL = sqlFile(import.meta.url, 'graph-report.sql');
const INSERT_SEGMENTS_SQL = sqlFile(import.meta.url, 'insert-segments.sql');
const CHECK_SEGMENTS_SQL = sqlFile(import.meta.url, 'check-segments.sql');

export interface PgRoutingStatus {
  installed: boolean;
  /** What to do when it is not: the one command, or null. */
  message: string | null;
}

export interface GraphReport {
  nodes: number;
  edges: number;
  lengthMeters: number;
  mainLengthMeters: number;
  islands: number;
  islandLengthMeters: number;
  danglingEnds: number;
  danglingLengthMeters: number;
  problems: { type: 'FeatureCollection'; features: unknown[] };
}

export interface NetworkSummary {
  source: string;
  synthetic: boolean;
  lines: number;
  walkableLines: number;
  byClass: { roadClass: string; lines: number; walkable: boolean }[];
  ignored: { roadClass: string; lines: number }[];
  report: GraphReport | null;
}

export async function pgroutingStatus(db: Queryable): Promise<PgRoutingStatus> {
  const { rows } = await db.query<{ installed: boolean; available: boolean; major: string }>(
    `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pgrouting') AS installed,
            EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pgrouting') AS available,
            current_setting('server_version_num')::int / 10000 AS major`,
  );
  const r = rows[0]!;
  if (r.installed) return { installed: true, message: null };
  return {
    installed: false,
    message: r.available
      ? 'pgRouting not installed in this database: run CREATE EXTENSION pgrouting; (as a superuser) — until then distances are straight-line'
      : `pgRouting not installed: run apt-get install -y postgresql-${r.major}-pgrouting (as root, on the database server), then CREATE EXTENSION pgrouting; — until then distances are straight-line`,
  };
}

/** Whether network distances can be used: pgRouting there and a network loaded. */
export async function networkReady(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ ready: boolean }>('SELECT walk_network_ready() AS ready');
  return rows[0]!.ready;
}

/** The line checks in TypeScript: coordinates that are numbers, at least two distinct points. */
function checkCoordinates(lines: RoadLine[], fileName: string) {
  for (const l of lines) {
    const ok = l.coordinates.length >= 2 && l.coordinates.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90);
    if (!ok) throw badRequest('network.badLine', { file: fileName, feature: l.feature + 1 }, { feature: l.feature + 1 });
  }
}

/** Where an import is: stage (checking | writing | graph | service_areas), step done of total. */
export type NetworkProgress = (stage: string, done: number, total: number) => void;
const STEPS = 4;

export function createNetworkRepository(pool: Pool) {
  async function classes(db: Queryable) {
    const { rows } = await db.query<{ code: string; walkable: boolean }>('SELECT code, walkable FROM road_class');
    return new Map(rows.map((r) => [r.code, r.walkable]));
  }

  async function report(db: Queryable): Promise<GraphReport | null> {
    if (!(await pgroutingStatus(db)).installed) return null;
    const { rows } = await db.query<{ report: string }>(GRAPH_REPORT_SQL);
    return JSON.parse(rows[0]!.report) as GraphReport;
  }

  /**
   * Replaces the network inside `db`'s transaction. With `commit` false nothing derived is
   * recomputed (the caller rolls back: a preview).
   */
  async function replaceIn(db: Queryable, lines: RoadLine[], meta: { source: string; synthetic: boolean; fileName: string; defaultClass?: string }, derive: boolean, progress: NetworkProgress = () => {}): Promise<NetworkSummary> {
    progress('checking', 0, STEPS);
    checkCoordinates(lines, meta.fileName);
    const known = await classes(db);
    if (meta.defaultClass !== undefined && !known.has(meta.defaultClass)) throw badRequest('network.unknownClass', { roadClass: meta.defaultClass, allowed: [...known.keys()].join(', ') });
    const kept: (RoadLine & { cls: string })[] = [];
    const ignored = new Map<string, number>();
    for (const l of lines) {
      const cls = l.roadClass !== null && known.has(l.roadClass) ? l.roadClass : meta.defaultClass;
      if (cls === undefined) ignored.set(l.roadClass ?? '(none)', (ignored.get(l.roadClass ?? '(none)') ?? 0) + 1);
      else kept.push({ ...l, cls });
    }
    const walkable = kept.filter((l) => known.get(l.cls));
    if (walkable.length === 0) {
      throw badRequest('network.noWalkable', {
        file: meta.fileName,
        lines: lines.length,
        classes: [...new Set(lines.map((l) => l.roadClass ?? '(none)'))].slice(0, 12).join(', ') || 'none',
      });
    }
    const geojson = kept.map((l) => JSON.stringify({ type: 'LineString', coordinates: l.coordinates }));
    const { rows: bad } = await db.query<{ idx: number; reason: string }>(CHECK_SEGMENTS_SQL, [geojson]);
    if (bad.length > 0) {
      const list = bad.slice(0, 10).map((b) => `feature ${kept[b.idx]!.feature + 1}: ${b.reason}`);
      throw badRequest('network.unusableLines', { file: meta.fileName, count: bad.length, list: `${list.join('; ')}${bad.length > 10 ? '; …' : ''}` }, { features: bad.map((b) => ({ feature: kept[b.idx]!.feature + 1, reason: b.reason })) });
    }
    progress('writing', 1, STEPS);
    await db.query('DELETE FROM walk_edge; DELETE FROM walk_node; DELETE FROM road_segment; DELETE FROM road_network;');
    await db.query(INSERT_SEGMENTS_SQL, [geojson, kept.map((l) => l.cls), kept.map((l) => l.name ?? ''), kept.map((l) => l.bridge), kept.map((l) => l.tunnel), kept.map((l) => l.oneway)]);
    progress('graph', 2, STEPS);
    await db.query(BUILD_GRAPH_SQL);
    const graph = await report(db);
    await db.query('INSERT INTO road_network (source, synthetic, report) VALUES ($1, $2, $3)', [meta.source, meta.synthetic, JSON.stringify(graph ? { ...graph, problems: undefined } : {})]);
    if (derive) {
      progress('service_areas', 3, STEPS);
      await db.query('SET LOCAL jit = off');
      await db.query('SELECT walk_network_rebuild_derived()');
    }
    const byClass = new Map<string, number>();
    for (const l of kept) byClass.set(l.cls, (byClass.get(l.cls) ?? 0) + 1);
    return {
      source: meta.source,
      synthetic: meta.synthetic,
      lines: kept.length,
      walkableLines: walkable.length,
      byClass: [...byClass].map(([roadClass, n]) => ({ roadClass, lines: n, walkable: known.get(roadClass)! })).sort((a, b) => b.lines - a.lines),
      ignored: [...ignored].map(([roadClass, n]) => ({ roadClass, lines: n })),
      report: graph,
    };
  }

  return {
    replaceIn,

    /** Checks and nodes the roads, reports the graph, and writes nothing. */
    async preview(lines: RoadLine[], meta: { source: string; fileName: string; defaultClass?: string }): Promise<NetworkSummary> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        return await replaceIn(client, lines, { ...meta, synthetic: false }, false);
      } finally {
        await client.query('ROLLBACK').catch(() => {});
        client.release();
      }
    },

    /** Replaces the network all or nothing, and every walking area and joining point with it. */
    async replace(lines: RoadLine[], meta: { source: string; synthetic: boolean; fileName: string; defaultClass?: string }, after?: (db: Queryable, summary: NetworkSummary) => Promise<void>, progress?: NetworkProgress): Promise<NetworkSummary> {
      return withTransaction(pool, async (db) => {
        const summary = await replaceIn(db, lines, meta, true, progress);
        await after?.(db, summary);
        return summary;
      });
    },

    async status() {
      const pgrouting = await pgroutingStatus(pool);
      const { rows } = await pool.query<{ source: string; synthetic: boolean; imported_at: Date; segments: number; walkable: number; areas: number }>(
        `SELECT n.source, n.synthetic, n.imported_at,
                (SELECT count(*)::int FROM road_segment) AS segments,
                (SELECT count(*)::int FROM road_segment WHERE walkable) AS walkable,
                (SELECT count(*)::int FROM facility_walk_area) AS areas
         FROM road_network n`,
      );
      const n = rows[0];
      return {
        pgrouting,
        loaded: n !== undefined,
        ready: pgrouting.installed && n !== undefined,
        distanceMethod: pgrouting.installed && n !== undefined ? ('network' as const) : ('straight_line' as const),
        source: n?.source ?? null,
        synthetic: n?.synthetic ?? false,
        importedAt: n?.imported_at.toISOString() ?? null,
        segments: n?.segments ?? 0,
        walkableSegments: n?.walkable ?? 0,
        walkingAreas: n?.areas ?? 0,
        report: n ? await report(pool) : null,
      };
    },

    async roadClasses() {
      return (await pool.query<{ code: string; name_zh: string; name_en: string; walkable: boolean }>('SELECT code, name_zh, name_en, walkable FROM road_class ORDER BY sort_order')).rows;
    },
  };
}
export type NetworkRepository = ReturnType<typeof createNetworkRepository>;
