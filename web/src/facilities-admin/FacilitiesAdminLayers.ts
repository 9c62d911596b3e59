/**
 * The facility editing map's layers: every facility (non-public ones hollow), the selected one
 * and its stored service circle, and the position being picked for a new or moved facility.
 */
import type { FeatureCollection } from 'geojson';
import type { FacilityCollection, ServiceAreaFeature } from '../api/endpoints';
import type { LonLat, MapView } from '../map/MapView';
import { facilityColourExpression } from '../public-map/facility-colours';

const SOURCE = { facilities: 'fa-facilities', serviceArea: 'fa-service-area', selected: 'fa-selected', pending: 'fa-pending', district: 'fa-district' } as const;
const LAYER = { facilities: 'fa-facilities', serviceFill: 'fa-service-fill', serviceLine: 'fa-service-line', selected: 'fa-selected', pending: 'fa-pending', district: 'fa-district' } as const;
const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

export class FacilitiesAdminLayers {
  private readonly unsubscribers: (() => void)[] = [];
  private picking = false;

  constructor(
    private readonly view: MapView,
    handlers: { onFacilityClick(id: number): void; onPick(lngLat: LonLat): void },
  ) {
    for (const id of Object.values(SOURCE)) view.addGeoJsonSource(id);
    view.addLayer({ id: LAYER.district, type: 'line', source: SOURCE.district, paint: { 'line-color': '#b3261e', 'line-width': 2, 'line-opacity': 0.7 } });
    view.addLayer({ id: LAYER.serviceFill, type: 'fill', source: SOURCE.serviceArea, paint: { 'fill-color': '#1e88e5', 'fill-opacity': 0.15 } });
    view.addLayer({ id: LAYER.serviceLine, type: 'line', source: SOURCE.serviceArea, paint: { 'line-color': '#1565c0', 'line-width': 2 } });
    view.addLayer({
      id: LAYER.facilities,
      type: 'circle',
      source: SOURCE.facilities,
      paint: {
        'circle-color': ['case', ['==', ['get', 'isPublic'], false], '#ffffff', facilityColourExpression()],
        'circle-stroke-color': ['case', ['==', ['get', 'isPublic'], false], facilityColourExpression(), '#ffffff'],
        'circle-stroke-width': ['case', ['==', ['get', 'isPublic'], false], 2.5, 1.5],
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 4.5, 16, 8],
      },
    });
    view.addLayer({ id: LAYER.selected, type: 'circle', source: SOURCE.selected, paint: { 'circle-color': 'rgba(0,0,0,0)', 'circle-radius': 12, 'circle-stroke-color': '#0d47a1', 'circle-stroke-width': 3 } });
    view.addLayer({ id: LAYER.pending, type: 'circle', source: SOURCE.pending, paint: { 'circle-color': '#6a1b9a', 'circle-radius': 8, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 } });
    this.unsubscribers.push(view.onLayerClick(LAYER.facilities, (feature) => !this.picking && handlers.onFacilityClick(Number(feature.properties.id))));
    this.unsubscribers.push(view.onBackgroundClick([], (lngLat) => this.picking && handlers.onPick(lngLat)));
  }

  setDistrict(district: FeatureCollection | null) {
    this.view.setGeoJsonData(SOURCE.district, district ?? EMPTY);
  }

  setFacilities(facilities: FacilityCollection | null) {
    this.view.setGeoJsonData(SOURCE.facilities, (facilities as FeatureCollection | null) ?? EMPTY);
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
