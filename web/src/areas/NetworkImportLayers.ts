/**
 * The road network import's map: the file's lines (walkable dark grey, left out dashed red), and
 * over them the graph check's problems — islands no one walks to from the network (purple) and
 * dangling ends (orange), drawn thick so they can be found. React pushes the preview in; the map
 * stays imperative.
 */
import type { FeatureCollection } from 'geojson';
import type { MapView } from '../map/MapView';
import { bboxOf } from '../map/geometry';

const SOURCE = { lines: 'network-import-lines', problems: 'network-import-problems' } as const;

export const NETWORK_COLOURS = { walkable: '#37474f', leftOut: '#d32f2f', island: '#8e24aa', dangling: '#f57c00' } as const;

export class NetworkImportLayers {
  constructor(private readonly view: MapView) {
    view.addGeoJsonSource(SOURCE.lines);
    view.addGeoJsonSource(SOURCE.problems);
    view.addLayer({ id: 'network-import-walkable', type: 'line', source: SOURCE.lines, filter: ['==', ['get', 'walkable'], true], paint: { 'line-color': NETWORK_COLOURS.walkable, 'line-width': 1.6 } });
    view.addLayer({ id: 'network-import-left-out', type: 'line', source: SOURCE.lines, filter: ['!=', ['get', 'walkable'], true], paint: { 'line-color': NETWORK_COLOURS.leftOut, 'line-width': 2.2, 'line-dasharray': [2, 1.5] } });
    view.addLayer({
      id: 'network-import-problems', type: 'line', source: SOURCE.problems,
      paint: { 'line-color': ['match', ['get', 'kind'], 'island', NETWORK_COLOURS.island, NETWORK_COLOURS.dangling] as never, 'line-width': 5, 'line-opacity': 0.85 },
      layout: { 'line-cap': 'round' },
    });
  }

  /** Shows the file's lines and the graph's problems (or nothing), and frames them. */
  show(lines: FeatureCollection | null, problems: FeatureCollection | null) {
    this.view.setGeoJsonData(SOURCE.lines, lines);
    this.view.setGeoJsonData(SOURCE.problems, problems);
    const box = lines ? bboxOf(lines.features.map((f) => f.geometry).filter(Boolean)) : null;
    if (box) this.view.fitBounds(box, { padding: 32, animate: false });
  }
}
