import { Suspense } from 'react';
import { AccountPage } from '../account/AccountPage';
import { AuditPage } from '../admin/AuditPage';
import { UsersPage } from '../admin/UsersPage';
import { AreasPage } from '../areas/AreasPage';
import { CoveragePage } from '../coverage/CoveragePage';
import { FacilitiesAdminPage } from '../facilities-admin/FacilitiesAdminPage';
import { PlanPage } from '../plan/PlanPage';
import { PublicMapPage } from '../public-map/PublicMapPage';
import { SetupPage } from '../setup/SetupPage';
import { BrowserRouter, Route, Routes } from 'react-router';
import { HierarchyRootProvider } from './EmptyState';
import { DemoBanner } from './DemoBanner';
import { SetupGuard } from './guards';
import { Header } from './Header';
import { IncidentReportRoute, IncidentsRoute, ReportRoute } from '../incidents/routes';
import { LoginPage } from './LoginPage';
import { NotFoundPage, PageLoading } from './NotFoundPage';
import { SessionProvider } from './session';
import './app.css';

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
