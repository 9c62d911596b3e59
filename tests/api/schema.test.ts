/** The migrated schema: idempotent migrations, typed geometry, spatial indexes, checks that hold. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../server/db/migrate.js';
import { postgisProblem, compareVersions } from '../../server/db/pool.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { FACILITY_TYPE_CODES } from '../../server/modules/facilities/schemas.js';
import { INCIDENT_CATEGORIES } from '../../server/demo/incidents.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('empty');
});
afterAll(async () => db?.drop());

describe('migrations', () => {
  it('apply nothing the second time', async () => {
    const before = await db.pool.query(`SELECT count(*) AS n FROM schema_migration`);
    const { applied } = await migrate(db.pool);
    expect(applied).toEqual([]);
    const after = await db.pool.query(`SELECT count(*) AS n FROM schema_migration`);
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('type every geometry column with its geometry type and SRID, and index it', async () => {
    const { rows } = await db.pool.query(
      `SELECT f_table_name AS t, f_geometry_column AS c, type, srid FROM geometry_columns WHERE f_table_schema = 'public' ORDER BY 1, 2`,
    );
    // The core tables, as the foundation laid them down.
    expect(rows).toEqual(
      expect.arrayContaining([
        { t: 'admin_area', c: 'geom', type: 'MULTIPOLYGON', srid: 4326 },
        { t: 'building', c: 'geom', type: 'POINT', srid: 4326 },
        { t: 'facility', c: 'geom', type: 'POINT', srid: 4326 },
        { t: 'grid', c: 'geom', type: 'MULTIPOLYGON', srid: 4326 },
        { t: 'incident', c: 'geom', type: 'POINT', srid: 4326 },
      ]),
    );
    // Every geometry column, core or added later: a concrete type, WGS84 or the metric
    // CGCS2000 / 3-degree Gauss-Kruger zone of the district (EPSG:4545), and a GiST index.
    const indexes = await db.pool.query(`SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexdef LIKE '%USING gist%'`);
    // History is read by grid id and version, never searched in space.
    const historyTables = new Set(['grid_version', 'area_version', 'building_version']);
    for (const r of rows) {
      expect(r.type, `${r.t}.${r.c}`).not.toBe('GEOMETRY');
      expect([4326, 4545], `${r.t}.${r.c}`).toContain(r.srid);
      const indexed = indexes.rows.some((i) => i.tablename === r.t && new RegExp(`USING gist \\(\\(?${r.c}\\b`).test(i.indexdef));
      if (!historyTables.has(r.t)) expect(indexed, `GiST index on ${r.t}.${r.c}`).toBe(true);
    }
  });

  it('refuses invalid geometry and a community code of the wrong kind in the database itself', async () => {
    await db.pool.query(
      `INSERT INTO admin_area (code, name, level, geom) VALUES ('610402', '秦都区', 'district',
         ST_Multi(ST_MakeEnvelope(108.6, 34.3, 108.7, 34.4, 4326)))`,
    );
    const bowtie = `ST_Multi(ST_GeomFromText('POLYGON((108.6 34.3, 108.7 34.4, 108.7 34.3, 108.6 34.4, 108.6 34.3))', 4326))`;
    await expect(
      db.pool.query(`INSERT INTO admin_area (code, name, level, parent_code, geom) VALUES ('610402001', 'x', 'street', '610402', ${bowtie})`),
    ).rejects.toThrow(/admin_area_geom_check/);
    await expect(
      db.pool.query(
        `INSERT INTO admin_area (code, name, level, parent_code, geom) VALUES ('610402001', 'x', 'street', '610403', ST_Multi(ST_MakeEnvelope(108.6, 34.3, 108.7, 34.4, 4326)))`,
      ),
    ).rejects.toThrow(/check constraint/);
  });

  it('derives urban community or village from the code', async () => {
    await db.pool.query(
      `INSERT INTO admin_area (code, name, level, parent_code, geom) VALUES
         ('610402011', '双照街道', 'street', '610402', ST_Multi(ST_MakeEnvelope(108.6, 34.3, 108.7, 34.4, 4326))),
         ('610402011001', '社区', 'community', '610402011', ST_Multi(ST_MakeEnvelope(108.6, 34.3, 108.65, 34.4, 4326))),
         ('610402011201', '村', 'community', '610402011', ST_Multi(ST_MakeEnvelope(108.65, 34.3, 108.7, 34.4, 4326)))`,
    );
    const { rows } = await db.pool.query(`SELECT code, kind FROM admin_area WHERE level = 'community' ORDER BY code`);
    expect(rows).toEqual([
      { code: '610402011001', kind: 'urban' },
      { code: '610402011201', kind: 'village' },
    ]);
  });

  it('loads real code lists: a city above its districts, 4xx–5xx township units, other community numbers, areas without outlines', async () => {
    await db.pool.query(
      `INSERT INTO admin_area (code, name, level, parent_code, urban_rural_class) VALUES
         ('4101', '郑州市', 'city', NULL, NULL),
         ('410105', '金水区', 'district', '4101', NULL),
         ('410105001', '经八路街道', 'street', '410105', NULL),
         ('410105101', '某镇', 'street', '410105', NULL),
         ('410105560', '如意湖街道', 'street', '410105', NULL),
         ('410105001450', '虚拟社区', 'community', '410105001', NULL),
         ('410105101450', '虚拟村', 'community', '410105101', NULL),
         ('410105560001', '如意湖社区', 'community', '410105560', '220'),
         ('410105560201', '某村', 'community', '410105560', '111')`,
    );
    const { rows } = await db.pool.query(`SELECT code, level, kind, township_kind AS "townshipKind" FROM admin_area WHERE code LIKE '41%' ORDER BY code`);
    expect(rows).toEqual([
      { code: '4101', level: 'city', kind: null, townshipKind: null },
      { code: '410105', level: 'district', kind: null, townshipKind: null },
      { code: '410105001', level: 'street', kind: null, townshipKind: 'street' },
      { code: '410105001450', level: 'community', kind: 'urban', townshipKind: null },
      { code: '410105101', level: 'street', kind: null, townshipKind: 'town' },
      { code: '410105101450', level: 'community', kind: 'village', townshipKind: null },
      { code: '410105560', level: 'street', kind: null, townshipKind: 'special' },
      // The 城乡分类代码 wins over the number range where the list gives it.
      { code: '410105560001', level: 'community', kind: 'village', townshipKind: null },
      { code: '410105560201', level: 'community', kind: 'urban', townshipKind: null },
    ]);
    // A district under another city, a township number past 599, a community 000: refused.
    for (const bad of [
      `('410106', 'x', 'district', '4102')`,
      `('410105600', 'x', 'street', '410105')`,
      `('410105001000', 'x', 'community', '410105001')`,
    ]) {
      await expect(db.pool.query(`INSERT INTO admin_area (code, name, level, parent_code) VALUES ${bad}`)).rejects.toThrow(/check constraint/);
    }
  });
});

describe('vocabularies kept in code', () => {
  // The schemas and the pure demo generator carry copies of rows the migrations seed: the
  // tables stay the source, and these copies must not drift from them.
  it('facility types in the API schema are exactly the facility_type rows, in order', async () => {
    const { rows } = await db.pool.query('SELECT code FROM facility_type ORDER BY sort_order');
    expect(rows.map((r) => r.code)).toEqual([...FACILITY_TYPE_CODES]);
  });

  it("the generator's incident categories, names, deadlines and sub-categories are the incident_category rows", async () => {
    const { rows } = await db.pool.query(
      `SELECT c.code, c.name_zh, c.deadline_hours, array_agg(s.code ORDER BY s.code) AS subs
       FROM incident_category c JOIN incident_category s ON s.parent_code = c.code
       WHERE c.parent_code IS NULL GROUP BY c.code, c.name_zh, c.deadline_hours ORDER BY c.code`,
    );
    const fromGenerator = INCIDENT_CATEGORIES.map((c) => ({
      code: c.code,
      name_zh: c.name,
      deadline_hours: c.deadlineHours,
      subs: c.subCategories.map((s) => s.code).sort(),
    })).sort((a, b) => a.code.localeCompare(b.code));
    expect(rows).toEqual(fromGenerator);
  });
});

describe('PostGIS version check', () => {
  it('refuses a database without PostGIS or with one too old, and accepts 3.1 and later', () => {
    expect(postgisProblem(undefined)).toMatch(/no PostGIS/);
    expect(postgisProblem({ default_version: '2.5.5', installed_version: null })).toMatch(/2\.5\.5 is too old/);
    expect(postgisProblem({ default_version: '3.4.2', installed_version: '3.0.1' })).toMatch(/3\.0\.1 is too old/);
    expect(postgisProblem({ default_version: '3.1.0', installed_version: null })).toBeNull();
    expect(postgisProblem({ default_version: '3.3.2', installed_version: '3.3.2' })).toBeNull();
    expect(compareVersions('3.10.0', '3.9')).toBeGreaterThan(0);
  });
});
