import { lazy, Suspense } from 'react';
import { withPageStrings } from '../i18n';
import { loadPublicMapPage } from './public-map-loader';
import { BrowserRouter, Route, Routes } from 'react-router';
import { HierarchyRootProvider } from './EmptyState';
import { DemoBanner } from './DemoBanner';
import { SetupGuard } from './guards';
import { Header } from './Header';
import { INCIDENT_PAGES, IncidentReportRoute, IncidentsRoute, ReportRoute } from '../incidents/routes';
import { pageChunk } from './page-chunk';
import { LoginPage } from './LoginPage';
import { NotFoundPage, PageLoading } from './NotFoundPage';
import { SessionProvider } from './session';
import './app.css';

// Each page is a chunk of its own, fetched when its route is opened, with the strings of the
// namespaces it uses (i18n/pages.ts; tests/unit/page-strings.test.ts checks the lists): a page
// loads only what it uses (MapLibre and deck.gl come with the map pages, not with /admin/users).
const PAGES = {
  '/': pageChunk(() => loadPublicMapPage().then((m) => ({ default: m.PublicMapPage }))),
  '/setup': pageChunk(() => withPageStrings(import('../setup/SetupPage'), 'account', 'setup').then((m) => ({ default: m.SetupPage }))),
  '/areas': pageChunk(() => withPageStrings(import('../areas/AreasPage'), 'areas', 'imports').then((m) => ({ default: m.AreasPage }))),
  '/plan': pageChunk(() => withPageStrings(import('../plan/PlanPage'), 'plan', 'exports', 'gridStaff', 'imports', 'population', 'register').then((m) => ({ default: m.PlanPage }))),
  '/coverage': pageChunk(() => withPageStrings(import('../coverage/CoveragePage'), 'coverage', 'exports', 'imports').then((m) => ({ default: m.CoveragePage }))),
  '/facilities': pageChunk(() => withPageStrings(import('../facilities-admin/FacilitiesAdminPage'), 'coverage', 'exports', 'imports').then((m) => ({ default: m.FacilitiesAdminPage }))),
  '/account': pageChunk(() => withPageStrings(import('../account/AccountPage'), 'account').then((m) => ({ default: m.AccountPage }))),
  '/admin/users': pageChunk(() => withPageStrings(import('../admin/UsersPage'), 'admin', 'imports').then((m) => ({ default: m.UsersPage }))),
  '/admin/audit': pageChunk(() => withPageStrings(import('../admin/AuditPage'), 'admin').then((m) => ({ default: m.AuditPage }))),
  ...INCIDENT_PAGES,
};
const PublicMapPage = lazy(PAGES['/']);
const SetupPage = lazy(PAGES['/setup']);
const AreasPage = lazy(PAGES['/areas']);
const PlanPage = lazy(PAGES['/plan']);
const CoveragePage = lazy(PAGES['/coverage']);
const FacilitiesAdminPage = lazy(PAGES['/facilities']);
const AccountPage = lazy(PAGES['/account']);
const UsersPage = lazy(PAGES['/admin/users']);
const AuditPage = lazy(PAGES['/admin/audit']);

/**
 * Starts fetching the chunk of the page at `pathname` (and its strings) at once, before React has
 * rendered and before the session is known (main.tsx): a map page's code then loads beside the
 * first API requests instead of after them.
 */
export function preloadPage(pathname: string) {
  const load = (PAGES as Record<string, (() => Promise<unknown>) | undefined>)[pathname];
  void load?.().catch(() => {});
}

/**
 * The routes. Later pages (/plan grid planning, /coverage service coverage, /incidents incident
 * analysis, /report grid-worker reports) each get a feature folder under web/src/, a <Route> here
 * and an entry in the header's NAV_ITEMS.
 */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <HierarchyRootProvider>
        <div className="app">
          <DemoBanner />
          <Header />
          <main className="app__main" id="main">
            <SetupGuard>
              <Suspense fallback={<PageLoading />}>
              <Routes>
                <Route path="/" element={<PublicMapPage />} />
                <Route path="/login" element={<LoginPage />} />
                <Route path="/setup" element={<SetupPage />} />
                <Route path="/areas" element={<AreasPage />} />
                <Route path="/plan" element={<PlanPage />} />
                <Route path="/coverage" element={<CoveragePage />} />
                <Route path="/facilities" element={<FacilitiesAdminPage />} />
                <Route path="/incidents" element={<IncidentsRoute />} />
                <Route path="/incidents/report" element={<IncidentReportRoute />} />
                <Route path="/report" element={<ReportRoute />} />
                <Route path="/account" element={<AccountPage />} />
                <Route path="/admin/users" element={<UsersPage />} />
                <Route path="/admin/audit" element={<AuditPage />} />
                <Route path="*" element={<NotFoundPage />} />
              </Routes>
              </Suspense>
            </SetupGuard>
          </main>
        </div>
        </HierarchyRootProvider>
      </SessionProvider>
    </BrowserRouter>
  );
}
