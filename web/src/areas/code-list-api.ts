/** The /areas code-list section's API calls, typed with the server's schemas. */
import type { AddSummary, CodeListPreview, HierarchyReply, NationalSearchReply } from '../../../server/modules/areas/schemas';
import { api, formWithFile } from '../api/client';

export type { AddSummary, CodeListPreview, HierarchyReply, NationalSearchReply };
export type HierarchyArea = HierarchyReply['areas'][number];

export const searchNational = (q: string, signal?: AbortSignal) => api.get<NationalSearchReply>('/api/areas/national', { query: { q }, signal });
export const previewNational = (code: string, signal?: AbortSignal) => api.get<AddSummary>(`/api/areas/national/${code}`, { signal });
export const addNational = (code: string) => api.post<AddSummary>('/api/areas/national', { code });
export const previewCodeList = (file: File) => api.post<CodeListPreview>('/api/areas/code-list/preview', formWithFile(file));
export const commitCodeList = (file: File) => api.post<AddSummary>('/api/areas/code-list/commit', formWithFile(file));
export const fetchHierarchy = (signal?: AbortSignal) => api.get<HierarchyReply>('/api/areas/hierarchy', { signal });
export const addArea = (code: string, name: string) => api.post<AddSummary>('/api/areas', { code, name });
export const renameArea = (code: string, name: string, version: number) => api.patch<{ code: string; version: number }>(`/api/areas/${code}`, { name, version });
export const retireArea = (code: string, version: number) => api.post<{ code: string; version: number }>(`/api/areas/${code}/retire`, { version });
