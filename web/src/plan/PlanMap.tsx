/**
 * The bridge from the planning page's state to the imperative map: owns a MapView, the
 * PlanLayers and the terra-draw drawing, and hands them out to the page. Below the zoom where
 * grid tiles start, a note over the map says to zoom in.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BasemapSettings } from '../map/basemap';
import type { MapView } from '../map/MapView';
import { useMapView } from '../map/useMapView';
import { PlanDrawing } from './drawing';
import { GRID_TILES_MIN_ZOOM, PlanLayers } from './PlanLayers';

export interface PlanMapHandles {
  view: MapView;
  layers: PlanLayers;
  drawing: PlanDrawing;
}

export interface PlanMapProps {
  basemap: BasemapSettings | null;
  onReady(handles: PlanMapHandles | null): void;
  onGridClick(grid: { id: number; communityCode: string }, additive: boolean): void;
  onBuildingClick?(id: number): void;
}

export function PlanMap({ basemap, onReady, onGridClick, onBuildingClick }: PlanMapProps) {
  const { t } = useTranslation();
  const containerRef = useRef<HTMLDivElement>(null);
  const view = useMapView(containerRef, basemap, t('plan.mapLabel'));
  const [ready, setReady] = useState(false);
  const [zoom, setZoom] = useState<number | null>(null);
  const handlers = useRef({ onReady, onGridClick, onBuildingClick });
  handlers.current = { onReady, onGridClick, onBuildingClick };

  useEffect(() => {
    if (!view) return;
    let cancelled = false;
    let created: PlanMapHandles | null = null;
    void view.whenReady().then(() => {
      if (cancelled) return;
      // Shift+click adds a grid to the selection here, so Shift+drag box zoom is off.
      view.map.boxZoom.disable();
      const layers = new PlanLayers(view, {
        onGridClick: (grid, additive) => handlers.current.onGridClick(grid, additive),
        onBuildingClick: (id) => handlers.current.onBuildingClick?.(id),
        onZoom: setZoom,
      });
      const drawing = new PlanDrawing(view.map);
      created = { view, layers, drawing };
      Object.defineProperty(view.map.getContainer(), 'wanggeDrawing', { value: drawing, configurable: true });
      handlers.current.onReady(created);
      setReady(true);
    });
    return () => {
      cancelled = true;
      if (created) {
        created.drawing.destroy();
        created.layers.destroy();
      }
      handlers.current.onReady(null);
      setReady(false);
    };
  }, [view]);

  return (
    <>
      <div className="plan-map__canvas" ref={containerRef} data-map-ready={ready ? 'true' : 'false'} data-zoom={zoom === null ? undefined : zoom.toFixed(2)} />
      {ready && zoom !== null && zoom < GRID_TILES_MIN_ZOOM && (
        <p className="plan-map__zoom-hint" role="status">{t('plan.zoomInForGrids')}</p>
      )}
    </>
  );
}
