/**
 * Intake on the hand-made 3×3 district: grid assignment on and near grid boundaries (one rule
 * for the API, the locate endpoint and imports), points outside the district refused, the
 * grid worker's own grids, idempotent external ids, and imports (coordinate conversion,
 * row-by-row preview, all or nothing, no duplicates on re-import).
 */
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { webText } from '../helpers/problem-text.js';
import { fixtureBytes, loadGridFixture, readFixture } from '../fixtures/incidents/load-fixture.js';
import { CreatedIncident, ImportJob, ImportPreview } from '../../server/modules/incidents/schemas.js';

let t: TestApp;
let analyst: string;
let worker: string;
let gridIds: Record<string, number>;
beforeAll(async () => {
  t = await createTestApp({ template: 'empty' });
  gridIds = await loadGridFixture(t.db.pool);
  analyst = await t.loginAs('analyst');
  worker = await t.loginAs('grid_worker');
});
afterAll(async () => t?.close());

const count = async (table: string) => Number((await t.db.pool.query(`SELECT count(*) FROM ${table}`)).rows[0].count);
const report = (cookie: string, payload: object) => t.app.inject({ method: 'POST', url: '/api/incidents', headers: { cookie }, payload });

type PointFeature = { geometry: { coordinates: [number, number] }; properties: { name: string; expectedGrid: string | null } };
const boundaryPoints = readFixture<{ features: PointFeature[] }>('points-on-and-near-grid-boundaries.geojson').features;

describe('swapped coordinates in a report', () => {
  it('are refused with the coordinate problem as a phrase, said in Chinese by the web', async () => {
    const res = await report(analyst, { category: 'sanitation', subCategory: 'garbage', description: '经纬度写反', lon: 34.3, lat: 108.7, source: 'hotline_12345' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'incidents.badPosition', params: { problem: { code: 'coordinates.swapped', params: { lon: 34.3, lat: 108.7 } } } });
    expect(res.json().message).toMatch(/\/lon: \(34\.3, 108\.7\) looks like latitude, longitude: give longitude first$/);
    expect(webText(res.json())).toBe('坐标无效（（34.3, 108.7）像是“纬度, 经度”：请把经度写在前面）');
  });
});

describe('grid assignment on and near grid boundaries', () => {
  it.each(boundaryPoints.map((f) => [f.properties.name, f] as const))('%s', async (_name, f) => {
    const [lon, lat] = f.geometry.coordinates;
    const res = await report(analyst, { category: 'sanitation', subCategory: 'garbage', description: f.properties.name, lon, lat, source: 'hotline_12345' });
    const located = await t.app.inject({ method: 'GET', url: `/api/incidents/locate?lon=${lon}&lat=${lat}`, headers: { cookie: analyst } });
    if (f.properties.expectedGrid === null) {
      expect(res.statusCode).toBe(422);
      expect(res.json().message).toMatch(/is outside 测试区, [\d.]+ (m|km) from its boundary/);
      expect(located.statusCode).toBe(422);
      return;
    }
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Value.Check(CreatedIncident, body)).toBe(true);
    expect(body.placement).toMatchObject({ gridCode: f.properties.expectedGrid, communityCode: '610402001001', streetCode: '610402001' });
    // Stored exactly where it was sent, in the grid the rule says.
    const { rows } = await t.db.pool.query(`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, grid_id FROM incident WHERE id = $1`, [body.id]);
    expect(rows[0]).toEqual({ lon, lat, grid_id: gridIds[f.properties.expectedGrid] });
    expect(located.json().placement.gridCode).toBe(f.properties.expectedGrid);
  });

  it('says how far outside a point is, and writes nothing', async () => {
    const before = await count('incident');
    const res = await report(analyst, { category: 'sanitation', description: 'x', lon: 108.699999, lat: 34.315, source: 'public' });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toContain('0.1 m from its boundary');
    expect(await count('incident')).toBe(before);
  });

  it('refuses swapped axes and projected metres with a 400 that says which', async () => {
    const swapped = await report(analyst, { category: 'sanitation', description: 'x', lon: 34.315, lat: 108.71, source: 'public' });
    expect(swapped.statusCode).toBe(400);
    expect(swapped.json().message).toMatch(/latitude, longitude/);
    const metres = await report(analyst, { category: 'sanitation', description: 'x', lon: 512345, lat: 3801234, source: 'public' });
    expect(metres.statusCode).toBe(400);
  });

  it('converts GCJ-02 and BD-09 positions before placing them', async () => {
    // The centre of grid 005 (108.715, 34.315) as Amap (GCJ-02) would give it.
    const res = await report(analyst, { category: 'sanitation', description: 'gcj', lon: 108.7196839, lat: 34.3135588, crs: 'gcj02', source: 'public' });
    expect(res.statusCode).toBe(201);
    expect(res.json().placement.gridCode).toBe('610402001001005');
    expect(res.json().lon).toBeCloseTo(108.715, 4);
    expect(res.json().lat).toBeCloseTo(34.315, 4);
  });
});

describe('reporting', () => {
  it('sets the deadline from the category and records the first event and an audit entry', async () => {
    const res = await report(analyst, { category: 'public_order', subCategory: 'noise', description: '夜间噪音', lon: 108.705, lat: 34.325, source: 'hotline_12345' });
    expect(res.statusCode).toBe(201);
    const { rows } = await t.db.pool.query(`SELECT extract(epoch FROM due_at - reported_at) / 3600 AS hours, status FROM incident WHERE id = $1`, [res.json().id]);
    expect(rows[0]).toEqual({ hours: 24, status: 'reported' });
    const events = await t.db.pool.query(`SELECT from_status, to_status FROM incident_event WHERE incident_id = $1`, [res.json().id]);
    expect(events.rows).toEqual([{ from_status: null, to_status: 'reported' }]);
    const audit = await t.db.pool.query(`SELECT detail FROM audit_log WHERE action = 'incident.create' AND target_id = $1`, [String(res.json().id)]);
    expect(audit.rows[0].detail).toEqual({ source: 'hotline_12345', category: 'public_order', gridCode: '610402001001001' });
  });

  it('refuses a sub-category of another category', async () => {
    const res = await report(analyst, { category: 'public_order', subCategory: 'garbage', description: 'x', lon: 108.705, lat: 34.325, source: 'public' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/body\/subCategory: 'garbage' is not a sub-category of public_order/);
  });

  it('creates one incident for an external id sent twice', async () => {
    const payload = { category: 'livelihood', description: '供水', lon: 108.715, lat: 34.315, source: 'hotline_12345', externalId: '12345-2026-000042' };
    const first = await report(analyst, payload);
    const second = await report(analyst, payload);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ id: first.json().id, created: false });
    expect(Number((await t.db.pool.query(`SELECT count(*) FROM incident WHERE external_id = '12345-2026-000042'`)).rows[0].count)).toBe(1);
  });

  it('lets a grid worker report in their own grid only, always as grid_worker', async () => {
    const own = await report(worker, { category: 'safety_hazard', subCategory: 'fire', description: '楼道堆物', lon: 108.705, lat: 34.325 });
    expect(own.statusCode).toBe(201);
    expect(own.json().placement.gridCode).toBe('610402001001001');
    const { rows } = await t.db.pool.query(`SELECT source, reported_by FROM incident WHERE id = $1`, [own.json().id]);
    expect(rows[0].source).toBe('grid_worker');
    const other = await report(worker, { category: 'safety_hazard', description: '楼道堆物', lon: 108.725, lat: 34.305 });
    expect(other.statusCode).toBe(403);
    expect(other.json().message).toMatch(/610402001001009 第9网格, which is not one of your grids/);
    const asHotline = await report(worker, { category: 'safety_hazard', description: 'x', lon: 108.705, lat: 34.325, source: 'hotline_12345' });
    expect(asHotline.statusCode).toBe(403);
    const mine = await t.app.inject({ method: 'GET', url: '/api/incidents/mine', headers: { cookie: worker } });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().incidents.every((i: { gridCode: string }) => i.gridCode === '610402001001001')).toBe(true);
    expect(mine.json().incidents.map((i: { id: number }) => i.id)).toContain(own.json().id);
  });

  it('refuses a planner', async () => {
    const planner = await t.loginAs('planner');
    const res = await report(planner, { category: 'sanitation', description: 'x', lon: 108.705, lat: 34.325, source: 'public' });
    expect(res.statusCode).toBe(403);
  });
});

describe('photos', () => {
  it('stores a PNG and refuses a file that is not an image', async () => {
    const created = await report(worker, { category: 'sanitation', description: '垃圾', lon: 108.705, lat: 34.325 });
    const id = created.json().id;
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
    const upload = (bytes: Buffer, name: string) => {
      const boundary = '----wangge-test';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        bytes,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return t.app.inject({ method: 'POST', url: `/api/incidents/${id}/photos`, headers: { cookie: worker, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    };
    const ok = await upload(png, 'photo.png');
    expect(ok.statusCode).toBe(201);
    const back = await t.app.inject({ method: 'GET', url: `/api/incidents/${id}/photos/${ok.json().id}`, headers: { cookie: analyst } });
    expect(back.headers['content-type']).toBe('image/png');
    expect(back.rawPayload.equals(png)).toBe(true);
    const bad = await upload(Buffer.from('not an image'), 'notes.txt');
    expect(bad.statusCode).toBe(415);
  });
});

describe('import', () => {
  /** Uploads a fixture by name, or a table made in the test ({ name, bytes }). */
  const upload = (url: string, file: string | { name: string; bytes: Buffer }, fields: Record<string, string> = {}) => {
    const boundary = '----wangge-import';
    // The coordinate system is the user's choice; these files are WGS84 unless a test says otherwise.
    const parts = Object.entries({ crs: 'wgs84', ...fields }).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
    const name = typeof file === 'string' ? file : file.name;
    const body = Buffer.concat([
      Buffer.from(parts.join('')),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/csv\r\n\r\n`),
      typeof file === 'string' ? fixtureBytes(file) : file.bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return t.app.inject({ method: 'POST', url, headers: { cookie: analyst, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
  };
  async function finished(jobId: string) {
    for (let i = 0; i < 200; i++) {
      const res = await t.app.inject({ method: 'GET', url: `/api/incidents/import/jobs/${jobId}`, headers: { cookie: analyst } });
      const job = res.json();
      expect(Value.Check(ImportJob, job)).toBe(true);
      if (job.state !== 'running') return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('import did not finish');
  }

  it('previews a file with a bad row: every error with its row, nothing written', async () => {
    const before = await count('incident');
    const res = await upload('/api/incidents/import/preview', 'hotline-one-row-outside-district.csv', { crs: 'gcj02' });
    expect(res.statusCode).toBe(200);
    const preview = res.json();
    expect(Value.Check(ImportPreview, preview)).toBe(true);
    expect(preview).toMatchObject({ rows: 4, valid: 2, toCreate: 2, duplicates: 0, keyColumn: '工单编号' });
    expect(preview.errors).toHaveLength(2);
    expect(preview.errors[0]).toMatchObject({ row: 4, column: '经度', code: 'incidents.rowOutsideDistrict', params: { crs: 'gcj02', distance: { code: 'distance.meters' } } });
    expect(preview.errors[0].message).toMatch(/outside the district, [\d,]+ m from its boundary/);
    const meters = preview.errors[0].params.distance.params.meters;
    expect(meters).toBeGreaterThan(0);
    expect(preview.errors[1]).toMatchObject({ row: 5, column: '类别', code: 'incidents.rowUnknownCategory', params: { text: '天气' } });
    expect(preview.errors[1].params.allowed).toEqual(expect.arrayContaining(['环境卫生']));
    expect(preview.errors[1].message).toMatch(/unknown category '天气'/);
    // The web says them in Chinese: the file's own text and the figures inside, no English.
    expect(webText(preview.errors[0])).toBe(
      `（${preview.errors[0].params.lon}, ${preview.errors[0].params.lat}）（由 gcj02 换算为 WGS84）在本区以外，距边界 ${meters.toLocaleString('zh-CN')} 米`,
    );
    expect(webText(preview.errors[1])).toMatch(/^未知的类别“天气”（可选：.*环境卫生/);
    expect(webText(preview.errors[1], 'en')).toBe(preview.errors[1].message);
    // The preview map's points: the two good rows inside the district, row 4 outside (the row with
    // an unknown category is refused before it has a place).
    expect(preview.points.filter((p: { outside: boolean }) => !p.outside)).toHaveLength(2);
    const outside = preview.points.filter((p: { outside: boolean }) => p.outside);
    expect(outside).toHaveLength(1);
    expect(preview.errors[0].message).toContain(`(${outside[0].lon.toFixed(6)}, ${outside[0].lat.toFixed(6)})`);
    expect(await count('incident')).toBe(before);
  });

  it('imports a file with a bad row: nothing at all is written', async () => {
    const before = [await count('incident'), await count('incident_reporter'), await count('incident_event')];
    const res = await upload('/api/incidents/import', 'hotline-one-row-outside-district.csv', { crs: 'gcj02' });
    expect(res.statusCode).toBe(202);
    const job = await finished(res.json().id);
    expect(job).toMatchObject({ state: 'failed', created: 0 });
    expect(job.message).toMatch(/2 row error\(s\): nothing was imported/);
    expect(job.errors.map((e: { row: number }) => e.row)).toEqual([4, 5]);
    expect([await count('incident'), await count('incident_reporter'), await count('incident_event')]).toEqual(before);
  });

  it('imports GCJ-02 tickets into the right grids, and a re-import creates no duplicates', async () => {
    const res = await upload('/api/incidents/import', 'hotline-gcj02-three-tickets.csv', { crs: 'gcj02', source: 'hotline_12345' });
    const job = await finished(res.json().id);
    expect(job).toMatchObject({ state: 'done', created: 3, duplicates: 0, processedRows: 3, totalRows: 3 });
    const { rows } = await t.db.pool.query(
      `SELECT i.external_id, g.code, i.source, i.status, to_char(i.reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS reported, r.phone, r.id_number
       FROM incident i JOIN grid g ON g.id = i.grid_id LEFT JOIN incident_reporter r ON r.district_code = i.district_code AND r.incident_id = i.id
       WHERE i.external_id LIKE 'RX-2025-000%' ORDER BY i.external_id`,
    );
    expect(rows).toEqual([
      { external_id: 'RX-2025-0001', code: '610402001001001', source: 'hotline_12345', status: 'reported', reported: '2025-09-02 09:15', phone: '13812345678', id_number: '610402199001011234' },
      { external_id: 'RX-2025-0002', code: '610402001001005', source: 'hotline_12345', status: 'reported', reported: '2025-09-03 22:40', phone: '13987654321', id_number: null },
      { external_id: 'RX-2025-0003', code: '610402001001009', source: 'hotline_12345', status: 'reported', reported: '2025-09-04 08:05', phone: '02933123456', id_number: null },
    ]);
    const audit = await t.db.pool.query(`SELECT detail FROM audit_log WHERE action = 'incident.import' ORDER BY id DESC LIMIT 1`);
    expect(audit.rows[0].detail).toEqual({ rows: 3, created: 3, duplicates: 0 });

    const before = await count('incident');
    const again = await finished((await upload('/api/incidents/import', 'hotline-gcj02-three-tickets.csv', { crs: 'gcj02' })).json().id);
    expect(again).toMatchObject({ state: 'done', created: 0, duplicates: 3 });
    expect(await count('incident')).toBe(before);
  });

  it('derives a stable key for rows without ticket numbers, so a re-import creates nothing', async () => {
    const preview = (await upload('/api/incidents/import/preview', 'public-reports-wgs84-no-ticket-numbers.csv')).json();
    expect(preview).toMatchObject({ rows: 2, toCreate: 2, keyColumn: null });
    expect(preview.sample.map((s: { gridCode: string }) => s.gridCode)).toEqual(['610402001001002', '610402001001003']);
    const first = await finished((await upload('/api/incidents/import', 'public-reports-wgs84-no-ticket-numbers.csv')).json().id);
    expect(first).toMatchObject({ state: 'done', created: 2 });
    const second = await finished((await upload('/api/incidents/import', 'public-reports-wgs84-no-ticket-numbers.csv')).json().id);
    expect(second).toMatchObject({ state: 'done', created: 0, duplicates: 2 });
    const { rows } = await t.db.pool.query(`SELECT source, count(*)::int AS n FROM incident WHERE external_id LIKE 'key:%' GROUP BY source`);
    expect(rows).toEqual([{ source: 'public', n: 2 }]);
  });

  it('places imported points on and near grid boundaries by the same rule as a single report', async () => {
    const rows = boundaryPoints.map((f, k) => `EDGE-${k},sanitation,garbage,"${f.properties.name}",${f.geometry.coordinates[0]},${f.geometry.coordinates[1]},2025-09-08 08:00`);
    const csv = (lines: string[]) => ({ name: 'edges.csv', bytes: Buffer.from(['external_id,category,sub_category,description,lon,lat,reported_at', ...lines].join('\n')) });
    const preview = (await upload('/api/incidents/import/preview', csv(rows))).json();
    const outside = boundaryPoints.flatMap((f, k) => (f.properties.expectedGrid === null ? [k + 2] : []));
    expect(outside.length).toBeGreaterThan(0);
    expect(preview.errors.map((e: { row: number }) => e.row)).toEqual(outside);
    for (const e of preview.errors) expect(e.message).toMatch(/outside the district, [\d,]+ m from its boundary/);

    const inside = rows.filter((_, k) => boundaryPoints[k]!.properties.expectedGrid !== null);
    const job = await finished((await upload('/api/incidents/import', csv(inside))).json().id);
    expect(job).toMatchObject({ state: 'done', created: inside.length, duplicates: 0 });
    const { rows: placed } = await t.db.pool.query(
      `SELECT i.external_id, g.code, i.community_code, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat
       FROM incident i LEFT JOIN grid g ON g.id = i.grid_id WHERE i.external_id LIKE 'EDGE-%'`,
    );
    const byKey = new Map(placed.map((r) => [r.external_id, r]));
    boundaryPoints.forEach((f, k) => {
      if (f.properties.expectedGrid === null) return expect(byKey.has(`EDGE-${k}`)).toBe(false);
      expect(byKey.get(`EDGE-${k}`), f.properties.name).toMatchObject({
        code: f.properties.expectedGrid,
        community_code: '610402001001',
        lon: f.geometry.coordinates[0],
        lat: f.geometry.coordinates[1],
      });
    });
    const events = await t.db.pool.query(
      `SELECT count(*)::int AS n FROM incident_event e JOIN incident i ON i.id = e.incident_id
       WHERE i.external_id LIKE 'EDGE-%' AND e.to_status = 'reported' AND e.from_status IS NULL AND e.at = i.reported_at AND e.note = 'import'`,
    );
    expect(events.rows[0].n).toBe(inside.length);
  });

  it('keeps a scoped analyst\'s import inside their area: a row in a community outside it is an error, nothing written', async () => {
    // A point inside a grid of community 610402001001 (street 610402001).
    const inside = boundaryPoints.find((f) => f.properties.expectedGrid !== null)!;
    const [lon, lat] = inside.geometry.coordinates;
    const table = {
      name: 'scoped.csv',
      bytes: Buffer.from(['external_id,category,sub_category,description,lon,lat,reported_at', `SCOPE-1,sanitation,garbage,in 610402001001,${lon},${lat},2025-09-08 08:00`].join('\n')),
    };
    const scopedTo = async (scope: string | null) => {
      await t.db.pool.query(`UPDATE app_user SET scope_area_code = $1 WHERE username = 'analyst'`, [scope]);
      analyst = await t.loginAs('analyst');
    };
    // A neighbouring community (no outline needed): the analyst's area, which the point is not in.
    const elsewhere = { code: '610402001098' };
    await t.db.pool.query(`INSERT INTO admin_area (code, name, level, parent_code) VALUES ($1, '邻近社区', 'community', '610402001') ON CONFLICT DO NOTHING`, [elsewhere.code]);
    const before = await count('incident');
    try {
      await scopedTo(elsewhere.code);
      const preview = (await upload('/api/incidents/import/preview', table)).json();
      expect(preview.errors).toEqual([
        expect.objectContaining({ row: 2, column: 'lon', code: 'incidents.rowOutsideYourArea', params: expect.objectContaining({ community: '610402001001', scope: elsewhere.code }) }),
      ]);
      expect(webText(preview.errors[0])).toMatch(new RegExp(`位于社区 610402001001，不在您负责的区域 ${elsewhere.code} 内$`));
      const job = await finished((await upload('/api/incidents/import', table)).json().id);
      expect(job).toMatchObject({ state: 'failed', code: 'incidents.importRowErrors' });
      expect(await count('incident')).toBe(before);
      // Scoped to the point's own street, the same file is clean.
      await scopedTo('610402001');
      expect((await upload('/api/incidents/import/preview', table)).json()).toMatchObject({ toCreate: 1, errors: [] });
    } finally {
      await scopedTo(null);
    }
  });

  it('refuses a ticket repeated in the file, naming its first row', async () => {
    const before = await count('incident');
    const preview = (await upload('/api/incidents/import/preview', 'hotline-repeated-ticket.csv')).json();
    expect(preview).toMatchObject({ rows: 3, toCreate: 2, duplicates: 0 });
    expect(preview.errors).toEqual([
      { row: 4, column: '工单编号', code: 'incidents.rowRepeatsTicket', params: { row: 2, ticket: 'RX-2025-0201' }, message: 'the same incident as row 2 (ticket RX-2025-0201)' },
    ]);
    expect(webText(preview.errors[0])).toBe('与第 2 行是同一事件（工单号 RX-2025-0201）');
    const job = await finished((await upload('/api/incidents/import', 'hotline-repeated-ticket.csv')).json().id);
    expect(job).toMatchObject({ state: 'failed', created: 0, message: '1 row error(s): nothing was imported', code: 'incidents.importRowErrors', params: { count: 1 } });
    // The failed job lists the same row errors, coded.
    expect(job.errors).toEqual(preview.errors);
    expect(webText(job)).toBe('有 1 处行错误：未导入任何数据');
    expect(await count('incident')).toBe(before);
  });

  it('keeps tabs, line breaks, backslashes and quotes in a description exactly', async () => {
    const description = 'line one\n\tindented "quoted" C:\\path\\N, 逗号\r\nlast';
    const quoted = `"${description.replace(/"/g, '""')}"`;
    const bytes = Buffer.from(`工单编号,类别,描述,经度,纬度,上报时间,联系人\nTXT-1,sanitation,${quoted},108.715,34.325,2025-09-09 08:00,\\N\n`);
    const job = await finished((await upload('/api/incidents/import', { name: 'text.csv', bytes })).json().id);
    expect(job).toMatchObject({ state: 'done', created: 1 });
    const { rows } = await t.db.pool.query(
      `SELECT i.description, i.sub_category, i.occurred_at, r.name FROM incident i LEFT JOIN incident_reporter r ON r.district_code = i.district_code AND r.incident_id = i.id WHERE i.external_id = 'TXT-1'`,
    );
    expect(rows).toEqual([{ description, sub_category: null, occurred_at: null, name: '\\N' }]);
  });

  it('counts every error but lists the first 1000', async () => {
    const lines = Array.from({ length: 1200 }, (_, k) => `MANY-${k},天气,下雨,108.715,34.325,2025-09-10 08:00`);
    const bytes = Buffer.from(['工单编号,类别,描述,经度,纬度,上报时间', ...lines].join('\n'));
    const preview = (await upload('/api/incidents/import/preview', { name: 'many.csv', bytes })).json();
    expect(preview).toMatchObject({ rows: 1200, toCreate: 0 });
    expect(preview.errors).toHaveLength(1000);
    expect(preview.errors[999]).toMatchObject({ row: 1001, column: '类别' });
    const job = await finished((await upload('/api/incidents/import', { name: 'many.csv', bytes })).json().id);
    expect(job).toMatchObject({ state: 'failed', created: 0, message: '1200 row error(s): nothing was imported', code: 'incidents.importRowErrors', params: { count: 1200 } });
    expect(job.errors).toHaveLength(1000);
  });

  it('says which columns are missing', async () => {
    const res = await upload('/api/incidents/import/preview', 'points-on-and-near-grid-boundaries.geojson');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/only \.csv, \.xlsx, \.xls and \.ods/);
  });
});
