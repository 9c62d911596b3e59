/**
 * Mapping a source file's attributes to Wangge's grid fields. Without an explicit mapping each
 * field is looked up under its usual names (English, the export's Shapefile names, Chinese).
 * Values are read leniently (Chinese type names, "3,210" households) but strictly checked.
 */
import { COMMON_FIELD_NAMES, matchFieldNames } from '../imports/field-names.js';
import { problem, type Problem } from '../../shared/refusals.js';
import { DEDICATED_KINDS } from './schemas.js';

export const IMPORT_FIELDS = [
  'code', 'name', 'communityCode', 'gridType', 'dedicatedKind', 'households', 'residents',
  'residents60Plus', 'residents80Plus', 'leaderName', 'leaderPhone', 'managers',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type FieldMapping = Partial<Record<ImportField, string>>;

const SYNONYMS: Record<ImportField, readonly string[]> = {
  code: ['code', 'gridcode', 'grid_code', '网格编码', '网格代码', '编码', 'wgbm'],
  name: ['name', 'gridname', 'grid_name', '网格名称', '名称', 'wgmc'],
  communityCode: ['communitycode', 'community', 'community_code', '社区编码', '社区代码', 'sqbm'],
  gridType: ['gridtype', 'type', 'grid_type', '网格类型', '类型'],
  dedicatedKind: ['dedicatedkind', 'ded_kind', 'dedicated_kind', '专属类型', '专属网格类型'],
  households: COMMON_FIELD_NAMES.households,
  residents: COMMON_FIELD_NAMES.residents,
  residents60Plus: COMMON_FIELD_NAMES.residents60Plus,
  residents80Plus: COMMON_FIELD_NAMES.residents80Plus,
  leaderName: ['leadername', 'leader', '网格长', '网格长姓名', 'wgz'],
  leaderPhone: ['leaderphone', 'leader_tel', 'leadertel', '网格长电话', '网格长手机'],
  managers: ['managers', 'gridmanagers', '网格员', 'wgy'],
};

/**
 * The mapping the planner gave, completed by the usual names for fields they left out (the
 * shared matcher: names, then unambiguous names a Shapefile shortened, e.g. residents6).
 */
export function resolveMapping(sourceFields: readonly string[], given: FieldMapping = {}): FieldMapping {
  const chosen: FieldMapping = {};
  for (const field of IMPORT_FIELDS) if (given[field] !== undefined) chosen[field] = given[field];
  const { columns } = matchFieldNames(sourceFields, SYNONYMS, chosen);
  const mapping: FieldMapping = {};
  for (const field of IMPORT_FIELDS) if (columns[field]) mapping[field] = columns[field];
  return mapping;
}

const GRID_TYPES: Record<string, 'comprehensive' | 'dedicated'> = {
  comprehensive: 'comprehensive', 综合: 'comprehensive', 综合网格: 'comprehensive',
  dedicated: 'dedicated', 专属: 'dedicated', 专属网格: 'dedicated',
};
const DEDICATED_NAMES: Record<string, (typeof DEDICATED_KINDS)[number]> = {
  党政机关: 'party_government', 机关: 'party_government', 产业园区: 'industrial_park', 园区: 'industrial_park',
  医院: 'hospital', 学校: 'school', 企业: 'enterprise', 市场: 'market',
};

export interface MappedGrid {
  code: string | null;
  name: string | null;
  communityCode: string | null;
  gridType: 'comprehensive' | 'dedicated';
  dedicatedKind: string | null;
  households: number;
  residents: number;
  residents60Plus: number;
  residents80Plus: number;
  leader: { name: string; phone: string | null } | null | undefined;
  managers: { name: string; phone: string | null }[] | undefined;
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());

/** The form's name of each figure (the catalogue's `field.*` phrases). */
const FIGURE_FIELD = { households: 'field.households', residents: 'field.residents', residents60Plus: 'field.residents60', residents80Plus: 'field.residents80' } as const;

function count(value: unknown, label: keyof typeof FIGURE_FIELD, problems: Problem[]): number {
  const raw = text(value).replace(/[,，\s]/g, '');
  if (raw === '') return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    problems.push(problem('grids.fieldNotCount', { field: { code: FIGURE_FIELD[label] }, text: text(value).slice(0, 40) }));
    return 0;
  }
  return n;
}

const PHONE = /^[0-9+-]{5,20}$/;

/** "王芳 13912345678；李强:13812345678" → [{ name, phone }]. */
export function parseStaffList(value: string, problems: Problem[]): { name: string; phone: string | null }[] {
  return value
    .split(/[;；,，、\n]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = entry.match(/^(.+?)[\s:：]*([0-9+-]{5,20})?$/);
      const name = (match?.[1] ?? entry).trim();
      const phone = match?.[2] ?? null;
      // The name itself stays out of the problem (personal data goes to no log).
      if (name.length > 50) problems.push(problem('grids.managerNameTooLong'));
      return { name, phone };
    });
}

/** The Wangge attributes of one feature, or the problems that make it unusable. */
export function mapAttributes(properties: Record<string, unknown>, mapping: FieldMapping): { grid: MappedGrid; problems: Problem[] } {
  const problems: Problem[] = [];
  const get = (field: ImportField) => (mapping[field] ? properties[mapping[field]!] : undefined);
  const rawType = text(get('gridType'));
  let gridType: 'comprehensive' | 'dedicated' = 'comprehensive';
  if (rawType) {
    const t = GRID_TYPES[rawType.toLowerCase()];
    if (!t) problems.push(problem('grids.gridTypeUnknown', { text: rawType.slice(0, 40) }));
    else gridType = t;
  }
  let dedicatedKind: string | null = null;
  const rawKind = text(get('dedicatedKind'));
  if (gridType === 'dedicated') {
    dedicatedKind = (DEDICATED_KINDS as readonly string[]).includes(rawKind) ? rawKind : DEDICATED_NAMES[rawKind] ?? null;
    if (!dedicatedKind) problems.push(problem('grids.dedicatedKindUnknown', { text: rawKind.slice(0, 40), allowed: DEDICATED_KINDS.join(', ') }));
  }
  const figures = {
    households: count(get('households'), 'households', problems),
    residents: count(get('residents'), 'residents', problems),
    residents60Plus: count(get('residents60Plus'), 'residents60Plus', problems),
    residents80Plus: count(get('residents80Plus'), 'residents80Plus', problems),
  };
  if (!(figures.residents80Plus <= figures.residents60Plus && figures.residents60Plus <= figures.residents)) {
    problems.push(problem('grids.figuresOrder', { r80: figures.residents80Plus, r60: figures.residents60Plus, residents: figures.residents }));
  }
  let leader: MappedGrid['leader'];
  if (mapping.leaderName) {
    const name = text(get('leaderName'));
    const phone = text(get('leaderPhone')) || null;
    // The phone itself stays out of the problem (personal data goes to no log).
    if (phone && !PHONE.test(phone)) problems.push(problem('grids.leaderPhoneInvalid'));
    leader = name ? { name, phone } : null;
  }
  let managers: MappedGrid['managers'];
  if (mapping.managers) managers = parseStaffList(text(get('managers')), problems);
  const name = text(get('name'));
  if (name.length > 100) problems.push(problem('grids.nameTooLong'));
  return {
    grid: {
      code: text(get('code')) || null,
      name: name || null,
      communityCode: text(get('communityCode')) || null,
      gridType,
      dedicatedKind,
      ...figures,
      leader,
      managers,
    },
    problems,
  };
}
