/**
 * Importing the outlines of districts, streets or communities from the bureau's own files,
 * through the one import front door (server/modules/imports): read → match each feature to an
 * area of the code list (outline-matching.ts) → the planner's fixes (explicit matches and skips)
 * → validation as the outlines would stand (sql/outline-import-check.sql) → commit all or
 * nothing: the outlines, version + 1, an area_version row each, one audit entry.
 * Preview writes nothing; both run the same steps, so a commit refuses exactly what a preview
 * showed as blocking.
 */
import type { Pool, PoolClient } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { problem, type Problem, type RefusalParams } from '../../shared/refusals.js';
import { outlinePositionPhrase } from '../imports/positions.js';
import type { ChosenCrs } from '../imports/source-crs.js';
import { badRequest, forbidden, HttpError, phrase, refuse } from '../../shared/errors.js';
import { sqlFile } from '../../shared/sql.js';
import { createAuditRepository } from '../audit/audit-repository.js';
import type { SessionUser } from '../auth/roles.js';
import { readVectorFile, type SourceFeature, type VectorSource } from '../imports/read-vector.js';
import type { SourceEncoding } from '../imports/text-encoding.js';
import {
  CODE_LENGTH, LEVEL_NAMES_ZH, OUTLINE_LEVELS, chooseFields, levelPhrase, matchFeatures,
  type AreaRef, type FeatureMatch, type FieldChoice, type OutlineLevel,
} from './outline-matching.js';

const CHECK_SQL = sqlFile(import.meta.url, 'outline-import-check.sql');

export interface OutlineImportRequest {
  bytes: Buffer;
  fileName: string;
  /** The level the file holds; found from the matches when not given. */
  level?: OutlineLevel;
  crs?: ChosenCrs;
  encoding?: SourceEncoding;
  codeField?: string;
  nameField?: string;
  /** Feature number (1-based) → area code, fixed by the planner. */
  matches?: Record<string, string>;
  /** Feature numbers the planner leaves out. */
  skips?: number[];
  reason?: string;
}

export interface OutlineActor {
  /** id null: the command line, acting as an administrator. */
  user: { id: number | null; username: string; scopeAreaCode?: SessionUser['scopeAreaCode'] };
  ip: string | null;
}

export type Progress = (stage: string, done: number, total: number) => void;

/** A finding: what, where, and the problem's code, params and English message. */
export type OutlineFinding = {
  kind: 'invalid_geometry' | 'repaired_geometry' | 'not_polygon' | 'not_lon_lat' | 'overlap' | 'outside_parent' | 'unmatched' | 'ambiguous';
  severity: 'error' | 'warning';
  feature: number;
  areaCode: string | null;
  squareMeters: number | null;
  /** [lon, lat] of the problem, when PostGIS gives one. */
  location: [number, number] | null;
} & Problem;

export interface OutlineImportPreview {
  fileName: string;
  format: string;
  layers: string[];
  featureCount: number;
  sourceFields: string[];
  fields: FieldChoice;
  level: OutlineLevel;
  encoding: VectorSource['encoding'];
  sourceCrs: VectorSource['crs'];
  rows: (FeatureMatch & { squareMeters: number | null })[];
  summary: { matched: number; unmatched: number; ambiguous: number; skipped: number };
  findings: OutlineFinding[];
  canCommit: boolean;
  /** Every feature in WGS84 with its match, for the map. */
  preview: { type: 'FeatureCollection'; features: unknown[] };
  /** The areas of the level a feature can be matched to by hand (code, name, parent's name). */
  choices: AreaRef[];
}

interface CheckedOutline {
  feature: number;
  code: string;
  valid: boolean;
  reason: string | null;
  location: [number, number] | null;
  repaired: boolean;
  squareMeters: number | null;
  geometry: unknown;
}

/** Square metres as findings say them: whole from 100 m² up, else to a tenth. */
const sqm = (value: number) => (value >= 100 ? Math.round(value) : Math.round(value * 10) / 10);

async function areasOf(client: Pick<PoolClient, 'query'>, level: OutlineLevel, scope: string | null): Promise<AreaRef[]> {
  const { rows } = await client.query<AreaRef>(
    `SELECT a.code, a.name, a.parent_code AS "parentCode", p.name AS "parentName"
       FROM admin_area a LEFT JOIN admin_area p ON p.code = a.parent_code
      WHERE a.level = $1 AND a.retired_at IS NULL AND ($2::text IS NULL OR a.code LIKE $2 || '%')
      ORDER BY a.code`, [level, scope]);
  return rows;
}

function parseOverrides(request: OutlineImportRequest, featureCount: number, areas: readonly AreaRef[], level: OutlineLevel) {
  const known = new Set(areas.map((a) => a.code));
  const overrides = new Map<number, string>();
  const skips = new Set<number>();
  const featureNumber = (value: unknown, where: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > featureCount) throw badRequest('areas.noSuchFeature', { where, feature: String(value), count: featureCount });
    return n;
  };
  for (const [key, code] of Object.entries(request.matches ?? {})) {
    const feature = featureNumber(key, 'matches');
    if (typeof code !== 'string' || !known.has(code)) {
      throw badRequest('areas.notImportable', { feature, code: String(code), levelZh: LEVEL_NAMES_ZH[level], level });
    }
    overrides.set(feature, code);
  }
  for (const value of request.skips ?? []) {
    const feature = featureNumber(value, 'skips');
    if (overrides.has(feature)) throw badRequest('areas.matchedAndSkipped', { feature, code: overrides.get(feature) ?? '' });
    skips.add(feature);
  }
  return { overrides, skips };
}

async function prepare(client: PoolClient, request: OutlineImportRequest, actor: OutlineActor, progress: Progress) {
  const scope = actor.user.scopeAreaCode ?? null;
  progress('reading', 0, 1);
  const source = await readVectorFile(request.bytes, request.fileName, { crs: request.crs, encoding: request.encoding ?? 'auto' });
  progress('matching', 0, source.features.length);

  // The level: as given, else the one whose areas the features match best.
  const candidates = request.level ? [request.level] : OUTLINE_LEVELS;
  let best: { level: OutlineLevel; areas: AreaRef[]; fields: FieldChoice; matched: number } | null = null;
  for (const level of candidates) {
    const areas = await areasOf(client, level, scope);
    const fields = chooseFields(source.fields, source.features, areas, level, { codeField: request.codeField, nameField: request.nameField });
    const matched = matchFeatures({ level, features: source.features, areas, fields }).filter((m) => m.status !== 'unmatched').length;
    if (!best || matched > best.matched) best = { level, areas, fields, matched };
  }
  const { level, areas, fields } = best!;
  if (areas.length === 0) {
    throw badRequest('areas.noneOfLevel', { level, levelZh: LEVEL_NAMES_ZH[level], inScope: scope ? phrase('areas.inYourArea', { scope }) : '' });
  }
  for (const f of [request.codeField, request.nameField]) {
    if (f && !source.fields.includes(f)) throw badRequest('areas.noSuchField', { field: f, fields: source.fields.join(', ') || phrase('areas.none') });
  }
  const { overrides, skips } = parseOverrides(request, source.features.length, areas, level);
  const matches = matchFeatures({ level, features: source.features, areas, fields, overrides, skips });

  const findings: OutlineFinding[] = [];
  const finding = (f: Omit<OutlineFinding, 'squareMeters' | 'location'> & Partial<Pick<OutlineFinding, 'squareMeters' | 'location'>>) =>
    findings.push({ squareMeters: null, location: null, ...f });
  // The feature as findings name it: its number, and the name the file gives it.
  const label = (m: FeatureMatch): RefusalParams[string] =>
    m.name ? { code: 'areas.featureNamed', params: { feature: m.feature, name: m.name } } : { code: 'areas.featureNumber', params: { feature: m.feature } };
  const note = (m: FeatureMatch): RefusalParams[string] => (m.noteCode ? { code: m.noteCode, params: m.noteParams ?? {} } : '');
  const toCheck: { feature: number; code: string; geometry: SourceFeature['geometry'] }[] = [];
  for (const m of matches) {
    if (m.status === 'unmatched') finding({ kind: 'unmatched', severity: 'error', feature: m.feature, areaCode: null, ...problem('areas.findingUnmatched', { subject: label(m), level: levelPhrase(level), note: note(m) }) });
    if (m.status === 'ambiguous') finding({ kind: 'ambiguous', severity: 'error', feature: m.feature, areaCode: null, ...problem('areas.findingAmbiguous', { subject: label(m), note: note(m) }) });
    if (m.status !== 'matched') continue;
    const geometry = source.features[m.feature - 1]!.geometry;
    if (!geometry || (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon')) {
      const found = geometry ? problem('areas.findingNotPolygon', { subject: label(m), type: geometry.type }) : problem('areas.findingNoGeometry', { subject: label(m) });
      finding({ kind: 'not_polygon', severity: 'error', feature: m.feature, areaCode: m.areaCode, ...found });
      continue;
    }
    const position = outlinePositionPhrase(geometry.coordinates);
    if (position) {
      finding({ kind: 'not_lon_lat', severity: 'error', feature: m.feature, areaCode: m.areaCode, ...problem('areas.findingPosition', { subject: label(m), problem: position }) });
      continue;
    }
    toCheck.push({ feature: m.feature, code: m.areaCode!, geometry });
  }

  progress('validating', 0, toCheck.length);
  const { rows: [settings] } = await client.query<{ tolerance: number }>(`SELECT sliver_tolerance_square_meters AS tolerance FROM grid_norm_setting WHERE id = 1`);
  const tolerance = settings?.tolerance ?? 1;
  const { rows: [checked] } = await client.query<{ outlines: CheckedOutline[]; overlaps: { feature: number; code: string; otherCode: string; otherFeature: number | null; otherName: string; squareMeters: number }[]; outside: { feature: number; code: string; parentCode: string; parentName: string; squareMeters: number }[] }>(
    CHECK_SQL, [JSON.stringify(toCheck), tolerance, level]);
  const byFeature = new Map(matches.map((m) => [m.feature, m]));
  for (const o of checked!.outlines) {
    const m = byFeature.get(o.feature)!;
    if (!o.valid && !o.repaired) {
      finding({ kind: 'invalid_geometry', severity: 'error', feature: o.feature, areaCode: o.code, location: o.location, ...problem('areas.findingInvalid', { subject: label(m), reason: o.reason ?? '' }) });
    } else if (o.repaired) {
      finding({ kind: 'repaired_geometry', severity: 'warning', feature: o.feature, areaCode: o.code, location: o.location, ...problem('areas.findingRepaired', { subject: label(m), reason: o.reason ?? '' }) });
    } else if (!o.squareMeters || o.squareMeters < tolerance) {
      finding({ kind: 'invalid_geometry', severity: 'error', feature: o.feature, areaCode: o.code, ...problem('areas.findingNoArea', { subject: label(m) }) });
    }
  }
  for (const o of checked!.overlaps) {
    const m = byFeature.get(o.feature)!;
    const other = o.otherFeature
      ? phrase('areas.otherFeature', { feature: o.otherFeature, name: o.otherName, code: o.otherCode })
      : phrase('areas.keptOutline', { name: o.otherName, code: o.otherCode });
    finding({ kind: 'overlap', severity: 'error', feature: o.feature, areaCode: o.code, squareMeters: o.squareMeters,
      ...problem('areas.findingOverlap', { subject: label(m), area: m.areaName ?? '', code: o.code, other, squareMeters: sqm(o.squareMeters) }) });
  }
  for (const o of checked!.outside) {
    const m = byFeature.get(o.feature)!;
    finding({ kind: 'outside_parent', severity: 'error', feature: o.feature, areaCode: o.code, squareMeters: o.squareMeters,
      ...problem('areas.findingOutsideParent', { subject: label(m), area: m.areaName ?? '', code: o.code, parentName: o.parentName, parentCode: o.parentCode, squareMeters: sqm(o.squareMeters) }) });
  }
  findings.sort((a, b) => a.feature - b.feature);
  progress('validating', toCheck.length, toCheck.length);

  const area = new Map(checked!.outlines.map((o) => [o.feature, o]));
  const rows = matches.map((m) => ({ ...m, squareMeters: area.get(m.feature)?.squareMeters ?? null }));
  const count = (status: FeatureMatch['status']) => matches.filter((m) => m.status === status).length;
  const summary = { matched: count('matched'), unmatched: count('unmatched'), ambiguous: count('ambiguous'), skipped: count('skipped') };
  const preview: OutlineImportPreview = {
    fileName: request.fileName,
    format: source.format,
    layers: source.layers,
    featureCount: source.features.length,
    sourceFields: source.fields,
    fields,
    level,
    encoding: source.encoding,
    sourceCrs: source.crs,
    rows,
    summary,
    findings,
    canCommit: summary.matched > 0 && !findings.some((f) => f.severity === 'error'),
    preview: {
      type: 'FeatureCollection',
      features: source.features.map((f, i) => ({
        type: 'Feature', id: i + 1, geometry: f.geometry,
        properties: { feature: i + 1, name: matches[i]!.name, status: matches[i]!.status, areaCode: matches[i]!.areaCode },
      })).filter((f) => f.geometry),
    },
    choices: areas,
  };
  const outlines = checked!.outlines.filter((o) => o.geometry);
  return { preview, outlines };
}

/** The reply of a refused commit: the first reasons in the message, all of them in details. */
function refusal(preview: OutlineImportPreview): HttpError {
  const blocking = preview.findings.filter((f) => f.severity === 'error');
  if (blocking.length === 0) return badRequest('areas.nothingMatched', { file: preview.fileName });
  const unmatchedOnly = blocking.every((f) => f.kind === 'unmatched' || f.kind === 'ambiguous');
  // The first three findings, each as a phrase, so that the refusal is said in one language.
  const [a, b, c] = blocking.slice(0, 3).map((f) => phrase(f.code, f.params));
  const shown = c ? phrase('areas.shownThree', { a: a!, b: b!, c }) : b ? phrase('areas.shownTwo', { a: a!, b }) : a!;
  const more = blocking.length > 3 ? phrase('areas.andMore', { count: blocking.length - 3 }) : '';
  return refuse(unmatchedOnly ? 400 : 422, 'areas.importBlocked', { shown, more }, { findings: blocking });
}

export function createOutlineImport(pool: Pool) {
  const audit = createAuditRepository(pool);
  const checkScope = (actor: OutlineActor, level?: OutlineLevel) => {
    if (actor.user.scopeAreaCode && level && CODE_LENGTH[level] < actor.user.scopeAreaCode.length) {
      throw forbidden('areas.importAboveScope', { scope: actor.user.scopeAreaCode, level });
    }
  };
  return {
    /** What the import would do, with its validation; writes nothing. */
    async preview(actor: OutlineActor, request: OutlineImportRequest, progress: Progress = () => {}): Promise<OutlineImportPreview> {
      checkScope(actor, request.level);
      const client = await pool.connect();
      try {
        await client.query('BEGIN READ ONLY');
        return (await prepare(client, request, actor, progress)).preview;
      } finally {
        await client.query('ROLLBACK').catch(() => {});
        client.release();
      }
    },

    /** Sets every matched outline in one transaction, or nothing (400/422 naming the features). */
    async commit(actor: OutlineActor, request: OutlineImportRequest, progress: Progress = () => {}) {
      checkScope(actor, request.level);
      return withTransaction(pool, async (client) => {
        const { preview, outlines } = await prepare(client, request, actor, progress);
        if (!preview.canCommit) throw refusal(preview);
        const codes = outlines.map((o) => o.code);
        // Lock the areas in code order (as every area writer does), then write.
        await client.query(`SELECT code FROM admin_area WHERE code = ANY($1::text[]) ORDER BY code FOR UPDATE`, [codes]);
        // Areas written before area_version existed get their current state recorded first.
        await client.query(
          `INSERT INTO area_version (area_code, version, name, parent_code, urban_rural_class, geom, retired, action, reason)
           SELECT a.code, a.version, a.name, a.parent_code, a.urban_rural_class, a.geom, a.retired_at IS NOT NULL, 'original', ''
             FROM admin_area a
            WHERE a.code = ANY($1::text[])
              AND NOT EXISTS (SELECT 1 FROM area_version v WHERE v.area_code = a.code AND v.version = a.version)`, [codes]);
        const reason = request.reason?.trim() || `import of ${request.fileName}`;
        for (const [index, outline] of outlines.entries()) {
          progress('writing', index, outlines.length);
          await client.query(
            `UPDATE admin_area SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)), outline_source = 'import',
                    version = version + 1, updated_at = now()
              WHERE code = $1`, [outline.code, JSON.stringify(outline.geometry)]);
        }
        await client.query(
          `INSERT INTO area_version (area_code, version, name, parent_code, urban_rural_class, geom, retired, action, reason, changed_by, changed_by_username)
           SELECT a.code, a.version, a.name, a.parent_code, a.urban_rural_class, a.geom, false, 'import', $2, $3, $4
             FROM admin_area a WHERE a.code = ANY($1::text[])`, [codes, reason, actor.user.id, actor.user.username]);
        progress('writing', outlines.length, outlines.length);
        await audit.record({
          actorUserId: actor.user.id, actorUsername: actor.user.username, action: 'area.outline_import', targetType: 'area',
          targetId: codes.length === 1 ? codes[0] : commonPrefix(codes), ip: actor.ip, success: true,
          detail: {
            file: request.fileName, format: preview.format, level: preview.level, features: preview.featureCount,
            imported: codes.length, skipped: preview.summary.skipped, overridden: preview.rows.filter((r) => r.by === 'override').length,
            crs: preview.sourceCrs.name, reprojected: preview.sourceCrs.reprojected, shiftedFrom: preview.sourceCrs.shiftedFrom, encoding: preview.encoding?.name ?? null,
          },
        }, client);
        return { level: preview.level, imported: codes.length, skipped: preview.summary.skipped, areaCodes: [...codes].sort(), repaired: preview.findings.filter((f) => f.kind === 'repaired_geometry').map((f) => f.areaCode!) };
      });
    },
  };
}

function commonPrefix(codes: string[]): string {
  if (codes.length === 0) return '';
  let prefix = codes[0]!;
  for (const c of codes) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
  // The area all of them lie in: a whole code (city, district, street), not a fragment of one.
  const whole = [12, 9, 6, 4].find((length) => length <= prefix.length);
  return whole ? prefix.slice(0, whole) : '';
}
