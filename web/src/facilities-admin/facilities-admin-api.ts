/**
 * The facility editing calls, typed with the server's schemas.
 */
import type { FacilityDraft, FacilityPatch, FacilityRecord, ImportPreview } from '../../../server/modules/facilities/editing-schemas';
import type { SourceCrs } from '../../../server/shared/coordinates';
import { api, formWithFile } from '../api/client';
import type { FacilityTypeCode, FacilityTypeInfo } from '../api/endpoints';

export type { FacilityDraft, FacilityPatch, FacilityRecord, ImportPreview, SourceCrs };


export const fetchFacilityRecord = (id: number, signal?: AbortSignal) => api.get<FacilityRecord>(`/api/facilities/${id}`, { signal });
export const createFacility = (draft: FacilityDraft) => api.post<FacilityRecord>('/api/facilities', draft);
export const updateFacility = (id: number, patch: FacilityPatch) => api.patch<FacilityRecord>(`/api/facilities/${id}`, patch);
export const retireFacility = (id: number, version: number) => api.post<FacilityRecord>(`/api/facilities/${id}/retire`, { version });
export const setTypeRadius = (code: FacilityTypeCode, serviceRadiusMeters: number) =>
  api.put<FacilityTypeInfo>(`/api/facility-types/${code}/service-radius`, { serviceRadiusMeters });
export const previewImport = (file: File, sourceCrs: SourceCrs) => api.post<ImportPreview>('/api/facilities/import/preview', formWithFile(file), { query: { sourceCrs } });
export const commitImport = (file: File, sourceCrs: SourceCrs) => api.post<{ created: number; ids: number[] }>('/api/facilities/import/commit', formWithFile(file), { query: { sourceCrs } });
