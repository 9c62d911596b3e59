/**
 * The refusals no route throws carry a catalogue code with parameters, like those the routes
 * throw: Fastify's schema validation, an unknown route, a body too large, a media type no parser
 * takes, malformed or empty JSON, a broken URL, multipart limits and rate limits. Each is read
 * back in Chinese with the catalogue's zh templates the web loads (the web also names a schema
 * refusal's field as its form does: tests/browser/daily-use.test.ts), and
 * the English `message` stays for API users. OGC API refusals also describe themselves in the
 * language of the request's Accept-Language (English by default).
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTemplate, type RefusalParams } from '../../server/shared/refusals.js';
import { preferredLanguage } from '../../server/shared/request-refusals.js';
import { REFUSAL_STRINGS } from '../../web/src/api/refusal-text.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: string;
let planner: string;
beforeAll(async () => {
  t = await createTestApp({ env: { EXPENSIVE_RATE_PER_MINUTE: '1' } });
  [admin, planner] = await Promise.all([t.loginAs('admin'), t.loginAs('planner')]);
});
afterAll(async () => t?.close());

/** A refusal as the web shows it: the code's template from the web's resources, with its parameters. */
function asShown(body: { code: string; params: unknown }, language: 'zh' | 'en' = 'zh'): string {
  const resources = (language === 'zh' ? REFUSAL_STRINGS['zh-CN'] : REFUSAL_STRINGS.en) as Record<string, Record<string, string>>;
  const lookup = (code: string) => {
    const [group, key] = code.split('.') as [string, string];
    return resources[group]?.[key];
  };
  const template = lookup(body.code);
  expect(template, `the web knows ${body.code}`).toBeDefined();
  return renderTemplate(template!, body.params as RefusalParams, language === 'zh' ? 'zh-CN' : 'en-US', lookup);
}

function refusal(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(body.code, res.body).toBe(code);
  expect(body.params).toBeTypeOf('object');
  // The English message is the catalogue's, but for schema refusals, which keep Ajv's own.
  if (!code.startsWith('validation.')) expect(body.message).toBe(asShown(body, 'en'));
  return body as { statusCode: number; message: string; code: string; params: Record<string, unknown>; description?: string };
}

const multipart = (files: { field: string; name: string; bytes: Buffer }[]) => {
  const boundary = '----wanggeRefusals';
  const parts = files.flatMap((f) => [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    f.bytes,
    Buffer.from('\r\n'),
  ]);
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
};

describe('schema validation (TypeBox / Ajv)', () => {
  const post = (payload: unknown) => t.app.inject({ method: 'POST', url: '/api/account/tokens', headers: { cookie: admin }, payload: payload as object });

  it('a missing field: validation.required with the field path', async () => {
    const body = refusal(await post({ expiresInDays: 30, readOnly: true }), 400, 'validation.required');
    expect(body.params).toEqual({ field: 'body/name' });
    expect(asShown(body)).toBe('缺少必填项 body/name');
  });

  it('too long and out of range: the limit is a parameter', async () => {
    const long = refusal(await post({ name: 'x'.repeat(101), expiresInDays: 30, readOnly: true }), 400, 'validation.maxLength');
    expect(long.params).toEqual({ field: 'body/name', limit: 100 });
    expect(asShown(long)).toBe('body/name 最多 100 个字符');
    const days = refusal(await post({ name: 'QGIS', expiresInDays: 0, readOnly: true }), 400, 'validation.minimum');
    expect(days.params).toEqual({ field: 'body/expiresInDays', limit: 1 });
    expect(asShown(days)).toBe('body/expiresInDays 不能小于 1');
  });

  it('a nullable number above its maximum: the maximum, not "must be null"', async () => {
    const { rows: [f] } = await t.db.pool.query(`SELECT id, version FROM facility WHERE retired_at IS NULL ORDER BY id LIMIT 1`);
    const res = await t.app.inject({ method: 'PATCH', url: `/api/facilities/${f.id}`, headers: { cookie: planner }, payload: { version: f.version, capacity: 250000 } });
    const body = refusal(res, 400, 'validation.maximum');
    expect(body.params).toEqual({ field: 'body/capacity', limit: 100000 });
    expect(asShown(body)).toBe('body/capacity 不能大于 100,000');
    const wrong = refusal(await t.app.inject({ method: 'PATCH', url: `/api/facilities/${f.id}`, headers: { cookie: planner }, payload: { version: f.version, capacity: 'many' } }), 400, 'validation.type');
    expect(wrong.params).toEqual({ field: 'body/capacity', expected: 'null | integer' });
    const { rows: [after] } = await t.db.pool.query(`SELECT version FROM facility WHERE id = $1`, [f.id]);
    expect(after.version).toBe(f.version);
  });

  it('a wrong type names what was expected', async () => {
    const body = refusal(await post({ name: 'QGIS', expiresInDays: 30, readOnly: 'perhaps' }), 400, 'validation.type');
    expect(body.params).toEqual({ field: 'body/readOnly', expected: 'boolean' });
    expect(asShown(body)).toBe('body/readOnly 的类型不对（应为 boolean）');
  });
});

describe('what Fastify refuses before a route runs', () => {
  it('an unknown route: request.noRoute with the method and URL', async () => {
    const body = refusal(await t.app.inject({ method: 'GET', url: '/api/no-such-thing?x=1' }), 404, 'request.noRoute');
    expect(body.params).toEqual({ method: 'GET', url: '/api/no-such-thing?x=1' });
    expect(asShown(body)).toBe('没有这个接口：GET /api/no-such-thing?x=1');
  });

  it('a JSON body over the limit: 413 with the limit in bytes', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/account/tokens', headers: { cookie: admin, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(1_100_000) }) });
    const body = refusal(res, 413, 'request.bodyTooLarge');
    expect(body.params).toEqual({ limit: 1048576 });
    expect(asShown(body)).toBe('请求内容超过上限（1,048,576 字节）');
  });

  it('a media type no parser takes: 415 naming it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/account/tokens', headers: { cookie: admin, 'content-type': 'application/xml' }, payload: '<token/>' });
    const body = refusal(res, 415, 'request.mediaType');
    expect(body.params).toEqual({ contentType: 'application/xml' });
    expect(asShown(body)).toBe('不接受内容类型 application/xml；请发送 JSON，或以 multipart/form-data 上传文件');
  });

  it('malformed and empty JSON', async () => {
    const broken = refusal(await t.app.inject({ method: 'POST', url: '/api/account/tokens', headers: { cookie: admin, 'content-type': 'application/json' }, payload: '{"name": ' }), 400, 'request.malformedJson');
    expect(asShown(broken)).toBe('请求内容不是有效的 JSON');
    const empty = refusal(await t.app.inject({ method: 'POST', url: '/api/account/tokens', headers: { cookie: admin, 'content-type': 'application/json' }, payload: '' }), 400, 'request.emptyJson');
    expect(asShown(empty)).toBe('请求内容为空，但声明为 JSON');
  });

  it('a URL with a broken %-escape', async () => {
    const body = refusal(await t.app.inject({ method: 'GET', url: '/api/areas/%E0%A4%A' }), 400, 'request.badUrl');
    expect(body.params).toEqual({ url: '/api/areas/%E0%A4%A' });
    expect(asShown(body)).toBe('请求地址 /api/areas/%E0%A4%A 无效（百分号编码有误？）');
  });
});

describe('uploads', () => {
  it('a file over the upload limit: 413 with the limit in MB, nothing imported', async () => {
    const { rows: [before] } = await t.db.pool.query(`SELECT count(*)::int AS n FROM grid`);
    const { payload, headers } = multipart([{ field: 'file', name: 'big.geojson', bytes: Buffer.alloc(50 * 1024 * 1024 + 10, 0x20) }]);
    const res = await t.app.inject({ method: 'POST', url: '/api/grid-import/preview', headers: { ...headers, cookie: planner }, payload });
    const body = refusal(res, 413, 'request.fileTooLarge');
    expect(body.params).toEqual({ megabytes: 50 });
    expect(asShown(body)).toBe('文件超过 50 MB 上限；未读取任何内容');
    const { rows: [after] } = await t.db.pool.query(`SELECT count(*)::int AS n FROM grid`);
    expect(after.n).toBe(before.n);
  });

  it('not multipart where a file is expected', async () => {
    // The commit: the preview's limit of one a minute is spent above.
    const res = await t.app.inject({ method: 'POST', url: '/api/grid-import/commit', headers: { cookie: planner }, payload: { file: 'x' } });
    const body = refusal(res, 400, 'upload.notMultipart');
    expect(asShown(body)).toBe('请以 multipart/form-data 上传文件（字段 "file"）');
  });
});

describe('rate limits', () => {
  it('past the limit: 429 with the limit and the seconds to wait, said in Chinese', async () => {
    const url = '/api/exports/grids?area=610402002&format=geojson';
    expect((await t.app.inject({ method: 'GET', url, headers: { cookie: planner } })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'GET', url, headers: { cookie: planner } });
    const body = refusal(res, 429, 'request.rateLimited');
    expect(body.params.max).toBe(1);
    expect(body.params.seconds).toBeGreaterThan(0);
    expect(body.params.seconds).toBeLessThanOrEqual(60);
    expect(Number(res.headers['retry-after'])).toBe(body.params.seconds);
    expect(asShown(body)).toBe(`请求过于频繁：每个地址每分钟最多 1 次；请 ${body.params.seconds} 秒后再试`);
  });
});

describe('exports', () => {
  // Each a route of its own: the limit of one a minute is per route and address.
  it('a CRS GeoJSON cannot carry', async () => {
    const analyst = await t.loginAs('analyst');
    const res = await t.app.inject({ method: 'GET', url: '/api/incidents/export?from=2026-01-01T00:00:00%2B08:00&to=2026-02-01T00:00:00%2B08:00&format=geojson&crs=4490', headers: { cookie: analyst } });
    const crs = refusal(res, 400, 'exports.geojsonCrs');
    expect(asShown(crs)).toBe('GeoJSON 始终为 WGS84 坐标；如需 CGCS2000（EPSG:4490），请选择 Shapefile 或 GeoPackage 格式');
  });

  it('an unknown facility type names the known ones', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/facilities/export?format=csv&type=no_such_type', headers: { cookie: planner } });
    const body = refusal(res, 400, 'exports.unknownFacilityType');
    expect(body.params.types).toEqual(['no_such_type']);
    expect(asShown(body)).toMatch(/^未知的设施类型 no_such_type（可选：[a-z_]+(、[a-z_]+)+）$/);
  });
});

describe('OGC API – Features', () => {
  it('a refusal keeps OGC\'s code/description shape, described in the language asked for', async () => {
    const url = '/ogc/collections/no-such/items';
    const english = refusal(await t.app.inject({ method: 'GET', url }), 404, 'ogc.noCollection');
    expect(english.description).toBe(english.message);
    expect(english.message).toMatch(/^No collection 'no-such': the collections are areas, grids/);
    const chinese = await t.app.inject({ method: 'GET', url, headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    const zh = refusal(chinese, 404, 'ogc.noCollection');
    expect(zh.description).toMatch(/^没有图层 no-such；现有图层：areas、grids、/);
    expect(zh.message).toBe(english.message);
    expect(chinese.headers.vary).toMatch(/Accept-Language/);
    const preferringEnglish = refusal(await t.app.inject({ method: 'GET', url, headers: { 'accept-language': 'en-GB, zh;q=0.5' } }), 404, 'ogc.noCollection');
    expect(preferringEnglish.description).toBe(english.message);
  });

  it('parameters: the parameter named, in both languages', async () => {
    const limit = refusal(await t.app.inject({ method: 'GET', url: '/ogc/collections/areas/items?limit=abc', headers: { 'accept-language': 'zh' } }), 400, 'ogc.limit');
    expect(limit.params).toEqual({ parameter: 'limit', value: 'abc', max: 5000 });
    expect(limit.message).toBe("limit: 'abc' must be a whole number from 1 to 5000");
    expect(limit.description).toBe('参数 limit：abc 应为 1 至 5000 的整数');
    const bbox = refusal(await t.app.inject({ method: 'GET', url: '/ogc/collections/areas/items?bbox=1,2,3', headers: { 'accept-language': 'zh-CN' } }), 400, 'ogc.bboxNumbers');
    expect(bbox.description).toBe('参数 bbox：1,2,3 应为逗号分隔的 4 个数（含高度时 6 个），先最小角后最大角');
    const crs = refusal(await t.app.inject({ method: 'GET', url: '/ogc/collections/areas/items?crs=EPSG:3857' }), 400, 'ogc.crsNotServed');
    expect(crs.description).toBe(crs.message);
    expect(crs.message).toMatch(/^crs: 'EPSG:3857' is not served; use one of http:/);
  });

  it('an unknown route under /ogc and a refused read are described too', async () => {
    const none = refusal(await t.app.inject({ method: 'GET', url: '/ogc/nothing-here', headers: { 'accept-language': 'zh-CN' } }), 404, 'request.noRoute');
    expect(none.description).toBe('没有这个接口：GET /ogc/nothing-here');
    const login = refusal(await t.app.inject({ method: 'GET', url: '/ogc/collections/incidents/items', headers: { 'accept-language': 'zh-CN' } }), 401, 'ogc.loginRequired');
    expect(login.description).toMatch(/^图层 incidents 需要登录/);
  });

  it('other API replies keep English messages only (the web renders the code)', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/no-such-thing', headers: { 'accept-language': 'zh-CN' } });
    expect(res.json().description).toBeUndefined();
    expect(res.json().message).toBe('No route GET /api/no-such-thing');
  });

  it('Accept-Language: Chinese only when it comes before English', () => {
    expect(preferredLanguage(undefined)).toBe('en');
    expect(preferredLanguage('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(preferredLanguage('en-US,zh;q=0.9')).toBe('en');
    expect(preferredLanguage('fr, zh-Hans;q=0.8, en;q=0.5')).toBe('zh');
    expect(preferredLanguage('de')).toBe('en');
    expect(preferredLanguage('zh;q=0, en')).toBe('en');
  });
});
