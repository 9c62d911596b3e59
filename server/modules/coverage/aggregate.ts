/**
 * From covered/uncovered buildings to figures per grid, community, street, each district and
 * the top of the hierarchy (the city, or the one district), with the targets each is held to. Pure: the database says which building is covered and where
 * it lies; this only adds up.
 */
import type { AreaCoverage, Level, Population, Targets, TopLevel } from './schemas.js';

/** Hanzhong's reported line (80%) and Wuxi's targets: 90% of urban, 50% of rural elderly reached. */
export const TARGETS: Targets = { line: 0.8, urban: 0.9, village: 0.5 };

export interface BuildingCoverageRow {
  id: number;
  residents: number;
  r60: number;
  r80: number;
  grid_id: number | null;
  community_code: string | null;
  covered: boolean;
}

/**
 * Buildings added up in the database, one row per grid (grid_id set) and per community for the
 * buildings outside every grid (grid_id null): counts and the people of each population.
 */
export interface CoverageTallyRow {
  grid_id: number | null;
  grid_code: string | null;
  community_code: string | null;
  buildings: number;
  uncovered_buildings: number;
  residents: number;
  r60: number;
  r80: number;
  covered_residents: number;
  covered_r60: number;
  covered_r80: number;
  /** Ids of the uncovered buildings when asked for (the gap layers), else empty; in id order. */
  uncovered_ids: (number | string)[];
  /** The people of each population in those buildings, in the same order. */
  uncovered_residents: (number | string)[];
  uncovered_r60: (number | string)[];
  uncovered_r80: (number | string)[];
  /**
   * A grid without buildings counted from its entered figures, reached for the share of its area
   * the service areas cover (coverage-tallies.sql, grid_unit): an estimate.
   */
  estimated?: boolean;
}

/** The chosen population of each uncovered building of a tally, in `uncovered_ids` order. */
export function uncoveredPeopleOf(row: Pick<CoverageTallyRow, 'uncovered_residents' | 'uncovered_r60' | 'uncovered_r80'>, population: Population): (number | string)[] {
  return population === 'age60' ? row.uncovered_r60 : population === 'age80' ? row.uncovered_r80 : row.uncovered_residents;
}

export interface PlaceRow {
  level: Level | 'city';
  /** Grid id as text for grids; the code otherwise. */
  key: string;
  code: string;
  name: string;
  parent_code: string | null;
  kind: 'urban' | 'village' | null;
}

export function populationOf(row: Pick<BuildingCoverageRow, 'residents' | 'r60' | 'r80'>, population: Population): number {
  return population === 'age60' ? row.r60 : population === 'age80' ? row.r80 : row.residents;
}

/** The covered people of the chosen population in a tally row. */
export function coveredOf(row: Pick<CoverageTallyRow, 'covered_residents' | 'covered_r60' | 'covered_r80'>, population: Population): number {
  return population === 'age60' ? row.covered_r60 : population === 'age80' ? row.covered_r80 : row.covered_residents;
}

/** One building as a tally of one (what aggregateTallies adds up). */
function tallyOfBuilding(b: BuildingCoverageRow): CoverageTallyRow {
  return {
    grid_id: b.grid_id,
    grid_code: null,
    community_code: b.community_code,
    buildings: 1,
    uncovered_buildings: b.covered ? 0 : 1,
    residents: b.residents,
    r60: b.r60,
    r80: b.r80,
    covered_residents: b.covered ? b.residents : 0,
    covered_r60: b.covered ? b.r60 : 0,
    covered_r80: b.covered ? b.r80 : 0,
    uncovered_ids: [],
    uncovered_residents: [],
    uncovered_r60: [],
    uncovered_r80: [],
    estimated: false,
  };
}

interface Tally {
  buildings: number;
  uncoveredBuildings: number;
  population: number;
  covered: number;
  /** Σ population × own target, over buildings whose community kind is known. */
  targetWeighted: number;
  targetPopulation: number;
  kinds: Set<string>;
  /** People counted from grids' entered figures (estimated coverage). */
  estimated: number;
}

const emptyTally = (): Tally => ({ buildings: 0, uncoveredBuildings: 0, population: 0, covered: 0, targetWeighted: 0, targetPopulation: 0, kinds: new Set(), estimated: 0 });

export function targetForKind(kind: string | null | undefined): number | null {
  return kind === 'urban' ? TARGETS.urban : kind === 'village' ? TARGETS.village : null;
}

/** What the top row is: the city (a city row, or several districts of one city), or the one district. */
export interface TopPlace {
  level: TopLevel;
  code: string;
  name: string;
}

export interface Aggregated {
  /** The top of the hierarchy: the sum of its districts (全市), or the one district (全区). */
  district: AreaCoverage;
  /** Each district with its own figures. */
  districts: AreaCoverage[];
  streets: AreaCoverage[];
  communities: AreaCoverage[];
  grids: AreaCoverage[];
  /** Grid code and community code of each building, by building id (for the gap listing). */
  placeOfBuilding: Map<number, { gridCode: string | null; communityCode: string | null }>;
}

/**
 * Adds the buildings up per place. Every live grid and every area appears, also those where
 * nobody lives (share null). Rows are ordered by uncovered people, largest gap first.
 */
export function aggregateCoverage(buildings: BuildingCoverageRow[], places: PlaceRow[], population: Population, top?: TopPlace): Aggregated {
  const aggregated = aggregateTallies(buildings.map(tallyOfBuilding), places, population, top);
  const gridCode = new Map(places.filter((p) => p.level === 'grid').map((p) => [p.key, p.code]));
  const placeOfBuilding = new Map<number, { gridCode: string | null; communityCode: string | null }>();
  for (const b of buildings) {
    placeOfBuilding.set(b.id, {
      gridCode: b.grid_id === null ? null : (gridCode.get(String(b.grid_id)) ?? null),
      communityCode: b.community_code,
    });
  }
  return { ...aggregated, placeOfBuilding };
}

/**
 * The same from tallies made in the database (one row per grid, and per community for buildings
 * outside every grid): the figures are sums, so adding up tallies gives what adding up their
 * buildings one by one gives.
 */
export function aggregateTallies(tallyRows: CoverageTallyRow[], places: PlaceRow[], population: Population, top?: TopPlace): Omit<Aggregated, 'placeOfBuilding'> {
  type AnyLevel = Level | 'city';
  const byLevel = { grid: new Map<string, PlaceRow>(), community: new Map<string, PlaceRow>(), street: new Map<string, PlaceRow>(), district: new Map<string, PlaceRow>(), city: new Map<string, PlaceRow>() };
  for (const p of places) byLevel[p.level].set(p.key, p);
  const tallies = { grid: new Map<string, Tally>(), community: new Map<string, Tally>(), street: new Map<string, Tally>(), district: new Map<string, Tally>(), city: new Map<string, Tally>() };
  const tallyOf = (level: AnyLevel, key: string) => {
    let t = tallies[level].get(key);
    if (!t) tallies[level].set(key, (t = emptyTally()));
    return t;
  };
  const topPlace = top ?? topOf(byLevel.city, byLevel.district);
  const TOP_KEY = '\u0000top';

  for (const row of tallyRows) {
    if (row.buildings === 0 && !row.estimated) continue;
    const people = populationOf(row, population);
    const covered = coveredOf(row, population);
    const community = row.community_code ? byLevel.community.get(row.community_code) : undefined;
    const kind = community?.kind ?? null;
    const target = targetForKind(kind);
    // Each district counts its own buildings (its code is the first six digits of the community's).
    const districtCode = row.community_code ? row.community_code.slice(0, 6) : null;
    const keys: [AnyLevel, string | null][] = [
      ['grid', row.grid_id === null ? null : String(row.grid_id)],
      ['community', row.community_code],
      ['street', community?.parent_code ?? null],
      ['district', districtCode],
      ['city', TOP_KEY],
    ];
    for (const [level, key] of keys) {
      if (key === null) continue;
      const t = tallyOf(level, key);
      t.buildings += row.buildings;
      t.population += people;
      t.covered += covered;
      t.uncoveredBuildings += row.uncovered_buildings;
      if (row.estimated) t.estimated += people;
      if (target !== null) {
        t.targetWeighted += people * target;
        t.targetPopulation += people;
      }
      if (kind) t.kinds.add(kind);
    }
  }

  const rows = (level: Level): AreaCoverage[] =>
    [...byLevel[level].values()]
      .map((place) => figures(level, place, tallies[level].get(place.key) ?? emptyTally()))
      .sort((a, b) => b.uncovered - a.uncovered || a.code.localeCompare(b.code));

  const districts = rows('district');
  const topRow: PlaceRow = { level: topPlace.level, key: TOP_KEY, code: topPlace.code, name: topPlace.name, parent_code: null, kind: null };
  const district = figures(topPlace.level, topRow, tallyOf('city', TOP_KEY));
  return { district, districts, streets: rows('street'), communities: rows('community'), grids: rows('grid') };
}

/**
 * The top when the caller does not name it: a city row; else the one district; else several
 * districts roll up to their common city code (named by the caller, who has the national list).
 */
export function topOf(cities: Map<string, PlaceRow>, districts: Map<string, PlaceRow>): TopPlace {
  const city = [...cities.values()][0];
  if (city) return { level: 'city', code: city.code, name: city.name };
  const all = [...districts.values()];
  if (all.length === 1) return { level: 'district', code: all[0]!.code, name: all[0]!.name };
  if (all.length === 0) return { level: 'district', code: '', name: '' };
  const prefixes = new Set(all.map((d) => d.code.slice(0, 4)));
  return { level: 'city', code: prefixes.size === 1 ? [...prefixes][0]! : '', name: '' };
}

function figures(level: Level | 'city', place: PlaceRow, t: Tally): AreaCoverage {
  const share = t.population > 0 ? t.covered / t.population : null;
  let kind: AreaCoverage['kind'] = place.kind;
  let target: number | null;
  if (level === 'grid' || level === 'community') {
    target = targetForKind(place.kind);
  } else {
    kind = t.kinds.size > 1 ? 'mixed' : t.kinds.size === 1 ? ([...t.kinds][0] as 'urban' | 'village') : null;
    // A street of urban communities and villages is held to what it would reach if each of its
    // communities just met its own target.
    target = t.targetPopulation > 0 ? t.targetWeighted / t.targetPopulation : null;
  }
  return {
    level,
    code: place.code,
    name: place.name,
    parentCode: place.parent_code,
    kind,
    buildings: t.buildings,
    uncoveredBuildings: t.uncoveredBuildings,
    population: t.population,
    covered: t.covered,
    uncovered: t.population - t.covered,
    share,
    target,
    meetsTarget: share === null || target === null ? null : share >= target - 1e-12,
    meetsLine: share === null ? null : share >= TARGETS.line - 1e-12,
    // Only where some people were counted from a grid's entered figures (an estimate).
    ...(t.estimated > 0 ? { estimatedPopulation: t.estimated } : {}),
  };
}
