/**
 * `/`: the public service-station map, no login. This component owns the state (filters, the
 * selected facility, the nearest query) and hands it to the map and the panels.
 *
 * The map draws the facilities from vector tiles (only what is on screen, at any scale); the
 * type and service filters and a search narrow what it draws without fetching tiles again. The
 * page itself fetches only small answers: the counts per type and service, the search matches,
 * the nearest stations, and the one facility opened from the map.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  fetchClientConfig,
  fetchFacilities,
  fetchFacilityTypes,
  fetchNearestFacilities,
  fetchServiceArea,
  type FacilityFeature,
  type FacilityTypeCode,
  type NearestFeature,
  type ServiceAreaFeature,
} from '../api/endpoints';
import { isAbort } from '../api/client';
import { useApi } from '../api/useApi';
import { describeError } from '../i18n/describe-error';
import type { BasemapSettings } from '../map/basemap';
import { bboxOf, type BBox } from '../map/geometry';
import type { LonLat } from '../map/MapView';
import { FacilityDetail } from './FacilityDetail';
import { useFacilityTypeName } from './facility-types';
import { FilterPanel } from './FilterPanel';
import { Legend } from './Legend';
import { NearestPanel, type NearestState } from './NearestPanel';
import { fetchAreaTileJson, TILEJSON } from '../map/tile-sources';
import { fetchFacility, fetchFacilitySummary } from './facility-api';
import type { DrawnFacilities, FacilityMapFilter, TileFacility } from './PublicMapLayers';
import { PublicMap, type AreaTiles, type CameraMove, type CameraRequest } from './PublicMap';
import { SearchBox } from './SearchBox';
import { useDebouncedValue } from './useDebouncedValue';
import './public-map.css';
import { PublicEmptyState } from '../app/EmptyState';

const OFFLINE_BASEMAP: BasemapSettings = { tiandituKey: null, styleUrl: null };
const NO_MATCHES: readonly FacilityFeature[] = [];
const NEAREST_LIMIT = 5;

/** The facility open in the detail panel; `complete` once every public field is there. */
interface Selection {
  facility: FacilityFeature;
  complete: boolean;
}

/** What a tile says of a facility, as a feature whose other fields are still to come. */
function featureFromTile(tile: TileFacility): FacilityFeature {
  return {
    type: 'Feature',
    id: tile.id,
    geometry: { type: 'Point', coordinates: tile.lngLat },
    properties: { id: tile.id, facilityType: tile.facilityType, name: tile.name, services: tile.services, address: '', phone: null, openingHours: null },
  };
}

export function PublicMapPage() {
  const { t } = useTranslation();

  // --- What the map is drawn from -------------------------------------------------------------
  const config = useApi((signal) => fetchClientConfig(signal), []);
  const basemap = useMemo<BasemapSettings | null>(() => {
    if (config.data) return config.data.basemap;
    return config.error ? OFFLINE_BASEMAP : null;
  }, [config.data, config.error]);

  const types = useApi((signal) => fetchFacilityTypes(signal), []);
  const typeName = useFacilityTypeName(types.data);

  // Outlines come as vector tiles: only their TileJSON (with the district's bounds) is fetched here.
  const areaTileJson = useApi((signal) => fetchAreaTileJson(signal), []);
  const areaTiles = useMemo<AreaTiles | null>(
    () => (areaTileJson.data ? { tileJsonUrl: TILEJSON.areas, bounds: areaTileJson.data.bounds as BBox, tileJson: areaTileJson.data } : null),
    [areaTileJson.data],
  );
  const areasError = areaTileJson.error;
  const areasLoading = areaTileJson.loading;

  // --- Filters ------------------------------------------------------------------------------------
  const [hiddenTypes, setHiddenTypes] = useState<ReadonlySet<FacilityTypeCode>>(new Set());
  const [service, setService] = useState('');
  const [query, setQuery] = useState('');
  const debouncedQuery = useDebouncedValue(query.trim(), 300);

  /** Counts per type and per service: the filter's numbers and services, without the facilities. */
  const summary = useApi((signal) => fetchFacilitySummary(signal), []);
  const shownTypes = useMemo(
    () => (types.data ?? []).map((type) => type.code).filter((code) => !hiddenTypes.has(code)),
    [types.data, hiddenTypes],
  );
  const noTypeShown = hiddenTypes.size > 0 && shownTypes.length === 0;
  /** A search is a query for its matches (with the filters), never the whole layer. */
  const search = useApi(
    (signal) => fetchFacilities({ types: hiddenTypes.size > 0 ? shownTypes : undefined, service: service || undefined, q: debouncedQuery }, signal),
    [shownTypes.join(','), hiddenTypes.size, service, debouncedQuery],
    debouncedQuery !== '' && !noTypeShown,
  );
  const searchResults: readonly FacilityFeature[] | null = debouncedQuery === '' ? null : noTypeShown ? NO_MATCHES : search.data?.features ?? null;

  // What the map draws: the same filters as expressions on the facility tiles, and the search's
  // matches by id.
  const hiddenTypeList = useMemo(() => [...hiddenTypes].sort(), [hiddenTypes]);
  const searchIds = useMemo(() => searchResults?.map((f) => f.properties.id) ?? null, [searchResults]);
  const facilityFilter = useMemo<FacilityMapFilter>(
    () => ({ hiddenTypes: hiddenTypeList, service, ids: searchIds }),
    [hiddenTypeList, service, searchIds],
  );
  /** Zoomed out past the facility tiles: the status line says to zoom in. */
  const [belowMinZoom, setBelowMinZoom] = useState(false);
  const onFacilitiesDrawn = useCallback((drawn: DrawnFacilities) => setBelowMinZoom(drawn.belowMinZoom), []);

  const services = useMemo(
    () => (summary.data?.services ?? []).map((s) => s.service).sort((a, b) => a.localeCompare(b, 'zh-CN')),
    [summary.data],
  );
  const countsByType = useMemo(
    () => new Map<FacilityTypeCode, number>((summary.data?.byType ?? []).map((c) => [c.facilityType, c.count])),
    [summary.data],
  );
  /** Facilities that pass the filters (and the search), across the whole district. */
  const matchingCount = useMemo(() => {
    if (searchResults) return searchResults.length;
    if (!summary.data) return null;
    const counts = service ? summary.data.services.find((s) => s.service === service)?.byType ?? [] : summary.data.byType;
    return counts.filter((c) => !hiddenTypes.has(c.facilityType)).reduce((n, c) => n + c.count, 0);
  }, [searchResults, summary.data, service, hiddenTypes]);
  const facilitiesError = summary.error ?? search.error;

  // --- Camera ----------------------------------------------------------------------------------------
  const [camera, setCamera] = useState<CameraRequest | null>(null);
  const cameraSeq = useRef(0);
  const moveCamera = useCallback((move: CameraMove) => {
    cameraSeq.current += 1;
    setCamera({ ...move, seq: cameraSeq.current });
  }, []);

  // --- Selected facility and its service circle ------------------------------------------------
  const [selection, setSelection] = useState<Selection | null>(null);
  const selected = selection?.facility ?? null;
  const [detailError, setDetailError] = useState<string | null>(null);
  const detailRequest = useRef<AbortController | null>(null);
  const [serviceArea, setServiceArea] = useState<ServiceAreaFeature | null>(null);
  const [serviceAreaLoading, setServiceAreaLoading] = useState(false);
  const [serviceAreaError, setServiceAreaError] = useState<string | null>(null);
  const serviceAreaRequest = useRef<AbortController | null>(null);
  const [panelCollapsed, setPanelCollapsed] = useState(false);

  const select = useCallback((facility: FacilityFeature | null, options: { fly?: boolean; complete?: boolean } = {}) => {
    serviceAreaRequest.current?.abort();
    detailRequest.current?.abort();
    setSelection(facility ? { facility, complete: options.complete ?? true } : null);
    setDetailError(null);
    setServiceArea(null);
    setServiceAreaError(null);
    setServiceAreaLoading(false);
    if (facility) {
      setPanelCollapsed(false);
      if (options.fly) moveCamera({ point: facility.geometry.coordinates as LonLat, minZoom: 15 });
    }
  }, [moveCamera]);

  // Nothing answers into a page that has gone.
  useEffect(
    () => () => {
      detailRequest.current?.abort();
      serviceAreaRequest.current?.abort();
    },
    [],
  );

  /** Opens a facility clicked on the map: at once with what its tile carries, then in full. */
  const selectFromTile = useCallback(
    (tile: TileFacility) => {
      select(featureFromTile(tile), { complete: false });
      const controller = new AbortController();
      detailRequest.current = controller;
      fetchFacility(tile.id, controller.signal).then(
        (facility) => {
          if (controller.signal.aborted) return;
          if (facility) setSelection((current) => (current?.facility.properties.id === tile.id ? { facility, complete: true } : current));
          else setDetailError(t('detail.gone'));
        },
        (error: unknown) => {
          if (!controller.signal.aborted && !isAbort(error)) setDetailError(t('detail.loadFailed', { message: describeError(error, t) }));
        },
      );
    },
    [select, t],
  );

  const toggleServiceArea = useCallback(async () => {
    if (!selected) return;
    if (serviceArea) {
      setServiceArea(null);
      return;
    }
    serviceAreaRequest.current?.abort();
    const controller = new AbortController();
    serviceAreaRequest.current = controller;
    setServiceAreaLoading(true);
    setServiceAreaError(null);
    try {
      const area = await fetchServiceArea(selected.properties.id, controller.signal);
      setServiceArea(area);
      const bbox = bboxOf([area.geometry]);
      if (bbox) moveCamera({ bbox, maxZoom: 17 });
    } catch (error) {
      if (!isAbort(error)) setServiceAreaError(describeError(error, t));
    } finally {
      if (serviceAreaRequest.current === controller) setServiceAreaLoading(false);
    }
  }, [selected, serviceArea, moveCamera, t]);

  // --- Nearest ----------------------------------------------------------------------------------------
  const [nearestType, setNearestType] = useState<FacilityTypeCode | ''>('party_mass_service_centre');
  const [picking, setPicking] = useState(false);
  const [locating, setLocating] = useState(false);
  const [locationError, setLocationError] = useState<string | null>(null);
  const [nearestPoint, setNearestPoint] = useState<NearestState | null>(null);
  const nearest = useApi(
    (signal) => fetchNearestFacilities({ lon: nearestPoint!.point[0], lat: nearestPoint!.point[1] }, { type: nearestType || undefined, limit: NEAREST_LIMIT }, signal),
    [nearestPoint, nearestType],
    nearestPoint !== null,
  );
  // A failed query leaves no stale answers on the map or in the list.
  const nearestResults = nearestPoint && !nearest.error ? nearest.data?.features ?? null : null;

  // Frame the chosen point and its answers once they arrive.
  useEffect(() => {
    if (!nearestPoint || !nearest.data || nearest.loading) return;
    const bbox = bboxOf([{ type: 'Point', coordinates: nearestPoint.point }, ...nearest.data.features.map((f) => f.geometry)]);
    if (bbox) moveCamera({ bbox, maxZoom: 16 });
  }, [nearest.data, nearest.loading, nearestPoint, moveCamera]);

  const chooseNearestPoint = useCallback((state: NearestState) => {
    setNearestPoint(state);
    setLocationError(null);
    setPanelCollapsed(false);
    detailRequest.current?.abort();
    setSelection(null);
    setServiceArea(null);
  }, []);

  const locateMe = useCallback(() => {
    setPicking(false);
    if (!('geolocation' in navigator)) {
      setLocationError(t('nearest.geoUnsupported'));
      return;
    }
    setLocating(true);
    setLocationError(null);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        chooseNearestPoint({ origin: 'geolocation', point: [position.coords.longitude, position.coords.latitude] });
      },
      (error) => {
        setLocating(false);
        setLocationError(error.code === error.PERMISSION_DENIED ? t('nearest.geoDenied') : t('nearest.geoFailed', { message: error.message }));
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  }, [chooseNearestPoint, t]);

  // --- Map clicks ------------------------------------------------------------------------------------
  // Facilities the page already has in full: the nearest answers, the search matches, the open one.
  const knownFacility = useCallback(
    (id: number): FacilityFeature | null =>
      nearestResults?.find((f) => f.properties.id === id) ??
      searchResults?.find((f) => f.properties.id === id) ??
      (selection?.complete && selection.facility.properties.id === id ? selection.facility : null),
    [nearestResults, searchResults, selection],
  );

  const onFacilityClick = useCallback(
    (id: number, fromTile: TileFacility | null) => {
      const known = knownFacility(id);
      if (known) select(known);
      else if (fromTile) selectFromTile(fromTile);
    },
    [knownFacility, select, selectFromTile],
  );
  const onPick = useCallback(
    (lngLat: LonLat) => {
      setPicking(false);
      chooseNearestPoint({ origin: 'pick', point: lngLat });
    },
    [chooseNearestPoint],
  );

  // Escape leaves picking mode.
  useEffect(() => {
    if (!picking) return;
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setPicking(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [picking]);

  const nearestForMap = useMemo(
    () => (nearestPoint && nearestResults ? { point: nearestPoint.point, results: nearestResults } : nearestPoint ? { point: nearestPoint.point, results: [] } : null),
    [nearestPoint, nearestResults],
  );
  const selectedAsNearest: NearestFeature | null =
    (selected && nearestResults?.find((f) => f.properties.id === selected.properties.id)) || null;

  // --- Status lines ------------------------------------------------------------------------------------
  const errors = [
    config.error ? t('publicMap.errorConfig', { message: describeError(config.error, t) }) : null,
    types.error ? t('publicMap.errorTypes', { message: describeError(types.error, t) }) : null,
    areasError ? t('publicMap.errorAreas', { message: describeError(areasError, t) }) : null,
    facilitiesError ? t('publicMap.errorFacilities', { message: describeError(facilitiesError, t) }) : null,
  ].filter((e): e is string => e !== null);

  return (
    <div className={`public-map${panelCollapsed ? ' is-panel-collapsed' : ''}`}>
      <aside className="public-map__panel" aria-label={t('publicMap.panelLabel')}>
        <button
          type="button"
          className="panel-toggle"
          aria-expanded={!panelCollapsed}
          aria-controls="public-map-panel-body"
          onClick={() => setPanelCollapsed((c) => !c)}
        >
          <span className="panel-toggle__grip" aria-hidden="true" />
          {panelCollapsed ? t('publicMap.expandPanel') : t('publicMap.collapsePanel')}
        </button>
        <div className="public-map__panel-body" id="public-map-panel-body">
          {errors.length > 0 && (
            <div className="error-box" role="alert">
              {errors.map((message) => (
                <p key={message}>{message}</p>
              ))}
              <button
                type="button"
                className="button button--small"
                onClick={() => {
                  if (config.error) config.reload();
                  if (types.error) types.reload();
                  if (areaTileJson.error) areaTileJson.reload();
                  if (summary.error) summary.reload();
                  if (search.error) search.reload();
                }}
              >
                {t('errors.retry')}
              </button>
            </div>
          )}
          {selected ? (
            <FacilityDetail
              facility={selected}
              complete={selection?.complete ?? true}
              loadError={detailError}
              nearestResult={selectedAsNearest}
              serviceArea={serviceArea}
              serviceAreaLoading={serviceAreaLoading}
              serviceAreaError={serviceAreaError}
              onToggleServiceArea={() => void toggleServiceArea()}
              onShowOnMap={() => moveCamera({ point: selected.geometry.coordinates as LonLat, minZoom: 16 })}
              onBack={() => select(null)}
              typeName={typeName}
            />
          ) : (
            <>
              <header className="panel-section panel-intro">
                <h1>{t('publicMap.title')}</h1>
                <p className="muted">{t('publicMap.intro')}</p>
                <PublicEmptyState facilityCount={summary.data ? summary.data.total : null} />
              </header>
              <SearchBox
                query={query}
                onQueryChange={setQuery}
                results={search.loading ? null : searchResults}
                searching={query.trim() !== debouncedQuery || (debouncedQuery !== '' && search.loading)}
                typeName={typeName}
                onChoose={(facility) => select(facility, { fly: true })}
              />
              <NearestPanel
                types={types.data ?? []}
                nearestType={nearestType}
                onNearestTypeChange={setNearestType}
                picking={picking}
                onPickingChange={(value) => {
                  setPicking(value);
                  if (value) setPanelCollapsed(window.matchMedia('(max-width: 700px)').matches);
                }}
                locating={locating}
                onMyLocation={locateMe}
                nearest={nearestPoint}
                results={nearestResults}
                searching={nearest.loading}
                error={locationError ?? (nearest.error ? describeError(nearest.error, t) : null)}
                onChoose={(facility) => select(facility, { fly: true })}
                onClear={() => setNearestPoint(null)}
                typeName={typeName}
              />
              <FilterPanel
                types={types.data ?? []}
                hiddenTypes={hiddenTypes}
                onHiddenTypesChange={setHiddenTypes}
                services={services}
                service={service}
                onServiceChange={setService}
                typeName={typeName}
                countsByType={countsByType}
              />
            </>
          )}
          <p className="panel-status muted" role="status">
            {areasLoading && !areaTiles ? t('publicMap.loadingAreas') + ' ' : ''}
            {matchingCount !== null ? t('publicMap.facilitiesShown', { count: matchingCount }) : summary.loading ? t('publicMap.loadingFacilities') : ''}
            {belowMinZoom ? ' ' + t('publicMap.zoomInForFacilities') : ''}
          </p>
        </div>
      </aside>
      <section className="public-map__map" aria-label={t('publicMap.mapLabel')}>
        <PublicMap
          basemap={basemap}
          areaTiles={areaTiles}
          facilityFilter={facilityFilter}
          selected={selected}
          serviceArea={serviceArea}
          nearest={nearestForMap}
          picking={picking}
          camera={camera}
          onFacilityClick={onFacilityClick}
          onPick={onPick}
          onFacilitiesDrawn={onFacilitiesDrawn}
        />
        <Legend types={types.data ?? []} typeName={typeName} />
        {picking ? (
          <div className="pick-banner" aria-hidden="true">
            {t('nearest.pickHint')}
          </div>
        ) : (
          belowMinZoom && (
            // The status line in the panel says the same to screen readers.
            <div className="pick-banner" aria-hidden="true">
              {t('publicMap.zoomInForFacilities')}
            </div>
          )
        )}
      </section>
    </div>
  );
}
