/**
 * Which column holds what: bureaus name their columns in Chinese, pinyin initials or English,
 * and Shapefiles cut names at 10 characters. A column is recognised by its name with case,
 * spaces, underscores, hyphens, brackets and "+" dropped; the user may name a column instead.
 * Pure: no database.
 */
export type FigureField = 'households' | 'residents' | 'residents60Plus' | 'residents80Plus';
export type BuildingField = FigureField | 'name' | 'kind' | 'address' | 'buildingCode' | 'lon' | 'lat';
export type GridFigureField = FigureField | 'gridCode';

const FIGURE_ALIASES: Record<FigureField, string[]> = {
  households: ['户数', '住户数', '总户数', '实有户数', '户', 'hushu', 'hs', 'households', 'household', 'hh', 'hhs'],
  residents: ['人数', '人口', '人口数', '总人口', '常住人口', '实有人口', '居民人数', '居住人数', 'renshu', 'renkou', 'rk', 'rs', 'residents', 'population', 'pop', 'persons'],
  residents60Plus: ['60岁以上', '60岁及以上', '60岁以上人口', '60岁及以上人口', '60周岁以上', '老年人', '老年人口', '老人', '60', 'age60', '60plus', 'over60', 'residents60plus', 'residents60', 'elderly', 'lnrk', 'r60'],
  residents80Plus: ['80岁以上', '80岁及以上', '80岁以上人口', '80岁及以上人口', '80周岁以上', '高龄老人', '高龄', '80', 'age80', '80plus', 'over80', 'residents80plus', 'residents80', 'glrk', 'r80'],
};

export const BUILDING_ALIASES: Record<BuildingField, string[]> = {
  ...FIGURE_ALIASES,
  name: ['名称', '楼栋名称', '楼栋', '楼名', '小区名称', '建筑名称', 'mc', 'ldmc', 'name', 'buildingname'],
  kind: ['类型', '类别', '楼栋类型', 'lx', 'kind', 'type'],
  address: ['地址', '门牌地址', '详细地址', '楼栋地址', 'dz', 'dizhi', 'address', 'addr'],
  buildingCode: ['楼栋编码', '楼栋编号', '楼栋代码', '建筑编码', '编码', '编号', 'ldbm', 'ldbh', 'bm', 'code', 'buildingcode', 'bldgcode'],
  lon: ['经度', 'jd', 'jingdu', 'lon', 'lng', 'long', 'longitude', 'x'],
  lat: ['纬度', 'wd', 'weidu', 'lat', 'latitude', 'y'],
};

export const GRID_FIGURE_ALIASES: Record<GridFigureField, string[]> = {
  ...FIGURE_ALIASES,
  gridCode: ['网格编码', '网格代码', '网格编号', '网格号', 'wgbm', 'wgdm', 'gridcode', 'grid', 'code', '编码'],
};

export const normalizeColumn = (name: string) => name.normalize('NFKC').toLowerCase().replace(/[\s_\-()（）+＋:：]/g, '');

export interface ColumnMapping<F extends string> {
  columns: Partial<Record<F, string>>;
  missing: F[];
}

/**
 * Finds each field's column among `headers`: the column the user named (which must exist),
 * else the first header whose normalised name is one of the field's aliases.
 */
export function mapColumns<F extends string>(
  headers: readonly string[],
  aliases: Record<F, string[]>,
  required: readonly F[],
  chosen: Partial<Record<string, string>> = {},
): ColumnMapping<F> & { unknownChoices: string[] } {
  const columns: Partial<Record<F, string>> = {};
  const unknownChoices: string[] = [];
  const taken = new Set<string>();
  for (const field of Object.keys(aliases) as F[]) {
    const named = chosen[field];
    if (named !== undefined) {
      if (headers.includes(named)) {
        columns[field] = named;
        taken.add(named);
      } else unknownChoices.push(`${field} → ${named}`);
    }
  }
  for (const field of Object.keys(aliases) as F[]) {
    if (columns[field] !== undefined) continue;
    const wanted = new Set(aliases[field].map(normalizeColumn));
    const header = headers.find((h) => !taken.has(h) && wanted.has(normalizeColumn(h)));
    if (header !== undefined) {
      columns[field] = header;
      taken.add(header);
    }
  }
  return { columns, missing: required.filter((f) => columns[f] === undefined), unknownChoices };
}

/** A count: a whole number ≥ 0 ("12", 12, "12.0"); otherwise the reason it is not. */
export function parseCount(value: unknown): { value: number } | { problem: string } {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return { problem: 'empty (a whole number ≥ 0 is needed)' };
  const text = typeof value === 'number' ? String(value) : String(value).trim().normalize('NFKC').replace(/,/g, '');
  if (!/^-?\d+(\.\d+)?$/.test(text)) return { problem: `"${String(value).slice(0, 20)}" is not a number` };
  const n = Number(text);
  if (n < 0) return { problem: `${text} is negative` };
  if (!Number.isInteger(n)) return { problem: `${text} is not a whole number` };
  if (n > 1_000_000) return { problem: `${text} is more than one building can hold` };
  return { value: n };
}

export interface FigureProblem {
  column: string;
  message: string;
}

/** Reads the four figures of a row and checks 80+ ≤ 60+ ≤ residents. */
export function readFigures(get: (field: FigureField) => unknown, columns: Partial<Record<FigureField, string>>): { figures: Record<FigureField, number> | null; problems: FigureProblem[] } {
  const problems: FigureProblem[] = [];
  const figures = {} as Record<FigureField, number>;
  for (const field of ['households', 'residents', 'residents60Plus', 'residents80Plus'] as const) {
    const parsed = parseCount(get(field));
    if ('problem' in parsed) problems.push({ column: columns[field]!, message: parsed.problem });
    else figures[field] = parsed.value;
  }
  if (problems.length) return { figures: null, problems };
  if (figures.residents60Plus > figures.residents) {
    problems.push({ column: columns.residents60Plus!, message: `60+ (${figures.residents60Plus}) is more than the residents (${figures.residents})` });
  }
  if (figures.residents80Plus > figures.residents60Plus) {
    problems.push({ column: columns.residents80Plus!, message: `80+ (${figures.residents80Plus}) is more than 60+ (${figures.residents60Plus})` });
  }
  return { figures: problems.length ? null : figures, problems };
}
