/**
 * Bulk import of incidents from CSV/Excel exports (e.g. a 12345 hotline's tickets).
 *
 * Preview: read the table, check every row (category, coordinates in the declared coordinate
 * system, inside the district, times), and say row by row what is wrong; nothing is written.
 * Commit: the same checks, then — only if no row has an error — every new row in one
 * transaction; progress is reported as rows are checked and written. Re-importing a file
 * creates nothing twice: a row's key is its ticket number when the file has one, otherwise a
 * stable hash of its content (source, time, place, category, description).
 */
import crypto from 'node:crypto';
import type pg from 'pg';
import { withTransaction, type Queryable } from '../../db/pool.js';
import { lonLatProblem, toWgs84, type SourceCrs } from '../../shared/coordinates.js';
import { readTable, type TableRow } from '../../shared/tabular.js';
import { sqlFile } from '../../shared/sql.js';
import { badRequest } from '../../shared/errors.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import type { IncidentsRepository } from './incidents-repository.js';
import { parseInstant } from './period.js';
import type { CategoryInfo, ImportJob, ImportPreview, ImportRowError, IncidentSource } from './schemas.js';
import { INCIDENT_SOURCES } from './schemas.js';

const CREATE_MANY_SQL = sqlFile(import.meta.url, 'create-many.sql');

/** Accepted headers for each field (Chinese exports first, then English). */
export const COLUMN_ALIASES = {
  externalId: ['工单编号', '工单号', '编号', 'external_id', 'externalid', 'ticket'],
  category: ['类别', '事件类别', '大类', 'category'],
  subCategory: ['子类', '小类', '事件子类', 'sub_category', 'subcategory'],
  description: ['描述', '内容', '诉求内容', '事件描述', 'description'],
  lon: ['经度', 'lon', 'lng', 'longitude'],
  lat: ['纬度', 'lat', 'latitude'],
  reportedAt: ['上报时间', '来电时间', '受理时间', 'reported_at', 'reportedat'],
  occurredAt: ['发生时间', 'occurred_at', 'occurredat'],
  source: ['来源', 'source'],
  reporterName: ['姓名', '联系人', '来电人', 'reporter_name'],
  reporterPhone: ['电话', '联系电话', '手机', 'reporter_phone'],
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
  gridCode: string | null;
}

export interface CheckedImport {
  totalRows: number;
  keyColumn: string | null;
  candidates: ImportCandidate[];
  /** Rows already in the database (or twice in the file): skipped, not errors. */
  duplicates: number;
  errors: ImportRowError[];
}

/** Which header of the file maps to each field. */
export function mapColumns(headers: string[]): Partial<Record<Field, string>> {
  const mapping: Partial<Record<Field, string>> = {};
  for (const field of Object.keys(COLUMN_ALIASES) as Field[]) {
    const aliases = COLUMN_ALIASES[field] as readonly string[];
    const header = headers.find((h) => aliases.includes(h.trim().toLowerCase()) || aliases.includes(h.trim()));
    if (header) mapping[field] = header;
  }
  return mapping;
}

/** Parses one row into a candidate (WGS84) or its errors. Pure: no database. */
export function parseRow(
  row: TableRow,
  columns: Partial<Record<Field, string>>,
  categories: readonly CategoryInfo[],
  options: ImportOptions,
  now: Date,
): { candidate: Omit<ImportCandidate, 'gridCode'> | null; errors: ImportRowError[] } {
  const errors: ImportRowError[] = [];
  const value = (f: Field) => (columns[f] ? (row.values[columns[f]!] ?? '').trim() : '');
  const fail = (f: Field | null, message: string) => errors.push({ row: row.rowNumber, column: f ? (columns[f] ?? f) : null, message });

  const categoryText = value('category');
  const category = categories.find((c) => c.code === categoryText || c.nameZh === categoryText || c.nameEn.toLowerCase() === categoryText.toLowerCase());
  if (!categoryText) fail('category', 'the category is empty');
  else if (!category) fail('category', `unknown category '${categoryText}' (one of: ${categories.map((c) => c.nameZh).join('、')})`);
  let subCategory: string | null = null;
  const subText = value('subCategory');
  if (subText && category) {
    const sub = category.subCategories.find((s) => s.code === subText || s.nameZh === subText || s.nameEn.toLowerCase() === subText.toLowerCase());
    if (!sub) fail('subCategory', `'${subText}' is not a sub-category of ${category.nameZh} (one of: ${category.subCategories.map((s) => s.nameZh).join('、')})`);
    else subCategory = sub.code;
  }

  const description = value('description');
  if (!description) fail('description', 'the description is empty');
  else if (description.length > 2000) fail('description', `the description has ${description.length} characters; at most 2000`);

  let lon = Number.NaN;
  let lat = Number.NaN;
  const lonText = value('lon');
  const latText = value('lat');
  if (!lonText || !latText) fail(lonText ? 'lat' : 'lon', 'the coordinates are missing');
  else {
    const rawLon = Number(lonText);
    const rawLat = Number(latText);
    const problem = lonLatProblem(rawLon, rawLat);
    if (problem) fail('lon', problem);
    else [lon, lat] = toWgs84([rawLon, rawLat], options.crs);
  }

  let reportedAt: Date | null = null;
  const reportedText = value('reportedAt');
  if (!reportedText) fail('reportedAt', 'the report time is empty');
  else {
    reportedAt = parseTableTime(reportedText);
    if (!reportedAt) fail('reportedAt', `'${reportedText}' is not a time (e.g. 2026-03-01 08:30)`);
    else if (reportedAt.getTime() > now.getTime() + 5 * 60_000) fail('reportedAt', `${reportedText} is in the future`);
  }
  let occurredAt: Date | null = null;
  const occurredText = value('occurredAt');
  if (occurredText) {
    occurredAt = parseTableTime(occurredText);
    if (!occurredAt) fail('occurredAt', `'${occurredText}' is not a time`);
    else if (reportedAt && occurredAt > reportedAt) fail('occurredAt', 'the incident cannot occur after it was reported');
  }

  let source = options.defaultSource;
  const sourceText = value('source');
  if (sourceText) {
    const s = (INCIDENT_SOURCES as readonly string[]).includes(sourceText) ? (sourceText as IncidentSource) : SOURCE_LABELS[sourceText];
    if (!s) fail('source', `unknown source '${sourceText}' (网格员, 12345热线, 群众, 视频, 上级交办)`);
    else source = s;
  }

  const phone = value('reporterPhone') || null;
  if (phone && !/^[0-9+ -]{5,20}$/.test(phone)) fail('reporterPhone', 'the phone number has characters other than digits, +, - and spaces');
  const idNumber = value('reporterIdNumber') || null;
  if (idNumber && !/^[0-9]{17}[0-9Xx]$|^[0-9]{15}$/.test(idNumber)) fail('reporterIdNumber', 'an ID number has 18 characters (or 15 digits)');
  const externalIdText = value('externalId');
  if (columns.externalId && !externalIdText) fail('externalId', 'the ticket number is empty');
  if (externalIdText.length > 100) fail('externalId', 'the ticket number is longer than 100 characters');

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

/** Times as exports write them: ISO, '2026-03-01 08:30', '2026/3/1 8:30'; China time unless an offset is given. */
export function parseTableTime(text: string): Date | null {
  const t = text.trim();
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (m) {
    const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` + (m[4] ? `T${m[4].padStart(2, '0')}:${m[5]}:${m[6] ?? '00'}` : '');
    try {
      return parseInstant(iso, 'time');
    } catch {
      return null;
    }
  }
  try {
    return parseInstant(t, 'time');
  } catch {
    return null;
  }
}

const CHUNK = 5000;

/** Reads and checks a file: every error, and the rows that would be created. Writes nothing. */
export async function checkImport(
  db: Queryable,
  repo: IncidentsRepository,
  bytes: Buffer,
  fileName: string,
  options: ImportOptions,
  progress: (phase: ImportJob['phase'], processed: number, total: number) => void = () => {},
): Promise<CheckedImport> {
  progress('reading', 0, 0);
  const table = await readTable(bytes, fileName);
  const columns = mapColumns(table.headers);
  const missing = REQUIRED.filter((f) => !columns[f]);
  if (missing.length > 0) {
    throw badRequest(
      `file ${fileName}: missing column(s) ${missing.map((f) => `${COLUMN_ALIASES[f][0]} (${f})`).join(', ')}; the header row has: ${table.headers.filter(Boolean).join(', ')}`,
    );
  }
  if (table.rows.length === 0) throw badRequest(`file ${fileName}: the table has a header but no rows`);
  const categories = await repo.categories(db);
  const now = new Date();
  const total = table.rows.length;
  const errors: ImportRowError[] = [];
  const parsed: Omit<ImportCandidate, 'gridCode'>[] = [];
  for (const row of table.rows) {
    const r = parseRow(row, columns, categories, options, now);
    errors.push(...r.errors);
    if (r.candidate) parsed.push(r.candidate);
  }
  progress('validating', Math.round(total / 4), total);

  // Placement, in chunks: outside the district is an error; a grid is assigned by the one rule.
  const placed: ImportCandidate[] = [];
  for (let start = 0; start < parsed.length; start += CHUNK) {
    const chunk = parsed.slice(start, start + CHUNK);
    const located = await repo.locateMany(chunk, db);
    chunk.forEach((c, k) => {
      const loc = located[k]!;
      if (!loc.inside) {
        errors.push({
          row: c.row,
          column: columns.lon ?? 'lon',
          message: `(${c.lon.toFixed(6)}, ${c.lat.toFixed(6)}) (WGS84, converted from ${options.crs}) is outside the district, ${Math.round(loc.distance_meters)} m from its boundary`,
        });
      } else placed.push({ ...c, gridCode: loc.grid_code });
    });
    progress('validating', Math.round(total / 4 + ((start + chunk.length) / Math.max(parsed.length, 1)) * (total / 4)), total);
  }

  // Duplicates: in the database already (skipped), or twice in this file (an error).
  const seen = new Map<string, number>();
  const existing = new Set<string>();
  for (let start = 0; start < placed.length; start += CHUNK) {
    const keys = placed.slice(start, start + CHUNK).map((c) => c.externalId);
    const { rows } = await db.query<{ external_id: string }>(`SELECT external_id FROM incident WHERE external_id = ANY ($1::text[])`, [keys]);
    for (const r of rows) existing.add(r.external_id);
  }
  const candidates: ImportCandidate[] = [];
  let duplicates = 0;
  for (const c of placed) {
    const first = seen.get(c.externalId);
    if (first !== undefined) {
      errors.push({ row: c.row, column: columns.externalId ?? null, message: `the same incident as row ${first}` + (columns.externalId ? ` (ticket ${c.externalId})` : '') });
      continue;
    }
    seen.set(c.externalId, c.row);
    if (existing.has(c.externalId)) duplicates++;
    else candidates.push(c);
  }
  errors.sort((a, b) => a.row - b.row);
  return { totalRows: total, keyColumn: columns.externalId ?? null, candidates, duplicates, errors };
}

export function previewOf(fileName: string, checked: CheckedImport): ImportPreview {
  return {
    fileName,
    rows: checked.totalRows,
    valid: checked.candidates.length + checked.duplicates,
    duplicates: checked.duplicates,
    toCreate: checked.candidates.length,
    errors: checked.errors.slice(0, 1000),
    keyColumn: checked.keyColumn,
    sample: checked.candidates.slice(0, 20).map((c) => ({
      row: c.row,
      category: c.category,
      lon: c.lon,
      lat: c.lat,
      gridCode: c.gridCode,
      reportedAt: c.reportedAt.toISOString(),
    })),
  };
}

/** Writes the checked candidates in one transaction (all or nothing), with an audit entry. */
export async function writeImport(
  pool: pg.Pool,
  audit: AuditRepository,
  candidates: ImportCandidate[],
  meta: { actorUserId: number; actorUsername: string; ip: string | null; fileName: string; totalRows: number; duplicates: number },
  progress: (processed: number) => void,
): Promise<number> {
  return withTransaction(pool, async (client) => {
    let created = 0;
    const WRITE_CHUNK = 2000;
    for (let start = 0; start < candidates.length; start += WRITE_CHUNK) {
      const c = candidates.slice(start, start + WRITE_CHUNK);
      const { rows } = await client.query<{ created: number }>(CREATE_MANY_SQL, [
        c.map((x) => x.externalId), c.map((x) => x.category), c.map((x) => x.subCategory), c.map((x) => x.source),
        c.map((x) => x.occurredAt), c.map((x) => x.reportedAt), c.map((x) => x.lon), c.map((x) => x.lat), c.map((x) => x.description),
        c.map((x) => x.reporter.name), c.map((x) => x.reporter.phone), c.map((x) => x.reporter.idNumber), meta.actorUserId,
      ]);
      created += rows[0]!.created;
      progress(start + c.length);
    }
    await audit.record(
      {
        actorUserId: meta.actorUserId,
        actorUsername: meta.actorUsername,
        action: 'incident.import',
        targetType: 'incident',
        ip: meta.ip,
        success: true,
        detail: { rows: meta.totalRows, created, duplicates: meta.duplicates },
      },
      client,
    );
    return created;
  });
}
