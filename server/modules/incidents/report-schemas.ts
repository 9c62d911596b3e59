/**
 * The analyst's weekly / monthly report (周报 / 月报) contract: one period and area, the closed-loop
 * indicators with 环比 and 同比, by category and by the areas one level down, the top grids, the
 * trend, the hotspot map's grids and the overdue list. The web's report page and the workbook
 * read the same reply.
 */
import { Type, type Static } from 'typebox';
import { AnalysisFilterQuery, IncidentSourceSchema, IncidentStatusSchema, IndicatorRow } from './schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Timestamp = Type.String({ description: 'ISO 8601 with offset' });
const PeriodSchema = Type.Object({ from: Timestamp, to: Timestamp });

export const REPORT_LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;
export const ReportLevel = Type.Enum(REPORT_LEVELS);
export type ReportLevel = Static<typeof ReportLevel>;

export const ReportQuery = Type.Object({
  from: AnalysisFilterQuery.from,
  to: AnalysisFilterQuery.to,
  area: Type.Optional(Type.String({ pattern: '^([0-9]{6}|[0-9]{9}|[0-9]{12})$', description: 'District, street or community code; default the caller’s scope or the whole' })),
});
export type ReportQuery = Static<typeof ReportQuery>;

export const OVERDUE_LIST_LIMIT = 1000;

export const ReportReply = Type.Object({
  /** 'week': 7 China-time days from a Monday; 'month': one calendar month; else 'custom'. */
  kind: Type.Enum(['week', 'month', 'custom']),
  period: PeriodSchema,
  previous: PeriodSchema,
  yearAgo: PeriodSchema,
  /** The figures are as of this instant (the period's end, or the time of the report if earlier). */
  asOf: Timestamp,
  generatedAt: Timestamp,
  area: Type.Object({ code: Type.String(), name: Type.String(), level: ReportLevel }),
  /** The level of the byArea rows: one below the area's. */
  childLevel: ReportLevel,
  total: IndicatorRow,
  byCategory: Type.Array(IndicatorRow),
  byArea: Type.Array(IndicatorRow),
  /** The ten grids with most incidents reported in the period (their indicators and Gi* class). */
  topGrids: Type.Array(Type.Intersect([IndicatorRow, Type.Object({ hotspotClass: Type.Integer() })])),
  trend: Type.Object({
    unit: Type.Enum(['day', 'month']),
    buckets: Type.Array(Type.Object({ bucket: Type.String({ description: 'YYYY-MM-DD or YYYY-MM, China time' }), reported: Type.Integer(), closed: Type.Integer() })),
  }),
  hotspots: Type.Object({
    method: Type.Object({ contiguity: Type.String(), units: Type.Integer(), mean: Type.Number(), standardDeviation: Type.Number() }),
    grids: Type.Array(
      Type.Object({
        code: Type.String(),
        name: Type.String(),
        count: Type.Integer(),
        z: Nullable(Type.Number()),
        hotspotClass: Type.Integer({ minimum: -3, maximum: 3 }),
        geometry: Type.Unknown({ description: 'GeoJSON (Multi)Polygon, simplified for print' }),
      }),
    ),
    /** Outlines of the areas one level down (or of the community itself), for orientation. */
    areas: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), geometry: Type.Unknown() })),
  }),
  overdue: Type.Object({
    /** All open incidents past their deadline as of asOf; the list holds at most 1,000 of them. */
    total: Type.Integer(),
    incidents: Type.Array(
      Type.Object({
        id: Type.Integer(),
        externalId: Nullable(Type.String()),
        category: Type.String(),
        subCategory: Nullable(Type.String()),
        source: IncidentSourceSchema,
        status: IncidentStatusSchema,
        reportedAt: Timestamp,
        dueAt: Timestamp,
        overdueHours: Type.Number(),
        gridCode: Nullable(Type.String()),
        gridName: Nullable(Type.String()),
        communityName: Nullable(Type.String()),
        streetName: Nullable(Type.String()),
      }),
    ),
  }),
  /** Category names (top-level and sub-categories), Chinese and English, for the tables. */
  categoryNames: Type.Record(Type.String(), Type.Object({ zh: Type.String(), en: Type.String() })),
});
export type ReportReply = Static<typeof ReportReply>;
