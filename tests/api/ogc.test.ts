/**
 * OGC API – Features under /ogc against the demo district: landing page, conformance,
 * collections per role, items with keyset paging, bbox (in CRS84 and in latitude-first
 * EPSG:4326), crs (axis order), datetime intervals, property filters, single features, HTML, and
 * the same masking as the rest of the API (public fields for the public, incidents only for the
 * roles and areas that may read them, nothing of reporters anywhere).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/modules/auth/roles.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  t = await createTestApp();
  for (const role of ['admin', 'planner', 'analyst', 'grid_worker'] as Role[]) cookies[role] = await t.loginAs(role);
});
afterAll(async () => t.close());

async function get(url: string, role?: Role, headers: Record<string, string> = {}) {
  const res = await t.app.inject({ url, headers: { ...(role ? { cookie: cookies[role] } : {}), ...headers } });
  return { res, body: res.headers['content-type']?.toString().includes('json') ? res.json() : null };
}

interface Feature {
  id: number | string;
  geometry: { type: string; coordinates: any };
  properties: Record<string, any>;
}

/** Every feature of an items URL, following `next` links; the pages' sizes. */
async function allPages(url: string, role?: Role) {
  const features: Feature[] = [];
  const sizes: number[] = [];
  let next: string | null = url;
  let matched = -1;
  while (next) {
    const { res, body } = await get(next.replace(/^http:\/\/[^/]+/, ''), role);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    features.push(...body.features);
    sizes.push(body.numberReturned);
    expect(body.numberReturned).toBe(body.features.length);
    if (matched >= 0) expect(body.numberMatched).toBe(matched);
    matched = body.numberMatched;
    next = body.links.find((l: any) => l.rel === 'next')?.href ?? null;
  }
  return { features, sizes, matched };
}

describe('landing page, conformance, collections', () => {
  it('landing page links the API definition, conformance and collections with absolute URLs', async () => {
    const { res, body } = await get('/ogc');
    expect(res.statusCode).toBe(200);
    const rels = Object.fromEntries(body.links.map((l: any) => [l.rel, l.href]));
    expect(rels.conformance).toBe('http://localhost:80/ogc/conformance');
    expect(rels.data).toBe('http://localhost:80/ogc/collections');
    expect(rels['service-desc']).toMatch(/\/docs\/json$/);
  });

  it('conformance declares Core, GeoJSON, HTML, OpenAPI 3 and Part 2 CRS', async () => {
    const { body } = await get('/ogc/conformance');
    expect(body.conformsTo).toEqual(expect.arrayContaining([
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
      'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
      'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
    ]));
  });

  it('lists to each role the collections it may read', async () => {
    const ids = async (role?: Role) => (await get('/ogc/collections', role)).body.collections.map((c: any) => c.id).sort();
    expect(await ids()).toEqual(['areas', 'buildings', 'facilities', 'service-areas']);
    expect(await ids('planner')).toEqual(['areas', 'buildings', 'facilities', 'grids', 'service-areas']);
    for (const role of ['analyst', 'admin', 'grid_worker'] as Role[]) {
      expect(await ids(role), role).toEqual(['areas', 'buildings', 'facilities', 'grids', 'incidents', 'service-areas']);
    }
  });

  it('collection metadata: extent in CRS84, the CRS list, storageCrs, items link; incidents with their time interval', async () => {
    const { body } = await get('/ogc/collections/grids', 'planner');
    expect(body.crs).toEqual(['http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'http://www.opengis.net/def/crs/EPSG/0/4326', 'http://www.opengis.net/def/crs/EPSG/0/4490']);
    expect(body.storageCrs).toBe('http://www.opengis.net/def/crs/OGC/1.3/CRS84');
    const [xmin, ymin, xmax, ymax] = body.extent.spatial.bbox[0];
    expect(xmin).toBeGreaterThan(108);
    expect(xmax).toBeLessThan(109.5);
    expect(ymin).toBeGreaterThan(34);
    expect(ymax).toBeLessThan(35);
    expect(body.links.find((l: any) => l.rel === 'items' && l.type === 'application/geo+json')).toBeTruthy();
    const incidents = (await get('/ogc/collections/incidents', 'analyst')).body;
    const [first, last] = incidents.extent.temporal.interval[0];
    expect(new Date(first).getTime()).toBeLessThan(new Date(last).getTime());
  });

  it('refuses collections beyond the role: 401 with a Basic challenge for the public, 403 for a role, 404 for none', async () => {
    const anonymous = await get('/ogc/collections/grids/items');
    expect(anonymous.res.statusCode).toBe(401);
    expect(anonymous.res.headers['www-authenticate']).toMatch(/^Basic realm="Wangge"/);
    expect((await get('/ogc/collections/incidents/items')).res.statusCode).toBe(401);
    const planner = await get('/ogc/collections/incidents/items', 'planner');
    expect(planner.res.statusCode).toBe(403);
    expect(planner.body.message).toMatch(/planner.*incidents/);
    const none = await get('/ogc/collections/residents/items', 'admin');
    expect(none.res.statusCode).toBe(404);
    expect(none.body.message).toMatch(/areas, grids/);
  });
});

describe('items', () => {
  it('pages through every live grid by key: no feature twice, none missed, numberMatched the live count', async () => {
    const { rows } = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM grid WHERE retired_at IS NULL');
    const { features, sizes, matched } = await allPages('/ogc/collections/grids/items?limit=200', 'planner');
    expect(matched).toBe(rows[0]!.n);
    expect(features.length).toBe(rows[0]!.n);
    expect(new Set(features.map((f) => f.id)).size).toBe(rows[0]!.n);
    expect(sizes.slice(0, -1).every((s) => s === 200)).toBe(true);
    expect(features[0]!.geometry.type).toBe('MultiPolygon');
    expect(Object.keys(features[0]!.properties).sort()).toEqual(
      ['code', 'communityCode', 'dedicatedKind', 'gridType', 'households', 'managers', 'name', 'residents', 'residents60Plus', 'residents80Plus'].sort(),
    );
  });

  it('keyset paging stays right when a grid is added before the next page is fetched', async () => {
    const first = (await get('/ogc/collections/grids/items?limit=5', 'planner')).body;
    const next = first.links.find((l: any) => l.rel === 'next').href.replace(/^http:\/\/[^/]+/, '');
    expect(next).toContain('after=');
    const before = (await get(next, 'planner')).body.features.map((f: Feature) => f.id);
    const grid = (await t.db.pool.query('SELECT id FROM grid WHERE retired_at IS NULL ORDER BY id LIMIT 1 OFFSET 2')).rows[0]!;
    await t.db.pool.query('UPDATE grid SET retired_at = now() WHERE id = $1', [grid.id]);
    try {
      const after = (await get(next, 'planner')).body.features.map((f: Feature) => f.id);
      expect(after).toEqual(before);
    } finally {
      await t.db.pool.query('UPDATE grid SET retired_at = NULL WHERE id = $1', [grid.id]);
    }
  });

  it('default and maximum page size; a bad limit or page key is a 400 naming the parameter', async () => {
    expect((await get('/ogc/collections/buildings/items')).body.numberReturned).toBe(100);
    const big = (await get('/ogc/collections/buildings/items?limit=100000')).body;
    expect(big.numberReturned).toBe(Math.min(5000, big.numberMatched));
    for (const [query, name] of [['limit=0', 'limit'], ['limit=abc', 'limit'], ['after=x', 'after'], ['bbox=1,2,3', 'bbox'], ['crs=EPSG:3857', 'crs'], ['datetime=2026-01-01', 'datetime'], ['colour=red', 'colour']]) {
      const { res, body } = await get(`/ogc/collections/buildings/items?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(body.message.startsWith(`${name}:`), body.message).toBe(true);
    }
  });

  it('bbox in CRS84 and in EPSG:4326 (latitude first) select the same features, all intersecting the box', async () => {
    const box = [108.68, 34.32, 108.72, 34.35];
    const lonLat = await allPages(`/ogc/collections/facilities/items?bbox=${box.join(',')}&limit=50`);
    const latLon = await allPages(`/ogc/collections/facilities/items?bbox=${[box[1], box[0], box[3], box[2]].join(',')}&bbox-crs=${encodeURIComponent('http://www.opengis.net/def/crs/EPSG/0/4326')}&limit=50`);
    expect(lonLat.features.length).toBeGreaterThan(0);
    expect(latLon.features.map((f) => f.id)).toEqual(lonLat.features.map((f) => f.id));
    for (const f of lonLat.features) {
      const [lon, lat] = f.geometry.coordinates;
      expect(lon >= box[0]! && lon <= box[2]! && lat >= box[1]! && lat <= box[3]!).toBe(true);
    }
    const { rows } = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM facility WHERE retired_at IS NULL AND is_public AND ST_Intersects(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326))`, box);
    expect(lonLat.matched).toBe(rows[0].n);
  });

  it('crs: CRS84 is longitude first, EPSG:4326 and EPSG:4490 latitude first, said in Content-Crs', async () => {
    const plain = await get('/ogc/collections/facilities/items?limit=1');
    expect(plain.res.headers['content-crs']).toBe('<http://www.opengis.net/def/crs/OGC/1.3/CRS84>');
    const [lon, lat] = plain.body.features[0].geometry.coordinates;
    expect(lon).toBeGreaterThan(100);
    for (const code of ['4326', '4490']) {
      const uri = `http://www.opengis.net/def/crs/EPSG/0/${code}`;
      const swapped = await get(`/ogc/collections/facilities/items?limit=1&crs=${encodeURIComponent(uri)}`);
      expect(swapped.res.headers['content-crs']).toBe(`<${uri}>`);
      expect(swapped.body.features[0].geometry.coordinates).toEqual([lat, lon]);
    }
    // The crs goes on into the next link.
    const next = (await get(`/ogc/collections/facilities/items?limit=1&crs=EPSG:4490`)).body.links.find((l: any) => l.rel === 'next').href;
    expect(next).toContain('crs=EPSG%3A4490');
  });

  it('datetime filters incidents by when they were reported: instants, dates and open intervals', async () => {
    const count = async (from: string | null, to: string | null) =>
      (await t.db.pool.query(`SELECT count(*)::int AS n FROM incident WHERE ($1::timestamptz IS NULL OR reported_at >= $1) AND ($2::timestamptz IS NULL OR reported_at <= $2)`, [from, to])).rows[0].n;
    const matched = async (datetime: string) => {
      const { res, body } = await get(`/ogc/collections/incidents/items?limit=1&datetime=${encodeURIComponent(datetime)}`, 'admin');
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
      return body.numberMatched;
    };
    expect(await matched('2026-06-01T00:00:00+08:00/2026-07-01T00:00:00+08:00')).toBe(await count('2026-06-01T00:00:00+08:00', '2026-07-01T00:00:00+08:00'));
    expect(await matched('2026-10-01T00:00:00Z/..')).toBe(await count('2026-10-01T00:00:00Z', null));
    expect(await matched('../2025-01-01T00:00:00Z')).toBe(await count(null, '2025-01-01T00:00:00Z'));
    expect(await matched('2026-06-01')).toBe(await count('2026-06-01T00:00:00+08:00', '2026-06-01T23:59:59.999+08:00'));
    expect(await matched('2026-10-01T00:00:00Z/..')).toBeGreaterThan(0);
    const refused = await get('/ogc/collections/incidents/items?datetime=2026-02-31', 'admin');
    expect(refused.res.statusCode).toBe(400);
    expect(refused.body.message).toMatch(/^datetime: .*not a real date/);
    expect((await get('/ogc/collections/incidents/items?datetime=2026-07-01T00:00:00Z/2026-06-01T00:00:00Z', 'admin')).res.statusCode).toBe(400);
  });

  it('property filters declared as queryables; an undeclared one or a bad value is a 400', async () => {
    const queryables = (await get('/ogc/collections/areas/queryables')).res.json();
    expect(Object.keys(queryables.properties)).toEqual(['level', 'parentCode', 'kind']);
    const streets = await allPages('/ogc/collections/areas/items?level=street&limit=5');
    const { rows } = await t.db.pool.query(`SELECT code FROM admin_area WHERE level = 'street' AND geom IS NOT NULL AND retired_at IS NULL ORDER BY code`);
    expect(streets.features.map((f) => f.id)).toEqual(rows.map((r) => r.code));
    expect(streets.features.every((f) => f.properties.level === 'street')).toBe(true);
    const closed = (await get('/ogc/collections/incidents/items?status=closed&category=dispute&limit=20', 'analyst')).body;
    expect(closed.numberReturned).toBeGreaterThan(0);
    expect(closed.features.every((f: Feature) => f.properties.status === 'closed' && f.properties.category === 'dispute')).toBe(true);
    const bad = await get('/ogc/collections/areas/items?level=province');
    expect(bad.res.statusCode).toBe(400);
    expect(bad.body.message).toMatch(/^level: 'province' is not one of city, district, street, community/);
  });

  it('one feature by id, in the CRS asked; 404 for one the caller may not see', async () => {
    const { rows } = await t.db.pool.query(`SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM facility WHERE is_public AND retired_at IS NULL ORDER BY id LIMIT 1`);
    const one = await get(`/ogc/collections/facilities/items/${rows[0].id}?crs=EPSG:4326`);
    expect(one.res.statusCode).toBe(200);
    expect(one.res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(one.body.geometry.coordinates[0]).toBeCloseTo(rows[0].lat, 6);
    expect(one.body.links.find((l: any) => l.rel === 'collection')).toBeTruthy();
    const hidden = (await t.db.pool.query(`SELECT id FROM facility WHERE NOT is_public AND retired_at IS NULL LIMIT 1`)).rows[0];
    expect((await get(`/ogc/collections/facilities/items/${hidden.id}`)).res.statusCode).toBe(404);
    expect((await get(`/ogc/collections/facilities/items/${hidden.id}`, 'planner')).res.statusCode).toBe(200);
    expect((await get('/ogc/collections/areas/items/610402')).body.properties.level).toBe('district');
  });

  it('HTML for browsers (Accept) and with f=html; escaped; JSON with f=json whatever the Accept', async () => {
    const browser = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    for (const url of ['/ogc', '/ogc/conformance', '/ogc/collections', '/ogc/collections/areas', '/ogc/collections/areas/items?level=street', '/ogc/collections/areas/items/610402']) {
      const { res } = await get(url, undefined, browser);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.body, url).toContain('<!doctype html>');
    }
    const streets = await get('/ogc/collections/areas/items?level=street&limit=3', undefined, browser);
    expect(streets.res.body).toContain('rel="next"');
    expect(streets.res.body).toMatch(/渭阳街道|街道/);
    const asJson = await get('/ogc/collections/areas/items?level=street&f=json', undefined, browser);
    expect(asJson.res.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect((await get('/ogc/collections?f=html')).res.headers['content-type']).toMatch(/^text\/html/);
  });
});

describe('roles and masking', () => {
  it('the public gets public fields only: buildings without names or figures, public facilities without capacity', async () => {
    const buildings = (await get('/ogc/collections/buildings/items?limit=50')).body.features as Feature[];
    expect(buildings.every((f) => Object.keys(f.properties).join() === 'kind')).toBe(true);
    const staffBuildings = (await get('/ogc/collections/buildings/items?limit=50', 'analyst')).body.features as Feature[];
    expect(Object.keys(staffBuildings[0]!.properties)).toEqual(expect.arrayContaining(['name', 'residents', 'households']));
    const facilities = await allPages('/ogc/collections/facilities/items?limit=1000');
    const { rows } = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM facility WHERE is_public AND retired_at IS NULL');
    expect(facilities.matched).toBe(rows[0]!.n);
    expect(facilities.features.some((f) => 'capacity' in f.properties || 'isPublic' in f.properties)).toBe(false);
    const staff = await allPages('/ogc/collections/facilities/items?limit=1000', 'planner');
    expect(staff.matched).toBeGreaterThan(facilities.matched);
    const areas = (await get('/ogc/collections/service-areas/items?limit=1000')).body;
    expect(areas.numberMatched).toBe(rows[0]!.n);
    expect(areas.features[0].geometry.type).toBe('Polygon');
  });

  it('grids never carry grid leaders or managers by name or phone', async () => {
    const { rows } = await t.db.pool.query(`SELECT name, phone FROM grid_staff WHERE phone IS NOT NULL LIMIT 50`);
    expect(rows.length).toBeGreaterThan(0);
    const text = JSON.stringify((await allPages('/ogc/collections/grids/items?limit=1000', 'admin')).features);
    for (const r of rows) {
      expect(text).not.toContain(r.phone);
      expect(text).not.toContain(`"${r.name}"`);
    }
  });

  it('incidents: nothing of the reporter for any role; a grid worker sees only their grids, a scoped analyst only their area', async () => {
    const reporters = (await t.db.pool.query(`SELECT name, phone, id_number FROM incident_reporter WHERE phone IS NOT NULL LIMIT 20`)).rows;
    const admin = await allPages('/ogc/collections/incidents/items?limit=5000&datetime=2026-09-01T00:00:00Z/..', 'admin');
    expect(admin.features.length).toBeGreaterThan(0);
    const text = JSON.stringify(admin.features);
    for (const r of reporters) {
      expect(text).not.toContain(r.phone);
      if (r.id_number) expect(text).not.toContain(r.id_number);
    }
    for (const f of admin.features) expect(Object.keys(f.properties)).not.toEqual(expect.arrayContaining(['reporter']));

    const own = (await t.db.pool.query(`SELECT g.code FROM grid_staff s JOIN app_user u ON u.id = s.user_id JOIN grid g ON g.id = s.grid_id WHERE u.username = 'gridworker' AND g.retired_at IS NULL`)).rows.map((r) => r.code);
    expect(own.length).toBeGreaterThan(0);
    const worker = await allPages('/ogc/collections/incidents/items?limit=5000', 'grid_worker');
    const expected = (await t.db.pool.query(`SELECT count(*)::int AS n FROM incident i JOIN grid g ON g.id = i.grid_id WHERE g.code = ANY ($1)`, [own])).rows[0].n;
    expect(worker.matched).toBe(expected);
    expect(worker.features.every((f) => own.includes(f.properties.gridCode))).toBe(true);

    // An analyst limited to one street.
    const street = '610402001';
    await t.db.pool.query(`UPDATE app_user SET scope_area_code = $1 WHERE username = 'analyst'`, [street]);
    try {
      const scoped = (await get('/ogc/collections/incidents/items?limit=1000&datetime=2026-06-01T00:00:00Z/..', 'analyst')).body;
      const inStreet = (await t.db.pool.query(`SELECT count(*)::int AS n FROM incident WHERE community_code LIKE $1 || '%' AND reported_at >= '2026-06-01T00:00:00Z'`, [street])).rows[0].n;
      expect(scoped.numberMatched).toBe(inStreet);
      expect(scoped.features.every((f: Feature) => f.properties.communityCode.startsWith(street))).toBe(true);
      const elsewhere = (await t.db.pool.query(`SELECT id FROM incident WHERE community_code NOT LIKE $1 || '%' LIMIT 1`, [street])).rows[0].id;
      expect((await get(`/ogc/collections/incidents/items/${elsewhere}`, 'analyst')).res.statusCode).toBe(404);
    } finally {
      await t.db.pool.query(`UPDATE app_user SET scope_area_code = NULL WHERE username = 'analyst'`);
    }
  });
});

describe('TRUST_PROXY', () => {
  it('off (the default): links are built from the request itself, X-Forwarded-* ignored', async () => {
    const { body } = await get('/ogc', undefined, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gis.example.gov.cn' });
    expect(body.links.find((l: any) => l.rel === 'data').href).toBe('http://localhost:80/ogc/collections');
    const tilejson = (await get('/api/tiles/areas.json', undefined, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gis.example.gov.cn' })).body;
    expect(tilejson.tiles[0]).toMatch(/^http:\/\/localhost:80\/api\/tiles\/areas\//);
  });

  it('on: OGC links and TileJSON tile URLs use the forwarded scheme and host', async () => {
    const proxied = await createTestApp({ env: { TRUST_PROXY: 'true' } });
    try {
      const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'gis.example.gov.cn', 'x-forwarded-for': '203.0.113.9' };
      const landing = (await proxied.app.inject({ url: '/ogc', headers })).json();
      expect(landing.links.find((l: any) => l.rel === 'data').href).toBe('https://gis.example.gov.cn/ogc/collections');
      const items = (await proxied.app.inject({ url: '/ogc/collections/areas/items?limit=1', headers })).json();
      expect(items.links.find((l: any) => l.rel === 'next').href).toMatch(/^https:\/\/gis\.example\.gov\.cn\/ogc\/collections\/areas\/items\?/);
      const tilejson = (await proxied.app.inject({ url: '/api/tiles/areas.json', headers })).json();
      expect(tilejson.tiles[0]).toBe('https://gis.example.gov.cn/api/tiles/areas/{z}/{x}/{y}');
    } finally {
      await proxied.close();
    }
  });
});
