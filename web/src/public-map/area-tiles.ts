/** The area outlines' vector tiles: where their TileJSON is, and fetching it (for the bounds). */
import type { TileJson } from '../../../server/modules/tiles/schemas';
import { api } from '../api/client';

export const AREA_TILEJSON_PATH = '/api/tiles/areas.json';

export const fetchAreaTileJson = (signal?: AbortSignal) => api.get<TileJson>(AREA_TILEJSON_PATH, { signal });
