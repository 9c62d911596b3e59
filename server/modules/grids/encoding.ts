/**
 * The grid coding rule (网格编码规则).
 *
 * A grid code is the 12-digit statistical code of its community (社区/村) followed by a 3-digit
 * sequence number: 610402001001 + 003 → 610402001001003. Comprehensive grids (综合网格) are
 * numbered 001, 002, … and dedicated grids (专属网格) take a separate range starting at 901 by
 * default, so that adding or removing a dedicated grid never renumbers the others.
 *
 * Numbers follow the grids' centroids in reading order — "west→east, then north→south": the
 * grids are cut into rows (bands of latitude) from north to south and numbered from west to east
 * within each row.
 *
 * Banding: a row is about as tall as one typical grid. With n grids covering an area A, a typical
 * grid is h = sqrt(A / n) across. Latitudes are converted to metres and sorted from north to
 * south; a new row starts where the step to the next centroid is at least h / 3 (a gap between
 * rows), or where the row would otherwise grow taller than h (so that a long chain of small steps
 * cannot swallow several rows). In a tessellation the centroids of grids side by side wobble by a
 * fraction of h while the next row down is roughly h further south, so the gaps fall between the
 * visible rows of the map; fixed latitude bands would instead cut a row wherever a band edge
 * happens to fall. A is the community area when the caller knows it (recommended); otherwise it
 * is estimated from the bounding box of the centroids, padded by half a spacing all round. Ties
 * are broken by longitude, then by input position, so the order is deterministic.
 */

/** Longitude, latitude (WGS84 degrees). */
export type LonLat = [number, number];

export interface EncodableItem {
  centroid: LonLat;
}

export interface OrderOptions {
  /** Area of the community in square metres (used for the row height). */
  areaM2?: number;
  /** Explicit row height in metres (overrides areaM2). */
  rowHeightM?: number;
}

const METRES_PER_DEGREE = (6371008.8 * Math.PI) / 180;

/** The row height (metres) used for n items over the given area. */
export function rowHeightFor(items: readonly EncodableItem[], options: OrderOptions = {}): number {
  if (options.rowHeightM !== undefined) {
    if (!(options.rowHeightM > 0)) throw new Error('rowHeightM must be positive');
    return options.rowHeightM;
  }
  const n = Math.max(1, items.length);
  if (options.areaM2 !== undefined) {
    if (!(options.areaM2 > 0)) throw new Error('areaM2 must be positive');
    return Math.sqrt(options.areaM2 / n);
  }
  if (items.length < 2) return 1;
  // No area given: the centroids' bounding box, padded by half a spacing all round, solved for h:
  // (w + h)(t + h) = n h²  →  (n - 1) h² - (w + t) h - w t = 0.
  const lat0 = items.reduce((s, it) => s + it.centroid[1], 0) / items.length;
  const kx = METRES_PER_DEGREE * Math.cos((lat0 * Math.PI) / 180);
  const xs = items.map((it) => it.centroid[0] * kx);
  const ys = items.map((it) => it.centroid[1] * METRES_PER_DEGREE);
  const w = Math.max(...xs) - Math.min(...xs);
  const t = Math.max(...ys) - Math.min(...ys);
  const a = n - 1;
  const b = -(w + t);
  const c = -w * t;
  const h = (-b + Math.sqrt(b * b - 4 * a * c)) / (2 * a);
  return h > 0 ? h : 1;
}

/**
 * Returns the items in coding order (rows north → south, west → east within a row).
 * The input array is not modified.
 */
export function orderForEncoding<T extends EncodableItem>(items: readonly T[], options: OrderOptions = {}): T[] {
  for (const it of items) {
    const [lon, lat] = it.centroid;
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      throw new Error(`bad centroid ${JSON.stringify(it.centroid)}`);
    }
  }
  const h = rowHeightFor(items, options);
  const byLatitude = items
    .map((item, index) => ({ item, index, y: item.centroid[1] * METRES_PER_DEGREE, x: item.centroid[0] }))
    .sort((a, b) => b.y - a.y || a.x - b.x || a.index - b.index);
  const rows: (typeof byLatitude)[] = [];
  let row: typeof byLatitude = [];
  let top = 0;
  let previous = 0;
  for (const entry of byLatitude) {
    if (row.length > 0 && (previous - entry.y >= h / 3 || top - entry.y > h)) {
      rows.push(row);
      row = [];
    }
    if (row.length === 0) top = entry.y;
    row.push(entry);
    previous = entry.y;
  }
  if (row.length > 0) rows.push(row);
  return rows.flatMap((r) => r.sort((a, b) => a.x - b.x || b.y - a.y || a.index - b.index).map((e) => e.item));
}

const COMMUNITY_CODE = /^\d{12}$/;

/** 12-digit community code + 3-digit zero-padded sequence (1…999). */
export function gridCode(communityCode: string, sequence: number): string {
  if (typeof communityCode !== 'string' || !COMMUNITY_CODE.test(communityCode)) {
    throw new Error(`bad community code ${JSON.stringify(communityCode)}: expected 12 digits`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 999) {
    throw new Error(`bad grid sequence ${sequence}: expected an integer in 1..999`);
  }
  return communityCode + String(sequence).padStart(3, '0');
}

export interface GridToEncode extends EncodableItem {
  dedicated: boolean;
}

export interface EncodeOptions extends OrderOptions {
  /** First sequence number of dedicated grids (default 901). */
  dedicatedStart?: number;
  /** Sequence numbers that may not be issued (retired codes are never issued again). */
  unavailable?: ReadonlySet<number>;
}

/** The first `count` sequence numbers from `start` up to `end` (inclusive) that are not unavailable, or null. */
export function availableSequences(start: number, end: number, count: number, unavailable: ReadonlySet<number> = new Set()): number[] | null {
  const result: number[] = [];
  for (let n = start; n <= end && result.length < count; n++) if (!unavailable.has(n)) result.push(n);
  return result.length === count ? result : null;
}

export interface EncodedGrid<T> {
  item: T;
  sequence: number;
  code: string;
}

/**
 * Numbers the grids of one community: comprehensive grids 1, 2, … and dedicated grids from
 * `dedicatedStart` (default 901), each kind in coding order, skipping unavailable numbers. The row height is computed from all
 * grids of the community together. Returns the grids in coding order, comprehensive ones first.
 * Throws when a range overflows (comprehensive numbers reaching the dedicated range, or dedicated
 * numbers beyond 999).
 */
export function encodeGrids<T extends GridToEncode>(
  communityCode: string,
  items: readonly T[],
  options: EncodeOptions = {},
): EncodedGrid<T>[] {
  const dedicatedStart = options.dedicatedStart ?? 901;
  if (!Number.isInteger(dedicatedStart) || dedicatedStart < 2 || dedicatedStart > 999) {
    throw new Error(`bad dedicatedStart ${dedicatedStart}`);
  }
  const h = rowHeightFor(items, options);
  const ordered = orderForEncoding(items, { rowHeightM: h });
  const comprehensive = ordered.filter((it) => !it.dedicated);
  const dedicated = ordered.filter((it) => it.dedicated);
  const comprehensiveNumbers = availableSequences(1, dedicatedStart - 1, comprehensive.length, options.unavailable);
  if (!comprehensiveNumbers) {
    throw new Error(`${comprehensive.length} comprehensive grids do not fit below ${dedicatedStart}`);
  }
  const dedicatedNumbers = availableSequences(dedicatedStart, 999, dedicated.length, options.unavailable);
  if (!dedicatedNumbers) {
    throw new Error(`${dedicated.length} dedicated grids do not fit in ${dedicatedStart}..999`);
  }
  return [
    ...comprehensive.map((item, k) => ({ item, sequence: comprehensiveNumbers[k]!, code: gridCode(communityCode, comprehensiveNumbers[k]!) })),
    ...dedicated.map((item, k) => ({ item, sequence: dedicatedNumbers[k]!, code: gridCode(communityCode, dedicatedNumbers[k]!) })),
  ];
}
