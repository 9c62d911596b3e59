/**
 * Picking a building on the planning map for an unmatched register address: the community's
 * buildings drawn as dots over the grids, and one click on a dot answers. Imperative, like the
 * rest of the map; the panel owns the state.
 */
import type { FeatureCollection } from 'geojson';
import type { MapView } from '../map/MapView';
import type { CommunityBuilding } from './api';

const SOURCE = 'population-buildings';
const LAYER = 'population-building-dots';

export class BuildingPicker {
  private offClick: (() => void) | null = null;
  private offHover: (() => void) | null = null;

  constructor(private readonly view: MapView) {
    view.addGeoJsonSource(SOURCE);
    view.addLayer({
      id: LAYER,
      type: 'circle',
      source: SOURCE,
      paint: {
        'circle-radius': 7,
        'circle-color': ['case', ['>', ['get', 'residents'], 0], '#2e7d32', '#ef6c00'],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    });
  }

  /**
   * Shows the buildings and calls `onPick` with the one clicked (once); `onHover` names the
   * building under the pointer (null when none), so the planner sees which dot is which.
   */
  pick(buildings: CommunityBuilding[], onPick: (building: CommunityBuilding) => void, onHover: (building: CommunityBuilding | null) => void = () => {}) {
    this.stop();
    const data: FeatureCollection = {
      type: 'FeatureCollection',
      features: buildings.map((b) => ({ type: 'Feature', id: b.id, properties: { id: b.id, name: b.name, residents: b.residents }, geometry: { type: 'Point', coordinates: [b.lon, b.lat] } })),
    };
    this.view.setGeoJsonData(SOURCE, data);
    if (buildings.length > 0) {
      const lons = buildings.map((b) => b.lon);
      const lats = buildings.map((b) => b.lat);
      this.view.fitBounds([Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)], { padding: 64, maxZoom: 17, animate: false });
    }
    this.offClick = this.view.onLayerClick(LAYER, (feature) => {
      const building = buildings.find((b) => b.id === Number(feature.properties?.id));
      if (!building) return;
      this.stop();
      onPick(building);
    });
    const map = this.view.map;
    const move = (event: { features?: Array<{ properties?: Record<string, unknown> | null }> }) =>
      onHover(buildings.find((b) => b.id === Number(event.features?.[0]?.properties?.id)) ?? null);
    const leave = () => onHover(null);
    map.on('mousemove', LAYER, move);
    map.on('mouseleave', LAYER, leave);
    this.offHover = () => {
      map.off('mousemove', LAYER, move);
      map.off('mouseleave', LAYER, leave);
    };
  }

  stop() {
    this.offClick?.();
    this.offClick = null;
    this.offHover?.();
    this.offHover = null;
    this.view.setGeoJsonData(SOURCE, null);
  }
}
