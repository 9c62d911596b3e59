/**
 * The analyst's map. Base layers come from vector tiles (IncidentMapLayers: areas, grids with
 * their choropleth and hotspot classes as feature states, incidents filtered through the tile
 * URL); the heatmap and hexagon aggregates are deck.gl layers over them, fed with packed
 * Float32Arrays as binary attributes (stride/offset into the same buffer), never objects.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { BasemapSettings } from '../map/basemap';
import type { BBox } from '../map/geometry';
import { useMapView } from '../map/useMapView';
import type { HexagonBins, PackedPoints } from './api';
import { areaStates, GRID_MIN_ZOOM, gridStates, measureOf, type Choropleth, type GridMeasure } from './choropleth';
import { HEAT_COLOUR_DOMAIN, HEAT_COLOURS, hexColour } from './colours';
import { IncidentMapLayers, SINGLE_INCIDENT_MIN_ZOOM, type ColourBy, type HoverTarget, type ViewKind } from './IncidentMapLayers';

export type { ViewKind, ColourBy };
export type { GridMeasure };

export interface IncidentMapProps {
  basemap: BasemapSettings | null;
  /** Where the data is (the area tiles' bounds): the first view. */
  bounds: BBox | null;
  view: ViewKind;
  colourBy: ColourBy;
  heat: PackedPoints | null;
  hexagons: HexagonBins | null;
  /** TileJSON of the filtered incidents (the filter is in its query string). */
  incidentTilesUrl: string;
  /** Goes up after each edit of incidents here (a transition, an import): their tiles are fetched again. */
  incidentsVersion: number;
  choropleth: Choropleth;
  gridMeasure: GridMeasure;
  showHotspots: boolean;
  /** The filter's street or community, and its extent to bring into view. */
  filterArea: { code: string; bbox: BBox | null } | null;
  /** The grid or community whose incidents are listed. */
  listedArea: string | null;
  selected: { lon: number; lat: number } | null;
  categoryName(code: string): string;
  onHexagonClick(cell: { i: number; j: number }): void;
  onAreaClick(area: { code: string; name: string }): void;
  onIncidentClick(incident: { id: number; lon: number; lat: number }): void;
  onZoomChange(zoom: number): void;
  onInView(count: number | null): void;
}

export function IncidentMap(props: IncidentMapProps) {
  const { t } = useTranslation();
  const containerRef = useRef<HTMLDivElement>(null);
  const view = useMapView(containerRef, props.basemap, t('incidents.mapLabel'));
  const [layers, setLayers] = useState<IncidentMapLayers | null>(null);
  const [zoom, setZoom] = useState(0);
  const [deckHover, setDeckHover] = useState<{ x: number; y: number; text: string } | null>(null);
  const [mapHover, setMapHover] = useState<{ x: number; y: number; target: HoverTarget } | null>(null);
  const framed = useRef(false);
  const handlers = useRef(props);
  handlers.current = props;

  useEffect(() => {
    if (!view) return;
    const created = new IncidentMapLayers(view, {
      onAreaClick: (area) => handlers.current.onAreaClick(area),
      onIncidentClick: (incident) => handlers.current.onIncidentClick(incident),
      onHover: setMapHover,
      onInView: (count) => handlers.current.onInView(count),
    });
    setLayers(created);
    const zoomed = (z: number) => {
      setZoom(z);
      handlers.current.onZoomChange(z);
    };
    zoomed(view.map.getZoom());
    const off = view.onZoomEnd(zoomed);
    return () => {
      off();
      created.destroy();
      setLayers(null);
    };
  }, [view]);

  useEffect(() => {
    if (!view || !props.bounds || framed.current) return;
    framed.current = true;
    const bounds = props.bounds;
    void view.whenReady().then(() => view.fitBounds(bounds, { padding: 16, animate: false }));
  }, [view, props.bounds]);

  useEffect(() => {
    if (view && props.filterArea?.bbox) view.fitBounds(props.filterArea.bbox, { padding: 24 });
  }, [view, props.filterArea?.code, props.filterArea?.bbox]);

  useEffect(() => {
    if (!props.selected || !view) return;
    const point: [number, number] = [props.selected.lon, props.selected.lat];
    // Chosen in the list: bring it into view at single-incident zoom; clicked on the map: stay.
    const shown = view.map.getZoom() >= SINGLE_INCIDENT_MIN_ZOOM && view.map.getBounds().contains(point);
    if (!shown) view.showPoint(point, SINGLE_INCIDENT_MIN_ZOOM);
  }, [view, props.selected]);

  useEffect(() => layers?.setIncidentTiles(props.incidentTilesUrl), [layers, props.incidentTilesUrl]);
  const seenVersion = useRef(props.incidentsVersion);
  useEffect(() => {
    if (props.incidentsVersion === seenVersion.current) return;
    seenVersion.current = props.incidentsVersion;
    layers?.refreshIncidents();
  }, [layers, props.incidentsVersion]);
  useEffect(() => layers?.setMode({ view: props.view, showHotspots: props.showHotspots, colourBy: props.colourBy }), [layers, props.view, props.showHotspots, props.colourBy]);
  useEffect(() => layers?.setFilterArea(props.filterArea?.code ?? null), [layers, props.filterArea?.code]);
  useEffect(() => layers?.setListedArea(props.listedArea), [layers, props.listedArea]);
  // A new filter or measure changes the classes joined to the tiles, never the tiles.
  useEffect(
    () => layers?.setStates(gridStates(props.choropleth, props.gridMeasure), areaStates(props.choropleth, props.gridMeasure)),
    [layers, props.choropleth, props.gridMeasure],
  );

  const singlesShown = zoom >= SINGLE_INCIDENT_MIN_ZOOM;
  useEffect(() => {
    if (!view) return;
    const deckLayers: Layer[] = [];
    const { heat, hexagons } = props;

    if (props.view === 'heatmap' && heat && heat.count > 0) {
      deckLayers.push(
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
          // Where single incidents are drawn (beneath deck.gl's canvas), the heat lets them show.
          opacity: singlesShown ? 0.4 : 1,
          threshold: 0.03,
          aggregation: 'SUM',
          // Fixed: the same colour means the same density wherever the map is panned.
          colorDomain: HEAT_COLOUR_DOMAIN,
          colorRange: HEAT_COLOURS,
        }),
      );
    }

    if (props.view === 'hexagons' && hexagons) {
      deckLayers.push(
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
            setDeckHover(info.object ? { x: info.x, y: info.y, text: t('incidents.hoverHex', { count: info.object.count }) } : null),
          onClick: (info: PickingInfo<HexagonBins['cells'][number]>) => {
            if (info.object) handlers.current.onHexagonClick({ i: info.object.i, j: info.object.j });
          },
        }),
      );
    }

    if (props.selected) {
      deckLayers.push(
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
    if (!deckLayers.some((l) => l.id === 'incident-hexagons')) setDeckHover(null);
    view.setDeckLayers(deckLayers);
  }, [view, props.view, props.heat, props.hexagons, props.selected, singlesShown, t]);

  const hoverText = (target: HoverTarget): string => {
    switch (target.kind) {
      case 'cell':
        return t('incidents.hoverCell', { count: target.count });
      case 'incident':
        return t('incidents.hoverPoint', {
          id: target.id,
          what: `${props.categoryName(target.category)} · ${t(`incidents.statuses.${target.status}`, { defaultValue: target.status })}${target.overdue ? ' · ' + t('incidents.overdueFlag') : ''}`,
        });
      case 'area': {
        const figure = props.choropleth[target.level].figures.get(target.code);
        if (props.showHotspots && target.level === 'grid') {
          const z = figure?.z;
          const cls = figure?.hotspotClass ?? 0;
          const value =
            z == null ? t('incidents.none') : `z = ${z.toFixed(2)}${cls ? ' · ' + t(cls > 0 ? 'incidents.hot' : 'incidents.cold', { level: [0, 90, 95, 99][Math.abs(cls)] }) : ''}`;
          return t('incidents.hoverGrid', { name: target.name, value });
        }
        const v = figure ? measureOf(figure, props.gridMeasure) : null;
        const value = v === null ? t('incidents.none') : props.gridMeasure === 'count' ? String(v) : v.toFixed(1);
        return t('incidents.hoverGrid', { name: target.name, value });
      }
    }
  };
  const hover = deckHover ?? (mapHover ? { x: mapHover.x, y: mapHover.y, text: hoverText(mapHover.target) } : null);
  const gridsBelowZoom = (props.view === 'grids' || props.showHotspots) && zoom > 0 && zoom < GRID_MIN_ZOOM;

  return (
    <div className="incident-map">
      <div ref={containerRef} className="incident-map__canvas" />
      {hover ? (
        <div className="incident-map__tooltip" role="tooltip" style={{ left: hover.x + 12, top: hover.y + 12 }}>
          {hover.text}
        </div>
      ) : null}
      <div className="incident-map__hints">
        {gridsBelowZoom ? (
          <p role="status">
            {props.showHotspots ? t('incidents.hotspotsZoomIn') : t('incidents.gridsZoomIn')}{' '}
            <button type="button" className="link-button" onClick={() => view?.map.easeTo({ zoom: GRID_MIN_ZOOM + 0.5, duration: 500 })}>
              {t('incidents.zoomToGrids')}
            </button>
          </p>
        ) : null}
        {props.view === 'points' && zoom > 0 && zoom < SINGLE_INCIDENT_MIN_ZOOM ? <p role="status">{t('incidents.pointsZoomIn')}</p> : null}
      </div>
    </div>
  );
}
