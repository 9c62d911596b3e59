/**
 * The versioned area store: the one way an area's outline is written (drawn, edited, derived,
 * restored). Inside a transaction it locks the area, refuses a stale version (409 saying who
 * changed what, when), normalises a drawn outline (validity with reason and place, snapped onto
 * its siblings and its parent's outline), refuses what would break the tiling of its level or
 * of the level below (422: overlap with a sibling, spill out of the parent, a grid or child
 * area left outside — each named, with the m²), writes the new version to area_version and
 * audits it. Gaps left in the parent are reported, not refused.
 */
import type { PoolClient } from '../../db/pool.js';
import { conflict, forbidden, notFound, phrase } from '../../shared/errors.js';
import { sqlFile } from '../../shared/sql.js';
import { createAuditRepository } from '../audit/audit-repository.js';
import type { SessionUser } from '../auth/roles.js';
import { SNAP_TOLERANCE_DEGREES, readSettings, unprocessable, type Actor } from '../grids/grid-store.js';
import type { RefusalCode } from '../../shared/refusals.js';
import type { AreaFitFinding } from './outline-schemas.js';

const NORMALIZE_SQL = sqlFile(import.meta.url, 'area-normalize.sql');
const FIT_SQL = sqlFile(import.meta.url, 'area-fit.sql');
const BASELINE_SQL = sqlFile(import.meta.url, 'area-baseline.sql');

export interface LockedArea {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parentCode: string | null;
  version: number;
  retired: boolean;
  hasOutline: boolean;
}

export type OutlineAction = 'draw' | 'derive' | 'restore' | 'import';
const SOURCE_OF: Record<OutlineAction, 'drawn' | 'derived' | 'import' | null> = { draw: 'drawn', derive: 'derived', import: 'import', restore: null };

/** A planner limited to a street or community may change only the areas inside it. */
export function assertAreaInScope(user: SessionUser, code: string) {
  if (user.scopeAreaCode && !code.startsWith(user.scopeAreaCode)) {
    throw forbidden('areas.outsideYourArea', { code, scope: user.scopeAreaCode });
  }
}

/** Locks the area and checks that it is live and at the version the caller read. */
export async function lockArea(client: PoolClient, code: string, readVersion: number, actor: Actor): Promise<LockedArea> {
  assertAreaInScope(actor.user, code);
  const { rows: [area] } = await client.query<LockedArea>(
    `SELECT code, name, level, parent_code AS "parentCode", version, retired_at IS NOT NULL AS retired, geom IS NOT NULL AS "hasOutline"
       FROM admin_area WHERE code = $1 FOR UPDATE`, [code]);
  if (!area) throw notFound('areas.notFound', { code });
  if (area.version !== readVersion) await throwStale(client, area, readVersion);
  if (area.retired) throw conflict('areas.retired', { code, name: area.name }, { code });
  if (area.level === 'city') throw unprocessable('areas.cityOutline', { code });
  return area;
}

async function throwStale(client: PoolClient, area: LockedArea, readVersion: number): Promise<never> {
  const { rows } = await client.query(
    `SELECT version, action, changed_by_username AS "changedBy", changed_at AS "changedAt", name, parent_code, urban_rural_class, retired,
            ST_AsEWKB(geom) AS geom
       FROM area_version WHERE area_code = $1 AND version IN ($2, $3)`, [area.code, readVersion, area.version]);
  const read = rows.find((r) => r.version === readVersion);
  const current = rows.find((r) => r.version === area.version);
  let changedFields: string[] = [];
  if (read && current) {
    const sameGeometry = read.geom === null || current.geom === null ? read.geom === current.geom : Buffer.from(read.geom).equals(Buffer.from(current.geom));
    if (!sameGeometry) changedFields.push('outline');
    changedFields.push(...(['name', 'parent_code', 'urban_rural_class', 'retired'] as const).filter((k) => read[k] !== current[k]).map((k) => (k === 'parent_code' ? 'parent' : k)));
  } else if (current?.action) {
    changedFields = [current.action === 'rename' ? 'name' : 'outline'];
  }
  const who = current?.changedBy ? ` by ${current.changedBy}` : '';
  const when = current?.changedAt ? ` at ${new Date(current.changedAt).toISOString()}` : '';
  throw conflict(
    'areas.stale',
    {
      code: area.code,
      name: area.name,
      by: who,
      at: when,
      currentVersion: area.version,
      readVersion,
      fields: changedFields.length ? `: ${changedFields.join(', ')} changed` : '',
    },
    {
      code: area.code,
      readVersion,
      currentVersion: area.version,
      changedBy: current?.changedBy ?? null,
      changedAt: current?.changedAt ?? null,
      action: current?.action ?? null,
      changedFields,
    },
  );
}

/** Checks a drawn outline (GeoJSON) and snaps it onto its siblings and its parent's outline. */
export async function normalizeAreaOutline(client: Pick<PoolClient, 'query'>, geometry: unknown, area: { code: string; name: string }): Promise<Buffer> {
  const label = phrase('areas.outlineOf', { code: area.code, name: area.name });
  let row;
  try {
    ({ rows: [row] } = await client.query(NORMALIZE_SQL, [JSON.stringify(geometry), area.code, SNAP_TOLERANCE_DEGREES]));
  } catch (error) {
    throw unprocessable('areas.notReadable', { detail: (error as Error).message });
  }
  if (!['ST_Polygon', 'ST_MultiPolygon'].includes(row.geometry_type)) {
    throw unprocessable('areas.notPolygon', { type: String(row.geometry_type).replace('ST_', '') });
  }
  if (!(row.xmin >= 73 && row.xmax <= 136 && row.ymin >= 3 && row.ymax <= 54)) {
    throw unprocessable('areas.notChina', { x: row.xmin, y: row.ymin });
  }
  if (!row.valid) {
    const where = row.lon === null ? '' : phrase('areas.at', { x: Number(row.lon).toFixed(6), y: Number(row.lat).toFixed(6) });
    throw unprocessable('areas.invalidOutline', { label, reason: row.reason, where }, { reason: row.reason, location: row.lon === null ? null : [row.lon, row.lat] });
  }
  return row.ewkb;
}

/** Every way the outline would (not) fit, without refusing: for previews. */
export async function areaFit(client: Pick<PoolClient, 'query'>, code: string, ewkb: Buffer): Promise<AreaFitFinding[]> {
  const { rows } = await client.query(FIT_SQL, [ewkb, code]);
  return rows.map((r) => ({
    kind: r.kind,
    code: r.code,
    name: r.name,
    areaSquareMeters: Math.round(r.area_m2 * 100) / 100,
    geometry: r.geometry ?? null,
    bbox: r.bbox ?? null,
  }));
}

/** The phrase of a finding that refuses a write, for the refusal (said in the reader's language). */
const BLOCKING_FIT: Record<string, RefusalCode> = {
  overlap: 'areas.fitOverlap',
  outside_parent: 'areas.fitOutsideParent',
  grid_outside: 'areas.fitGridOutside',
  child_outside: 'areas.fitChildOutside',
};

/** The findings that refuse a write: all but gaps, from the sliver tolerance up. */
export function blockingFindings(findings: readonly AreaFitFinding[], toleranceSquareMeters: number) {
  return findings.filter((f) => f.kind !== 'gap' && f.areaSquareMeters >= toleranceSquareMeters);
}

/** Gaps from the sliver tolerance up (smaller ones are dust of the drawing). */
export function reportedGaps(findings: readonly AreaFitFinding[], toleranceSquareMeters: number) {
  return findings.filter((f) => f.kind === 'gap' && f.areaSquareMeters >= toleranceSquareMeters);
}

export interface OutlineWrite {
  code: string;
  version: number;
  areaSquareMeters: number;
  outlineSource: string | null;
  /** Gaps the area and its siblings leave in the parent, in m² (allowed, reported). */
  gaps: AreaFitFinding[];
}

/**
 * Writes `ewkb` as the outline of a locked area, after the tiling checks; records the version
 * and the audit entry in the same transaction.
 */
export async function writeAreaOutline(
  client: PoolClient,
  actor: Actor,
  area: LockedArea,
  ewkb: Buffer,
  change: { action: OutlineAction; reason: string; detail?: Record<string, unknown>; source?: 'drawn' | 'derived' | 'import' | 'demo' | null },
): Promise<OutlineWrite> {
  const { sliverToleranceSquareMeters: tolerance } = await readSettings(client);
  const findings = await areaFit(client, area.code, ewkb);
  const blocking = blockingFindings(findings, tolerance);
  if (blocking.length) {
    throw unprocessable('areas.fitBlocked', { code: area.code, name: area.name, detail: blocking.map((f) => ({ code: BLOCKING_FIT[f.kind]!, params: { code: f.code, name: f.name, squareMeters: f.areaSquareMeters } })) }, { findings: blocking });
  }
  await client.query(BASELINE_SQL, [area.code]);
  const source = change.source !== undefined ? change.source : SOURCE_OF[change.action];
  const { rows: [written] } = await client.query<{ version: number; area_m2: number; outline_source: string | null }>(
    `UPDATE admin_area SET geom = ST_Multi(ST_GeomFromEWKB($2)), outline_source = $3, version = version + 1, updated_at = now()
      WHERE code = $1 RETURNING version, ST_Area(geom::geography) AS area_m2, outline_source`, [area.code, ewkb, source]);
  await client.query(
    `INSERT INTO area_version (area_code, version, name, parent_code, urban_rural_class, geom, retired, action, reason, changed_by, changed_by_username)
     SELECT code, version, name, parent_code, urban_rural_class, geom, false, $2, $3, $4, $5 FROM admin_area WHERE code = $1`,
    [area.code, change.action, change.reason, actor.user.id, actor.user.username]);
  await createAuditRepository(client).record({
    actorUserId: actor.user.id, actorUsername: actor.user.username, action: `area.${change.action}`, targetType: 'area', targetId: area.code,
    ip: actor.ip, success: true, detail: { version: written!.version, areaSquareMeters: Math.round(written!.area_m2), ...change.detail },
  }, client);
  return {
    code: area.code,
    version: written!.version,
    areaSquareMeters: Math.round(written!.area_m2 * 10) / 10,
    outlineSource: written!.outline_source,
    gaps: reportedGaps(findings, tolerance),
  };
}
