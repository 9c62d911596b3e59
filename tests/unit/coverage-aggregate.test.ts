/**
 * The coverage figures from tallies made in the database (one row per grid, and per community
 * for buildings outside every grid) equal the figures from the buildings one by one.
 */
import { describe, expect, it } from 'vitest';
import { aggregateCoverage, aggregateTallies, type BuildingCoverageRow, type CoverageTallyRow, type PlaceRow } from '../../server/modules/coverage/aggregate.js';
import type { Population } from '../../server/modules/coverage/schemas.js';

const places: PlaceRow[] = [
  { level: 'district', key: '610402', code: '610402', name: '区', parent_code: null, kind: null },
  { level: 'street', key: '610402001', code: '610402001', name: '街道一', parent_code: '610402', kind: null },
  { level: 'street', key: '610402002', code: '610402002', name: '街道二', parent_code: '610402', kind: null },
  { level: 'community', key: '610402001001', code: '610402001001', name: '城', parent_code: '610402001', kind: 'urban' },
  { level: 'community', key: '610402001201', code: '610402001201', name: '村', parent_code: '610402001', kind: 'village' },
  { level: 'community', key: '610402002001', code: '610402002001', name: '空', parent_code: '610402002', kind: 'urban' },
  { level: 'grid', key: '1', code: '610402001001001', name: 'g1', parent_code: '610402001001', kind: 'urban' },
  { level: 'grid', key: '2', code: '610402001001002', name: 'g2', parent_code: '610402001001', kind: 'urban' },
  { level: 'grid', key: '3', code: '610402001201001', name: 'g3', parent_code: '610402001201', kind: 'village' },
  { level: 'grid', key: '4', code: '610402002001001', name: 'g4 (nobody)', parent_code: '610402002001', kind: 'urban' },
];
const gridCommunity: Record<number, string> = { 1: '610402001001', 2: '610402001001', 3: '610402001201' };

/** Deterministic pseudo-random buildings in grids 1–3, outside every grid in a community, and outside everything. */
function buildings(n: number): BuildingCoverageRow[] {
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: n }, (_, i) => {
    const where = Math.floor(next() * 5);
    const residents = Math.floor(next() * 40);
    const r60 = Math.floor(next() * (residents + 1));
    const r80 = Math.floor(next() * (r60 + 1));
    const grid = where <= 2 ? where + 1 : null;
    return {
      id: i + 1, residents, r60, r80, grid_id: grid,
      community_code: grid ? gridCommunity[grid]! : where === 3 ? '610402001201' : null,
      covered: next() < 0.6,
    };
  });
}

/** What coverage-tallies.sql makes of the same buildings. */
function tallies(rows: BuildingCoverageRow[]): CoverageTallyRow[] {
  const byPlace = new Map<string, CoverageTallyRow>();
  for (const b of rows) {
    const key = `${b.grid_id}|${b.community_code}`;
    let t = byPlace.get(key);
    if (!t) {
      t = { grid_id: b.grid_id, grid_code: null, community_code: b.community_code, buildings: 0, uncovered_buildings: 0, residents: 0, r60: 0, r80: 0, covered_residents: 0, covered_r60: 0, covered_r80: 0, uncovered_ids: [], uncovered_residents: [], uncovered_r60: [], uncovered_r80: [] };
      byPlace.set(key, t);
    }
    t.buildings += 1;
    t.residents += b.residents;
    t.r60 += b.r60;
    t.r80 += b.r80;
    if (b.covered) {
      t.covered_residents += b.residents;
      t.covered_r60 += b.r60;
      t.covered_r80 += b.r80;
    } else {
      t.uncovered_buildings += 1;
    }
  }
  return [...byPlace.values()];
}

describe('coverage figures from tallies', () => {
  for (const population of ['all', 'age60', 'age80'] as Population[]) {
    it(`equal the figures from the buildings one by one (${population})`, () => {
      const rows = buildings(2000);
      const one = aggregateCoverage(rows, places, population);
      const summed = aggregateTallies(tallies(rows), places, population);
      for (const level of ['grids', 'communities', 'streets'] as const) {
        expect(summed[level].map(({ target, ...r }) => r)).toEqual(one[level].map(({ target, ...r }) => r));
        summed[level].forEach((r, i) => (r.target === null ? expect(one[level][i]!.target).toBeNull() : expect(r.target).toBeCloseTo(one[level][i]!.target!, 12)));
      }
      expect({ ...summed.district, target: null }).toEqual({ ...one.district, target: null });
      expect(summed.district.target).toBeCloseTo(one.district.target!, 12);
      // Every place appears, the one where nobody lives with no share.
      expect(summed.grids.find((g) => g.code === '610402002001001')).toMatchObject({ buildings: 0, population: 0, share: null });
      expect(summed.district.buildings).toBe(2000);
      expect(summed.district.population).toBeGreaterThan(0);
    });
  }
});
