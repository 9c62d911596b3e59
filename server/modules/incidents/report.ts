/**
 * The analyst's weekly / monthly report (周报 / 月报): one period and one area (within the caller's
 * scope), assembled from the same indicator query as /api/incidents/indicators (indicators.sql:
 * 结案率 = closed / due, 按期结案率 = closed on time / due, mean handling time of the incidents
 * closed in the period; 环比 against the period before, 同比 against the same period a year
 * before), the per-grid Gi* of /api/incidents/by-grid, and three report queries of its own
 * (sql/report-*.sql): the trend, the map's outlines and the overdue list.
 */
import type { Queryable } from '../../db/pool.js';
import { badRequest, forbidden, notFound } from '../../shared/errors.js';
import { sqlFile } from '../../shared/sql.js';
import { hierarchyRoot } from '../areas/hierarchy-repository.js';
import { nationalArea } from '../areas/national-list.js';
import type { AnalysisRepository } from './analysis-repository.js';
import type { IncidentsRepository } from './incidents-repository.js';
import { chinaDays, wholeMonths, type Period } from './period.js';
import { OVERDUE_LIST_LIMIT, type ReportLevel, type ReportReply } from './report-schemas.js';

const TREND_SQL = sqlFile(import.meta.url, 'report-trend.sql');
const OVERDUE_SQL = sqlFile(import.meta.url, 'report-overdue.sql');
const MAP_SQL = sqlFile(import.meta.url, 'report-map.sql');

const LEVEL_BY_LENGTH: Record<number, ReportLevel> = { 4: 'city', 6: 'district', 9: 'street', 12: 'community' };
const CHILD_LEVEL: Record<ReportLevel, ReportLevel> = { city: 'district', district: 'street', street: 'community', community: 'grid', grid: 'grid' };
const TOP_GRIDS = 10;
/** Periods up to this many days are charted by day, longer ones by month. */
const MAX_DAILY_TREND_DAYS = 62;
const DAY_MS = 86_400_000;

/** 'week' for 7 China-time days from a Monday, 'month' for one calendar month, else 'custom'. */
export function reportKind(period: Period): 'week' | 'month' | 'custom' {
  if (wholeMonths(period) === 1) return 'month';
  const days = chinaDays(period);
  // Day 0 (1970-01-01) was a Thursday: day d is a Monday when (d + 3) % 7 = 0.
  if (days && days.end - days.first === 7 && (days.first + 3) % 7 === 0) return 'week';
  return 'custom';
}

/** The area a report covers: the one asked for (inside the caller's scope), else the scope, else the whole. */
export async function reportArea(db: Queryable, area: string | null, scope: string | null): Promise<ReportReply['area']> {
  const code = area ?? scope;
  if (code) {
    if (scope && !code.startsWith(scope)) throw forbidden('report.outsideScope', { area: code, scope });
    const { rows } = await db.query<{ name: string }>(`SELECT name FROM admin_area WHERE code = $1`, [code]);
    const name = rows[0]?.name ?? (code.length === 4 ? nationalArea(code)?.name : undefined);
    if (!name) throw badRequest('report.noArea', { area: code });
    return { code, name, level: LEVEL_BY_LENGTH[code.length]! };
  }
  const root = await hierarchyRoot(db);
  if (root.level === null) throw notFound('report.noDistrict');
  if (root.code === '') throw badRequest('report.severalCities');
  return { code: root.code, name: root.name, level: root.level };
}

export async function buildReport(
  db: Queryable,
  analysis: AnalysisRepository,
  incidents: IncidentsRepository,
  q: { period: Period; area: string | null; scope: string | null },
  now: Date = new Date(),
): Promise<ReportReply> {
  const { period, scope } = q;
  const area = await reportArea(db, q.area, scope);
  const childLevel = CHILD_LEVEL[area.level];
  const asOf = new Date(Math.min(period.to.getTime(), now.getTime()));
  const days = (period.to.getTime() - period.from.getTime()) / DAY_MS;
  const trendUnit = days <= MAX_DAILY_TREND_DAYS ? 'day' : 'month';
  const filter = { ...period, categories: null, statuses: null, sources: null, area: area.code, scope };
  const categories = await incidents.categories();

  const [total, byArea, gridRows, byCategory, gi, trend, overdue, map] = await Promise.all([
    analysis.indicators({ period, level: area.level === 'grid' ? 'community' : area.level, categories: null, area: area.code, scope }, now),
    analysis.indicators({ period, level: childLevel, categories: null, area: area.code, scope }, now),
    childLevel === 'grid' ? null : analysis.indicators({ period, level: 'grid', categories: null, area: area.code, scope }, now),
    analysis.indicatorsByCategory({ period, area: area.code, scope }, categories.map((c) => ({ code: c.code, name: c.nameZh })), now),
    analysis.byGrid(filter, 'rook'),
    db.query<{ bucket: string; reported: number; closed: number }>(TREND_SQL, [period.from, period.to, area.code, scope, trendUnit]),
    db.query(OVERDUE_SQL, [asOf, area.code, scope, OVERDUE_LIST_LIMIT]),
    db.query<{ map: string }>(MAP_SQL, [area.code, scope, childLevel === 'grid' ? 'community' : childLevel]),
  ]);

  const totalRow = total.rows.find((r) => r.code === area.code);
  if (!totalRow) throw badRequest('report.noAreaAtLevel', { area: area.code, level: area.level });
  const giByCode = new Map(gi.grids.map((g) => [g.code, g]));
  const topGrids = (gridRows ?? byArea).rows
    .filter((r) => r.current.reported > 0)
    .sort((a, b) => b.current.reported - a.current.reported || a.code.localeCompare(b.code))
    .slice(0, TOP_GRIDS)
    .map((r) => ({ ...r, hotspotClass: giByCode.get(r.code)?.hotspotClass ?? 0 }));
  const outlines = JSON.parse(map.rows[0]!.map) as { grids: { code: string; name: string; geometry: unknown }[]; areas: { code: string; name: string; geometry: unknown }[] };

  const categoryNames: ReportReply['categoryNames'] = {};
  for (const c of categories) {
    categoryNames[c.code] = { zh: c.nameZh, en: c.nameEn };
    for (const s of c.subCategories) categoryNames[s.code] = { zh: s.nameZh, en: s.nameEn };
  }

  return {
    kind: reportKind(period),
    period: total.period,
    previous: total.previous,
    yearAgo: total.yearAgo,
    asOf: asOf.toISOString(),
    generatedAt: now.toISOString(),
    area,
    childLevel,
    total: totalRow,
    byCategory,
    byArea: byArea.rows,
    topGrids,
    trend: { unit: trendUnit, buckets: trend.rows },
    hotspots: {
      method: { contiguity: gi.method.contiguity, units: gi.method.units, mean: gi.method.mean, standardDeviation: gi.method.standardDeviation },
      grids: outlines.grids.map((g) => {
        const s = giByCode.get(g.code);
        return { code: g.code, name: g.name, count: s?.count ?? 0, z: s?.z ?? null, hotspotClass: s?.hotspotClass ?? 0, geometry: g.geometry };
      }),
      areas: outlines.areas,
    },
    overdue: {
      total: Number(overdue.rows[0]?.total ?? 0),
      incidents: overdue.rows.map((r) => ({
        id: Number(r.id),
        externalId: r.external_id,
        category: r.category,
        subCategory: r.sub_category,
        source: r.source,
        status: r.status,
        reportedAt: (r.reported_at as Date).toISOString(),
        dueAt: (r.due_at as Date).toISOString(),
        overdueHours: Number(r.overdue_hours),
        gridCode: r.grid_code,
        gridName: r.grid_name,
        communityName: r.community_name,
        streetName: r.street_name,
      })),
    },
    categoryNames,
  };
}
