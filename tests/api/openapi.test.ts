/**
 * The OpenAPI document (/docs/json) is complete and sound: linted by Redocly's OpenAPI linter
 * (offline, its recommended rules: any error fails), with the security schemes (session cookie,
 * token as Bearer or Basic) on every staff operation, an operationId on every operation, the
 * servers, a multipart body on every upload and a media type on every download.
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let doc: any;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

beforeAll(async () => {
  t = await createTestApp();
  doc = (await t.app.inject({ url: '/docs/json' })).json();
});
afterAll(async () => t.close());

const operations = () =>
  Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
    Object.entries(ops).filter(([method]) => METHODS.includes(method)).map(([method, op]) => ({ path, method, op })));

/** Routes that take no body at all (their POST is the whole request). */
const BODILESS = new Set([
  'post /api/auth/logout',
  'post /api/auth/totp/setup',
  'post /api/admin/users/{id}/reset-password',
  'post /api/admin/users/{id}/end-sessions',
  'post /api/communities/{code}/repair-slivers',
]);

describe('OpenAPI document', () => {
  it('passes the Redocly linter with no error', async () => {
    const config = await createConfig({ extends: ['recommended'] } as never);
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: '/openapi.json', config } as never);
    const errors = problems.filter((p: any) => p.severity === 'error');
    expect(errors.map((e: any) => `${e.ruleId}: ${e.message} at ${e.location?.[0]?.pointer}`)).toEqual([]);
  }, 60_000);

  it('declares the servers and the security schemes; staff operations take them, public ones none', () => {
    expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(doc.components.securitySchemes).toMatchObject({
      session: { type: 'apiKey', in: 'cookie', name: 'wangge_session' },
      bearerToken: { type: 'http', scheme: 'bearer' },
      basicToken: { type: 'http', scheme: 'basic' },
    });
    const declared = new Map(t.app.declaredRoutes.map((r) => [`${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`, r.access]));
    let checked = 0;
    for (const { path, method, op } of operations()) {
      const access = declared.get(`${method} ${path}`);
      if (!access) continue;
      checked++;
      if ('public' in access) expect(op.security, `${method} ${path}`).toEqual([]);
      else expect(op.security, `${method} ${path}`).toEqual([{ session: [] }, { bearerToken: [] }, { basicToken: [] }]);
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('gives every operation a unique operationId', () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/incidents/{id}/photos/{photoId}'].get.operationId).toBe('getIncidentsIdPhotosPhotoId');
  });

  it('documents a body for every write: JSON, or multipart/form-data with its file part for uploads', () => {
    const missing = operations()
      .filter(({ method }) => method === 'post' || method === 'put' || method === 'patch')
      .filter(({ path, method, op }) => !op.requestBody && !BODILESS.has(`${method} ${path}`))
      .map(({ path, method }) => `${method} ${path}`);
    expect(missing).toEqual([]);
    const uploads = operations().filter(({ op }) => op.requestBody?.content?.['multipart/form-data']);
    for (const { path, op } of uploads) {
      const parts = Object.values(op.requestBody.content['multipart/form-data'].schema.properties) as any[];
      expect(parts.some((p) => p.type === 'string' && p.format === 'binary'), path).toBe(true);
    }
    expect(doc.paths['/api/incidents/{id}/photos'].post.requestBody.content['multipart/form-data'].schema.properties.photo.format).toBe('binary');
    expect(uploads.map(({ path }) => path)).toEqual(expect.arrayContaining(['/api/grid-import/preview', '/api/incidents/import', '/api/area-import/preview', '/api/incidents/{id}/photos']));
  });

  it('gives every download its media type, never a binary body as JSON', () => {
    for (const { path, method, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses as Record<string, any>)) {
        for (const [media, body] of Object.entries((response.content ?? {}) as Record<string, any>)) {
          if (body.schema?.format === 'binary') expect(media, `${method} ${path} ${status}`).not.toBe('application/json');
        }
      }
    }
    const media = (path: string) => Object.keys(doc.paths[path].get.responses['200']?.content ?? {});
    expect(media('/api/exports/grids')).toEqual(expect.arrayContaining(['application/geo+json', 'application/zip', 'application/geopackage+sqlite3', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv']));
    expect(media('/api/incidents/hotspots/export')).toEqual(['application/geo+json']);
    expect(media('/api/tiles/grids/{z}/{x}/{y}')).toEqual(['application/vnd.mapbox-vector-tile']);
    expect(media('/api/incidents/{id}/photos/{photoId}')).toEqual(expect.arrayContaining(['image/jpeg', 'image/png']));
    expect(media('/api/incidents/points')).toEqual(['application/octet-stream']);
    expect(media('/ogc/collections/{collectionId}/items')).toEqual(['application/geo+json', 'text/html']);
  });
});
