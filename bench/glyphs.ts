/**
 * `npm run bench:glyphs`: the time to build the label glyph ranges the demo district's names need
 * (every street, road and area name, and Latin), one range at a time as the server does, with the
 * Simplified Chinese face cut out of the Noto Sans CJK collection — and, with --collection, the
 * same ranges rendered from the whole collection (every face, what the server did before).
 * Builds into a temporary directory; touches no database and no cache.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { generateDemoDistrict } from '../server/demo/generate.js';
import { createGlyphService, GLYPH_FONTS, glyphRangesOf } from '../server/modules/basemap/glyphs.js';

const { values } = parseArgs({ options: { collection: { type: 'boolean', default: false } } });
const data = generateDemoDistrict({ anchorDate: new Date(Date.UTC(2026, 10, 1)) });
const starts = glyphRangesOf([...data.areas.map((a) => a.name), ...data.roads.map((r) => r.name ?? '')].join(''));
const fonts = Object.keys(GLYPH_FONTS).filter((f) => fs.existsSync(GLYPH_FONTS[f]!.file));
console.log(`The demo's names need ${starts.length} glyph ranges × ${fonts.length} fonts = ${starts.length * fonts.length} ranges (${os.cpus().length} cores).`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wangge-bench-glyphs-'));
try {
  let started = performance.now();
  const { built } = await createGlyphService(dir).warm(starts);
  const oneFace = performance.now() - started;
  console.log(`One face (SC) of the collection, as served: ${built} ranges in ${(oneFace / 1000).toFixed(1)} s (${(oneFace / built).toFixed(0)} ms a range)`);

  if (values.collection) {
    const fontnik = createRequire(import.meta.url)('fontnik') as { range(o: { font: Buffer; start: number; end: number }, cb: (e: Error | null, pbf?: Buffer) => void): void };
    started = performance.now();
    let n = 0;
    for (const font of fonts) {
      const bytes = fs.readFileSync(GLYPH_FONTS[font]!.file);
      for (const start of starts) {
        await new Promise((resolve, reject) => fontnik.range({ font: bytes, start, end: start + 255 }, (e, pbf) => (e ? reject(e) : resolve(pbf))));
        n++;
      }
    }
    const whole = performance.now() - started;
    console.log(`Every face of the collection (before): ${n} ranges in ${(whole / 1000).toFixed(1)} s (${(whole / n).toFixed(0)} ms a range); ${(whole / oneFace).toFixed(1)}× the one face`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
