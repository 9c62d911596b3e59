/**
 * `/incidents` (analyst, admin): four views of the same filtered incidents — a heatmap with a
 * fixed colour scale, hexagon bins with drill-down, a choropleth of grids (of communities and
 * streets when zoomed out), the incidents themselves (counts, then single incidents, from the
 * incident tiles) — the Gi* hotspot layer, a time slider with playback by week or month, and the
 * indicators, trends and rankings below. This component owns the state; the map and panels only
 * draw it. No map layer is loaded whole: outlines and incidents come as vector tiles, per-grid
 * figures as feature states joined to them.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchAreas, fetchClientConfig } from '../api/endpoints';
import { bboxOf } from '../map/geometry';
import { useApi } from '../api/useApi';
import { describeError } from '../i18n/describe-error';
import type { BasemapSettings } from '../map/basemap';
import {
  fetchByGrid,
  categoryNameOf,
  fetchCategories,
  fetchCommunitiesOf,
  fetchCompare,
  fetchHeat,
  fetchHexagons,
  fetchIndicators,
  fetchList,
  fetchSummary,
  incidentTilesUrl,
  listQuery,
  type IncidentFilter,
  type ListOptions,
  filterQuery,
} from './api';
import { buildChoropleth, levelAt, type GridMeasure } from './choropleth';
import { css, HEAT_COLOURS, CLASS_COLOURS, HOTSPOT_COLOURS, CATEGORY_COLOURS, STATUS_COLOURS, OVERDUE_COLOUR, COUNT_COLOUR } from './colours';
import { IncidentDetailPanel } from './IncidentDetailPanel';
import { ImportPanel } from './ImportPanel';
import { IncidentMap, type ColourBy, type ViewKind } from './IncidentMap';
import { SINGLE_INCIDENT_MIN_ZOOM } from './IncidentMapLayers';
import { Insights } from './Insights';
import { defaultRange, previousRange, steps, type WindowKind } from './timeline';
import { AnalysisExportButtons, IncidentsExportMenu } from '../exports/ExportMenu';
import './incident-items.css';
import './incidents.css';
import { EmptyState, useHierarchyRoot, useWholeName } from '../app/EmptyState';
import { fetchAreaTileJson } from '../map/tile-sources';

const OFFLINE: BasemapSettings = { tiandituKey: null, styleUrl: null };
const STATUSES = ['reported', 'accepted', 'dispatched', 'handling', 'verifying', 'closed', 'returned'] as const;
const SOURCES = ['grid_worker', 'hotline_12345', 'public', 'video', 'higher_level'] as const;
const HEX_SIZES = [250, 500, 1000, 2000];
const PLAY_INTERVAL_MS = 1500;
/** A dragged slider settles this long before the incident tiles follow it (playback steps are slower). */
const TILE_URL_SETTLE_MS = 250;
const VIEWS: readonly ViewKind[] = ['heatmap', 'hexagons', 'grids', 'points'];
const LIST_SORTS = ['reportedAt:desc', 'reportedAt:asc', 'dueAt:asc', 'closedAt:desc', 'category:asc', 'status:asc', 'grid:asc'] as const;

/** The latest incidents, a hexagon's, or an area's (a grid, or a community clicked when zoomed out). */
type ListScope = { kind: 'latest' } | { kind: 'hex'; i: number; j: number; sizeMeters: number } | { kind: 'area'; code: string; name: string };

export function IncidentsPage() {
  const { t, i18n } = useTranslation();
  const whole = useWholeName();
  const en = i18n.language === 'en';

  const config = useApi((s) => fetchClientConfig(s), []);
  const basemap = useMemo<BasemapSettings | null>(() => (config.data ? config.data.basemap : config.error ? OFFLINE : null), [config.data, config.error]);
  const areaTiles = useApi((s) => fetchAreaTileJson(s), []);
  const streets = useApi((s) => fetchAreas('street', s, { withoutOutline: true }), []);
  const categoriesApi = useApi((s) => fetchCategories(s), []);
  const categories = categoriesApi.data ?? [];

  // --- Filters -------------------------------------------------------------------------------
  const [range, setRange] = useState(defaultRange);
  const [categoryFilter, setCategoryFilter] = useState<string[]>([]);
  const [statusFilter, setStatusFilter] = useState<string[]>([]);
  const [sourceFilter, setSourceFilter] = useState<string[]>([]);
  const [street, setStreet] = useState('');
  const [community, setCommunity] = useState('');
  const communities = useApi((s) => fetchCommunitiesOf(street, s), [street], street !== '');
  const filter: IncidentFilter = useMemo(
    () => ({ from: range.from, to: range.to, categories: categoryFilter, statuses: statusFilter, sources: sourceFilter, area: community || street || null }),
    [range, categoryFilter, statusFilter, sourceFilter, street, community],
  );
  const filterKey = JSON.stringify(filter);

  // --- Time slider ---------------------------------------------------------------------------
  const [windowKind, setWindowKind] = useState<WindowKind>('all');
  const windowSteps = useMemo(() => steps(range, windowKind), [range, windowKind]);
  const [stepIndex, setStepIndex] = useState(0);
  const [playing, setPlaying] = useState(false);
  useEffect(() => setStepIndex(windowKind === 'all' ? 0 : Math.max(0, windowSteps.length - 1)), [windowKind, windowSteps.length]);
  useEffect(() => {
    if (!playing || windowKind === 'all') return;
    const timer = setInterval(() => setStepIndex((k) => (k + 1) % windowSteps.length), PLAY_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [playing, windowKind, windowSteps.length]);
  const step = windowSteps[Math.min(stepIndex, windowSteps.length - 1)] ?? range;
  const mapFilter: IncidentFilter = useMemo(() => ({ ...filter, from: step.from, to: step.to }), [filter, step.from, step.to]);
  const mapKey = JSON.stringify(mapFilter);
  // The incident tiles follow the slider's step too (a new URL is new tiles; the old stay drawn
  // until they arrive, and a step seen before comes from the caches); a dragged slider settles first.
  const tilesUrl = incidentTilesUrl(mapFilter);
  const [settledTilesUrl, setSettledTilesUrl] = useState(tilesUrl);
  useEffect(() => {
    const timer = setTimeout(() => setSettledTilesUrl(tilesUrl), TILE_URL_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [tilesUrl]);

  // --- Views and layers ----------------------------------------------------------------------
  const [view, setView] = useState<ViewKind>('heatmap');
  const [colourBy, setColourBy] = useState<ColourBy>('category');
  const [mapZoom, setMapZoom] = useState(0);
  const [inView, setInView] = useState<number | null>(null);
  const [heatWeight, setHeatWeight] = useState<'count' | 'urgency'>('count');
  const [hexSize, setHexSize] = useState(500);
  const [gridMeasure, setGridMeasure] = useState<GridMeasure>('count');
  const [showHotspots, setShowHotspots] = useState(false);
  const [methodOpen, setMethodOpen] = useState(false);
  const [contiguity, setContiguity] = useState<'rook' | 'queen'>('rook');

  const heat = useApi((s) => fetchHeat(mapFilter, 50, heatWeight, s), [mapKey, heatWeight], view === 'heatmap');
  const hexagons = useApi((s) => fetchHexagons(mapFilter, hexSize, s), [mapKey, hexSize], view === 'hexagons');
  const byGrid = useApi((s) => fetchByGrid(mapFilter, contiguity, s), [mapKey, contiguity], view === 'grids' || showHotspots);
  const choropleth = useMemo(() => buildChoropleth(byGrid.data, gridMeasure), [byGrid.data, gridMeasure]);
  const level = levelAt(mapZoom);
  const gridBreaks = choropleth[level].breaks;

  // --- Below the map -------------------------------------------------------------------------
  const summary = useApi((s) => fetchSummary(filter, s), [filterKey]);
  const topLevel = useHierarchyRoot()?.level === 'city' ? 'city' : 'district';
  const indicators = useApi((s) => fetchIndicators(filter, s, topLevel), [filterKey, topLevel]);
  const compare = useApi((s) => fetchCompare(filter, previousRange(range), s), [filterKey]);

  // --- List and detail -----------------------------------------------------------------------
  const [listScope, setListScope] = useState<ListScope>({ kind: 'latest' });
  const [listVersion, setListVersion] = useState(0);
  const [listOptions, setListOptions] = useState<ListOptions>({ overdue: '', text: '', sort: 'reportedAt:desc' });
  // The text is typed; the list follows once typing pauses.
  const [settledText, setSettledText] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSettledText(listOptions.text), TILE_URL_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [listOptions.text]);
  const listRequest = { ...listOptions, text: settledText };
  const listScopeQuery = listScope.kind === 'hex' ? { hex: listScope } : listScope.kind === 'area' ? { areaCode: listScope.code } : {};
  const list = useApi(
    (s) => fetchList(mapFilter, listScopeQuery, listRequest, s),
    [mapKey, JSON.stringify(listScope), listVersion, JSON.stringify(listRequest)],
  );
  // An incident chosen in the list (the map brings it into view) or on the map (where it is).
  const [selected, setSelected] = useState<{ id: number; lon: number; lat: number } | null>(null);
  const selectedId = selected?.id ?? null;
  const selectFromList = (incident: { id: number; lon: number; lat: number }) => setSelected({ id: incident.id, lon: incident.lon, lat: incident.lat });
  const selectedPoint = useMemo(() => (selected ? { lon: selected.lon, lat: selected.lat } : null), [selected]);

  const onHexagonClick = useCallback((cell: { i: number; j: number }) => setListScope({ kind: 'hex', ...cell, sizeMeters: hexSize }), [hexSize]);
  const onAreaClick = useCallback((area: { code: string; name: string }) => setListScope({ kind: 'area', ...area }), []);
  const onIncidentClick = useCallback((incident: { id: number; lon: number; lat: number }) => setSelected(incident), []);
  const filterArea = useMemo(() => {
    const code = community || street;
    if (!code) return null;
    const feature = (community ? communities.data : streets.data)?.features.find((f) => f.properties.code === code);
    return { code, bbox: feature?.geometry ? bboxOf([feature.geometry]) : null };
  }, [community, street, communities.data, streets.data]);

  const categoryName = (code: string | null) => categoryNameOf(categories, code, en);
  const toggle = (list: string[], value: string, set: (v: string[]) => void) => set(list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const streetCommunities = street ? (communities.data?.features ?? []) : [];
  const mapError = heat.error ?? hexagons.error ?? byGrid.error;
  const method = byGrid.data?.method;

  return (
    <div className="incidents-page">
      <aside className="incidents-panel" aria-label={t('incidents.filters')}>
        <h1>{t('incidents.title')}</h1>
        <EmptyState needs={['outlines', 'grids', 'incidents']} />
        <fieldset>
          <legend>{t('incidents.period')}</legend>
          <label>
            {t('incidents.from')} <input type="date" value={range.from} max={range.to} onChange={(e) => e.target.value && setRange((r) => ({ ...r, from: e.target.value }))} />
          </label>
          <label>
            {t('incidents.to')} <input type="date" value={range.to} min={range.from} onChange={(e) => e.target.value && setRange((r) => ({ ...r, to: e.target.value }))} />
          </label>
        </fieldset>
        <fieldset>
          <legend>{t('incidents.category')}</legend>
          {categories.map((c) => (
            <label key={c.code} className="check">
              <input type="checkbox" checked={categoryFilter.includes(c.code)} onChange={() => toggle(categoryFilter, c.code, setCategoryFilter)} />
              {en ? c.nameEn : c.nameZh}
            </label>
          ))}
        </fieldset>
        <details>
          <summary>{t('incidents.status')}</summary>
          {STATUSES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={statusFilter.includes(s)} onChange={() => toggle(statusFilter, s, setStatusFilter)} />
              {t(`incidents.statuses.${s}`)}
            </label>
          ))}
        </details>
        <details>
          <summary>{t('incidents.source')}</summary>
          {SOURCES.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={sourceFilter.includes(s)} onChange={() => toggle(sourceFilter, s, setSourceFilter)} />
              {t(`incidents.sources.${s}`)}
            </label>
          ))}
        </details>
        <fieldset>
          <legend>{t('incidents.area')}</legend>
          <label className="stacked">
            {t('incidents.street')}
            <select value={street} onChange={(e) => (setStreet(e.target.value), setCommunity(''))}>
              <option value="">{t('incidents.allStreets', { whole })}</option>
              {(streets.data?.features ?? []).map((f) => (
                <option key={f.properties.code} value={f.properties.code}>
                  {f.properties.name}
                </option>
              ))}
            </select>
          </label>
          <label className="stacked">
            {t('incidents.community')}
            <select value={community} disabled={!street} onChange={(e) => setCommunity(e.target.value)}>
              <option value="">{t('incidents.allCommunities')}</option>
              {streetCommunities.map((f) => (
                <option key={f.properties.code} value={f.properties.code}>
                  {f.properties.name}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <ImportPanel onImported={() => (summary.reload(), setListVersion((v) => v + 1))} />
        <AnalysisExportButtons filter={filterQuery(mapFilter)} sizeMeters={hexSize} contiguity={contiguity} />
        <p className="muted">
          {summary.data ? t('incidents.total', { count: summary.data.total }) : t('incidents.loading')}
          {summary.data ? ' · ' : ''}
          {summary.data ? (
            <span title={t('incidents.overdueReportedHint')} data-testid="overdue-reported">
              {t('incidents.overdueReported', { count: summary.data.overdue })}
            </span>
          ) : null}
        </p>
        <p>
          <Link to={`/incidents/report?kind=custom&from=${range.from}&to=${range.to}${community || street ? `&area=${community || street}` : ''}`}>{t('incidents.reportLink')}</Link>
        </p>
      </aside>

      <section className="incidents-main">
        <div className="incidents-toolbar">
          <div role="radiogroup" aria-label={t('incidents.views')} className="segmented">
            {VIEWS.map((v) => (
              <button key={v} type="button" role="radio" aria-checked={view === v} className={view === v ? 'is-active' : undefined} onClick={() => setView(v)}>
                {t(`incidents.view${v[0]!.toUpperCase()}${v.slice(1)}` as 'incidents.viewHeatmap')}
              </button>
            ))}
          </div>
          {view === 'heatmap' ? (
            <label>
              {t('incidents.heatWeight')}{' '}
              <select value={heatWeight} onChange={(e) => setHeatWeight(e.target.value as 'count' | 'urgency')}>
                <option value="count">{t('incidents.weightCount')}</option>
                <option value="urgency">{t('incidents.weightUrgency')}</option>
              </select>
            </label>
          ) : null}
          {view === 'hexagons' ? (
            <label>
              {t('incidents.hexSize')}{' '}
              <select value={hexSize} onChange={(e) => setHexSize(Number(e.target.value))}>
                {HEX_SIZES.map((s) => (
                  <option key={s} value={s}>
                    {t('incidents.meters', { value: s })}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {view === 'points' ? (
            <label>
              {t('incidents.colourBy')}{' '}
              <select value={colourBy} onChange={(e) => setColourBy(e.target.value as ColourBy)}>
                <option value="category">{t('incidents.colourByCategory')}</option>
                <option value="status">{t('incidents.colourByStatus')}</option>
              </select>
            </label>
          ) : null}
          {view === 'grids' ? (
            <label>
              {t('incidents.gridMeasure')}{' '}
              <select value={gridMeasure} onChange={(e) => setGridMeasure(e.target.value as GridMeasure)}>
                <option value="count">{t('incidents.measureCount')}</option>
                <option value="per1000">{t('incidents.measurePer1000')}</option>
              </select>
            </label>
          ) : null}
          <label className="check">
            <input type="checkbox" checked={showHotspots} onChange={(e) => setShowHotspots(e.target.checked)} />
            {t('incidents.hotspots')}
          </label>
          {showHotspots ? (
            <label>
              {t('incidents.contiguity')}{' '}
              <select className="inline-select" value={contiguity} onChange={(e) => setContiguity(e.target.value as 'rook' | 'queen')}>
                <option value="rook">{t('incidents.rook')}</option>
                <option value="queen">{t('incidents.queen')}</option>
              </select>
            </label>
          ) : null}
        </div>

        <div className="incidents-timebar">
          <label>
            {t('incidents.window')}{' '}
            <select value={windowKind} onChange={(e) => (setPlaying(false), setWindowKind(e.target.value as WindowKind))}>
              <option value="all">{t('incidents.windowAll')}</option>
              <option value="week">{t('incidents.windowWeek')}</option>
              <option value="month">{t('incidents.windowMonth')}</option>
            </select>
          </label>
          <button type="button" disabled={windowKind === 'all'} onClick={() => setPlaying((p) => !p)} aria-pressed={playing}>
            {playing ? t('incidents.pause') : t('incidents.play')}
          </button>
          <input
            type="range"
            aria-label={t('incidents.sliderLabel')}
            min={0}
            max={Math.max(0, windowSteps.length - 1)}
            value={Math.min(stepIndex, windowSteps.length - 1)}
            disabled={windowKind === 'all'}
            onChange={(e) => (setPlaying(false), setStepIndex(Number(e.target.value)))}
          />
          <output aria-live="polite">
            {t('incidents.windowLabel')}: {step.from} – {step.to}
          </output>
        </div>

        <div className="incidents-mapwrap">
          <IncidentMap
            basemap={basemap}
            bounds={areaTiles.data ? (areaTiles.data.bounds as [number, number, number, number]) : null}
            view={view}
            colourBy={colourBy}
            heat={heat.data}
            hexagons={hexagons.data}
            incidentTilesUrl={settledTilesUrl}
            incidentsVersion={listVersion}
            choropleth={choropleth}
            gridMeasure={gridMeasure}
            showHotspots={showHotspots}
            filterArea={filterArea}
            listedArea={listScope.kind === 'area' ? listScope.code : null}
            selected={selectedPoint}
            categoryName={categoryName}
            onHexagonClick={onHexagonClick}
            onAreaClick={onAreaClick}
            onIncidentClick={onIncidentClick}
            onZoomChange={setMapZoom}
            onInView={setInView}
          />
          <div className="map-legend" aria-label="legend">
            {view === 'heatmap' && !showHotspots ? (
              <>
                <p>{t('incidents.legendHeat')}</p>
                <div className="ramp" style={{ background: `linear-gradient(to right, ${HEAT_COLOURS.map((c) => css(c)).join(', ')})` }} />
                <div className="ramp-labels">
                  <span>{t('incidents.low')}</span>
                  <span>{t('incidents.high')}</span>
                </div>
              </>
            ) : null}
            {view === 'hexagons' && !showHotspots ? <p>{t('incidents.legendHex', { max: hexagons.data?.maxCount ?? 0 })}</p> : null}
            {view === 'grids' && !showHotspots ? (
              <>
                <p>
                  {t('incidents.legendGrids', {
                    level: t(`incidents.levels.${level}`),
                    measure: gridMeasure === 'count' ? t('incidents.measureCount') : t('incidents.measurePer1000'),
                  })}
                </p>
                <ul className="swatches">
                  {CLASS_COLOURS.map((c, k) => (
                    <li key={k}>
                      <span style={{ background: css(c) }} />
                      {k === 0 ? `≤ ${fmt(gridBreaks[0])}` : k === CLASS_COLOURS.length - 1 ? `> ${fmt(gridBreaks[k - 1])}` : `${fmt(gridBreaks[k - 1])} – ${fmt(gridBreaks[k])}`}
                    </li>
                  ))}
                  {gridMeasure === 'per1000' ? (
                    <li>
                      <span style={{ background: 'rgba(200, 200, 200, 0.47)' }} />
                      {t('incidents.noValue')}
                    </li>
                  ) : null}
                </ul>
              </>
            ) : null}
            {view === 'points' && !showHotspots ? (
              mapZoom < SINGLE_INCIDENT_MIN_ZOOM ? (
                <p className="legend-cells">
                  <span className="legend-circle legend-circle--small" style={{ background: COUNT_COLOUR }} />
                  <span className="legend-circle" style={{ background: COUNT_COLOUR }} />
                  {t('incidents.legendCells')}
                </p>
              ) : (
                <>
                  <ul className="swatches swatches--round">
                    {Object.entries(colourBy === 'category' ? CATEGORY_COLOURS : STATUS_COLOURS).map(([code, colour]) => (
                      <li key={code}>
                        <span style={{ background: colour }} />
                        {colourBy === 'category' ? categoryName(code) : t(`incidents.statuses.${code}` as 'incidents.statuses.closed')}
                      </li>
                    ))}
                  </ul>
                  <p className="legend-cells">
                    <span className="legend-circle legend-circle--ring" style={{ borderColor: OVERDUE_COLOUR }} />
                    {t('incidents.overdueRing')}
                  </p>
                </>
              )
            ) : null}
            {view === 'points' && inView !== null ? (
              <p data-testid="points-in-view">{t('incidents.inView', { count: inView })}</p>
            ) : null}
            {showHotspots ? (
              <>
                {/* One compact diverging row, cold on the left and hot on the right; the method on demand. */}
                <div className="hotspot-legend__head">
                  <span className="hotspot-legend__title">{t('incidents.hotspotLegend')}</span>
                  {method ? (
                    <button type="button" className="link-button" aria-expanded={methodOpen} onClick={() => setMethodOpen((open) => !open)}>
                      {t('incidents.hotspotMethodTitle')}
                    </button>
                  ) : null}
                </div>
                <div className="hotspot-legend__row">
                <span className="hotspot-legend__end">{t('incidents.coldShort')}</span>
                <ul className="hotspot-legend">
                  {[-3, -2, -1, 1, 2, 3].map((cls) => {
                    const label = t(cls > 0 ? 'incidents.hot' : 'incidents.cold', { level: [0, 90, 95, 99][Math.abs(cls)] });
                    return (
                      <li key={cls} title={label} aria-label={label}>
                        <span style={{ background: css(HOTSPOT_COLOURS[cls]!) }} />
                        <small aria-hidden="true">{[0, 90, 95, 99][Math.abs(cls)]}</small>
                      </li>
                    );
                  })}
                </ul>
                <span className="hotspot-legend__end">{t('incidents.hotShort')}</span>
                </div>
                {method && methodOpen ? (
                  <p className="small method hotspot-legend__method" data-testid="hotspot-method">
                    {t('incidents.hotspotMethod', {
                      contiguity: t(`incidents.${method.contiguity as 'rook' | 'queen'}`),
                      corner: method.contiguity === 'queen' ? t('incidents.cornerToo') : '',
                      units: method.units,
                      mean: method.mean.toFixed(2),
                      sd: method.standardDeviation.toFixed(2),
                    })}
                  </p>
                ) : null}
              </>
            ) : null}
            {mapError ? (
              <p className="form-error" role="alert">
                {describeError(mapError, t)}
              </p>
            ) : null}
          </div>
        </div>

        <Insights summary={summary.data} indicators={indicators.data} compare={compare.data} categories={categories} />
      </section>

      <aside className="incidents-side" aria-label={t('incidents.list')}>
        {selectedId !== null ? (
          <IncidentDetailPanel id={selectedId} categories={categories} onClose={() => setSelected(null)} onChanged={() => setListVersion((v) => v + 1)} />
        ) : null}
        <section aria-labelledby="incident-list-title">
          <h2 id="incident-list-title">
            {listScope.kind === 'latest'
              ? t('incidents.listLatest')
              : listScope.kind === 'hex'
                ? t('incidents.listHexagon', { count: list.data?.total ?? 0 })
                : t('incidents.listGrid', { name: listScope.name, count: list.data?.total ?? 0 })}
          </h2>
          {listScope.kind !== 'latest' ? (
            <button type="button" className="link-button" onClick={() => setListScope({ kind: 'latest' })}>
              {t('incidents.showLatest')}
            </button>
          ) : null}
          <fieldset className="incident-list-controls" aria-label={t('incidents.listFilters')}>
            <label className="stacked">
              {t('incidents.listSearch')}
              <input
                type="search"
                value={listOptions.text}
                placeholder={t('incidents.listSearchPlaceholder')}
                maxLength={100}
                onChange={(e) => setListOptions((o) => ({ ...o, text: e.target.value }))}
              />
            </label>
            <label>
              {t('incidents.listOverdue')}{' '}
              <select value={listOptions.overdue} onChange={(e) => setListOptions((o) => ({ ...o, overdue: e.target.value as ListOptions['overdue'] }))}>
                <option value="">{t('incidents.listOverdueAll')}</option>
                <option value="true">{t('incidents.listOverdueOnly')}</option>
                <option value="false">{t('incidents.listOverdueNot')}</option>
              </select>
            </label>
            <label>
              {t('incidents.listSort')}{' '}
              <select value={listOptions.sort} onChange={(e) => setListOptions((o) => ({ ...o, sort: e.target.value }))}>
                {LIST_SORTS.map((k) => (
                  <option key={k} value={k}>
                    {t(`incidents.sorts.${k.replace(':', '_') as 'reportedAt_desc'}`)}
                  </option>
                ))}
              </select>
            </label>
            <IncidentsExportMenu filter={listQuery(mapFilter, listScopeQuery, listRequest)} />
          </fieldset>
          {list.data && list.data.incidents.length === 0 ? <p className="muted">{t('incidents.noIncidents')}</p> : null}
          <ul className="incident-list">
            {(list.data?.incidents ?? []).map((i) => (
              <li key={i.id}>
                <button type="button" className={i.id === selectedId ? 'is-selected' : undefined} onClick={() => selectFromList(i)}>
                  <span className={`status-chip status-chip--${i.status}`}>{t(`incidents.statuses.${i.status}`)}</span>
                  <span className="incident-list__what">
                    #{i.id} {categoryName(i.subCategory ?? i.category)}
                    {i.overdue ? <span className="overdue-chip">{t('incidents.overdueFlag')}</span> : null}
                  </span>
                  <span className="incident-list__where small muted">
                    {i.gridName ?? ''} · {new Date(i.reportedAt).toLocaleDateString(en ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai' })}
                  </span>
                  <span className="incident-list__text small">{i.description}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </aside>
    </div>
  );
}

const fmt = (v: number | undefined) => (v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(1));
