/**
 * The versioned grid store: every write goes through here, inside a transaction, so that each
 * change locks the grids it touches, refuses a stale version (409 with what changed), refuses
 * an outline that is invalid or overlaps a neighbour (422 naming the neighbour and the area),
 * and writes the new version to the history.
 */
import type { PoolClient } from '../../db/pool.js';
import { badRequest, conflict, forbidden, notFound, phrase, unprocessable } from '../../shared/errors.js';
import { distancePhrase } from '../../shared/refusals.js';
import { sqlFile } from '../../shared/sql.js';
import type { SessionUser } from '../auth/roles.js';
import type { GridAttributes, GridNormSettings, StaffInput } from './schemas.js';

const SNAPSHOT_SQL = sqlFile(import.meta.url, 'grid-snapshot.sql');
const BASELINE_SQL = sqlFile(import.meta.url, 'grid-baseline.sql');
const NORMALIZE_SQL = sqlFile(import.meta.url, 'normalize-geometry.sql');
const OVERLAPPING_SQL = sqlFile(import.meta.url, 'overlapping-neighbours.sql');
const SNAP_SQL = sqlFile(import.meta.url, 'snap-to-neighbours.sql');
const OUTSIDE_COMMUNITY_SQL = sqlFile(import.meta.url, 'outside-community.sql');

/** Snapping tolerance for drawn outlines, in degrees: 1e-6° is about 0.1 m at Qindu's latitude. */
export const SNAP_TOLERANCE_DEGREES = 1e-6;

export { unprocessable };

/** What a refusal about an outline names ("grid 610402001012007", "version 3 of grid …"), in the reader's language. */
export type Subject = ReturnType<typeof phrase>;
export const subject = {
  newGrid: () => phrase('subject.newGrid'),
  grid: (grid: string) => phrase('subject.grid', { grid }),
  gridPart: (grid: string) => phrase('subject.gridPart', { grid }),
  mergedGrid: (grid: string) => phrase('subject.mergedGrid', { grid }),
  gridVersion: (grid: string, version: number) => phrase('subject.gridVersion', { grid, version }),
  restoredGrid: (grid: string) => phrase('subject.restoredGrid', { grid }),
};

export interface Actor {
  user: SessionUser;
  ip: string;
}

export interface LockedGrid {
  id: number;
  code: string;
  name: string;
  communityCode: string;
  gridType: 'comprehensive' | 'dedicated';
  dedicatedKind: string | null;
  households: number;
  residents: number;
  residents60Plus: number;
  residents80Plus: number;
  version: number;
  retired: boolean;
  areaSquareMeters: number;
  /** The name is a planner's own, not the numbered one (grid-names.ts). */
  nameIsCustom: boolean;
}

const GRID_COLUMNS = `g.id, g.code, g.name, g.community_code AS "communityCode", g.grid_type AS "gridType",
  g.dedicated_kind AS "dedicatedKind", g.households, g.residents, g.residents_60_plus AS "residents60Plus",
  g.residents_80_plus AS "residents80Plus", g.version, g.retired_at IS NOT NULL AS retired,
  ST_Area(g.geom::geography) AS "areaSquareMeters", g.name_is_custom AS "nameIsCustom"`;

export async function readSettings(client: Pick<PoolClient, 'query'>): Promise<GridNormSettings> {
  const { rows } = await client.query(
    `SELECT urban_households_min AS "urbanHouseholdsMin", urban_households_max AS "urbanHouseholdsMax",
            rural_households_min AS "ruralHouseholdsMin", rural_households_max AS "ruralHouseholdsMax",
            households_per_manager AS "householdsPerManager", sliver_tolerance_square_meters AS "sliverToleranceSquareMeters",
            dedicated_sequence_start AS "dedicatedSequenceStart"
       FROM grid_norm_setting WHERE id = 1`,
  );
  return rows[0];
}

/** A planner limited to a street or community may change only the grids inside it. */
export function assertInScope(user: SessionUser, communityCode: string) {
  if (user.scopeAreaCode && !communityCode.startsWith(user.scopeAreaCode)) {
    throw forbidden('grids.outsideYourArea', { community: communityCode, scope: user.scopeAreaCode });
  }
}

const FIELD_COLUMNS: Record<string, string> = {
  code: 'code',
  name: 'name',
  grid_type: 'gridType',
  dedicated_kind: 'dedicatedKind',
  households: 'households',
  residents: 'residents',
  residents_60_plus: 'residents60Plus',
  residents_80_plus: 'residents80Plus',
  staff: 'staff',
  retired: 'retired',
};

/**
 * Locks the grids (in id order, so that two edits never deadlock) and checks that each is live
 * and at the version the caller read. A stale version is refused with a 409 that says who
 * changed the grid, when, and which fields.
 */
export async function lockGrids(client: PoolClient, refs: readonly { id: number; version: number }[], actor: Actor): Promise<LockedGrid[]> {
  const ids = [...new Set(refs.map((r) => r.id))].sort((a, b) => a - b);
  if (ids.length !== refs.length) throw badRequest('grids.namedTwice');
  const { rows } = await client.query<LockedGrid>(`SELECT ${GRID_COLUMNS} FROM grid g WHERE g.id = ANY($1::bigint[]) ORDER BY g.id FOR UPDATE`, [ids]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const locked: LockedGrid[] = [];
  for (const ref of refs) {
    const grid = byId.get(ref.id);
    if (!grid) throw notFound('grids.notFound', { id: ref.id });
    assertInScope(actor.user, grid.communityCode);
    if (grid.version !== ref.version) await throwStale(client, grid, ref.version);
    if (grid.retired) throw conflict('grids.retired', { grid: grid.code }, { gridId: grid.id, code: grid.code });
    locked.push(grid);
  }
  return locked;
}

async function throwStale(client: PoolClient, grid: LockedGrid, readVersion: number): Promise<never> {
  const { rows } = await client.query(
    `SELECT v.version, v.action, v.reason, v.changed_by_username AS "changedBy", v.changed_at AS "changedAt",
            v.code, v.name, v.grid_type, v.dedicated_kind, v.households, v.residents, v.residents_60_plus,
            v.residents_80_plus, v.staff, v.retired, ST_AsEWKB(v.geom) AS geom
       FROM grid_version v WHERE v.grid_id = $1 AND v.version IN ($2, $3) ORDER BY v.version`,
    [grid.id, readVersion, grid.version],
  );
  const read = rows.find((r) => r.version === readVersion);
  const current = rows.find((r) => r.version === grid.version);
  let changedFields: string[] = [];
  if (read && current) {
    changedFields = Object.entries(FIELD_COLUMNS)
      .filter(([column]) => JSON.stringify(read[column]) !== JSON.stringify(current[column]))
      .map(([, field]) => field);
    if (!Buffer.from(read.geom).equals(Buffer.from(current.geom))) changedFields.unshift('geometry');
  }
  const who = current?.changedBy ? ` by ${current.changedBy}` : '';
  const when = current?.changedAt ? ` at ${new Date(current.changedAt).toISOString()}` : '';
  throw conflict(
    'grids.stale',
    { grid: grid.code, by: who, at: when, currentVersion: grid.version, readVersion, fields: changedFields.length ? `: ${changedFields.join(', ')} changed` : '' },
    {
      gridId: grid.id,
      code: grid.code,
      readVersion,
      currentVersion: grid.version,
      changedBy: current?.changedBy ?? null,
      changedAt: current?.changedAt ?? null,
      action: current?.action ?? null,
      changedFields,
    },
  );
}

export interface NormalizedGeometry {
  /** EWKB of the MultiPolygon to store. */
  ewkb: Buffer;
}

/**
 * Checks a drawn outline (GeoJSON) and snaps it to its neighbours. Refuses with a 422 and the
 * reason and place PostGIS gives when it is not a valid (Multi)Polygon.
 */
export async function normalizeOutline(
  client: Pick<PoolClient, 'query'>,
  geometry: unknown,
  options: { excludeIds: readonly number[]; communityCode: string; label: Subject },
): Promise<NormalizedGeometry> {
  let row;
  try {
    ({ rows: [row] } = await client.query(NORMALIZE_SQL, [JSON.stringify(geometry), options.excludeIds, SNAP_TOLERANCE_DEGREES, options.communityCode]));
  } catch (error) {
    throw unprocessable('grids.notReadable', { subject: options.label, detail: (error as Error).message });
  }
  if (!['ST_Polygon', 'ST_MultiPolygon'].includes(row.geometry_type)) {
    throw unprocessable('grids.notPolygon', { subject: options.label, type: String(row.geometry_type).replace('ST_', '') });
  }
  if (!(row.xmin >= 73 && row.xmax <= 136 && row.ymin >= 3 && row.ymax <= 54)) {
    throw unprocessable('grids.notChina', { subject: options.label, x: row.xmin, y: row.ymin });
  }
  if (!row.valid) {
    const where = row.lon === null ? '' : ` at (${Number(row.lon).toFixed(6)}, ${Number(row.lat).toFixed(6)})`;
    throw unprocessable('grids.invalidOutline', { subject: options.label, reason: row.reason, where }, {
      reason: row.reason,
      location: row.lon === null ? null : [row.lon, row.lat],
    });
  }
  return { ewkb: row.ewkb };
}

/** Snaps a computed outline (EWKB) onto the grids around it other than `excludeIds`. */
export async function snapToNeighbours(client: Pick<PoolClient, 'query'>, ewkb: Buffer, excludeIds: readonly number[], communityCode: string): Promise<Buffer> {
  const { rows: [row] } = await client.query<{ ewkb: Buffer }>(SNAP_SQL, [ewkb, excludeIds, SNAP_TOLERANCE_DEGREES, communityCode]);
  return row!.ewkb;
}

/**
 * Refuses an outline that overlaps a live grid other than `excludeIds` by at least the sliver
 * tolerance: 422 naming the neighbour (code and name) and the overlap in m².
 */
export async function assertNoOverlap(
  client: Pick<PoolClient, 'query'>,
  outline: NormalizedGeometry,
  options: { excludeIds: readonly number[]; label: Subject; toleranceSquareMeters: number },
) {
  const { rows } = await client.query<{ id: number; code: string; name: string; area_m2: number }>(OVERLAPPING_SQL, [outline.ewkb, options.excludeIds]);
  const overlaps = rows.filter((r) => r.area_m2 >= options.toleranceSquareMeters);
  if (overlaps.length === 0) return;
  const list = overlaps.map((o) => phrase('subject.overlapWith', { grid: o.code, name: o.name, areaSquareMeters: o.area_m2 }));
  throw unprocessable('grids.overlap', { subject: options.label, overlaps: list }, {
    overlaps: overlaps.map((o) => ({ gridId: o.id, code: o.code, name: o.name, areaSquareMeters: Math.round(o.area_m2 * 100) / 100 })),
  });
}

/**
 * Refuses an outline that lies outside its community by at least the sliver tolerance: 422
 * naming the community, the area outside in m² and how far it reaches beyond the outline.
 * A smaller spill, or one thinner than the tolerance's side (√tolerance m), is a sliver (reported by validation, repaired in one click). A community
 * without an outline yet cannot be checked: the save goes through and validation says so.
 * Validation (sql/validate.sql, 'outside_community') judges alike, as an error.
 */
export async function assertInsideCommunity(
  client: Pick<PoolClient, 'query'>,
  outline: { ewkb: Buffer },
  options: { communityCode: string; label: Subject; toleranceSquareMeters: number },
) {
  const { rows: [spill] } = await client.query<{ code: string; name: string; area_m2: number; distance_m: number }>(
    OUTSIDE_COMMUNITY_SQL, [outline.ewkb, options.communityCode]);
  // A sliver: under the tolerance, or thinner than its side (validate.sql draws the same line).
  if (!spill || spill.area_m2 < options.toleranceSquareMeters || spill.distance_m < Math.sqrt(options.toleranceSquareMeters)) return;
  throw unprocessable(
    'grids.outsideCommunity',
    { subject: options.label, community: spill.code, communityName: spill.name, areaSquareMeters: spill.area_m2, distance: distancePhrase(spill.distance_m) },
    {
      community: { code: spill.code, name: spill.name },
      areaSquareMeters: Math.round(spill.area_m2 * 100) / 100,
      distanceMeters: Math.round(spill.distance_m * 10) / 10,
    },
  );
}

/** "16.6 km" or "37 m". */
export function formatMeters(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} km` : `${Math.round(value)} m`;
}

/** Writes the 'original' version row of grids that have none yet (before their first change). */
export async function ensureBaseline(client: Pick<PoolClient, 'query'>, ids: readonly number[]) {
  await client.query(BASELINE_SQL, [ids]);
}

/** Records the current state of grids as their new version. */
export async function recordVersions(client: Pick<PoolClient, 'query'>, ids: readonly number[], action: string, reason: string, actor: Actor) {
  await client.query(SNAPSHOT_SQL, [ids, action, actor.user.id, actor.user.username, reason]);
}

/** Applies form attributes (absent = unchanged) and bumps the version. */
export async function updateAttributes(client: Pick<PoolClient, 'query'>, grid: LockedGrid, attributes: GridAttributes, geometry: NormalizedGeometry | null) {
  const gridType = attributes.gridType ?? grid.gridType;
  const dedicatedKind = gridType === 'comprehensive' ? null : attributes.dedicatedKind === undefined ? grid.dedicatedKind : attributes.dedicatedKind;
  if (gridType === 'dedicated' && !dedicatedKind) throw badRequest('grids.dedicatedKindRequired');
  const figures = {
    households: attributes.households ?? grid.households,
    residents: attributes.residents ?? grid.residents,
    residents60Plus: attributes.residents60Plus ?? grid.residents60Plus,
    residents80Plus: attributes.residents80Plus ?? grid.residents80Plus,
  };
  if (!(figures.residents80Plus <= figures.residents60Plus && figures.residents60Plus <= figures.residents)) {
    throw badRequest('grids.residentsOrder', { r80: figures.residents80Plus, r60: figures.residents60Plus, residents: figures.residents });
  }
  await client.query(
    `UPDATE grid SET name = $2, grid_type = $3, dedicated_kind = $4, households = $5, residents = $6,
            residents_60_plus = $7, residents_80_plus = $8,
            geom = coalesce(ST_GeomFromEWKB($9), geom), version = version + 1, updated_at = now()
      WHERE id = $1`,
    [grid.id, attributes.name ?? grid.name, gridType, dedicatedKind, figures.households, figures.residents,
      figures.residents60Plus, figures.residents80Plus, geometry?.ewkb ?? null],
  );
  await replaceStaff(client, grid.id, attributes);
}

/**
 * Replaces the grid leader and/or the grid managers when the form sends them. A post that stays
 * (same name and phone) keeps its row and its account link unless `userId` says otherwise; a
 * linked account must be an active grid worker, and serves a grid at most once.
 */
export async function replaceStaff(client: Pick<PoolClient, 'query'>, gridId: number, staff: { gridLeader?: StaffInput | null; gridManagers?: StaffInput[] }) {
  await assertLinkableAccounts(client, staff);
  const { rows } = await client.query<{ id: number; role: 'leader' | 'manager'; name: string; phone: string | null; user_id: number | null }>(
    `SELECT id, role, name, phone, user_id FROM grid_staff WHERE grid_id = $1 ORDER BY id`, [gridId]);
  const sameHolder = (row: { name: string; phone: string | null }, input: StaffInput) =>
    row.name === input.name.trim() && (row.phone ?? null) === (input.phone ?? null);
  const toDelete: number[] = [];
  const toUpdate: { id: number; userId: number | null }[] = [];
  const toInsert: { role: 'leader' | 'manager'; input: StaffInput }[] = [];
  const plan = (role: 'leader' | 'manager', inputs: StaffInput[]) => {
    const remaining = rows.filter((r) => r.role === role);
    for (const input of inputs) {
      const index = remaining.findIndex((r) => sameHolder(r, input));
      if (index < 0) {
        toInsert.push({ role, input });
        continue;
      }
      const [row] = remaining.splice(index, 1);
      if (input.userId !== undefined && input.userId !== row!.user_id) toUpdate.push({ id: row!.id, userId: input.userId });
    }
    toDelete.push(...remaining.map((r) => r.id));
  };
  if (staff.gridLeader !== undefined) plan('leader', staff.gridLeader ? [staff.gridLeader] : []);
  if (staff.gridManagers !== undefined) plan('manager', staff.gridManagers);
  // Deletions and unlinks first, so that a link may move from one post of the grid to another.
  if (toDelete.length) await client.query('DELETE FROM grid_staff WHERE id = ANY($1::bigint[])', [toDelete]);
  for (const update of toUpdate.filter((u) => u.userId === null)) await client.query('UPDATE grid_staff SET user_id = NULL WHERE id = $1', [update.id]);
  const linkedElsewhere = async (userId: number | null | undefined) => {
    if (!userId) return;
    const { rows: [other] } = await client.query(`SELECT role FROM grid_staff WHERE grid_id = $1 AND user_id = $2`, [gridId, userId]);
    if (other) throw badRequest('grids.staffTwicePost', { user: userId, role: other.role });
  };
  for (const update of toUpdate.filter((u) => u.userId !== null)) {
    await linkedElsewhere(update.userId);
    await client.query('UPDATE grid_staff SET user_id = $2 WHERE id = $1', [update.id, update.userId]);
  }
  for (const { role, input } of toInsert) {
    await linkedElsewhere(input.userId);
    await client.query(`INSERT INTO grid_staff (grid_id, role, name, phone, user_id) VALUES ($1, $2, $3, $4, $5)`,
      [gridId, role, input.name.trim(), input.phone ?? null, input.userId ?? null]);
  }
}

/** Refuses links to accounts that are not active grid workers, or one account named twice. */
export async function assertLinkableAccounts(client: Pick<PoolClient, 'query'>, staff: { gridLeader?: StaffInput | null; gridManagers?: StaffInput[] }) {
  const named = [
    ...(staff.gridLeader?.userId ? [{ field: 'gridLeader/userId', userId: staff.gridLeader.userId }] : []),
    ...(staff.gridManagers ?? []).flatMap((m, i) => (m.userId ? [{ field: `gridManagers/${i}/userId`, userId: m.userId }] : [])),
  ];
  if (named.length === 0) return;
  const seen = new Set<number>();
  for (const { field, userId } of named) {
    if (seen.has(userId)) throw badRequest('grids.staffNamedTwice', { field, user: userId });
    seen.add(userId);
  }
  const { rows } = await client.query<{ id: number }>(
    `SELECT id FROM app_user WHERE id = ANY($1::bigint[]) AND role = 'grid_worker' AND is_active`, [[...seen]]);
  const ok = new Set(rows.map((r) => Number(r.id)));
  const bad = named.find((n) => !ok.has(n.userId));
  if (bad) throw badRequest('grids.staffNotWorker', { field: bad.field, user: bad.userId });
}

export async function currentRefs(client: Pick<PoolClient, 'query'>, ids: readonly number[]) {
  const { rows } = await client.query<{ id: number; code: string; version: number; retired: boolean }>(
    `SELECT id, code, version, retired_at IS NOT NULL AS retired FROM grid WHERE id = ANY($1::bigint[]) ORDER BY code`, [ids]);
  return rows;
}
