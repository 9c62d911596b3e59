/**
 * `/report` (grid workers): a phone-first form to report an incident in one's own grids. The
 * place comes from a tap on the map or the phone's position; the server says which grid and
 * community it falls in (the same rule every intake uses) before anything is sent. The map shows
 * the worker's own grids (a handful, as GeoJSON) over the neighbouring grids and the street and
 * community outlines, which come as vector tiles: only what is on the phone's screen is loaded.
 */
import { lazy, Suspense, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchClientConfig } from '../api/endpoints';
import { useApi } from '../api/useApi';
import { describeError } from '../i18n/describe-error';
import type { BasemapSettings } from '../map/basemap';
import { bboxOf, type BBox } from '../map/geometry';
import type { LonLat } from '../map/MapView';
import { useMapView } from '../map/useMapView';
import { createIncident, fetchCategories, fetchMine, fetchMyGrids, locatePoint, uploadPhoto, type CreatedIncident } from '../incidents/api';
import { TILEJSON } from '../map/tile-sources';
import '../incidents/incident-items.css';
import './report.css';
import { EmptyState } from '../app/EmptyState';
import { FileButton } from '../imports-ui/FileButton';
import { enterDoesNotSubmit } from '../app/enter-safe';

// A report's detail (its handling history, the actions the worker may take) is fetched when one is opened.
const IncidentDetailPanel = lazy(() => import('../incidents/IncidentDetailPanel').then((m) => ({ default: m.IncidentDetailPanel })));

/** Where the report map was framed last (the worker's grids), kept in this browser. */
const VIEW_KEY = 'wangge.report.view';
/** Pixels around the worker's grids when the map frames them (and when it opens on them). */
const GRIDS_PADDING = 12;

function rememberedView(): BBox | undefined {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(VIEW_KEY) ?? 'null');
    return Array.isArray(value) && value.length === 4 && value.every((n) => typeof n === 'number' && Number.isFinite(n)) ? (value as BBox) : undefined;
  } catch {
    return undefined;
  }
}

function rememberView(bbox: BBox) {
  try {
    window.localStorage.setItem(VIEW_KEY, JSON.stringify(bbox));
  } catch {
    // Not remembered: the next visit waits for the grids, as the first did.
  }
}

const OFFLINE: BasemapSettings = { tiandituKey: null, styleUrl: null };
type Placement = Awaited<ReturnType<typeof locatePoint>>;

export function ReportPage() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const config = useApi((s) => fetchClientConfig(s), []);
  const basemap = useMemo<BasemapSettings | null>(() => (config.data ? config.data.basemap : config.error ? OFFLINE : null), [config.data, config.error]);
  const categories = useApi((s) => fetchCategories(s), []);
  const myGrids = useApi((s) => fetchMyGrids(s), []);
  const [mineVersion, setMineVersion] = useState(0);
  const mine = useApi((s) => fetchMine(s), [mineVersion]);

  const [category, setCategory] = useState('');
  const [subCategory, setSubCategory] = useState('');
  const [description, setDescription] = useState('');
  const [point, setPoint] = useState<LonLat | null>(null);
  const [placement, setPlacement] = useState<Placement | null>(null);
  const [placeError, setPlaceError] = useState<string | null>(null);
  const [locating, setLocating] = useState(false);
  const [photo, setPhoto] = useState<File | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedIncident | null>(null);
  const photoInput = useRef<HTMLInputElement>(null);
  const [openId, setOpenId] = useState<number | null>(null);

  // --- Map -----------------------------------------------------------------------------------
  const containerRef = useRef<HTMLDivElement>(null);
  // The map opens where the worker's grids were last time (it draws at once, without waiting for
  // them), then frames the grids as they are now.
  const [openingView] = useState(() => {
    const bounds = rememberedView();
    return bounds ? { bounds, padding: GRIDS_PADDING } : undefined;
  });
  const view = useMapView(containerRef, basemap, t('incidents.report.mapLabel'), openingView);
  useEffect(() => {
    if (!view || !myGrids.data) return;
    const bbox = bboxOf(myGrids.data.features.map((f) => f.geometry));
    if (!bbox) return;
    rememberView(bbox);
    void view.whenReady().then(() => view.fitBounds(bbox, { padding: GRIDS_PADDING, animate: false }));
  }, [view, myGrids.data]);
  useEffect(() => {
    if (!view) return;
    return view.onBackgroundClick([], (lngLat) => choosePoint(lngLat));
  }, [view]);
  useEffect(() => {
    if (!view) return;
    view.addVectorTiles('report-areas', TILEJSON.areas, [
      { id: 'report-community-line', type: 'line', 'source-layer': 'areas', filter: ['==', ['get', 'level'], 'community'], paint: { 'line-color': '#9aa1a8', 'line-width': 1 } },
      {
        id: 'report-street-line',
        type: 'line',
        'source-layer': 'areas',
        filter: ['==', ['get', 'level'], 'street'],
        paint: { 'line-color': '#8a7360', 'line-width': 1.8, 'line-dasharray': [4, 2] },
      },
    ]);
    view.addVectorTiles('report-grids', TILEJSON.grids, [
      // The worker's own grids are drawn from their GeoJSON (below); the other grids' lines come in
      // from zoom 15, where a point is picked, so the opening view fetches no grid tiles.
      { id: 'report-grid-line', type: 'line', 'source-layer': 'grids', minzoom: 15, paint: { 'line-color': 'rgba(90, 100, 120, 0.5)', 'line-width': 0.8 } },
    ]);
  }, [view]);
  // The grids and the chosen point are plain MapLibre layers: this page needs no deck.gl (a grid
  // worker's phone downloads only the map).
  useEffect(() => {
    if (!view) return;
    view.addGeoJsonSource('my-grids');
    view.addLayer({ id: 'my-grids-fill', type: 'fill', source: 'my-grids', paint: { 'fill-color': 'rgba(49, 130, 189, 0.16)' } });
    view.addLayer({ id: 'my-grids-line', type: 'line', source: 'my-grids', paint: { 'line-color': 'rgba(49, 130, 189, 0.86)', 'line-width': 2 } });
    view.addGeoJsonSource('report-point');
    view.addLayer({
      id: 'report-point',
      type: 'circle',
      source: 'report-point',
      paint: {
        'circle-radius': 8,
        'circle-color': ['case', ['get', 'refused'], 'rgba(200, 40, 40, 0.9)', 'rgba(220, 90, 20, 0.9)'],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    });
  }, [view]);
  useEffect(() => {
    view?.setGeoJsonData('my-grids', myGrids.data ?? null);
  }, [view, myGrids.data]);
  useEffect(() => {
    const refused = placement?.ownGrid === false || Boolean(placeError);
    view?.setGeoJsonData('report-point', point ? { type: 'Feature', geometry: { type: 'Point', coordinates: point }, properties: { refused } } : null);
  }, [view, point, placement, placeError]);

  function choosePoint(lngLat: LonLat) {
    setPoint(lngLat);
    setPlacement(null);
    setPlaceError(null);
    setCreated(null);
    locatePoint(lngLat[0], lngLat[1]).then(setPlacement, (e) => setPlaceError(describeError(e, t)));
  }

  function useMyPosition() {
    if (!('geolocation' in navigator)) return setPlaceError(t('incidents.report.geoFailed', { message: 'geolocation' }));
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(false);
        const lngLat: LonLat = [p.coords.longitude, p.coords.latitude];
        choosePoint(lngLat);
        view?.showPoint(lngLat, 16);
      },
      (e) => {
        setLocating(false);
        setPlaceError(e.code === e.PERMISSION_DENIED ? t('incidents.report.geoDenied') : t('incidents.report.geoFailed', { message: e.message }));
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!category || !description.trim() || !point) return setError(t('incidents.report.required'));
    setSubmitting(true);
    setError(null);
    try {
      const result = await createIncident({ category, subCategory: subCategory || undefined, description: description.trim(), lon: point[0], lat: point[1] });
      if (photo) {
        try {
          await uploadPhoto(result.id, photo);
        } catch (e) {
          setError(t('incidents.report.photoFailed', { message: describeError(e, t) }));
        }
      }
      setCreated(result);
      setDescription('');
      setPhoto(null);
      if (photoInput.current) photoInput.current.value = '';
      setMineVersion((v) => v + 1);
    } catch (e) {
      setError(describeError(e, t));
    } finally {
      setSubmitting(false);
    }
  }

  const chosenCategory = categories.data?.find((c) => c.code === category);
  const name = (x: { nameZh: string; nameEn: string }) => (en ? x.nameEn : x.nameZh);

  return (
    <div className="report-page">
      <h1>{t('incidents.report.title')}</h1>
      <p className="muted small">{t('incidents.report.intro')}</p>
      <EmptyState needs={['outlines', 'grids', 'linkedGrid']} />
      {myGrids.data && myGrids.data.features.length === 0 ? (
        <p className="form-error" role="alert">
          {t('incidents.report.noGrids')}
        </p>
      ) : null}
      <form onSubmit={submit} className="report-form" onKeyDown={enterDoesNotSubmit}>
        <label className="stacked">
          {t('incidents.report.category')}
          <select value={category} required onChange={(e) => (setCategory(e.target.value), setSubCategory(''))}>
            <option value="">{t('incidents.report.choose')}</option>
            {(categories.data ?? []).map((c) => (
              <option key={c.code} value={c.code}>
                {name(c)}
              </option>
            ))}
          </select>
        </label>
        <label className="stacked">
          {t('incidents.report.subCategory')}
          <select value={subCategory} disabled={!chosenCategory} onChange={(e) => setSubCategory(e.target.value)}>
            <option value="">{t('incidents.report.choose')}</option>
            {(chosenCategory?.subCategories ?? []).map((s) => (
              <option key={s.code} value={s.code}>
                {name(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="stacked">
          {t('incidents.report.description')}
          <textarea value={description} required rows={3} maxLength={2000} placeholder={t('incidents.report.descriptionHint')} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <fieldset className="report-place">
          <legend>{t('incidents.report.location')}</legend>
          <p className="small muted">{t('incidents.report.tapHint')}</p>
          <div ref={containerRef} className="report-map" />
          <button type="button" onClick={useMyPosition} disabled={locating}>
            {locating ? t('incidents.report.locating') : t('incidents.report.useMyPosition')}
          </button>
          <p aria-live="polite" className="report-placement">
            {placement
              ? placement.ownGrid
                ? t('incidents.report.placedIn', { grid: placement.placement.gridName ?? '—', community: placement.placement.communityName ?? '—' })
                : t('incidents.report.notOwnGrid', { grid: placement.placement.gridName ?? '—' })
              : null}
          </p>
          {placeError ? (
            <p className="form-error" role="alert">
              {placeError}
            </p>
          ) : null}
        </fieldset>
        <FileButton className="stacked" label={t('incidents.report.photo')} inputRef={photoInput} accept="image/jpeg,image/png,image/webp" capture="environment"
          file={photo} onChange={setPhoto} />
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        {created ? (
          <p className="form-success" role="status">
            {t('incidents.report.submitted', {
              id: created.id,
              grid: created.placement.gridName ?? '—',
              due: new Date(created.dueAt).toLocaleString(en ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }),
            })}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={submitting || (placement !== null && !placement.ownGrid)}>
          {submitting ? t('incidents.report.submitting') : t('incidents.report.submit')}
        </button>
      </form>
      <section aria-labelledby="my-incidents-title" className="report-mine">
        <h2 id="my-incidents-title">{t('incidents.report.myIncidents')}</h2>
        {mine.data && mine.data.incidents.length === 0 ? <p className="muted">{t('incidents.report.noMyIncidents')}</p> : null}
        {openId !== null ? (
          <Suspense fallback={<p className="muted">{t('app.loading')}</p>}>
            <IncidentDetailPanel id={openId} categories={categories.data ?? []} onClose={() => setOpenId(null)} onChanged={() => setMineVersion((v) => v + 1)} />
          </Suspense>
        ) : null}
        <ul className="incident-list">
          {(mine.data?.incidents ?? []).map((i) => (
            <li key={i.id}>
              <button type="button" className={i.id === openId ? 'is-selected' : undefined} onClick={() => setOpenId(i.id)}>
                <span className={`status-chip status-chip--${i.status}`}>{t(`incidents.statuses.${i.status}`)}</span>
                <span>
                  #{i.id} {i.description}
                  {i.overdue ? <span className="overdue-chip">{t('incidents.overdueFlag')}</span> : null}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
