/**
 * Incidents in the database: placement, intake, details, the workflow's writes, photos.
 * Every method takes an optional transaction client.
 */
import type { Queryable } from '../../db/pool.js';
import { sqlFile } from '../../shared/sql.js';
import type { Reporter } from './masking.js';
import type { CategoryInfo, IncidentSummary, Placement } from './schemas.js';
import type { IncidentStatus } from './workflow.js';

const LOCATE_SQL = sqlFile(import.meta.url, 'locate.sql');
const CREATE_SQL = sqlFile(import.meta.url, 'create.sql');
const DETAIL_SQL = sqlFile(import.meta.url, 'detail.sql');

export interface Location {
  inside: boolean;
  distanceMeters: number;
  districtName: string;
  placement: Placement;
}

export interface NewIncident {
  externalId: string | null;
  category: string;
  subCategory: string | null;
  source: string;
  occurredAt: Date | null;
  /** null: now. */
  reportedAt: Date | null;
  lon: number;
  lat: number;
  description: string;
  reportedBy: number | null;
  reporter: Reporter | null;
}

export interface IncidentRow {
  id: number;
  externalId: string | null;
  category: string;
  subCategory: string | null;
  source: IncidentSummary['source'];
  status: IncidentStatus;
  occurredAt: Date | null;
  reportedAt: Date;
  dueAt: Date;
  closedAt: Date | null;
  description: string;
  lon: number;
  lat: number;
  overdue: boolean;
  gridId: number | null;
  placement: Placement;
  events: { fromStatus: IncidentStatus | null; toStatus: IncidentStatus; at: string; actor: string | null; note: string }[];
  photoIds: number[];
  hasReporter: boolean;
}

const placementOf = (r: Record<string, unknown>): Placement => ({
  gridId: (r.grid_id as number | null) ?? null,
  gridCode: (r.grid_code as string | null) ?? null,
  gridName: (r.grid_name as string | null) ?? null,
  communityCode: (r.community_code as string | null) ?? null,
  communityName: (r.community_name as string | null) ?? null,
  streetCode: (r.street_code as string | null) ?? null,
  streetName: (r.street_name as string | null) ?? null,
});

export function createIncidentsRepository(db: Queryable) {
  return {
    async categories(client: Queryable = db): Promise<CategoryInfo[]> {
      const { rows } = await client.query(
        `SELECT code, parent_code, name_zh, name_en, deadline_hours FROM incident_category ORDER BY parent_code NULLS FIRST, code`,
      );
      const top = rows.filter((r) => r.parent_code === null);
      return top.map((t) => ({
        code: t.code,
        nameZh: t.name_zh,
        nameEn: t.name_en,
        deadlineHours: t.deadline_hours,
        subCategories: rows.filter((r) => r.parent_code === t.code).map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en })),
      }));
    },

    /** Ids of the live grids a user serves as grid leader or manager. */
    async ownGridIds(userId: number, client: Queryable = db): Promise<Set<number>> {
      const { rows } = await client.query<{ grid_id: number }>(
        `SELECT DISTINCT s.grid_id FROM grid_staff s JOIN grid g ON g.id = s.grid_id WHERE s.user_id = $1 AND g.retired_at IS NULL`,
        [userId],
      );
      return new Set(rows.map((r) => r.grid_id));
    },

    async locate(lon: number, lat: number, client: Queryable = db): Promise<Location> {
      const { rows } = await client.query(LOCATE_SQL, [lon, lat]);
      const r = rows[0]!;
      return { inside: r.inside, distanceMeters: r.distance_meters ?? 0, districtName: r.district_name ?? '', placement: placementOf(r) };
    },

    /** Inserts the incident, its reporter and its first event; null when externalId already exists. */
    async create(input: NewIncident, client: Queryable = db): Promise<{ id: number; externalId: string | null; status: IncidentStatus; dueAt: Date; lon: number; lat: number } | null> {
      const { rows } = await client.query(CREATE_SQL, [
        input.externalId, input.category, input.subCategory, input.source, input.occurredAt,
        input.lon, input.lat, input.description, input.reportedBy, input.reportedAt,
      ]);
      const row = rows[0];
      if (!row) return null;
      const r = input.reporter;
      if (r && (r.name || r.phone || r.idNumber)) {
        await client.query(`INSERT INTO incident_reporter (district_code, incident_id, name, phone, id_number) VALUES ($5, $1, $2, $3, $4)`, [row.id, r.name, r.phone, r.idNumber, row.district_code]);
      }
      await client.query(
        `INSERT INTO incident_event (district_code, incident_id, from_status, to_status, actor_user_id, at, note)
         SELECT district_code, id, NULL, 'reported', $2, reported_at, '' FROM incident WHERE district_code = $3 AND id = $1`,
        [row.id, input.reportedBy, row.district_code],
      );
      await incidentsWritten(client, [row.district_code], [row.id]);
      return { id: row.id, externalId: row.external_id, status: row.status, dueAt: row.due_at, lon: row.lon, lat: row.lat };
    },

    async idByExternalId(externalId: string, client: Queryable = db): Promise<number | null> {
      const { rows } = await client.query<{ id: number }>(`SELECT id FROM incident WHERE external_id = $1`, [externalId]);
      return rows[0]?.id ?? null;
    },

    async detail(id: number, client: Queryable = db): Promise<IncidentRow | null> {
      const { rows } = await client.query(DETAIL_SQL, [id]);
      const r = rows[0];
      if (!r) return null;
      return {
        id: r.id,
        externalId: r.external_id,
        category: r.category,
        subCategory: r.sub_category,
        source: r.source,
        status: r.status,
        occurredAt: r.occurred_at,
        reportedAt: r.reported_at,
        dueAt: r.due_at,
        closedAt: r.closed_at,
        description: r.description,
        lon: r.lon,
        lat: r.lat,
        overdue: r.overdue,
        gridId: r.grid_id,
        placement: placementOf(r),
        events: r.events,
        photoIds: r.photo_ids,
        hasReporter: r.has_reporter,
      };
    },

    /** The reporter's personal data, unmasked: only for masking or an audited unmask. */
    async reporter(id: number, client: Queryable = db): Promise<Reporter | null> {
      const { rows } = await client.query(`SELECT name, phone, id_number FROM incident_reporter WHERE incident_id = $1`, [id]);
      const r = rows[0];
      return r ? { name: r.name, phone: r.phone, idNumber: r.id_number } : null;
    },

    /** Locks the incident row for a transition; returns its status and grid. */
    /**
     * Locks the incident row for a transition; returns its status and grid. The row is found by
     * id first, then locked by its full key (district, id): a lock is taken on one shard only.
     */
    async lockForTransition(id: number, client: Queryable): Promise<{ status: IncidentStatus; gridId: number | null } | null> {
      const district = await districtOf(client, id);
      if (district === null) return null;
      const { rows } = await client.query(`SELECT status, grid_id FROM incident WHERE district_code = $2 AND id = $1 FOR UPDATE`, [id, district]);
      return rows[0] ? { status: rows[0].status, gridId: rows[0].grid_id } : null;
    },

    async applyTransition(id: number, from: IncidentStatus, to: IncidentStatus, actorUserId: number, note: string, client: Queryable): Promise<void> {
      const district = await districtOf(client, id);
      if (district === null) return;
      // The transaction's time read first: Citus refuses now() inside a CASE of a distributed UPDATE.
      const { rows: [clock] } = await client.query<{ now: string }>('SELECT now()::text AS now');
      await client.query(
        `UPDATE incident SET status = $2, closed_at = CASE WHEN $2 = 'closed' THEN greatest($4::timestamptz, reported_at) ELSE NULL END WHERE district_code = $3 AND id = $1`,
        [id, to, district, clock!.now],
      );
      await client.query(
        `INSERT INTO incident_event (district_code, incident_id, from_status, to_status, actor_user_id, note) VALUES ($6, $1, $2, $3, $4, $5)`,
        [id, from, to, actorUserId, note, district],
      );
      await incidentsWritten(client, [district], [id]);
    },

    async addPhoto(incidentId: number, contentType: string, bytes: Buffer, userId: number, client: Queryable = db): Promise<number> {
      const district = await districtOf(client, incidentId);
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO incident_photo (district_code, incident_id, content_type, bytes, uploaded_by) VALUES ($5, $1, $2, $3, $4) RETURNING id`,
        [incidentId, contentType, bytes, userId, district],
      );
      return rows[0]!.id;
    },

    async photo(incidentId: number, photoId: number, client: Queryable = db): Promise<{ contentType: string; bytes: Buffer } | null> {
      const { rows } = await client.query(`SELECT content_type, bytes FROM incident_photo WHERE id = $1 AND incident_id = $2`, [photoId, incidentId]);
      return rows[0] ? { contentType: rows[0].content_type, bytes: rows[0].bytes } : null;
    },

    /** The latest incidents in some grids (a grid worker's own), newest first. */
    async inGrids(gridIds: number[], limit: number, client: Queryable = db): Promise<IncidentSummary[]> {
      const { rows } = await client.query(
        `SELECT i.id, i.external_id, i.category, i.sub_category, i.source, i.status, i.reported_at, i.due_at, i.closed_at, i.description,
                ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat,
                (i.closed_at > i.due_at OR (i.closed_at IS NULL AND i.status <> 'returned' AND now() > i.due_at)) AS overdue,
                g.code AS grid_code, g.name AS grid_name, c.name AS community_name
         FROM incident i LEFT JOIN grid g ON g.id = i.grid_id LEFT JOIN admin_area c ON c.code = i.community_code
         WHERE i.grid_id = ANY ($1::bigint[])
         ORDER BY i.reported_at DESC, i.id DESC LIMIT $2`,
        [gridIds, limit],
      );
      return rows.map(summaryOf);
    },
  };
}
export type IncidentsRepository = ReturnType<typeof createIncidentsRepository>;

/** A row of list.sql or inGrids() as the API's IncidentSummary. */
export function summaryOf(r: Record<string, any>): IncidentSummary {
  return {
    id: r.id,
    externalId: r.external_id,
    category: r.category,
    subCategory: r.sub_category,
    source: r.source,
    status: r.status,
    reportedAt: (r.reported_at as Date).toISOString(),
    dueAt: (r.due_at as Date).toISOString(),
    closedAt: r.closed_at ? (r.closed_at as Date).toISOString() : null,
    overdue: r.overdue,
    description: r.description,
    lon: r.lon,
    lat: r.lat,
    gridCode: r.grid_code,
    gridName: r.grid_name,
    communityName: r.community_name,
  };
}

/** The district of an incident (the key its rows are stored under, migration 031), or null. */
export async function districtOf(client: Queryable, id: number): Promise<string | null> {
  const { rows } = await client.query<{ district_code: string }>(`SELECT district_code FROM incident WHERE id = $1`, [id]);
  return rows[0]?.district_code ?? null;
}

/**
 * After the server wrote incidents (in the same transaction): the tiles over them are dropped
 * (a notification sent from the node the server listens on) and the places of their summary
 * cells recorded. One path for a plain PostGIS and a Citus coordinator (migration 031).
 */
export async function incidentsWritten(client: Queryable, districts: string[], ids: (number | string)[]): Promise<void> {
  if (ids.length === 0) return;
  const unique = [...new Set(districts)];
  await client.query('SELECT incident_tiles_changed($1::bigint[]), incident_bin_place_of_incidents($2::text[], $1::bigint[])', [ids, unique]);
}
