/**
 * The incident pages as lazily loaded routes: deck.gl and the analysis code are fetched only
 * when /incidents or /report is opened, not with the public map.
 */
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { withPageStrings } from '../i18n';
import { pageChunk } from '../app/page-chunk';
import { RoleGate } from './RoleGate';

// With the strings of the namespaces each uses (tests/unit/page-strings.test.ts checks the lists).
export const INCIDENT_PAGES = {
  '/incidents': pageChunk(() => withPageStrings(import('./IncidentsPage'), 'incidents', 'exports', 'imports').then((m) => ({ default: m.IncidentsPage }))),
  '/incidents/report': pageChunk(() => withPageStrings(import('../incident-report/ReportPage'), 'incidentReport', 'incidents').then((m) => ({ default: m.IncidentReportPage }))),
  '/report': pageChunk(() => withPageStrings(import('../report/ReportPage'), 'incidents', 'imports').then((m) => ({ default: m.ReportPage }))),
};
const IncidentsPage = lazy(INCIDENT_PAGES['/incidents']);
const IncidentReportPage = lazy(INCIDENT_PAGES['/incidents/report']);
const ReportPage = lazy(INCIDENT_PAGES['/report']);

function Loading() {
  const { t } = useTranslation();
  return <p className="page muted" role="status">{t('app.loadingPage')}</p>;
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
