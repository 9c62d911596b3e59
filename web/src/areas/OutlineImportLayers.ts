/**
 * The outline import's map layers: the existing area outlines from the area tiles, and the
 * file's features over them, coloured by how they matched (matched green, ambiguous amber,
 * unmatched red, skipped grey). React pushes the preview in; the map stays imperative.
 */
import type { FeatureCollection } from 'geojson';
import type { MapView } from '../map/MapView';
import { bboxOf } from '../map/geometry';
import { TILEJSON } from '../map/tile-sources';

const SOURCE = { areas: 'outline-import-areas', preview: 'outline-import-preview' } as const;

export const STATUS_COLOURS = { matched: '#2e7d32', ambiguous: '#ef8f00', unmatched: '#c62828', skipped: '#9e9e9e' } as const;

export class OutlineImportLayers {
  constructor(private readonly view: MapView) {
    view.addVectorTiles(SOURCE.areas, TILEJSON.areas, [
      { id: 'outline-import-area-line', type: 'line', 'source-layer': 'areas', paint: { 'line-color': '#546e7a', 'line-width': ['match', ['get', 'level'], 'district', 2.5, 'street', 1.8, 1], 'line-dasharray': [3, 2] } },
    ]);
    view.addGeoJsonSource(SOURCE.preview);
    const colour = ['match', ['get', 'status'], 'matched', STATUS_COLOURS.matched, 'ambiguous', STATUS_COLOURS.ambiguous, 'unmatched', STATUS_COLOURS.unmatched, STATUS_COLOURS.skipped] as never;
    view.addLayer({ id: 'outline-import-fill', type: 'fill', source: SOURCE.preview, paint: { 'fill-color': colour, 'fill-opacity': 0.3 } });
    view.addLayer({ id: 'outline-import-line', type: 'line', source: SOURCE.preview, paint: { 'line-color': colour, 'line-width': 2.5 } });
  }

  /** Shows the file's features (or nothing) and frames them. */
  show(collection: FeatureCollection | null) {
    this.view.setGeoJsonData(SOURCE.preview, collection);
    const box = collection ? bboxOf(collection.features.map((f) => f.geometry).filter(Boolean)) : null;
    if (box) this.view.fitBounds(box, { padding: 32, animate: false });
  }

  /** After a commit: the area tiles again (the new outlines). */
  refreshAreas() {
    this.view.refreshVectorTiles(SOURCE.areas);
  }
}
