/**
 * The facility editing calls, typed with the server's schemas.
 */
import type { FacilityDraft, FacilityPatch, FacilityRecord, ImportPreview } from '../../../server/modules/facilities/editing-schemas';
import type { SourceCrs } from '../../../server/shared/coordinates';
import { ApiError } from '../api/client';
import type { FacilityTypeCode, FacilityTypeInfo } from '../api/endpoints';
import { uploadFile } from '../coverage/coverage-api';

export type { FacilityDraft, FacilityPatch, FacilityRecord, ImportPreview, SourceCrs };

async function send<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      signal,
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, parsed?.message ?? response.statusText, parsed?.details);
  return parsed as T;
}

export const fetchFacilityRecord = (id: number, signal?: AbortSignal) => send<FacilityRecord>('GET', `/api/facilities/${id}`, undefined, signal);
export const createFacility = (draft: FacilityDraft) => send<FacilityRecord>('POST', '/api/facilities', draft);
export const updateFacility = (id: number, patch: FacilityPatch) => send<FacilityRecord>('PATCH', `/api/facilities/${id}`, patch);
export const retireFacility = (id: number, version: number) => send<FacilityRecord>('POST', `/api/facilities/${id}/retire`, { version });
export const setTypeRadius = (code: FacilityTypeCode, serviceRadiusMeters: number) =>
  send<FacilityTypeInfo>('PUT', `/api/facility-types/${code}/service-radius`, { serviceRadiusMeters });
export const previewImport = (file: File, sourceCrs: SourceCrs) => uploadFile<ImportPreview>('/api/facilities/import/preview', file, { sourceCrs });
export const commitImport = (file: File, sourceCrs: SourceCrs) => uploadFile<{ created: number; ids: number[] }>('/api/facilities/import/commit', file, { sourceCrs });
