/** /setup's API: the first admin of a fresh install (server/modules/setup/routes.ts). */
import { api } from '../api/client';
import type { SessionUser } from '../api/endpoints';

export const checkSetupToken = (token: string) => api.post<{ totpRequired: boolean }>('/api/setup/check', { token });

export interface FirstAdmin {
  token: string;
  username: string;
  displayName: string;
  password: string;
}

export const createFirstAdmin = (admin: FirstAdmin) => api.post<{ user: SessionUser }>('/api/setup/admin', admin);
