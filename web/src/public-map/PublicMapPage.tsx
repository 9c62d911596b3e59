/**
 * `/`: the public service-station map, no login. This component owns the state (filters, the
 * selected facility, the nearest query) and hands it to the map and the panels.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  fetchClientConfig,
  fetchFacilities,
  fetchFacilityTypes,
  fetchNearestFacilities,
  fetchServiceArea,
  type FacilityCollection,
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
import { AREA_TILEJSON_PATH, fetchAreaTileJson } from './area-tiles';
import { PublicMap, type AreaTiles, type CameraMove, type CameraRequest } from './PublicMap';
import { SearchBox } from './SearchBox';
import { useDebouncedValue } from './useDebouncedValue';
import './public-map.css';

const OFFLINE_BASEMAP: BasemapSettings = { tiandituKey: null, styleUrl: null };
const NO_FACILITIES: FacilityCollection = { type: 'FeatureCollection', features: [] };
const NEAREST_LIMIT = 5;

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
    () => (areaTileJson.data ? { tileJsonUrl: AREA_TILEJSON_PATH, bounds: areaTileJson.data.bounds as BBox } : null),
    [areaTileJson.data],
  );
  const areasError = areaTileJson.error;
  const areasLoading = areaTileJson.loading;

  // --- Filters ------------------------------------------------------------------------------------
  const [hiddenTypes, setHiddenTypes] = useState<ReadonlySet<FacilityTypeCode>>(new Set());
  const [service, setService] = useState('');
  const [query, setQuery] = useState('');
  const debouncedQuery = useDebouncedValue(query.trim(), 300);

  /** Every public facility: the services list and the per-type counts come from it. */
  const allFacilities = useApi((signal) => fetchFacilities({}, signal), []);
  const shownTypes = useMemo(
    () => (types.data ?? []).map((type) => type.code).filter((code) => !hiddenTypes.has(code)),
    [types.data, hiddenTypes],
  );
  const noTypeShown = hiddenTypes.size > 0 && shownTypes.length === 0;
  const filtered = hiddenTypes.size > 0 || service !== '' || debouncedQuery !== '';
  const filteredFacilities = useApi(
    (signal) => fetchFacilities({ types: hiddenTypes.size > 0 ? shownTypes : undefined, service: service || undefined, q: debouncedQuery || undefined }, signal),
    [shownTypes.join(','), hiddenTypes.size, service, debouncedQuery],
    filtered && !noTypeShown,
  );
  const facilities = noTypeShown ? NO_FACILITIES : filtered ? filteredFacilities.data : allFacilities.data;
  const facilitiesLoading = filtered ? filteredFacilities.loading : allFacilities.loading;
  const facilitiesError = filtered ? filteredFacilities.error : allFacilities.error;

  const services = useMemo(() => {
    const all = new Set<string>();
    for (const facility of allFacilities.data?.features ?? []) for (const s of facility.properties.services) all.add(s);
    return [...all].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  }, [allFacilities.data]);
  const countsByType = useMemo(() => {
    const counts = new Map<FacilityTypeCode, number>();
    for (const facility of allFacilities.data?.features ?? []) {
      counts.set(facility.properties.facilityType, (counts.get(facility.properties.facilityType) ?? 0) + 1);
    }
    return counts;
  }, [allFacilities.data]);

  // --- Camera ----------------------------------------------------------------------------------------
  const [camera, setCamera] = useState<CameraRequest | null>(null);
  const cameraSeq = useRef(0);
  const moveCamera = useCallback((move: CameraMove) => {
    cameraSeq.current += 1;
    setCamera({ ...move, seq: cameraSeq.current });
  }, []);

  // --- Selected facility and its service circle ------------------------------------------------
  const [selected, setSelected] = useState<FacilityFeature | null>(null);
  const [serviceArea, setServiceArea] = useState<ServiceAreaFeature | null>(null);
  const [serviceAreaLoading, setServiceAreaLoading] = useState(false);
  const [serviceAreaError, setServiceAreaError] = useState<string | null>(null);
  const serviceAreaRequest = useRef<AbortController | null>(null);
  const [panelCollapsed, setPanelCollapsed] = useState(false);

  const select = useCallback((facility: FacilityFeature | null, options: { fly?: boolean } = {}) => {
    serviceAreaRequest.current?.abort();
    setSelected(facility);
    setServiceArea(null);
    setServiceAreaError(null);
    setServiceAreaLoading(false);
    if (facility) {
      setPanelCollapsed(false);
      if (options.fly) moveCamera({ point: facility.geometry.coordinates as LonLat, minZoom: 15 });
    }
  }, [moveCamera]);

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
    setSelected(null);
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
  const facilityById = useMemo(() => {
    const byId = new Map<number, FacilityFeature>();
    for (const f of allFacilities.data?.features ?? []) byId.set(f.properties.id, f);
    for (const f of facilities?.features ?? []) byId.set(f.properties.id, f);
    for (const f of nearestResults ?? []) if (!byId.has(f.properties.id)) byId.set(f.properties.id, f);
    return byId;
  }, [allFacilities.data, facilities, nearestResults]);

  const onFacilityClick = useCallback(
    (id: number) => {
      const facility = facilityById.get(id);
      if (facility) select(facility);
    },
    [facilityById, select],
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
                  if (allFacilities.error) allFacilities.reload();
                  if (filteredFacilities.error) filteredFacilities.reload();
                }}
              >
                {t('errors.retry')}
              </button>
            </div>
          )}
          {selected ? (
            <FacilityDetail
              facility={selected}
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
              </header>
              <SearchBox
                query={query}
                onQueryChange={setQuery}
                results={debouncedQuery ? (filteredFacilities.loading ? null : facilities?.features ?? null) : null}
                searching={query.trim() !== debouncedQuery || (debouncedQuery !== '' && filteredFacilities.loading)}
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
            {facilitiesLoading ? t('publicMap.loadingFacilities') : facilities ? t('publicMap.facilitiesShown', { count: facilities.features.length }) : ''}
          </p>
        </div>
      </aside>
      <section className="public-map__map" aria-label={t('publicMap.mapLabel')}>
        <PublicMap
          basemap={basemap}
          areaTiles={areaTiles}
          facilities={facilities}
          selected={selected}
          serviceArea={serviceArea}
          nearest={nearestForMap}
          picking={picking}
          camera={camera}
          onFacilityClick={onFacilityClick}
          onPick={onPick}
        />
        <Legend types={types.data ?? []} typeName={typeName} />
        {picking && (
          <div className="pick-banner" aria-hidden="true">
            {t('nearest.pickHint')}
          </div>
        )}
      </section>
    </div>
  );
}
