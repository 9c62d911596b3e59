/**
 * Map label glyphs served by Wangge itself, so symbol layers work with no outside server: SDF glyph
 * ranges (256 code points, the protobuf MapLibre reads) built by fontnik (Mapbox's FreeType-based
 * builder) from a font on this machine, on first request, and kept on disk.
 *
 * The fonts are the Noto Sans CJK collections Debian ships (fonts-noto-cjk): a collection holds ten
 * faces (JP, KR, SC, TC, HK and their Mono twins); fontnik renders them all, and only the Simplified
 * Chinese face's stack is kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { notFound, badRequest } from '../../shared/errors.js';

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

export interface GlyphService {
  /** The PBF of one 256-code-point range of a font stack (a comma-separated list: the first known font). */
  range(fontstack: string, range: string): Promise<Buffer>;
}

export function createGlyphService(cacheDir: string): GlyphService {
  const building = new Map<string, Promise<Buffer>>();
  const fontBytes = new Map<string, Buffer>();
  let fontnik: Fontnik | undefined;

  async function build(fontName: string, start: number, file: string): Promise<Buffer> {
    const font = GLYPH_FONTS[fontName]!;
    if (!fs.existsSync(font.file)) throw notFound('basemap.fontMissing', { font: fontName, file: path.basename(font.file) });
    fontnik ??= require('fontnik') as Fontnik;
    let bytes = fontBytes.get(font.file);
    if (!bytes) fontBytes.set(font.file, (bytes = await fs.promises.readFile(font.file)));
    const all = await new Promise<Buffer>((resolve, reject) =>
      fontnik!.range({ font: bytes!, start, end: start + 255 }, (error, pbf) => (error || !pbf ? reject(error ?? new Error('fontnik returned nothing')) : resolve(pbf))),
    );
    const pbf = keepFontStack(all, font.face);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.part`;
    await fs.promises.writeFile(partial, pbf);
    await fs.promises.rename(partial, file);
    return pbf;
  }

  return {
    async range(fontstack, range) {
      const match = /^(\d+)-(\d+)$/.exec(range);
      const start = match ? Number(match[1]) : NaN;
      if (!match || start % 256 !== 0 || Number(match[2]) !== start + 255 || start > 65280) {
        throw badRequest('basemap.badGlyphRange', { range });
      }
      const fontName = fontstack.split(',').map((s) => s.trim()).find((name) => name in GLYPH_FONTS);
      if (!fontName) throw notFound('basemap.fontNotServed', { fontstack, fonts: Object.keys(GLYPH_FONTS).join(', ') });
      const file = path.join(cacheDir, fontName.replace(/[^A-Za-z0-9]+/g, '-'), `${start}-${start + 255}.pbf`);
      try {
        return await fs.promises.readFile(file);
      } catch {
        // not built yet
      }
      let flight = building.get(file);
      if (!flight) {
        flight = build(fontName, start, file).finally(() => building.delete(file));
        building.set(file, flight);
      }
      return flight;
    },
  };
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
