/** People on the grids: the linkable grid-worker accounts and the staff import (server/modules/grids/staff-routes.ts). */
import { api, formWithFile } from '../api/client';
import type { StaffImportProblem } from '../../../server/modules/grids/staff-import';

export interface GridWorkerAccount {
  id: number;
  username: string;
  displayName: string;
  scopeAreaCode: string | null;
}

export interface StaffImportPreview {
  fileName: string;
  columns: Record<string, string>;
  rows: { row: number; gridCode: string; gridName: string | null; name: string; phone: string | null; role: 'leader' | 'manager' | null; username: string | null }[];
  grids: { code: string; name: string; currentLeaders: number; currentManagers: number; leaders: number; managers: number; linkedAccounts: number }[];
  errors: { row: number; column: string; field: string; kind: StaffImportProblem; code: string; params: Record<string, string | number>; message: string }[];
}

export interface StaffImportResult {
  grids: number;
  leaders: number;
  managers: number;
  linkedAccounts: number;
}

export const fetchGridWorkers = (signal?: AbortSignal) => api.get<GridWorkerAccount[]>('/api/grid-workers', { signal });
export const previewStaffImport = (file: File) => api.post<StaffImportPreview>('/api/grid-staff-import/preview', formWithFile(file));
export const commitStaffImport = (file: File, reason: string) => api.post<StaffImportResult>('/api/grid-staff-import/commit', formWithFile(file, { reason }));
