/**
 * `/incidents` (analyst, admin): three views of the same filtered incidents — a heatmap with a
 * fixed colour scale, hexagon bins with drill-down, a choropleth of grids — the Gi* hotspot
 * layer, a time slider with playback by week or month, and the indicators, trends and rankings
 * below. This component owns the state; the map and panels only draw it.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchAreas, fetchClientConfig } from '../api/endpoints';
import { useApi } from '../api/useApi';
import { describeError } from '../i18n/describe-error';
import type { BasemapSettings } from '../map/basemap';
import {
  fetchByGrid,
  fetchCategories,
  fetchCompare,
  fetchGridOutlines,
  fetchHeat,
  fetchHexagons,
  fetchIndicators,
  fetchList,
  fetchPoints,
  fetchSummary,
  type IncidentFilter,
} from './api';
import { css, HEAT_COLOURS, CLASS_COLOURS, HOTSPOT_COLOURS, quantileBreaks } from './colours';
import { IncidentDetailPanel } from './IncidentDetailPanel';
import { ImportPanel } from './ImportPanel';
import { IncidentMap, type GridMeasure, type ViewKind } from './IncidentMap';
import { Insights } from './Insights';
import { defaultRange, previousRange, steps, type WindowKind } from './timeline';
import './incidents.css';

const OFFLINE: BasemapSettings = { tiandituKey: null, styleUrl: null };
const STATUSES = ['reported', 'accepted', 'dispatched', 'handling', 'verifying', 'closed', 'returned'] as const;
const SOURCES = ['grid_worker', 'hotline_12345', 'public', 'video', 'higher_level'] as const;
const HEX_SIZES = [250, 500, 1000, 2000];
const PLAY_INTERVAL_MS = 1500;

type ListScope = { kind: 'latest' } | { kind: 'hex'; i: number; j: number; sizeMeters: number } | { kind: 'grid'; code: string; name: string };

export function IncidentsPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';

  const config = useApi((s) => fetchClientConfig(s), []);
  const basemap = useMemo<BasemapSettings | null>(() => (config.data ? config.data.basemap : config.error ? OFFLINE : null), [config.data, config.error]);
  const district = useApi((s) => fetchAreas('district', s), []);
  const streets = useApi((s) => fetchAreas('street', s), []);
  const communities = useApi((s) => fetchAreas('community', s), []);
  const categoriesApi = useApi((s) => fetchCategories(s), []);
  const categories = categoriesApi.data ?? [];
  const outlines = useApi((s) => fetchGridOutlines(s), []);

  // --- Filters -------------------------------------------------------------------------------
  const [range, setRange] = useState(defaultRange);
  const [categoryFilter, setCategoryFilter] = useState<string[]>([]);
  const [statusFilter, setStatusFilter] = useState<string[]>([]);
  const [sourceFilter, setSourceFilter] = useState<string[]>([]);
  const [street, setStreet] = useState('');
  const [community, setCommunity] = useState('');
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

  // --- Views and layers ----------------------------------------------------------------------
  const [view, setView] = useState<ViewKind>('heatmap');
  const [heatWeight, setHeatWeight] = useState<'count' | 'urgency'>('count');
  const [hexSize, setHexSize] = useState(500);
  const [gridMeasure, setGridMeasure] = useState<GridMeasure>('count');
  const [showHotspots, setShowHotspots] = useState(false);
  const [contiguity, setContiguity] = useState<'rook' | 'queen'>('rook');

  const heat = useApi((s) => fetchHeat(mapFilter, 50, heatWeight, s), [mapKey, heatWeight], view === 'heatmap');
  const points = useApi((s) => fetchPoints(mapFilter, s), [mapKey]);
  const hexagons = useApi((s) => fetchHexagons(mapFilter, hexSize, s), [mapKey, hexSize], view === 'hexagons');
  const byGrid = useApi((s) => fetchByGrid(mapFilter, contiguity, s), [mapKey, contiguity], view === 'grids' || showHotspots);
  const gridBreaks = useMemo(
    () => quantileBreaks((byGrid.data?.grids ?? []).map((g) => (gridMeasure === 'count' ? g.count : g.per1000))),
    [byGrid.data, gridMeasure],
  );

  // --- Below the map -------------------------------------------------------------------------
  const summary = useApi((s) => fetchSummary(filter, s), [filterKey]);
  const indicators = useApi((s) => fetchIndicators(filter, s), [filterKey]);
  const compare = useApi((s) => fetchCompare(filter, previousRange(range), s), [filterKey]);

  // --- List and detail -----------------------------------------------------------------------
  const [listScope, setListScope] = useState<ListScope>({ kind: 'latest' });
  const [listVersion, setListVersion] = useState(0);
  const list = useApi(
    (s) => fetchList(mapFilter, listScope.kind === 'hex' ? { hex: listScope } : listScope.kind === 'grid' ? { gridCode: listScope.code } : {}, s),
    [mapKey, JSON.stringify(listScope), listVersion],
  );
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const selectedPoint = useMemo(() => {
    const found = list.data?.incidents.find((i) => i.id === selectedId);
    return found ? { lon: found.lon, lat: found.lat } : null;
  }, [list.data, selectedId]);

  const onHexagonClick = useCallback((cell: { i: number; j: number }) => setListScope({ kind: 'hex', ...cell, sizeMeters: hexSize }), [hexSize]);
  const onGridClick = useCallback((grid: { code: string; name: string }) => setListScope({ kind: 'grid', ...grid }), []);

  const categoryName = (code: string | null) => {
    if (!code) return '';
    for (const c of categories) {
      if (c.code === code) return en ? c.nameEn : c.nameZh;
      const s = c.subCategories.find((x) => x.code === code);
      if (s) return en ? s.nameEn : s.nameZh;
    }
    return code;
  };
  const toggle = (list: string[], value: string, set: (v: string[]) => void) => set(list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const streetCommunities = (communities.data?.features ?? []).filter((f) => street && f.properties.code.startsWith(street));
  const mapError = heat.error ?? hexagons.error ?? byGrid.error ?? points.error;
  const method = byGrid.data?.method;

  return (
    <div className="incidents-page">
      <aside className="incidents-panel" aria-label={t('incidents.filters')}>
        <h1>{t('incidents.title')}</h1>
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
              <option value="">{t('incidents.allStreets')}</option>
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
        <p className="muted">
          {summary.data ? t('incidents.total', { count: summary.data.total }) : t('incidents.loading')}
          {summary.data ? ` · ${t('incidents.overdueCount', { count: summary.data.overdue })}` : ''}
        </p>
      </aside>

      <section className="incidents-main">
        <div className="incidents-toolbar">
          <div role="radiogroup" aria-label={t('incidents.views')} className="segmented">
            {(['heatmap', 'hexagons', 'grids'] as const).map((v) => (
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
            district={district.data}
            view={view}
            heat={heat.data}
            points={points.data}
            hexagons={hexagons.data}
            grids={outlines.data}
            gridStats={byGrid.data}
            gridMeasure={gridMeasure}
            gridBreaks={gridBreaks}
            showHotspots={showHotspots}
            selected={selectedPoint}
            onHexagonClick={onHexagonClick}
            onGridClick={onGridClick}
            onPointClick={setSelectedId}
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
                <p>{t('incidents.legendGrids', { measure: gridMeasure === 'count' ? t('incidents.measureCount') : t('incidents.measurePer1000') })}</p>
                <ul className="swatches">
                  {CLASS_COLOURS.map((c, k) => (
                    <li key={k}>
                      <span style={{ background: css(c) }} />
                      {k === 0 ? `≤ ${fmt(gridBreaks[0])}` : k === CLASS_COLOURS.length - 1 ? `> ${fmt(gridBreaks[k - 1])}` : `${fmt(gridBreaks[k - 1])} – ${fmt(gridBreaks[k])}`}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {showHotspots ? (
              <>
                <ul className="swatches">
                  {[3, 2, 1, -1, -2, -3].map((cls) => (
                    <li key={cls}>
                      <span style={{ background: css(HOTSPOT_COLOURS[cls]!) }} />
                      {t(cls > 0 ? 'incidents.hot' : 'incidents.cold', { level: [0, 90, 95, 99][Math.abs(cls)] })}
                    </li>
                  ))}
                </ul>
                {method ? (
                  <p className="small method" data-testid="hotspot-method">
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
          <IncidentDetailPanel id={selectedId} categories={categories} onClose={() => setSelectedId(null)} onChanged={() => setListVersion((v) => v + 1)} />
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
          {list.data && list.data.incidents.length === 0 ? <p className="muted">{t('incidents.noIncidents')}</p> : null}
          <ul className="incident-list">
            {(list.data?.incidents ?? []).map((i) => (
              <li key={i.id}>
                <button type="button" className={i.id === selectedId ? 'is-selected' : undefined} onClick={() => setSelectedId(i.id)}>
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
