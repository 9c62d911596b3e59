/**
 * The incidents API contract: intake, the closed-loop workflow, and the analyst's aggregates.
 * The web imports these types with `import type`.
 */
import { Type, type Static } from 'typebox';
import { CrsHintSchema } from '../imports/offset-check.js';
import { SourceCrsSchema } from '../../shared/coordinates.js';
import { AreaGeometry, Feature, FeatureCollection, PointGeometry } from '../../shared/geojson-schemas.js';
import { INCIDENT_STATUSES } from './workflow.js';
import { ProblemFields, RowId } from '../../shared/schema-helpers.js';

export const INCIDENT_SOURCES = ['grid_worker', 'hotline_12345', 'public', 'video', 'higher_level'] as const;
export const IncidentSourceSchema = Type.Enum(INCIDENT_SOURCES);
export type IncidentSource = Static<typeof IncidentSourceSchema>;
export const IncidentStatusSchema = Type.Enum(INCIDENT_STATUSES);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Timestamp = Type.String({ description: 'ISO 8601 with offset' });

export const CategoryInfo = Type.Object({
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  deadlineHours: Type.Integer(),
  subCategories: Type.Array(Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() })),
});
export type CategoryInfo = Static<typeof CategoryInfo>;

// ---------------------------------------------------------------- intake

export const ReporterInput = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  phone: Type.Optional(Type.String({ pattern: '^[0-9+ -]{5,20}$' })),
  idNumber: Type.Optional(Type.String({ pattern: '^[0-9]{17}[0-9Xx]$|^[0-9]{15}$', description: '居民身份证号, 18 (or old 15) characters' })),
});

export const CreateIncidentBody = Type.Object({
  category: Type.String({ minLength: 1, maxLength: 40 }),
  subCategory: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  description: Type.String({ minLength: 1, maxLength: 2000 }),
  lon: Type.Number(),
  lat: Type.Number(),
  crs: Type.Optional(SourceCrsSchema),
  /** Defaults to 'grid_worker' for grid workers (who may send nothing else). */
  source: Type.Optional(IncidentSourceSchema),
  occurredAt: Type.Optional(Timestamp),
  /** The record's key in the sending system: sending it twice creates one incident. */
  externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  reporter: Type.Optional(ReporterInput),
});
export type CreateIncidentBody = Static<typeof CreateIncidentBody>;

export const Placement = Type.Object({
  gridId: Nullable(Type.Integer()),
  gridCode: Nullable(Type.String()),
  gridName: Nullable(Type.String()),
  communityCode: Nullable(Type.String()),
  communityName: Nullable(Type.String()),
  streetCode: Nullable(Type.String()),
  streetName: Nullable(Type.String()),
});
export type Placement = Static<typeof Placement>;

export const CreatedIncident = Type.Object({
  id: Type.Integer(),
  externalId: Nullable(Type.String()),
  status: IncidentStatusSchema,
  dueAt: Timestamp,
  /** false when an incident with the same externalId already existed (nothing was written). */
  created: Type.Boolean(),
  lon: Type.Number(),
  lat: Type.Number(),
  placement: Placement,
});
export type CreatedIncident = Static<typeof CreatedIncident>;

export const LocateQuery = Type.Object({
  lon: Type.Number(),
  lat: Type.Number(),
  crs: Type.Optional(SourceCrsSchema),
});

export const LocateReply = Type.Object({ lon: Type.Number(), lat: Type.Number(), placement: Placement, ownGrid: Type.Boolean() });

// ---------------------------------------------------------------- details and workflow

export const ReporterView = Type.Object({
  name: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  idNumber: Nullable(Type.String()),
  masked: Type.Boolean(),
});

export const IncidentEvent = Type.Object({
  fromStatus: Nullable(IncidentStatusSchema),
  toStatus: IncidentStatusSchema,
  at: Timestamp,
  actor: Nullable(Type.String()),
  note: Type.String(),
});

export const IncidentSummary = Type.Object({
  id: Type.Integer(),
  externalId: Nullable(Type.String()),
  category: Type.String(),
  subCategory: Nullable(Type.String()),
  source: IncidentSourceSchema,
  status: IncidentStatusSchema,
  reportedAt: Timestamp,
  dueAt: Timestamp,
  closedAt: Nullable(Timestamp),
  /** Open past its deadline, or closed after it. */
  overdue: Type.Boolean(),
  description: Type.String(),
  lon: Type.Number(),
  lat: Type.Number(),
  gridCode: Nullable(Type.String()),
  gridName: Nullable(Type.String()),
  communityName: Nullable(Type.String()),
});
export type IncidentSummary = Static<typeof IncidentSummary>;

export const IncidentDetail = Type.Intersect([
  IncidentSummary,
  Type.Object({
    occurredAt: Nullable(Timestamp),
    placement: Placement,
    reporter: Nullable(ReporterView),
    events: Type.Array(IncidentEvent),
    photoIds: Type.Array(Type.Integer()),
    /** The transitions the caller may make now. */
    allowedTransitions: Type.Array(Type.Object({ to: IncidentStatusSchema, noteRequired: Type.Boolean() })),
    mayUnmask: Type.Boolean(),
  }),
]);
export type IncidentDetail = Static<typeof IncidentDetail>;

export const IncidentIdParams = Type.Object({ id: RowId });
export const PhotoParams = Type.Object({ id: RowId, photoId: RowId });

export const TransitionBody = Type.Object({
  to: IncidentStatusSchema,
  note: Type.Optional(Type.String({ maxLength: 1000 })),
});

export const UNMASK_PURPOSES = ['callback', 'verification', 'legal_request'] as const;
export const UnmaskBody = Type.Object({
  /** Why: a fixed list, so that the audit log never holds free text with personal data. */
  purpose: Type.Enum(UNMASK_PURPOSES),
});
export const UnmaskedReporter = Type.Object({ name: Nullable(Type.String()), phone: Nullable(Type.String()), idNumber: Nullable(Type.String()) });

export const IncidentList = Type.Object({
  total: Type.Integer(),
  incidents: Type.Array(IncidentSummary),
});
export type IncidentList = Static<typeof IncidentList>;

// ---------------------------------------------------------------- analysis

const CodeList = (what: string) => Type.Optional(Type.String({ maxLength: 500, pattern: '^[a-z0-9_,]*$', description: `Comma-separated ${what}` }));

/** The analyst's filter, shared by every aggregate. */
export const AnalysisFilterQuery = {
  from: Type.String({ description: 'Start, inclusive: ISO date (China time midnight) or date-time' }),
  to: Type.String({ description: 'End, exclusive: ISO date (China time midnight) or date-time' }),
  category: CodeList('top-level category codes'),
  status: CodeList('statuses'),
  source: CodeList('sources'),
  area: Type.Optional(Type.String({ pattern: '^([0-9]{6}|[0-9]{9}|[0-9]{12}|[0-9]{15})$', description: 'District, street or community code, or a 15-digit grid code' })),
};
export const AnalysisQuery = Type.Object(AnalysisFilterQuery);

export const HEAT_CELL_METERS = [25, 50, 100, 200, 400] as const;
export const HeatQuery = Type.Object({
  ...AnalysisFilterQuery,
  cellMeters: Type.Integer({ enum: HEAT_CELL_METERS as unknown as number[], default: 50, description: 'Snap cell (m) in EPSG:4545' }),
  weight: Type.Enum(['count', 'urgency'], { default: 'count', description: "'urgency': 168 h / the category's deadline" }),
});

export const HEX_SIZES_METERS = [250, 500, 1000, 2000] as const;
export const HexagonQuery = Type.Object({
  ...AnalysisFilterQuery,
  sizeMeters: Type.Integer({ enum: HEX_SIZES_METERS as unknown as number[], default: 500, description: 'Hexagon edge length (m) in EPSG:4545' }),
});
export const HexagonBins = Type.Object({
  sizeMeters: Type.Integer(),
  total: Type.Integer(),
  maxCount: Type.Integer(),
  cells: Type.Array(
    Type.Object({
      i: Type.Integer(),
      j: Type.Integer(),
      count: Type.Integer(),
      /** Outer ring, [lon, lat] WGS84, closed. */
      ring: Type.Array(Type.Array(Type.Number())),
    }),
  ),
});
export type HexagonBins = Static<typeof HexagonBins>;

export const INCIDENT_LIST_SORTS = ['reportedAt', 'dueAt', 'closedAt', 'category', 'status', 'grid'] as const;
/**
 * The incident list's filters (GET /api/incidents, /api/incidents/list): the analyst's filter,
 * overdue, a text, the sort, and one hexagon for the drill-down. The export of the list takes the
 * same parameters.
 */
export const IncidentListFilterQuery = {
  ...AnalysisFilterQuery,
  overdue: Type.Optional(Type.Boolean({ description: 'true: only overdue (open past the deadline, or closed after it); false: only the others' })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Text in the ticket number, description, grid code or name, or community name (case-insensitive)' })),
  sort: Type.Enum(INCIDENT_LIST_SORTS, { default: 'reportedAt' }),
  order: Type.Enum(['asc', 'desc'], { default: 'desc' }),
  hexSizeMeters: Type.Optional(Type.Integer({ enum: HEX_SIZES_METERS as unknown as number[] })),
  hexI: Type.Optional(Type.Integer()),
  hexJ: Type.Optional(Type.Integer()),
};
export const IncidentListQuery = Type.Object({
  ...IncidentListFilterQuery,
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});
export type IncidentListQuery = Static<typeof IncidentListQuery>;
/** The drill-down is the list with one hexagon. */
export const DrillDownQuery = IncidentListQuery;

export const GridOutlineCollection = FeatureCollection(
  Feature(
    AreaGeometry,
    Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), communityCode: Type.String(), residents: Type.Integer() }),
  ),
);
export type GridOutlineCollection = Static<typeof GridOutlineCollection>;

export const ByGridQuery = Type.Object({
  ...AnalysisFilterQuery,
  contiguity: Type.Enum(['rook', 'queen'], { default: 'rook', description: "Neighbours: 'rook' share an edge; 'queen' also a corner" }),
});
export const GridStat = Type.Object({
  gridId: Type.Integer(),
  code: Type.String(),
  count: Type.Integer(),
  residents: Type.Integer(),
  /** Incidents per 1,000 residents; null for a grid without residents. */
  per1000: Nullable(Type.Number()),
  /** Getis-Ord Gi* z-score of the count. */
  z: Nullable(Type.Number()),
  /** +3/+2/+1 hot spot at 99/95/90% confidence, negatives cold spots, 0 not significant. */
  hotspotClass: Type.Integer({ minimum: -3, maximum: 3 }),
  neighbours: Type.Integer(),
});
export type GridStat = Static<typeof GridStat>;
export const ByGridReply = Type.Object({
  method: Type.Object({ statistic: Type.Literal('Getis-Ord Gi*'), contiguity: Type.String(), units: Type.Integer(), mean: Type.Number(), standardDeviation: Type.Number() }),
  grids: Type.Array(GridStat),
});
export type ByGridReply = Static<typeof ByGridReply>;

export const RankedArea = Type.Object({ code: Type.String(), name: Type.String(), count: Type.Integer(), overdue: Type.Integer() });
export const SummaryReply = Type.Object({
  total: Type.Integer(),
  overdue: Type.Integer(),
  byMonth: Type.Array(Type.Object({ month: Type.String({ description: 'YYYY-MM, China time' }), count: Type.Integer() })),
  byCategory: Type.Array(Type.Object({ category: Type.String(), count: Type.Integer() })),
  byStatus: Type.Array(Type.Object({ status: IncidentStatusSchema, count: Type.Integer() })),
  topGrids: Type.Array(RankedArea),
  topCommunities: Type.Array(RankedArea),
});
export type SummaryReply = Static<typeof SummaryReply>;

export const CompareQuery = Type.Object({
  ...AnalysisFilterQuery,
  compareFrom: Type.String({ description: 'Start of the earlier period' }),
  compareTo: Type.String({ description: 'End of the earlier period (exclusive)' }),
  level: Type.Enum(['grid', 'community'], { default: 'grid' }),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 10 }),
});
export const CompareRow = Type.Object({ code: Type.String(), name: Type.String(), before: Type.Integer(), after: Type.Integer(), change: Type.Integer() });
export const CompareReply = Type.Object({ rose: Type.Array(CompareRow), fell: Type.Array(CompareRow) });
export type CompareReply = Static<typeof CompareReply>;

export const IndicatorsQuery = Type.Object({
  from: AnalysisFilterQuery.from,
  to: AnalysisFilterQuery.to,
  level: Type.Enum(['grid', 'community', 'street', 'district', 'city'], { default: 'district' }),
  area: AnalysisFilterQuery.area,
  category: AnalysisFilterQuery.category,
});
export const IndicatorValues = Type.Object({
  reported: Type.Integer(),
  byStatus: Type.Record(Type.String(), Type.Integer()),
  /** Incidents (not returned) whose deadline fell in the period. */
  due: Type.Integer(),
  closed: Type.Integer(),
  closedOnTime: Type.Integer(),
  /** 结案率 = closed / due; null when nothing was due. */
  closureRate: Nullable(Type.Number()),
  /** 按期结案率 = closed on time / due. */
  onTimeClosureRate: Nullable(Type.Number()),
  /** Mean hours from report to closure of incidents closed in the period. */
  meanHandlingHours: Nullable(Type.Number()),
  /** Open and past their deadline at the end of the period. */
  overdueOpen: Type.Integer(),
});
export type IndicatorValues = Static<typeof IndicatorValues>;
export const IndicatorRow = Type.Object({
  code: Type.String(),
  name: Type.String(),
  current: IndicatorValues,
  previous: IndicatorValues,
  yearAgo: IndicatorValues,
  /** Relative change of reported incidents, (current − previous) / previous; null when previous is 0. */
  reportedMonthOnMonth: Nullable(Type.Number()),
  reportedYearOnYear: Nullable(Type.Number()),
  /** Change of 结案率 in percentage points. */
  closureRateMonthOnMonthPoints: Nullable(Type.Number()),
  closureRateYearOnYearPoints: Nullable(Type.Number()),
});
export type IndicatorRow = Static<typeof IndicatorRow>;
export const IndicatorsReply = Type.Object({
  period: Type.Object({ from: Timestamp, to: Timestamp }),
  previous: Type.Object({ from: Timestamp, to: Timestamp }),
  yearAgo: Type.Object({ from: Timestamp, to: Timestamp }),
  rows: Type.Array(IndicatorRow),
});
export type IndicatorsReply = Static<typeof IndicatorsReply>;

// ---------------------------------------------------------------- import

export const ImportRowError = Type.Object({ row: Type.Integer(), column: Nullable(Type.String()), message: Type.String(), ...ProblemFields });
export type ImportRowError = Static<typeof ImportRowError>;
export const ImportPreview = Type.Object({
  fileName: Type.String(),
  rows: Type.Integer(),
  valid: Type.Integer(),
  duplicates: Type.Integer({ description: 'Rows already imported (same external id or stable key): skipped' }),
  toCreate: Type.Integer(),
  errors: Type.Array(ImportRowError),
  keyColumn: Nullable(Type.String({ description: 'The column used as external id, or null: a stable key is derived' })),
  sample: Type.Array(Type.Object({ row: Type.Integer(), category: Type.String(), lon: Type.Number(), lat: Type.Number(), gridCode: Nullable(Type.String()), reportedAt: Timestamp })),
  points: Type.Array(Type.Object({ lon: Type.Number(), lat: Type.Number(), outside: Type.Boolean() }), {
    description: 'Where the rows lie in WGS84 after conversion (the first 2,000 with a position), and whether each is outside the district: drawn on the preview map',
  }),
  crsHint: Type.Optional(CrsHintSchema),
});
export type ImportPreview = Static<typeof ImportPreview>;
export const ImportJob = Type.Object({
  id: Type.String(),
  state: Type.Enum(['running', 'done', 'failed']),
  phase: Type.Enum(['reading', 'validating', 'writing', 'finished']),
  processedRows: Type.Integer(),
  totalRows: Type.Integer(),
  created: Type.Integer(),
  duplicates: Type.Integer(),
  message: Nullable(Type.String()),
  /** The failure's refusal code and parameters (server/shared/refusals.ts), for the web. */
  code: Type.Optional(Nullable(Type.String())),
  params: Type.Optional(Type.Unknown()),
  errors: Type.Array(ImportRowError),
});
export type ImportJob = Static<typeof ImportJob>;

export const IncidentPointFeature = Feature(PointGeometry, Type.Object({ id: Type.Integer() }));
