/**
 * Adding areas, for the API and the `district:add` command alike: a district or city from the
 * national list, a bureau's own list (checked row by row, all or nothing), or one new street or
 * community under a live parent.
 */
import { withTransaction, type Pool, type Queryable } from '../../db/pool.js';
import { badRequest, conflict, notFound, phrase } from '../../shared/errors.js';
import { problem } from '../../shared/refusals.js';
import { readTable } from '../../shared/tabular.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import { applyAdd, planAdd, type Actor, type AddPlan, type AreaLevel } from './hierarchy-repository.js';
import { checkCodeList, codeProblem, impliedParent, type CodeListArea, type RowError } from './code-list.js';
import { nationalArea, nationalHierarchy } from './national-list.js';

export interface AddSummary {
  /** What the list or code was, for the one-line report. */
  source: string;
  added: Record<AreaLevel, number>;
  renamed: number;
  unchanged: number;
  /** The rows to be added and renamed, for a preview (first 2,000). */
  changes: { action: 'add' | 'rename'; level: AreaLevel; code: string; name: string; previousName: string | null; parentCode: string | null; rowNumber: number | null }[];
}

export interface CodeListPreview extends AddSummary {
  rowCount: number;
  errors: RowError[];
}

const MAX_LISTED_CHANGES = 2000;

function summarise(source: string, plan: AddPlan): AddSummary {
  const added: Record<AreaLevel, number> = { city: 0, district: 0, street: 0, community: 0 };
  for (const a of plan.add) added[a.level]++;
  return {
    source,
    added,
    renamed: plan.rename.length,
    unchanged: plan.unchanged,
    changes: [
      ...plan.add.map((a) => ({ action: 'add' as const, level: a.level, code: a.code, name: a.name, previousName: null, parentCode: a.parentCode, rowNumber: a.rowNumber })),
      ...plan.rename.map((r) => ({ action: 'rename' as const, level: r.level, code: r.code, name: r.to, previousName: r.from, parentCode: null, rowNumber: null })),
    ].slice(0, MAX_LISTED_CHANGES),
  };
}

/** "added 郑州市 (4101): 1 city, 16 districts, 218 streets, 3,012 communities" and the like. */
export function describeSummary(s: AddSummary): string {
  const parts = (['city', 'district', 'street', 'community'] as const)
    .filter((l) => s.added[l] > 0)
    .map((l) => `${s.added[l].toLocaleString('en')} ${l === 'city' ? (s.added[l] === 1 ? 'city' : 'cities') : l === 'community' ? (s.added[l] === 1 ? 'community' : 'communities') : `${l}${s.added[l] === 1 ? '' : 's'}`}`);
  const added = parts.length ? parts.join(', ') : 'nothing new';
  const more = [s.renamed ? `${s.renamed} renamed` : '', s.unchanged ? `${s.unchanged.toLocaleString('en')} already there` : ''].filter(Boolean).join(', ');
  return `${s.source}: added ${added}${more ? `; ${more}` : ''}.`;
}

export function createCodeListService(pool: Pool, audit: AuditRepository) {
  const record = (db: Queryable, actor: Actor & { ip: string | null }, action: string, success: boolean, detail: Record<string, unknown>, targetId?: string) =>
    audit.record({ actorUserId: actor.userId, actorUsername: actor.username, ip: actor.ip, action, targetType: 'admin_area', targetId, success, detail }, db);

  async function nationalPlan(code: string) {
    const area = nationalArea(code);
    if (!/^[0-9]{4}([0-9]{2})?$/.test(code)) throw badRequest('areas.badCityCode', { code });
    const list = await nationalHierarchy(code);
    if (!area || !list) throw notFound('areas.notInNationalList', { code });
    const areas: CodeListArea[] = list.map((a) => ({ ...a, urbanRuralClass: null, rowNumber: null }));
    return { area, areas };
  }

  /** Reads and checks a bureau's own list; writes nothing. */
  async function previewOwnList(bytes: Buffer, fileName: string, db: Queryable = pool): Promise<CodeListPreview & { plan: AddPlan }> {
    const table = await readTable(bytes, fileName, 100_000);
    const codes = table.rows.map((r) => Object.values(r.values)).flat().filter((v) => /^[0-9]{4,12}$/.test(v.trim())).map((v) => v.trim());
    const { rows: live } = await db.query(`SELECT code, level FROM admin_area WHERE retired_at IS NULL AND (code = ANY($1::text[]) OR level IN ('city', 'district'))`, [codes.flatMap((c) => [c, impliedParent(c) ?? c])]);
    const existing = new Map(live.map((r) => [r.code as string, r.level as string]));
    const checked = checkCodeList(table.headers, table.rows, existing);
    const plan = await planAdd(db, checked.areas, { renameExisting: true });
    for (const code of plan.retired) {
      const a = checked.areas.find((x) => x.code === code)!;
      checked.errors.push({ rowNumber: a.rowNumber ?? 1, column: null, ...problem('codeList.retiredCode', { code }) });
    }
    if (checked.rowCount === 0) checked.errors.push({ rowNumber: 1, column: null, ...problem('codeList.noRows') });
    return { ...summarise(`file ${fileName}`, plan), rowCount: checked.rowCount, errors: checked.errors, plan };
  }

  return {
    async previewNational(code: string): Promise<AddSummary> {
      const { area, areas } = await nationalPlan(code);
      return summarise(`${area.name} (${area.code})`, await planAdd(pool, areas, { renameExisting: false }));
    },

    /** Adds a district (or a city with all its districts) with its streets and communities. */
    async addNational(code: string, actor: Actor & { ip: string | null }): Promise<AddSummary> {
      const { area, areas } = await nationalPlan(code);
      return withTransaction(pool, async (client) => {
        await client.query('LOCK TABLE admin_area IN SHARE ROW EXCLUSIVE MODE');
        const plan = await planAdd(client, areas, { renameExisting: false });
        await applyAdd(client, plan, actor, `national list 2023: ${area.name} ${area.code}`);
        const summary = summarise(`${area.name} (${area.code})`, plan);
        await record(client, actor, 'area.add_national', true, { code, added: summary.added }, code);
        return summary;
      });
    },

    previewOwnList,

    /** All or nothing: any row error refuses the whole list (400 naming the rows and columns). */
    async commitOwnList(bytes: Buffer, fileName: string, actor: Actor & { ip: string | null }): Promise<AddSummary> {
      return withTransaction(pool, async (client) => {
        await client.query('LOCK TABLE admin_area IN SHARE ROW EXCLUSIVE MODE');
        const { plan, errors, rowCount, ...summary } = await previewOwnList(bytes, fileName, client);
        if (errors.length > 0) {
          const first = errors[0]!;
          throw badRequest(
            'areas.codeListErrors',
            { file: fileName, count: errors.length, rows: rowCount, row: first.rowNumber, column: first.column ? phrase('areas.atColumn', { column: first.column }) : '', detail: { code: first.code, params: first.params } },
            errors,
          );
        }
        await applyAdd(client, plan, actor, `code list ${fileName}`);
        await record(client, actor, 'area.import_code_list', true, { file: fileName, rows: rowCount, added: summary.added, renamed: summary.renamed });
        return summary;
      });
    },

    /** One new street or community (or a district) under a live parent. */
    async addOne(input: { code: string; name: string; urbanRuralClass?: string | null }, actor: Actor & { ip: string | null }): Promise<AddSummary> {
      const code = input.code.trim();
      const level: AreaLevel | undefined = ({ 6: 'district', 9: 'street', 12: 'community' } as const)[code.length as 6 | 9 | 12];
      if (!level) throw badRequest('areas.codeLength', { code });
      const bad = codeProblem(level, code);
      if (bad) throw badRequest('areas.badCode', { problem: { code: bad.code, params: bad.params } });
      const name = input.name.trim();
      if (!name) throw badRequest('areas.noName');
      if (input.urbanRuralClass && level !== 'community') throw badRequest('areas.urbanRuralOnlyCommunity');
      return withTransaction(pool, async (client) => {
        const parentCode = impliedParent(code)!;
        const { rows } = await client.query(`SELECT code, level, retired_at IS NOT NULL AS retired FROM admin_area WHERE code = ANY($1::text[])`, [[code, parentCode]]);
        const self = rows.find((r) => r.code === code);
        if (self) throw conflict('areas.codeExists', { code, retired: self.retired ? phrase('areas.codeRetired') : '' });
        const parent = rows.find((r) => r.code === parentCode && !r.retired);
        if (!parent && level !== 'district') throw badRequest('areas.parentMissing', { parent: parentCode, code });
        const area: CodeListArea = { level, code, name, parentCode: level === 'district' ? (parent ? parentCode : null) : parentCode, urbanRuralClass: input.urbanRuralClass ?? null, rowNumber: null };
        const plan: AddPlan = { add: [area], rename: [], unchanged: 0, retired: [] };
        await applyAdd(client, plan, actor, 'added by hand');
        await record(client, actor, 'area.create', true, { level, name }, code);
        return summarise(`${name} (${code})`, plan);
      });
    },
  };
}
export type CodeListService = ReturnType<typeof createCodeListService>;
