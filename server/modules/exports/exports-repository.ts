/**
 * The features of each export, as GeoJSON built in SQL (grids, facilities, incidents) or from the
 * analyses' own results (hexagon bins, Gi* classes per grid).
 */
import type { Queryable } from '../../db/pool.js';
import { sqlFile } from '../../shared/sql.js';
import type { ByGridReply } from '../incidents/schemas.js';
import type { CollectionText } from './file-writer.js';

const GRIDS_SQL = sqlFile(import.meta.url, 'grids.sql');
const FACILITIES_SQL = sqlFile(import.meta.url, 'facilities.sql');
const INCIDENTS_SQL = sqlFile(import.meta.url, 'incidents.sql');


export interface FacilityFilter {
  types: string[] | null;
  q: string | null;
  community: string | null;
  scope: string | null;
}

export function createExportsRepository(db: Queryable) {
  return {
    /** A live area of that code; for a city (4 digits) also its districts without a city row. */
    async areaExists(code: string): Promise<boolean> {
      const { rows } = await db.query(
        `SELECT 1 FROM admin_area WHERE retired_at IS NULL AND (code = $1 OR (length($1) = 4 AND level = 'district' AND code LIKE $1 || '%')) LIMIT 1`,
        [code],
      );
      return rows.length > 0;
    },

    async grids(areaCode: string): Promise<CollectionText> {
      const { rows } = await db.query<CollectionText>(GRIDS_SQL, [areaCode]);
      return rows[0]!;
    },

    async facilities(f: FacilityFilter): Promise<CollectionText> {
      const { rows } = await db.query<CollectionText>(FACILITIES_SQL, [f.types, f.q, f.community, f.scope]);
      return rows[0]!;
    },

    /** The incidents of these ids as features, in the order given (the list's). */
    async incidents(ids: number[]): Promise<CollectionText> {
      const { rows } = await db.query<CollectionText>(INCIDENTS_SQL, [ids]);
      return rows[0]!;
    },
  };
}
export type ExportsRepository = ReturnType<typeof createExportsRepository>;

interface HexagonBinsJson {
  sizeMeters: number;
  total: number;
  cells: { i: number; j: number; count: number; ring: number[][] }[];
}

/** The hexagon bins (analysis.hexagons' JSON text) as polygons with their counts. */
export function hexagonFeatures(binsText: string): CollectionText {
  const bins = JSON.parse(binsText) as HexagonBinsJson;
  const features = bins.cells.map((c) => ({
    type: 'Feature',
    id: `${c.i}:${c.j}`,
    geometry: { type: 'Polygon', coordinates: [c.ring] },
    properties: { i: c.i, j: c.j, count: c.count, sizeMeters: bins.sizeMeters, share: bins.total > 0 ? c.count / bins.total : 0 },
  }));
  return { count: features.length, text: JSON.stringify({ type: 'FeatureCollection', features }) };
}

const HOTSPOT_CLASS_NAMES: Record<number, string> = {
  3: '热点 (99%)', 2: '热点 (95%)', 1: '热点 (90%)', 0: '不显著', [-1]: '冷点 (90%)', [-2]: '冷点 (95%)', [-3]: '冷点 (99%)',
};

/** Gi* per grid joined to the grids' outlines (analysis.gridOutlinesOf' JSON text). */
export function hotspotFeatures(result: ByGridReply, outlinesText: string): CollectionText {
  const outlines = JSON.parse(outlinesText) as { features: { id: number; geometry: unknown; properties: { name: string; communityCode: string } }[] };
  const byId = new Map(outlines.features.map((f) => [f.id, f]));
  const features = result.grids.flatMap((g) => {
    const outline = byId.get(g.gridId);
    if (!outline) return [];
    return [{
      type: 'Feature',
      id: g.gridId,
      geometry: outline.geometry,
      properties: {
        code: g.code, name: outline.properties.name, communityCode: outline.properties.communityCode,
        count: g.count, residents: g.residents, per1000: g.per1000, z: g.z,
        hotspotClass: g.hotspotClass, hotspotLabel: HOTSPOT_CLASS_NAMES[g.hotspotClass], neighbours: g.neighbours,
      },
    }];
  });
  return {
    count: features.length,
    text: JSON.stringify({ type: 'FeatureCollection', method: result.method, features }),
  };
}
