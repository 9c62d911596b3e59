/**
 * The analyst's map layers drawn by MapLibre from vector tiles (nothing here loads a whole layer):
 * - area outlines (district, streets, communities) from the area tiles, and below the grid zoom
 *   the choropleth per street / community, coloured by feature states joined on the area code;
 * - grid outlines, the grid choropleth and the Gi* hotspot layer from the grid tiles, coloured by
 *   feature states joined on the grid code (a new filter sets new states, the tiles stay);
 * - incidents from the incident tiles, whose TileJSON URL carries the filter: counts per cell
 *   below zoom 15 (circles sized by count), single incidents from 15 (coloured by category or
 *   status, ringed when overdue; clickable).
 * The deck.gl aggregates (heatmap, hexagons) are drawn over these by IncidentMap.
 */
import type { ExpressionSpecification, MapGeoJSONFeature, MapMouseEvent } from 'maplibre-gl';
import type { LonLat, MapView } from '../map/MapView';
import { CATEGORY_COLOURS, CLASS_COLOURS, COUNT_COLOUR, css, HOTSPOT_COLOURS, OVERDUE_COLOUR, STATUS_COLOURS, UNKNOWN_COLOUR } from './colours';
import { COMMUNITY_MIN_ZOOM, GRID_MIN_ZOOM } from './choropleth';
import { TILEJSON } from '../map/tile-sources';

export type ViewKind = 'heatmap' | 'hexagons' | 'grids' | 'points';
export type ColourBy = 'category' | 'status';

/** Single incidents from this zoom (the incident tiles' own threshold); counts per cell below. */
export const SINGLE_INCIDENT_MIN_ZOOM = 15;

const SOURCE = { areas: 'incident-map-areas', grids: 'incident-map-grids', incidents: 'incident-map-incidents' } as const;

export const LAYER = {
  streetFill: 'choropleth-street-fill',
  communityFill: 'choropleth-community-fill',
  gridFill: 'choropleth-grid-fill',
  hotspotFill: 'hotspot-grid-fill',
  gridLine: 'grid-line',
  gridContextLine: 'grid-context-line',
  communityLine: 'community-line',
  streetLine: 'street-line',
  districtLine: 'district-line',
  filterAreaLine: 'filter-area-line',
  listedAreaLine: 'listed-area-line',
  listedGridLine: 'listed-grid-line',
  cells: 'incident-cells',
  singlesByCategory: 'incident-singles-category',
  singlesByStatus: 'incident-singles-status',
  singlesPlain: 'incident-singles-plain',
} as const;

const SINGLES = [LAYER.singlesByCategory, LAYER.singlesByStatus, LAYER.singlesPlain];
const AREA_FILLS = [LAYER.gridFill, LAYER.hotspotFill, LAYER.communityFill, LAYER.streetFill];

export type HoverTarget =
  | { kind: 'area'; level: 'grid' | 'community' | 'street'; code: string; name: string }
  | { kind: 'cell'; count: number }
  | { kind: 'incident'; id: number; category: string; status: string; overdue: boolean };

export interface IncidentLayerHandlers {
  onAreaClick(area: { code: string; name: string }): void;
  onIncidentClick(incident: { id: number; lon: number; lat: number }): void;
  /** What is under the pointer (null: nothing of ours), with its position in the map. */
  onHover(hover: { x: number; y: number; target: HoverTarget } | null): void;
  /** Incidents drawn in the view after each move or new filter (points view only; null otherwise). */
  onInView(count: number | null): void;
}

export interface LayerMode {
  view: ViewKind;
  showHotspots: boolean;
  colourBy: ColourBy;
}

const matchColours = (key: string, colours: Record<string, string>): ExpressionSpecification => [
  'match',
  ['get', key],
  ...Object.entries(colours).flat(),
  UNKNOWN_COLOUR,
] as unknown as ExpressionSpecification;

/** Choropleth class (feature state `cls`): -1 no value (grey), 0…4 classes, none transparent. */
const CLASS_FILL: ExpressionSpecification = [
  'match',
  ['coalesce', ['feature-state', 'cls'], -2],
  -1,
  'rgba(200, 200, 200, 0.47)',
  ...CLASS_COLOURS.flatMap((c, k) => [k, css(c)]),
  'rgba(0, 0, 0, 0)',
] as unknown as ExpressionSpecification;

/** Gi* class (feature state `hot`): −3…+3, not significant transparent. */
const HOTSPOT_FILL: ExpressionSpecification = [
  'match',
  ['coalesce', ['feature-state', 'hot'], 0],
  ...[-3, -2, -1, 1, 2, 3].flatMap((k) => [k, css(HOTSPOT_COLOURS[k]!)]),
  'rgba(0, 0, 0, 0)',
] as unknown as ExpressionSpecification;

const isLevel = (level: string): ExpressionSpecification => ['==', ['get', 'level'], level];
const hasCount: ExpressionSpecification = ['has', 'count'];
const isSingle: ExpressionSpecification = ['!', ['has', 'count']];
const NOTHING: ExpressionSpecification = ['==', ['get', 'code'], ''];

export class IncidentMapLayers {
  private readonly unsubscribers: (() => void)[] = [];
  private mode: LayerMode = { view: 'heatmap', showHotspots: false, colourBy: 'category' };
  private incidentTilesUrl: string | null = null;
  private hoverFrame = 0;
  private lastMove: MapMouseEvent | null = null;
  private hovering = false;

  constructor(
    private readonly view: MapView,
    private readonly handlers: IncidentLayerHandlers,
  ) {
    this.addAreaAndGridLayers();
    const map = view.map;
    const onMove = (event: MapMouseEvent) => {
      this.lastMove = event;
      if (this.hoverFrame) return;
      this.hoverFrame = requestAnimationFrame(() => {
        this.hoverFrame = 0;
        if (this.lastMove) this.hover(this.lastMove);
      });
    };
    const onOut = () => this.setHover(null);
    const onClick = (event: MapMouseEvent) => this.click(event);
    map.on('mousemove', onMove);
    map.on('mouseout', onOut);
    map.on('click', onClick);
    this.unsubscribers.push(
      () => map.off('mousemove', onMove),
      () => map.off('mouseout', onOut),
      () => map.off('click', onClick),
      () => cancelAnimationFrame(this.hoverFrame),
      view.onIdle(() => this.countInView()),
    );
  }

  private addAreaAndGridLayers() {
    const v = this.view;
    // Choropleth fills below the grid zoom: streets, then communities (the area tiles carry
    // communities from zoom 10).
    v.addVectorTiles(
      SOURCE.areas,
      TILEJSON.areas,
      [
        { id: LAYER.streetFill, type: 'fill', 'source-layer': 'areas', filter: isLevel('street'), maxzoom: COMMUNITY_MIN_ZOOM, paint: { 'fill-color': CLASS_FILL } },
        {
          id: LAYER.communityFill,
          type: 'fill',
          'source-layer': 'areas',
          filter: isLevel('community'),
          minzoom: COMMUNITY_MIN_ZOOM,
          maxzoom: GRID_MIN_ZOOM,
          paint: { 'fill-color': CLASS_FILL },
        },
      ],
      undefined,
      { promoteId: 'code' },
    );
    v.addVectorTiles(
      SOURCE.grids,
      TILEJSON.grids,
      [
        { id: LAYER.gridFill, type: 'fill', 'source-layer': 'grids', paint: { 'fill-color': CLASS_FILL } },
        { id: LAYER.hotspotFill, type: 'fill', 'source-layer': 'grids', paint: { 'fill-color': HOTSPOT_FILL } },
        {
          id: LAYER.gridLine,
          type: 'line',
          'source-layer': 'grids',
          paint: { 'line-color': 'rgba(255, 255, 255, 0.85)', 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 0.5, 15, 1.5] },
        },
        {
          id: LAYER.gridContextLine,
          type: 'line',
          'source-layer': 'grids',
          paint: { 'line-color': 'rgb(90, 100, 120)', 'line-width': 0.8, 'line-opacity': ['interpolate', ['linear'], ['zoom'], 11, 0.3, 15, 0.6] },
        },
      ],
      undefined,
      { promoteId: 'code' },
    );
    // Outlines over the fills (the same area source: one set of tiles).
    const areaLine = (id: string, level: string, paint: Record<string, unknown>, minzoom = 0) =>
      v.addLayer({ id, type: 'line', source: SOURCE.areas, 'source-layer': 'areas', filter: isLevel(level), minzoom, paint } as never);
    areaLine(LAYER.communityLine, 'community', { 'line-color': '#9aa1a8', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 0.4, 15, 1.2] });
    areaLine(LAYER.streetLine, 'street', { 'line-color': '#8a7360', 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 15, 2.2], 'line-dasharray': [4, 2] });
    areaLine(LAYER.districtLine, 'district', { 'line-color': 'rgb(60, 70, 90)', 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.5, 15, 3], 'line-opacity': 0.8 });
    v.addLayer({
      id: LAYER.filterAreaLine,
      type: 'line',
      source: SOURCE.areas,
      'source-layer': 'areas',
      filter: NOTHING,
      paint: { 'line-color': '#1f4e8c', 'line-width': 3 },
    });
    v.addLayer({
      id: LAYER.listedAreaLine,
      type: 'line',
      source: SOURCE.areas,
      'source-layer': 'areas',
      filter: NOTHING,
      paint: { 'line-color': '#c2185b', 'line-width': 3 },
    });
    v.addLayer({ id: LAYER.listedGridLine, type: 'line', source: SOURCE.grids, 'source-layer': 'grids', filter: NOTHING, paint: { 'line-color': '#c2185b', 'line-width': 3 } });
    this.applyMode();
  }

  private addIncidentLayers(tileJsonUrl: string) {
    const overdue: ExpressionSpecification = [
      'all',
      ['!', ['in', ['get', 'status'], ['literal', ['closed', 'returned']]]],
      ['<', ['get', 'dueAt'], Math.floor(Date.now() / 1000)],
    ];
    // The newest on top (and first under the pointer).
    const singleLayout = { 'circle-sort-key': ['get', 'reportedAt'] } as never;
    const singlePaint = (colour: ExpressionSpecification | string) => ({
      'circle-color': colour,
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 15, 4.5, 18, 7],
      'circle-stroke-color': ['case', overdue, OVERDUE_COLOUR, '#ffffff'],
      'circle-stroke-width': ['case', overdue, 2.5, 1.2],
    });
    this.view.addVectorTiles(SOURCE.incidents, tileJsonUrl, [
      {
        id: LAYER.cells,
        type: 'circle',
        'source-layer': 'incidents',
        filter: hasCount,
        maxzoom: SINGLE_INCIDENT_MIN_ZOOM,
        paint: {
          'circle-color': COUNT_COLOUR,
          'circle-opacity': 0.55,
          // Area grows with the count: radius by its square root (1 → 2.5 px, 100 → 9 px, 900 → 16 px).
          'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'count']], 1, 2.5, 10, 9, 30, 16, 100, 24],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': 0.6,
          'circle-stroke-opacity': 0.8,
        },
      },
      { id: LAYER.singlesByCategory, type: 'circle', 'source-layer': 'incidents', filter: isSingle, minzoom: SINGLE_INCIDENT_MIN_ZOOM, layout: singleLayout, paint: singlePaint(matchColours('category', CATEGORY_COLOURS)) as never },
      { id: LAYER.singlesByStatus, type: 'circle', 'source-layer': 'incidents', filter: isSingle, minzoom: SINGLE_INCIDENT_MIN_ZOOM, layout: singleLayout, paint: singlePaint(matchColours('status', STATUS_COLOURS)) as never },
      { id: LAYER.singlesPlain, type: 'circle', 'source-layer': 'incidents', filter: isSingle, minzoom: SINGLE_INCIDENT_MIN_ZOOM, layout: singleLayout, paint: singlePaint(COUNT_COLOUR) as never },
    ]);
  }

  /**
   * The incident tiles of a filter (its TileJSON URL carries it; every tile then does). A new URL
   * fetches the tiles on screen again; the old ones stay drawn until the new ones arrive.
   */
  setIncidentTiles(tileJsonUrl: string) {
    if (this.incidentTilesUrl === null) {
      this.addIncidentLayers(tileJsonUrl);
      this.applyMode();
    } else if (tileJsonUrl !== this.incidentTilesUrl) {
      this.view.setVectorTilesUrl(SOURCE.incidents, tileJsonUrl);
    }
    this.incidentTilesUrl = tileJsonUrl;
  }

  /** Fetches the incident tiles on screen again after an edit (unchanged ones come back as 304s). */
  refreshIncidents() {
    if (this.hasIncidentLayers()) this.view.refreshVectorTiles(SOURCE.incidents);
  }

  setMode(mode: LayerMode) {
    this.mode = mode;
    this.applyMode();
    this.countInView();
  }

  private applyMode() {
    const { view, showHotspots, colourBy } = this.mode;
    const v = this.view;
    const choropleth = view === 'grids' && !showHotspots;
    v.setLayerVisibility(LAYER.streetFill, choropleth);
    v.setLayerVisibility(LAYER.communityFill, choropleth);
    v.setLayerVisibility(LAYER.gridFill, choropleth);
    v.setLayerVisibility(LAYER.hotspotFill, showHotspots);
    // White edges between coloured grids; grey ones where most grids are not coloured.
    v.setLayerVisibility(LAYER.gridLine, choropleth);
    v.setLayerVisibility(LAYER.gridContextLine, showHotspots || view === 'points');
    if (!this.hasIncidentLayers()) return;
    v.setLayerVisibility(LAYER.cells, view === 'points');
    v.setLayerVisibility(LAYER.singlesByCategory, view === 'points' && colourBy === 'category');
    v.setLayerVisibility(LAYER.singlesByStatus, view === 'points' && colourBy === 'status');
    v.setLayerVisibility(LAYER.singlesPlain, view !== 'points');
  }

  private hasIncidentLayers() {
    return this.incidentTilesUrl !== null;
  }

  /** Choropleth and Gi* classes per grid code, and choropleth classes per street/community code. */
  setStates(grids: ReadonlyMap<string, { cls: number; hot: number }>, areas: ReadonlyMap<string, { cls: number }>) {
    this.view.setFeatureStates(SOURCE.grids, 'grids', grids);
    this.view.setFeatureStates(SOURCE.areas, 'areas', areas);
  }

  /** Outlines the filter's area (street or community code), or nothing. */
  setFilterArea(code: string | null) {
    this.view.setFilter(LAYER.filterAreaLine, code ? ['==', ['get', 'code'], code] : NOTHING);
  }

  /** Outlines the area whose incidents are listed: a grid (15 digits) or a community/street. */
  setListedArea(code: string | null) {
    const grid = code !== null && code.length === 15;
    this.view.setFilter(LAYER.listedGridLine, grid ? ['==', ['get', 'code'], code] : NOTHING);
    this.view.setFilter(LAYER.listedAreaLine, code && !grid ? ['==', ['get', 'code'], code] : NOTHING);
  }

  /** Our layers under a point, top first: incidents, then the fills of the current mode. */
  private featuresAt(event: MapMouseEvent): MapGeoJSONFeature[] {
    const map = this.view.map;
    const layers = [...SINGLES, LAYER.cells, ...(this.mode.view === 'hexagons' ? [] : AREA_FILLS)].filter((id) => map.getLayer(id));
    if (layers.length === 0) return [];
    return map.queryRenderedFeatures(event.point, { layers });
  }

  private targetOf(feature: MapGeoJSONFeature): HoverTarget | null {
    const p = feature.properties;
    if (feature.layer.id === LAYER.cells) return { kind: 'cell', count: Number(p.count) };
    if (SINGLES.includes(feature.layer.id as (typeof SINGLES)[number])) {
      const closed = p.status === 'closed' || p.status === 'returned';
      return { kind: 'incident', id: Number(feature.id), category: String(p.category), status: String(p.status), overdue: !closed && Number(p.dueAt) * 1000 < Date.now() };
    }
    const level = feature.layer.id === LAYER.streetFill ? 'street' : feature.layer.id === LAYER.communityFill ? 'community' : 'grid';
    return { kind: 'area', level, code: String(p.code), name: String(p.name) };
  }

  private hover(event: MapMouseEvent) {
    const feature = this.featuresAt(event)[0];
    const target = feature ? this.targetOf(feature) : null;
    this.setHover(target ? { x: event.point.x, y: event.point.y, target } : null);
  }

  private setHover(hover: { x: number; y: number; target: HoverTarget } | null) {
    if (!hover && !this.hovering) return;
    this.hovering = hover !== null;
    this.view.map.getCanvas().style.cursor = hover ? 'pointer' : '';
    this.handlers.onHover(hover);
  }

  private click(event: MapMouseEvent) {
    const feature = this.featuresAt(event)[0];
    if (!feature) return;
    const target = this.targetOf(feature);
    if (!target) return;
    const map = this.view.map;
    if (target.kind === 'incident') {
      const [lon, lat] = feature.geometry.type === 'Point' ? (feature.geometry.coordinates as LonLat) : [event.lngLat.lng, event.lngLat.lat];
      this.handlers.onIncidentClick({ id: target.id, lon, lat });
    } else if (target.kind === 'cell') {
      // A count is a place to look closer: zoom in on it, up to single incidents.
      const centre = feature.geometry.type === 'Point' ? (feature.geometry.coordinates as LonLat) : ([event.lngLat.lng, event.lngLat.lat] as LonLat);
      map.easeTo({ center: centre, zoom: Math.min(SINGLE_INCIDENT_MIN_ZOOM, Math.floor(map.getZoom()) + 2), duration: 500 });
    } else {
      this.handlers.onAreaClick({ code: target.code, name: target.name });
    }
  }

  /**
   * The incidents drawn in the view: the counts of the cells on screen (each incident is counted
   * in one cell of one tile), or the single incidents (a tile repeats those near its edges: by id).
   */
  private countInView() {
    if (this.mode.view !== 'points' || !this.hasIncidentLayers()) {
      this.handlers.onInView(null);
      return;
    }
    const map = this.view.map;
    if (map.getZoom() < SINGLE_INCIDENT_MIN_ZOOM) {
      const cells = map.queryRenderedFeatures({ layers: [LAYER.cells] });
      this.handlers.onInView(cells.reduce((sum, f) => sum + Number(f.properties.count), 0));
    } else {
      const ids = new Set(map.queryRenderedFeatures({ layers: SINGLES.filter((id) => map.getLayer(id)) }).map((f) => f.id));
      this.handlers.onInView(ids.size);
    }
  }

  destroy() {
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    this.unsubscribers.length = 0;
  }
}
