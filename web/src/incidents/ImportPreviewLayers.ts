/**
 * The incident import preview's map: the district's area and grid outlines from Wangge's own
 * tiles (roads and buildings come with the base style), and the file's rows where they would land
 * (inside the district blue, outside red), so that an offset of hundreds of metres — a file in
 * GCJ-02 read as WGS84 — is seen before anything is written. React pushes the preview in; the
 * map stays imperative.
 */
import type { FeatureCollection } from 'geojson';
import type { MapView } from '../map/MapView';
import { bboxOf } from '../map/geometry';
import { TILEJSON } from '../map/tile-sources';

const SOURCE = { areas: 'incident-import-areas', grids: 'incident-import-grids', points: 'incident-import-points' } as const;
export const IMPORT_POINT_COLOURS = { inside: '#1565c0', outside: '#c62828' } as const;

export interface ImportMapPoint {
  lon: number;
  lat: number;
  outside: boolean;
}

export class ImportPreviewLayers {
  constructor(private readonly view: MapView) {
    view.addVectorTiles(SOURCE.areas, TILEJSON.areas, [
      { id: 'incident-import-area-line', type: 'line', 'source-layer': 'areas', paint: { 'line-color': '#546e7a', 'line-width': ['match', ['get', 'level'], 'district', 2.5, 'street', 1.8, 1], 'line-dasharray': [3, 2] } },
    ]);
    view.addVectorTiles(SOURCE.grids, TILEJSON.grids, [
      { id: 'incident-import-grid-line', type: 'line', 'source-layer': 'grids', paint: { 'line-color': '#78909c', 'line-width': 0.8 } },
    ]);
    view.addGeoJsonSource(SOURCE.points);
    view.addLayer({
      id: 'incident-import-points', type: 'circle', source: SOURCE.points,
      paint: {
        'circle-radius': 4,
        'circle-color': ['case', ['get', 'outside'], IMPORT_POINT_COLOURS.outside, IMPORT_POINT_COLOURS.inside] as never,
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1,
      },
    });
  }

  /** Shows the rows' positions (or nothing) and frames them. */
  show(points: ImportMapPoint[] | null) {
    const collection: FeatureCollection | null = points
      ? { type: 'FeatureCollection', features: points.map((p) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties: { outside: p.outside } })) }
      : null;
    this.view.setGeoJsonData(SOURCE.points, collection);
    const box = collection && collection.features.length > 0 ? bboxOf(collection.features.map((f) => f.geometry)) : null;
    if (box) this.view.fitBounds(box, { padding: 24, maxZoom: 16, animate: false });
  }
}
