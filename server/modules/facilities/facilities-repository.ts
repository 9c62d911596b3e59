import type { Queryable } from '../../db/pool.js';
import { sqlFile } from '../../shared/sql.js';
import type { FacilityTypeCode, FacilityTypeInfo, NearestCollection, ServiceAreaFeature } from './schemas.js';

const FACILITIES_SQL = sqlFile(import.meta.url, 'facilities.sql');
const NEAREST_SQL = sqlFile(import.meta.url, 'nearest.sql');
const NEAREST_WALK_SQL = sqlFile(import.meta.url, 'nearest-walk.sql');
const SERVICE_AREA_SQL = sqlFile(import.meta.url, 'service-area.sql');
const SUMMARY_SQL = sqlFile(import.meta.url, 'summary.sql');

/** Walking speed behind "15 minutes ≈ 1,000 m" (GB 50180-2018): 1000 m / 15 min. */
export const WALKING_METERS_PER_MINUTE = 1000 / 15;

export function createFacilitiesRepository(db: Queryable) {
  return {
    async types(): Promise<FacilityTypeInfo[]> {
      const { rows } = await db.query(
        `SELECT code, name_zh AS "nameZh", name_en AS "nameEn", service_radius_meters AS "serviceRadiusMeters"
           FROM facility_type ORDER BY sort_order`,
      );
      return rows;
    },

    /** The FeatureCollection as JSON text, built in PostGIS. */
    async listAsGeoJsonText(filter: { types: string[] | null; service: string | null; q: string | null; id?: number | null; staff: boolean }) {
      const { rows } = await db.query<{ collection: string }>(FACILITIES_SQL, [filter.types, filter.service, filter.q, filter.staff, filter.id ?? null]);
      return rows[0]!.collection;
    },

    /** Counts per type, overall and per service, as JSON text (see FacilitySummary). */
    async summaryAsJsonText(staff: boolean) {
      const { rows } = await db.query<{ summary: string }>(SUMMARY_SQL, [staff]);
      return rows[0]!.summary;
    },

    async nearest(query: { lon: number; lat: number; type: FacilityTypeCode | null; limit: number; staff: boolean }): Promise<NearestCollection> {
      // Along the walking network when one is loaded (and pgRouting is there); else straight-line.
      const network = (await db.query<{ ready: boolean }>('SELECT walk_network_ready() AS ready')).rows[0]!.ready;
      const { rows } = await db.query(network ? NEAREST_WALK_SQL : NEAREST_SQL, [query.lon, query.lat, query.type, query.limit, query.staff]);
      const walked = (r: { walking_meters?: number | null }) => network && r.walking_meters !== null && r.walking_meters !== undefined;
      return {
        type: 'FeatureCollection',
        distanceMethod: network ? 'network' : 'straight_line',
        features: rows.map((r) => ({
          type: 'Feature' as const,
          id: r.id,
          geometry: { type: 'Point' as const, coordinates: [r.lon, r.lat] },
          properties: {
            id: r.id,
            facilityType: r.facility_type,
            name: r.name,
            address: r.address,
            phone: r.phone,
            openingHours: r.opening_hours,
            services: r.services,
            ...(query.staff ? { capacity: r.capacity, isPublic: r.is_public } : {}),
            distanceMeters: Math.round(r.distance_meters),
            distanceMethod: walked(r) ? ('network' as const) : ('straight_line' as const),
            walkingMeters: Math.round(walked(r) ? r.walking_meters : r.distance_meters),
            walkingMinutes: walked(r)
              ? Math.round((r.walking_meters / ((r.speed_kmh * 1000) / 60)) * 10) / 10
              : Math.round((r.distance_meters / WALKING_METERS_PER_MINUTE) * 10) / 10,
            withinServiceRadius: walked(r) ? r.walking_meters <= r.reach_meters : r.distance_meters <= r.service_radius_meters,
            route: walked(r) ? r.route : null,
          },
        })),
      };
    },

    async serviceArea(id: number, staff: boolean, straightLine = false): Promise<ServiceAreaFeature | null> {
      const { rows } = await db.query(SERVICE_AREA_SQL, [id, staff, straightLine]);
      const r = rows[0];
      if (!r) return null;
      return {
        type: 'Feature',
        id: r.id,
        geometry: r.geometry,
        properties: { facilityId: r.id, facilityType: r.facility_type, radiusMeters: r.service_radius_meters, method: r.method, walkMinutes: r.walk_minutes ?? null },
      };
    },
  };
}
export type FacilitiesRepository = ReturnType<typeof createFacilitiesRepository>;
