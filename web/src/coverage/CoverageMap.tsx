/**
 * The bridge from the coverage page's state to the imperative map: owns a MapView and the
 * CoverageLayers, pushes each prop in, and hands the view out for the image export.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AreaCollection } from '../api/endpoints';
import type { BasemapSettings } from '../map/basemap';
import type { LonLat, MapView } from '../map/MapView';
import { useMapView } from '../map/useMapView';
import type { AreaRow, CoverageWithGaps, Proposal, SitingResult } from './coverage-api';
import { CoverageLayers, type LayerVisibility, type MapMode } from './CoverageLayers';

export interface CoverageMapProps {
  basemap: BasemapSettings | null;
  district: AreaCollection | null;
  outlines: AreaCollection | null;
  rows: readonly AreaRow[] | null;
  result: CoverageWithGaps | null;
  proposals: readonly Proposal[];
  suggestions: SitingResult | null;
  selectedCode: string | null;
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
  const { t, i18n } = useTranslation();
  const containerRef = useRef<HTMLDivElement>(null);
  const uiStrings = useMemo(
    () => ({ title: t('coverage.mapLabel'), zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut'), resetBearing: t('map.resetBearing') }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [i18n.language],
  );
  const view = useMapView(containerRef, props.basemap, uiStrings);
  const [layers, setLayers] = useState<CoverageLayers | null>(null);
  const [ready, setReady] = useState(false);
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
    void view.whenReady().then(() => !cancelled && setReady(true));
    return () => {
      cancelled = true;
      created.destroy();
      setLayers(null);
      setReady(false);
      handlers.current.onView(null);
      framed.current = false;
    };
  }, [view]);

  useEffect(() => {
    if (!layers || !view) return;
    layers.setDistrict(props.district);
    const bbox = layers.setAreas(props.district, null);
    if (bbox && !framed.current) {
      framed.current = true;
      view.fitBounds(bbox, { padding: 16, animate: false });
    }
  }, [layers, view, props.district]);

  useEffect(() => {
    layers?.setAreas(props.outlines, props.rows);
  }, [layers, props.outlines, props.rows]);
  useEffect(() => layers?.setResult(props.result), [layers, props.result]);
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
    layers?.setSelectedArea(props.outlines, props.selectedCode);
  }, [layers, props.outlines, props.selectedCode]);
  useEffect(() => {
    if (!layers || !view || props.frameSelectedSeq === 0) return;
    const bbox = layers.setSelectedArea(props.outlines, props.selectedCode);
    if (bbox) view.fitBounds(bbox, { padding: 80, maxZoom: 16 });
    // Only a new request frames; a data refresh does not move the camera.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.frameSelectedSeq]);

  return (
    <div
      className={`coverage-map__canvas${props.mode === 'add' ? ' is-picking' : ''}`}
      data-map-ready={ready ? 'true' : 'false'}
      data-uncovered-buildings={props.result?.gaps.uncoveredBuildings.features.length ?? ''}
    >
      <div ref={containerRef} className="coverage-map__maplibre" />
      {!ready && (
        <div className="map-loading" role="status">
          {t('coverage.loadingMap')}
        </div>
      )}
    </div>
  );
}
