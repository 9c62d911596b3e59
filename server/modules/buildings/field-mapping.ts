/**
 * Which column holds what: bureaus name their columns in Chinese, pinyin initials or English,
 * and Shapefiles cut names at 10 characters. A column is recognised by its name with case,
 * spaces, underscores, hyphens, brackets and "+" dropped; the user may name a column instead.
 * Pure: no database.
 */
import { COMMON_FIELD_NAMES, matchFieldNames, normalizeFieldName } from '../imports/field-names.js';
import { problem, type Problem } from '../../shared/refusals.js';

export type FigureField = 'households' | 'residents' | 'residents60Plus' | 'residents80Plus';
export type BuildingField = FigureField | 'name' | 'kind' | 'address' | 'buildingCode' | 'lon' | 'lat';
export type GridFigureField = FigureField | 'gridCode';

const FIGURE_ALIASES: Record<FigureField, readonly string[]> = {
  households: COMMON_FIELD_NAMES.households,
  residents: COMMON_FIELD_NAMES.residents,
  residents60Plus: COMMON_FIELD_NAMES.residents60Plus,
  residents80Plus: COMMON_FIELD_NAMES.residents80Plus,
};

export const BUILDING_ALIASES: Record<BuildingField, readonly string[]> = {
  ...FIGURE_ALIASES,
  name: ['名称', '楼栋名称', '楼栋', '楼名', '小区名称', '建筑名称', 'mc', 'ldmc', 'name', 'buildingname'],
  kind: ['类型', '类别', '楼栋类型', 'lx', 'kind', 'type'],
  address: [...COMMON_FIELD_NAMES.address, '楼栋地址'],
  buildingCode: ['楼栋编码', '楼栋编号', '楼栋代码', '建筑编码', '编码', '编号', 'ldbm', 'ldbh', 'bm', 'code', 'buildingcode', 'bldgcode'],
  lon: COMMON_FIELD_NAMES.lon,
  lat: COMMON_FIELD_NAMES.lat,
};

export const GRID_FIGURE_ALIASES: Record<GridFigureField, readonly string[]> = {
  ...FIGURE_ALIASES,
  gridCode: ['网格编码', '网格代码', '网格编号', '网格号', 'wgbm', 'wgdm', 'gridcode', 'grid', 'code', '编码'],
};

export const normalizeColumn = normalizeFieldName;

export interface ColumnMapping<F extends string> {
  columns: Partial<Record<F, string>>;
  missing: F[];
}

/**
 * Finds each field's column among `headers`: the column the user named (which must exist),
 * else the shared matcher (imports/field-names.ts: names, then unambiguous shortened names).
 */
export function mapColumns<F extends string>(
  headers: readonly string[],
  aliases: Record<F, readonly string[]>,
  required: readonly F[],
  chosen: Partial<Record<string, string>> = {},
): ColumnMapping<F> & { unknownChoices: string[] } {
  const columns: Partial<Record<F, string>> = {};
  const unknownChoices: string[] = [];
  for (const field of Object.keys(aliases) as F[]) {
    const named = chosen[field];
    if (named !== undefined) {
      if (headers.includes(named)) columns[field] = named;
      else unknownChoices.push(`${field} → ${named}`);
    }
  }
  const given: Partial<Record<F, string>> = {};
  for (const field of Object.keys(columns) as F[]) given[field] = columns[field];
  Object.assign(columns, matchFieldNames(headers, aliases, given).columns);
  return { columns, missing: required.filter((f) => columns[f] === undefined), unknownChoices };
}

/** A count: a whole number ≥ 0 ("12", 12, "12.0"); otherwise the problem with it. */
export function parseCount(value: unknown): { value: number } | { problem: Problem } {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return { problem: problem('buildings.countEmpty') };
  const text = typeof value === 'number' ? String(value) : String(value).trim().normalize('NFKC').replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(text)) return { problem: problem('buildings.countNotNumber', { text: String(value).slice(0, 20) }) };
  const n = Number(text);
  if (n < 0) return { problem: problem('buildings.countNegative', { text }) };
  if (!Number.isInteger(n)) return { problem: problem('buildings.countNotWhole', { text }) };
  if (n > 1_000_000) return { problem: problem('buildings.countTooLarge', { text }) };
  return { value: n };
}

export type FigureProblem = { column: string } & Problem;

/** Reads the four figures of a row and checks 80+ ≤ 60+ ≤ residents. */
export function readFigures(get: (field: FigureField) => unknown, columns: Partial<Record<FigureField, string>>): { figures: Record<FigureField, number> | null; problems: FigureProblem[] } {
  const problems: FigureProblem[] = [];
  const figures = {} as Record<FigureField, number>;
  for (const field of ['households', 'residents', 'residents60Plus', 'residents80Plus'] as const) {
    const parsed = parseCount(get(field));
    if ('problem' in parsed) problems.push({ column: columns[field]!, ...parsed.problem });
    else figures[field] = parsed.value;
  }
  if (problems.length) return { figures: null, problems };
  if (figures.residents60Plus > figures.residents) {
    problems.push({ column: columns.residents60Plus!, ...problem('buildings.rowR60AboveResidents', { r60: figures.residents60Plus, residents: figures.residents }) });
  }
  if (figures.residents80Plus > figures.residents60Plus) {
    problems.push({ column: columns.residents80Plus!, ...problem('buildings.rowR80AboveR60', { r80: figures.residents80Plus, r60: figures.residents60Plus }) });
  }
  return { figures: problems.length ? null : figures, problems };
}
