/**
 * Bulk import of incidents from CSV/Excel exports (e.g. a 12345 hotline's tickets).
 *
 * Preview: read the table, check every row (category, coordinates in the declared coordinate
 * system, inside the district, times), and say row by row what is wrong; nothing is written.
 * Commit: the same checks, then — only if no row has an error — every new row in one
 * transaction; progress is reported per phase. Re-importing a file creates nothing twice: a
 * row's key is its ticket number when the file has one, otherwise a stable hash of its content
 * (source, time, place, category, description).
 *
 * How, for a million rows: the file is parsed record by record and each row checked in the
 * server (parseRow: no database); the good rows go to a temporary table with one COPY; placement
 * (incident_place), the district check and the duplicate checks are a few set-based statements
 * over that table; the write is INSERT … SELECT in batches, in the order of a space-filling
 * curve so that the incident table's spatial indexes are written page by page.
 */
import crypto from 'node:crypto';
import type pg from 'pg';
import { CopyBuffer, copyFrom, copyText } from '../../db/copy.js';
import { lonLatCodedProblem, toWgs84, type SourceCrs } from '../../shared/coordinates.js';
import { problem, type Problem } from '../../shared/refusals.js';
import { forEachTableRow, MAX_TABLE_ROWS, type TableRow } from '../../shared/tabular.js';
import { incidentsWritten } from './incidents-repository.js';
import { sqlFile } from '../../shared/sql.js';
import { badRequest } from '../../shared/errors.js';
import { COMMON_FIELD_NAMES, matchFieldNames } from '../imports/field-names.js';
import { crsHint, type CrsHint } from '../imports/offset-check.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import type { IncidentsRepository } from './incidents-repository.js';
import { tableInstantOrNull } from '../../shared/instant.js';
import type { CategoryInfo, ImportJob, ImportPreview, ImportRowError, IncidentSource } from './schemas.js';
import { INCIDENT_SOURCES } from './schemas.js';

/** Accepted headers for each field (Chinese exports first, then English). */
export const COLUMN_ALIASES = {
  externalId: ['工单编号', '工单号', '编号', 'external_id', 'externalid', 'ticket'],
  category: ['类别', '事件类别', '大类', 'category'],
  subCategory: ['子类', '小类', '事件子类', 'sub_category', 'subcategory'],
  description: ['描述', '内容', '诉求内容', '事件描述', 'description'],
  lon: COMMON_FIELD_NAMES.lon,
  lat: COMMON_FIELD_NAMES.lat,
  reportedAt: ['上报时间', '来电时间', '受理时间', 'reported_at', 'reportedat'],
  occurredAt: ['发生时间', 'occurred_at', 'occurredat'],
  source: ['来源', 'source'],
  reporterName: ['姓名', '联系人', '来电人', 'reporter_name'],
  reporterPhone: [...COMMON_FIELD_NAMES.phone, 'reporter_phone'],
  reporterIdNumber: ['身份证号', '身份证', 'reporter_id_number'],
} as const;
type Field = keyof typeof COLUMN_ALIASES;
const REQUIRED: Field[] = ['category', 'description', 'lon', 'lat', 'reportedAt'];

const SOURCE_LABELS: Record<string, IncidentSource> = {
  网格员: 'grid_worker', 网格员上报: 'grid_worker', '12345': 'hotline_12345', '12345热线': 'hotline_12345', 热线: 'hotline_12345',
  群众: 'public', 公众: 'public', 群众举报: 'public', 视频: 'video', 视频巡查: 'video', 上级: 'higher_level', 上级交办: 'higher_level',
};

export interface ImportOptions {
  crs: SourceCrs;
  /** Source for rows without a 来源 column/value. */
  defaultSource: IncidentSource;
}

export interface ImportCandidate {
  row: number;
  externalId: string;
  category: string;
  subCategory: string | null;
  source: IncidentSource;
  description: string;
  lon: number;
  lat: number;
  reportedAt: Date;
  occurredAt: Date | null;
  reporter: { name: string | null; phone: string | null; idNumber: string | null };
}

/** Which header of the file maps to each field. */
export function mapColumns(headers: string[]): Partial<Record<Field, string>> {
  return matchFieldNames(headers, COLUMN_ALIASES).columns;
}

/** Parses one row into a candidate (WGS84) or its errors. Pure: no database. */
export function parseRow(
  row: TableRow,
  columns: Partial<Record<Field, string>>,
  categories: readonly CategoryInfo[],
  options: ImportOptions,
  now: Date,
): { candidate: ImportCandidate | null; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const value = (f: Field) => (columns[f] ? (row.values[columns[f]!] ?? '').trim() : '');
  const fail = (f: Field | null, p: Problem) => errors.push({ row: row.rowNumber, column: f ? (columns[f] ?? f) : null, ...p });

  const categoryText = value('category');
  const category = categories.find((c) => c.code === categoryText || c.nameZh === categoryText || c.nameEn.toLowerCase() === categoryText.toLowerCase());
  if (!categoryText) fail('category', problem('incidents.rowCategoryEmpty'));
  else if (!category) fail('category', problem('incidents.rowUnknownCategory', { text: categoryText, allowed: categories.map((c) => c.nameZh) }));
  let subCategory: string | null = null;
  const subText = value('subCategory');
  if (subText && category) {
    const sub = category.subCategories.find((s) => s.code === subText || s.nameZh === subText || s.nameEn.toLowerCase() === subText.toLowerCase());
    if (!sub) fail('subCategory', problem('incidents.rowNotSubCategory', { text: subText, category: category.nameZh, allowed: category.subCategories.map((s) => s.nameZh) }));
    else subCategory = sub.code;
  }

  const description = value('description');
  if (!description) fail('description', problem('incidents.rowDescriptionEmpty'));
  else if (description.length > 2000) fail('description', problem('incidents.rowDescriptionTooLong', { length: description.length }));

  let lon = Number.NaN;
  let lat = Number.NaN;
  const lonText = value('lon');
  const latText = value('lat');
  if (!lonText || !latText) fail(lonText ? 'lat' : 'lon', problem('incidents.rowCoordinatesMissing'));
  else {
    const rawLon = Number(lonText);
    const rawLat = Number(latText);
    const bad = lonLatCodedProblem(rawLon, rawLat);
    if (bad) fail('lon', bad);
    else [lon, lat] = toWgs84([rawLon, rawLat], options.crs);
  }

  let reportedAt: Date | null = null;
  const reportedText = value('reportedAt');
  if (!reportedText) fail('reportedAt', problem('incidents.rowReportTimeEmpty'));
  else {
    reportedAt = parseTableTime(reportedText);
    if (!reportedAt) fail('reportedAt', problem('incidents.rowNotATime', { text: reportedText }));
    else if (reportedAt.getTime() > now.getTime() + 5 * 60_000) fail('reportedAt', problem('incidents.rowReportInFuture', { text: reportedText }));
  }
  let occurredAt: Date | null = null;
  const occurredText = value('occurredAt');
  if (occurredText) {
    occurredAt = parseTableTime(occurredText);
    if (!occurredAt) fail('occurredAt', problem('incidents.rowNotATime', { text: occurredText }));
    else if (reportedAt && occurredAt > reportedAt) fail('occurredAt', problem('incidents.rowOccurredAfterReport'));
  }

  let source = options.defaultSource;
  const sourceText = value('source');
  if (sourceText) {
    const s = (INCIDENT_SOURCES as readonly string[]).includes(sourceText) ? (sourceText as IncidentSource) : SOURCE_LABELS[sourceText];
    if (!s) fail('source', problem('incidents.rowUnknownSource', { text: sourceText }));
    else source = s;
  }

  const phone = value('reporterPhone') || null;
  if (phone && !/^[0-9+ -]{5,20}$/.test(phone)) fail('reporterPhone', problem('incidents.rowPhoneCharacters'));
  const idNumber = value('reporterIdNumber') || null;
  if (idNumber && !/^[0-9]{17}[0-9Xx]$|^[0-9]{15}$/.test(idNumber)) fail('reporterIdNumber', problem('incidents.rowIdNumberLength'));
  const externalIdText = value('externalId');
  if (columns.externalId && !externalIdText) fail('externalId', problem('incidents.rowTicketEmpty'));
  if (externalIdText.length > 100) fail('externalId', problem('incidents.rowTicketTooLong'));

  if (errors.length > 0) return { candidate: null, errors };
  const externalId = externalIdText || stableKey(source, reportedAt!, lon, lat, category!.code, subCategory, description);
  return {
    candidate: {
      row: row.rowNumber,
      externalId,
      category: category!.code,
      subCategory,
      source,
      description,
      lon,
      lat,
      reportedAt: reportedAt!,
      occurredAt,
      reporter: { name: value('reporterName') || null, phone, idNumber: idNumber?.toUpperCase() ?? null },
    },
    errors,
  };
}

/** The key of a row without a ticket number: the same content always gives the same key. */
export function stableKey(source: string, reportedAt: Date, lon: number, lat: number, category: string, subCategory: string | null, description: string): string {
  const text = [source, reportedAt.toISOString(), lon.toFixed(6), lat.toFixed(6), category, subCategory ?? '', description].join('|');
  return `key:${crypto.createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
}

/**
 * Times as exports and spreadsheets write them (shared/instant.ts: ISO, '2026/3/1 8:30',
 * '2026年3月1日 08:30', Excel serial numbers); China time unless an offset is given; impossible
 * dates refused, never rolled over.
 */
export function parseTableTime(text: string): Date | null {
  return tableInstantOrNull(text);
}

/** Errors kept in full for the preview and the job (the total is counted beyond that). */
export const MAX_REPORTED_ERRORS = 1000;
const SAMPLE_ROWS = 20;
/** Points drawn on the preview's map: enough to see an offset, few enough to send. */
const MAP_POINTS = 2000;
/** Rows written per statement: each stays far below the pool's statement timeout, and progress moves. */
const WRITE_BATCH = 50_000;

export interface ImportMapPoint {
  lon: number;
  lat: number;
  outside: boolean;
}

export interface ImportSampleRow {
  row: number;
  category: string;
  lon: number;
  lat: number;
  gridCode: string | null;
  reportedAt: string;
}

export interface CheckedImport {
  totalRows: number;
  keyColumn: string | null;
  /** Rows that would be created. */
  toCreate: number;
  /** Rows already in the database: skipped, not errors. */
  duplicates: number;
  /** How many errors there are in all (a row can have several). */
  errorCount: number;
  /** The first MAX_REPORTED_ERRORS errors, by row. */
  errors: ImportRowError[];
  /** The first rows that would be created. */
  sample: ImportSampleRow[];
  /** Where the rows lie (the first MAP_POINTS with a position), for the preview's map. */
  points: ImportMapPoint[];
  /** Set by a preview when the points look like GCJ-02/BD-09 read as WGS84. */
  crsHint?: CrsHint | null;
}

export type ImportProgress = (phase: ImportJob['phase'], processed: number, total: number) => void;

export interface ImportRun {
  bytes: Buffer;
  fileName: string;
  options: ImportOptions;
  /** The most rows a file may have (the HTTP routes keep the default, MAX_TABLE_ROWS). */
  maxRows?: number;
  /**
   * The importing user's own area (district, street or community code), or null: a row whose
   * point lies in a community outside it is an error, as a single report there would be refused.
   */
  scope?: string | null;
  progress?: ImportProgress;
}

const STAGE_SQL = sqlFile(import.meta.url, 'import-stage.sql');
const PLACE_SQL = sqlFile(import.meta.url, 'import-place.sql');
const CHECK_SQL = sqlFile(import.meta.url, 'import-check.sql');
const SUMMARY_SQL = sqlFile(import.meta.url, 'import-summary.sql');
const ERRORS_SQL = sqlFile(import.meta.url, 'import-errors.sql');
const WRITE_SQL = sqlFile(import.meta.url, 'import-write.sql');
const WRITE_CHILDREN_SQL = sqlFile(import.meta.url, 'import-write-children.sql');
const COPY_SQL =
  'COPY incident_import (row, external_id, category, sub_category, source, description, lon, lat, reported_at, occurred_at, reporter_name, reporter_phone, reporter_id) FROM STDIN';

/**
 * Reads a file and checks it without writing anything: every error (the first 1000 in full), the
 * rows that would be created and those imported already.
 */
export async function checkImport(pool: pg.Pool, repo: IncidentsRepository, run: ImportRun): Promise<CheckedImport> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const checked = await stageAndCheck(client, repo, run);
    // Read as WGS84, are these GCJ-02 points after all? (the preview says so)
    const { rows } = await client.query<{ lon: number; lat: number }>('SELECT lon, lat FROM incident_import ORDER BY row LIMIT 3000');
    checked.crsHint = await crsHint(client, rows.map((r) => [r.lon, r.lat]), run.options.crs);
    return checked;
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
  }
}

/**
 * Imports a file: the same checks as checkImport, then — only if no row has an error — every new
 * row, in the same transaction (all or nothing), with an audit entry. created is 0 when there
 * are errors (nothing was written).
 */
export async function runImport(
  pool: pg.Pool,
  repo: IncidentsRepository,
  audit: AuditRepository,
  run: ImportRun,
  meta: { actorUserId: number; actorUsername: string; ip: string | null },
): Promise<{ checked: CheckedImport; created: number }> {
  const progress = run.progress ?? (() => {});
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const checked = await stageAndCheck(client, repo, run);
    if (checked.errorCount > 0) {
      await client.query('ROLLBACK');
      return { checked, created: 0 };
    }
    const total = checked.totalRows;
    const base = Math.round(total / 2);
    progress('writing', base, total);
    let created = 0;
    // ord numbers every checked row (new or already imported); a re-import with nothing new writes nothing.
    const rows = checked.toCreate > 0 ? checked.toCreate + checked.duplicates : 0;
    for (let from = 0; from < rows; from += WRITE_BATCH) {
      const { rows: inserted } = await client.query<{ id: string; external_id: string; district_code: string; reported_at: Date }>(WRITE_SQL, [from, from + WRITE_BATCH, meta.actorUserId]);
      if (inserted.length > 0) {
        const ids = inserted.map((r) => r.id);
        const districts = inserted.map((r) => r.district_code);
        await client.query(WRITE_CHILDREN_SQL, [ids, inserted.map((r) => r.external_id), districts, from, from + WRITE_BATCH]);
        await client.query(
          `INSERT INTO incident_event (district_code, incident_id, from_status, to_status, actor_user_id, at, note)
           SELECT d, id, NULL, 'reported', $4, at, 'import' FROM unnest($1::bigint[], $2::text[], $3::timestamptz[]) AS e (id, d, at)`,
          [ids, districts, inserted.map((r) => r.reported_at), meta.actorUserId],
        );
        await incidentsWritten(client, districts, ids);
      }
      created += inserted.length;
      progress('writing', base + Math.round((Math.min(from + WRITE_BATCH, rows) / rows) * (total - base)), total);
    }
    await audit.record(
      {
        actorUserId: meta.actorUserId,
        actorUsername: meta.actorUsername,
        action: 'incident.import',
        targetType: 'incident',
        ip: meta.ip,
        success: true,
        detail: { rows: total, created, duplicates: checked.duplicates },
      },
      client,
    );
    await client.query('COMMIT');
    return { checked, created };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Inside the caller's transaction: parses the file row by row (the checks that need no database),
 * copies the good rows into a temporary table, then places, checks and deduplicates them all with
 * a few set-based statements. Leaves incident_import_checked for the write.
 */
async function stageAndCheck(client: pg.PoolClient, repo: IncidentsRepository, run: ImportRun): Promise<CheckedImport> {
  const { bytes, fileName, options } = run;
  const progress = run.progress ?? (() => {});
  progress('reading', 0, 0);
  const categories = await repo.categories(client);
  const now = new Date();
  let columns: Partial<Record<Field, string>> = {};
  const parseErrors: ImportRowError[] = [];
  let parseErrorCount = 0;
  let total = 0;
  const copy = new CopyBuffer();
  await forEachTableRow(
    bytes,
    fileName,
    run.maxRows ?? MAX_TABLE_ROWS,
    (headers) => {
      columns = mapColumns(headers);
      const missing = REQUIRED.filter((f) => !columns[f]);
      if (missing.length > 0) {
        throw badRequest('incidents.missingColumns', {
          file: fileName,
          missing: missing.map((f) => `${COLUMN_ALIASES[f][0]} (${f})`).join(', '),
          headers: headers.filter(Boolean).join(', '),
        });
      }
    },
    (row) => {
      total++;
      const { candidate: c, errors } = parseRow(row, columns, categories, options, now);
      if (errors.length > 0) {
        parseErrorCount += errors.length;
        for (const e of errors) if (parseErrors.length < MAX_REPORTED_ERRORS) parseErrors.push(e);
        return;
      }
      copy.add([
        String(c!.row), copyText(c!.externalId), copyText(c!.category), copyText(c!.subCategory), copyText(c!.source),
        copyText(c!.description), String(c!.lon), String(c!.lat), c!.reportedAt.toISOString(),
        c!.occurredAt ? c!.occurredAt.toISOString() : '\\N',
        copyText(c!.reporter.name), copyText(c!.reporter.phone), copyText(c!.reporter.idNumber),
      ]);
    },
  );
  if (total === 0) throw badRequest('incidents.noRows', { file: fileName });
  progress('validating', Math.round(total / 8), total);

  // Sorts of a million rows (placement, keys, the spatial order) stay in memory.
  await client.query(`SET LOCAL work_mem = '256MB'`);
  await client.query(STAGE_SQL);
  await copyFrom(client, COPY_SQL, copy.flush());
  progress('validating', Math.round(total / 4), total);
  await client.query('ANALYZE incident_import');
  await client.query(PLACE_SQL);
  progress('validating', Math.round((total * 5) / 16), total);
  await client.query(`SELECT set_config('wangge.import_scope', $1, true)`, [run.scope ?? '']);
  await client.query(CHECK_SQL);
  await client.query('CREATE INDEX ON incident_import_checked (ord)');
  await client.query('ANALYZE incident_import_checked');
  progress('validating', Math.round((total * 3) / 8), total);

  const { rows: summary } = await client.query<{ to_create: number; duplicates: number; errors: number; sample: ImportSampleRow[]; points: ImportMapPoint[] }>(SUMMARY_SQL, [SAMPLE_ROWS, MAP_POINTS]);
  const s = summary[0]!;
  const checkErrors: ImportRowError[] = [];
  if (s.errors > 0) {
    const { rows } = await client.query<{ row: number; verdict: 'outside' | 'outside_scope' | 'repeat'; first_row: number; external_id: string; lon: number; lat: number; community_code: string | null; distance_meters: number | null }>(
      ERRORS_SQL,
      [MAX_REPORTED_ERRORS],
    );
    for (const r of rows) {
      if (r.verdict === 'outside') {
        checkErrors.push({
          row: r.row,
          column: columns.lon ?? 'lon',
          ...problem('incidents.rowOutsideDistrict', {
            lon: r.lon.toFixed(6),
            lat: r.lat.toFixed(6),
            crs: options.crs,
            distance: { code: 'distance.meters', params: { meters: Math.round(r.distance_meters ?? 0) } },
          }),
        });
      } else if (r.verdict === 'outside_scope') {
        checkErrors.push({
          row: r.row,
          column: columns.lon ?? 'lon',
          ...problem('incidents.rowOutsideYourArea', { lon: r.lon.toFixed(6), lat: r.lat.toFixed(6), community: r.community_code ?? '—', scope: run.scope ?? '' }),
        });
      } else {
        const repeat = columns.externalId
          ? problem('incidents.rowRepeatsTicket', { row: r.first_row, ticket: r.external_id })
          : problem('incidents.rowRepeats', { row: r.first_row });
        checkErrors.push({ row: r.row, column: columns.externalId ?? null, ...repeat });
      }
    }
  }
  // Rows in error by the parse and by the database are different rows: merged by row number.
  const errors = [...parseErrors, ...checkErrors].sort((a, b) => a.row - b.row).slice(0, MAX_REPORTED_ERRORS);
  progress('validating', Math.round(total / 2), total);
  return {
    totalRows: total,
    keyColumn: columns.externalId ?? null,
    toCreate: s.to_create,
    duplicates: s.duplicates,
    errorCount: parseErrorCount + s.errors,
    errors,
    sample: s.sample.map((r) => ({ ...r, reportedAt: new Date(r.reportedAt).toISOString() })),
    points: s.points.map((p) => ({ lon: Number(p.lon), lat: Number(p.lat), outside: p.outside })),
  };
}

export function previewOf(fileName: string, checked: CheckedImport): ImportPreview {
  return {
    fileName,
    rows: checked.totalRows,
    valid: checked.toCreate + checked.duplicates,
    duplicates: checked.duplicates,
    toCreate: checked.toCreate,
    errors: checked.errors,
    keyColumn: checked.keyColumn,
    sample: checked.sample,
    points: checked.points,
    crsHint: checked.crsHint ?? null,
  };
}
