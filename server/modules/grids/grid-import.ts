/**
 * Importing grids: read the file, convert coordinates, map attributes, place each grid in its
 * community, then validate the result as it would stand (the file's grids replacing the live
 * grids of the communities it covers). Preview writes nothing; commit applies all of it in one
 * transaction, or nothing when anything blocks.
 */
import type { Pool, PoolClient } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { phrase } from '../../shared/errors.js';
import { problem, type Problem, type RefusalParams } from '../../shared/refusals.js';
import { outlinePositionPhrase } from '../imports/positions.js';
import type { ChosenCrs } from '../imports/source-crs.js';
import { crsHint, geometryPoints, type CrsHint } from '../imports/offset-check.js';
import { badRequest, forbidden } from '../../shared/errors.js';
import { renameNumbered } from './grid-names.js';
import { createAuditRepository } from '../audit/audit-repository.js';
import { lockCommunityCodes, nextFreeCodes } from './code-allocation.js';
import { ensureBaseline, readSettings, recordVersions, replaceStaff, unprocessable, type Actor } from './grid-store.js';
import { mapAttributes, resolveMapping, type FieldMapping, type MappedGrid } from './import-mapping.js';
import { readGridSource, type SourceEncoding } from './import-sources.js';
import type { ValidationFinding } from './schemas.js';
import { validateStagedGrids } from './validation.js';
import { recountGrids } from '../buildings/building-repository.js';

export interface ImportRequest {
  bytes: Buffer;
  fileName: string;
  /** A street (9 digits) or community (12 digits) the import is limited to. */
  scope: string;
  /** The user's choice; undefined: as the file says (a file that says nothing is refused). */
  crs: ChosenCrs | undefined;
  encoding: SourceEncoding;
  mapping: FieldMapping;
}

export interface ImportRow {
  feature: number;
  code: string | null;
  name: string | null;
  communityCode: string | null;
  status: 'new' | 'update';
  gridId: number | null;
}

export interface ImportPreview {
  fileName: string;
  format: string;
  featureCount: number;
  sourceFields: string[];
  mapping: FieldMapping;
  encoding: { name: string; from: string } | null;
  crs: ChosenCrs | 'auto';
  /** The coordinate system the file declared (or the one chosen) and whether it was reprojected. */
  sourceCrs: { name: string; from: string; reprojected: boolean };
  /** Set when the outlines look like GCJ-02/BD-09 read as WGS84. */
  crsHint: CrsHint | null;
  communityCodes: string[];
  rows: ImportRow[];
  /** Live grids of those communities that the file does not hold: retired on commit. */
  retiring: { gridId: number; code: string; name: string }[];
  /** Problems of single features: the feature, the problem's code and params, its English message. */
  errors: ({ feature: number } & Problem)[];
  findings: ValidationFinding[];
  canCommit: boolean;
  /** The file's grids in WGS84, for the map. */
  preview: { type: 'FeatureCollection'; features: unknown[] };
}

interface Prepared {
  preview: ImportPreview;
  grids: (MappedGrid & { feature: number; geometry: unknown; gridId: number | null; communityCode: string | null })[];
}

async function prepare(client: PoolClient, request: ImportRequest, user: Actor['user']): Promise<Prepared> {
  if (user.scopeAreaCode && !request.scope.startsWith(user.scopeAreaCode)) throw forbidden('grids.areaOutsideYourArea', { area: request.scope, scope: user.scopeAreaCode });
  const { rows: scopeRows } = await client.query(`SELECT code FROM admin_area WHERE code = $1 AND level IN ('street', 'community')`, [request.scope]);
  if (scopeRows.length === 0) throw badRequest('grids.noScopeArea', { area: request.scope });
  const source = await readGridSource(request.bytes, request.fileName, request.crs, request.encoding);
  const mapping = resolveMapping(source.fields, request.mapping);
  const errors: ImportPreview['errors'] = [];
  const grids: Prepared['grids'] = [];
  source.features.forEach((feature, index) => {
    const number = index + 1;
    const geometry = feature.geometry;
    if (!geometry) {
      errors.push({ feature: number, ...problem('grids.featureNoGeometry') });
      return;
    }
    if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
      errors.push({ feature: number, ...problem('grids.featureNotPolygon', { type: geometry.type }) });
      return;
    }
    const position = outlinePositionPhrase(geometry.coordinates);
    if (position) {
      errors.push({ feature: number, ...problem('grids.featurePosition', { problem: position }) });
      return;
    }
    const { grid, problems } = mapAttributes(feature.properties, mapping);
    for (const p of problems) errors.push({ feature: number, ...p });
    grids.push({ ...grid, feature: number, geometry, gridId: null });
  });

  // Each grid's community: the mapped field, else where the grid lies, else its code's prefix.
  const { rows: placed } = await client.query<{ feature: number; community: string | null }>(
    `SELECT x.feature, (
       SELECT a.code FROM admin_area a
       WHERE a.level = 'community' AND a.code LIKE $2 || '%'
         AND ST_Intersects(a.geom, ST_PointOnSurface(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(x.geometry), 4326)), 3)))
       ORDER BY a.code LIMIT 1) AS community
     FROM jsonb_to_recordset($1::jsonb) AS x(feature integer, geometry jsonb)`,
    [JSON.stringify(grids.map((g) => ({ feature: g.feature, geometry: g.geometry }))), request.scope],
  );
  const { rows: known } = await client.query<{ code: string }>(`SELECT code FROM admin_area WHERE level = 'community' AND code LIKE $1 || '%'`, [request.scope]);
  const inScope = new Set(known.map((r) => r.code));
  const where = new Map(placed.map((p) => [p.feature, p.community]));
  for (const grid of grids) {
    const byCode = grid.code && /^\d{15}$/.test(grid.code) && inScope.has(grid.code.slice(0, 12)) ? grid.code.slice(0, 12) : null;
    const community = grid.communityCode ?? where.get(grid.feature) ?? byCode;
    if (!community) errors.push({ feature: grid.feature, ...problem('grids.featureOutsideCommunities', { scope: request.scope }) });
    else if (!inScope.has(community)) errors.push({ feature: grid.feature, ...problem('grids.featureNotCommunityOf', { community, scope: request.scope }) });
    grid.communityCode = community && inScope.has(community) ? community : null;
  }

  const communityCodes = [...new Set(grids.map((g) => g.communityCode).filter((c): c is string => c !== null))].sort();
  const { rows: live } = await client.query<{ id: number; code: string; name: string; community_code: string; leaders: number; managers: number }>(
    `SELECT g.id, g.code, g.name, g.community_code,
            (SELECT count(*) FROM grid_staff s WHERE s.grid_id = g.id AND s.role = 'leader')::int AS leaders,
            (SELECT count(*) FROM grid_staff s WHERE s.grid_id = g.id AND s.role = 'manager')::int AS managers
       FROM grid g WHERE g.retired_at IS NULL AND g.community_code = ANY($1::text[]) ORDER BY g.code`, [communityCodes]);
  const liveByCode = new Map(live.map((g) => [g.code, g]));
  const matched = new Set<number>();
  for (const grid of grids) {
    const existing = grid.code ? liveByCode.get(grid.code) : undefined;
    if (existing && existing.community_code === grid.communityCode && !matched.has(existing.id)) {
      grid.gridId = existing.id;
      matched.add(existing.id);
    }
  }
  const retiring = live.filter((g) => !matched.has(g.id)).map((g) => ({ gridId: g.id, code: g.code, name: g.name }));
  const staffOf = new Map(live.map((g) => [g.id, g]));

  let findings: ValidationFinding[] = [];
  if (communityCodes.length > 0) {
    findings = await validateStagedGrids(client, communityCodes, grids.filter((g) => g.communityCode).map((g) => ({
      key: String(g.feature),
      id: g.gridId,
      code: g.code,
      name: g.name,
      communityCode: g.communityCode,
      gridType: g.gridType,
      dedicatedKind: g.dedicatedKind,
      geometry: g.geometry,
      households: g.households,
      residents: g.residents,
      leaderCount: g.leader !== undefined ? (g.leader ? 1 : 0) : g.gridId ? staffOf.get(g.gridId)!.leaders : 0,
      managerCount: g.managers !== undefined ? g.managers.length : g.gridId ? staffOf.get(g.gridId)!.managers : 0,
    })));
  }
  const rows: ImportRow[] = grids.map((g) => ({ feature: g.feature, code: g.code, name: g.name, communityCode: g.communityCode, status: g.gridId ? 'update' : 'new', gridId: g.gridId }));
  return {
    grids,
    preview: {
      fileName: request.fileName,
      format: source.format,
      featureCount: source.features.length,
      sourceFields: source.fields,
      mapping,
      encoding: source.encoding,
      crs: request.crs ?? 'auto',
      sourceCrs: { name: source.crs.name, from: source.crs.from, reprojected: source.crs.reprojected },
      crsHint: source.crs.shiftedFrom || source.crs.reprojected ? null : await crsHint(client, geometryPoints(source.features.map((f) => f.geometry)), 'wgs84'),
      communityCodes,
      rows,
      retiring,
      errors,
      findings,
      canCommit: errors.length === 0 && !findings.some((f) => f.severity === 'error') && grids.length > 0,
      preview: {
        type: 'FeatureCollection',
        features: grids.map((g) => ({ type: 'Feature', id: g.feature, geometry: g.geometry, properties: { feature: g.feature, code: g.code, name: g.name, status: g.gridId ? 'update' : 'new' } })),
      },
    },
  };
}

export function createGridImport(pool: Pool) {
  const audit = createAuditRepository(pool);
  return {
    /** What the import would do, with its validation; writes nothing. */
    async preview(actor: Actor, request: ImportRequest): Promise<ImportPreview> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        return (await prepare(client, request, actor.user)).preview;
      } finally {
        await client.query('ROLLBACK').catch(() => {});
        client.release();
      }
    },

    /** Applies the import in one transaction, or refuses it whole (422 with the preview). */
    async commit(actor: Actor, request: ImportRequest, reason: string) {
      return withTransaction(pool, async (client) => {
        const { preview, grids } = await prepare(client, request, actor.user);
        if (!preview.canCommit) {
          const blocking = preview.findings.filter((f) => f.severity === 'error');
          // The first problem as a phrase, so that the refusal is said in one language.
          const firstError = preview.errors[0];
          const firstFinding = blocking[0];
          const codes = firstFinding?.gridCodes.filter((c): c is string => Boolean(c)) ?? [];
          const first = firstError
            ? phrase('grids.importFirstError', { feature: firstError.feature, problem: { code: firstError.code, params: firstError.params } })
            : firstFinding
              ? phrase('grids.importFirstFinding', {
                kind: { code: `gridFinding.${firstFinding.kind}` },
                grids: codes.length ? codes.join(', ') : phrase('grids.importFeatures', { features: firstFinding.gridKeys.join(', ') } satisfies RefusalParams),
              })
              : phrase('grids.nothingToImport');
          throw unprocessable('grids.importBlocked', { errors: preview.errors.length, findings: blocking.length, first }, { errors: preview.errors, findings: blocking });
        }
        const settings = await readSettings(client);
        const liveIds = [...preview.retiring.map((r) => r.gridId), ...grids.map((g) => g.gridId).filter((id): id is number => id !== null)];
        await client.query(`SELECT id FROM grid WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`, [liveIds]);
        await ensureBaseline(client, liveIds);
        const retiredIds = preview.retiring.map((r) => r.gridId);
        if (retiredIds.length) {
          await client.query(`DELETE FROM grid_staff WHERE grid_id = ANY($1::bigint[])`, [retiredIds]);
          await client.query(`UPDATE grid SET retired_at = now(), version = version + 1, updated_at = now() WHERE id = ANY($1::bigint[])`, [retiredIds]);
        }
        const touched: number[] = [...retiredIds];
        for (const communityCode of preview.communityCodes) await lockCommunityCodes(client, communityCode);
        // Grids that carry a code first, so that those without one cannot take it.
        const ordered = [...grids].sort((a, b) => Number(!a.code) - Number(!b.code));
        for (const grid of ordered) {
          const values = [grid.name, grid.gridType, grid.dedicatedKind, JSON.stringify(grid.geometry), grid.households, grid.residents, grid.residents60Plus, grid.residents80Plus];
          let id = grid.gridId;
          if (id) {
            await client.query(
              `UPDATE grid SET name = coalesce($2, name), grid_type = $3, dedicated_kind = $4,
                      geom = ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON($5), 4326))),
                      households = $6, residents = $7, residents_60_plus = $8, residents_80_plus = $9,
                      version = version + 1, updated_at = now() WHERE id = $1`, [id, ...values]);
          } else {
            const code = grid.code ?? (await nextFreeCodes(client, grid.communityCode!, 1, grid.gridType === 'dedicated', settings.dedicatedSequenceStart))[0]!;
            const { rows: [created] } = await client.query<{ id: number }>(
              `INSERT INTO grid (code, name, community_code, grid_type, dedicated_kind, geom, households, residents, residents_60_plus, residents_80_plus, name_is_custom)
               VALUES ($9, coalesce($1, '网格' || substr($9, 13, 3)), $10, $2, $3, ST_Multi(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON($4), 4326))), $5, $6, $7, $8,
                       $1 IS NOT NULL OR $2 = 'dedicated')
               RETURNING id`, [...values, code, grid.communityCode]);
            id = created!.id;
            // A grid the file gave no name gets the numbered one of its community.
            if (values[0] === null || values[0] === undefined) await renameNumbered(client, [id]);
          }
          await replaceStaff(client, id, {
            ...(grid.leader !== undefined ? { gridLeader: grid.leader } : {}),
            ...(grid.managers !== undefined ? { gridManagers: grid.managers } : {}),
          });
          touched.push(id);
        }
        // Imported grids that hold buildings count their buildings, whatever figures the file gave.
        await recountGrids(client, touched);
        await recordVersions(client, touched, 'import', reason || `import of ${request.fileName}`, actor);
        const created = grids.filter((g) => !g.gridId).length;
        const updated = grids.length - created;
        await audit.record({
          actorUserId: actor.user.id, actorUsername: actor.user.username, action: 'grid.import', targetType: 'area', targetId: request.scope,
          ip: actor.ip, success: true,
          detail: { format: preview.format, features: preview.featureCount, created, updated, retired: retiredIds.length, crs: request.crs ?? 'auto', encoding: preview.encoding?.name ?? null },
        }, client);
        return { created, updated, retired: retiredIds.length, communityCodes: preview.communityCodes };
      });
    },
  };
}
