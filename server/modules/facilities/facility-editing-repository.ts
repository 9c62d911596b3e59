/**
 * Facility writes: create, edit/move, retire, the type radius, and bulk inserts. Every method
 * takes the client of the caller's transaction; service areas follow by trigger (migration 006).
 */
import type { Queryable } from '../../db/pool.js';
import { conflict, notFound } from '../../shared/errors.js';
import { sqlFile } from '../../shared/sql.js';
import type { FacilityRecord, ImportedFacility } from './editing-schemas.js';
import type { FacilityTypeCode } from './schemas.js';

const RECORD_SQL = sqlFile(import.meta.url, 'facility-record.sql');
const OUTSIDE_SQL = sqlFile(import.meta.url, 'points-outside-district.sql');
const DUPLICATES_SQL = sqlFile(import.meta.url, 'existing-duplicates.sql');
const INSERT_SQL = sqlFile(import.meta.url, 'insert-facilities.sql');
const OUTSIDE_SCOPE_SQL = sqlFile(import.meta.url, 'points-outside-scope.sql');

/** The stored fields of a facility (WGS84 position). */
export interface FacilityFields {
  facilityType: FacilityTypeCode;
  name: string;
  address: string;
  lon: number;
  lat: number;
  phone: string | null;
  openingHours: string | null;
  services: string[];
  capacity: number | null;
  isPublic: boolean;
}

export function createFacilityEditingRepository() {
  return {
    async record(db: Queryable, id: number, forUpdate = false): Promise<FacilityRecord | null> {
      const { rows } = await db.query(forUpdate ? RECORD_SQL.replace(/;\s*$/, ' FOR UPDATE OF f;') : RECORD_SQL, [id]);
      return (rows[0] as FacilityRecord | undefined) ?? null;
    },

    /** For each point outside the district: its 0-based index and how far outside it is. */
    async pointsOutsideDistrict(db: Queryable, points: { lon: number; lat: number }[]): Promise<{ index: number; distanceMeters: number }[]> {
      if (points.length === 0) return [];
      const { rows } = await db.query(OUTSIDE_SQL, [points.map((p) => p.lon), points.map((p) => p.lat)]);
      return rows.map((r) => ({ index: r.position - 1, distanceMeters: r.distanceMeters }));
    },

    /** The 0-based indexes of the points outside the area `scopeCode`. */
    async pointsOutsideScope(db: Queryable, points: { lon: number; lat: number }[], scopeCode: string): Promise<number[]> {
      if (points.length === 0) return [];
      const { rows } = await db.query<{ position: number }>(OUTSIDE_SCOPE_SQL, [points.map((p) => p.lon), points.map((p) => p.lat), scopeCode]);
      return rows.map((r) => r.position - 1);
    },

    /** For each draft that repeats a live facility (same name and type, nearby): its index and that facility. */
    async existingDuplicates(db: Queryable, drafts: ImportedFacility[], withinMeters: number): Promise<{ index: number; facilityId: number; distanceMeters: number }[]> {
      if (drafts.length === 0) return [];
      const { rows } = await db.query(DUPLICATES_SQL, [
        drafts.map((d) => d.lon), drafts.map((d) => d.lat), drafts.map((d) => d.name), drafts.map((d) => d.facilityType), withinMeters,
      ]);
      return rows.map((r) => ({ index: r.position - 1, facilityId: r.facilityId, distanceMeters: r.distanceMeters }));
    },

    async insertMany(db: Queryable, facilities: FacilityFields[]): Promise<number[]> {
      const f = facilities;
      const { rows } = await db.query<{ id: number }>(INSERT_SQL, [
        f.map((x) => x.facilityType), f.map((x) => x.name), f.map((x) => x.address), f.map((x) => x.lon), f.map((x) => x.lat),
        f.map((x) => x.phone), f.map((x) => x.openingHours), f.map((x) => JSON.stringify(x.services)), f.map((x) => x.capacity),
        f.map((x) => x.isPublic),
      ]);
      return rows.map((r) => r.id);
    },

    /**
     * Writes all fields of a live facility whose version is still `version`; returns the new
     * version. A stale version or a retired facility is a 409 that says which.
     */
    async update(db: Queryable, id: number, version: number, fields: FacilityFields): Promise<number> {
      const current = await this.record(db, id, true);
      if (!current) throw notFound('facilities.notFound', { id });
      if (current.retiredAt) throw conflict('facilities.retired', { id, date: current.retiredAt.slice(0, 10) });
      if (current.version !== version) {
        throw conflict('facilities.stale', { id, currentVersion: current.version, version }, { currentVersion: current.version });
      }
      const { rows } = await db.query<{ version: number }>(
        `UPDATE facility
            SET facility_type = $2, name = $3, address = $4, geom = ST_SetSRID(ST_MakePoint($5, $6), 4326),
                phone = $7, opening_hours = $8, services = $9, capacity = $10, is_public = $11,
                version = version + 1, updated_at = now()
          WHERE id = $1
          RETURNING version`,
        [id, fields.facilityType, fields.name, fields.address, fields.lon, fields.lat, fields.phone, fields.openingHours, fields.services, fields.capacity, fields.isPublic],
      );
      return rows[0]!.version;
    },

    async retire(db: Queryable, id: number, version: number): Promise<void> {
      const current = await this.record(db, id, true);
      if (!current) throw notFound('facilities.notFound', { id });
      if (current.retiredAt) throw conflict('facilities.alreadyRetired', { id, date: current.retiredAt.slice(0, 10) });
      if (current.version !== version) {
        throw conflict('facilities.staleRead', { id, currentVersion: current.version, version }, { currentVersion: current.version });
      }
      await db.query(`UPDATE facility SET retired_at = now(), version = version + 1, updated_at = now() WHERE id = $1`, [id]);
    },

    /** Sets a type's walking radius; returns how many facilities' stored areas the trigger redrew. */
    async setTypeRadius(db: Queryable, code: FacilityTypeCode, radiusMeters: number): Promise<{ previousRadiusMeters: number; facilitiesRedrawn: number }> {
      const before = await db.query<{ r: number }>(`SELECT service_radius_meters AS r FROM facility_type WHERE code = $1 FOR UPDATE`, [code]);
      if (!before.rows[0]) throw notFound('facilities.noType', { type: code });
      await db.query(`UPDATE facility_type SET service_radius_meters = $2 WHERE code = $1`, [code, radiusMeters]);
      const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM facility WHERE facility_type = $1`, [code]);
      return { previousRadiusMeters: before.rows[0].r, facilitiesRedrawn: rows[0]!.n };
    },
  };
}
export type FacilityEditingRepository = ReturnType<typeof createFacilityEditingRepository>;
