/**
 * The bridge from React state to the imperative map: it owns a MapView and a PublicMapLayers
 * and pushes each prop into them. Clicks come back through the `on…` props.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FacilityFeature, NearestFeature, ServiceAreaFeature } from '../api/endpoints';
import type { BasemapSettings } from '../map/basemap';
import type { BBox } from '../map/geometry';
import type { LonLat, VectorTileJson } from '../map/MapView';
import { useMapView } from '../map/useMapView';
import { PublicMapLayers, type DrawnFacilities, type FacilityMapFilter, type TileFacility } from './PublicMapLayers';

/** The area outlines' vector tiles: their TileJSON URL and the district's bounds, to frame the view. */
export interface AreaTiles {
  tileJsonUrl: string;
  bounds: BBox;
  /** The TileJSON itself when the page has it (MapLibre then does not fetch it again). */
  tileJson?: VectorTileJson;
}

/** Where to move the camera: frame a box, or bring a point into view. */
export type CameraMove = { bbox: BBox; maxZoom?: number } | { point: LonLat; minZoom?: number };
/** A camera move; a new object (new `seq`) moves it again, even to the same place. */
export type CameraRequest = CameraMove & { seq: number };

export interface PublicMapProps {
  basemap: BasemapSettings | null;
  areaTiles: AreaTiles | null;
  /** Which facilities the tile layer draws (applied on the map, no refetch). */
  facilityFilter: FacilityMapFilter;
  selected: FacilityFeature | null;
  serviceArea: ServiceAreaFeature | null;
  nearest: { point: LonLat; results: readonly NearestFeature[] } | null;
  picking: boolean;
  camera: CameraRequest | null;
  onFacilityClick(id: number, fromTile: TileFacility | null): void;
  onPick(lngLat: LonLat): void;
  onFacilitiesDrawn(drawn: DrawnFacilities): void;
}

export function PublicMap(props: PublicMapProps) {
  const { t } = useTranslation();
  const containerRef = useRef<HTMLDivElement>(null);
  const view = useMapView(containerRef, props.basemap, t('publicMap.mapLabel'));
  const [layers, setLayers] = useState<PublicMapLayers | null>(null);
  const [ready, setReady] = useState(false);
  const [drawn, setDrawn] = useState<DrawnFacilities | null>(null);
  const framedDistrict = useRef(false);

  // The handlers change on every render; the layers call the latest through this ref.
  const handlers = useRef(props);
  handlers.current = props;

  useEffect(() => {
    if (!view) return;
    const created = new PublicMapLayers(view, {
      onFacilityClick: (id, fromTile) => handlers.current.onFacilityClick(id, fromTile),
      onPick: (lngLat) => handlers.current.onPick(lngLat),
      onFacilitiesDrawn: (next) => {
        setDrawn((previous) =>
          previous && previous.count === next.count && previous.belowMinZoom === next.belowMinZoom && previous.types.join() === next.types.join() ? previous : next,
        );
        handlers.current.onFacilitiesDrawn(next);
      },
    });
    setLayers(created);
    let cancelled = false;
    // Ready once the style is loaded and the first tiles in view are drawn (with their labels).
    void view.whenReady().then(() => {
      if (cancelled) return;
      const unsubscribe = view.onIdle(() => {
        unsubscribe();
        if (!cancelled) setReady(true);
      });
    });
    return () => {
      cancelled = true;
      created.destroy();
      setLayers(null);
      setReady(false);
      framedDistrict.current = false;
    };
  }, [view]);

  useEffect(() => {
    if (!layers || !view || !props.areaTiles) return;
    layers.setAreaTiles(props.areaTiles.tileJsonUrl, props.areaTiles.tileJson);
    if (!framedDistrict.current) {
      framedDistrict.current = true;
      view.fitBounds(props.areaTiles.bounds, { padding: 16, animate: false });
    }
  }, [layers, view, props.areaTiles]);

  useEffect(() => layers?.setFacilityFilter(props.facilityFilter), [layers, props.facilityFilter]);
  useEffect(() => layers?.setSelected(props.selected), [layers, props.selected]);
  useEffect(() => layers?.setServiceArea(props.serviceArea), [layers, props.serviceArea]);

  useEffect(() => {
    layers?.setNearest(props.nearest?.point ?? null, props.nearest?.results ?? [], {
      point: t('nearest.pointMarker'),
      rank: (rank, name) => t('nearest.rank', { rank, name }),
    });
  }, [layers, props.nearest, t]);

  useEffect(() => layers?.setPicking(props.picking), [layers, props.picking]);

  useEffect(() => {
    const camera = props.camera;
    if (!view || !camera) return;
    if ('bbox' in camera) view.fitBounds(camera.bbox, { padding: 64, maxZoom: camera.maxZoom ?? 16 });
    else view.showPoint(camera.point, camera.minZoom ?? 15);
  }, [view, props.camera]);

  // MapLibre adds its own classes and children to its container, so React keeps its hands off
  // that element and puts its own state on the wrapper (what the facility layer draws in view,
  // once settled, for people debugging the map and for the browser tests).
  return (
    <div
      className={`public-map__canvas${props.picking ? ' is-picking' : ''}`}
      data-map-ready={ready ? 'true' : 'false'}
      data-facilities-drawn={drawn?.count ?? ''}
      data-facility-types-drawn={drawn?.types.join(',') ?? ''}
    >
      <div ref={containerRef} className="public-map__maplibre" />
      {!ready && (
        <div className="map-loading" role="status">
          {t('publicMap.loadingMap')}
        </div>
      )}
    </div>
  );
}
