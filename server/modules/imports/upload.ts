/**
 * The multipart side of every import: one file (field "file", bounded by the app's upload
 * limit) and text fields, with the choices every import shares checked the same way —
 * the coordinate system and the text encoding.
 */
import type { FastifyRequest } from 'fastify';
import { SOURCE_CRS, type SourceCrs } from '../../shared/coordinates.js';
import { CRS_CHOICES_TEXT, normalizeChosenCrs, type ChosenCrs } from './source-crs.js';
import { badRequest, phrase } from '../../shared/errors.js';
import { SOURCE_ENCODINGS, type SourceEncoding } from './text-encoding.js';

export interface Upload {
  bytes: Buffer;
  fileName: string;
  /** A text field, trimmed; undefined when absent or empty. */
  field(name: string): string | undefined;
}

export async function readUpload(request: FastifyRequest, fieldsHelp: string): Promise<Upload> {
  if (!request.isMultipart()) throw badRequest('imports.notMultipart', { fields: fieldsHelp ? phrase('imports.withFields', { fields: fieldsHelp }) : '' });
  const file = await request.file();
  if (!file) throw badRequest('upload.noFile');
  const bytes = await file.toBuffer();
  if (bytes.length === 0) throw badRequest('imports.emptyFile', { file: file.filename });
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
  if (!chosen) throw badRequest('imports.crsOneOf', { value: crs.slice(0, 40), allowed: CRS_CHOICES_TEXT });
  return chosen;
}

/**
 * For tables of coordinates, which never state their system: the user's choice (named
 * systems only: a table's longitude/latitude columns), or a 400 that names the missing choice.
 */
export function requiredLonLatCrs(value: string | undefined, where: string): SourceCrs {
  if (value === undefined || value === '' || value === 'auto') {
    throw badRequest('imports.lonLatCrsRequired', { where, allowed: SOURCE_CRS.join(', ') }, { needsCrs: true });
  }
  if (!(SOURCE_CRS as readonly string[]).includes(value)) throw badRequest('imports.lonLatCrsOneOf', { where, value: value.slice(0, 40), allowed: SOURCE_CRS.join(', ') });
  return value as SourceCrs;
}

export function chosenEncoding(upload: Upload): SourceEncoding {
  const encoding = upload.field('encoding') ?? 'auto';
  if (!(SOURCE_ENCODINGS as readonly string[]).includes(encoding)) throw badRequest('imports.encodingOneOf', { allowed: SOURCE_ENCODINGS.join(', ') });
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
    throw badRequest('imports.fieldNotJson', { field: name, example });
  }
  if (!check(value)) throw badRequest('imports.fieldShape', { field: name, example });
  return value;
}
