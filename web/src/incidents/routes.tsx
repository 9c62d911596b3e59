/**
 * The incident pages as lazily loaded routes: deck.gl and the analysis code are fetched only
 * when /incidents or /report is opened, not with the public map.
 */
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { RoleGate } from './RoleGate';

const IncidentsPage = lazy(() => import('./IncidentsPage').then((m) => ({ default: m.IncidentsPage })));
const IncidentReportPage = lazy(() => import('../incident-report/ReportPage').then((m) => ({ default: m.IncidentReportPage })));
const ReportPage = lazy(() => import('../report/ReportPage').then((m) => ({ default: m.ReportPage })));

function Loading() {
  const { t } = useTranslation();
  return <p className="page muted">{t('incidents.loading')}</p>;
}

export function IncidentsRoute() {
  return (
    <RoleGate roles={['analyst', 'admin']}>
      <Suspense fallback={<Loading />}>
        <IncidentsPage />
      </Suspense>
    </RoleGate>
  );
}

export function ReportRoute() {
  return (
    <RoleGate roles={['grid_worker', 'admin']}>
      <Suspense fallback={<Loading />}>
        <ReportPage />
      </Suspense>
    </RoleGate>
  );
}

/** The analyst's printable weekly / monthly report. */
export function IncidentReportRoute() {
  return (
    <RoleGate roles={['analyst', 'admin']}>
      <Suspense fallback={<Loading />}>
        <IncidentReportPage />
      </Suspense>
    </RoleGate>
  );
}
