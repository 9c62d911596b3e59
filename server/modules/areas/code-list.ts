/**
 * A bureau's own code list (CSV or Excel: level, code, name, parent; Chinese headers accepted,
 * optional 城乡分类代码) checked row by row, before anything is written. Pure but for the
 * national list, which names a district (or city) that the list only implies.
 */
import type { TableRow } from '../../shared/tabular.js';
import { phrase } from '../../shared/errors.js';
import { problem, type Problem, type RefusalParams } from '../../shared/refusals.js';
import { nationalArea, type NationalLevel } from './national-list.js';

export interface CodeListArea {
  level: NationalLevel;
  code: string;
  name: string;
  parentCode: string | null;
  urbanRuralClass: string | null;
  /** The file row it came from; null for an area implied by its children's codes. */
  rowNumber: number | null;
}

/** A problem of one row: where, the problem's code and params, its English message. */
export type RowError = { rowNumber: number; column: string | null } & Problem;

/** A level as a phrase (区县, 街道（乡镇）…). */
const levelPhrase = (level: string) => phrase(`areaLevel.${level}` as 'areaLevel.city');

const HEADERS: Record<'level' | 'code' | 'name' | 'parent' | 'urbanRuralClass', string[]> = {
  level: ['level', '级别', '层级'],
  code: ['code', '代码', '区划代码', '统计用区划代码'],
  name: ['name', '名称'],
  parent: ['parent', 'parent_code', 'parentcode', '上级代码', '上级'],
  urbanRuralClass: ['urban_rural_class', 'urbanruralclass', '城乡分类代码', '城乡分类'],
};

const LEVEL_WORDS: Record<string, NationalLevel> = {
  city: 'city', 市: 'city', 地级市: 'city',
  district: 'district', 区: 'district', 县: 'district', 区县: 'district', '区/县': 'district', 县级: 'district',
  street: 'street', township: 'street', town: 'street', 街道: 'street', 镇: 'street', 乡: 'street', 乡镇: 'street', '乡镇/街道': 'street', '街道/乡镇': 'street', 乡级: 'street',
  community: 'community', village: 'community', 社区: 'community', 村: 'community', 居委会: 'community', 村委会: 'community', '社区/村': 'community', 村级: 'community',
};

const CODE_LENGTH: Record<NationalLevel, number> = { city: 4, district: 6, street: 9, community: 12 };
const LEVEL_OF_LENGTH: Record<number, NationalLevel> = { 4: 'city', 6: 'district', 9: 'street', 12: 'community' };
const PARENT_LEVEL: Record<NationalLevel, NationalLevel | null> = { city: null, district: 'city', street: 'district', community: 'street' };

/** The parent code a code implies (its prefix one level up); null for a city. */
export function impliedParent(code: string): string | null {
  return code.length === 12 ? code.slice(0, 9) : code.length === 9 ? code.slice(0, 6) : code.length === 6 ? code.slice(0, 4) : null;
}

/** Why a code cannot be an area of its level (the numbering rule of DOMAIN.md), or null. */
export function codeProblem(level: NationalLevel, code: string): Problem | null {
  if (!/^[0-9]+$/.test(code)) return problem('codeList.notDigits', { code });
  if (code.length !== CODE_LENGTH[level]) return problem('codeList.digitCount', { code, digits: code.length, level: levelPhrase(level), expected: CODE_LENGTH[level] });
  if (level === 'street') {
    const n = Number(code.slice(6, 9));
    if (n < 1 || n > 599) return problem('codeList.townshipNumber', { code, number: code.slice(6, 9) });
  }
  if (level === 'community' && Number(code.slice(9, 12)) < 1) return problem('codeList.villageNumber', { code });
  if (level === 'district' && Number(code.slice(4, 6)) < 1) return problem('codeList.countyNumber', { code });
  return null;
}

function findColumn(headers: string[], names: string[]): string | null {
  const normalised = headers.map((h) => h.trim().toLowerCase().replace(/\s+/g, ''));
  const i = normalised.findIndex((h) => names.includes(h));
  return i < 0 ? null : headers[i]!;
}

export interface CheckedCodeList {
  areas: CodeListArea[];
  errors: RowError[];
  rowCount: number;
}

/**
 * Checks the rows of an uploaded list against each other and against what already exists
 * (`existing`: code → level of the live areas in the database). A street or community whose
 * district is neither in the list nor in the database implies it: named from the national list
 * when it is there, else it is an error asking for a row for it.
 */
export function checkCodeList(headers: string[], rows: TableRow[], existing: Map<string, string>): CheckedCodeList {
  const columns = {
    level: findColumn(headers, HEADERS.level),
    code: findColumn(headers, HEADERS.code),
    name: findColumn(headers, HEADERS.name),
    parent: findColumn(headers, HEADERS.parent),
    urbanRuralClass: findColumn(headers, HEADERS.urbanRuralClass),
  };
  const missing = (['code', 'name'] as const).filter((c) => !columns[c]);
  if (missing.length > 0) {
    return {
      areas: [],
      rowCount: rows.length,
      errors: [{ rowNumber: 1, column: null, ...problem('codeList.noHeaderColumns', { missing: missing.map((c) => phrase(c === 'code' ? 'codeList.columnCode' : 'codeList.columnName')) }) }],
    };
  }
  const errors: RowError[] = [];
  const areas: CodeListArea[] = [];
  const firstRowOf = new Map<string, number>();
  const err = (rowNumber: number, column: string | null, p: Problem) => errors.push({ rowNumber, column, ...p });

  for (const row of rows) {
    const cell = (c: string | null) => (c ? (row.values[c] ?? '').trim() : '');
    const code = cell(columns.code);
    const name = cell(columns.name);
    const levelText = cell(columns.level);
    const parentText = cell(columns.parent);
    const classText = cell(columns.urbanRuralClass);
    const before = errors.length;
    if (!code) {
      err(row.rowNumber, columns.code, problem('codeList.noCode'));
      continue;
    }
    let level: NationalLevel | undefined;
    if (levelText) {
      level = LEVEL_WORDS[levelText.toLowerCase()];
      if (!level) err(row.rowNumber, columns.level, problem('codeList.unknownLevel', { text: levelText.slice(0, 40) }));
    } else {
      level = LEVEL_OF_LENGTH[code.length];
      if (!level) err(row.rowNumber, columns.code, problem('codeList.unknownCodeLength', { code: code.slice(0, 40) }));
    }
    if (!level) continue;
    const bad = codeProblem(level, code);
    if (bad) {
      const inconsistent = levelText && code.length !== CODE_LENGTH[level];
      err(row.rowNumber, columns.code, inconsistent ? problem('codeList.inconsistentLevel', { problem: { code: bad.code, params: bad.params }, level: levelText }) : bad);
    }
    if (!name) err(row.rowNumber, columns.name, problem('codeList.noName'));
    else if (name.length > 100) err(row.rowNumber, columns.name, problem('codeList.nameTooLong'));
    const first = firstRowOf.get(code);
    if (first !== undefined) err(row.rowNumber, columns.code, problem('codeList.duplicate', { code, first }));
    else firstRowOf.set(code, row.rowNumber);
    const implied = impliedParent(code);
    let parentCode: string | null = level === 'city' ? null : implied;
    if (parentText) {
      if (level === 'city') err(row.rowNumber, columns.parent, problem('codeList.cityNoParent'));
      else if (parentText !== implied) err(row.rowNumber, columns.parent, problem('codeList.parentNotPrefix', { parent: parentText.slice(0, 40), code, expected: implied }));
    }
    if (classText && !/^[12][0-9]{2}$/.test(classText)) err(row.rowNumber, columns.urbanRuralClass, problem('codeList.badUrbanRural', { text: classText.slice(0, 40) }));
    if (classText && level !== 'community') err(row.rowNumber, columns.urbanRuralClass, problem('codeList.urbanRuralOnlyCommunity'));
    if (existing.has(code) && existing.get(code) !== level) err(row.rowNumber, columns.code, problem('codeList.existsAsOther', { code, level: levelPhrase(existing.get(code)!) }));
    if (errors.length > before) continue;
    if (level === 'district' && parentCode && !firstRowOf.has(parentCode) && !existing.has(parentCode) && !parentText) parentCode = null;
    areas.push({ level, code, name, parentCode, urbanRuralClass: classText || null, rowNumber: row.rowNumber });
  }

  // Parents: in the list, in the database, or (a district or city only) implied from the national list.
  const inList = new Map(areas.map((a) => [a.code, a]));
  const implied: CodeListArea[] = [];
  for (const a of areas) {
    if (!a.parentCode || inList.has(a.parentCode) || existing.has(a.parentCode)) continue;
    const parentLevel = PARENT_LEVEL[a.level]!;
    const national = parentLevel === 'district' || parentLevel === 'city' ? nationalArea(a.parentCode) : undefined;
    if (national && national.level === parentLevel) {
      const district: CodeListArea = { level: parentLevel, code: national.code, name: national.name, parentCode: null, urbanRuralClass: null, rowNumber: null };
      inList.set(district.code, district);
      implied.push(district);
    } else {
      const where: RefusalParams[string] = parentLevel === 'district' ? phrase('codeList.norNational') : '';
      err(a.rowNumber!, columns.parent ?? columns.code, problem('codeList.parentMissing', { parent: a.parentCode, code: a.code, where }));
    }
  }
  errors.sort((x, y) => x.rowNumber - y.rowNumber);
  return { areas: [...implied, ...areas], errors, rowCount: rows.length };
}
