/**
 * The facility editing map's layers. The base layers come from the vector tiles, so thousands of
 * facilities cost only what is on screen: district and street outlines (`/api/tiles/areas.json`)
 * and every facility (`/api/tiles/facilities.json`: staff get the ones hidden from the public too,
 * drawn hollow), coloured by type and filtered on the map itself. Over them, as GeoJSON: the
 * selected facility and its stored service circle, and the position being picked for a new or
 * moved facility.
 */
import type { ExpressionSpecification, FilterSpecification } from 'maplibre-gl';
import type { FeatureCollection } from 'geojson';
import type { FacilityTypeCode, ServiceAreaFeature } from '../api/endpoints';
import type { LonLat, MapView } from '../map/MapView';
import { facilityColourExpression } from '../public-map/facility-colours';
import { TILEJSON } from '../map/tile-sources';


const SOURCE = { areas: 'fa-areas', facilities: 'fa-facilities', serviceArea: 'fa-service-area', selected: 'fa-selected', pending: 'fa-pending' } as const;
const LAYER = {
  streets: 'fa-street-line',
  district: 'fa-district',
  facilities: 'fa-facilities',
  serviceFill: 'fa-service-fill',
  serviceLine: 'fa-service-line',
  selected: 'fa-selected',
  pending: 'fa-pending',
} as const;
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export type Visibility = 'all' | 'public' | 'hidden';

export interface FacilityFilter {
  /** The types shown (all of them: no filter on type). */
  types: readonly FacilityTypeCode[];
  visibility: Visibility;
}

export interface FacilitiesAdminHandlers {
  onFacilityClick(id: number): void;
  onPick(lngLat: LonLat): void;
  /** After each move or reload: how many facilities (passing the filter) are drawn in view. */
  onVisibleCount(count: number): void;
}

/** The filter of the facility tile layer: types shown, public or hidden. */
export function facilityFilter(filter: FacilityFilter, allTypes: number): FilterSpecification | null {
  const parts: ExpressionSpecification[] = [];
  if (filter.types.length < allTypes) parts.push(['in', ['get', 'facilityType'], ['literal', [...filter.types]]]);
  if (filter.visibility === 'public') parts.push(['!=', ['get', 'isPublic'], false]);
  if (filter.visibility === 'hidden') parts.push(['==', ['get', 'isPublic'], false]);
  if (parts.length === 0) return null;
  return (parts.length === 1 ? parts[0]! : ['all', ...parts]) as FilterSpecification;
}

export class FacilitiesAdminLayers {
  private readonly unsubscribers: (() => void)[] = [];
  private picking = false;

  constructor(
    private readonly view: MapView,
    private readonly handlers: FacilitiesAdminHandlers,
  ) {
    const level = (name: string) => ['==', ['get', 'level'], name] as ExpressionSpecification;
    view.addVectorTiles(SOURCE.areas, TILEJSON.areas, [
      { id: LAYER.streets, type: 'line', 'source-layer': 'areas', filter: level('street'), paint: { 'line-color': '#8a7360', 'line-width': 1.2, 'line-opacity': 0.6, 'line-dasharray': [4, 2] } },
      { id: LAYER.district, type: 'line', 'source-layer': 'areas', filter: level('district'), paint: { 'line-color': '#b3261e', 'line-width': 2, 'line-opacity': 0.7 } },
    ]);
    for (const id of [SOURCE.serviceArea, SOURCE.selected, SOURCE.pending]) view.addGeoJsonSource(id);
    view.addLayer({ id: LAYER.serviceFill, type: 'fill', source: SOURCE.serviceArea, paint: { 'fill-color': '#1e88e5', 'fill-opacity': 0.15 } });
    view.addLayer({ id: LAYER.serviceLine, type: 'line', source: SOURCE.serviceArea, paint: { 'line-color': '#1565c0', 'line-width': 2 } });
    const hidden = ['==', ['get', 'isPublic'], false] as ExpressionSpecification;
    view.addVectorTiles(SOURCE.facilities, TILEJSON.facilities, [
      {
        id: LAYER.facilities,
        type: 'circle',
        'source-layer': 'facilities',
        paint: {
          // Facilities hidden from the public map are hollow.
          'circle-color': ['case', hidden, '#ffffff', facilityColourExpression()],
          'circle-stroke-color': ['case', hidden, facilityColourExpression(), '#ffffff'],
          'circle-stroke-width': ['case', hidden, 2.5, 1.5],
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 4.5, 16, 8],
        },
      },
    ]);
    view.addLayer({ id: LAYER.selected, type: 'circle', source: SOURCE.selected, paint: { 'circle-color': 'rgba(0,0,0,0)', 'circle-radius': 12, 'circle-stroke-color': '#0d47a1', 'circle-stroke-width': 3 } });
    view.addLayer({ id: LAYER.pending, type: 'circle', source: SOURCE.pending, paint: { 'circle-color': '#6a1b9a', 'circle-radius': 8, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 } });
    this.unsubscribers.push(view.onLayerClick(LAYER.facilities, (feature) => {
      const id = Number(feature.id);
      if (!this.picking && Number.isInteger(id)) handlers.onFacilityClick(id);
    }));
    this.unsubscribers.push(view.onBackgroundClick([], (lngLat) => this.picking && handlers.onPick(lngLat)));
    this.unsubscribers.push(view.onIdle(() => this.countVisible()));
  }

  /** Facilities drawn in view (each once, though a point near a tile edge is in two tiles). */
  private countVisible() {
    const map = this.view.map;
    if (!map.getLayer(LAYER.facilities)) return;
    const ids = new Set(map.queryRenderedFeatures({ layers: [LAYER.facilities] }).map((f) => f.id));
    this.handlers.onVisibleCount(ids.size);
  }

  setFilter(filter: FacilityFilter, allTypes: number) {
    this.view.setFilter(LAYER.facilities, facilityFilter(filter, allTypes));
    this.view.map.triggerRepaint();
  }

  /**
   * After an edit: the facility tiles on screen are fetched again (revalidated by ETag: only the
   * changed ones come with a body). The server answers a write only once the tiles it touched have
   * left its cache, so this one refresh sees the edit.
   */
  refresh() {
    this.view.refreshVectorTiles(SOURCE.facilities);
  }

  setSelected(position: LonLat | null, serviceArea: ServiceAreaFeature | null) {
    this.view.setGeoJsonData(SOURCE.selected, position ? { type: 'Feature', geometry: { type: 'Point', coordinates: position }, properties: {} } : EMPTY);
    this.view.setGeoJsonData(SOURCE.serviceArea, serviceArea ?? EMPTY);
  }

  setPending(position: LonLat | null) {
    this.view.setGeoJsonData(SOURCE.pending, position ? { type: 'Feature', geometry: { type: 'Point', coordinates: position }, properties: {} } : EMPTY);
  }

  setPicking(picking: boolean) {
    this.picking = picking;
    this.view.setCursor(picking ? 'crosshair' : '');
  }

  destroy() {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
  }
}
