/**
 * `/coverage`: who the 15-minute service circles reach. The page owns the scenario (types that
 * count, population, what-if proposals and removals), asks the server for the figures and gaps,
 * and hands them to the map, the summary and the table. Nothing here is saved.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { saveBlob } from '../api/client';
import { fetchAreas, fetchClientConfig, fetchFacilityTypes, type FacilityTypeCode } from '../api/endpoints';
import { useApi } from '../api/useApi';
import { useSession } from '../app/session';
import { describeError } from '../i18n/describe-error';
import type { BasemapSettings } from '../map/basemap';
import type { LonLat, MapView } from '../map/MapView';
import { FACILITY_COLOURS } from '../public-map/facility-colours';
import { useFacilityTypeName } from '../public-map/facility-types';
import type { Role } from '../../../server/modules/auth/roles';
import { AreaTable } from './AreaTable';
import { NetworkComparison } from './NetworkComparison';
import { downloadExcel, fetchCoverage, type Level, type Proposal, type Scenario, type SitingResult } from './coverage-api';
import { CoverageMap } from './CoverageMap';
import { GAP_AREA_COLOUR, GAP_COLOUR, PROPOSAL_COLOUR, SHARE_COLOURS, type LayerVisibility, type MapMode } from './CoverageLayers';
import { composeMapImage } from './export-image';
import { zipGeoreferencedPng } from '../exports/georeferenced-png';
import { formatCount, formatShare, formatSignedCount, formatSignedPoints } from './format';
import { SitingPanel } from './SitingPanel';
import './coverage.css';
import { ErrorMessage } from '../app/ErrorMessage';
import { EmptyState, useWholeName } from '../app/EmptyState';

export const COVERAGE_ROLES: readonly Role[] = ['planner', 'analyst', 'admin'];
const OFFLINE_BASEMAP: BasemapSettings = { tiandituKey: null, styleUrl: null };
const ELDERLY_TYPES: FacilityTypeCode[] = ['day_care_centre', 'home_elderly_care_station'];
type Population = Scenario['population'];
type TableLevel = Exclude<Level, 'district'>;

export function CoveragePage() {
  const { user } = useSession();
  const { t } = useTranslation();
  if (user === undefined) return <p className="coverage-muted coverage-page-note">{t('coverage.summary.loading')}</p>;
  if (user === null) return <Navigate to="/login" replace />;
  if (!COVERAGE_ROLES.includes(user.role)) return <p className="coverage-page-note" role="alert">{t('coverage.notAllowed')}</p>;
  return <CoverageWorkspace />;
}

function CoverageWorkspace() {
  const { t } = useTranslation();
  const whole = useWholeName();
  const ids = { population: useId(), level: useId(), proposedType: useId() };

  const config = useApi((signal) => fetchClientConfig(signal), []);
  const basemap = useMemo<BasemapSettings | null>(() => (config.data ? config.data.basemap : config.error ? OFFLINE_BASEMAP : null), [config.data, config.error]);
  const types = useApi((signal) => fetchFacilityTypes(signal), []);
  const typeName = useFacilityTypeName(types.data);
  const district = useApi((signal) => fetchAreas('district', signal), []);

  // --- The scenario ------------------------------------------------------------------------------
  const [facilityTypes, setFacilityTypes] = useState<FacilityTypeCode[]>(ELDERLY_TYPES);
  const [population, setPopulation] = useState<Population>('age60');
  const [level, setLevel] = useState<TableLevel>('community');
  const [proposals, setProposals] = useState<Proposal[]>([]);
  const [removed, setRemoved] = useState<number[]>([]);
  const [proposedType, setProposedType] = useState<FacilityTypeCode>('home_elderly_care_station');
  const [mode, setMode] = useState<MapMode>('inspect');
  const whatIf = proposals.length > 0 || removed.length > 0;

  const [distance, setDistance] = useState<'default' | 'network' | 'straight_line'>('default');
  const baseScenario = useMemo<Scenario>(() => ({ facilityTypes, population, ...(distance === 'default' ? {} : { distance }) }), [facilityTypes, population, distance]);
  const scenario = useMemo<Scenario>(
    () => ({ facilityTypes, population, proposals, removedFacilityIds: removed, ...(distance === 'default' ? {} : { distance }) }),
    [facilityTypes, population, proposals, removed, distance],
  );
  const hasTypes = facilityTypes.length > 0;
  const baseline = useApi((signal) => fetchCoverage(baseScenario, signal), [baseScenario], hasTypes);
  const withWhatIf = useApi((signal) => fetchCoverage(scenario, signal), [scenario], hasTypes && whatIf);
  const current = whatIf ? withWhatIf : baseline;
  const result = hasTypes ? current.data : null;

  const rows = result ? (level === 'grid' ? result.grids : level === 'community' ? result.communities : result.streets) : null;

  // --- Selection, layers ----------------------------------------------------------------------------
  const [selectedCode, setSelectedCode] = useState<string | null>(null);
  const [frameSeq, setFrameSeq] = useState(0);
  const [visibility, setVisibility] = useState<LayerVisibility>({ choropleth: true, serviceAreas: true, gaps: true, facilities: true });
  const [siting, setSiting] = useState<SitingResult | null>(null);
  const viewRef = useRef<MapView | null>(null);
  const selectedRow = rows?.find((r) => r.code === selectedCode) ?? null;

  useEffect(() => setSelectedCode(null), [level]);

  const locate = useCallback((code: string) => {
    setSelectedCode(code);
    setFrameSeq((n) => n + 1);
  }, []);

  const onMapClick = useCallback(
    (lngLat: LonLat) => {
      setProposals((list) => [...list, { lon: Number(lngLat[0].toFixed(6)), lat: Number(lngLat[1].toFixed(6)), facilityType: proposedType }]);
    },
    [proposedType],
  );
  const onFacilityClick = useCallback(
    (id: number) => {
      if (mode !== 'remove') return;
      setRemoved((list) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id]));
    },
    [mode],
  );

  // Changing which types count makes earlier removals meaningless.
  const toggleType = (code: FacilityTypeCode, on: boolean) => {
    setRemoved([]);
    setSiting(null);
    setFacilityTypes((list) => (on ? [...list, code] : list.filter((c) => c !== code)));
  };

  const applySuggestions = (siteResult: SitingResult) => {
    setProposals((list) => [...list, ...siteResult.suggestions.map((s) => ({ lon: s.lon, lat: s.lat, facilityType: siteResult.facilityType, label: s.label }))]);
  };

  // --- Export -----------------------------------------------------------------------------------------
  const [exporting, setExporting] = useState<'excel' | 'image' | 'georeferenced' | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const day = new Date().toISOString().slice(0, 10);
  const populationLabel = t(`coverage.scenario.populations.${population}`);
  const exportExcel = async () => {
    setExporting('excel');
    setExportError(null);
    try {
      await downloadExcel(scenario, `${t('coverage.nav')}-${day}.xlsx`);
    } catch (failure) {
      setExportError(t('coverage.export.failed', { message: describeError(failure, t) }));
    } finally {
      setExporting(null);
    }
  };
  const exportImage = async (georeferenced = false) => {
    const view = viewRef.current;
    if (!view || !result) return;
    setExporting(georeferenced ? 'georeferenced' : 'image');
    setExportError(null);
    try {
      const title = t('coverage.export.imageTitle', { population: populationLabel, share: formatShare(result.district.share), types: facilityTypes.map(typeName).join('、') });
      const subtitle = [result.district.name, t(`coverage.scenario.levels.${level}`), whatIf ? t('coverage.whatIf.title') : null, day].filter(Boolean).join(' · ');
      const legend = [
        { colour: SHARE_COLOURS.below50, label: t('coverage.legend.below50') },
        { colour: SHARE_COLOURS.from50, label: t('coverage.legend.from50') },
        { colour: SHARE_COLOURS.from80, label: t('coverage.legend.from80') },
        { colour: SHARE_COLOURS.from90, label: t('coverage.legend.from90') },
        { colour: GAP_AREA_COLOUR, label: t('coverage.legend.gapArea') },
        { colour: GAP_COLOUR, label: t('coverage.legend.uncoveredBuilding') },
      ];
      const { png, georeference } = await composeMapImage(view, title, subtitle, legend);
      const name = `${t('coverage.nav')}-${day}`;
      if (georeferenced) saveBlob(await zipGeoreferencedPng(png, georeference, name), `${name}-png-pgw.zip`);
      else saveBlob(png, `${name}.png`);
    } catch (failure) {
      setExportError(t('coverage.export.failed', { message: describeError(failure, t) }));
    } finally {
      setExporting(null);
    }
  };

  const base = baseline.data;
  const delta = whatIf && result && base ? result.district.covered - base.district.covered : null;
  const deltaPoints = whatIf && result && base && result.district.share !== null && base.district.share !== null ? (result.district.share - base.district.share) * 100 : null;
  const communitiesBelow = result?.communities.filter((c) => c.meetsTarget === false).length ?? 0;
  const facilityNames = useMemo(() => new Map((result?.gaps.facilities.features ?? []).map((f) => [f.properties.id, f.properties.name])), [result]);
  const typeRadius = (code: FacilityTypeCode) => types.data?.find((x) => x.code === code)?.serviceRadiusMeters ?? 1000;

  return (
    <div className="coverage-page">
      <aside className="coverage-panel" aria-label={t('coverage.title')}>
        <section className="coverage-section">
          <h1 className="coverage-title">{t('coverage.title')}</h1>
          <p className="coverage-muted">{t('coverage.intro')}</p>
          <EmptyState needs={['outlines', 'facilities', 'population']} />
        </section>

        <section className="coverage-section">
          <h2 className="coverage-section__title">{t('coverage.scenario.title')}</h2>
          <fieldset className="coverage-fieldset">
            <legend>{t('coverage.scenario.types')}</legend>
            <div className="button-row">
              <button type="button" className="button button--small" onClick={() => (setRemoved([]), setFacilityTypes(ELDERLY_TYPES))}>
                {t('coverage.scenario.presetElderly')}
              </button>
              <button type="button" className="button button--small" onClick={() => (setRemoved([]), setFacilityTypes((types.data ?? []).map((x) => x.code)))}>
                {t('coverage.scenario.presetAll')}
              </button>
            </div>
            <ul className="coverage-types">
              {(types.data ?? []).map((type) => (
                <li key={type.code}>
                  <label className="coverage-check">
                    <input type="checkbox" checked={facilityTypes.includes(type.code)} onChange={(e) => toggleType(type.code, e.target.checked)} />
                    <span className="coverage-swatch" style={{ background: FACILITY_COLOURS[type.code] }} aria-hidden="true" />
                    <span>{typeName(type.code)}</span>
                    <span className="coverage-muted">{t('coverage.scenario.radius', { radius: type.serviceRadiusMeters })}</span>
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <div className="coverage-grid-2">
            <label className="coverage-field" htmlFor={ids.population}>
              <span>{t('coverage.scenario.population')}</span>
              <select id={ids.population} value={population} onChange={(e) => (setSiting(null), setPopulation(e.target.value as Population))}>
                {(['all', 'age60', 'age80'] as const).map((p) => (
                  <option key={p} value={p}>
                    {t(`coverage.scenario.populations.${p}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="coverage-field" htmlFor={ids.level}>
              <span>{t('coverage.scenario.level')}</span>
              <select id={ids.level} value={level} onChange={(e) => setLevel(e.target.value as TableLevel)}>
                {(['grid', 'community', 'street'] as const).map((l) => (
                  <option key={l} value={l}>
                    {t(`coverage.scenario.levels.${l}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </section>

        <section className="coverage-section coverage-summary" aria-live="polite" aria-busy={current.loading}>
          <h2 className="coverage-section__title">{t('coverage.summary.title', { whole })}</h2>
          {current.error ? (
            <p className="error" role="alert">
              {describeError(current.error, t)}
            </p>
          ) : null}
          {result ? (
            <>
              <p className="coverage-big" data-testid="district-share">
                {formatShare(result.district.share)}
                <span className={`coverage-badge ${result.district.meetsTarget ? 'is-meets' : 'is-below'}`}>
                  {result.district.meetsTarget ? t('coverage.summary.meets') : t('coverage.summary.below')}
                </span>
              </p>
              <TargetBar share={result.district.share} target={result.district.target} line={result.targets.line} lineLabel={t('coverage.summary.line')} />
              <p>{t('coverage.summary.covered', { covered: formatCount(result.district.covered), population: formatCount(result.district.population) })}</p>
              <p>{t('coverage.summary.uncovered', { uncovered: formatCount(result.district.uncovered), buildings: formatCount(result.district.uncoveredBuildings) })}</p>
              <p className="coverage-muted">{t('coverage.summary.target', { target: formatShare(result.district.target) })}</p>
              {result.district.estimatedPopulation ? (
                <p className="coverage-muted" role="note">{t('coverage.summary.estimated', { population: formatCount(result.district.estimatedPopulation) })}</p>
              ) : null}
              {result.districts.length > 1 ? (
                <table className="coverage-districts" aria-label={t('coverage.summary.byDistrict')}>
                  <tbody>
                    {result.districts.map((d) => (
                      <tr key={d.code}>
                        <th scope="row">{d.name}</th>
                        <td>{formatShare(d.share)}</td>
                        <td>{t('coverage.summary.covered', { covered: formatCount(d.covered), population: formatCount(d.population) })}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
              <p className="coverage-muted">
                {t('coverage.summary.facilities', { count: result.countingFacilities + result.proposals })} · {t('coverage.summary.communitiesBelow', { count: communitiesBelow })} ·{' '}
                {current.loading ? t('coverage.summary.loading') : t('coverage.summary.elapsed', { ms: result.elapsedMs })}
              </p>
              {delta !== null && deltaPoints !== null && (
                <p className={`coverage-delta ${delta > 0 ? 'is-up' : delta < 0 ? 'is-down' : ''}`} data-testid="what-if-delta">
                  {t('coverage.summary.change', { delta: formatSignedCount(delta), points: formatSignedPoints(deltaPoints) })}
                </p>
              )}
            </>
          ) : (
            hasTypes && <p className="coverage-muted">{t('coverage.summary.loading')}</p>
          )}
        </section>

        <section className="coverage-section">
          <h2 className="coverage-section__title">{t('coverage.whatIf.title')}</h2>
          <p className="coverage-muted">{t('coverage.whatIf.intro')}</p>
          <label className="coverage-field" htmlFor={ids.proposedType}>
            <span>{t('coverage.whatIf.proposedType')}</span>
            <select id={ids.proposedType} value={proposedType} onChange={(e) => setProposedType(e.target.value as FacilityTypeCode)}>
              {(types.data ?? []).map((type) => (
                <option key={type.code} value={type.code}>
                  {t('coverage.scenario.typeWithRadius', { type: typeName(type.code), radius: type.serviceRadiusMeters })}
                </option>
              ))}
            </select>
          </label>
          <div className="button-row">
            <button type="button" className="button" aria-pressed={mode === 'add'} onClick={() => setMode(mode === 'add' ? 'inspect' : 'add')}>
              {mode === 'add' ? t('coverage.whatIf.stop') : t('coverage.whatIf.add')}
            </button>
            <button type="button" className="button" aria-pressed={mode === 'remove'} onClick={() => setMode(mode === 'remove' ? 'inspect' : 'remove')}>
              {mode === 'remove' ? t('coverage.whatIf.stop') : t('coverage.whatIf.remove')}
            </button>
          </div>
          <CoordinateEntry onAdd={onMapClick} />
          {!whatIf && <p className="coverage-muted">{t('coverage.whatIf.none')}</p>}
          {proposals.length > 0 && (
            <>
              <h3 className="coverage-subtitle">{t('coverage.whatIf.proposals')}</h3>
              <ul className="coverage-list">
                {proposals.map((p, i) => (
                  <li key={`${i}-${p.lon}-${p.lat}`}>
                    <span>{p.label ?? t('coverage.whatIf.proposal', { n: i + 1, type: typeName(p.facilityType), radius: typeRadius(p.facilityType) })}</span>
                    <button type="button" className="button button--small button--quiet" onClick={() => setProposals((list) => list.filter((_, j) => j !== i))}>
                      {t('coverage.whatIf.removeItem')}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          {removed.length > 0 && (
            <>
              <h3 className="coverage-subtitle">{t('coverage.whatIf.removed')}</h3>
              <ul className="coverage-list">
                {removed.map((id) => (
                  <li key={id}>
                    <span>{facilityNames.get(id) ?? `#${id}`}</span>
                    <button type="button" className="button button--small button--quiet" onClick={() => setRemoved((list) => list.filter((x) => x !== id))}>
                      {t('coverage.whatIf.restore')}
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
          {whatIf && (
            <button type="button" className="button button--small" onClick={() => (setProposals([]), setRemoved([]))}>
              {t('coverage.whatIf.clear')}
            </button>
          )}
        </section>

        {types.data && <SitingPanel scenario={scenario} types={types.data} typeName={typeName} result={siting} onResult={setSiting} onApply={applySuggestions} />}

        <section className="coverage-section">
          <h2 className="coverage-section__title">{t('coverage.network.title')}</h2>
          <label className="coverage-field">
            <span>{t('coverage.network.method')}</span>
            <select value={distance} onChange={(e) => setDistance(e.target.value as typeof distance)}>
              <option value="default">{t('coverage.network.methods.default')}</option>
              <option value="network">{t('coverage.network.methods.network')}</option>
              <option value="straight_line">{t('coverage.network.methods.straight_line')}</option>
            </select>
          </label>
          <NetworkComparison scenario={baseScenario} result={base ?? null} />
        </section>

        <section className="coverage-section">
          <h2 className="coverage-section__title">{t('coverage.table.title')}</h2>
          {rows && <AreaTable level={level} rows={rows} selectedCode={selectedCode} onLocate={locate} />}
        </section>

        <section className="coverage-section">
          <h2 className="coverage-section__title">{t('coverage.export.title')}</h2>
          <div className="button-row">
            <button type="button" className="button" disabled={!hasTypes || exporting !== null} onClick={() => void exportExcel()}>
              {exporting === 'excel' ? t('coverage.export.exporting') : t('coverage.export.excel')}
            </button>
            <button type="button" className="button" disabled={!result || exporting !== null} onClick={() => void exportImage()}>
              {exporting === 'image' ? t('coverage.export.exporting') : t('coverage.export.image')}
            </button>
            <button type="button" className="button" disabled={!result || exporting !== null} onClick={() => void exportImage(true)} title={t('exports.png.note')}>
              {exporting === 'georeferenced' ? t('coverage.export.exporting') : t('exports.png.georeferenced')}
            </button>
          </div>
          <ErrorMessage message={exportError} />
        </section>
      </aside>

      <div className="coverage-map">
        <CoverageMap
          basemap={basemap}
          district={district.data}
          types={types.data}
          level={level}
          result={result}
          proposals={proposals}
          suggestions={siting}
          selectedCode={selectedCode}
          selectedRow={selectedRow}
          frameSelectedSeq={frameSeq}
          mode={mode}
          visibility={visibility}
          onAreaClick={setSelectedCode}
          onFacilityClick={onFacilityClick}
          onMapClick={onMapClick}
          onView={(view) => (viewRef.current = view)}
        />
        {mode !== 'inspect' && <div className="pick-banner">{mode === 'add' ? t('coverage.whatIf.addHint') : t('coverage.whatIf.removeHint')}</div>}
        {current.loading && result && (
          <div className="coverage-busy" role="status">
            {t('coverage.summary.loading')}
          </div>
        )}
        {selectedRow && (
          <div className="coverage-card" role="region" aria-label={selectedRow.name}>
            <button type="button" className="coverage-card__close button--quiet" aria-label={t('coverage.selected.close')} onClick={() => setSelectedCode(null)}>
              ×
            </button>
            <h3>{selectedRow.name}</h3>
            <p>{t('coverage.selected.figures', { population: populationLabel, covered: formatCount(selectedRow.covered), total: formatCount(selectedRow.population), share: formatShare(selectedRow.share) })}</p>
            {selectedRow.target !== null && (
              <p>{t('coverage.selected.target', { target: formatShare(selectedRow.target, 0), status: selectedRow.meetsTarget ? t('coverage.summary.meets') : t('coverage.summary.below') })}</p>
            )}
            <p>{t('coverage.selected.uncoveredBuildings', { count: selectedRow.uncoveredBuildings })}</p>
          </div>
        )}
        <MapLegend visibility={visibility} onVisibilityChange={setVisibility} byNetwork={result?.distanceMethod === 'network'} />
      </div>
    </div>
  );
}

/** Typing a position is the keyboard's way to drop a proposed station (and a planner's way to use a surveyed one). */
function CoordinateEntry({ onAdd }: { onAdd(lngLat: LonLat): void }) {
  const { t } = useTranslation();
  const ids = { lon: useId(), lat: useId() };
  const [lon, setLon] = useState('');
  const [lat, setLat] = useState('');
  const [error, setError] = useState(false);
  return (
    <form
      className="coverage-coordinates"
      onSubmit={(event) => {
        event.preventDefault();
        const x = Number(lon);
        const y = Number(lat);
        const valid = lon !== '' && lat !== '' && Number.isFinite(x) && Number.isFinite(y) && Math.abs(x) <= 180 && Math.abs(y) <= 90 && x > y;
        setError(!valid);
        if (!valid) return;
        onAdd([x, y]);
        setLon('');
        setLat('');
      }}
    >
      <p className="coverage-muted">{t('coverage.whatIf.byCoordinates')}</p>
      <div className="coverage-coordinates__row">
        <label className="coverage-field" htmlFor={ids.lon}>
          <span>{t('coverage.whatIf.lon')}</span>
          <input id={ids.lon} inputMode="decimal" value={lon} onChange={(e) => setLon(e.target.value)} />
        </label>
        <label className="coverage-field" htmlFor={ids.lat}>
          <span>{t('coverage.whatIf.lat')}</span>
          <input id={ids.lat} inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} />
        </label>
        <button type="submit" className="button button--small">
          {t('coverage.whatIf.addAt')}
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {t('coverage.whatIf.badCoordinates')}
        </p>
      )}
    </form>
  );
}

function TargetBar({ share, target, line, lineLabel }: { share: number | null; target: number | null; line: number; lineLabel: string }) {
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  return (
    <div className="coverage-target-bar" aria-hidden="true">
      <span className="coverage-target-bar__fill" style={{ width: pct(share ?? 0) }} />
      {target !== null && <span className="coverage-target-bar__mark coverage-target-bar__mark--target" style={{ left: pct(target) }} />}
      <span className="coverage-target-bar__mark" style={{ left: pct(line) }} title={lineLabel} />
    </div>
  );
}

function MapLegend({ visibility, onVisibilityChange, byNetwork = false }: { visibility: LayerVisibility; onVisibilityChange(v: LayerVisibility): void; byNetwork?: boolean }) {
  const { t } = useTranslation();
  // Open beside a wide map; folded on a phone, where it would cover half of it.
  const [openAtStart] = useState(() => !window.matchMedia('(max-width: 760px)').matches);
  const swatch = (colour: string, label: string, shape: 'box' | 'dot' | 'ring' = 'box', note?: string) => (
    <li>
      <span className={`coverage-legend__swatch coverage-legend__swatch--${shape}`} style={shape === 'ring' ? { borderColor: colour } : { background: colour }} aria-hidden="true" />
      <span>
        {label}
        {note && <span className="coverage-legend__note">{note}</span>}
      </span>
    </li>
  );
  const toggle = (key: keyof LayerVisibility) => (
    <label className="coverage-check">
      <input type="checkbox" checked={visibility[key]} onChange={(e) => onVisibilityChange({ ...visibility, [key]: e.target.checked })} />
      <span>{t(`coverage.layers.${key}`)}</span>
    </label>
  );
  return (
    <details className="coverage-legend" open={openAtStart}>
      <summary>{t('coverage.legend.title')}</summary>
      <p className="coverage-legend__heading">{t('coverage.legend.share')}</p>
      <ul>
        {swatch(SHARE_COLOURS.below50, t('coverage.legend.below50'))}
        {swatch(SHARE_COLOURS.from50, t('coverage.legend.from50'))}
        {swatch(SHARE_COLOURS.from80, t('coverage.legend.from80'))}
        {swatch(SHARE_COLOURS.from90, t('coverage.legend.from90'))}
        {swatch(SHARE_COLOURS.noPeople, t('coverage.legend.noPeople'))}
        {swatch('#1565c0', t(byNetwork ? 'coverage.legend.walkArea' : 'coverage.legend.serviceArea'), 'ring')}
        {swatch(PROPOSAL_COLOUR, t(byNetwork ? 'coverage.legend.proposedWalkArea' : 'coverage.legend.proposedArea'), 'ring')}
        {swatch(GAP_AREA_COLOUR, t('coverage.legend.gapArea'))}
        {swatch(GAP_COLOUR, t('coverage.legend.uncoveredBuilding'), 'dot', t('coverage.legend.uncoveredBuildingZoom'))}
        {swatch('#757575', t('coverage.legend.removedFacility'), 'dot')}
      </ul>
      <fieldset className="coverage-fieldset">
        <legend>{t('coverage.layers.title')}</legend>
        {toggle('choropleth')}
        {toggle('serviceAreas')}
        {toggle('gaps')}
        {toggle('facilities')}
      </fieldset>
    </details>
  );
}
