/**
 * Map label glyphs served by Wangge itself, so symbol layers work with no outside server: SDF glyph
 * ranges (256 code points, the protobuf MapLibre reads) built by fontnik (Mapbox's FreeType-based
 * builder) from a font on this machine, and kept on disk.
 *
 * The fonts are the Noto Sans CJK collections Debian ships (fonts-noto-cjk): a collection holds ten
 * faces (JP, KR, SC, TC, HK and their Mono twins). Only the Simplified Chinese face the style names
 * is cut out of the collection and handed to fontnik (font-collection.ts), so a range costs a tenth
 * of what rendering the whole collection did.
 *
 * Off the request path: `warm` builds the ranges the district's names need in the background at
 * start, one range at a time (one core, never both). A request for a range not on disk yet puts it
 * first in that queue and waits a moment for it (a single-face range takes a fraction of a second);
 * if it is still not there the answer is null (the route says 204, not cached, and MapLibre draws
 * the labels without those characters until the next load) rather than holding the request.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Queryable } from '../../db/pool.js';
import { notFound, badRequest } from '../../shared/errors.js';
import { faceFromCollection } from './font-collection.js';

const require = createRequire(import.meta.url);

interface Fontnik {
  range(options: { font: Buffer; start: number; end: number }, callback: (error: Error | null, pbf?: Buffer) => void): void;
}

/** The font stacks the default style names, and where each one's face comes from. */
export const GLYPH_FONTS: Record<string, { file: string; face: string }> = {
  'Noto Sans CJK SC Regular': { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'Noto Sans CJK SC Regular' },
  'Noto Sans CJK SC Bold': { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc', face: 'Noto Sans CJK SC Bold' },
};
/** The font stack of every label in the default style. */
export const DEFAULT_FONT_STACK = 'Noto Sans CJK SC Regular';
/** How long a request waits for a range that is being built before it is answered without it. */
export const GLYPH_REQUEST_WAIT_MS = 3000;

export interface GlyphService {
  /**
   * The PBF of one 256-code-point range of a font stack (a comma-separated list: the first known
   * font); null when it is not built within `waitMs` (it goes on being built).
   */
  range(fontstack: string, range: string, options?: { waitMs?: number }): Promise<Buffer | null>;
  /** Queues, behind any request, the ranges (starts) of every served font not on disk yet; resolves when they are built. */
  warm(starts: Iterable<number>): Promise<{ built: number; onDisk: number }>;
}

const services = new Map<string, GlyphService>();

/** The one glyph service of a cache directory in this process (the routes and the start-up warm share its queue). */
export function glyphServiceFor(cacheDir: string): GlyphService {
  let service = services.get(cacheDir);
  if (!service) services.set(cacheDir, (service = createGlyphService(cacheDir)));
  return service;
}

export function createGlyphService(cacheDir: string): GlyphService {
  const faces = new Map<string, Buffer>();
  let fontnik: Fontnik | undefined;
  /** Ranges waiting to be built, in order; one is built at a time. */
  const queue: { fontName: string; start: number; file: string }[] = [];
  const pending = new Map<string, { promise: Promise<Buffer>; resolve: (pbf: Buffer) => void; reject: (error: unknown) => void }>();
  let working = false;

  const fileOf = (fontName: string, start: number) => path.join(cacheDir, fontName.replace(/[^A-Za-z0-9]+/g, '-'), `${start}-${start + 255}.pbf`);

  async function face(fontName: string): Promise<Buffer> {
    const font = GLYPH_FONTS[fontName]!;
    let bytes = faces.get(fontName);
    if (!bytes) {
      if (!fs.existsSync(font.file)) throw notFound('basemap.fontMissing', { font: fontName, file: path.basename(font.file) });
      faces.set(fontName, (bytes = faceFromCollection(await fs.promises.readFile(font.file), font.face)));
    }
    return bytes;
  }

  async function build(fontName: string, start: number, file: string): Promise<Buffer> {
    const font = GLYPH_FONTS[fontName]!;
    const bytes = await face(fontName);
    fontnik ??= require('fontnik') as Fontnik;
    const rendered = await new Promise<Buffer>((resolve, reject) =>
      fontnik!.range({ font: bytes, start, end: start + 255 }, (error, pbf) => (error || !pbf ? reject(error ?? new Error('fontnik returned nothing')) : resolve(pbf))),
    );
    const pbf = keepFontStack(rendered, font.face);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
    await fs.promises.writeFile(partial, pbf);
    await fs.promises.rename(partial, file);
    return pbf;
  }

  async function work() {
    if (working) return;
    working = true;
    try {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const waiter = pending.get(next.file)!;
        try {
          waiter.resolve(await build(next.fontName, next.start, next.file));
        } catch (error) {
          waiter.reject(error);
        } finally {
          pending.delete(next.file);
        }
      }
    } finally {
      working = false;
    }
  }

  /** The build of a range: joined if it is queued or running; `first` moves it to the front. */
  function enqueue(fontName: string, start: number, first: boolean): Promise<Buffer> {
    const file = fileOf(fontName, start);
    const known = pending.get(file);
    if (known) {
      const at = queue.findIndex((q) => q.file === file);
      if (first && at > 0) queue.unshift(...queue.splice(at, 1));
      return known.promise;
    }
    let resolve!: (pbf: Buffer) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<Buffer>((res, rej) => { resolve = res; reject = rej; });
    promise.catch(() => {}); // a waiter that gave up must not leave an unhandled rejection
    pending.set(file, { promise, resolve, reject });
    if (first) queue.unshift({ fontName, start, file });
    else queue.push({ fontName, start, file });
    void work();
    return promise;
  }

  const onDisk = (file: string) => fs.promises.readFile(file).catch(() => null);

  return {
    async range(fontstack, range, { waitMs = GLYPH_REQUEST_WAIT_MS } = {}) {
      const match = /^(\d+)-(\d+)$/.exec(range);
      const start = match ? Number(match[1]) : NaN;
      if (!match || start % 256 !== 0 || Number(match[2]) !== start + 255 || start > 65280) {
        throw badRequest('basemap.badGlyphRange', { range });
      }
      const fontName = fontstack.split(',').map((s) => s.trim()).find((name) => name in GLYPH_FONTS);
      if (!fontName) throw notFound('basemap.fontNotServed', { fontstack, fonts: Object.keys(GLYPH_FONTS).join(', ') });
      const cached = await onDisk(fileOf(fontName, start));
      if (cached) return cached;
      if (!fs.existsSync(GLYPH_FONTS[fontName]!.file)) throw notFound('basemap.fontMissing', { font: fontName, file: path.basename(GLYPH_FONTS[fontName]!.file) });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), waitMs); });
      try {
        return await Promise.race([enqueue(fontName, start, true), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    async warm(starts) {
      const builds: Promise<unknown>[] = [];
      let already = 0;
      for (const start of new Set(starts)) {
        if (start < 0 || start > 65280 || start % 256 !== 0) continue;
        for (const fontName of Object.keys(GLYPH_FONTS)) {
          if (!fs.existsSync(GLYPH_FONTS[fontName]!.file)) continue;
          if (fs.existsSync(fileOf(fontName, start))) already++;
          else builds.push(enqueue(fontName, start, false).catch(() => {}));
        }
      }
      await Promise.all(builds);
      return { built: builds.length, onDisk: already };
    },
  };
}

/** The glyph ranges (their first code points) the district's labels need: Latin, and every street, road and area name. */
export async function glyphRangesInUse(db: Queryable): Promise<number[]> {
  const { rows } = await db.query<{ text: string }>(
    `SELECT coalesce(string_agg(name, ''), '') AS text FROM (SELECT name FROM road_segment UNION SELECT name FROM admin_area) n`,
  );
  return glyphRangesOf(rows[0]!.text);
}

/** The glyph ranges (their first code points) a text needs, with Latin (0-255) always. */
export function glyphRangesOf(text: string): number[] {
  const starts = new Set<number>([0]);
  for (const ch of text) starts.add(Math.floor(ch.codePointAt(0)! / 256) * 256);
  return [...starts].filter((s) => s <= 65280).sort((a, b) => a - b);
}

/** Protocol-buffer varint at `pos`: [value, next position]. */
function varint(bytes: Buffer, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++]!;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, pos];
    shift += 7;
  }
}

/**
 * From a glyphs message (`repeated fontstack stacks = 1`, each with `string name = 1`), the same
 * message with only the stack named `face` (or the first one, if none is).
 */
export function keepFontStack(message: Buffer, face: string): Buffer {
  let first: Buffer | undefined;
  let pos = 0;
  while (pos < message.length) {
    const start = pos;
    const [key, afterKey] = varint(message, pos);
    if ((key & 7) !== 2) throw new Error('glyphs: unexpected field in the glyphs message');
    const [length, body] = varint(message, afterKey);
    pos = body + length;
    if (key >> 3 !== 1) continue;
    const field = message.subarray(start, pos);
    first ??= field;
    if (stackName(message.subarray(body, pos)) === face) return Buffer.from(field);
  }
  return Buffer.from(first ?? []);
}

function stackName(stack: Buffer): string | undefined {
  let pos = 0;
  while (pos < stack.length) {
    const [key, afterKey] = varint(stack, pos);
    const wire = key & 7;
    if (wire === 0) {
      pos = varint(stack, afterKey)[1];
      continue;
    }
    if (wire !== 2) return undefined;
    const [length, body] = varint(stack, afterKey);
    if (key >> 3 === 1) return stack.toString('utf8', body, body + length);
    pos = body + length;
  }
  return undefined;
}
