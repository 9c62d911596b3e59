/**
 * The resident register (实有人口) import: one row per person, as the police and civil-affairs
 * exports hold it. Each person's age band comes from the birth date in the ID number; each
 * address is matched to a building (exactly, then normalised, then by an assignment a planner made
 * on the map); only the counts per building are kept — households (distinct household numbers),
 * residents, 60+, 80+. Names are never read; ID numbers, rooms and household numbers live only in
 * this function's memory while the file is read, and reach no table, file, log or reply.
 *
 * The register replaces the figures of every building of the communities it names (a building
 * there that no one lives in, by the register, gets 0), all or nothing; the grids of those
 * communities are then re-counted from their buildings.
 */
import type { Pool, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import { badRequest, phrase, unprocessable } from '../../shared/errors.js';
import { sqlFile } from '../../shared/sql.js';
import { problem, type Problem } from '../../shared/refusals.js';
import type { AuditRepository } from '../audit/audit-repository.js';
import type { Actor } from '../grids/grid-store.js';
import { buildingAddressKey, communityKey, normaliseText, parseUnit, splitBuildingAddress } from './address.js';
import { ageBand, readIdNumber, type CalendarDate, type IdProblem } from './id-number.js';
import { readRegisterRows } from './register-reader.js';
import { createBuildingRepository } from '../buildings/building-repository.js';

/** What the register says of one building (household numbers in memory only: only their count is written). */
export interface BuildingCount {
  households: Set<string>;
  residents: number;
  residents60Plus: number;
  residents80Plus: number;
}

const BUILDINGS_OF_COMMUNITIES = sqlFile(import.meta.url, 'buildings-of-communities.sql');
const SAVE_ASSIGNMENTS = sqlFile(import.meta.url, 'save-assignments.sql');

export const REGISTER_COLUMNS = ['idNumber', 'street', 'community', 'compound', 'building', 'unit', 'room', 'household'] as const;
export type RegisterColumn = (typeof REGISTER_COLUMNS)[number];

/** Header names accepted for each column (compared without spaces, brackets or case). */
const HEADER_ALIASES: Record<RegisterColumn, string[]> = {
  idNumber: ['公民身份号码', '身份证号', '身份证号码', '身份证', '证件号码', '证件号', 'idnumber', 'id'],
  street: ['街道', '街道办事处', '所属街道', '乡镇', '乡镇街道', 'street'],
  community: ['社区', '社区名称', '所属社区', '居委会', '村居委会', '村居', '社区居委会', 'community'],
  compound: ['小区', '小区名称', '所属小区', '院落', '小区院落', 'compound'],
  building: ['楼栋', '楼号', '楼栋号', '栋号', '幢号', '楼幢', '楼栋名称', 'building'],
  unit: ['单元', '单元号', 'unit'],
  room: ['房号', '门牌', '门牌号', '房间号', '室号', '房屋号', 'room'],
  household: ['户号', '户编号', '户籍号', '家庭户号', 'household', 'householdnumber'],
};
const REQUIRED: RegisterColumn[] = ['idNumber', 'community', 'building'];

const headerKey = (text: string) => normaliseText(text).toLowerCase().replace(/[()（）_\-/、]/g, '');

export type RegisterProblem = IdProblem | 'communityMissing' | 'communityUnknown' | 'communityAmbiguous' | 'buildingMissing';

export interface RegisterRowError extends Problem {
  row: number;
  /** The column as the file names it. */
  column: string;
  kind: RegisterProblem;
  /** `code` and `params` say the problem in the reader's language; `message` in English. Neither holds a personal cell (an ID number). */
  message: string;
}

export interface UnmatchedAddress {
  /** The normalised address down to the building: what an assignment is made for. */
  addressKey: string;
  communityCode: string;
  communityName: string;
  /** Compound and building as the planner may see them: never a room or a name. */
  address: string;
  units: string[];
  residents: number;
}

export interface RegisterSummary {
  residents: number;
  matched: { exact: number; normalised: number; assigned: number };
  unmatchedResidents: number;
  /** Share of the register's residents matched to a building (0–1). */
  matchRate: number;
  buildingsWithResidents: number;
  /** Buildings of the register's communities that get 0 (no one registered lives there). */
  buildingsEmptied: number;
  totals: { households: number; residents: number; residents60Plus: number; residents80Plus: number };
  communities: Array<{ code: string; name: string; residents: number; matchedResidents: number }>;
  unmatched: UnmatchedAddress[];
  unmatchedAddresses: number;
}

export interface RegisterRequest {
  bytes: Buffer;
  fileName: string;
  /** The day ages are reckoned on, in China time. */
  today: CalendarDate;
  /** Unmatched addresses the planner assigned to buildings on the map. */
  assignments: Array<{ addressKey: string; buildingId: number }>;
}

type Progress = (stage: string, done: number, total: number) => void;

/** People of one written address (community, compound, building as the file writes them). */
interface AddressGroup {
  communityCode: string;
  text: string;
  residents: number;
  residents60Plus: number;
  residents80Plus: number;
  households: Set<string>;
  units: Set<string>;
}

interface Checked {
  summary: RegisterSummary;
  communityCodes: string[];
  buildingIds: number[];
  counts: Map<number, BuildingCount>;
  usedAssignments: Array<{ addressKey: string; communityCode: string; buildingId: number }>;
}

const MAX_ERRORS_LISTED = 100;
const MAX_UNMATCHED_LISTED = 1000;

function matchColumns(headers: string[], fileName: string): Partial<Record<RegisterColumn, number>> {
  const columns: Partial<Record<RegisterColumn, number>> = {};
  const keys = headers.map(headerKey);
  for (const field of REGISTER_COLUMNS) {
    const at = keys.findIndex((k) => HEADER_ALIASES[field].includes(k));
    if (at >= 0) columns[field] = at;
  }
  const missing = REQUIRED.filter((f) => columns[f] === undefined);
  if (missing.length) {
    const expected = missing.map((f) => `${f} (${HEADER_ALIASES[f].slice(0, 2).join(' / ')})`);
    throw badRequest('population.missingColumns', { file: fileName, missing: expected.join(', '), headers: headers.filter(Boolean).join(', ') || phrase('population.nothing') });
  }
  return columns;
}

/** Masks what the planner sees of an address: compound and building number, never more. */
function maskedAddress(communityName: string, text: string, units: Set<string>): string {
  const { compound, building } = splitBuildingAddress(text);
  const shown = building ? `${compound} ${building}号楼` : compound.replace(/[0-9]{3,}/g, '***');
  const unitText = [...units].filter((u) => /^[0-9]+$/.test(u)).sort((a, b) => Number(a) - Number(b)).map((u) => `${u}单元`).join('、');
  return `${communityName} ${shown}${unitText ? `（${unitText}）` : ''}`.trim();
}

export function createRegisterImport(pool: Pool, audit: AuditRepository) {
  const buildings = createBuildingRepository();
  async function check(db: Queryable, actor: Actor, request: RegisterRequest, progress: Progress): Promise<Checked> {
    const scope = actor.user.scopeAreaCode;
    const { rows: communityRows } = await db.query<{ code: string; name: string; street_name: string | null }>(
      `SELECT c.code, c.name, s.name AS street_name FROM admin_area c LEFT JOIN admin_area s ON s.code = c.parent_code
       WHERE c.level = 'community' AND c.retired_at IS NULL AND ($1::text IS NULL OR c.code LIKE $1 || '%')`, [scope]);
    const communitiesByName = new Map<string, typeof communityRows>();
    for (const c of communityRows) {
      const key = communityKey(c.name);
      communitiesByName.set(key, [...(communitiesByName.get(key) ?? []), c]);
    }
    const communityNames = new Map(communityRows.map((c) => [c.code, c.name]));

    let columns: Partial<Record<RegisterColumn, number>> | null = null;
    let headers: string[] = [];
    const errors: RegisterRowError[] = [];
    let errorCount = 0;
    const groups = new Map<string, AddressGroup>();
    const communityCache = new Map<string, { communityCode: string } | { kind: RegisterProblem; problem: Problem }>();
    let rowsRead = 0;

    await readRegisterRows(request.bytes, request.fileName, (cells, rowNumber) => {
      if (columns === null) {
        if (cells.every((c) => !c)) return;
        headers = cells;
        columns = matchColumns(cells, request.fileName);
        return;
      }
      const cols = columns;
      const cell = (field: RegisterColumn) => (cols[field] === undefined ? '' : (cells[cols[field]!] ?? '').trim());
      if (cells.every((c) => !c || !c.trim())) return;
      rowsRead++;
      if (rowsRead % 50_000 === 0) progress('reading', rowsRead, 0);
      const fail = (field: RegisterColumn, kind: RegisterProblem, p: Problem) => {
        errorCount++;
        if (errors.length < MAX_ERRORS_LISTED) errors.push({ row: rowNumber, column: headers[cols[field] ?? -1] || field, kind, code: p.code, params: p.params, message: p.message });
      };
      const id = readIdNumber(cell('idNumber'), request.today);
      if (!id.ok) fail('idNumber', id.problem, id);

      const communityText = cell('community');
      const streetText = cell('street');
      let communityCode: string | null = null;
      if (!communityText) {
        fail('community', 'communityMissing', problem('population.communityMissing'));
      } else {
        const cacheKey = `${streetText}\u0001${communityText}`;
        let resolved = communityCache.get(cacheKey);
        if (!resolved) {
          let candidates = communitiesByName.get(communityKey(communityText)) ?? [];
          if (candidates.length > 1 && streetText) {
            candidates = candidates.filter((c) => c.street_name !== null && normaliseText(c.street_name).startsWith(normaliseText(streetText).replace(/(街道办事处|街道|办事处)$/, '')));
          }
          resolved = candidates.length === 1
            ? { communityCode: candidates[0]!.code }
            : candidates.length === 0
              ? {
                  kind: 'communityUnknown',
                  problem: problem('population.communityUnknown', {
                    community: communityText,
                    street: streetText ? phrase('population.inStreet', { street: streetText }) : null,
                    scope: scope ? phrase('population.withinScope', { scope }) : null,
                  }),
                }
              : {
                  kind: 'communityAmbiguous',
                  problem: problem('population.communityAmbiguous', {
                    community: communityText,
                    count: candidates.length,
                    candidates: candidates.map((c) => `${c.street_name ?? '?'} ${c.code}`),
                  }),
                };
          communityCache.set(cacheKey, resolved);
        }
        if ('communityCode' in resolved) communityCode = resolved.communityCode;
        else fail('community', resolved.kind, resolved.problem);
      }

      const compound = cell('compound');
      const buildingText = cell('building');
      if (!buildingText) fail('building', 'buildingMissing', problem('population.buildingMissing'));
      if (!id.ok || communityCode === null || !buildingText) return;

      // The compound and building as one address; a building cell that repeats the compound is taken alone.
      const text = compound && !normaliseText(buildingText).startsWith(normaliseText(compound)) ? `${compound}${buildingText}` : buildingText;
      const groupKey = `${communityCode}\u0001${text}`;
      let group = groups.get(groupKey);
      if (!group) {
        group = { communityCode, text, residents: 0, residents60Plus: 0, residents80Plus: 0, households: new Set(), units: new Set() };
        groups.set(groupKey, group);
      }
      const unit = cell('unit');
      const household = cell('household') || `${unit}\u0001${cell('room')}`;
      group.residents++;
      const band = ageBand(id.birth, request.today);
      if (band !== 'under60') group.residents60Plus++;
      if (band === '80plus') group.residents80Plus++;
      group.households.add(household);
      if (unit) group.units.add(parseUnit(unit));
    });

    if (columns === null) throw badRequest('population.noHeader', { file: request.fileName });
    if (rowsRead === 0) throw badRequest('population.noRows', { file: request.fileName });
    if (errorCount > 0) {
      const first = errors.slice(0, 3).map((e) => phrase('population.rowProblemAt', { row: e.row, column: e.column, problem: phrase(e.code, e.params) }));
      throw unprocessable('population.rowProblems', { file: request.fileName, count: errorCount, first }, { errors, errorCount });
    }
    progress('matching', rowsRead, rowsRead);

    const communityCodes = [...new Set([...groups.values()].map((g) => g.communityCode))].sort();
    const { rows: buildingRows } = await db.query<{ id: number; name: string; address: string | null; communityCode: string }>(BUILDINGS_OF_COMMUNITIES, [communityCodes]);
    const buildingCommunity = new Map(buildingRows.map((b) => [b.id, b.communityCode]));
    // -1: two buildings share the address, so it decides nothing (the planner assigns it).
    const exact = new Map<string, number>();
    const normalised = new Map<string, number>();
    const put = (map: Map<string, number>, key: string, id: number) => map.set(key, map.has(key) && map.get(key) !== id ? -1 : id);
    for (const b of buildingRows) {
      for (const text of [b.name, b.address]) {
        if (!text) continue;
        put(exact, `${b.communityCode}|${text.trim()}`, b.id);
        put(normalised, buildingAddressKey(b.communityCode, text), b.id);
      }
    }
    const { rows: storedRows } = await db.query<{ address_key: string; building_id: number }>(
      'SELECT address_key, building_id::int FROM building_address_assignment WHERE community_code = ANY($1::text[])', [communityCodes]);
    const stored = new Map(storedRows.map((r) => [r.address_key, r.building_id]));
    const requested = new Map<string, number>();
    request.assignments.forEach((a, i) => {
      const community = a.addressKey.split('|')[0]!;
      if (buildingCommunity.get(a.buildingId) === undefined) throw badRequest('population.notRegisterBuilding', { index: i, building: a.buildingId });
      if (!communityCodes.includes(community)) throw badRequest('population.addressNotInRegister', { index: i, address: a.addressKey });
      requested.set(a.addressKey, a.buildingId);
    });

    const counts = new Map<number, BuildingCount>();
    const matched = { exact: 0, normalised: 0, assigned: 0 };
    const unmatchedByKey = new Map<string, UnmatchedAddress & { unitSet: Set<string>; text: string }>();
    const perCommunity = new Map<string, { residents: number; matchedResidents: number }>();
    const usedAssignments: Checked['usedAssignments'] = [];
    let residents = 0;
    for (const group of groups.values()) {
      residents += group.residents;
      const community = perCommunity.get(group.communityCode) ?? { residents: 0, matchedResidents: 0 };
      perCommunity.set(group.communityCode, community);
      community.residents += group.residents;
      const key = buildingAddressKey(group.communityCode, group.text);
      let buildingId = exact.get(`${group.communityCode}|${group.text.trim()}`);
      let stage: keyof typeof matched = 'exact';
      if (buildingId === undefined || buildingId < 0) {
        buildingId = normalised.get(key);
        stage = 'normalised';
      }
      if (buildingId === undefined || buildingId < 0) {
        buildingId = requested.get(key) ?? stored.get(key);
        stage = 'assigned';
        if (requested.has(key)) usedAssignments.push({ addressKey: key, communityCode: group.communityCode, buildingId: requested.get(key)! });
      }
      if (buildingId === undefined || buildingId < 0 || !buildingCommunity.has(buildingId)) {
        const u = unmatchedByKey.get(key) ?? {
          addressKey: key, communityCode: group.communityCode, communityName: communityNames.get(group.communityCode) ?? group.communityCode,
          address: '', units: [], residents: 0, unitSet: new Set<string>(), text: group.text,
        };
        u.residents += group.residents;
        for (const unit of group.units) u.unitSet.add(unit);
        unmatchedByKey.set(key, u);
        continue;
      }
      matched[stage] += group.residents;
      community.matchedResidents += group.residents;
      const count = counts.get(buildingId) ?? { households: new Set<string>(), residents: 0, residents60Plus: 0, residents80Plus: 0 };
      counts.set(buildingId, count);
      count.residents += group.residents;
      count.residents60Plus += group.residents60Plus;
      count.residents80Plus += group.residents80Plus;
      for (const h of group.households) count.households.add(h);
    }

    const unmatchedAll = [...unmatchedByKey.values()].sort((a, b) => b.residents - a.residents || a.addressKey.localeCompare(b.addressKey));
    const unmatchedResidents = unmatchedAll.reduce((s, u) => s + u.residents, 0);
    const totals = { households: 0, residents: 0, residents60Plus: 0, residents80Plus: 0 };
    for (const c of counts.values()) {
      totals.households += c.households.size;
      totals.residents += c.residents;
      totals.residents60Plus += c.residents60Plus;
      totals.residents80Plus += c.residents80Plus;
    }
    const summary: RegisterSummary = {
      residents,
      matched,
      unmatchedResidents,
      matchRate: residents === 0 ? 0 : (residents - unmatchedResidents) / residents,
      buildingsWithResidents: counts.size,
      buildingsEmptied: buildingRows.length - counts.size,
      totals,
      communities: communityCodes.map((code) => ({ code, name: communityNames.get(code) ?? code, ...perCommunity.get(code)! })),
      unmatched: unmatchedAll.slice(0, MAX_UNMATCHED_LISTED).map((u) => ({
        addressKey: u.addressKey, communityCode: u.communityCode, communityName: u.communityName,
        address: maskedAddress(u.communityName, u.text, u.unitSet),
        units: [...u.unitSet].sort(), residents: u.residents,
      })),
      unmatchedAddresses: unmatchedAll.length,
    };
    return { summary, communityCodes, buildingIds: buildingRows.map((b) => b.id), counts, usedAssignments };
  }

  const noProgress: Progress = () => {};

  return {
    async preview(actor: Actor, request: RegisterRequest): Promise<RegisterSummary> {
      return (await check(pool, actor, request, noProgress)).summary;
    },

    /** Writes the counts all or nothing; the grids of the register's communities are re-counted. */
    async commit(actor: Actor, request: RegisterRequest, progress: Progress = noProgress): Promise<RegisterSummary & { gridsRecounted: number }> {
      const checked = await check(pool, actor, request, progress);
      return withTransaction(pool, async (client) => {
        // Through the one write path of buildings: a version per building, its grids re-counted
        // (and given a version) at once. A building no one is registered in gets 0.
        progress('writing', 0, checked.buildingIds.length);
        const gridsChanged = await buildings.setFigures(client, checked.buildingIds.map((id) => {
          const c = checked.counts.get(id);
          return { id, households: c?.households.size ?? 0, residents: c?.residents ?? 0, residents60Plus: c?.residents60Plus ?? 0, residents80Plus: c?.residents80Plus ?? 0 };
        }), actor, 'resident register import');
        if (checked.usedAssignments.length) {
          const a = checked.usedAssignments;
          await client.query(SAVE_ASSIGNMENTS, [a.map((x) => x.addressKey), a.map((x) => x.communityCode), a.map((x) => x.buildingId), actor.user.id]);
        }
        progress('recounting grids', checked.buildingIds.length, checked.buildingIds.length);
        const gridsRecounted = gridsChanged.length;
        const s = checked.summary;
        await audit.record({
          actorUserId: actor.user.id,
          actorUsername: actor.user.username,
          action: 'population.register_import',
          targetType: 'community',
          targetId: checked.communityCodes.length === 1 ? checked.communityCodes[0] : `${checked.communityCodes.length} communities`,
          ip: actor.ip,
          success: true,
          // Counts only: never a name, an ID number, a room or a household number.
          detail: {
            communities: checked.communityCodes, residents: s.residents, matched: s.matched, unmatchedResidents: s.unmatchedResidents,
            buildingsWithResidents: s.buildingsWithResidents, buildingsEmptied: s.buildingsEmptied, totals: s.totals,
            assignmentsSaved: checked.usedAssignments.length, gridsRecounted,
          },
        }, client);
        return { ...s, gridsRecounted };
      });
    },
  };
}
