/**
 * Import (preview, then commit) of grids, for the planning roles (exports: modules/exports).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { rateLimit } from '../../shared/rate-limits.js';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { CRS_CHOICES_TEXT, normalizeChosenCrs } from '../imports/source-crs.js';
import { badRequest } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { createGridImport, type ImportRequest } from './grid-import.js';
import { IMPORT_FIELDS, type FieldMapping } from './import-mapping.js';
import { SOURCE_ENCODINGS, type SourceEncoding } from './import-sources.js';
import { PLANNERS } from './planning-routes.js';

const PLANNING = { access: { roles: PLANNERS } };

const ImportReply = Type.Object({}, { additionalProperties: true });

/** Reads the multipart upload: the file and the form fields (scope, crs, encoding, mapping, reason). */
async function readImportRequest(request: FastifyRequest): Promise<ImportRequest & { reason: string }> {
  if (!request.isMultipart()) throw badRequest('upload.notMultipart');
  const file = await request.file();
  if (!file) throw badRequest('upload.noFile');
  const bytes = await file.toBuffer();
  const field = (name: string) => {
    const f = file.fields[name] as { value?: unknown } | undefined;
    return typeof f?.value === 'string' ? f.value.trim() : undefined;
  };
  const scope = field('scope');
  if (!scope || !/^\d{9}(\d{3})?$/.test(scope)) throw badRequest('transfer.scope');
  const crsText = field('crs');
  const crs = crsText && crsText !== 'auto' ? normalizeChosenCrs(crsText) ?? undefined : undefined;
  if (crsText && crsText !== 'auto' && !crs) throw badRequest('imports.crsOneOf', { value: crsText.slice(0, 40), allowed: CRS_CHOICES_TEXT });
  const encoding = (field('encoding') || 'auto') as SourceEncoding;
  if (!(SOURCE_ENCODINGS as readonly string[]).includes(encoding)) throw badRequest('transfer.oneOf', { field: 'encoding', allowed: [...SOURCE_ENCODINGS] });
  let mapping: FieldMapping = {};
  const rawMapping = field('mapping');
  if (rawMapping) {
    try {
      mapping = JSON.parse(rawMapping);
    } catch {
      throw badRequest('transfer.mappingNotJson');
    }
    if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) throw badRequest('transfer.mappingNotObject');
    for (const [key, value] of Object.entries(mapping)) {
      if (!(IMPORT_FIELDS as readonly string[]).includes(key)) throw badRequest('transfer.mappingUnknownField', { key, fields: [...IMPORT_FIELDS] });
      if (typeof value !== 'string') throw badRequest('transfer.mappingValue', { key });
    }
  }
  return { bytes, fileName: file.filename, scope, crs, encoding, mapping, reason: field('reason') ?? '' };
}

export const transferRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; expensiveRatePerMinute: number }> = async (app, { pool, expensiveRatePerMinute }) => {
  const TRANSFER = { ...PLANNING, rateLimit: rateLimit(expensiveRatePerMinute) };
  const gridImport = createGridImport(pool);

  app.post('/api/grid-import/preview', {
    config: TRANSFER,
    schema: {
      tags: ['grid planning'],
      summary: 'Preview an import (GeoJSON, zipped Shapefile, KML/KMZ): converted grids, field mapping, feature errors and validation; writes nothing',
      consumes: ['multipart/form-data'],
      response: { 200: ImportReply, 400: ErrorReply, 403: ErrorReply },
    },
  }, async (request) => {
    const { reason: _reason, ...importRequest } = await readImportRequest(request);
    return gridImport.preview({ user: request.user!, ip: request.ip }, importRequest);
  });

  app.post('/api/grid-import/commit', {
    config: TRANSFER,
    schema: {
      tags: ['grid planning'],
      summary: 'Import grids all or nothing: the file replaces the live grids of the communities it covers (422 and nothing written when anything blocks)',
      consumes: ['multipart/form-data'],
      response: {
        200: Type.Object({ created: Type.Integer(), updated: Type.Integer(), retired: Type.Integer(), communityCodes: Type.Array(Type.String()) }),
        400: ErrorReply, 403: ErrorReply, 422: ErrorReply,
      },
    },
  }, async (request) => {
    const { reason, ...importRequest } = await readImportRequest(request);
    return gridImport.commit({ user: request.user!, ip: request.ip }, importRequest, reason);
  });
};
