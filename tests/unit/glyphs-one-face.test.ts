/**
 * Label glyphs from one face of the Noto Sans CJK collection: the face cut out of the .ttc renders
 * to exactly the glyphs the whole collection gave for that face's stack; a range not built yet
 * answers null within the wait instead of holding the request, and is there once built; the
 * start-up warm builds what is missing and nothing twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { collectionFaces, faceFromCollection } from '../../server/modules/basemap/font-collection.js';
import { createGlyphService, GLYPH_FONTS, glyphRangesOf, keepFontStack } from '../../server/modules/basemap/glyphs.js';

const fontnik = createRequire(import.meta.url)('fontnik') as { range(o: { font: Buffer; start: number; end: number }, cb: (e: Error | null, pbf?: Buffer) => void): void };
const render = (font: Buffer, start: number) =>
  new Promise<Buffer>((resolve, reject) => fontnik.range({ font, start, end: start + 255 }, (e, pbf) => (e || !pbf ? reject(e) : resolve(pbf))));
const REGULAR = GLYPH_FONTS['Noto Sans CJK SC Regular']!;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-glyphs-unit-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('one face of a font collection', () => {
  const collection = fs.readFileSync(REGULAR.file);

  it('names the ten faces and cuts out the Simplified Chinese one', () => {
    const faces = collectionFaces(collection);
    expect(faces).toHaveLength(10);
    expect(faces).toContain('Noto Sans CJK SC Regular');
    const face = faceFromCollection(collection, 'Noto Sans CJK SC Regular');
    expect(face.toString('latin1', 0, 4)).toBe('OTTO'); // a standalone CFF-flavoured OpenType font
    expect(face.length).toBeLessThan(collection.length); // the outlines are shared; each face has its own cmap and metrics
    expect(() => faceFromCollection(collection, 'Noto Sans CJK XX Regular')).toThrow(/no face "Noto Sans CJK XX Regular"/);
  });

  it('renders the same glyphs as the whole collection did for that stack', async () => {
    const face = faceFromCollection(collection, REGULAR.face);
    const fromFace = keepFontStack(await render(face, 0), REGULAR.face);
    const fromCollection = keepFontStack(await render(collection, 0), REGULAR.face);
    expect(fromFace.length).toBeGreaterThan(1000);
    expect(fromFace.equals(fromCollection)).toBe(true);
  });
});

describe('glyph ranges off the request path', () => {
  it('a range not built within the wait is null, goes on building, and is on disk after', async () => {
    const glyphs = createGlyphService(dir);
    expect(await glyphs.range('Noto Sans CJK SC Regular', '20224-20479', { waitMs: 0 })).toBeNull();
    const built = await glyphs.range('Noto Sans CJK SC Regular', '20224-20479', { waitMs: 60_000 });
    expect(built!.length).toBeGreaterThan(1000);
    expect(fs.existsSync(path.join(dir, 'Noto-Sans-CJK-SC-Regular', '20224-20479.pbf'))).toBe(true);
  });

  it('warm builds the ranges a text needs for every font, and nothing already on disk', async () => {
    const starts = glyphRangesOf('Wangge 秦都');
    expect(starts).toEqual([0, 30976, 36864]);
    const glyphs = createGlyphService(dir);
    expect(await glyphs.warm(starts)).toEqual({ built: 6, onDisk: 0 });
    expect(await glyphs.warm(starts)).toEqual({ built: 0, onDisk: 6 });
    expect(fs.readdirSync(path.join(dir, 'Noto-Sans-CJK-SC-Bold')).sort()).toEqual(['0-255.pbf', '30976-31231.pbf', '36864-37119.pbf']);
  });
});
