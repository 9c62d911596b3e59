/**
 * Drawing on the planning map with terra-draw: a new grid (polygon), a line (to split a grid or
 * to move the shared edge of two grids), the outline of an existing grid with draggable
 * vertices, or a building's point (placed by a click, dragged to move it) or footprint. Every drawn point snaps to the vertices and edges of the grids around it and of the
 * community outline (terra-draw's custom snapping). Keys: Enter finishes, Escape cancels,
 * Ctrl+Z / Ctrl+Y undo and redo the last point (terra-draw's undo stack of the drawing).
 */
import type { Map as MapLibreMap } from 'maplibre-gl';
import {
  TerraDraw,
  TerraDrawLineStringMode,
  TerraDrawModeUndoRedo,
  TerraDrawPointMode,
  TerraDrawPolygonMode,
  TerraDrawSelectMode,
  TerraDrawUndoRedoKeyboardShortcuts,
  type TerraDrawMouseEvent,
} from 'terra-draw';
import { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { snapPosition, type Position } from './snapping';

export type DrawKind = 'polygon' | 'line' | 'outline' | 'point';
export type DrawnGeometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'LineString'; coordinates: number[][] };

const DRAW_COLOUR = '#d81b60';

export class PlanDrawing {
  private readonly draw: TerraDraw;
  private kind: DrawKind | null = null;
  private onFinish: ((geometry: DrawnGeometry) => void) | null = null;
  /** The reference rings to snap to (neighbouring grids, the community outline). */
  private snapRings: Position[][] = [];
  private snappingOn = true;
  /** terra-draw's id of the outline being edited (its ids are UUIDs). */
  private outlineId: string | null = null;
  /** The building point being placed: its terra-draw id, and who hears where it is now. */
  private pointId: string | number | null = null;
  private onPoint: ((lonLat: [number, number]) => void) | null = null;

  constructor(private readonly map: MapLibreMap) {
    const toCustom = (event: TerraDrawMouseEvent) => {
      if (!this.snappingOn) return undefined;
      const snapped = snapPosition({ x: event.containerX, y: event.containerY }, this.snapRings, (p) => this.map.project(p));
      return snapped ? snapped.position : undefined;
    };
    const keyEvents = { cancel: 'Escape', finish: 'Enter' };
    const styles = { fillColor: DRAW_COLOUR, outlineColor: DRAW_COLOUR, fillOpacity: 0.15, outlineWidth: 2, lineStringColor: DRAW_COLOUR, lineStringWidth: 3 } as const;
    this.draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map, coordinatePrecision: 9 }),
      modes: [
        // Closing a polygon by clicking its first point needs a small pointer distance: grid
        // outlines often have vertices a few metres apart.
        new TerraDrawPolygonMode({ snapping: { toCustom }, keyEvents, pointerDistance: 8, styles: { fillColor: styles.fillColor, outlineColor: styles.outlineColor, fillOpacity: styles.fillOpacity, outlineWidth: styles.outlineWidth } }),
        // A building's point: a click places it (again: the earlier one is removed), a drag moves it.
        new TerraDrawPointMode({ editable: true, styles: { pointColor: DRAW_COLOUR, pointWidth: 7, pointOutlineColor: '#ffffff', pointOutlineWidth: 2, editedPointColor: DRAW_COLOUR, editedPointWidth: 9 } }),
        new TerraDrawLineStringMode({ snapping: { toCustom }, keyEvents, pointerDistance: 8, styles: { lineStringColor: styles.lineStringColor, lineStringWidth: styles.lineStringWidth } }),
        new TerraDrawSelectMode({
          flags: {
            polygon: { feature: { draggable: false, coordinates: { midpoints: true, draggable: true, deletable: true, snappable: { toCustom } } } },
          },
          allowManualDeselection: false,
        }),
      ],
      undoRedo: {
        modeLevel: new TerraDrawModeUndoRedo(),
        keyboardShortcuts: new TerraDrawUndoRedoKeyboardShortcuts({
          undo: [{ key: 'z', heldKeys: ['Control'] }, { key: 'z', heldKeys: ['Meta'] }],
          redo: [{ key: 'y', heldKeys: ['Control'] }, { key: 'z', heldKeys: ['Control', 'Shift'] }, { key: 'z', heldKeys: ['Meta', 'Shift'] }],
        }),
      },
    });
    this.draw.start();
    this.draw.on('finish', (id, context) => {
      if (this.kind === 'point') {
        this.pointPlaced(id);
        return;
      }
      if (context.action !== 'draw' || !this.onFinish) return;
      const feature = this.draw.getSnapshotFeature(id);
      if (!feature) return;
      const finish = this.onFinish;
      const geometry = feature.geometry as DrawnGeometry;
      this.stop();
      finish(geometry);
    });
  }

  setSnapRings(rings: Position[][]) {
    this.snapRings = rings;
  }

  setSnapping(on: boolean) {
    this.snappingOn = on;
  }

  get active(): DrawKind | null {
    return this.kind;
  }

  /** Starts drawing a polygon or a line; `onFinish` gets it when the user finishes (double click or Enter). */
  start(kind: 'polygon' | 'line', onFinish: (geometry: DrawnGeometry) => void) {
    this.stop();
    this.kind = kind;
    this.onFinish = onFinish;
    this.draw.setMode(kind === 'polygon' ? 'polygon' : 'linestring');
  }

  /**
   * Places a building's point: shown at `start` (its point now) if given; each click puts it
   * somewhere else, a drag moves it. `onPoint` hears every new position; `stop` ends it.
   */
  placePoint(start: [number, number] | null, onPoint: (lonLat: [number, number]) => void) {
    this.stop();
    this.kind = 'point';
    this.onPoint = onPoint;
    this.draw.setMode('point');
    if (start) {
      const id = crypto.randomUUID();
      const [result] = this.draw.addFeatures([{ id, type: 'Feature', geometry: { type: 'Point', coordinates: start }, properties: { mode: 'point' } }]);
      if (result && !result.valid) throw new Error(result.reason ?? 'invalid point');
      this.pointId = id;
    }
  }

  /** A point was placed or dragged: only the latest one stays, and its position is told. */
  private pointPlaced(id: string | number) {
    const feature = this.draw.getSnapshotFeature(id);
    if (!feature || feature.geometry.type !== 'Point') return;
    if (this.pointId !== null && this.pointId !== id) this.draw.removeFeatures([this.pointId]);
    this.pointId = id;
    this.onPoint?.(feature.geometry.coordinates as [number, number]);
  }

  /** Puts an existing outline up for editing (drag vertices, drag a midpoint to add one). */
  editOutline(polygon: { type: 'Polygon'; coordinates: number[][][] }) {
    this.stop();
    this.kind = 'outline';
    this.draw.setMode('select');
    const id = crypto.randomUUID();
    const [result] = this.draw.addFeatures([{ id, type: 'Feature', geometry: polygon, properties: { mode: 'polygon' } }]);
    if (result && !result.valid) throw new Error(result.reason ?? 'invalid outline');
    this.outlineId = id;
    this.draw.selectFeature(id);
  }

  /** The outline being edited, as it is now. */
  editedOutline(): { type: 'Polygon'; coordinates: number[][][] } | null {
    const feature = this.outlineId ? this.draw.getSnapshotFeature(this.outlineId) : undefined;
    return feature ? (feature.geometry as { type: 'Polygon'; coordinates: number[][][] }) : null;
  }

  undo() {
    return this.draw.undo();
  }

  redo() {
    return this.draw.redo();
  }

  /** Ends whatever is being drawn without a result. */
  stop() {
    this.kind = null;
    this.outlineId = null;
    this.pointId = null;
    this.onPoint = null;
    this.onFinish = null;
    this.draw.clear();
    this.draw.setMode('static');
  }

  destroy() {
    this.onFinish = null;
    this.onPoint = null;
    this.draw.stop();
  }
}
