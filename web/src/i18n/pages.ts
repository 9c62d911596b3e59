/**
 * The pages' own strings, by namespace: each a chunk of its own, fetched with the page that uses it
 * (`loadPageStrings`, called by the lazily loaded routes in app/App.tsx and incidents/routes.tsx),
 * so the public map does not download every staff page's text. The shell's strings (header, login,
 * guards, public map) are in zh-CN.ts / en.ts. Each module holds both languages.
 */
import type * as accountStrings from '../account/strings';
import type * as adminStrings from '../admin/strings';
import type * as areasStrings from '../areas/strings';
import type * as coverageStrings from '../coverage/strings';
import type * as exportsStrings from '../exports/strings';
import type * as importsStrings from '../imports-ui/strings';
import type * as incidentReportStrings from '../incident-report/strings';
import type * as incidentsStrings from '../incidents/strings';
import type * as gridStaffStrings from '../plan/staff-strings';
import type * as populationStrings from '../plan/population-strings';
import type * as planStrings from '../plan/strings';
import type * as registerStrings from '../population/strings';
import type * as setupStrings from '../setup/strings';

/** The pages' namespaces and their Chinese shape (English has the same, checked in each module). */
export interface PageTranslation {
  coverage: typeof coverageStrings.zhCN;
  plan: typeof planStrings.zhCN;
  incidents: typeof incidentsStrings.zhCN;
  incidentReport: typeof incidentReportStrings.zhCN;
  exports: typeof exportsStrings.zhCN;
  imports: typeof importsStrings.zhCN;
  account: typeof accountStrings.zhCN;
  admin: typeof adminStrings.zhCN;
  setup: typeof setupStrings.zhCN;
  gridStaff: typeof gridStaffStrings.zhCN;
  population: typeof populationStrings.zhCN;
  register: typeof registerStrings.zhCN;
  areas: typeof areasStrings.zhCN;
}
export type PageNamespace = keyof PageTranslation;

type Loader = () => Promise<{ zhCN: object; en: object }>;
export const PAGE_STRINGS: Record<PageNamespace, Loader> = {
  coverage: () => import('../coverage/strings'),
  plan: () => import('../plan/strings'),
  incidents: () => import('../incidents/strings'),
  incidentReport: () => import('../incident-report/strings'),
  exports: () => import('../exports/strings'),
  imports: () => import('../imports-ui/strings'),
  account: () => import('../account/strings'),
  admin: () => import('../admin/strings'),
  setup: () => import('../setup/strings'),
  gridStaff: () => import('../plan/staff-strings'),
  population: () => import('../plan/population-strings'),
  register: () => import('../population/strings'),
  areas: () => import('../areas/strings'),
};
