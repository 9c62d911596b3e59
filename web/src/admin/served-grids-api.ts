/** The grids a grid-worker account serves (PUT /api/admin/users/:id/grids), and a community's grids to choose from. */
import { api } from '../api/client';
import type { UserSummary } from '../api/security';
import type { GridCollection } from '../../../server/modules/grids/schemas';

export type ServedGrid = UserSummary['grids'][number];

export const setServedGrids = (userId: number, grids: { code: string; role?: 'leader' | 'manager' }[]) =>
  api.put<UserSummary>(`/api/admin/users/${userId}/grids`, { grids });

/** The live grids of a community (12 digits) or street (9 digits). */
export const fetchGridsOfArea = (area: string, signal?: AbortSignal) =>
  api.get<GridCollection>('/api/grids', { query: area.length === 12 ? { community: area } : { street: area }, signal });
