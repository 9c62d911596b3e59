/**
 * Figures per grid (Excel/CSV: grid code, households, residents, 60+, 80+) for bureaus with no
 * building data: sets the entered figures of grids without buildings, all or nothing. A grid that
 * holds buildings is refused (its figures are its buildings'), as is an unknown or retired grid
 * code, a grid outside the user's area and a grid named twice; every error names row and column.
 */
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { badRequest, phrase, unprocessable } from '../../shared/errors.js';
import { problem } from '../../shared/refusals.js';
import { readTable } from '../../shared/tabular.js';
import { createAuditRepository } from '../audit/audit-repository.js';
import type { SessionUser } from '../auth/roles.js';
import { ensureBaseline, recordVersions } from '../grids/grid-store.js';
import { gridBuildingFigures } from './building-repository.js';
import { GRID_FIGURE_ALIASES, mapColumns, readFigures } from './field-mapping.js';
import type { ImportError } from './building-import.js';

export interface GridFiguresRequest {
  bytes: Buffer;
  fileName: string;
  columns?: Record<string, string>;
  reason?: string;
}

export function createGridFiguresImport(pool: Pool) {
  const audit = createAuditRepository(pool);

  async function plan(db: Pick<Pool, 'query'>, user: SessionUser, request: GridFiguresRequest) {
    if (!/\.(csv|txt|xlsx|xls|ods)$/i.test(request.fileName)) throw badRequest('buildings.figuresFileType', { file: request.fileName });
    const table = await readTable(request.bytes, request.fileName, 100_000);
    const mapping = mapColumns(table.headers, GRID_FIGURE_ALIASES, ['gridCode', 'households', 'residents', 'residents60Plus', 'residents80Plus'], request.columns);
    if (mapping.unknownChoices.length) throw badRequest('buildings.noSuchColumn', { file: request.fileName, columns: mapping.unknownChoices.join(', ') });
    if (mapping.missing.length) {
      throw badRequest('buildings.figuresMissingColumns', { file: request.fileName, missing: mapping.missing.join(', '), headers: table.headers.join(', ') || phrase('buildings.none') }, { missing: mapping.missing, headers: table.headers });
    }
    if (table.rows.length === 0) throw badRequest('buildings.noRows', { file: request.fileName });
    const c = mapping.columns;
    const codes = table.rows.map((r) => (r.values[c.gridCode!] ?? '').normalize('NFKC').trim());
    const { rows: grids } = await db.query<{ id: string; code: string; name: string; community_code: string }>(
      `SELECT id, code, name, community_code FROM grid WHERE code = ANY ($1::text[]) AND retired_at IS NULL`, [codes]);
    const byCode = new Map(grids.map((g) => [g.code, { ...g, id: Number(g.id) }]));
    const sums = await gridBuildingFigures(db, grids.map((g) => Number(g.id)));
    const errors: ImportError[] = [];
    const seen = new Map<string, number>();
    const planned: { row: number; gridId: number; code: string; name: string; households: number; residents: number; residents60Plus: number; residents80Plus: number }[] = [];
    table.rows.forEach((r, i) => {
      const code = codes[i]!;
      const rowErrors: ImportError[] = [];
      const grid = byCode.get(code);
      const at = { row: r.rowNumber, column: c.gridCode! };
      if (!/^\d{15}$/.test(code)) rowErrors.push({ ...at, ...problem('buildings.figuresBadGridCode', { text: code.slice(0, 20) }) });
      else if (!grid) rowErrors.push({ ...at, ...problem('buildings.figuresNoGrid', { grid: code }) });
      else if (user.scopeAreaCode && !grid.community_code.startsWith(user.scopeAreaCode)) rowErrors.push({ ...at, ...problem('buildings.figuresOutsideYourArea', { grid: code, scope: user.scopeAreaCode }) });
      else if ((sums.get(grid.id)?.buildings ?? 0) > 0) {
        rowErrors.push({ ...at, ...problem('buildings.figuresGridHasBuildings', { grid: code, buildings: sums.get(grid.id)!.buildings }) });
      }
      if (code && seen.has(code)) rowErrors.push({ ...at, ...problem('buildings.figuresGridTwice', { grid: code, first: seen.get(code)! }) });
      else seen.set(code, r.rowNumber);
      const { figures, problems } = readFigures((f) => r.values[c[f]!], c);
      rowErrors.push(...problems.map((p) => ({ row: r.rowNumber, ...p })));
      if (rowErrors.length) errors.push(...rowErrors);
      else planned.push({ row: r.rowNumber, gridId: grid!.id, code, name: grid!.name, ...figures! });
    });
    return { planned, errors, columns: c, rowCount: table.rows.length };
  }

  return {
    async preview(actor: { user: SessionUser }, request: GridFiguresRequest) {
      const { planned, errors, columns, rowCount } = await plan(pool, actor.user, request);
      return { unit: 'row' as const, columns, rowCount, errors, rows: planned.slice(0, 500) };
    },

    async commit(actor: { user: SessionUser; ip: string }, request: GridFiguresRequest) {
      return withTransaction(pool, async (client) => {
        const { planned, errors } = await plan(client, actor.user, request);
        if (errors.length) {
          const first = errors[0]!;
          throw unprocessable('buildings.figuresErrors', { count: errors.length, row: first.row, column: first.column, detail: { code: first.code, params: first.params } }, { errors });
        }
        const ids = planned.map((p) => p.gridId);
        await client.query(`SELECT id FROM grid WHERE id = ANY ($1::bigint[]) ORDER BY id FOR UPDATE`, [ids]);
        await ensureBaseline(client, ids);
        await client.query(
          `UPDATE grid g SET households = u.h, residents = u.r, residents_60_plus = u.r60, residents_80_plus = u.r80, version = g.version + 1, updated_at = now()
             FROM unnest($1::bigint[], $2::int[], $3::int[], $4::int[], $5::int[]) AS u(id, h, r, r60, r80) WHERE g.id = u.id`,
          [ids, planned.map((p) => p.households), planned.map((p) => p.residents), planned.map((p) => p.residents60Plus), planned.map((p) => p.residents80Plus)]);
        await recordVersions(client, ids, 'figures', request.reason || `figures from ${request.fileName}`, actor);
        await audit.record({
          actorUserId: actor.user.id, actorUsername: actor.user.username, action: 'grid.figures_import', targetType: 'grid', targetId: `${ids.length} grids`,
          ip: actor.ip, success: true, detail: { rows: planned.length },
        }, client);
        return { updated: planned.length };
      });
    },
  };
}
