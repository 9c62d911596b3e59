/**
 * Matching the features of an outline file to the areas of the code list (pure). A feature is
 * matched by its code when a field holds one of the level's codes; otherwise by its name: the
 * exact name first, then the name with the usual suffixes stripped on both sides
 * ("体育社区居民委员会" = "体育社区" = "体育"). A name that fits several areas is ambiguous,
 * and so is an area that several features claim; the planner settles both by hand.
 */

import { problem, type Problem, type RefusalCode, type RefusalParams } from '../../shared/refusals.js';

export type OutlineLevel = 'district' | 'street' | 'community';
export const OUTLINE_LEVELS: readonly OutlineLevel[] = ['district', 'street', 'community'];
export const CODE_LENGTH: Record<OutlineLevel, number> = { district: 6, street: 9, community: 12 };
export const LEVEL_NAMES_ZH: Record<OutlineLevel, string> = { district: '区县', street: '街道（乡镇）', community: '社区（村）' };

export interface AreaRef {
  code: string;
  name: string;
  parentCode: string | null;
  parentName: string | null;
}

export type MatchStatus = 'matched' | 'unmatched' | 'ambiguous' | 'skipped';

export interface FeatureMatch {
  feature: number;
  /** What the file calls it (the name field), and the code it gives, if any. */
  name: string | null;
  codeValue: string | null;
  status: MatchStatus;
  areaCode: string | null;
  areaName: string | null;
  by: 'code' | 'name' | 'name-without-suffix' | 'override' | null;
  /** For an ambiguous feature: the areas it could be. */
  candidates: { code: string; name: string; parentName: string | null }[];
  /** Why it is unmatched or ambiguous (English), and the same as a catalogue code with parameters. */
  note: string | null;
  noteCode: RefusalCode | null;
  noteParams: RefusalParams | null;
}

/** A note's three fields from a problem (or none). */
const noteOf = (p: Problem | null) => ({ note: p?.message ?? null, noteCode: p?.code ?? null, noteParams: p?.params ?? null });
/** A level as a phrase of the catalogue (区县, 街道（乡镇）, 社区（村）). */
export const levelPhrase = (level: OutlineLevel) => ({ code: `areaLevel.${level}` });

/** Longest first: the first that ends a name is stripped, once. */
const SUFFIXES: Record<OutlineLevel, string[]> = {
  community: ['社区居民委员会', '社区居民居委会', '社区居委会', '居民委员会', '村民委员会', '居民居委会', '居委会', '村委会', '社区', '村'],
  street: ['街道办事处', '人民政府', '办事处', '街道', '镇', '乡'],
  district: ['人民政府', '区', '县', '市'],
};

/** A name without spaces and without the level's usual suffix ("新村社区居委会" → "新村"). */
export function nameWithoutSuffix(name: string, level: OutlineLevel): string {
  const out = name.replace(/\s+/g, '');
  const suffix = SUFFIXES[level].find((s) => out.length > s.length && out.endsWith(s));
  return suffix ? out.slice(0, -suffix.length) : out;
}

const text = (value: unknown): string | null => {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  return s ? s : null;
};

/** A code as written in a file: digits, maybe as a number ("4.10105001003E11" is not accepted). */
const codeText = (value: unknown): string | null => {
  const s = text(value);
  return s && /^\d+$/.test(s) ? s : null;
};

const NAME_FIELD_HINTS = /^(name|名称|mc|xzqmc|社区名称|村名称|街道名称|区划名称|jdmc|sqmc|qhmc|社区|村居|单位名称)$/i;
const CODE_FIELD_HINTS = /^(code|编码|代码|dm|bm|xzqdm|qhdm|区划代码|统计用区划代码|sqdm|jddm|adcode)$/i;

export interface FieldChoice {
  codeField: string | null;
  nameField: string | null;
}

/**
 * The code and name fields, unless the planner named them: the field whose values match the
 * most area codes, and the one whose values match the most area names; the usual field names
 * break ties and stand in when no value matches.
 */
export function chooseFields(fields: readonly string[], features: readonly { properties: Record<string, unknown> }[], areas: readonly AreaRef[], level: OutlineLevel, given: Partial<FieldChoice> = {}): FieldChoice {
  const codes = new Set(areas.map((a) => a.code));
  const names = new Set(areas.flatMap((a) => [a.name, nameWithoutSuffix(a.name, level)]));
  const score = (field: string, test: (value: unknown) => boolean) => features.reduce((n, f) => n + (test(f.properties[field]) ? 1 : 0), 0);
  const best = (test: (value: unknown) => boolean, hints: RegExp) => {
    let choice: string | null = null;
    let top = 0;
    for (const field of fields) {
      const s = score(field, test) + (hints.test(field) ? 0.5 : 0);
      if (s > top) {
        top = s;
        choice = field;
      }
    }
    return choice;
  };
  const codeField = given.codeField !== undefined ? given.codeField || null : best((v) => { const c = codeText(v); return c !== null && codes.has(c); }, CODE_FIELD_HINTS);
  const nameField = given.nameField !== undefined ? given.nameField || null : best((v) => { const s = text(v); return s !== null && (names.has(s) || names.has(nameWithoutSuffix(s, level))); }, NAME_FIELD_HINTS);
  return { codeField, nameField };
}

export interface MatchInput {
  level: OutlineLevel;
  features: readonly { properties: Record<string, unknown> }[];
  areas: readonly AreaRef[];
  fields: FieldChoice;
  /** Feature number (1-based) → area code, as the planner fixed it. */
  overrides?: ReadonlyMap<number, string>;
  skips?: ReadonlySet<number>;
}

export function matchFeatures({ level, features, areas, fields, overrides = new Map(), skips = new Set() }: MatchInput): FeatureMatch[] {
  const byCode = new Map(areas.map((a) => [a.code, a]));
  const byName = new Map<string, AreaRef[]>();
  const byShortName = new Map<string, AreaRef[]>();
  for (const area of areas) {
    byName.set(area.name, [...(byName.get(area.name) ?? []), area]);
    const short = nameWithoutSuffix(area.name, level);
    byShortName.set(short, [...(byShortName.get(short) ?? []), area]);
  }
  const candidate = (a: AreaRef) => ({ code: a.code, name: a.name, parentName: a.parentName });
  const matches: FeatureMatch[] = features.map((f, index) => {
    const feature = index + 1;
    const name = fields.nameField ? text(f.properties[fields.nameField]) : null;
    const codeValue = fields.codeField ? codeText(f.properties[fields.codeField]) ?? text(f.properties[fields.codeField]) : null;
    const base = { feature, name, codeValue, candidates: [], ...noteOf(null) };
    if (skips.has(feature)) return { ...base, status: 'skipped', areaCode: null, areaName: null, by: null };
    const override = overrides.get(feature);
    if (override) {
      const area = byCode.get(override)!;
      return { ...base, status: 'matched', areaCode: area.code, areaName: area.name, by: 'override' };
    }
    const coded = codeValue ? byCode.get(codeValue) : undefined;
    if (coded) return { ...base, status: 'matched', areaCode: coded.code, areaName: coded.name, by: 'code' };
    const codeNote = codeValue ? problem('areas.matchCodeNotOfLevel', { code: codeValue.slice(0, 40), level: levelPhrase(level) }) : null;
    if (name) {
      for (const [list, by] of [[byName.get(name), 'name'], [byShortName.get(nameWithoutSuffix(name, level)), 'name-without-suffix']] as const) {
        if (!list || list.length === 0) continue;
        if (list.length === 1) return { ...base, status: 'matched', areaCode: list[0]!.code, areaName: list[0]!.name, by, ...noteOf(codeNote) };
        return { ...base, status: 'ambiguous', areaCode: null, areaName: null, by: null, candidates: list.map(candidate), ...noteOf(problem('areas.matchAmbiguousName', { count: list.length, name })) };
      }
    }
    const unmatched = codeNote ?? (name ? problem('areas.matchNoName', { level: levelPhrase(level), name }) : problem('areas.matchNothing'));
    return { ...base, status: 'unmatched', areaCode: null, areaName: null, by: null, ...noteOf(unmatched) };
  });
  // One area, one outline: features that claim the same area (other than by the planner's own
  // choice for exactly one of them) are ambiguous until the planner settles it.
  const claims = new Map<string, FeatureMatch[]>();
  for (const m of matches) if (m.status === 'matched') claims.set(m.areaCode!, [...(claims.get(m.areaCode!) ?? []), m]);
  for (const [code, claimants] of claims) {
    if (claimants.length < 2) continue;
    const area = byCode.get(code)!;
    for (const m of claimants) {
      const others = claimants.filter((o) => o !== m).map((o) => o.feature);
      Object.assign(m, {
        status: 'ambiguous', candidates: [candidate(area)], areaCode: null, areaName: null, by: null,
        ...noteOf(problem('areas.matchAlsoClaimed', { name: area.name, code, features: others.join(', ') })),
      });
    }
  }
  return matches;
}
