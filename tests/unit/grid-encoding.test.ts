import { describe, it, expect } from 'vitest';
import {
  encodeGrids,
  gridCode,
  orderForEncoding,
  rowHeightFor,
  type LonLat,
} from '../../server/modules/grids/encoding.js';

const COMMUNITY = '610402001001';
const M_PER_DEG_LAT = 111_195;
const LAT0 = 34.33;
const M_PER_DEG_LON = M_PER_DEG_LAT * Math.cos((LAT0 * Math.PI) / 180);

/** A point `east` and `north` metres from a reference point in Xianyang. */
function at(east: number, north: number): LonLat {
  return [108.7 + east / M_PER_DEG_LON, LAT0 + north / M_PER_DEG_LAT];
}

/** Deterministic pseudo-random numbers in [-1, 1) for jitter. */
function jitter(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 2 - 1;
  };
}

describe('gridCode', () => {
  it('appends a zero-padded 3-digit sequence to the 12-digit community code', () => {
    expect(gridCode(COMMUNITY, 1)).toBe('610402001001001');
    expect(gridCode(COMMUNITY, 42)).toBe('610402001001042');
    expect(gridCode('610402011230', 999)).toBe('610402011230999');
    expect(gridCode(COMMUNITY, 901)).toMatch(/^\d{15}$/);
  });

  it('rejects bad community codes', () => {
    for (const bad of ['', '61040200100', '6104020010011', '61040200100a', '610402001', ' 610402001001', '６１０４０２００１００１']) {
      expect(() => gridCode(bad, 1)).toThrow(/community code/);
    }
    expect(() => gridCode(undefined as unknown as string, 1)).toThrow();
  });

  it('rejects sequences outside 1..999', () => {
    for (const bad of [0, -1, 1000, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => gridCode(COMMUNITY, bad)).toThrow(/sequence/);
    }
  });
});

describe('orderForEncoding', () => {
  it('reads a regular lattice row by row from the north, west to east', () => {
    // 4 columns × 3 rows, 300 m apart, given in scrambled order.
    const items = [] as { id: string; centroid: LonLat }[];
    for (let row = 0; row < 3; row++) {
      for (let col = 0; col < 4; col++) items.push({ id: `r${row}c${col}`, centroid: at(col * 300, -row * 300) });
    }
    const scrambled = [5, 11, 0, 7, 2, 9, 4, 1, 10, 3, 8, 6].map((i) => items[i]!);
    const ordered = orderForEncoding(scrambled, { areaM2: 12 * 300 * 300 });
    expect(ordered.map((i) => i.id)).toEqual(items.map((i) => i.id));
  });

  it('keeps a row together when its centroids wobble in latitude', () => {
    // Rows 400 m apart; centroids jitter by up to ±80 m north–south and ±100 m east–west.
    const rnd = jitter(7);
    const items = [] as { row: number; col: number; centroid: LonLat }[];
    for (let row = 0; row < 4; row++) {
      for (let col = 0; col < 5; col++) {
        items.push({ row, col, centroid: at(col * 400 + rnd() * 100, -row * 400 + rnd() * 80) });
      }
    }
    const ordered = orderForEncoding(items, { areaM2: 20 * 400 * 400 });
    expect(ordered.map((i) => [i.row, i.col])).toEqual(items.map((i) => [i.row, i.col]));
  });

  it('handles a staggered (hexagonal) arrangement as rows', () => {
    // Odd rows shifted half a cell east and 0.87 cell apart vertically, as in a hex tessellation.
    const items = [] as { row: number; col: number; centroid: LonLat }[];
    for (let row = 0; row < 3; row++) {
      for (let col = 0; col < 4; col++) {
        items.push({ row, col, centroid: at(col * 300 + (row % 2) * 150, -row * 260) });
      }
    }
    const ordered = orderForEncoding(items, { areaM2: 12 * 300 * 260 });
    expect(ordered.map((i) => [i.row, i.col])).toEqual(items.map((i) => [i.row, i.col]));
  });

  it('estimates the row height from the centroids when no area is given', () => {
    const items = [] as { id: number; centroid: LonLat }[];
    for (let row = 0; row < 3; row++) for (let col = 0; col < 3; col++) items.push({ id: row * 3 + col, centroid: at(col * 500, -row * 500) });
    const h = rowHeightFor(items);
    expect(h).toBeGreaterThan(400);
    expect(h).toBeLessThan(600);
    expect(orderForEncoding([...items].reverse()).map((i) => i.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('uses the community area for the row height: sqrt(area / n)', () => {
    const items = [{ centroid: at(0, 0) }, { centroid: at(100, 0) }, { centroid: at(200, 0) }, { centroid: at(300, 0) }];
    expect(rowHeightFor(items, { areaM2: 4 * 250 * 250 })).toBeCloseTo(250, 6);
    expect(rowHeightFor(items, { rowHeightM: 80 })).toBe(80);
  });

  it('is deterministic for ties and does not modify its input', () => {
    const items = [
      { id: 'b', centroid: at(0, 0) },
      { id: 'a', centroid: at(0, 0) },
      { id: 'c', centroid: at(-50, 0) },
    ];
    const copy = items.map((i) => ({ ...i }));
    const ordered = orderForEncoding(items, { areaM2: 3 * 200 * 200 });
    expect(ordered.map((i) => i.id)).toEqual(['c', 'b', 'a']);
    expect(items).toEqual(copy);
    expect(orderForEncoding([])).toEqual([]);
    expect(orderForEncoding([items[0]!]).map((i) => i.id)).toEqual(['b']);
  });

  it('rejects bad centroids and bad options', () => {
    expect(() => orderForEncoding([{ centroid: [Number.NaN, 34] }])).toThrow(/centroid/);
    expect(() => orderForEncoding([{ centroid: [108, 95] }])).toThrow(/centroid/);
    expect(() => orderForEncoding([{ centroid: at(0, 0) }], { areaM2: 0 })).toThrow();
    expect(() => orderForEncoding([{ centroid: at(0, 0) }], { rowHeightM: -1 })).toThrow();
  });
});

describe('encodeGrids', () => {
  const lattice = (dedicated: Set<number>) => {
    const items = [] as { id: number; dedicated: boolean; centroid: LonLat }[];
    for (let row = 0; row < 2; row++) {
      for (let col = 0; col < 4; col++) {
        const id = row * 4 + col;
        items.push({ id, dedicated: dedicated.has(id), centroid: at(col * 300, -row * 300) });
      }
    }
    return items;
  };

  it('numbers comprehensive grids from 001 and dedicated grids from 901, each in reading order', () => {
    const items = lattice(new Set([2, 4]));
    const encoded = encodeGrids(COMMUNITY, [...items].reverse(), { areaM2: 8 * 300 * 300 });
    expect(encoded.map((e) => [e.item.id, e.code])).toEqual([
      [0, '610402001001001'],
      [1, '610402001001002'],
      [3, '610402001001003'],
      [5, '610402001001004'],
      [6, '610402001001005'],
      [7, '610402001001006'],
      [2, '610402001001901'],
      [4, '610402001001902'],
    ]);
    expect(encoded.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 901, 902]);
  });

  it('takes the start of the dedicated range as a parameter', () => {
    const encoded = encodeGrids(COMMUNITY, lattice(new Set([7])), { areaM2: 8 * 300 * 300, dedicatedStart: 801 });
    expect(encoded.at(-1)!.code).toBe('610402001001801');
  });

  it('throws when a range overflows or the community code is bad', () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ dedicated: false, centroid: at(i * 100, 0) }));
    expect(() => encodeGrids(COMMUNITY, many, { dedicatedStart: 10 })).toThrow(/do not fit/);
    const dedicated = Array.from({ length: 3 }, (_, i) => ({ dedicated: true, centroid: at(i * 100, 0) }));
    expect(() => encodeGrids(COMMUNITY, dedicated, { dedicatedStart: 998 })).toThrow(/do not fit/);
    expect(() => encodeGrids('6104020010', many)).toThrow(/community code/);
    expect(() => encodeGrids(COMMUNITY, many, { dedicatedStart: 1000 })).toThrow(/dedicatedStart/);
  });
});
