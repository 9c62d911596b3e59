/**
 * What a page still lacks on a fresh install, and the step that supplies it: one notice fed by
 * GET /api/setup-state (staff) or GET /api/areas/root (the public map). A page names what it
 * needs; the first of those that is missing is shown with its link, nothing when all is there.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import type { HierarchyRoot, SetupState } from '../../../server/modules/areas/schemas';
import { api } from '../api/client';
import { useApi } from '../api/useApi';
import { useSession } from './session';
import './empty-state.css';

export type { HierarchyRoot, SetupState };

/** What a page can need, in the order a bureau supplies them. */
export type Need = 'areas' | 'outlines' | 'grids' | 'facilities' | 'population' | 'incidents' | 'linkedGrid';

export const fetchSetupState = (signal?: AbortSignal) => api.get<SetupState>('/api/setup-state', { signal });
export const fetchHierarchyRoot = (signal?: AbortSignal) => api.get<HierarchyRoot>('/api/areas/root', { signal });

/** The first missing need, or null. */
export function missingNeed(state: SetupState, needs: readonly Need[]): Need | null {
  const areaCount = state.areas.city.total + state.areas.district.total + state.areas.street.total + state.areas.community.total;
  const outlines = state.areas.city.withOutline + state.areas.district.withOutline + state.areas.street.withOutline + state.areas.community.withOutline;
  const missing: Record<Need, boolean> = {
    areas: state.areas.district.total === 0 && state.areas.city.total === 0,
    outlines: areaCount > 0 && outlines === 0,
    grids: state.grids === 0,
    facilities: state.facilities === 0,
    population: state.buildings === 0,
    incidents: state.incidents === 0,
    linkedGrid: state.linkedGrids === 0,
  };
  // Without areas nothing else can be supplied: say that first whatever the page needs.
  if (missing.areas && needs.length > 0) return 'areas';
  return needs.find((n) => missing[n]) ?? null;
}

/** The link to the step that supplies what is missing; none when that step is this very page. */
function StepLink({ to, children }: { to: string; children: ReactNode }) {
  const { pathname } = useLocation();
  return pathname === to ? null : <Link to={to}>{children}</Link>;
}

function Notice({ children, testId }: { children: ReactNode; testId: string }) {
  const { t } = useTranslation();
  return (
    <aside className="empty-state" role="status" aria-label={t('emptyState.label')} data-testid={testId}>
      {children}
    </aside>
  );
}

/** The notice for a staff page. `reloadKey` re-asks after the page itself added something. */
export function EmptyState({ needs, reloadKey = 0 }: { needs: readonly Need[]; reloadKey?: number }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const { pathname } = useLocation();
  const state = useApi((signal) => fetchSetupState(signal), [reloadKey], !!user);
  if (!state.data) return null;
  const need = missingNeed(state.data, needs);
  if (!need) return null;
  const s = state.data;
  const areaCount = s.areas.district.total + s.areas.street.total + s.areas.community.total + s.areas.city.total;
  switch (need) {
    case 'areas':
      return (
        <Notice testId="empty-areas">
          {t('emptyState.noAreas')} <StepLink to="/areas">{t('emptyState.noAreasLink')}</StepLink>
        </Notice>
      );
    case 'outlines':
      return (
        <Notice testId="empty-outlines">
          {t('emptyState.noOutlines', { areas: areaCount })}{' '}
          {pathname !== '/areas' && pathname !== '/plan' ? (
            <>
              <Link to="/areas">{t('emptyState.noOutlinesImport')}</Link> · <Link to="/plan">{t('emptyState.noOutlinesDraw')}</Link>
            </>
          ) : (
            <StepLink to={pathname === '/areas' ? '/plan' : '/areas'}>{t(pathname === '/areas' ? 'emptyState.noOutlinesDraw' : 'emptyState.noOutlinesImport')}</StepLink>
          )}
        </Notice>
      );
    case 'grids':
      return (
        <Notice testId="empty-grids">
          {t('emptyState.noGrids')} <StepLink to="/plan">{t('emptyState.noGridsLink')}</StepLink>
        </Notice>
      );
    case 'facilities':
      return (
        <Notice testId="empty-facilities">
          {t('emptyState.noFacilities')} <StepLink to="/facilities">{t('emptyState.noFacilitiesLink')}</StepLink>
        </Notice>
      );
    case 'population':
      return <Notice testId="empty-population">{t('emptyState.noPopulation')}</Notice>;
    case 'incidents':
      return <Notice testId="empty-incidents">{t('emptyState.noIncidents')}</Notice>;
    case 'linkedGrid':
      return <Notice testId="empty-linked-grid">{t('emptyState.noLinkedGrid')}</Notice>;
  }
}

/** The public map's notice: no district yet, or no station to show. */
export function PublicEmptyState({ facilityCount }: { facilityCount: number | null }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const root = useHierarchyRoot();
  if (root === undefined) return null;
  if (root === null || root.level === null) {
    return (
      <Notice testId="empty-areas">
        {t('emptyState.noAreasPublic')} {user && (user.role === 'admin' || user.role === 'planner') ? <Link to="/areas">{t('emptyState.noAreasLink')}</Link> : null}
      </Notice>
    );
  }
  if (facilityCount === 0) return <Notice testId="empty-facilities">{t('emptyState.noFacilitiesPublic')}</Notice>;
  return null;
}

const RootContext = createContext<{ root: HierarchyRoot | null | undefined; reload(): void } | null>(null);

/** Holds the top of the hierarchy for every page (asked once; reloaded after the areas change). */
export function HierarchyRootProvider({ children }: { children: ReactNode }) {
  const [attempt, setAttempt] = useState(0);
  const [root, setRoot] = useState<HierarchyRoot | null | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    fetchHierarchyRoot(controller.signal).then(
      (r) => setRoot(r),
      () => !controller.signal.aborted && setRoot(null),
    );
    return () => controller.abort();
  }, [attempt]);
  return <RootContext.Provider value={{ root, reload: () => setAttempt((n) => n + 1) }}>{children}</RootContext.Provider>;
}

/** The top of the hierarchy; undefined while asking, null when the server could not say. */
export function useHierarchyRoot(): HierarchyRoot | null | undefined {
  return useContext(RootContext)?.root;
}

export function useReloadHierarchyRoot(): () => void {
  return useContext(RootContext)?.reload ?? (() => {});
}

/** "全市" for a city with its districts, "全区" for one district: what the whole is called. */
export function useWholeName(): string {
  const { t } = useTranslation();
  const root = useHierarchyRoot();
  return root?.level === 'city' ? t('scope.city') : root?.level === 'district' ? t('scope.district') : t('scope.district');
}
