/**
 * People on the grids, for the planning roles: the grid-worker accounts a post can be linked to,
 * and the bulk import of grid leaders and managers (preview, then commit all or nothing).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Pool } from '../../db/pool.js';
import { badRequest } from '../../shared/errors.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { ProblemFields } from '../../shared/schema-helpers.js';
import { createAuditRepository } from '../audit/audit-repository.js';
import { PLANNERS } from './planning-routes.js';
import { linkableGridWorkers } from './staff-links.js';
import { createStaffImport, STAFF_COLUMNS, STAFF_IMPORT_PROBLEMS } from './staff-import.js';

const PLANNING = { access: { roles: PLANNERS } };

const StaffRole = Type.Union([Type.Literal('leader'), Type.Literal('manager')]);
const RowError = Type.Object({
  row: Type.Integer(),
  column: Type.String({ description: 'the column as the file names it' }),
  field: Type.Enum(STAFF_COLUMNS),
  kind: Type.Enum(STAFF_IMPORT_PROBLEMS),
  message: Type.String(),
  ...ProblemFields,
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), { description: 'parameters of the code' }),
});
const StaffImportPreview = Type.Object({
  fileName: Type.String(),
  columns: Type.Record(Type.String(), Type.String()),
  rows: Type.Array(Type.Object({
    row: Type.Integer(),
    gridCode: Type.String(),
    gridName: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
    phone: Type.Union([Type.String(), Type.Null()]),
    role: Type.Union([StaffRole, Type.Null()]),
    username: Type.Union([Type.String(), Type.Null()]),
  })),
  grids: Type.Array(Type.Object({
    code: Type.String(),
    name: Type.String(),
    currentLeaders: Type.Integer(),
    currentManagers: Type.Integer(),
    leaders: Type.Integer(),
    managers: Type.Integer(),
    linkedAccounts: Type.Integer(),
  })),
  errors: Type.Array(RowError),
});

async function readUpload(request: FastifyRequest): Promise<{ bytes: Buffer; fileName: string; reason: string }> {
  if (!request.isMultipart()) throw badRequest('upload.notMultipart');
  const file = await request.file();
  if (!file) throw badRequest('upload.noFile');
  const bytes = await file.toBuffer();
  const reason = file.fields.reason as { value?: unknown } | undefined;
  return { bytes, fileName: file.filename, reason: typeof reason?.value === 'string' ? reason.value.trim().slice(0, 500) : '' };
}

export const staffRoutes: FastifyPluginAsyncTypebox<{ pool: Pool }> = async (app, { pool }) => {
  const staffImport = createStaffImport(pool, createAuditRepository(pool));

  app.get('/api/grid-workers', {
    config: PLANNING,
    schema: {
      tags: ['grid planning'],
      summary: 'Active grid-worker accounts a grid leader or manager can be linked to (those of the caller’s area)',
      response: {
        200: Type.Array(Type.Object({ id: Type.Integer(), username: Type.String(), displayName: Type.String(), scopeAreaCode: Type.Union([Type.String(), Type.Null()]) })),
      },
    },
  }, async (request) => linkableGridWorkers(pool, request.user!));

  app.post('/api/grid-staff-import/preview', {
    config: PLANNING,
    schema: {
      tags: ['grid planning'],
      summary: 'Preview an import of grid leaders and managers (CSV/Excel: grid code, name, phone, role, optional username); every row checked, nothing written',
      consumes: ['multipart/form-data'],
      response: { 200: StaffImportPreview, 400: ErrorReply, 403: ErrorReply },
    },
  }, async (request) => {
    const { bytes, fileName } = await readUpload(request);
    return staffImport.preview({ user: request.user!, ip: request.ip }, bytes, fileName);
  });

  app.post('/api/grid-staff-import/commit', {
    config: PLANNING,
    schema: {
      tags: ['grid planning'],
      summary: 'Import grid leaders and managers all or nothing: the staff of every grid the file names is replaced by the file’s (422 with the row problems, and nothing written, otherwise)',
      consumes: ['multipart/form-data'],
      response: {
        200: Type.Object({ grids: Type.Integer(), leaders: Type.Integer(), managers: Type.Integer(), linkedAccounts: Type.Integer() }),
        400: ErrorReply, 403: ErrorReply, 422: ErrorReply,
      },
    },
  }, async (request) => {
    const { bytes, fileName, reason } = await readUpload(request);
    return staffImport.commit({ user: request.user!, ip: request.ip }, bytes, fileName, reason);
  });
};
