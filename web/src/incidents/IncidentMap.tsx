/**
 * The analyst's map: a MapView with deck.gl layers pushed in from props. Heat cells and points
 * arrive as packed Float32Arrays and go to deck.gl as binary attributes (stride/offset into the
 * same buffer), never as objects. Layer ids are stable so deck.gl only diffs what changed.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { GeoJsonLayer, PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { AreaCollection } from '../api/endpoints';
import type { BasemapSettings } from '../map/basemap';
import { bboxOf } from '../map/geometry';
import { useMapView } from '../map/useMapView';
import type { ByGridReply, GridOutlineCollection, HexagonBins, PackedPoints } from './api';
import { classColour, HEAT_COLOUR_DOMAIN, HEAT_COLOURS, hexColour, HOTSPOT_COLOURS } from './colours';

export type ViewKind = 'heatmap' | 'hexagons' | 'grids';
export type GridMeasure = 'count' | 'per1000';

export interface IncidentMapProps {
  basemap: BasemapSettings | null;
  district: AreaCollection | null;
  view: ViewKind;
  heat: PackedPoints | null;
  points: PackedPoints | null;
  hexagons: HexagonBins | null;
  grids: GridOutlineCollection | null;
  gridStats: ByGridReply | null;
  gridMeasure: GridMeasure;
  gridBreaks: number[];
  showHotspots: boolean;
  selected: { lon: number; lat: number } | null;
  onHexagonClick(cell: { i: number; j: number }): void;
  onGridClick(grid: { code: string; name: string }): void;
  onPointClick(id: number): void;
}

/** Points are drawn (and clickable) from this zoom on; below it they would be a smear. */
const POINTS_MIN_ZOOM = 14;

export function IncidentMap(props: IncidentMapProps) {
  const { t, i18n } = useTranslation();
  const containerRef = useRef<HTMLDivElement>(null);
  const uiStrings = useMemo(
    () => ({ title: t('incidents.mapLabel'), zoomIn: t('map.zoomIn'), zoomOut: t('map.zoomOut'), resetBearing: t('map.resetBearing') }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [i18n.language],
  );
  const view = useMapView(containerRef, props.basemap, uiStrings);
  const [zoom, setZoom] = useState(11);
  const [hover, setHover] = useState<{ x: number; y: number; text: string } | null>(null);
  const framed = useRef(false);
  const handlers = useRef(props);
  handlers.current = props;

  useEffect(() => {
    if (!view) return;
    setZoom(view.map.getZoom());
    return view.onZoomEnd(setZoom);
  }, [view]);

  useEffect(() => {
    if (!view || !props.district || framed.current) return;
    const bbox = bboxOf(props.district.features.map((f) => f.geometry));
    if (bbox) {
      framed.current = true;
      void view.whenReady().then(() => view.fitBounds(bbox, { padding: 16, animate: false }));
    }
  }, [view, props.district]);

  useEffect(() => {
    if (props.selected && view) view.showPoint([props.selected.lon, props.selected.lat], 15);
  }, [view, props.selected]);

  const statByGrid = useMemo(() => new Map((props.gridStats?.grids ?? []).map((g) => [g.gridId, g])), [props.gridStats]);

  useEffect(() => {
    if (!view) return;
    const layers: Layer[] = [];
    const { heat, points, hexagons, grids, gridStats } = props;

    if (props.view === 'heatmap' && heat && heat.count > 0) {
      layers.push(
        new HeatmapLayer({
          id: 'incident-heat',
          data: {
            length: heat.count,
            attributes: {
              getPosition: { value: heat.floats, size: 2, stride: 12, offset: 0 },
              getWeight: { value: heat.floats, size: 1, stride: 12, offset: 8 },
            },
          } as never,
          radiusPixels: 28,
          intensity: 1,
          threshold: 0.03,
          aggregation: 'SUM',
          // Fixed: the same colour means the same density wherever the map is panned.
          colorDomain: HEAT_COLOUR_DOMAIN,
          colorRange: HEAT_COLOURS,
        }),
      );
    }

    if (props.view === 'hexagons' && hexagons) {
      layers.push(
        new PolygonLayer<HexagonBins['cells'][number]>({
          id: 'incident-hexagons',
          data: hexagons.cells,
          getPolygon: (c) => c.ring as [number, number][],
          getFillColor: (c) => hexColour(c.count, hexagons.maxCount),
          getLineColor: [255, 255, 255, 200],
          lineWidthMinPixels: 1,
          pickable: true,
          autoHighlight: true,
          highlightColor: [30, 60, 120, 90],
          updateTriggers: { getFillColor: [hexagons.maxCount] },
          onHover: (info: PickingInfo<HexagonBins['cells'][number]>) =>
            setHover(info.object ? { x: info.x, y: info.y, text: t('incidents.hoverHex', { count: info.object.count }) } : null),
          onClick: (info: PickingInfo<HexagonBins['cells'][number]>) => {
            if (info.object) handlers.current.onHexagonClick({ i: info.object.i, j: info.object.j });
          },
        }),
      );
    }

    if (grids && (props.view === 'grids' || props.showHotspots)) {
      const choropleth = props.view === 'grids';
      const value = (id: number) => {
        const s = statByGrid.get(id);
        return s ? (props.gridMeasure === 'count' ? s.count : s.per1000) : null;
      };
      layers.push(
        new GeoJsonLayer({
          id: 'incident-grids',
          data: grids as never,
          filled: true,
          stroked: true,
          getFillColor: (f: { properties: { id: number } }) => {
            if (props.showHotspots) {
              const cls = statByGrid.get(f.properties.id)?.hotspotClass ?? 0;
              return HOTSPOT_COLOURS[cls] ?? [0, 0, 0, 0];
            }
            return classColour(value(f.properties.id), props.gridBreaks);
          },
          getLineColor: props.showHotspots && !choropleth ? [90, 90, 90, 90] : [255, 255, 255, 220],
          lineWidthMinPixels: 1,
          pickable: true,
          autoHighlight: true,
          highlightColor: [30, 60, 120, 80],
          updateTriggers: { getFillColor: [gridStats, props.gridMeasure, props.gridBreaks.join(','), props.showHotspots] },
          onHover: (info: PickingInfo<{ properties: { id: number; name: string; code: string } }>) => {
            if (!info.object) return setHover(null);
            const s = statByGrid.get(info.object.properties.id);
            const v = props.showHotspots
              ? s?.z == null
                ? t('incidents.none')
                : `z = ${s.z.toFixed(2)}${s.hotspotClass ? ' · ' + t(s.hotspotClass > 0 ? 'incidents.hot' : 'incidents.cold', { level: [0, 90, 95, 99][Math.abs(s.hotspotClass)] }) : ''}`
              : props.gridMeasure === 'count'
                ? String(s?.count ?? 0)
                : s?.per1000 == null
                  ? t('incidents.none')
                  : s.per1000.toFixed(1);
            setHover({ x: info.x, y: info.y, text: t('incidents.hoverGrid', { name: info.object.properties.name, value: v }) });
          },
          onClick: (info: PickingInfo<{ properties: { code: string; name: string } }>) => {
            if (info.object) handlers.current.onGridClick({ code: info.object.properties.code, name: info.object.properties.name });
          },
        }),
      );
    }

    if (props.district) {
      layers.push(
        new GeoJsonLayer({ id: 'district-outline', data: props.district as never, filled: false, stroked: true, getLineColor: [60, 70, 90, 200], lineWidthMinPixels: 2 }),
      );
    }

    if (points && points.count > 0 && zoom >= POINTS_MIN_ZOOM) {
      layers.push(
        new ScatterplotLayer({
          id: 'incident-points',
          data: { length: points.count, attributes: { getPosition: { value: points.floats, size: 2, stride: 16, offset: 0 } } } as never,
          getRadius: 4,
          radiusUnits: 'pixels',
          getFillColor: [24, 64, 140, 220],
          getLineColor: [255, 255, 255, 255],
          stroked: true,
          lineWidthMinPixels: 1,
          pickable: true,
          onHover: (info: PickingInfo) =>
            setHover(info.index >= 0 ? { x: info.x, y: info.y, text: t('incidents.hoverPoint', { id: points.uints[info.index * 4 + 3] }) } : null),
          onClick: (info: PickingInfo) => {
            if (info.index >= 0) handlers.current.onPointClick(points.uints[info.index * 4 + 3]!);
          },
        }),
      );
    }

    if (props.selected) {
      layers.push(
        new ScatterplotLayer({
          id: 'incident-selected',
          data: [props.selected],
          getPosition: (d: { lon: number; lat: number }) => [d.lon, d.lat],
          getRadius: 9,
          radiusUnits: 'pixels',
          filled: false,
          stroked: true,
          getLineColor: [220, 30, 60, 255],
          lineWidthMinPixels: 3,
        }),
      );
    }
    view.setDeckLayers(layers);
  }, [view, props.view, props.heat, props.points, props.hexagons, props.grids, props.gridStats, props.gridMeasure, props.gridBreaks, props.showHotspots, props.district, props.selected, zoom, statByGrid, t]);

  return (
    <div className="incident-map">
      <div ref={containerRef} className="incident-map__canvas" />
      {hover ? (
        <div className="incident-map__tooltip" role="tooltip" style={{ left: hover.x + 12, top: hover.y + 12 }}>
          {hover.text}
        </div>
      ) : null}
    </div>
  );
}
