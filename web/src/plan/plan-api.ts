/**
 * The grid planning API calls, typed with the server's own schemas.
 */
import type { Static } from 'typebox';
import type {
  AreaFiguresCollection,
  BuildingFigures,
  EditResult,
  EncodingPreview,
  GridAttributes,
  GridCollection,
  GridHistory,
  GridNormSettings,
  GridProperties,
  ValidationFinding,
  ValidationReport,
} from '../../../server/modules/grids/schemas';
import type { SourceCrs } from '../../../server/shared/coordinates';
import type { Problem } from '../../../server/shared/refusals';
import type { CrsHint } from '../imports-ui/CrsHintNotice';
import type { AreaHistory, AreaOutline, OutlineWriteResult } from '../../../server/modules/areas/outline-schemas';
import { api, formWithFile } from '../api/client';
import type { AreaCollection } from '../api/endpoints';

export type { EncodingPreview, GridAttributes, GridCollection, GridHistory, GridNormSettings, GridProperties, SourceCrs, ValidationFinding, ValidationReport };
export type GridFeature = GridCollection['features'][number];
export type AreaFigures = Static<typeof AreaFiguresCollection>[number];
export type EditOutcome = Static<typeof EditResult>;
export type BuildingFiguresResult = Static<typeof BuildingFigures>;
export type GridVersion = GridHistory['versions'][number];
export type Polygonal = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
export type Line = { type: 'LineString'; coordinates: number[][] };
export type GridRef = { id: number; version: number };
export type AreaOutlineRecord = Static<typeof AreaOutline>;
export type AreaOutlineWrite = Static<typeof OutlineWriteResult>;
export type { AreaHistory };
export type AreaVersion = AreaHistory['versions'][number];

/** The communities of one street, with their exact outlines (for the tree, framing and snapping). */
export const fetchCommunitiesOf = (street: string, signal?: AbortSignal) => api.get<AreaCollection>('/api/areas', { query: { level: 'community', parent: street, withoutOutline: true }, signal });
/** The live grids of a community, or of every community of a street, at full precision (for editing). */
export const fetchGrids = (scope: { community?: string; street?: string }, signal?: AbortSignal) => api.get<GridCollection>('/api/grids', { query: scope, signal });
export const fetchFigures = (area: string, children: boolean, signal?: AbortSignal) =>
  api.get<AreaFigures[]>('/api/grid-figures', { query: { area, children }, signal });
export const fetchValidation = (scope: { community?: string; street?: string }, signal?: AbortSignal) =>
  api.get<ValidationReport>('/api/grid-validation', { query: scope, signal });
export const fetchSettings = (signal?: AbortSignal) => api.get<GridNormSettings>('/api/grid-settings', { signal });
export const fetchHistory = (id: number, signal?: AbortSignal) => api.get<GridHistory>(`/api/grids/${id}/history`, { signal });
export const fetchBuildingFigures = (id: number) => api.get<BuildingFiguresResult>(`/api/grids/${id}/building-figures`);
export const fetchEncodingPreview = (community: string, signal?: AbortSignal) => api.get<EncodingPreview>(`/api/communities/${community}/encoding-preview`, { signal });

export const createGrid = (body: GridAttributes & { communityCode: string; geometry: Polygonal; reason?: string }) => api.post<EditOutcome>('/api/grids', body);
export const updateGrid = (id: number, body: GridAttributes & { version: number; geometry?: Polygonal; reason?: string }) => api.patch<EditOutcome>(`/api/grids/${id}`, body);
export const splitGrid = (ref: GridRef, line: Line, reason = '') => api.post<EditOutcome>(`/api/grids/${ref.id}/split`, { version: ref.version, line, reason });
export const mergeGrids = (grids: GridRef[], reason = '') => api.post<EditOutcome>('/api/grids/merge', { grids, reason });
export const reshapeGrids = (a: GridRef, b: GridRef, change: { line: Line } | { geometry: Polygonal }, reason = '') =>
  api.post<EditOutcome>('/api/grids/reshape', { a, b, ...change, reason });
export const restoreGrid = (ref: GridRef, toVersion: number, reason = '') => api.post<EditOutcome>(`/api/grids/${ref.id}/restore`, { version: ref.version, toVersion, reason });
export const restoreGrids = (grids: { id: number; version: number; toVersion: number }[], reason = '') => api.post<EditOutcome>('/api/grids/restore', { grids, reason });
export const retireGrid = (ref: GridRef, reason = '') => api.post<EditOutcome>(`/api/grids/${ref.id}/retire`, { version: ref.version, reason });
export const repairSlivers = (community: string) => api.post<EditOutcome>(`/api/communities/${community}/repair-slivers`);
export const applyEncoding = (community: string, preview: EncodingPreview, reason = '') =>
  api.post<EncodingPreview>(`/api/communities/${community}/encode`, { rows: preview.rows.map((r) => ({ gridId: r.gridId, version: r.version, newCode: r.newCode })), reason });
/** Area outlines: read with their version, draw or replace, history and restore (the area store). */
export const fetchAreaOutline = (code: string, signal?: AbortSignal) => api.get<AreaOutlineRecord>(`/api/areas/${code}/outline`, { signal });
export const saveAreaOutline = (code: string, version: number, geometry: Polygonal, reason = '') =>
  api.put<AreaOutlineWrite>(`/api/areas/${code}/outline`, { version, geometry, reason });
export const fetchAreaHistory = (code: string, signal?: AbortSignal) => api.get<AreaHistory>(`/api/areas/${code}/history`, { signal });
export const restoreAreaOutline = (code: string, version: number, toVersion: number, reason = '') =>
  api.post<AreaOutlineWrite>(`/api/areas/${code}/restore`, { version, toVersion, reason });
export const saveSettings = (settings: GridNormSettings) => api.patch<GridNormSettings>('/api/grid-settings', settings);

export interface ImportOptions {
  scope: string;
  /** 'auto' (as the file says), a named system, or 'EPSG:n'. */
  crs: string;
  encoding: 'auto' | 'utf-8' | 'gbk' | 'gb18030';
  mapping?: Record<string, string>;
  reason?: string;
}

export interface ImportPreview {
  fileName: string;
  format: string;
  featureCount: number;
  sourceFields: string[];
  mapping: Record<string, string>;
  encoding: { name: string; from: string } | null;
  communityCodes: string[];
  rows: { feature: number; code: string | null; name: string | null; communityCode: string | null; status: 'new' | 'update' }[];
  retiring: { gridId: number; code: string; name: string }[];
  /** Problems of single features, said in the UI's language with problemText. */
  errors: ({ feature: number } & Problem)[];
  findings: ValidationFinding[];
  canCommit: boolean;
  preview: GeoJSON.FeatureCollection;
  crsHint: CrsHint | null;
}


const postImport = <T>(step: 'preview' | 'commit', file: File, options: ImportOptions) =>
  api.post<T>(
    `/api/grid-import/${step}`,
    formWithFile(file, {
      scope: options.scope,
      crs: options.crs,
      encoding: options.encoding,
      mapping: options.mapping ? JSON.stringify(options.mapping) : undefined,
      reason: options.reason || undefined,
    }),
  );

export const previewImport = (file: File, options: ImportOptions) => postImport<ImportPreview>('preview', file, options);
export const commitImport = (file: File, options: ImportOptions) =>
  postImport<{ created: number; updated: number; retired: number; communityCodes: string[] }>('commit', file, options);

