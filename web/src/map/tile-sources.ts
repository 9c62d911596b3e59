/**
 * Where each of Wangge's vector-tile layers is described (TileJSON, server/modules/tiles): the one
 * place the web names them. A map source is made from its TileJSON (MapView.addVectorTiles).
 */
import type { TileJson } from '../../../server/modules/tiles/schemas';
import { api } from '../api/client';

export const TILEJSON = {
  areas: '/api/tiles/areas.json',
  grids: '/api/tiles/grids.json',
  buildings: '/api/tiles/buildings.json',
  facilities: '/api/tiles/facilities.json',
  incidents: '/api/tiles/incidents.json',
} as const;

/** The area outlines' TileJSON, fetched by a page that needs the district's bounds (and handed to its map). */
export const fetchAreaTileJson = (signal?: AbortSignal) => api.get<TileJson>(TILEJSON.areas, { signal });
