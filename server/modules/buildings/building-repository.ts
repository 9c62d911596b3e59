/**
 * The building store and the rule that keeps grid figures true: a grid's figures are the sum of
 * its live buildings wherever it has any; a grid without buildings keeps its entered figures.
 * Every write of buildings (the import, the resident register's counts, edits on the map) goes
 * through here, inside the caller's transaction, and re-counts the grids it touched. Grid edits
 * (grids/editing.ts, grids/grid-import.ts) call recountGrids after they change outlines.
 */
import type { PoolClient, Queryable } from '../../db/pool.js';
import { badRequest, conflict, forbidden, notFound } from '../../shared/errors.js';
import { sqlFile } from '../../shared/sql.js';
import { ensureBaseline, recordVersions, unprocessable, type Actor } from '../grids/grid-store.js';

const GRID_FIGURES_SQL = sqlFile(import.meta.url, 'grid-building-figures.sql');
const SNAPSHOT_SQL = sqlFile(import.meta.url, 'building-snapshot.sql');
const GRIDS_HOLDING_SQL = sqlFile(import.meta.url, 'grids-holding-points.sql');
const GRID_FIGURES_OF_SQL = sqlFile(import.meta.url, 'grid-figures-of.sql');
const FOOTPRINT_POINT_SQL = sqlFile(import.meta.url, 'footprint-point.sql');

export interface Figures {
  households: number;
  residents: number;
  residents60Plus: number;
  residents80Plus: number;
}

export interface NewBuilding extends Figures {
  name: string;
  kind: 'building' | 'compound';
  address: string | null;
  buildingCode: string | null;
  communityCode: string | null;
  lon: number;
  lat: number;
}

/** The live buildings of each grid, added up (grids without buildings: buildings = 0). */
export async function gridBuildingFigures(db: Queryable, gridIds: readonly number[]): Promise<Map<number, Figures & { buildings: number }>> {
  const { rows } = await db.query<Figures & { id: number; buildings: number }>(GRID_FIGURES_SQL, [gridIds]);
  return new Map(rows.map((r) => [Number(r.id), r]));
}

/**
 * Sets the figures of grids that hold buildings to the sum of their buildings. A grid without
 * buildings keeps its figures unless `zeroWhenEmpty` (its buildings were just retired or moved
 * away, so the figures it had were theirs). Does not bump versions: a grid edit does that itself.
 * Returns the ids whose figures changed.
 */
export async function recountGrids(client: Pick<PoolClient, 'query'>, gridIds: readonly number[], options: { zeroWhenEmpty?: boolean } = {}): Promise<number[]> {
  if (gridIds.length === 0) return [];
  const sums = await gridBuildingFigures(client, gridIds);
  const changed: number[] = [];
  for (const [id, f] of sums) {
    if (f.buildings === 0 && !options.zeroWhenEmpty) continue;
    const { rowCount } = await client.query(
      `UPDATE grid SET households = $2, residents = $3, residents_60_plus = $4, residents_80_plus = $5
        WHERE id = $1 AND (households, residents, residents_60_plus, residents_80_plus) IS DISTINCT FROM ($2, $3, $4, $5)`,
      [id, f.households, f.residents, f.residents60Plus, f.residents80Plus]);
    if (rowCount) changed.push(id);
  }
  return changed;
}

/** The live grids holding any of the points. */
export async function gridsHoldingPoints(db: Queryable, points: readonly { lon: number; lat: number }[]): Promise<number[]> {
  if (points.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(GRIDS_HOLDING_SQL, [points.map((p) => p.lon), points.map((p) => p.lat)]);
  return rows.map((r) => Number(r.id));
}

/**
 * After buildings changed: re-counts the grids that hold their old or new points, and gives each
 * grid whose figures changed a new version (so that a planner's open form is refused as stale).
 */
export async function recountAfterBuildingChange(client: PoolClient, points: readonly { lon: number; lat: number }[], actor: Actor, reason: string): Promise<number[]> {
  const gridIds = await gridsHoldingPoints(client, points);
  if (gridIds.length === 0) return [];
  await ensureBaseline(client, gridIds);
  const changed = await recountGrids(client, gridIds, { zeroWhenEmpty: true });
  if (changed.length) {
    await client.query(`UPDATE grid SET version = version + 1, updated_at = now() WHERE id = ANY ($1::bigint[])`, [changed]);
    await recordVersions(client, changed, 'figures', reason, actor);
  }
  return changed;
}

export async function recordBuildingVersions(client: Pick<PoolClient, 'query'>, ids: readonly number[], action: string, reason: string, actor: Actor) {
  if (ids.length) await client.query(SNAPSHOT_SQL, [ids, action, actor.user.id, actor.user.username, reason]);
}

/** Live buildings' points, for the grids to re-count around them. */
async function pointsOf(client: Pick<PoolClient, 'query'>, where: string, params: unknown[]) {
  const { rows } = await client.query<{ id: string; lon: number; lat: number }>(
    `SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM building b WHERE b.retired_at IS NULL AND ${where}`, params);
  return rows.map((r) => ({ id: Number(r.id), lon: r.lon, lat: r.lat }));
}

export function createBuildingRepository() {
  return {
    /**
     * Replaces the live buildings of the communities (those imported for them, and those without
     * a community lying inside their outlines; with `unplaced`, also every live building that has
     * no community) by `buildings`: the old ones are retired (kept with their history), the new
     * ones inserted, and the grids around both re-counted. Returns the counts.
     */
    async replaceCommunities(client: PoolClient, communityCodes: readonly string[], unplaced: boolean, buildings: readonly NewBuilding[], actor: Actor, reason: string, progress?: (done: number, total: number) => void) {
      const old = await pointsOf(client,
        `(b.community_code = ANY ($1::text[])
          OR (b.community_code IS NULL AND ($2::boolean OR EXISTS (
                SELECT 1 FROM admin_area a WHERE a.code = ANY ($1::text[]) AND a.geom IS NOT NULL AND ST_Covers(a.geom, b.geom)))))`,
        [communityCodes, unplaced]);
      const oldIds = old.map((o) => o.id);
      if (oldIds.length) {
        await client.query(`UPDATE building SET retired_at = now(), version = version + 1, updated_at = now() WHERE id = ANY ($1::bigint[])`, [oldIds]);
        await recordBuildingVersions(client, oldIds, 'replace', reason, actor);
      }
      const newIds: number[] = [];
      const chunk = 1000;
      for (let i = 0; i < buildings.length; i += chunk) {
        const part = buildings.slice(i, i + chunk);
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO building (name, kind, address, building_code, community_code, geom, households, residents, residents_60_plus, residents_80_plus)
           SELECT name, kind, address, code, community, ST_SetSRID(ST_MakePoint(lon, lat), 4326), h, r, r60, r80
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::float8[], $8::int[], $9::int[], $10::int[], $11::int[])
                WITH ORDINALITY AS u(name, kind, address, code, community, lon, lat, h, r, r60, r80, ord)
           ORDER BY ord
           RETURNING id`,
          [part.map((b) => b.name), part.map((b) => b.kind), part.map((b) => b.address), part.map((b) => b.buildingCode), part.map((b) => b.communityCode),
            part.map((b) => b.lon), part.map((b) => b.lat), part.map((b) => b.households), part.map((b) => b.residents),
            part.map((b) => b.residents60Plus), part.map((b) => b.residents80Plus)]);
        newIds.push(...rows.map((r) => Number(r.id)));
        progress?.(Math.min(i + chunk, buildings.length), buildings.length);
      }
      await recordBuildingVersions(client, newIds, 'import', reason, actor);
      const regrids = await recountAfterBuildingChange(client, [...old, ...buildings], actor, reason);
      return { retired: oldIds.length, inserted: newIds.length, gridsRecounted: regrids.length };
    },

    /**
     * Sets the counts of buildings (the resident register's result: households, residents, 60+,
     * 80+ per building), with a version each, and re-counts their grids.
     */
    async setFigures(client: PoolClient, updates: readonly ({ id: number } & Figures)[], actor: Actor, reason: string) {
      const ids = updates.map((u) => u.id);
      await client.query(
        `UPDATE building b SET households = u.h, residents = u.r, residents_60_plus = u.r60, residents_80_plus = u.r80,
                version = b.version + 1, updated_at = now()
           FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[]) AS u(id, h, r, r60, r80)
          WHERE b.id = u.id AND b.retired_at IS NULL`,
        [ids, updates.map((u) => u.households), updates.map((u) => u.residents), updates.map((u) => u.residents60Plus), updates.map((u) => u.residents80Plus)]);
      await recordBuildingVersions(client, ids, 'update', reason, actor);
      const points = await pointsOf(client, 'b.id = ANY ($1::bigint[])', [ids]);
      return recountAfterBuildingChange(client, points, actor, reason);
    },

    /**
     * One building drawn on the map (a point, or a footprint placed at its inner point): placed in
     * its grid's community, figures checked, grids re-counted.
     */
    async create(client: PoolClient, body: Omit<NewBuilding, 'communityCode' | 'lon' | 'lat'> & { lon?: number; lat?: number; footprint?: Footprint; reason?: string }, actor: Actor) {
      const { footprint, ...rest } = body;
      const input = { ...rest, ...(await pointOf(client, body, null)) };
      assertFigures(input);
      const communityCode = await placeOne(client, input, actor);
      await assertCodeFree(client, communityCode, input.buildingCode, null);
      const around = await gridsAround(client, [input]);
      const { rows: [row] } = await client.query<{ id: string }>(
        `INSERT INTO building (name, kind, address, building_code, community_code, geom, households, residents, residents_60_plus, residents_80_plus)
         VALUES ($1, $2, $3, $4, $5, ST_SetSRID(ST_MakePoint($6, $7), 4326), $8, $9, $10, $11) RETURNING id`,
        [input.name, input.kind, input.address, input.buildingCode, communityCode, input.lon, input.lat, input.households, input.residents, input.residents60Plus, input.residents80Plus]);
      const id = Number(row!.id);
      await recordBuildingVersions(client, [id], 'create', input.reason ?? '', actor);
      await recountAfterBuildingChange(client, [input], actor, input.reason || 'building added');
      return { ...(await readOne(client, id)), grids: await around.after() };
    },

    /** Changes a building (figures, name, address, code, or its point), at the version the caller read. */
    async update(client: PoolClient, id: number, version: number, body: Partial<Omit<NewBuilding, 'communityCode'>> & { footprint?: Footprint; reason?: string }, actor: Actor) {
      const old = await lockOne(client, id, version, actor);
      const { footprint, ...changes } = body;
      const next = { ...old, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)), ...(footprint ? await pointOf(client, body, old) : {}) } as typeof old;
      assertFigures(next);
      const moved = next.lon !== old.lon || next.lat !== old.lat;
      const communityCode = moved ? await placeOne(client, next, actor) : old.communityCode;
      await assertCodeFree(client, communityCode, next.buildingCode, id);
      const around = await gridsAround(client, [old, next]);
      await client.query(
        `UPDATE building SET name = $2, kind = $3, address = $4, building_code = $5, community_code = $6, geom = ST_SetSRID(ST_MakePoint($7, $8), 4326),
                households = $9, residents = $10, residents_60_plus = $11, residents_80_plus = $12, version = version + 1, updated_at = now()
          WHERE id = $1`,
        [id, next.name, next.kind, next.address, next.buildingCode, communityCode, next.lon, next.lat, next.households, next.residents, next.residents60Plus, next.residents80Plus]);
      await recordBuildingVersions(client, [id], moved ? 'move' : 'update', changes.reason ?? '', actor);
      await recountAfterBuildingChange(client, [old, next], actor, changes.reason || 'building changed');
      return { ...(await readOne(client, id)), grids: await around.after() };
    },

    /** Retires a building: it leaves every figure (its grid is re-counted) and keeps its history. */
    async retire(client: PoolClient, id: number, version: number, reason: string, actor: Actor) {
      const old = await lockOne(client, id, version, actor);
      const around = await gridsAround(client, [old]);
      await client.query(`UPDATE building SET retired_at = now(), version = version + 1, updated_at = now() WHERE id = $1`, [id]);
      await recordBuildingVersions(client, [id], 'retire', reason, actor);
      await recountAfterBuildingChange(client, [old], actor, reason || 'building retired');
      return { ...(await readOne(client, id)), grids: await around.after() };
    },
  };
}

const BUILDING_COLUMNS = `id::int, name, kind, address, building_code AS "buildingCode", community_code AS "communityCode",
  ST_X(geom) AS lon, ST_Y(geom) AS lat, households, residents, residents_60_plus AS "residents60Plus",
  residents_80_plus AS "residents80Plus", version, retired_at IS NOT NULL AS retired`;

export type BuildingRow = NewBuilding & { id: number; version: number; retired: boolean };

async function readOne(client: Pick<PoolClient, 'query'>, id: number): Promise<BuildingRow> {
  const { rows: [row] } = await client.query<BuildingRow>(`SELECT ${BUILDING_COLUMNS} FROM building WHERE id = $1`, [id]);
  return row!;
}

async function lockOne(client: PoolClient, id: number, version: number, actor: Actor): Promise<BuildingRow> {
  const { rows: [row] } = await client.query<BuildingRow>(`SELECT ${BUILDING_COLUMNS} FROM building WHERE id = $1 FOR UPDATE`, [id]);
  if (!row) throw notFound('buildings.notFound', { id });
  if (row.retired) throw conflict('buildings.retired', { id });
  if (actor.user.scopeAreaCode && !(row.communityCode ?? '').startsWith(actor.user.scopeAreaCode)) throw forbidden('buildings.outsideYourArea', { id, scope: actor.user.scopeAreaCode });
  if (row.version !== version) throw conflict('buildings.stale', { id, currentVersion: row.version, version }, { currentVersion: row.version });
  return row;
}

export interface Footprint {
  type: 'Polygon';
  coordinates: number[][][];
}

/** The point of a building from the map: its footprint's inner point when one was drawn, else lon/lat (or the old point). */
async function pointOf(client: Pick<PoolClient, 'query'>, body: { lon?: number; lat?: number; footprint?: Footprint }, old: { lon: number; lat: number } | null): Promise<{ lon: number; lat: number }> {
  if (body.footprint) {
    if (body.lon !== undefined || body.lat !== undefined) throw badRequest('buildings.pointOrFootprint');
    let row: { valid_reason: string | null; lon: number; lat: number } | undefined;
    try {
      ({ rows: [row] } = await client.query(FOOTPRINT_POINT_SQL, [JSON.stringify(body.footprint)]));
    } catch (error) {
      throw badRequest('buildings.footprintUnreadable', { detail: (error as Error).message });
    }
    if (row!.valid_reason) throw badRequest('buildings.footprintInvalid', { detail: row!.valid_reason });
    // The same bounds as a point's lon/lat in the schema (China in WGS84).
    if (!(row!.lon >= 73 && row!.lon <= 136 && row!.lat >= 3 && row!.lat <= 54)) throw badRequest('buildings.footprintOutsideChina', { lon: row!.lon, lat: row!.lat });
    return { lon: row!.lon, lat: row!.lat };
  }
  if (body.lon !== undefined && body.lat !== undefined) return { lon: body.lon, lat: body.lat };
  if (old) return { lon: body.lon ?? old.lon, lat: body.lat ?? old.lat };
  throw badRequest('buildings.needsPlace');
}

type GridFigures = Figures & { id: number; code: string; name: string; communityCode: string };

/**
 * The grids holding the points, with their figures now; `after()` reads them again once the
 * change is made: the reply shows each grid's figures before and after.
 */
async function gridsAround(client: Pick<PoolClient, 'query'>, points: readonly { lon: number; lat: number }[]) {
  const ids = await gridsHoldingPoints(client, points);
  const read = async () => (await client.query<GridFigures>(GRID_FIGURES_OF_SQL, [ids])).rows;
  const before = new Map((await read()).map((g) => [g.id, g]));
  const figures = (g: Figures): Figures => ({ households: g.households, residents: g.residents, residents60Plus: g.residents60Plus, residents80Plus: g.residents80Plus });
  return {
    after: async () => (await read()).map((g) => ({ ...g, before: figures(before.get(g.id) ?? g) })),
  };
}

function assertFigures(f: Figures) {
  for (const key of ['households', 'residents', 'residents60Plus', 'residents80Plus'] as const) {
    if (!Number.isInteger(f[key]) || f[key] < 0) throw badRequest('buildings.wholeNumber', { field: key });
  }
  if (f.residents60Plus > f.residents) throw badRequest('buildings.over60MoreThanResidents', { r60: f.residents60Plus, residents: f.residents });
  if (f.residents80Plus > f.residents60Plus) throw badRequest('buildings.over80MoreThan60', { r80: f.residents80Plus, r60: f.residents60Plus });
}

/** The community of a point: its grid's (refused outside every grid where grids exist), else the outline holding it. */
async function placeOne(client: Pick<PoolClient, 'query'>, p: { lon: number; lat: number }, actor: Actor): Promise<string | null> {
  const { rows: [r] } = await client.query<{ grid_community: string | null; outline_community: string | null; has_grids: boolean }>(
    `SELECT (SELECT g.community_code FROM grid g WHERE g.retired_at IS NULL AND ST_Covers(g.geom, pt) ORDER BY g.code LIMIT 1) AS grid_community,
            (SELECT a.code FROM admin_area a WHERE a.level = 'community' AND a.retired_at IS NULL AND ST_Covers(a.geom, pt) ORDER BY a.code LIMIT 1) AS outline_community,
            EXISTS (SELECT 1 FROM grid WHERE retired_at IS NULL) AS has_grids
       FROM (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS pt) x`, [p.lon, p.lat]);
  if (r!.has_grids && !r!.grid_community) throw unprocessable('buildings.outsideGrids', { x: p.lon.toFixed(6), y: p.lat.toFixed(6) });
  const community = r!.grid_community ?? r!.outline_community;
  if (actor.user.scopeAreaCode && !(community ?? '').startsWith(actor.user.scopeAreaCode)) throw forbidden('buildings.pointOutsideYourArea', { scope: actor.user.scopeAreaCode });
  return community;
}

async function assertCodeFree(client: Pick<PoolClient, 'query'>, communityCode: string | null, code: string | null, selfId: number | null) {
  if (!code) return;
  if (!/^\d{5}$/.test(code) || code === '00000') throw badRequest('buildings.badCode', { code });
  const { rows: [other] } = await client.query(
    `SELECT id FROM building WHERE retired_at IS NULL AND community_code IS NOT DISTINCT FROM $1 AND building_code = $2 AND id IS DISTINCT FROM $3`, [communityCode, code, selfId]);
  if (other) throw conflict('buildings.codeUsed', { code, other: other.id, community: communityCode ?? '(none)' });
}
