/**
 * Issuing grid codes: the next free numbers for new grids, and renumbering a community after a
 * preview. Every code ever issued (live grids, retired grids, codes renumbered away) is taken:
 * none is issued twice. Allocation in a community is serialised by a transaction-level lock.
 */
import * as turf from '@turf/turf';
import type { PoolClient } from '../../db/pool.js';
import { availableSequences, encodeGrids, gridCode } from './encoding.js';
import { unprocessable } from './grid-store.js';
import type { EncodingPreview } from './schemas.js';

/** Serialises code allocation in one community until the transaction ends. */
export async function lockCommunityCodes(client: Pick<PoolClient, 'query'>, communityCode: string) {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('grid-codes:' || $1))`, [communityCode]);
}

/** Sequence numbers of codes issued in a community: by live grids (optionally), retired grids and renumbering. */
async function takenSequences(client: Pick<PoolClient, 'query'>, communityCode: string, includeLive: boolean): Promise<{ live: Set<number>; retired: Set<number> }> {
  const { rows } = await client.query<{ sequence: number; live: boolean }>(
    `SELECT substr(code, 13, 3)::int AS sequence, retired_at IS NULL AS live FROM grid WHERE code LIKE $1 || '___'
     UNION ALL
     SELECT substr(code, 13, 3)::int, false FROM retired_grid_code WHERE code LIKE $1 || '___'`,
    [communityCode],
  );
  const live = new Set<number>();
  const retired = new Set<number>();
  for (const r of rows) (r.live ? live : retired).add(r.sequence);
  if (!includeLive) live.clear();
  return { live, retired };
}

/** The next free codes of a kind in a community (call lockCommunityCodes first). */
export async function nextFreeCodes(
  client: Pick<PoolClient, 'query'>,
  communityCode: string,
  count: number,
  dedicated: boolean,
  dedicatedStart: number,
): Promise<string[]> {
  const { live, retired } = await takenSequences(client, communityCode, true);
  const taken = new Set([...live, ...retired]);
  const numbers = dedicated ? availableSequences(dedicatedStart, 999, count, taken) : availableSequences(1, dedicatedStart - 1, count, taken);
  if (!numbers) {
    throw unprocessable('grids.noFreeNumbers', { community: communityCode, kind: dedicated ? 'dedicated' : 'comprehensive' });
  }
  return numbers.map((n) => gridCode(communityCode, n));
}

/** What the coding rule gives for the live grids of a community now. */
export async function encodingPreview(client: Pick<PoolClient, 'query'>, communityCode: string, dedicatedStart: number): Promise<EncodingPreview> {
  const { rows: grids } = await client.query<{ id: number; version: number; code: string; name: string; gridType: 'comprehensive' | 'dedicated'; lon: number; lat: number }>(
    `SELECT g.id, g.version, g.code, g.name, g.grid_type AS "gridType",
            ST_X(ST_Centroid(g.geom)) AS lon, ST_Y(ST_Centroid(g.geom)) AS lat
       FROM grid g WHERE g.community_code = $1 AND g.retired_at IS NULL ORDER BY g.code`,
    [communityCode],
  );
  const { rows: [community] } = await client.query<{ geometry: GeoJSON.MultiPolygon }>(
    `SELECT ST_AsGeoJSON(geom)::json AS geometry FROM admin_area WHERE code = $1 AND level = 'community'`, [communityCode]);
  const { retired } = await takenSequences(client, communityCode, false);
  const rows: EncodingPreview['rows'] = [];
  if (grids.length > 0) {
    // The row height from the community's area, as the demo generator and any planner's tool
    // measure it; a community without an outline yet is encoded from its grids alone.
    const areaM2 = community?.geometry ? turf.area(turf.feature(community.geometry)) : undefined;
    let encoded;
    try {
      encoded = encodeGrids(
        communityCode,
        grids.map((g) => ({ ...g, centroid: [g.lon, g.lat] as [number, number], dedicated: g.gridType === 'dedicated' })),
        { areaM2, dedicatedStart, unavailable: retired },
      );
    } catch (error) {
      throw unprocessable('grids.encodingFailed', { community: communityCode, detail: (error as Error).message });
    }
    for (const { item, code } of encoded) {
      rows.push({ gridId: item.id, version: item.version, name: item.name, gridType: item.gridType, oldCode: item.code, newCode: code, changed: item.code !== code });
    }
  }
  return {
    communityCode,
    changedCount: rows.filter((r) => r.changed).length,
    skippedRetired: [...retired].sort((a, b) => a - b).filter((n) => n <= Math.max(0, ...rows.map((r) => Number(r.newCode.slice(12))))).map((n) => gridCode(communityCode, n)),
    rows,
  };
}
