/**
 * One face out of an OpenType font collection (.ttc), as a standalone font file.
 *
 * fontnik renders every face of the font it is given; the Noto Sans CJK collections hold ten
 * (JP, KR, SC, TC, HK and their Mono twins), of which the map uses one. Handing fontnik only the
 * Simplified Chinese face makes a glyph range about ten times cheaper to build.
 *
 * A collection is a header with the offset of each face's table directory; the faces share the
 * tables themselves. The standalone font is that one directory with each table it names copied
 * after it (4-byte aligned, offsets rewritten). Checksums are copied unchanged: FreeType does not
 * verify them, and the file never leaves the server.
 */

interface TableRecord {
  tag: string;
  checksum: number;
  offset: number;
  length: number;
}

function tableRecords(bytes: Buffer, directory: number): TableRecord[] {
  const count = bytes.readUInt16BE(directory + 4);
  const records: TableRecord[] = [];
  for (let i = 0; i < count; i++) {
    const r = directory + 12 + 16 * i;
    records.push({ tag: bytes.toString('latin1', r, r + 4), checksum: bytes.readUInt32BE(r + 4), offset: bytes.readUInt32BE(r + 8), length: bytes.readUInt32BE(r + 12) });
  }
  return records;
}

/** The face's name as FreeType reports it to fontnik: typographic (else legacy) family and style. */
function faceName(bytes: Buffer, records: TableRecord[]): string | null {
  const table = records.find((r) => r.tag === 'name');
  if (!table) return null;
  const at = table.offset;
  const count = bytes.readUInt16BE(at + 2);
  const strings = at + bytes.readUInt16BE(at + 4);
  const names = new Map<number, string>();
  for (let i = 0; i < count; i++) {
    const e = at + 6 + 12 * i;
    const platform = bytes.readUInt16BE(e);
    const language = bytes.readUInt16BE(e + 4);
    const id = bytes.readUInt16BE(e + 6);
    // Windows platform, US English: UTF-16BE.
    if (platform !== 3 || language !== 0x409 || ![1, 2, 16, 17].includes(id)) continue;
    const length = bytes.readUInt16BE(e + 8);
    const start = strings + bytes.readUInt16BE(e + 10);
    names.set(id, Buffer.from(bytes.subarray(start, start + length)).swap16().toString('utf16le'));
  }
  const family = names.get(16) ?? names.get(1);
  const style = names.get(17) ?? names.get(2);
  return family && style ? `${family} ${style}` : null;
}

/** The face names of a collection, in order (for messages and tests). */
export function collectionFaces(bytes: Buffer): string[] {
  if (bytes.toString('latin1', 0, 4) !== 'ttcf') return [];
  const faces = bytes.readUInt32BE(8);
  return Array.from({ length: faces }, (_, i) => faceName(bytes, tableRecords(bytes, bytes.readUInt32BE(12 + 4 * i))) ?? '');
}

/**
 * The face named `name` ("Noto Sans CJK SC Regular") of a collection, as a font file; a font that
 * is not a collection is returned as it is. Throws when the collection has no such face.
 */
export function faceFromCollection(bytes: Buffer, name: string): Buffer {
  if (bytes.toString('latin1', 0, 4) !== 'ttcf') return bytes;
  const faces = bytes.readUInt32BE(8);
  for (let i = 0; i < faces; i++) {
    const directory = bytes.readUInt32BE(12 + 4 * i);
    const records = tableRecords(bytes, directory);
    if (faceName(bytes, records) !== name) continue;
    const headerLength = 12 + 16 * records.length;
    const padded = (n: number) => (n + 3) & ~3;
    const out = Buffer.alloc(headerLength + records.reduce((sum, r) => sum + padded(r.length), 0));
    // The face's offset table (sfnt version, table count, search fields) as it is.
    bytes.copy(out, 0, directory, directory + 12);
    let offset = headerLength;
    records.forEach((r, k) => {
      const at = 12 + 16 * k;
      out.write(r.tag, at, 4, 'latin1');
      out.writeUInt32BE(r.checksum, at + 4);
      out.writeUInt32BE(offset, at + 8);
      out.writeUInt32BE(r.length, at + 12);
      bytes.copy(out, offset, r.offset, r.offset + r.length);
      offset += padded(r.length);
    });
    return out;
  }
  throw new Error(`font collection has no face "${name}" (faces: ${collectionFaces(bytes).join(', ')})`);
}
