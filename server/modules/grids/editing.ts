/**
 * The planner's edits: create, update (outline and attributes), split by a line, merge, reshape a
 * shared boundary, restore an old version, retire, and the one-click sliver repair. Each runs in
 * one transaction through the versioned store, and returns the grids as they are afterwards with
 * the validation of the communities it touched.
 */
import type { Pool, PoolClient } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { badRequest, conflict, notFound } from '../../shared/errors.js';
import { sqlFile } from '../../shared/sql.js';
import { createAuditRepository } from '../audit/audit-repository.js';
import { lockCommunityCodes, nextFreeCodes } from './code-allocation.js';
import { numberedNameFor, renameNumbered } from './grid-names.js';
import {
  assertInScope,
  assertInsideCommunity,
  assertNoOverlap,
  currentRefs,
  ensureBaseline,
  lockGrids,
  normalizeOutline,
  readSettings,
  recordVersions,
  replaceStaff,
  snapToNeighbours,
  subject,
  unprocessable,
  updateAttributes,
  type Actor,
  type LockedGrid,
  type NormalizedGeometry,
  type Subject,
} from './grid-store.js';
import type { GridAttributes, StaffInput, ValidationReport } from './schemas.js';
import { validateLiveCommunities } from './validation.js';
import { gridBuildingFigures, recountGrids } from '../buildings/building-repository.js';

const SPLIT_SQL = sqlFile(import.meta.url, 'split.sql');
const REPAIR_OVERLAP_SQL = sqlFile(import.meta.url, 'repair-slivers.sql');
const REPAIR_OUTSIDE_SQL = sqlFile(import.meta.url, 'repair-outside-slivers.sql');
const REPAIR_GAP_SQL = sqlFile(import.meta.url, 'repair-gap-slivers.sql');

type Line = { type: 'LineString'; coordinates: number[][] };

export interface EditOutcome {
  grids: { id: number; code: string; version: number; retired: boolean }[];
  validation: ValidationReport;
}

/** Splits a number into integer shares proportional to weights, summing exactly to the total. */
export function apportionInteger(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (weights.length === 0) return [];
  if (!(sum > 0)) return weights.map((_, i) => (i === 0 ? total : 0));
  const raw = weights.map((w) => (total * w) / sum);
  const result = raw.map(Math.floor);
  let left = total - result.reduce((s, v) => s + v, 0);
  const order = raw.map((v, i) => ({ i, frac: v - Math.floor(v) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) result[order[k]!.i]! += 1;
  return result;
}

/**
 * A grid that holds buildings has the figures of its buildings: a form may send them back
 * unchanged, but not change them (400 saying where the figures come from).
 */
async function assertFiguresEditable(client: PoolClient, grid: LockedGrid, body: GridAttributes) {
  const keys = ['households', 'residents', 'residents60Plus', 'residents80Plus'] as const;
  const changed = keys.filter((k) => body[k] !== undefined && body[k] !== grid[k]);
  if (changed.length === 0) return;
  const sums = (await gridBuildingFigures(client, [grid.id])).get(grid.id);
  if (sums && sums.buildings > 0) {
    throw badRequest('grids.figuresFromBuildings', { field: changed[0]!, grid: grid.code, buildings: sums.buildings },
      { buildings: sums.buildings });
  }
}

export function createGridEditing(pool: Pool) {
  const audit = createAuditRepository(pool);

  async function report(client: PoolClient, communityCodes: string[]): Promise<ValidationReport> {
    const codes = [...new Set(communityCodes)].sort();
    const findings = await validateLiveCommunities(client, codes);
    return {
      communityCodes: codes,
      errorCount: findings.filter((f) => f.severity === 'error').length,
      warningCount: findings.filter((f) => f.severity === 'warning').length,
      findings,
    };
  }

  async function finish(client: PoolClient, actor: Actor, action: string, ids: number[], communityCodes: string[], detail: Record<string, unknown>, reason?: string): Promise<EditOutcome> {
    const grids = await currentRefs(client, ids);
    // The reason goes with the entry, so that the audit log can say why (变更原因).
    if (reason?.trim()) detail = { ...detail, reason: reason.trim() };
    await audit.record(
      { actorUserId: actor.user.id, actorUsername: actor.user.username, action, targetType: 'grid', targetId: grids.map((g) => g.code).join(','), ip: actor.ip, success: true, detail },
      client,
    );
    return { grids, validation: await report(client, communityCodes) };
  }

  /** Normalises and checks outlines that replace `editedIds` together (no overlap with anyone else, nor with each other). */
  async function checkedOutlines(client: PoolClient, outlines: { geometry: unknown; label: Subject; communityCode: string }[], editedIds: number[], tolerance: number) {
    const normalized: NormalizedGeometry[] = [];
    for (const o of outlines) {
      const n = await normalizeOutline(client, o.geometry, { excludeIds: editedIds, communityCode: o.communityCode, label: o.label });
      await assertNoOverlap(client, n, { excludeIds: editedIds, label: o.label, toleranceSquareMeters: tolerance });
      await assertInsideCommunity(client, n, { communityCode: o.communityCode, label: o.label, toleranceSquareMeters: tolerance });
      normalized.push(n);
    }
    for (let i = 0; i < normalized.length; i++) {
      for (let j = i + 1; j < normalized.length; j++) {
        const { rows: [r] } = await client.query(
          `SELECT CASE WHEN ST_Relate(a, b, '2********') THEN ST_Area(ST_Intersection(a, b)::geography) ELSE 0 END AS area_m2
             FROM (SELECT ST_GeomFromEWKB($1) AS a, ST_GeomFromEWKB($2) AS b) x`, [normalized[i]!.ewkb, normalized[j]!.ewkb]);
        if (r.area_m2 >= tolerance) throw unprocessable('grids.pairOverlap', { a: outlines[i]!.label, b: outlines[j]!.label, areaSquareMeters: r.area_m2 });
      }
    }
    return normalized;
  }

  return {
    async create(actor: Actor, body: GridAttributes & { communityCode: string; geometry: unknown; reason?: string }): Promise<EditOutcome> {
      assertInScope(actor.user, body.communityCode);
      return withTransaction(pool, async (client) => {
        const { rows: [community] } = await client.query(`SELECT code FROM admin_area WHERE code = $1 AND level = 'community'`, [body.communityCode]);
        if (!community) throw notFound('grids.noCommunity', { community: body.communityCode });
        const settings = await readSettings(client);
        const [outline] = await checkedOutlines(client, [{ geometry: body.geometry, label: subject.newGrid(), communityCode: body.communityCode }], [], settings.sliverToleranceSquareMeters);
        const gridType = body.gridType ?? 'comprehensive';
        if (gridType === 'dedicated' && !body.dedicatedKind) throw badRequest('grids.dedicatedKindRequired');
        await lockCommunityCodes(client, body.communityCode);
        const [code] = await nextFreeCodes(client, body.communityCode, 1, gridType === 'dedicated', settings.dedicatedSequenceStart);
        const { rows: [grid] } = await client.query<{ id: number }>(
          `INSERT INTO grid (code, name, community_code, grid_type, dedicated_kind, geom, households, residents, residents_60_plus, residents_80_plus, name_is_custom)
           VALUES ($1, $2, $3, $4, $5, ST_GeomFromEWKB($6), $7, $8, $9, $10, $11) RETURNING id`,
          [code, body.name?.trim() || (await numberedNameFor(client, body.communityCode, code!)), body.communityCode, gridType, gridType === 'dedicated' ? body.dedicatedKind : null, outline!.ewkb,
            body.households ?? 0, body.residents ?? 0, body.residents60Plus ?? 0, body.residents80Plus ?? 0, !!body.name?.trim() || gridType === 'dedicated'],
        );
        await replaceStaff(client, grid!.id, body);
        // Where the new outline holds buildings, its figures are theirs, whatever the form said.
        await recountGrids(client, [grid!.id]);
        await recordVersions(client, [grid!.id], 'create', body.reason ?? '', actor);
        return finish(client, actor, 'grid.create', [grid!.id], [body.communityCode], {}, body.reason);
      });
    },

    async update(actor: Actor, id: number, body: GridAttributes & { version: number; geometry?: unknown; reason?: string }): Promise<EditOutcome> {
      return withTransaction(pool, async (client) => {
        const [grid] = await lockGrids(client, [{ id, version: body.version }], actor);
        const settings = await readSettings(client);
        if (body.geometry && !body.reason?.trim()) throw badRequest('grids.reasonRequired');
        const outline = body.geometry
          ? (await checkedOutlines(client, [{ geometry: body.geometry, label: subject.grid(grid!.code), communityCode: grid!.communityCode }], [id], settings.sliverToleranceSquareMeters))[0]!
          : null;
        await assertFiguresEditable(client, grid!, body);
        await ensureBaseline(client, [id]);
        await updateAttributes(client, grid!, body, outline);
        if (body.name !== undefined && body.name.trim() !== grid!.name) {
          // A name typed by a planner is theirs, unless it is the numbered one itself.
          const numbered = await numberedNameFor(client, grid!.communityCode, grid!.code);
          await client.query(`UPDATE grid SET name_is_custom = $2 WHERE id = $1`, [id, body.name.trim() !== numbered]);
        }
        if (outline) await recountGrids(client, [id]);
        await recordVersions(client, [id], 'update', body.reason ?? '', actor);
        const changed = Object.keys(body).filter((k) => !['version', 'reason', 'gridLeader', 'gridManagers'].includes(k));
        if (body.gridLeader !== undefined || body.gridManagers !== undefined) changed.push('staff');
        return finish(client, actor, 'grid.update', [id], [grid!.communityCode], { fields: changed }, body.reason);
      });
    },

    async split(actor: Actor, id: number, body: { version: number; line: Line; reason?: string }): Promise<EditOutcome> {
      if (!body.reason?.trim()) throw badRequest('grids.reasonRequired');
      return withTransaction(pool, async (client) => {
        const [grid] = await lockGrids(client, [{ id, version: body.version }], actor);
        const settings = await readSettings(client);
        let parts: { ewkb: Buffer; area_m2: number; households: number; residents: number; residents_60_plus: number; residents_80_plus: number }[];
        try {
          ({ rows: parts } = await client.query(SPLIT_SQL, [id, JSON.stringify(body.line)]));
        } catch (error) {
          throw unprocessable('grids.splitFailed', { grid: grid!.code, detail: (error as Error).message });
        }
        if (parts.length < 2) {
          throw unprocessable('grids.splitNotAcross', { grid: grid!.code });
        }
        const tiny = parts.find((p) => p.area_m2 < settings.sliverToleranceSquareMeters * 10);
        if (tiny) throw unprocessable('grids.splitTinyPart', { areaSquareMeters: tiny.area_m2 });
        for (const part of parts) {
          await assertInsideCommunity(client, part, { communityCode: grid!.communityCode, label: subject.gridPart(grid!.code), toleranceSquareMeters: settings.sliverToleranceSquareMeters });
        }
        // Figures follow the buildings in each part; with no buildings, the area.
        const byBuildings = parts.some((p) => p.households > 0);
        const weights = (key: 'households' | 'residents' | 'residents_60_plus' | 'residents_80_plus') =>
          parts.map((p) => (byBuildings ? p[key] : p.area_m2));
        const households = apportionInteger(grid!.households, weights('households'));
        const residents = apportionInteger(grid!.residents, weights('residents'));
        const r60 = apportionInteger(grid!.residents60Plus, weights('residents_60_plus')).map((v, i) => Math.min(v, residents[i]!));
        const r80 = apportionInteger(grid!.residents80Plus, weights('residents_80_plus')).map((v, i) => Math.min(v, r60[i]!));
        await ensureBaseline(client, [id]);
        await client.query(
          `UPDATE grid SET geom = ST_GeomFromEWKB($2), households = $3, residents = $4, residents_60_plus = $5, residents_80_plus = $6,
                  version = version + 1, updated_at = now() WHERE id = $1`,
          [id, parts[0]!.ewkb, households[0], residents[0], r60[0], r80[0]],
        );
        await lockCommunityCodes(client, grid!.communityCode);
        const codes = await nextFreeCodes(client, grid!.communityCode, parts.length - 1, grid!.gridType === 'dedicated', settings.dedicatedSequenceStart);
        const newIds: number[] = [];
        for (let k = 1; k < parts.length; k++) {
          const code = codes[k - 1]!;
          const { rows: [created] } = await client.query<{ id: number }>(
            `INSERT INTO grid (code, name, community_code, grid_type, dedicated_kind, geom, households, residents, residents_60_plus, residents_80_plus, name_is_custom)
             VALUES ($1, $2, $3, $4, $5, ST_GeomFromEWKB($6), $7, $8, $9, $10, $11) RETURNING id`,
            [code, nameForNewPart(grid!.name, code), grid!.communityCode, grid!.gridType, grid!.dedicatedKind, parts[k]!.ewkb,
              households[k], residents[k], r60[k], r80[k], grid!.nameIsCustom],
          );
          newIds.push(created!.id);
        }
        const reason = body.reason ?? '';
        // Parts that hold buildings take their sum exactly (the apportioning above only serves
        // parts without buildings, which share what the grid had entered by area).
        await recountGrids(client, [id, ...newIds]);
        await renameNumbered(client, [id, ...newIds]);
        await recordVersions(client, [id, ...newIds], 'split', reason, actor);
        return finish(client, actor, 'grid.split', [id, ...newIds], [grid!.communityCode], { parts: parts.length, figuresFrom: byBuildings ? 'buildings' : 'area' }, body.reason);
      });
    },

    async merge(actor: Actor, body: { grids: { id: number; version: number }[]; reason?: string }): Promise<EditOutcome> {
      if (!body.reason?.trim()) throw badRequest('grids.reasonRequired');
      return withTransaction(pool, async (client) => {
        const grids = await lockGrids(client, body.grids, actor);
        const keep = grids[0]!;
        const others = grids.slice(1);
        const strangers = others.filter((g) => g.communityCode !== keep.communityCode);
        if (strangers.length) {
          throw badRequest('grids.mergeOtherCommunity', { grids: strangers.map((g) => g.code), keep: keep.code });
        }
        const ids = grids.map((g) => g.id);
        const { rows: [union] } = await client.query<{ ewkb: Buffer; parts: number }>(
          `WITH u AS (SELECT ST_UnaryUnion(ST_Collect(geom)) AS geom FROM grid WHERE id = ANY($1::bigint[]))
           SELECT ST_AsEWKB(ST_Multi(geom)) AS ewkb, ST_NumGeometries(geom) AS parts FROM u`, [ids]);
        if (union!.parts !== 1) {
          throw unprocessable('grids.notAdjacent', { grids: grids.map((g) => g.code), parts: union!.parts });
        }
        const merged = await snapToNeighbours(client, union!.ewkb, ids, keep.communityCode);
        await assertInsideCommunity(client, { ewkb: merged }, { communityCode: keep.communityCode, label: subject.mergedGrid(keep.code), toleranceSquareMeters: (await readSettings(client)).sliverToleranceSquareMeters });
        await ensureBaseline(client, ids);
        const sum = (key: 'households' | 'residents' | 'residents60Plus' | 'residents80Plus') => grids.reduce((s, g) => s + g[key], 0);
        await client.query(
          `UPDATE grid SET geom = ST_GeomFromEWKB($2), households = $3, residents = $4, residents_60_plus = $5, residents_80_plus = $6,
                  version = version + 1, updated_at = now() WHERE id = $1`,
          [keep.id, merged, sum('households'), sum('residents'), sum('residents60Plus'), sum('residents80Plus')],
        );
        const otherIds = others.map((g) => g.id);
        // The managers of the merged grids serve the merged grid (their account links move with
        // them); the kept grid's leader stays, the others' leaders step down.
        await client.query(`UPDATE grid_staff SET grid_id = $1 WHERE grid_id = ANY($2::bigint[]) AND role = 'manager'`, [keep.id, otherIds]);
        const { rows: [hasLeader] } = await client.query(`SELECT 1 FROM grid_staff WHERE grid_id = $1 AND role = 'leader'`, [keep.id]);
        if (!hasLeader) {
          await client.query(
            `UPDATE grid_staff SET grid_id = $1 WHERE id = (SELECT id FROM grid_staff WHERE grid_id = ANY($2::bigint[]) AND role = 'leader' ORDER BY grid_id LIMIT 1)`,
            [keep.id, otherIds]);
        }
        await client.query(`DELETE FROM grid_staff WHERE grid_id = ANY($1::bigint[])`, [otherIds]);
        await client.query(`UPDATE grid SET retired_at = now(), version = version + 1, updated_at = now() WHERE id = ANY($1::bigint[])`, [otherIds]);
        // The merged outline may hold buildings none of the old grids counted (snapped edges):
        // its figures are the sum of what it holds now, not the sum of the old figures.
        await recountGrids(client, [keep.id]);
        await recordVersions(client, ids, 'merge', body.reason ?? '', actor);
        return finish(client, actor, 'grid.merge', ids, [keep.communityCode], { kept: keep.code, retired: others.map((g) => g.code) }, body.reason);
      });
    },

    async reshape(actor: Actor, body: { a: { id: number; version: number }; b: { id: number; version: number }; line?: Line; geometry?: unknown; reason?: string }): Promise<EditOutcome> {
      if (!body.line === !body.geometry) throw badRequest('grids.lineOrGeometry');
      if (!body.reason?.trim()) throw badRequest('grids.reasonRequired');
      return withTransaction(pool, async (client) => {
        const [a, b] = await lockGrids(client, [body.a, body.b], actor);
        if (a!.communityCode !== b!.communityCode) throw badRequest('grids.differentCommunities', { a: a!.code, b: b!.code });
        const settings = await readSettings(client);
        const { rows: [pair] } = await client.query<{ touching: boolean; union: Buffer; parts: number }>(
          `WITH u AS (SELECT ST_UnaryUnion(ST_Collect(geom)) AS geom FROM grid WHERE id IN ($1, $2))
           SELECT (SELECT ST_Intersects(x.geom, y.geom) FROM grid x, grid y WHERE x.id = $1 AND y.id = $2) AS touching,
                  ST_AsEWKB(geom) AS union, ST_NumGeometries(geom) AS parts FROM u`, [a!.id, b!.id]);
        if (!pair!.touching || pair!.parts !== 1) throw unprocessable('grids.noSharedBoundary', { a: a!.code, b: b!.code });
        let newA: Buffer;
        let newB: Buffer;
        if (body.line) {
          // The line is the new boundary: it cuts what the two cover into two parts; each grid
          // takes the part that holds most of it.
          let rows;
          try {
            ({ rows } = await client.query<{ ewkb: Buffer; share_a: number; share_b: number }>(
              `WITH part AS (SELECT (ST_Dump(ST_CollectionExtract(ST_Split(ST_GeomFromEWKB($1), ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326))), 3))).geom AS geom)
               SELECT ST_AsEWKB(ST_Multi(p.geom)) AS ewkb,
                      ST_Area(ST_Intersection(p.geom, (SELECT geom FROM grid WHERE id = $3))) AS share_a,
                      ST_Area(ST_Intersection(p.geom, (SELECT geom FROM grid WHERE id = $4))) AS share_b
               FROM part p`, [pair!.union, JSON.stringify(body.line), a!.id, b!.id]));
          } catch (error) {
            throw unprocessable('grids.boundaryCutFailed', { a: a!.code, b: b!.code, detail: (error as Error).message });
          }
          if (rows.length !== 2) {
            throw unprocessable('grids.boundaryCrossOnce', { parts: rows.length });
          }
          const [p, q] = rows as [typeof rows[0], typeof rows[0]];
          const pIsA = p.share_a - p.share_b >= q.share_a - q.share_b;
          newA = pIsA ? p.ewkb : q.ewkb;
          newB = pIsA ? q.ewkb : p.ewkb;
        } else {
          const outline = await normalizeOutline(client, body.geometry, { excludeIds: [a!.id], communityCode: a!.communityCode, label: subject.grid(a!.code) });
          // a keeps only what the two covered; b takes the rest of it: together they cover
          // exactly what they covered before, so no gap or overlap can appear.
          const { rows: [r] } = await client.query<{ a: Buffer; b: Buffer; a_empty: boolean; b_empty: boolean }>(
            `WITH x AS (SELECT ST_CollectionExtract(ST_Intersection(ST_GeomFromEWKB($1), ST_GeomFromEWKB($2)), 3) AS a, ST_GeomFromEWKB($2) AS u)
             SELECT ST_AsEWKB(ST_Multi(a)) AS a, ST_AsEWKB(ST_Multi(ST_CollectionExtract(ST_Difference(u, a), 3))) AS b,
                    ST_IsEmpty(a) AS a_empty, ST_IsEmpty(ST_CollectionExtract(ST_Difference(u, a), 3)) AS b_empty FROM x`,
            [outline.ewkb, pair!.union]);
          if (r!.a_empty || r!.b_empty) throw unprocessable('grids.boundaryEmpties', { grid: r!.a_empty ? a!.code : b!.code });
          newA = r!.a;
          newB = r!.b;
        }
        newA = await snapToNeighbours(client, newA, [a!.id, b!.id], a!.communityCode);
        newB = await snapToNeighbours(client, newB, [a!.id, b!.id], a!.communityCode);
        const { rows: [valid] } = await client.query(
          `SELECT ST_IsValid(ST_GeomFromEWKB($1)) AND ST_IsValid(ST_GeomFromEWKB($2)) AS ok,
                  ST_Area(ST_GeomFromEWKB($1)::geography) AS area_a, ST_Area(ST_GeomFromEWKB($2)::geography) AS area_b`, [newA, newB]);
        if (!valid.ok) throw unprocessable('grids.boundaryInvalid');
        const tiny = Math.min(valid.area_a, valid.area_b);
        if (tiny < settings.sliverToleranceSquareMeters * 10) throw unprocessable('grids.boundaryTiny', { areaSquareMeters: tiny });
        await assertInsideCommunity(client, { ewkb: newA }, { communityCode: a!.communityCode, label: subject.grid(a!.code), toleranceSquareMeters: settings.sliverToleranceSquareMeters });
        await assertInsideCommunity(client, { ewkb: newB }, { communityCode: b!.communityCode, label: subject.grid(b!.code), toleranceSquareMeters: settings.sliverToleranceSquareMeters });
        await ensureBaseline(client, [a!.id, b!.id]);
        for (const [grid, ewkb] of [[a!, newA], [b!, newB]] as const) {
          await client.query(`UPDATE grid SET geom = ST_GeomFromEWKB($2), version = version + 1, updated_at = now() WHERE id = $1`, [grid.id, ewkb]);
        }
        await recountGrids(client, [a!.id, b!.id]);
        await recordVersions(client, [a!.id, b!.id], 'reshape', body.reason ?? '', actor);
        return finish(client, actor, 'grid.reshape', [a!.id, b!.id], [a!.communityCode], { mode: body.line ? 'line' : 'outline' }, body.reason);
      });
    },

    async restore(actor: Actor, id: number, body: { version: number; toVersion: number; reason?: string }): Promise<EditOutcome> {
      return withTransaction(pool, async (client) => {
        const [grid] = await lockGrids(client, [{ id, version: body.version }], actor);
        const { rows: [old] } = await client.query(
          `SELECT name, grid_type, dedicated_kind, households, residents, residents_60_plus, residents_80_plus, staff, retired,
                  ST_AsGeoJSON(geom)::json AS geometry, ST_AsEWKB(geom) AS ewkb
             FROM grid_version WHERE grid_id = $1 AND version = $2`, [id, body.toVersion]);
        if (!old) throw notFound('grids.noVersion', { grid: grid!.code, version: body.toVersion });
        if (old.retired) throw conflict('grids.versionRetired', { grid: grid!.code, version: body.toVersion });
        const settings = await readSettings(client);
        const outline = { ewkb: old.ewkb as Buffer };
        await assertNoOverlap(client, outline, { excludeIds: [id], label: subject.gridVersion(grid!.code, body.toVersion), toleranceSquareMeters: settings.sliverToleranceSquareMeters });
        await assertInsideCommunity(client, outline, { communityCode: grid!.communityCode, label: subject.gridVersion(grid!.code, body.toVersion), toleranceSquareMeters: settings.sliverToleranceSquareMeters });
        const staff = old.staff as { role: string; name: string; phone: string | null }[];
        const leader = staff.find((s) => s.role === 'leader');
        await ensureBaseline(client, [id]);
        await updateAttributes(client, grid!, {
          name: old.name,
          gridType: old.grid_type,
          dedicatedKind: old.dedicated_kind,
          households: old.households,
          residents: old.residents,
          residents60Plus: old.residents_60_plus,
          residents80Plus: old.residents_80_plus,
          gridLeader: leader ? { name: leader.name, phone: leader.phone } : null,
          gridManagers: staff.filter((s) => s.role === 'manager').map((s) => ({ name: s.name, phone: s.phone }) as StaffInput),
        }, outline);
        // The buildings are as they are now: a restored outline counts the buildings it holds today.
        await recountGrids(client, [id]);
        await recordVersions(client, [id], 'restore', body.reason || `restored version ${body.toVersion}`, actor);
        return finish(client, actor, 'grid.restore', [id], [grid!.communityCode], { toVersion: body.toVersion }, body.reason);
      });
    },

    /**
     * Restores several grids to earlier versions together (the page's undo and redo of an edit
     * that changed them together, such as a reshaped shared edge): all in one transaction, checked
     * against the grids around them and against each other once all are restored.
     */
    async restoreSet(actor: Actor, body: { grids: { id: number; version: number; toVersion: number }[]; reason?: string }): Promise<EditOutcome> {
      return withTransaction(pool, async (client) => {
        const locked = await lockGrids(client, body.grids.map((g) => ({ id: g.id, version: g.version })), actor);
        const ids = locked.map((g) => g.id);
        const settings = await readSettings(client);
        await ensureBaseline(client, ids);
        for (const [i, grid] of locked.entries()) {
          const toVersion = body.grids[i]!.toVersion;
          const { rows: [old] } = await client.query(
            `SELECT name, grid_type, dedicated_kind, households, residents, residents_60_plus, residents_80_plus, staff, retired, ST_AsEWKB(geom) AS ewkb
               FROM grid_version WHERE grid_id = $1 AND version = $2`, [grid.id, toVersion]);
          if (!old) throw notFound('grids.noVersion', { grid: grid.code, version: toVersion });
          if (old.retired) throw conflict('grids.versionRetired', { grid: grid.code, version: toVersion });
          const staff = old.staff as { role: string; name: string; phone: string | null }[];
          const leader = staff.find((s) => s.role === 'leader');
          await updateAttributes(client, grid, {
            name: old.name, gridType: old.grid_type, dedicatedKind: old.dedicated_kind, households: old.households, residents: old.residents,
            residents60Plus: old.residents_60_plus, residents80Plus: old.residents_80_plus,
            gridLeader: leader ? { name: leader.name, phone: leader.phone } : null,
            gridManagers: staff.filter((s) => s.role === 'manager').map((s) => ({ name: s.name, phone: s.phone }) as StaffInput),
          }, { ewkb: old.ewkb as Buffer });
        }
        for (const grid of locked) {
          const { rows: [now] } = await client.query<{ ewkb: Buffer }>('SELECT ST_AsEWKB(geom) AS ewkb FROM grid WHERE id = $1', [grid.id]);
          await assertNoOverlap(client, { ewkb: now!.ewkb }, { excludeIds: [grid.id], label: subject.restoredGrid(grid.code), toleranceSquareMeters: settings.sliverToleranceSquareMeters });
          await assertInsideCommunity(client, { ewkb: now!.ewkb }, { communityCode: grid.communityCode, label: subject.restoredGrid(grid.code), toleranceSquareMeters: settings.sliverToleranceSquareMeters });
        }
        await recountGrids(client, ids);
        await recordVersions(client, ids, 'restore', body.reason ?? '', actor);
        return finish(client, actor, 'grid.restore', ids, [...new Set(locked.map((g) => g.communityCode))], { toVersions: body.grids.map((g) => g.toVersion) });
      });
    },

    async retire(actor: Actor, id: number, body: { version: number; reason?: string }): Promise<EditOutcome> {
      return withTransaction(pool, async (client) => {
        const [grid] = await lockGrids(client, [{ id, version: body.version }], actor);
        await ensureBaseline(client, [id]);
        await client.query(`DELETE FROM grid_staff WHERE grid_id = $1`, [id]);
        await client.query(`UPDATE grid SET retired_at = now(), version = version + 1, updated_at = now() WHERE id = $1`, [id]);
        await recordVersions(client, [id], 'retire', body.reason ?? '', actor);
        return finish(client, actor, 'grid.retire', [id], [grid!.communityCode], {}, body.reason);
      });
    },

    async repairSlivers(actor: Actor, communityCode: string): Promise<EditOutcome> {
      assertInScope(actor.user, communityCode);
      return withTransaction(pool, async (client) => {
        const { rows: live } = await client.query<{ id: number }>(
          `SELECT id FROM grid WHERE community_code = $1 AND retired_at IS NULL ORDER BY id FOR UPDATE`, [communityCode]);
        if (live.length === 0) throw notFound('grids.communityHasNoGrids', { community: communityCode });
        const ids = live.map((r) => r.id);
        await ensureBaseline(client, ids);
        const settings = await readSettings(client);
        const changed = new Set<number>();
        for (const sql of [REPAIR_OVERLAP_SQL, REPAIR_OUTSIDE_SQL, REPAIR_GAP_SQL]) {
          const { rows } = await client.query<{ id: number }>(sql, [communityCode, settings.sliverToleranceSquareMeters]);
          for (const r of rows) changed.add(r.id);
        }
        const changedIds = [...changed];
        if (changedIds.length) {
          await client.query(`UPDATE grid SET version = version + 1, updated_at = now() WHERE id = ANY($1::bigint[])`, [changedIds]);
          await recountGrids(client, changedIds);
          await recordVersions(client, changedIds, 'repair', 'sliver repair', actor);
        }
        return finish(client, actor, 'grid.repair_slivers', changedIds, [communityCode], { repairedGrids: changedIds.length });
      });
    },
  };
}
export type GridEditing = ReturnType<typeof createGridEditing>;

/** "东风第3网格" → "东风第7网格" for a new part coded …007; otherwise the old name marked as split off. */
export function nameForNewPart(originalName: string, newCode: string): string {
  const sequence = Number(newCode.slice(12));
  if (/第\d+网格$/.test(originalName)) return originalName.replace(/第\d+网格$/, `第${sequence}网格`);
  return `${originalName.slice(0, 90)}（拆分${sequence}）`;
}

export type { LockedGrid };
