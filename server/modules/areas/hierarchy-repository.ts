/**
 * Writing the hierarchy: adding areas (from the national list or a bureau's own list), renaming
 * and retiring one, each with its version in area_version; and reading what is there: the live
 * hierarchy, its top (the city or district every total rolls up to) and the set-up state.
 */
import type { Queryable } from '../../db/pool.js';
import { conflict, notFound } from '../../shared/errors.js';
import { sqlFile } from '../../shared/sql.js';
import type { CodeListArea } from './code-list.js';
import { nationalArea } from './national-list.js';

const HIERARCHY_SQL = sqlFile(import.meta.url, 'hierarchy.sql');
const INSERT_SQL = sqlFile(import.meta.url, 'insert-areas.sql');
const RENAME_SQL = sqlFile(import.meta.url, 'rename-area.sql');
const RETIRE_SQL = sqlFile(import.meta.url, 'retire-area.sql');
const BLOCKERS_SQL = sqlFile(import.meta.url, 'retire-blockers.sql');
const TOP_SQL = sqlFile(import.meta.url, 'top-levels.sql');
const SETUP_SQL = sqlFile(import.meta.url, 'setup-state.sql');

export interface Actor {
  userId: number | null;
  username: string | null;
}

export type AreaLevel = 'city' | 'district' | 'street' | 'community';
const LEVEL_ORDER: Record<AreaLevel, number> = { city: 0, district: 1, street: 2, community: 3 };

export interface HierarchyRow {
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string | null;
  kind: 'urban' | 'village' | null;
  townshipKind: 'street' | 'town' | 'township' | 'special' | null;
  urbanRuralClass: string | null;
  hasOutline: boolean;
  outlineSource: string | null;
  version: number;
  liveGrids: number;
}

export async function hierarchy(db: Queryable): Promise<HierarchyRow[]> {
  const { rows } = await db.query(HIERARCHY_SQL);
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parent_code,
    kind: r.kind,
    townshipKind: r.township_kind,
    urbanRuralClass: r.urban_rural_class,
    hasOutline: r.has_outline,
    outlineSource: r.outline_source,
    version: r.version,
    liveGrids: r.live_grids,
  }));
}

/** Every code in admin_area (live or retired), with its level and whether it is retired. */
export async function existingCodes(db: Queryable, codes: string[]): Promise<Map<string, { level: string; name: string; retired: boolean }>> {
  const { rows } = await db.query(`SELECT code, level, name, retired_at IS NOT NULL AS retired FROM admin_area WHERE code = ANY($1::text[])`, [codes]);
  return new Map(rows.map((r) => [r.code as string, { level: r.level as string, name: r.name as string, retired: r.retired as boolean }]));
}

export interface AddPlan {
  add: CodeListArea[];
  rename: { code: string; level: AreaLevel; from: string; to: string; urbanRuralClass: string | null }[];
  unchanged: number;
  /** Codes that exist but are retired: never reused. */
  retired: string[];
}

/**
 * What adding these areas would do: which are new, which would be renamed (only when
 * `renameExisting`, as for a bureau's own list), which are there already. A district whose city
 * is (or will be) present hangs under it.
 */
export async function planAdd(db: Queryable, areas: CodeListArea[], options: { renameExisting: boolean }): Promise<AddPlan> {
  const existing = await existingCodes(db, [...new Set(areas.flatMap((a) => [a.code, ...(a.code.length === 6 ? [a.code.slice(0, 4)] : [])]))]);
  const plan: AddPlan = { add: [], rename: [], unchanged: 0, retired: [] };
  const cities = new Set([...areas.filter((a) => a.level === 'city').map((a) => a.code), ...[...existing].filter(([, e]) => e.level === 'city' && !e.retired).map(([c]) => c)]);
  for (const a of areas) {
    const e = existing.get(a.code);
    if (!e) {
      const parentCode = a.level === 'district' ? (cities.has(a.code.slice(0, 4)) ? a.code.slice(0, 4) : null) : a.parentCode;
      plan.add.push({ ...a, parentCode });
    } else if (e.retired) plan.retired.push(a.code);
    else if (options.renameExisting && (e.name !== a.name || a.urbanRuralClass)) {
      plan.rename.push({ code: a.code, level: a.level, from: e.name, to: a.name, urbanRuralClass: a.urbanRuralClass });
    } else plan.unchanged++;
  }
  plan.add.sort((x, y) => LEVEL_ORDER[x.level] - LEVEL_ORDER[y.level] || x.code.localeCompare(y.code));
  return plan;
}

/** Applies a plan in the caller's transaction; new cities adopt the districts already there. */
export async function applyAdd(client: Queryable, plan: AddPlan, actor: Actor, reason: string): Promise<void> {
  if (plan.add.length > 0) {
    await client.query(INSERT_SQL, [
      plan.add.map((a) => a.code),
      plan.add.map((a) => a.name),
      plan.add.map((a) => a.level),
      plan.add.map((a) => a.parentCode),
      plan.add.map((a) => a.urbanRuralClass),
      actor.userId,
      actor.username,
      reason,
    ]);
    const newCities = plan.add.filter((a) => a.level === 'city').map((a) => a.code);
    if (newCities.length > 0) {
      await client.query(
        `UPDATE admin_area SET parent_code = substr(code, 1, 4) WHERE level = 'district' AND parent_code IS NULL AND substr(code, 1, 4) = ANY($1::text[])`,
        [newCities],
      );
    }
  }
  for (const r of plan.rename) {
    await client.query(RENAME_SQL, [r.code, r.to, r.urbanRuralClass, actor.userId, actor.username, reason, null]);
  }
}

export async function renameArea(db: Queryable, code: string, name: string, version: number | null, actor: Actor, reason: string): Promise<number> {
  const { rows } = await db.query(RENAME_SQL, [code, name, null, actor.userId, actor.username, reason, version]);
  if (rows.length === 0) await explainMissing(db, code, version);
  return rows[0].version;
}

/** Refuses while live grids or live child areas remain, naming them. */
export async function retireArea(db: Queryable, code: string, version: number | null, actor: Actor, reason: string): Promise<number> {
  const { rows: blockers } = await db.query<{ kind: 'grid' | 'area'; code: string; name: string }>(BLOCKERS_SQL, [code]);
  if (blockers.length > 0) {
    const list = (kind: string) => blockers.filter((b) => b.kind === kind).map((b) => `${b.code} ${b.name}`);
    const grids = list('grid');
    const areas = list('area');
    const parts = [
      grids.length ? `${grids.length} live grid(s) — move or retire them first: ${grids.slice(0, 10).join(', ')}${grids.length > 10 ? ', …' : ''}` : '',
      areas.length ? `${areas.length} live child area(s) — retire them first: ${areas.slice(0, 10).join(', ')}${areas.length > 10 ? ', …' : ''}` : '',
    ].filter(Boolean);
    throw conflict('areas.retireBlocked', { code, detail: parts.join('; and ') }, { grids: blockers.filter((b) => b.kind === 'grid'), areas: blockers.filter((b) => b.kind === 'area') });
  }
  const { rows } = await db.query(RETIRE_SQL, [code, actor.userId, actor.username, reason, version]);
  if (rows.length === 0) await explainMissing(db, code, version);
  return rows[0].version;
}

async function explainMissing(db: Queryable, code: string, version: number | null): Promise<never> {
  const { rows } = await db.query(`SELECT version, retired_at FROM admin_area WHERE code = $1`, [code]);
  if (rows.length === 0) throw notFound('areas.doesNotExist', { code });
  if (rows[0].retired_at) throw conflict('areas.isRetired', { code });
  throw conflict('areas.changedMeanwhile', { code, currentVersion: rows[0].version, version });
}

/** The top of the hierarchy: what every total rolls up to and what the pages call "全市"/"全区". */
export interface HierarchyRoot {
  /** 'city' when a city (or several districts of one) is present, 'district' for one district, null when there is none. */
  level: 'city' | 'district' | null;
  /** The city's 4-digit or the district's 6-digit code; '' for districts of several cities. */
  code: string;
  name: string;
  /** Whether the top is a row of admin_area (else named from the national list). */
  stored: boolean;
  districts: { code: string; name: string }[];
}

/**
 * A city row is the top when there is one. One district without a city is its own top (全区).
 * Several districts without a city row roll up to their city as the national list names it
 * (全市), or, for districts of different cities, to "all districts" with an empty code.
 */
export async function hierarchyRoot(db: Queryable): Promise<HierarchyRoot> {
  const { rows } = await db.query<{ code: string; name: string; level: string }>(TOP_SQL);
  const districts = rows.filter((r) => r.level === 'district').map((r) => ({ code: r.code, name: r.name }));
  const city = rows.find((r) => r.level === 'city');
  if (city) return { level: 'city', code: city.code, name: city.name, stored: true, districts };
  if (districts.length === 0) return { level: null, code: '', name: '', stored: false, districts };
  if (districts.length === 1) return { level: 'district', code: districts[0]!.code, name: districts[0]!.name, stored: true, districts };
  const cityCodes = new Set(districts.map((d) => d.code.slice(0, 4)));
  if (cityCodes.size === 1) {
    const cityCode = [...cityCodes][0]!;
    return { level: 'city', code: cityCode, name: nationalArea(cityCode)?.name ?? cityCode, stored: false, districts };
  }
  return { level: 'city', code: '', name: '', stored: false, districts };
}

export interface SetupState {
  areas: Record<AreaLevel, { total: number; withOutline: number }>;
  grids: number;
  buildings: number;
  facilities: number;
  incidents: number;
}

export async function setupState(db: Queryable): Promise<SetupState> {
  const { rows } = await db.query(SETUP_SQL);
  const r = rows[0];
  const zero = { total: 0, withOutline: 0 };
  return {
    areas: { city: r.areas.city ?? zero, district: r.areas.district ?? zero, street: r.areas.street ?? zero, community: r.areas.community ?? zero },
    grids: r.grids,
    buildings: r.buildings,
    facilities: r.facilities,
    incidents: r.incidents,
  };
}

