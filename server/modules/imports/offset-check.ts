/**
 * Is this file in GCJ-02 (or BD-09) after all? Points read as WGS84 that come from Amap, Tencent
 * or Baidu land 300–700 m from where they belong — near enough to stay inside the district, so
 * no "outside the district" check catches them. The preview measures, for a sample of the
 * file's points, how far each lies from the nearest building, road, grid edge or community edge
 * the district already has, read as the user chose and read as GCJ-02/BD-09. A shift of a few
 * hundred metres moves points that belong somewhere to somewhere arbitrary: correct data read
 * correctly is nearer known data than its shifted reading, arbitrary points are nearer in either
 * reading about as often. So the preview speaks only when the other reading puts at least three
 * quarters of the points nearer known data, most of them close to it (median within 30 m) and
 * clearly closer than as read — and the map shows the offset over the district's data.
 */
import gcoord from 'gcoord';
import type { Pool } from 'pg';
import { Type } from 'typebox';
import { sqlFile } from '../../shared/sql.js';

const FIT_SQL = sqlFile(import.meta.url, 'offset-fit.sql');

/** A point "fits" when it lies this close to something the district already has. */
export const FIT_METERS = 30;
const SAMPLE = 300;

export interface CrsHint {
  /** The reading that fits clearly better than the one chosen. */
  suggested: 'gcj02' | 'bd09';
  /** Points sampled, and how many of them had anything known within about 1 km. */
  sampled: number;
  /** Share of the compared points within FIT_METERS of known data, as read and as suggested. */
  fitAsRead: number;
  fitSuggested: number;
  /** Median metres to the nearest known data, as read and as suggested. */
  medianAsRead: number;
  medianSuggested: number;
  /** Share of the compared points nearer known data in the suggested reading. */
  shareNearer: number;
  /** How far the suggested reading moves the points (median, metres). */
  shiftMeters: number;
  message: string;
}

/** The hint as import previews send it (null: nothing to say). */
export const CrsHintSchema = Type.Union([
  Type.Object({
    suggested: Type.Enum(['gcj02', 'bd09']),
    sampled: Type.Integer(),
    fitAsRead: Type.Number({ description: `Share of the points within ${FIT_METERS} m of a building, road or grid/community edge, as read` }),
    fitSuggested: Type.Number({ description: 'The same share, read in the suggested system' }),
    medianAsRead: Type.Number({ description: 'Median metres to the nearest known data, as read' }),
    medianSuggested: Type.Number({ description: 'Median metres to the nearest known data, read in the suggested system' }),
    shareNearer: Type.Number({ description: 'Share of the points nearer known data in the suggested reading' }),
    shiftMeters: Type.Integer(),
    message: Type.String(),
  }),
  Type.Null(),
], { description: 'Set when the file looks like GCJ-02/BD-09 coordinates read as WGS84' });

type Db = Pick<Pool, 'query'>;

function sample<T>(items: T[]): T[] {
  if (items.length <= SAMPLE) return items;
  const step = items.length / SAMPLE;
  return Array.from({ length: SAMPLE }, (_, i) => items[Math.floor(i * step)]!);
}

async function distances(db: Db, points: [number, number][]): Promise<(number | null)[]> {
  const { rows } = await db.query<{ ord: number; meters: number | null }>(FIT_SQL, [points.map((p) => p[0]), points.map((p) => p[1])]);
  return rows.map((r) => (r.meters === null ? null : Number(r.meters)));
}

const metersBetween = (a: [number, number], b: [number, number]) => {
  const rad = Math.PI / 180;
  const x = (b[0] - a[0]) * rad * Math.cos(((a[1] + b[1]) / 2) * rad);
  const y = (b[1] - a[1]) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_008;
};

/**
 * `points`: the file's positions in WGS84 as the import read them; `readAs`: the system they
 * were read in. Null when there is nothing to say: the file was read as GCJ-02/BD-09 or
 * reprojected from metres, too few points lie near known data, or the reading chosen fits.
 */
export async function crsHint(db: Db, points: [number, number][], readAs: string): Promise<CrsHint | null> {
  if (readAs === 'gcj02' || readAs === 'bd09' || points.length === 0) return null;
  const picked = sample(points);
  const asRead = await distances(db, picked);
  let best: CrsHint | null = null;
  for (const suggested of ['gcj02', 'bd09'] as const) {
    const moved = picked.map((p) => gcoord.transform(p, suggested === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84) as [number, number]);
    const other = await distances(db, moved);
    // Compare only points with known data near them in either reading.
    const pairs = asRead.map((d, i) => [d, other[i] ?? null] as const).filter(([a, b]) => a !== null || b !== null);
    if (pairs.length < 3) continue;
    const fit = (d: number | null) => d !== null && d <= FIT_METERS;
    const far = (d: number | null) => d ?? Number.POSITIVE_INFINITY;
    const fitAsRead = pairs.filter(([a]) => fit(a)).length / pairs.length;
    const fitSuggested = pairs.filter(([, b]) => fit(b)).length / pairs.length;
    const shareNearer = pairs.filter(([a, b]) => far(b) < far(a)).length / pairs.length;
    const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
    const medianAsRead = median(pairs.map(([a]) => far(a)));
    const medianSuggested = median(pairs.map(([, b]) => far(b)));
    if (shareNearer < 0.75 || medianSuggested > FIT_METERS || medianSuggested * 1.5 + 2 > medianAsRead) continue;
    if (best && best.shareNearer >= shareNearer) continue;
    const shifts = picked.map((p, i) => metersBetween(p, moved[i]!)).sort((a, b) => a - b);
    const shiftMeters = Math.round(shifts[Math.floor(shifts.length / 2)]!);
    const name = suggested === 'gcj02' ? 'GCJ-02 (Amap, Tencent)' : 'BD-09 (Baidu)';
    best = {
      suggested,
      sampled: picked.length,
      fitAsRead,
      fitSuggested,
      medianAsRead: Number.isFinite(medianAsRead) ? Math.round(medianAsRead) : 1000,
      medianSuggested: Math.round(medianSuggested),
      shareNearer,
      shiftMeters,
      message: `these look like ${name} coordinates: read as ${readAs}, the points lie a median ${Number.isFinite(medianAsRead) ? Math.round(medianAsRead) : '1000+'} m from the nearest building, road or grid edge the district has; read as ${suggested}, ${Math.round(medianSuggested)} m, and ${Math.round(shareNearer * 100)}% of them nearer (a shift of about ${shiftMeters} m). Choose ${suggested} and preview again`,
    };
  }
  return best;
}

/** Points of GeoJSON geometries (every vertex of lines and outlines), for crsHint. */
export function geometryPoints(geometries: ({ type: string; coordinates?: unknown } | null | undefined)[]): [number, number][] {
  const out: [number, number][] = [];
  const walk = (c: unknown) => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number' && typeof c[1] === 'number') out.push([c[0], c[1]]);
    else for (const x of c) walk(x);
  };
  for (const g of geometries) if (g) walk(g.coordinates);
  return out;
}
