/**
 * What the public map asks the API for besides tiles: the counts per type and service (for the
 * filters), and one facility's full record (for its detail panel).
 */
import type { FacilityCollection, FacilitySummary } from '../../../server/modules/facilities/schemas';
import { api } from '../api/client';
import type { FacilityFeature } from '../api/endpoints';

export type { FacilitySummary };

export const fetchFacilitySummary = (signal?: AbortSignal) => api.get<FacilitySummary>('/api/facilities/summary', { signal });

/** One facility with every public field, or null when it is no longer public (or gone). */
export async function fetchFacility(id: number, signal?: AbortSignal): Promise<FacilityFeature | null> {
  const collection = await api.get<FacilityCollection>('/api/facilities', { query: { id }, signal });
  return collection.features[0] ?? null;
}
