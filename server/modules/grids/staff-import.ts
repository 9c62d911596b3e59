/**
 * Bulk import of grid leaders (网格长) and grid managers (网格员) from a table (CSV or the first
 * sheet of an .xlsx): one row per post, with the grid code, the name, the phone, the role in the
 * grid and, optionally, the username of the grid-worker account to link. The preview checks every
 * row and names row and column of each problem; the commit applies the file all or nothing and
 * REPLACES the staff of every grid the file names (a grid the file does not name is left as it
 * is), writing a grid version for each as any staff edit does. A post that stays (same name and
 * phone) keeps its account link when the row names no username.
 */
import { COMMON_FIELD_NAMES, matchFieldNames } from '../imports/field-names.js';
import type { Pool, PoolClient, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { badRequest, phrase, unprocessable } from '../../shared/errors.js';
import { problem, type RefusalCode } from '../../shared/refusals.js';
import { readTable } from '../../shared/tabular.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import { ensureBaseline, recordVersions, replaceStaff, type Actor } from './grid-store.js';
import type { StaffInput } from './schemas.js';

/** The most rows one file may hold (a city has some tens of thousands of grids). */
export const MAX_STAFF_ROWS = 20_000;

export const STAFF_COLUMNS = ['gridCode', 'name', 'phone', 'role', 'username'] as const;
export type StaffColumn = (typeof STAFF_COLUMNS)[number];

/** Header names accepted for each column (compared without case, spaces or underscores). */
const HEADER_ALIASES: Record<StaffColumn, readonly string[]> = {
  gridCode: ['gridcode', 'code', '网格编码', '网格代码', '网格编号', '编码'],
  name: ['name', '姓名', '名字', '人员姓名'],
  phone: [...COMMON_FIELD_NAMES.phone, '手机号码', '联系方式'],
  role: ['role', 'roleingrid', 'post', '职务', '角色', '岗位', '网格职务', '身份'],
  username: ['username', 'account', 'user', '账号', '帐号', '用户名', '登录名', '系统账号'],
};

const ROLE_WORDS: Record<string, 'leader' | 'manager'> = {
  leader: 'leader', gridleader: 'leader', 网格长: 'leader',
  manager: 'manager', gridmanager: 'manager', 网格员: 'manager', 专职网格员: 'manager', 兼职网格员: 'manager', 专属网格员: 'manager',
};

const normalise = (text: string) => text.toLowerCase().replace(/[\s_\-（）()]/g, '');

const PHONE = /^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}|[0-9]{7,8})$/;


export interface StaffImportRow {
  row: number;
  gridCode: string;
  gridName: string | null;
  name: string;
  phone: string | null;
  role: 'leader' | 'manager' | null;
  username: string | null;
}

export const STAFF_IMPORT_PROBLEMS = [
  'gridCodeMissing', 'gridCodeMalformed', 'gridUnknown', 'gridOutOfScope', 'nameMissing', 'nameTooLong', 'phoneInvalid',
  'roleMissing', 'roleInvalid', 'secondLeader', 'accountUnknown', 'accountNotGridWorker', 'accountDisabled', 'accountTwice',
] as const;
export type StaffImportProblem = (typeof STAFF_IMPORT_PROBLEMS)[number];

export interface StaffImportError {
  row: number;
  /** The column as the file names it (or the field, when the file lacks the column). */
  column: string;
  field: StaffColumn;
  /** What is wrong; `code` and `params` (the refusal catalogue, staffImport.*) say it in the reader's language, `message` in English. */
  kind: StaffImportProblem;
  code: RefusalCode;
  params: Record<string, string | number>;
  message: string;
}

export interface StaffImportGrid {
  code: string;
  name: string;
  currentLeaders: number;
  currentManagers: number;
  leaders: number;
  managers: number;
  linkedAccounts: number;
}

export interface StaffImportPreview {
  fileName: string;
  columns: Partial<Record<StaffColumn, string>>;
  rows: StaffImportRow[];
  grids: StaffImportGrid[];
  errors: StaffImportError[];
}

interface Checked extends StaffImportPreview {
  plan: Map<number, { leader: StaffInput | null; managers: StaffInput[] }>;
}

/** Finds the file's column for each field; refuses a file without the required ones. */
function matchColumns(headers: string[], fileName: string): Partial<Record<StaffColumn, string>> {
  const columns: Partial<Record<StaffColumn, string>> = {};
  Object.assign(columns, matchFieldNames(headers, HEADER_ALIASES).columns);
  const missing = (['gridCode', 'name', 'role'] as const).filter((f) => !columns[f]);
  if (missing.length) {
    const expected = missing.map((f) => `${f} (${HEADER_ALIASES[f].filter((a) => /[^\x00-\x7f]/.test(a)).slice(0, 2).join(' / ')})`);
    throw badRequest('import.missingColumns', { file: fileName, missing: expected, headers: headers.join(', ') || '—' });
  }
  return columns;
}

async function check(db: Queryable, actor: Actor, bytes: Buffer, fileName: string): Promise<Checked> {
  const table = await readTable(bytes, fileName, MAX_STAFF_ROWS);
  if (table.rows.length === 0) throw badRequest('import.noRows', { file: fileName });
  const columns = matchColumns(table.headers, fileName);
  const cell = (values: Record<string, string>, field: StaffColumn) => (columns[field] ? (values[columns[field]!] ?? '').trim() : '');

  const codes = [...new Set(table.rows.map((r) => cell(r.values, 'gridCode')).filter(Boolean))];
  const usernames = [...new Set(table.rows.map((r) => cell(r.values, 'username')).filter(Boolean))];
  const { rows: gridRows } = await db.query<{ id: number; code: string; name: string; community_code: string; leaders: number; managers: number }>(
    `SELECT g.id::int, g.code, g.name, g.community_code,
            (SELECT count(*) FROM grid_staff s WHERE s.grid_id = g.id AND s.role = 'leader')::int AS leaders,
            (SELECT count(*) FROM grid_staff s WHERE s.grid_id = g.id AND s.role = 'manager')::int AS managers
       FROM grid g WHERE g.code = ANY($1::text[]) AND g.retired_at IS NULL`, [codes]);
  const grids = new Map(gridRows.map((g) => [g.code, g]));
  const { rows: accountRows } = await db.query<{ id: number; username: string; role: string; is_active: boolean }>(
    'SELECT id::int, username, role, is_active FROM app_user WHERE username = ANY($1::text[])', [usernames]);
  const accounts = new Map(accountRows.map((a) => [a.username, a]));

  const errors: StaffImportError[] = [];
  const rows: StaffImportRow[] = [];
  const plan = new Map<number, { leader: StaffInput | null; managers: StaffInput[] }>();
  const leaderRow = new Map<string, number>();
  const accountInGrid = new Map<string, number>();
  const scope = actor.user.scopeAreaCode;
  const column = (field: StaffColumn) => columns[field] ?? field;

  for (const { rowNumber, values } of table.rows) {
    const fail = (field: StaffColumn, kind: StaffImportProblem, params: Record<string, string | number> = {}) => {
      const p = problem(`staffImport.${kind}`, params);
      errors.push({ row: rowNumber, column: column(field), field, kind, code: p.code, params, message: p.message });
    };
    const before = errors.length;
    const gridCode = cell(values, 'gridCode');
    const name = cell(values, 'name');
    const phoneText = cell(values, 'phone').replace(/[\s]/g, '');
    const roleText = cell(values, 'role');
    const username = cell(values, 'username') || null;
    const grid = grids.get(gridCode);
    if (!gridCode) fail('gridCode', 'gridCodeMissing');
    else if (!/^[0-9]{15}$/.test(gridCode)) fail('gridCode', 'gridCodeMalformed', { value: gridCode });
    else if (!grid) fail('gridCode', 'gridUnknown', { value: gridCode });
    else if (scope && !grid.community_code.startsWith(scope)) fail('gridCode', 'gridOutOfScope', { value: gridCode, area: scope });
    if (!name) fail('name', 'nameMissing');
    else if (name.length > 50) fail('name', 'nameTooLong', { count: name.length });
    const phone = phoneText || null;
    if (phone && !PHONE.test(phone)) fail('phone', 'phoneInvalid');
    const role = ROLE_WORDS[normalise(roleText)] ?? null;
    if (!roleText) fail('role', 'roleMissing');
    else if (!role) fail('role', 'roleInvalid', { value: roleText });
    if (role === 'leader' && grid) {
      const first = leaderRow.get(grid.code);
      if (first !== undefined) fail('role', 'secondLeader', { value: grid.code, row: first });
      else leaderRow.set(grid.code, rowNumber);
    }
    let userId: number | undefined;
    if (username) {
      const account = accounts.get(username);
      if (!account) fail('username', 'accountUnknown', { value: username });
      else if (account.role !== 'grid_worker') fail('username', 'accountNotGridWorker', { value: username, role: account.role });
      else if (!account.is_active) fail('username', 'accountDisabled', { value: username });
      else if (grid) {
        const key = `${grid.code}|${username}`;
        const first = accountInGrid.get(key);
        if (first !== undefined) fail('username', 'accountTwice', { value: username, grid: grid.code, row: first });
        else accountInGrid.set(key, rowNumber);
        userId = account.id;
      }
    }
    rows.push({ row: rowNumber, gridCode, gridName: grid?.name ?? null, name, phone, role, username });
    if (errors.length === before && grid && role) {
      const entry = plan.get(grid.id) ?? { leader: null, managers: [] };
      const staff: StaffInput = { name, phone, ...(userId ? { userId } : {}) };
      if (role === 'leader') entry.leader = staff;
      else entry.managers.push(staff);
      plan.set(grid.id, entry);
    }
  }

  const summary: StaffImportGrid[] = [...new Set(rows.map((r) => r.gridCode))]
    .filter((code) => grids.has(code))
    .sort()
    .map((code) => {
      const g = grids.get(code)!;
      const inFile = rows.filter((r) => r.gridCode === code);
      return {
        code,
        name: g.name,
        currentLeaders: g.leaders,
        currentManagers: g.managers,
        leaders: inFile.filter((r) => r.role === 'leader').length,
        managers: inFile.filter((r) => r.role === 'manager').length,
        linkedAccounts: inFile.filter((r) => r.username).length,
      };
    });
  return { fileName, columns, rows, grids: summary, errors, plan };
}

export function createStaffImport(pool: Pool, audit: AuditRepository) {
  return {
    async preview(actor: Actor, bytes: Buffer, fileName: string): Promise<StaffImportPreview> {
      const { plan: _plan, ...preview } = await check(pool, actor, bytes, fileName);
      return preview;
    },

    /** All or nothing: 422 with the row errors when any row is wrong, and nothing written. */
    async commit(actor: Actor, bytes: Buffer, fileName: string, reason: string): Promise<{ grids: number; leaders: number; managers: number; linkedAccounts: number }> {
      return withTransaction(pool, async (client: PoolClient) => {
        const checked = await check(client, actor, bytes, fileName);
        if (checked.errors.length) {
          const first = checked.errors.slice(0, 3).map((e) => phrase('staffImport.rowProblemAt', { row: e.row, column: e.column, problem: phrase(e.code, e.params) }));
          throw unprocessable('import.rowProblems', { file: fileName, count: checked.errors.length, first }, { errors: checked.errors });
        }
        const ids = [...checked.plan.keys()].sort((a, b) => a - b);
        await client.query('SELECT id FROM grid WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE', [ids]);
        await ensureBaseline(client, ids);
        for (const id of ids) {
          const entry = checked.plan.get(id)!;
          await replaceStaff(client, id, { gridLeader: entry.leader, gridManagers: entry.managers });
        }
        await client.query('UPDATE grid SET version = version + 1, updated_at = now() WHERE id = ANY($1::bigint[])', [ids]);
        await recordVersions(client, ids, 'staff_import', reason || `staff imported from ${fileName}`, actor);
        const result = {
          grids: ids.length,
          leaders: checked.rows.filter((r) => r.role === 'leader').length,
          managers: checked.rows.filter((r) => r.role === 'manager').length,
          linkedAccounts: checked.rows.filter((r) => r.username).length,
        };
        // Counts only: names and phones are personal data and stay out of the audit log.
        await audit.record(
          { actorUserId: actor.user.id, actorUsername: actor.user.username, action: 'grid.staff_import', targetType: 'grid', targetId: checked.grids.map((g) => g.code).join(',').slice(0, 2000), ip: actor.ip, success: true, detail: { fileName, ...result } },
          client,
        );
        return result;
      });
    },
  };
}
