/**
 * The analyst's report: GET /api/incidents/report (the figures, for the printable page) and
 * GET /api/incidents/report/workbook (the same as an Excel workbook). Analysts and admins only,
 * within their own scope; the workbook is rate-limited as an export.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Pool } from '../../db/pool.js';
import { ErrorReply } from '../../shared/geojson-schemas.js';
import { rateLimit } from '../../shared/rate-limits.js';
import type { Role } from '../auth/roles.js';
import { createAnalysisRepository } from './analysis-repository.js';
import { createIncidentsRepository } from './incidents-repository.js';
import { parsePeriod } from './period.js';
import { buildReport } from './report.js';
import { ReportQuery, ReportReply } from './report-schemas.js';
import { chinaDay, KIND_TITLES, reportWorkbook } from './report-workbook.js';

const ANALYSTS: readonly Role[] = ['analyst', 'admin'];

export const reportRoutes: FastifyPluginAsyncTypebox<{ pool: Pool; expensiveRatePerMinute: number }> = async (app, { pool, expensiveRatePerMinute }) => {
  const analysis = createAnalysisRepository(pool);
  const incidents = createIncidentsRepository(pool);
  const reportOf = (q: ReportQuery, scope: string | null) => buildReport(pool, analysis, incidents, { period: parsePeriod(q.from, q.to), area: q.area ?? null, scope });

  app.get(
    '/api/incidents/report',
    {
      config: { access: { roles: ANALYSTS }, rateLimit: rateLimit(expensiveRatePerMinute, 'interactive') },
      schema: {
        tags: ['incidents'],
        summary:
          'The weekly/monthly report of a period (China time) and an area within the caller’s scope: 受理, 结案率, 按期结案率, mean handling time with 环比/同比, ' +
          'by category and by the areas one level down, the top grids, the trend, the Gi* hotspot grids with outlines, and the overdue list (no personal data)',
        querystring: ReportQuery,
        response: { 200: ReportReply, 400: ErrorReply, 403: ErrorReply, 404: ErrorReply },
      },
    },
    async (request) => reportOf(request.query, request.user!.scopeAreaCode),
  );

  app.get(
    '/api/incidents/report/workbook',
    {
      config: { access: { roles: ANALYSTS }, rateLimit: rateLimit(expensiveRatePerMinute) },
      schema: {
        tags: ['incidents'],
        summary: 'The report as an Excel workbook: a cover sheet and one sheet per table, Chinese headers, China-time dates',
        querystring: ReportQuery,
        response: { 400: ErrorReply, 403: ErrorReply, 404: ErrorReply },
      },
    },
    async (request, reply) => {
      const report = await reportOf(request.query, request.user!.scopeAreaCode);
      const bytes = await reportWorkbook(report, request.user!.username);
      const first = chinaDay(report.period.from);
      const last = chinaDay(report.period.to, true);
      const name = `${report.area.name}事件${KIND_TITLES[report.kind]}-${first}至${last}.xlsx`;
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('Content-Disposition', `attachment; filename="incident-report-${report.area.code}-${first}-${last}.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .send(bytes as never);
    },
  );
};
