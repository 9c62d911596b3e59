/**
 * The bridge from the coverage page's state to the imperative map: owns a MapView and the
 * CoverageLayers, pushes each prop in, and hands the view out for the image export.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AreaCollection, FacilityTypeInfo } from '../api/endpoints';
import type { BasemapSettings } from '../map/basemap';
import { bboxOf } from '../map/geometry';
import type { LonLat, MapView } from '../map/MapView';
import { useMapView } from '../map/useMapView';
import { fetchAreaBounds, type AreaRow, type CoverageWithGaps, type Proposal, type SitingResult } from './coverage-api';
import { COMMUNITY_TILES_MIN_ZOOM, CoverageLayers, GRID_TILES_MIN_ZOOM, type LayerVisibility, type MapLevel, type MapMode } from './CoverageLayers';

export interface CoverageMapProps {
  basemap: BasemapSettings | null;
  /** The district: frames the first view, and its latitude scales the service circles. */
  district: AreaCollection | null;
  /** The facility types with their service radii. */
  types: readonly FacilityTypeInfo[] | null;
  level: MapLevel;
  result: CoverageWithGaps | null;
  proposals: readonly Proposal[];
  suggestions: SitingResult | null;
  selectedCode: string | null;
  /** The selected row (for its parent, to find its outline when framing it). */
  selectedRow: AreaRow | null;
  /** A new value frames the selected area. */
  frameSelectedSeq: number;
  mode: MapMode;
  visibility: LayerVisibility;
  onAreaClick(code: string): void;
  onFacilityClick(id: number): void;
  onMapClick(lngLat: LonLat): void;
  onView(view: MapView | null): void;
}

export function CoverageMap(props: CoverageMapProps) {
  const { t } = useTranslation();
  const containerRef = useRef<HTMLDivElement>(null);
  const view = useMapView(containerRef, props.basemap, t('coverage.mapLabel'));
  const [layers, setLayers] = useState<CoverageLayers | null>(null);
  const [ready, setReady] = useState(false);
  const [zoom, setZoom] = useState<number | null>(null);
  const framed = useRef(false);
  const handlers = useRef(props);
  handlers.current = props;

  useEffect(() => {
    if (!view) return;
    const created = new CoverageLayers(view, {
      onAreaClick: (code) => handlers.current.onAreaClick(code),
      onFacilityClick: (id) => handlers.current.onFacilityClick(id),
      onMapClick: (lngLat) => handlers.current.onMapClick(lngLat),
    });
    setLayers(created);
    handlers.current.onView(view);
    let cancelled = false;
    // Ready once the style is loaded and the first tiles in view are drawn.
    void view.whenReady().then(() => {
      if (cancelled) return;
      const unsubscribe = view.onIdle(() => {
        unsubscribe();
        if (!cancelled) setReady(true);
      });
    });
    const onZoom = () => setZoom(view.map.getZoom());
    view.map.on('zoomend', onZoom);
    view.map.on('moveend', onZoom);
    onZoom();
    return () => {
      cancelled = true;
      view.map.off('zoomend', onZoom);
      view.map.off('moveend', onZoom);
      created.destroy();
      setLayers(null);
      setReady(false);
      handlers.current.onView(null);
      framed.current = false;
    };
  }, [view]);

  const districtBox = useMemo(() => (props.district ? bboxOf(props.district.features.flatMap((f) => (f.geometry ? [f.geometry] : []))) : null), [props.district]);

  useEffect(() => {
    if (!view || !districtBox || framed.current) return;
    framed.current = true;
    view.fitBounds(districtBox, { padding: 16, animate: false });
  }, [view, districtBox]);

  useEffect(() => {
    if (layers && districtBox && props.types) layers.setServiceRadii(props.types, (districtBox[1] + districtBox[3]) / 2);
  }, [layers, districtBox, props.types]);

  useEffect(() => layers?.setResult(props.result), [layers, props.result]);
  useEffect(() => layers?.setLevel(props.level), [layers, props.level]);
  useEffect(() => layers?.setSelected(props.level, props.selectedCode), [layers, props.level, props.selectedCode]);
  useEffect(() => layers?.setProposals(props.proposals), [layers, props.proposals]);
  useEffect(() => layers?.setSuggestions(props.suggestions, (rank) => t('coverage.siting.suggestionMarker', { rank })), [layers, props.suggestions, t]);
  useEffect(() => {
    // New suggestions: bring them all into view.
    const sites = props.suggestions?.suggestions ?? [];
    if (!view || sites.length === 0) return;
    const lons = sites.map((s) => s.lon);
    const lats = sites.map((s) => s.lat);
    const margin = 0.012; // ~1 km: the new circles fit too
    view.fitBounds([Math.min(...lons) - margin, Math.min(...lats) - margin, Math.max(...lons) + margin, Math.max(...lats) + margin], { padding: 60, maxZoom: 15 });
  }, [view, props.suggestions]);
  useEffect(() => layers?.setMode(props.mode), [layers, props.mode]);
  useEffect(() => layers?.setVisibility(props.visibility), [layers, props.visibility]);
  useEffect(() => {
    const row = props.selectedRow;
    if (!view || props.frameSelectedSeq === 0 || !row) return;
    // Only a new request frames; a data refresh does not move the camera. The outline may be off
    // screen (no tile loaded there): its box is asked of the server among its parent's children.
    const controller = new AbortController();
    fetchAreaBounds(props.level, row.code, row.parentCode, controller.signal)
      .then((bbox) => bbox && view.fitBounds(bbox, { padding: 80, maxZoom: 16 }))
      .catch(() => undefined);
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.frameSelectedSeq]);

  // Grids (and communities) have tiles from a zoom on; below it the coarser level is coloured instead.
  const hint =
    zoom === null ? null
    : props.level === 'grid' && zoom < GRID_TILES_MIN_ZOOM ? t(zoom < COMMUNITY_TILES_MIN_ZOOM ? 'coverage.mapHint.gridsShowStreets' : 'coverage.mapHint.gridsShowCommunities')
    : props.level === 'community' && zoom < COMMUNITY_TILES_MIN_ZOOM ? t('coverage.mapHint.communitiesShowStreets')
    : null;

  return (
    <div
      className={`coverage-map__canvas${props.mode === 'add' ? ' is-picking' : ''}`}
      data-map-ready={ready ? 'true' : 'false'}
      data-uncovered-buildings={props.result?.gaps.uncoveredBuildingIds.length ?? ''}
    >
      <div ref={containerRef} className="coverage-map__maplibre" />
      {!ready && (
        <div className="map-loading" role="status">
          {t('coverage.loadingMap')}
        </div>
      )}
      {ready && hint && (
        <p className="coverage-zoom-hint" role="status">
          {hint}
        </p>
      )}
    </div>
  );
}
