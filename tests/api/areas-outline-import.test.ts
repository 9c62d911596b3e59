/**
 * Importing community outlines for part of 金水区 (Zhengzhou, 410105), a district from the
 * national list, into an empty database: matching by code and by name (with and without the
 * usual suffixes), the planner's matches and skips, every format through the one front door
 * (GeoJSON, GeoPackage, KML and KMZ as GDAL's LIBKML writes them, a GBK Shapefile without .cpg,
 * a Shapefile in CGCS2000 3° Gauss-Krüger CM 114°E), and every bad input refused with its reason
 * and nothing written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/modules/auth/password.js';
import { createTestApp, sessionCookie, type TestApp } from '../helpers/app.js';
import { inTempDir, ogr2ogr, zipShapefile } from '../helpers/gdal.js';
import { webText } from '../helpers/problem-text.js';
import {
  AREA_FIXTURE_DIR, FENGLE_006, FENGLE_007, NANYANGLU, XICAI, XINCUN, YANGGUANG,
  areaFixture, areaFixtureJson, importOutlines, insertJinshui,
} from '../fixtures/areas/fixtures.js';

let t: TestApp;
let planner: string;
const FIVE = areaFixture('jinshui-five-communities.geojson');
const COMMUNITIES = [YANGGUANG, XICAI, FENGLE_006, FENGLE_007, XINCUN];

beforeAll(async () => {
  // Many imports in a minute from one address: above the per-minute limit of the import routes.
  t = await createTestApp({ template: 'empty', env: { EXPENSIVE_RATE_PER_MINUTE: '1000' } });
  await insertJinshui(t.db.pool);
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

/** Each test starts with the five communities without outlines. */
beforeEach(async () => {
  await t.db.pool.query(`DELETE FROM area_version`);
  await t.db.pool.query(`UPDATE admin_area SET geom = NULL, outline_source = NULL, version = 1 WHERE level = 'community'`);
});

async function outlines() {
  const { rows } = await t.db.pool.query(
    `SELECT code, version, outline_source, ST_Area(geom::geography) AS square_meters FROM admin_area WHERE level = 'community' ORDER BY code`);
  return rows;
}
const nothingWritten = async () => {
  for (const row of await outlines()) expect(row).toMatchObject({ version: 1, outline_source: null, square_meters: null });
  expect((await t.db.pool.query(`SELECT count(*)::int AS n FROM area_version`)).rows[0].n).toBe(0);
};

/** A file made from the five-community fixture by ogr2ogr (format, options), read back as bytes. */
function converted(fileName: string, args: string[], from = 'jinshui-five-communities.geojson'): Buffer {
  return inTempDir((dir) => {
    ogr2ogr([...args, path.join(dir, fileName), path.join(AREA_FIXTURE_DIR, from)]);
    return fs.readFileSync(path.join(dir, fileName));
  });
}

/** The five communities as a zipped Shapefile made by ogr2ogr, with parts left out or replaced. */
async function shapefile(args: string[], options: { leaveOut?: string[]; prj?: string; encoding?: string } = {}): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-test-shp-'));
  try {
    ogr2ogr(['-f', 'ESRI Shapefile', '-lco', `ENCODING=${options.encoding ?? 'UTF-8'}`, ...args, path.join(dir, 'jinshui.shp'), path.join(AREA_FIXTURE_DIR, 'jinshui-five-communities.geojson')]);
    if (options.prj) fs.writeFileSync(path.join(dir, 'jinshui.prj'), areaFixture(options.prj));
    return await zipShapefile(dir, 'jinshui', options.leaveOut ?? []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('matching', () => {
  it('matches every feature by code or by name, with and without suffixes, and writes nothing', async () => {
    const res = await importOutlines(t, planner, 'preview', 'jinshui.geojson', FIVE, { level: 'community' });
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    expect(preview.fields).toEqual({ codeField: '代码', nameField: '名称' });
    expect(preview.rows.map((r: { status: string; areaCode: string; by: string }) => [r.status, r.areaCode, r.by])).toEqual([
      ['matched', YANGGUANG, 'name-without-suffix'],
      ['matched', XICAI, 'name'],
      ['matched', FENGLE_006, 'code'],
      ['matched', FENGLE_007, 'code'],
      ['matched', XINCUN, 'name-without-suffix'],
    ]);
    expect(preview.summary).toEqual({ matched: 5, unmatched: 0, ambiguous: 0, skipped: 0 });
    expect(preview.findings).toEqual([]);
    expect(preview.canCommit).toBe(true);
    // 0.01° × 0.01° at 34.77°N: about 1,112 m × 914 m.
    expect(preview.rows[0].squareMeters).toBeGreaterThan(1.0e6);
    expect(preview.rows[0].squareMeters).toBeLessThan(1.05e6);
    expect(preview.preview.features).toHaveLength(5);
    await nothingWritten();
  });

  it('finds the level by itself when none is given', async () => {
    const preview = (await importOutlines(t, planner, 'preview', 'jinshui.geojson', FIVE)).json();
    expect(preview.level).toBe('community');
    expect(preview.summary.matched).toBe(5);
  });

  it('lists unmatched and ambiguous features, and a commit without fixing them is refused naming them', async () => {
    const bytes = areaFixture('unmatched-and-ambiguous-names.geojson');
    const preview = (await importOutlines(t, planner, 'preview', 'names.geojson', bytes, { level: 'community' })).json();
    expect(preview.rows.map((r: { status: string }) => r.status)).toEqual(['matched', 'ambiguous', 'unmatched']);
    expect(preview.rows[1].candidates.map((c: { code: string; parentName: string }) => [c.code, c.parentName])).toEqual([
      [FENGLE_006, '南阳路街道'], [FENGLE_007, '南阳新村街道'],
    ]);
    expect(preview.rows[2].note).toMatch(/龙子湖畔社区/);
    expect(preview.canCommit).toBe(false);
    const res = await importOutlines(t, planner, 'commit', 'names.geojson', bytes, { level: 'community' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/feature 2 \(丰乐社区\): ambiguous.*feature 3 \(龙子湖畔社区\): not matched/);
    await nothingWritten();

    // Findings and notes carry a code and parameters; the refusal quotes the findings as phrases.
    expect(preview.rows[2]).toMatchObject({ noteCode: 'areas.matchNoName', noteParams: { level: { code: 'areaLevel.community' }, name: '龙子湖畔社区' } });
    expect(webText({ code: preview.rows[2].noteCode, params: preview.rows[2].noteParams })).toBe('没有名为 龙子湖畔社区 的社区（村）');
    expect(preview.rows[1]).toMatchObject({ noteCode: 'areas.matchAmbiguousName', noteParams: { count: 2, name: '丰乐社区' } });
    const [ambiguous, unmatched] = preview.findings;
    expect(ambiguous).toMatchObject({
      kind: 'ambiguous', feature: 2, code: 'areas.findingAmbiguous',
      params: { subject: { code: 'areas.featureNamed', params: { feature: 2, name: '丰乐社区' } }, note: { code: 'areas.matchAmbiguousName', params: { count: 2, name: '丰乐社区' } } },
    });
    expect(unmatched).toMatchObject({ kind: 'unmatched', feature: 3, code: 'areas.findingUnmatched' });
    expect(webText(unmatched)).toBe('第 3 个要素（龙子湖畔社区）：未对应到任何社区（村）（没有名为 龙子湖畔社区 的社区（村））；请手动对应或跳过');
    expect(webText(unmatched, 'en')).toBe(unmatched.message);
    const refusal = res.json();
    expect(refusal.code).toBe('areas.importBlocked');
    expect(refusal.params.shown).toEqual({ code: 'areas.shownTwo', params: { a: { code: ambiguous.code, params: ambiguous.params }, b: { code: unmatched.code, params: unmatched.params } } });
    expect(webText(refusal)).toBe(`未导入任何数据：${webText(ambiguous)}；${webText(unmatched)}`);
    expect(webText(refusal)).not.toMatch(/feature|ambiguous|matched/);
  });

  it('commits with the planner\'s own match for the ambiguous feature and a skip for the unmatched one', async () => {
    const bytes = areaFixture('unmatched-and-ambiguous-names.geojson');
    const fields = { level: 'community', matches: JSON.stringify({ 2: FENGLE_006 }), skips: JSON.stringify([3]) };
    const preview = (await importOutlines(t, planner, 'preview', 'names.geojson', bytes, fields)).json();
    expect(preview.rows.map((r: { status: string; by: string | null }) => [r.status, r.by])).toEqual([['matched', 'name-without-suffix'], ['matched', 'override'], ['skipped', null]]);
    const res = await importOutlines(t, planner, 'commit', 'names.geojson', bytes, fields);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ imported: 2, skipped: 1, areaCodes: [YANGGUANG, FENGLE_006] });
    expect((await outlines()).filter((o) => o.outline_source === 'import').map((o) => o.code)).toEqual([YANGGUANG, FENGLE_006]);
  });

  it('refuses a match to an area that is not in the list, and a feature that does not exist', async () => {
    const bytes = areaFixture('unmatched-and-ambiguous-names.geojson');
    const unknown = await importOutlines(t, planner, 'commit', 'names.geojson', bytes, { level: 'community', matches: JSON.stringify({ 2: '410105099001' }) });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/matches\/2: 410105099001 is not a 社区（村） \(community\)/);
    const missing = await importOutlines(t, planner, 'commit', 'names.geojson', bytes, { level: 'community', skips: '[9]' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toMatch(/feature 9 does not exist \(the file has 3\)/);
    const notJson = await importOutlines(t, planner, 'commit', 'names.geojson', bytes, { matches: '{2:' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().message).toMatch(/body\/matches: not JSON/);
    await nothingWritten();
  });
});

describe('commit', () => {
  it('sets every outline in one transaction: version + 1, the area versions, the audit entry', async () => {
    const res = await importOutlines(t, planner, 'commit', 'jinshui.geojson', FIVE, { level: 'community', reason: '区民政局2024年边界' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ level: 'community', imported: 5, skipped: 0, areaCodes: COMMUNITIES.slice().sort(), repaired: [] });
    const after = await outlines();
    expect(after.map((o) => [o.code, o.version, o.outline_source])).toEqual(COMMUNITIES.slice().sort().map((c) => [c, 2, 'import']));
    const { rows: versions } = await t.db.pool.query(
      `SELECT area_code, version, action, reason, changed_by_username, geom IS NOT NULL AS has_outline FROM area_version WHERE area_code = $1 ORDER BY version`, [YANGGUANG]);
    expect(versions).toEqual([
      { area_code: YANGGUANG, version: 1, action: 'original', reason: '', changed_by_username: null, has_outline: false },
      { area_code: YANGGUANG, version: 2, action: 'import', reason: '区民政局2024年边界', changed_by_username: 'planner', has_outline: true },
    ]);
    const { rows: [audit] } = await t.db.pool.query(`SELECT action, target_id, detail FROM audit_log WHERE action = 'area.outline_import' ORDER BY id DESC LIMIT 1`);
    expect(audit).toMatchObject({ target_id: '410105', detail: { level: 'community', imported: 5, format: 'geojson' } });
  });

  it('runs as a job with progress when asked, and a refused job says why with the status a request would get', async () => {
    const started = await importOutlines(t, planner, 'commit', 'jinshui.geojson', FIVE, { level: 'community', async: 'true' });
    expect(started.statusCode, started.body).toBe(202);
    let job = started.json();
    for (let i = 0; i < 100 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await t.app.inject({ method: 'GET', url: `/api/area-import/jobs/${job.id}`, headers: { cookie: planner } })).json();
    }
    expect(job).toMatchObject({ status: 'done', progress: { stage: 'writing', done: 5, total: 5 }, result: { imported: 5 } });

    const refused = (await importOutlines(t, planner, 'commit', 'overlaps.geojson', areaFixture('overlapping-siblings.geojson'), { level: 'community', async: 'true' })).json();
    let failed = refused;
    for (let i = 0; i < 100 && failed.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      failed = (await t.app.inject({ method: 'GET', url: `/api/area-import/jobs/${refused.id}`, headers: { cookie: planner } })).json();
    }
    expect(failed).toMatchObject({ status: 'failed', errorStatus: 422, errorCode: 'areas.importBlocked' });
    expect(failed.error).toMatch(/overlaps/);
    // The web renders the failure from its code and parameters, in the UI's language.
    expect(failed.errorParams).toMatchObject({ shown: expect.anything() });
    const other = await t.loginAs('admin');
    expect((await t.app.inject({ method: 'GET', url: `/api/area-import/jobs/${refused.id}`, headers: { cookie: other } })).statusCode).toBe(404);
  });

  it('keeps a planner limited to one street to that street\'s communities', async () => {
    await t.db.pool.query(
      `INSERT INTO app_user (username, display_name, role, password_hash, scope_area_code) VALUES ('nanyanglu', '南阳路规划员', 'planner', $1, $2)`,
      [await hashPassword('Nanyanglu-Planner-2024'), NANYANGLU]);
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nanyanglu', password: 'Nanyanglu-Planner-2024' } });
    expect(login.statusCode, login.body).toBe(200);
    const scoped = sessionCookie(login);
    const preview = (await importOutlines(t, scoped, 'preview', 'jinshui.geojson', FIVE, { level: 'community' })).json();
    // The other street's communities are not the planner's: 新村 is unmatched, and 丰乐 (its code out
    // of reach) falls back to its name, which then claims the same 丰乐 as feature 3: both ambiguous.
    expect(preview.rows.map((r: { status: string }) => r.status)).toEqual(['matched', 'matched', 'ambiguous', 'ambiguous', 'unmatched']);
    expect(preview.choices.every((a: { code: string }) => a.code.startsWith(NANYANGLU))).toBe(true);
    const outside = await importOutlines(t, scoped, 'commit', 'jinshui.geojson', FIVE, { level: 'community', matches: JSON.stringify({ 4: FENGLE_007 }) });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().message).toMatch(/matches\/4: 410105007002 is not a 社区（村） \(community\) you may import outlines for/);
    const street = await importOutlines(t, scoped, 'preview', 'jinshui.geojson', FIVE, { level: 'district' });
    expect(street.statusCode).toBe(403);
    await nothingWritten();
  });

  it('is for planners and admins only', async () => {
    for (const role of ['analyst', 'grid_worker'] as const) {
      const cookie = await t.loginAs(role).catch(() => null);
      if (!cookie) continue;
      expect((await importOutlines(t, cookie, 'preview', 'jinshui.geojson', FIVE)).statusCode).toBe(403);
    }
    expect((await importOutlines(t, '', 'preview', 'jinshui.geojson', FIVE)).statusCode).toBe(401);
  });
});

describe('validation before commit', () => {
  it('refuses outlines that overlap a sibling, with the area in m²', async () => {
    const bytes = areaFixture('overlapping-siblings.geojson');
    const preview = (await importOutlines(t, planner, 'preview', 'overlaps.geojson', bytes, { level: 'community' })).json();
    const overlap = preview.findings.find((f: { kind: string }) => f.kind === 'overlap');
    // 0.0005° × 0.01° at 34.77°N ≈ 45.7 m × 1,109 m.
    expect(overlap.squareMeters).toBeGreaterThan(48_000);
    expect(overlap.squareMeters).toBeLessThan(53_000);
    const res = await importOutlines(t, planner, 'commit', 'overlaps.geojson', bytes, { level: 'community' });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/feature 1 \(阳光社区\): 阳光社区居民委员会 \(410105006001\) overlaps feature 2, 西彩社区居民委员会 \(410105006002\) by [0-9,]+ m²/);
    await nothingWritten();
    expect(overlap).toMatchObject({ code: 'areas.findingOverlap', params: { code: YANGGUANG, other: { code: 'areas.otherFeature', params: { feature: 2, code: XICAI } } } });
    expect(overlap.params.squareMeters).toBe(Math.round(overlap.squareMeters));
    expect(webText(overlap)).toMatch(/^第 1 个要素（阳光社区）：阳光社区居民委员会（410105006001）与第 2 个要素 西彩社区居民委员会（410105006002）重叠 [0-9,]+ 平方米$/);
  });

  it('refuses an outline that overlaps a sibling whose outline is kept', async () => {
    expect((await importOutlines(t, planner, 'commit', 'jinshui.geojson', FIVE, { level: 'community' })).statusCode).toBe(200);
    const enlarged = areaFixtureJson('overlapping-siblings.geojson');
    enlarged.features = enlarged.features.slice(0, 1);
    const res = await importOutlines(t, planner, 'commit', 'yangguang.geojson', Buffer.from(JSON.stringify(enlarged)), { level: 'community' });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/feature 1 \(阳光社区\): 阳光社区居民委员会 \(410105006001\) overlaps the kept outline of 西彩社区居民委员会 \(410105006002\) by [0-9,]+ m²/);
  });

  it('refuses an outline that leaves its street', async () => {
    const res = await importOutlines(t, planner, 'commit', 'leaves.geojson', areaFixture('community-leaving-its-street.geojson'), { level: 'community' });
    expect(res.statusCode).toBe(422);
    // 0.02° × 0.001° at 34.78°N ≈ 1,828 m × 111 m.
    const [, squareMeters] = /leaves its parent 南阳路街道 \(410105006\) by ([0-9,]+) m²/.exec(res.json().message) ?? [];
    expect(Number(squareMeters?.replace(/,/g, ''))).toBeGreaterThan(195_000);
    expect(Number(squareMeters?.replace(/,/g, ''))).toBeLessThan(210_000);
    await nothingWritten();
    expect(NANYANGLU).toBe('410105006');
  });

  it('refuses a self-intersecting outline with the reason and place PostGIS gives', async () => {
    const bytes = areaFixture('bow-tie-outline.geojson');
    const preview = (await importOutlines(t, planner, 'preview', 'bowtie.geojson', bytes, { level: 'community' })).json();
    const invalid = preview.findings.find((f: { kind: string }) => f.kind === 'invalid_geometry');
    expect(invalid.message).toMatch(/invalid outline \(Self-intersection/);
    expect(invalid.location[0]).toBeCloseTo(113.665, 6);
    expect(invalid.location[1]).toBeCloseTo(34.765, 6);
    const res = await importOutlines(t, planner, 'commit', 'bowtie.geojson', bytes, { level: 'community' });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/feature 1 \(阳光社区\): invalid outline/);
    await nothingWritten();
  });

  it('repairs a ring that touches itself (an inverted hole) without changing its area, and says so', async () => {
    const bytes = areaFixture('ring-touching-itself.geojson');
    const preview = (await importOutlines(t, planner, 'preview', 'ring.geojson', bytes, { level: 'community' })).json();
    expect(preview.findings).toMatchObject([{ kind: 'repaired_geometry', severity: 'warning', feature: 1, areaCode: YANGGUANG }]);
    expect(preview.findings[0].message).toMatch(/Ring Self-intersection.*repaired without changing its area/);
    expect(preview.canCommit).toBe(true);
    const res = await importOutlines(t, planner, 'commit', 'ring.geojson', bytes, { level: 'community' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().repaired).toEqual([YANGGUANG]);
    const { rows: [stored] } = await t.db.pool.query(
      `SELECT ST_IsValid(geom) AS valid, ST_NumInteriorRings(ST_GeometryN(geom, 1)) AS holes, ST_Area(geom) AS area FROM admin_area WHERE code = $1`, [YANGGUANG]);
    // The square less the triangle (0.004° × 0.005° / 2): the hole the ring drew.
    expect(stored).toMatchObject({ valid: true, holes: 1 });
    expect(stored.area).toBeCloseTo(0.0001 - 0.00001, 12);
  });

  it('refuses a line where an outline should be', async () => {
    const res = await importOutlines(t, planner, 'commit', 'line.geojson', areaFixture('line-instead-of-outline.geojson'), { level: 'community' });
    expect(res.statusCode).toBe(422);
    expect(res.json().message).toMatch(/feature 1 \(阳光社区\): an outline must be a Polygon or MultiPolygon, not LineString/);
    await nothingWritten();
  });
});

describe('formats and coordinate systems, through GDAL', () => {
  const expectFiveMatched = (preview: { rows: { areaCode: string }[]; canCommit: boolean }) => {
    expect(preview.rows.map((r) => r.areaCode)).toEqual(COMMUNITIES);
    expect(preview.canCommit).toBe(true);
  };

  it('reads a GeoPackage', async () => {
    const res = await importOutlines(t, planner, 'preview', 'jinshui.gpkg', converted('jinshui.gpkg', ['-f', 'GPKG']), { level: 'community' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().format).toBe('geopackage');
    expectFiveMatched(res.json());
  });

  it('reads KML and KMZ as GDAL\'s LIBKML driver writes them', async () => {
    const kml = converted('jinshui.kml', ['-f', 'LIBKML']);
    expect(kml.toString('utf8')).toMatch(/<SimpleData name="名称">阳光社区<\/SimpleData>/);
    const fromKml = (await importOutlines(t, planner, 'preview', 'jinshui.kml', kml, { level: 'community' })).json();
    expect(fromKml.format).toBe('kml');
    expectFiveMatched(fromKml);
    const kmz = converted('jinshui.kmz', ['-f', 'LIBKML']);
    const fromKmz = (await importOutlines(t, planner, 'preview', 'jinshui.kmz', kmz, { level: 'community' })).json();
    expectFiveMatched(fromKmz);
  });

  it('reads FlatGeobuf and GML, and CSV with a WKT column once told its coordinate system', async () => {
    for (const [fileName, args, format] of [['jinshui.fgb', ['-f', 'FlatGeobuf', '-lco', 'SPATIAL_INDEX=NO'], 'flatgeobuf'], ['jinshui.gml', ['-f', 'GML'], 'gml']] as const) {
      const res = await importOutlines(t, planner, 'preview', fileName, converted(fileName, [...args]), { level: 'community' });
      expect(res.statusCode, `${fileName}: ${res.body}`).toBe(200);
      expect(res.json().format).toBe(format);
      expectFiveMatched(res.json());
    }
    const csv = converted('jinshui.csv', ['-f', 'CSV', '-lco', 'GEOMETRY=AS_WKT']);
    const untold = await importOutlines(t, planner, 'preview', 'jinshui.csv', csv, { level: 'community' });
    expect(untold.statusCode).toBe(400);
    expect(untold.json().message).toMatch(/jinshui\.csv: it does not say which coordinate system/);
    const told = await importOutlines(t, planner, 'preview', 'jinshui.csv', csv, { level: 'community', crs: 'wgs84' });
    expect(told.statusCode, told.body).toBe(200);
    expect(told.json().sourceFields).toEqual(['名称', '代码']);
    expectFiveMatched(told.json());
  });

  it('reads a GBK Shapefile without .cpg: the encoding is detected', async () => {
    const zip = await shapefile([], { encoding: 'GBK', leaveOut: ['cpg'] });
    const res = await importOutlines(t, planner, 'preview', 'gbk.zip', zip, { level: 'community' });
    expect(res.statusCode, res.body).toBe(200);
    const preview = res.json();
    expect(preview.encoding).toEqual({ name: 'gb18030', from: 'detected' });
    expect(preview.rows[0].name).toBe('阳光社区');
    expectFiveMatched(preview);
  });

  it('reprojects a Shapefile in CGCS2000 3° Gauss-Krüger CM 114°E (EPSG:4547) instead of refusing it', async () => {
    const zip = await shapefile(['-s_srs', 'EPSG:4490', '-t_srs', 'EPSG:4547']);
    const res = await importOutlines(t, planner, 'commit', 'gk.zip', zip, { level: 'community' });
    expect(res.statusCode, res.body).toBe(200);
    // Back in degrees, each outline within a centimetre of the GeoJSON it was made from.
    const truth = areaFixtureJson('jinshui-five-communities.geojson');
    const { rows } = await t.db.pool.query(
      `SELECT a.code, ST_HausdorffDistance(a.geom::geography::geometry, ST_SetSRID(ST_GeomFromGeoJSON(t.g), 4326)) AS degrees,
              ST_Distance(ST_PointN(ST_ExteriorRing(ST_GeometryN(a.geom, 1)), 1)::geography, ST_PointN(ST_ExteriorRing(ST_SetSRID(ST_GeomFromGeoJSON(t.g), 4326)), 1)::geography) AS metres
         FROM admin_area a JOIN jsonb_to_recordset($1::jsonb) AS t(code text, g text) ON t.code = a.code`,
      [JSON.stringify(COMMUNITIES.map((code, i) => ({ code, g: JSON.stringify(truth.features[i].geometry) })))]);
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row.metres).toBeLessThan(0.01);
  });

  it('asks which coordinate system a Shapefile without .prj is in, and reads it once told', async () => {
    const zip = await shapefile([], { leaveOut: ['prj'] });
    const res = await importOutlines(t, planner, 'preview', 'no-prj.zip', zip, { level: 'community' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/no-prj.zip: jinshui.prj is missing from the zip, so its coordinate system is unknown\. Choose the coordinate system/);
    const told = await importOutlines(t, planner, 'preview', 'no-prj.zip', zip, { level: 'community', crs: 'cgcs2000' });
    expect(told.statusCode, told.body).toBe(200);
    expect(told.json().sourceCrs).toMatchObject({ name: 'cgcs2000', from: 'chosen', reprojected: false });
    expectFiveMatched(told.json());
  });

  it.each([
    ['xian80-3-degree-gk-cm114e.prj', /Xian 1980 \/ 3-degree Gauss-Kruger CM 114E, on the Xian 1980 \(西安80\) datum.*local 7-parameter transformation/],
    ['beijing54-3-degree-gk-cm114e.prj', /Beijing 1954 \/ 3-degree Gauss-Kruger CM 114E, on the Beijing 1954 \(北京54\) datum.*local 7-parameter transformation/],
  ])('refuses a Shapefile whose .prj is %s, saying why', async (prj, message) => {
    const zip = await shapefile(['-s_srs', 'EPSG:4490', '-t_srs', 'EPSG:4547'], { prj });
    const res = await importOutlines(t, planner, 'commit', 'old-datum.zip', zip, { level: 'community' });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(message);
    await nothingWritten();
  });

  it('shifts GCJ-02 coordinates when the planner says the file is in GCJ-02', async () => {
    const wgs = (await importOutlines(t, planner, 'preview', 'jinshui.geojson', FIVE, { level: 'community' })).json();
    const gcj = (await importOutlines(t, planner, 'preview', 'jinshui.geojson', FIVE, { level: 'community', crs: 'gcj02' })).json();
    expect(gcj.sourceCrs.shiftedFrom).toBe('gcj02');
    const [x0] = wgs.preview.features[0].geometry.coordinates[0][0];
    const [x1] = gcj.preview.features[0].geometry.coordinates[0][0];
    // GCJ-02 is offset by a few hundred metres around Zhengzhou.
    expect(Math.abs(x0 - x1)).toBeGreaterThan(0.003);
  });

  it('refuses a file GDAL cannot read, naming the file and what GDAL said, without a server path', async () => {
    const res = await importOutlines(t, planner, 'preview', 'broken.gpkg', Buffer.from('SQLite format 3\u0000 but nothing else'.repeat(10)));
    expect(res.statusCode).toBe(400);
    const { message } = res.json();
    expect(message).toMatch(/^file broken\.gpkg: could not be read \(/);
    expect(message).not.toMatch(/\/tmp|wangge-import|source\.gpkg/);
    const notGeojson = await importOutlines(t, planner, 'preview', 'x.geojson', Buffer.from('{"hello": "world"}'));
    expect(notGeojson.statusCode).toBe(400);
    expect(notGeojson.json().message).toMatch(/^file x\.geojson: /);
    const unknown = await importOutlines(t, planner, 'preview', 'outlines.dwg', Buffer.from('AC1032'));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/can be imported from/);
  });
});
