/** The resident register import (server/modules/population/routes.ts). */
import { api, formWithFile } from '../api/client';
import type { CommunityBuildings, RegisterCommitResult, RegisterSummary } from '../../../server/modules/population/schemas';
import type { Static } from 'typebox';

export type { RegisterCommitResult, RegisterSummary };
export type CommunityBuilding = Static<typeof CommunityBuildings>[number];

export interface Assignment {
  addressKey: string;
  buildingId: number;
  buildingName: string;
}

export interface RegisterJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  progress: { stage: string; done: number; total: number };
  result: RegisterCommitResult | null;
  error: string | null;
  errorStatus: number | null;
  errorDetails: unknown;
  errorCode?: string | null;
  errorParams?: unknown;
}

const fields = (assignments: Assignment[], extra: Record<string, string> = {}) => ({
  assignments: JSON.stringify(assignments.map(({ addressKey, buildingId }) => ({ addressKey, buildingId }))),
  ...extra,
});

export const previewRegister = (file: File, assignments: Assignment[]) =>
  api.post<RegisterSummary>('/api/population-register/preview', formWithFile(file, fields(assignments)));
export const startRegisterCommit = (file: File, assignments: Assignment[]) =>
  api.post<RegisterJob>('/api/population-register/commit', formWithFile(file, fields(assignments, { async: 'true' })));
export const fetchRegisterJob = (id: string) => api.get<RegisterJob>(`/api/population-register/jobs/${id}`);
export const fetchCommunityBuildings = (community: string) =>
  api.get<CommunityBuilding[]>(`/api/population-register/buildings?community=${encodeURIComponent(community)}`);
