/** The outline-derive calls of the /areas page, typed with the server's own schemas. */
import type { Static } from 'typebox';
import type { DerivableAreas, DerivePreview, OutlineWriteResult } from '../../../server/modules/areas/outline-schemas';
import { api } from '../api/client';

export type { DerivableAreas, DerivePreview };
export type DerivableArea = DerivableAreas[number];
export type OutlineWrite = Static<typeof OutlineWriteResult>;

export const fetchDerivable = (parent: string, level: 'street' | 'community', signal?: AbortSignal) =>
  api.get<DerivableAreas>('/api/areas/derivable', { query: { parent, level }, signal });
export const fetchDerivePreview = (code: string, fillGaps: boolean, signal?: AbortSignal) =>
  api.get<DerivePreview>(`/api/areas/${code}/derive-preview`, { query: { fillGaps }, signal });
export const applyDerive = (code: string, version: number, fillGaps: boolean) =>
  api.post<OutlineWrite>(`/api/areas/${code}/derive`, { version, fillGaps });
