/** The report's figures and its workbook (types from the server's schemas). */
import type { ReportReply } from '../../../server/modules/incidents/report-schemas';
import { api, buildUrl } from '../api/client';

export type { ReportReply };
export interface ReportParams {
  /** ISO dates, China time; `to` exclusive (the API's form). */
  from: string;
  to: string;
  area: string | null;
}

const query = (p: ReportParams) => ({ from: p.from, to: p.to, area: p.area ?? undefined });

export const fetchReport = (p: ReportParams, signal?: AbortSignal) => api.get<ReportReply>('/api/incidents/report', { query: query(p), signal });
export const workbookUrl = (p: ReportParams) => buildUrl('/api/incidents/report/workbook', query(p));
