/** The road network import's calls: the network loaded now, the road classes, preview, commit as a job, and the job's progress. */
import type { NetworkImportJob, NetworkPreviewReply } from '../../../server/modules/network/schemas';
import { api, formWithFile } from '../api/client';

export type NetworkPreview = NetworkPreviewReply;
export type { NetworkImportJob };
export type NetworkCrsChoice = 'auto' | 'wgs84' | 'cgcs2000' | 'gcj02' | 'bd09';

export interface NetworkStatus {
  pgrouting: { installed: boolean; message: string | null };
  loaded: boolean;
  ready: boolean;
  distanceMethod: 'network' | 'straight_line';
  source: string | null;
  synthetic: boolean;
  importedAt: string | null;
  segments: number;
  walkableSegments: number;
  walkingAreas: number;
}
export interface RoadClass { code: string; name_zh: string; name_en: string; walkable: boolean }
export interface NetworkImportOptions { crs: NetworkCrsChoice; defaultClass: string }

const form = (file: File, options: NetworkImportOptions, extra: Record<string, string> = {}) =>
  formWithFile(file, { crs: options.crs, defaultClass: options.defaultClass || undefined, ...extra });

export const fetchNetworkStatus = (signal?: AbortSignal) => api.get<NetworkStatus>('/api/network', { signal });
export const fetchRoadClasses = (signal?: AbortSignal) => api.get<RoadClass[]>('/api/network/road-classes', { signal });
export const previewNetworkImport = (file: File, options: NetworkImportOptions, signal?: AbortSignal) =>
  api.post<NetworkPreview>('/api/network/preview', form(file, options), { signal });
export const startNetworkImport = (file: File, options: NetworkImportOptions) =>
  api.post<NetworkImportJob>('/api/network/import', form(file, options, { async: 'true' }));
export const fetchNetworkImportJob = (id: string, signal?: AbortSignal) => api.get<NetworkImportJob>(`/api/network/import-jobs/${id}`, { signal });
