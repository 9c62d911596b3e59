/**
 * Hostile uploads: zip bombs, archives with too many entries, paths that climb out, symbolic
 * links, content that is not what its name says, and files over the size limit. Each is
 * refused with a 4xx before anything is inflated beyond the limits, and nothing is written.
 */
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { importFile } from '../fixtures/grids/fixtures.js';

let t: TestApp;
let planner: string;
const scope = '610402001001';
beforeAll(async () => {
  t = await createTestApp();
  planner = await t.loginAs('planner');
});
afterAll(async () => t?.close());

const gridCount = async () => (await t.db.pool.query('SELECT count(*) AS n, sum(version) AS v FROM grid')).rows[0];

async function expectRefused(fileName: string, bytes: Buffer, message: RegExp, status?: number) {
  const before = await gridCount();
  const res = await importFile(t, planner, 'preview', fileName, bytes, { scope });
  if (status) expect(res.statusCode, res.body).toBe(status);
  else {
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode, res.body).toBeLessThan(500);
  }
  expect(res.json().message).toMatch(message);
  expect(await gridCount()).toEqual(before);
}

describe('zip archives', () => {
  it('refuses a zip bomb from its declared sizes, before inflating it', async () => {
    const zip = new JSZip();
    zip.file('grids.shp', Buffer.alloc(20 * 1024 * 1024)); // 20 MB of zeros: ~20 KB compressed
    zip.file('grids.dbf', Buffer.alloc(10));
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
    expect(bytes.length).toBeLessThan(200 * 1024);
    // The message comes from the central-directory check, which runs before any entry is inflated.
    await expectRefused('bomb.zip', bytes, /zip bomb/);
  });

  it('refuses an archive with too many entries', async () => {
    const zip = new JSZip();
    for (let i = 0; i < 100; i++) zip.file(`part-${i}.txt`, 'x');
    await expectRefused('many.zip', await zip.generateAsync({ type: 'nodebuffer' }), /100 entries/);
  });

  it('refuses an entry whose path climbs out of the archive', async () => {
    const zip = new JSZip();
    zip.file('../../etc/grids.shp', 'x');
    zip.file('grids.dbf', 'x');
    await expectRefused('climb.zip', await zip.generateAsync({ type: 'nodebuffer' }), /outside the archive/);
  });

  it('refuses a symbolic link', async () => {
    const zip = new JSZip();
    zip.file('grids.shp', '/etc/passwd', { unixPermissions: 0o120777 });
    zip.file('grids.dbf', 'x');
    await expectRefused('link.zip', await zip.generateAsync({ type: 'nodebuffer', platform: 'UNIX' }), /symbolic link/);
  });

  it('refuses a file whose content is not what its name says', async () => {
    await expectRefused('grids.zip', Buffer.from('{"type":"FeatureCollection","features":[]}'), /not a zip/);
    await expectRefused('grids.geojson', Buffer.from('PK\u0003\u0004 not json at all'), /not valid JSON/);
    await expectRefused('grids.exe', Buffer.from('MZ'), /can be imported from/);
  });
});

describe('size limits', () => {
  it('refuses an upload over 50 MB with 413', async () => {
    await expectRefused('huge.geojson', Buffer.alloc(51 * 1024 * 1024, 0x20), /too large|limit/i, 413);
  });
});
