/**
 * Writes polygons and their attributes as a zipped ESRI Shapefile: .shp/.shx (polygon, type 5),
 * .dbf (dBASE III), .prj (WGS84) and .cpg (the text encoding: UTF-8 by default, or GBK for
 * older desktop GIS). Written here because the common JavaScript writer stores text one byte per
 * character, which breaks every Chinese name.
 */
import JSZip from 'jszip';
import { encodeGbk } from './gbk.js';

export type ShapefileEncoding = 'utf-8' | 'gbk';

export interface DbfField {
  name: string;
  type: 'C' | 'N';
  /** Bytes (C: up to 254) or digits (N). */
  length: number;
}

export interface ShapefileFeature {
  /** MultiPolygon coordinates, GeoJSON order (outer ring first), WGS84. */
  polygons: number[][][][];
  values: Record<string, string | number | null>;
}

export const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

function ringSignedArea(ring: number[][]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) sum += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return sum / 2;
}

/** Shapefile rings: outer rings clockwise, holes counter-clockwise. */
function shapefileRings(polygons: number[][][][]): number[][][] {
  const rings: number[][][] = [];
  for (const polygon of polygons) {
    polygon.forEach((ring, index) => {
      const clockwise = ringSignedArea(ring) < 0;
      const wantClockwise = index === 0;
      rings.push(clockwise === wantClockwise ? ring : [...ring].reverse());
    });
  }
  return rings;
}

function encodeText(text: string, encoding: ShapefileEncoding): Buffer {
  return encoding === 'gbk' ? encodeGbk(text) : Buffer.from(text, 'utf8');
}

/** Cuts encoded text to at most `length` bytes without splitting a character. */
function fitText(text: string, length: number, encoding: ShapefileEncoding): Buffer {
  let bytes = encodeText(text, encoding);
  let chars = [...text];
  while (bytes.length > length && chars.length > 0) {
    chars = chars.slice(0, -1);
    bytes = encodeText(chars.join(''), encoding);
  }
  return bytes;
}

function writeDbf(fields: readonly DbfField[], features: readonly ShapefileFeature[], encoding: ShapefileEncoding): Buffer {
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  const headerLength = 32 + fields.length * 32 + 1;
  const buffer = Buffer.alloc(headerLength + features.length * recordLength + 1, 0);
  const now = new Date();
  buffer.writeUInt8(0x03, 0);
  buffer.writeUInt8(now.getUTCFullYear() - 1900, 1);
  buffer.writeUInt8(now.getUTCMonth() + 1, 2);
  buffer.writeUInt8(now.getUTCDate(), 3);
  buffer.writeUInt32LE(features.length, 4);
  buffer.writeUInt16LE(headerLength, 8);
  buffer.writeUInt16LE(recordLength, 10);
  // Language driver id: 0x4D = GBK (code page 936); 0 = none (the .cpg says UTF-8).
  buffer.writeUInt8(encoding === 'gbk' ? 0x4d : 0, 29);
  fields.forEach((field, i) => {
    const at = 32 + i * 32;
    buffer.write(field.name.slice(0, 10), at, 'ascii');
    buffer.write(field.type, at + 11, 'ascii');
    buffer.writeUInt8(field.length, at + 16);
    buffer.writeUInt8(0, at + 17);
  });
  buffer.writeUInt8(0x0d, headerLength - 1);
  features.forEach((feature, r) => {
    let at = headerLength + r * recordLength;
    buffer.write(' ', at++, 'ascii');
    for (const field of fields) {
      const value = feature.values[field.name];
      const cell = Buffer.alloc(field.length, 0x20);
      if (value !== null && value !== undefined) {
        if (field.type === 'N') {
          const text = String(value).slice(0, field.length);
          cell.write(text, field.length - text.length, 'ascii');
        } else {
          fitText(String(value), field.length, encoding).copy(cell, 0);
        }
      }
      cell.copy(buffer, at);
      at += field.length;
    }
  });
  buffer.writeUInt8(0x1a, buffer.length - 1);
  return buffer;
}

function bboxOf(rings: number[][][]): [number, number, number, number] {
  let [xmin, ymin, xmax, ymax] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const ring of rings) for (const [x, y] of ring) {
    xmin = Math.min(xmin, x!); ymin = Math.min(ymin, y!); xmax = Math.max(xmax, x!); ymax = Math.max(ymax, y!);
  }
  return [xmin, ymin, xmax, ymax];
}

function writeShpAndShx(features: readonly ShapefileFeature[]): { shp: Buffer; shx: Buffer } {
  const records = features.map((f) => shapefileRings(f.polygons));
  const contentLengths = records.map((rings) => 44 + 4 * rings.length + 16 * rings.reduce((s, r) => s + r.length, 0));
  const shp = Buffer.alloc(100 + contentLengths.reduce((s, l) => s + 8 + l, 0));
  const shx = Buffer.alloc(100 + 8 * records.length);
  const all = bboxOf(records.flat());
  for (const [buffer, length] of [[shp, shp.length], [shx, shx.length]] as const) {
    buffer.writeInt32BE(9994, 0);
    buffer.writeInt32BE(length / 2, 24);
    buffer.writeInt32LE(1000, 28);
    buffer.writeInt32LE(5, 32);
    all.forEach((v, i) => buffer.writeDoubleLE(Number.isFinite(v) ? v : 0, 36 + i * 8));
  }
  let offset = 100;
  records.forEach((rings, i) => {
    shx.writeInt32BE(offset / 2, 100 + i * 8);
    shx.writeInt32BE(contentLengths[i]! / 2, 104 + i * 8);
    shp.writeInt32BE(i + 1, offset);
    shp.writeInt32BE(contentLengths[i]! / 2, offset + 4);
    let at = offset + 8;
    shp.writeInt32LE(5, at);
    bboxOf(rings).forEach((v, k) => shp.writeDoubleLE(v, at + 4 + k * 8));
    const points = rings.reduce((s, r) => s + r.length, 0);
    shp.writeInt32LE(rings.length, at + 36);
    shp.writeInt32LE(points, at + 40);
    at += 44;
    let start = 0;
    for (const ring of rings) {
      shp.writeInt32LE(start, at);
      at += 4;
      start += ring.length;
    }
    for (const ring of rings) for (const [x, y] of ring) {
      shp.writeDoubleLE(x!, at);
      shp.writeDoubleLE(y!, at + 8);
      at += 16;
    }
    offset += 8 + contentLengths[i]!;
  });
  return { shp, shx };
}

/** The zipped Shapefile (baseName.shp/.shx/.dbf/.prj/.cpg). */
export async function writeZippedShapefile(
  baseName: string,
  fields: readonly DbfField[],
  features: readonly ShapefileFeature[],
  encoding: ShapefileEncoding = 'utf-8',
): Promise<Buffer> {
  const { shp, shx } = writeShpAndShx(features);
  const zip = new JSZip();
  zip.file(`${baseName}.shp`, shp);
  zip.file(`${baseName}.shx`, shx);
  zip.file(`${baseName}.dbf`, writeDbf(fields, features, encoding));
  zip.file(`${baseName}.prj`, WGS84_PRJ);
  zip.file(`${baseName}.cpg`, encoding === 'gbk' ? 'GBK' : 'UTF-8');
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
