/**
 * Writes a generated demo district into the database, in one transaction: either all of it
 * is there afterwards, or none. Bulk rows go in as arrays through unnest(), one statement per
 * table. The district outline's self-intersection is repaired here with ST_MakeValid (the
 * generator clips against an already repaired copy, so the two agree).
 */
import type pg from 'pg';
import { withTransaction } from '../db/pool.js';
import { hashPassword } from '../modules/auth/password.js';
import { DEMO_ACCOUNTS } from './accounts.js';
import { linkDemoGridWorker } from '../modules/incidents/demo-grid-worker.js';
import type { DemoDataset } from './types.js';
import { createNetworkRepository } from '../modules/network/network-repository.js';

const json = (value: unknown) => JSON.stringify(value);

export async function isDemoLoaded(pool: pg.Pool): Promise<boolean> {
  const { rowCount } = await pool.query('SELECT 1 FROM demo_load');
  return (rowCount ?? 0) > 0;
}

export async function loadDemoDataset(pool: pg.Pool, data: DemoDataset): Promise<void> {
  const passwordHashes = await Promise.all(DEMO_ACCOUNTS.map((a) => hashPassword(a.password)));
  await withTransaction(pool, async (db) => {
    const existing = await db.query('SELECT 1 FROM demo_load FOR UPDATE');
    if ((existing.rowCount ?? 0) > 0) return; // another process loaded it meanwhile

    // Areas, parents before children.
    const levelOrder = { district: 0, street: 1, community: 2 } as const;
    const areas = [...data.areas].sort((a, b) => levelOrder[a.level] - levelOrder[b.level]);
    await db.query(
      `INSERT INTO admin_area (code, name, level, parent_code, outline_source, geom)
       SELECT code, name, level, parent, 'demo', ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)), 3))
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS t(code, name, level, parent, g, n)
       ORDER BY n`,
      [areas.map((a) => a.code), areas.map((a) => a.name), areas.map((a) => a.level), areas.map((a) => a.parentCode), areas.map((a) => json(a.geometry))],
    );

    const grids = data.grids;
    const gridIds = await db.query<{ id: number; code: string }>(
      `INSERT INTO grid (code, name, community_code, grid_type, dedicated_kind, geom,
                         households, residents, residents_60_plus, residents_80_plus)
       SELECT code, name, community, gtype, dkind, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(g), 4326)), hh, res, r60, r80
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                   $7::int[], $8::int[], $9::int[], $10::int[]) AS t(code, name, community, gtype, dkind, g, hh, res, r60, r80)
       RETURNING id, code`,
      [
        grids.map((g) => g.code), grids.map((g) => g.name), grids.map((g) => g.communityCode), grids.map((g) => g.gridType),
        grids.map((g) => g.dedicatedKind), grids.map((g) => json(g.geometry)), grids.map((g) => g.households),
        grids.map((g) => g.residents), grids.map((g) => g.residents60Plus), grids.map((g) => g.residents80Plus),
      ],
    );
    const idByCode = new Map(gridIds.rows.map((r) => [r.code, r.id]));
    const staff = grids.flatMap((g) => g.staff.map((s) => ({ gridId: idByCode.get(g.code)!, ...s })));
    await db.query(
      `INSERT INTO grid_staff (grid_id, role, name, phone)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])`,
      [staff.map((s) => s.gridId), staff.map((s) => s.role), staff.map((s) => s.name), staff.map((s) => s.phone)],
    );

    const b = data.buildings;
    await db.query(
      `INSERT INTO building (name, kind, geom, households, residents, residents_60_plus, residents_80_plus)
       SELECT name, kind, ST_SetSRID(ST_MakePoint(lon, lat), 4326), hh, res, r60, r80
       FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::int[], $6::int[], $7::int[], $8::int[])
            AS t(name, kind, lon, lat, hh, res, r60, r80)`,
      [
        b.map((x) => x.name), b.map((x) => x.kind), b.map((x) => x.geometry.coordinates[0]), b.map((x) => x.geometry.coordinates[1]),
        b.map((x) => x.households), b.map((x) => x.residents), b.map((x) => x.residents60Plus), b.map((x) => x.residents80Plus),
      ],
    );

    const f = data.facilities;
    await db.query(
      `INSERT INTO facility (facility_type, name, address, geom, phone, opening_hours, services, capacity, is_public)
       SELECT ftype, name, address, ST_SetSRID(ST_MakePoint(lon, lat), 4326), phone, hours,
              ARRAY(SELECT json_array_elements_text(services::json)), capacity, is_public
       FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::int[], $10::bool[])
            AS t(ftype, name, address, lon, lat, phone, hours, services, capacity, is_public)`,
      [
        f.map((x) => x.facilityType), f.map((x) => x.name), f.map((x) => x.address), f.map((x) => x.geometry.coordinates[0]),
        f.map((x) => x.geometry.coordinates[1]), f.map((x) => x.phone), f.map((x) => x.openingHours), f.map((x) => json(x.services)),
        f.map((x) => x.capacity), f.map((x) => x.isPublic),
      ],
    );

    // Incidents: the grid (and so the community) comes from the point. A point on a shared
    // boundary belongs to the grid with the lowest code, the same rule the intake uses.
    const inc = data.incidents;
    await db.query(
      `WITH src AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                              $8::timestamptz[], $9::float8[], $10::float8[], $11::text[], $12::text[], $13::text[])
              AS t(external_id, category, sub_category, source, status, occurred_at, reported_at, closed_at, lon, lat,
                   description, reporter_name, reporter_phone)
       ), inserted AS (
         INSERT INTO incident (district_code, external_id, category, sub_category, source, status, occurred_at, reported_at, due_at,
                               closed_at, geom, grid_id, community_code, description)
         SELECT coalesce(left(g.community_code, 6), '000000'), s.external_id, s.category, s.sub_category, s.source, s.status, s.occurred_at, s.reported_at,
                s.reported_at + make_interval(hours => c.deadline_hours), s.closed_at, p.geom, g.id, g.community_code, s.description
         FROM src s
         JOIN incident_category c ON c.code = s.category
         CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(s.lon, s.lat), 4326) AS geom) p
         LEFT JOIN LATERAL (
           SELECT id, community_code FROM grid
           WHERE retired_at IS NULL AND ST_Covers(grid.geom, p.geom)
           ORDER BY code LIMIT 1
         ) g ON true
         RETURNING id, external_id, district_code
       )
       INSERT INTO incident_reporter (district_code, incident_id, name, phone)
       SELECT i.district_code, i.id, s.reporter_name, s.reporter_phone
       FROM inserted i JOIN src s USING (external_id)
       WHERE s.reporter_name IS NOT NULL OR s.reporter_phone IS NOT NULL`,
      [
        inc.map((x) => x.externalId), inc.map((x) => x.category), inc.map((x) => x.subCategory), inc.map((x) => x.source),
        inc.map((x) => x.status), inc.map((x) => x.occurredAt), inc.map((x) => x.reportedAt), inc.map((x) => x.closedAt),
        inc.map((x) => x.geometry.coordinates[0]), inc.map((x) => x.geometry.coordinates[1]), inc.map((x) => x.description),
        inc.map((x) => x.reporterName), inc.map((x) => x.reporterPhone),
      ],
    );

    // The handling history each status implies (incident-events.ts), by ticket number.
    const events = inc.flatMap((x) => x.events.map((e) => ({ externalId: x.externalId, ...e })));
    await db.query(
      `INSERT INTO incident_event (district_code, incident_id, from_status, to_status, at, note)
       SELECT i.district_code, i.id, e.from_status, e.to_status, e.at, e.note
       FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]) AS e(external_id, from_status, to_status, at, note)
       JOIN incident i ON i.external_id = e.external_id`,
      [events.map((e) => e.externalId), events.map((e) => e.fromStatus), events.map((e) => e.toStatus), events.map((e) => e.at), events.map((e) => e.note)],
    );

    // The places of the incidents' summary cells (written by the server's write paths; the
    // statement triggers write only the summaries where the rows are: migration 031).
    await db.query(`SELECT incident_bin_place_of_incidents(ARRAY(SELECT DISTINCT district_code FROM incident), ARRAY(SELECT id FROM incident))`);

    for (const [i, account] of DEMO_ACCOUNTS.entries()) {
      await db.query(
        `INSERT INTO app_user (username, display_name, role, password_hash) VALUES ($1, $2, $3, $4)
         ON CONFLICT (username) DO NOTHING`,
        [account.username, account.displayName, account.role, passwordHashes[i]],
      );
    }
    await linkDemoGridWorker(db);
    // The synthetic walking network last: noding it joins every building and walks every facility.
    await createNetworkRepository(pool).replaceIn(
      db,
      data.roads.map((r, feature) => ({
        feature, coordinates: r.geometry.coordinates, roadClass: r.roadClass, name: r.name, bridge: r.bridge, tunnel: r.tunnel, oneway: false,
      })),
      { source: 'demo', synthetic: true, fileName: 'demo' },
      true,
    );
    await db.query('INSERT INTO demo_load (id, seed, anchor_date) VALUES (1, $1, $2)', [data.seed, data.anchorDate]);
  });
}
