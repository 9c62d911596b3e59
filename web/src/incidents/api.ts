/**
 * Typed calls to the incidents API (types from the server's schemas). The heat cells and points
 * arrive as packed little-endian binary and are handed to deck.gl as typed arrays, never parsed
 * into objects.
 */
import type {
  ByGridReply,
  CategoryInfo,
  CompareReply,
  CreatedIncident,
  CreateIncidentBody,
  GridOutlineCollection,
  HexagonBins,
  IncidentDetail,
  IncidentList,
  IndicatorsReply,
  SummaryReply,
} from '../../../server/modules/incidents/schemas';
import type { AreaCollection } from '../../../server/modules/areas/schemas';
import { api, apiErrorFrom, buildUrl, formWithFile, type QueryValue } from '../api/client';
import { TILEJSON } from '../map/tile-sources';

export type { ByGridReply, CategoryInfo, CompareReply, CreatedIncident, GridOutlineCollection, HexagonBins, IncidentDetail, IncidentList, IndicatorsReply, SummaryReply };
export type IncidentSummary = IncidentList['incidents'][number];
export type IncidentStatus = IncidentDetail['status'];

export interface IncidentFilter {
  from: string;
  to: string;
  categories: string[];
  statuses: string[];
  sources: string[];
  area: string | null;
}

export function filterQuery(f: IncidentFilter): Record<string, QueryValue> {
  return {
    from: f.from,
    to: f.to,
    category: f.categories.join(',') || undefined,
    status: f.statuses.join(',') || undefined,
    source: f.sources.join(',') || undefined,
    area: f.area ?? undefined,
  };
}

/**
 * TileJSON of the incident tiles for a filter: the server hands the filter on to every tile URL,
 * so a new filter is a new URL (and new tiles), the same filter the same tiles (cached).
 */
export function incidentTilesUrl(f: IncidentFilter): string {
  return buildUrl(TILEJSON.incidents, filterQuery(f));
}

/** The area tiles' TileJSON: its bounds frame the map before any tile arrives. */

/** The communities/villages of one street (for the area filter), with their outlines. */
export const fetchCommunitiesOf = (street: string, signal?: AbortSignal) =>
  api.get<AreaCollection>('/api/areas', { query: { level: 'community', parent: street, withoutOutline: true }, signal });

/** Packed records from the server: `floats` views the same bytes as 32-bit floats. */
export interface PackedPoints {
  count: number;
  floats: Float32Array;
  /** Same bytes as unsigned integers (ids in the points format). */
  uints: Uint32Array;
  bytes: number;
  maxWeight: number;
}

async function getBinary(path: string, query: Record<string, QueryValue>, recordBytes: number, countHeader: string, signal?: AbortSignal): Promise<PackedPoints> {
  const response = await fetch(buildUrl(path, query), { credentials: 'same-origin', signal });
  if (!response.ok) throw await apiErrorFrom(response);
  const buffer = await response.arrayBuffer();
  return {
    count: Number(response.headers.get(countHeader) ?? buffer.byteLength / recordBytes),
    floats: new Float32Array(buffer),
    uints: new Uint32Array(buffer),
    bytes: buffer.byteLength,
    maxWeight: Number(response.headers.get('X-Max-Weight') ?? 0),
  };
}

export const fetchCategories = (signal?: AbortSignal) => api.get<CategoryInfo[]>('/api/incident-categories', { signal });

/** The name of a category or sub-category code in the UI's language (the code itself when unknown). */
export function categoryNameOf(categories: readonly CategoryInfo[], code: string | null, english: boolean): string {
  if (!code) return '';
  for (const c of categories) {
    if (c.code === code) return english ? c.nameEn : c.nameZh;
    const s = c.subCategories.find((x) => x.code === code);
    if (s) return english ? s.nameEn : s.nameZh;
  }
  return code;
}

export const fetchHeat = (f: IncidentFilter, cellMeters: number, weight: 'count' | 'urgency', signal?: AbortSignal) =>
  getBinary('/api/incidents/heat', { ...filterQuery(f), cellMeters, weight }, 12, 'X-Cell-Count', signal);

export const fetchHexagons = (f: IncidentFilter, sizeMeters: number, signal?: AbortSignal) =>
  api.get<HexagonBins>('/api/incidents/hexagons', { query: { ...filterQuery(f), sizeMeters }, signal });

export const fetchMyGrids = (signal?: AbortSignal) => api.get<GridOutlineCollection>('/api/incidents/my-grids', { signal });

export const fetchByGrid = (f: IncidentFilter, contiguity: 'rook' | 'queen', signal?: AbortSignal) =>
  api.get<ByGridReply>('/api/incidents/by-grid', { query: { ...filterQuery(f), contiguity }, signal });

export const fetchSummary = (f: IncidentFilter, signal?: AbortSignal) => api.get<SummaryReply>('/api/incidents/summary', { query: filterQuery(f), signal });

export const fetchCompare = (f: IncidentFilter, earlier: { from: string; to: string }, signal?: AbortSignal) =>
  api.get<CompareReply>('/api/incidents/compare', { query: { ...filterQuery(f), compareFrom: earlier.from, compareTo: earlier.to, level: 'grid', limit: 5 }, signal });

/** `top`: the level of the whole when no area is chosen (a city with several districts, or one district). */
export const fetchIndicators = (f: IncidentFilter, signal?: AbortSignal, top: 'city' | 'district' = 'district') =>
  api.get<IndicatorsReply>('/api/incidents/indicators', {
    query: { from: f.from, to: f.to, level: f.area ? (f.area.length === 9 ? 'street' : f.area.length === 12 ? 'community' : 'district') : top, area: f.area ?? undefined, category: f.categories.join(',') || undefined },
    signal,
  });

/** The list's own narrowing and order (GET /api/incidents: overdue, q, sort, order). */
export interface ListOptions {
  overdue: '' | 'true' | 'false';
  text: string;
  /** 'key:asc' or 'key:desc'. */
  sort: string;
}
export type ListScopeQuery = { hex?: { sizeMeters: number; i: number; j: number }; areaCode?: string };

/** The query of the incident list, which its export shares. */
export function listQuery(f: IncidentFilter, scope: ListScopeQuery, options: ListOptions): Record<string, QueryValue> {
  const [sort, order] = options.sort.split(':');
  return {
    ...filterQuery(scope.areaCode ? { ...f, area: scope.areaCode } : f),
    hexSizeMeters: scope.hex?.sizeMeters,
    hexI: scope.hex?.i,
    hexJ: scope.hex?.j,
    overdue: options.overdue || undefined,
    q: options.text.trim() || undefined,
    sort,
    order,
  };
}

export const fetchList = (f: IncidentFilter, scope: ListScopeQuery, options: ListOptions, signal?: AbortSignal) =>
  api.get<IncidentList>('/api/incidents', { query: { ...listQuery(f, scope, options), limit: 100 }, signal });

/** The export of the same list (every row, masked as the caller sees it). */
export const fetchIncident = (id: number, signal?: AbortSignal) => api.get<IncidentDetail>(`/api/incidents/${id}`, { signal });
export const postTransition = (id: number, to: IncidentStatus, note: string) => api.post<IncidentDetail>(`/api/incidents/${id}/transitions`, { to, note });
export const postUnmask = (id: number, purpose: 'callback' | 'verification' | 'legal_request') =>
  api.post<{ name: string | null; phone: string | null; idNumber: string | null }>(`/api/incidents/${id}/unmask`, { purpose });

export const createIncident = (body: CreateIncidentBody) => api.post<CreatedIncident>('/api/incidents', body);
export const locatePoint = (lon: number, lat: number, signal?: AbortSignal) =>
  api.get<{ lon: number; lat: number; ownGrid: boolean; placement: CreatedIncident['placement'] }>('/api/incidents/locate', { query: { lon: lon.toFixed(7), lat: lat.toFixed(7) }, signal });
export const fetchMine = (signal?: AbortSignal) => api.get<IncidentList>('/api/incidents/mine', { query: { limit: 20 }, signal });

export async function uploadPhoto(id: number, file: File): Promise<void> {
  await api.post<unknown>(`/api/incidents/${id}/photos`, formWithFile(file, {}, 'photo'));
}
