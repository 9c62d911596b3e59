/**
 * The multipart side of every import: one file (field "file", bounded by the app's upload
 * limit) and text fields, with the choices every import shares checked the same way —
 * the coordinate system and the text encoding.
 */
import type { FastifyRequest } from 'fastify';
import { SOURCE_CRS, type SourceCrs } from '../../shared/coordinates.js';
import { CRS_CHOICES_TEXT, normalizeChosenCrs, type ChosenCrs } from './source-crs.js';
import { badRequest } from '../../shared/errors.js';
import { SOURCE_ENCODINGS, type SourceEncoding } from './text-encoding.js';

export interface Upload {
  bytes: Buffer;
  fileName: string;
  /** A text field, trimmed; undefined when absent or empty. */
  field(name: string): string | undefined;
}

export async function readUpload(request: FastifyRequest, fieldsHelp: string): Promise<Upload> {
  if (!request.isMultipart()) throw badRequest(`body: send the file as multipart/form-data (field "file")${fieldsHelp ? ` with ${fieldsHelp}` : ''}`);
  const file = await request.file();
  if (!file) throw badRequest('body/file: no file was uploaded');
  const bytes = await file.toBuffer();
  if (bytes.length === 0) throw badRequest(`file ${file.filename}: it is empty`);
  return {
    bytes,
    fileName: file.filename,
    field(name) {
      const f = file.fields[name] as { value?: unknown } | undefined;
      const value = typeof f?.value === 'string' ? f.value.trim() : undefined;
      return value ? value : undefined;
    },
  };
}

/** The coordinate system the user chose, or undefined ("as the file says"). */
export function chosenCrs(upload: Upload): ChosenCrs | undefined {
  const crs = upload.field('crs');
  if (crs === undefined || crs === 'auto') return undefined;
  const chosen = normalizeChosenCrs(crs);
  if (!chosen) throw badRequest(`body/crs: '${crs.slice(0, 40)}' is not one of auto, ${CRS_CHOICES_TEXT}`);
  return chosen;
}

/**
 * For tables of coordinates, which never state their system: the user's choice (named
 * systems only: a table's longitude/latitude columns), or a 400 that names the missing choice.
 */
export function requiredLonLatCrs(value: string | undefined, where: string): SourceCrs {
  if (value === undefined || value === '' || value === 'auto') {
    throw badRequest(`${where}: choose the coordinate system of the table's longitude/latitude (${SOURCE_CRS.join(', ')}); a table does not say which, and GCJ-02 (Amap/Tencent) or BD-09 (Baidu) coordinates read as WGS84 land 300–700 m off`, { needsCrs: true });
  }
  if (!(SOURCE_CRS as readonly string[]).includes(value)) throw badRequest(`${where}: '${value.slice(0, 40)}' is not one of ${SOURCE_CRS.join(', ')}`);
  return value as SourceCrs;
}

export function chosenEncoding(upload: Upload): SourceEncoding {
  const encoding = upload.field('encoding') ?? 'auto';
  if (!(SOURCE_ENCODINGS as readonly string[]).includes(encoding)) throw badRequest(`body/encoding: one of ${SOURCE_ENCODINGS.join(', ')}`);
  return encoding as SourceEncoding;
}

/** A JSON form field, parsed, or a 400 naming it. */
export function jsonField<T>(upload: Upload, name: string, example: string, check: (value: unknown) => value is T): T | undefined {
  const raw = upload.field(name);
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badRequest(`body/${name}: not JSON (expected ${example})`);
  }
  if (!check(value)) throw badRequest(`body/${name}: expected ${example}`);
  return value;
}
