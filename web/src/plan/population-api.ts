/** Buildings and figures per grid imports (server/modules/buildings/routes.ts). */
import type { Static } from 'typebox';
import { api, formWithFile } from '../api/client';
import type { Building, BuildingEditResult, BuildingHistory, BuildingImportJob, BuildingImportPreview, BuildingImportResult, GridFiguresPreview, GridFiguresResult } from '../../../server/modules/buildings/schemas';
import type { SourceCrs } from '../../../server/shared/coordinates';

export type BuildingPreview = Static<typeof BuildingImportPreview>;
export type BuildingResult = Static<typeof BuildingImportResult>;
export type BuildingJob = Static<typeof BuildingImportJob>;
export type FiguresPreview = Static<typeof GridFiguresPreview>;
export type FiguresResult = Static<typeof GridFiguresResult>;

const fields = (crs: SourceCrs, extra: Record<string, string> = {}) => ({ crs, ...extra });

export const previewBuildings = (file: File, crs: SourceCrs) => api.post<BuildingPreview>('/api/building-import/preview', formWithFile(file, fields(crs)));
export const startBuildingImport = (file: File, crs: SourceCrs, reason: string) =>
  api.post<BuildingJob>('/api/building-import/commit', formWithFile(file, fields(crs, { async: 'true', reason })));
export const fetchBuildingJob = (id: string) => api.get<BuildingJob>(`/api/building-import/jobs/${id}`);
export const previewGridFigures = (file: File) => api.post<FiguresPreview>('/api/grid-figures-import/preview', formWithFile(file));
export const commitGridFigures = (file: File, reason: string) => api.post<FiguresResult>('/api/grid-figures-import/commit', formWithFile(file, { reason }));

export type BuildingRecord = Static<typeof Building>;
/** A building after an edit, with the grids around its old and new point before and after. */
export type BuildingEdit = Static<typeof BuildingEditResult>;
export type BuildingVersion = Static<typeof BuildingHistory>[number];
export interface Footprint { type: 'Polygon'; coordinates: number[][][] }
/** Where a building goes: a point, or a footprint (placed at its inner point by the server). */
export type Placement = { lon: number; lat: number } | { footprint: Footprint };
type Editable = Omit<BuildingRecord, 'id' | 'communityCode' | 'retired' | 'version' | 'lon' | 'lat'>;

export const fetchBuilding = (id: number, signal?: AbortSignal) => api.get<BuildingRecord>(`/api/buildings/${id}`, { signal });
export const fetchBuildingHistory = (id: number, signal?: AbortSignal) => api.get<BuildingVersion[]>(`/api/buildings/${id}/history`, { signal });
export const createBuilding = (body: Editable & Placement & { reason?: string }) => api.post<BuildingEdit>('/api/buildings', body);
export const updateBuilding = (id: number, body: Partial<Editable> & Partial<Placement> & { version: number; reason?: string }) =>
  api.patch<BuildingEdit>(`/api/buildings/${id}`, body);
export const retireBuilding = (id: number, version: number, reason: string) => api.post<BuildingEdit>(`/api/buildings/${id}/retire`, { version, reason });
