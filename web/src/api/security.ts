/**
 * The API calls of the account page (own password, two-factor enrolment) and of the admin pages
 * (staff accounts, audit search), typed with the server's schemas.
 */
import type { Static } from 'typebox';
import type { AreaCollection } from '../../../server/modules/areas/schemas';
import type { Role } from '../../../server/modules/auth/roles';
import type { AuditRow, AuditSearchQuery } from '../../../server/modules/audit/routes';
import type { UserSummary } from '../../../server/modules/users/routes';
import { api } from './client';

export type { AuditRow, Role, UserSummary };
export type AuditFilter = Omit<Static<typeof AuditSearchQuery>, 'limit' | 'before'>;

// --- Own account --------------------------------------------------------------------------------

/** 204 and a fresh session cookie; 400 with the rule that the new password breaks; 401 when the current one is wrong. */
export const changePassword = (currentPassword: string, newPassword: string) =>
  api.post<void>('/api/auth/password', { currentPassword, newPassword });

/** A new secret and its otpauth:// URI (for the QR code); confirmed by `enableTotp`. */
export const startTotpSetup = () => api.post<{ secret: string; uri: string }>('/api/auth/totp/setup');

export const enableTotp = (code: string) => api.post<void>('/api/auth/totp/enable', { code });

export const disableTotp = (code: string) => api.post<void>('/api/auth/totp/disable', { code });

// --- Staff accounts (admin) ---------------------------------------------------------------------

export const fetchUsers = (signal?: AbortSignal) => api.get<UserSummary[]>('/api/admin/users', { signal });

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  /** A street (9 digits) or community (12 digits); null for the whole district. */
  scopeAreaCode: string | null;
}

export const createUser = (user: NewUser) => api.post<{ id: number; temporaryPassword: string }>('/api/admin/users', user);

export interface UserChanges {
  displayName?: string;
  role?: Role;
  scopeAreaCode?: string | null;
  isActive?: boolean;
  unlock?: boolean;
}

export const updateUser = (id: number, changes: UserChanges) => api.patch<UserSummary>(`/api/admin/users/${id}`, changes);

export const resetUserPassword = (id: number) => api.post<{ temporaryPassword: string }>(`/api/admin/users/${id}/reset-password`);

export const endUserSessions = (id: number) => api.post<{ ended: number }>(`/api/admin/users/${id}/end-sessions`);

// --- Audit log (admin) --------------------------------------------------------------------------

export const AUDIT_PAGE_SIZE = 50;

/** One page, newest first; `before` is the previous page's `nextBefore`. */
export const searchAudit = (filter: AuditFilter, before: number | null, signal?: AbortSignal) =>
  api.get<{ rows: AuditRow[]; nextBefore: number | null }>('/api/admin/audit', {
    query: { ...filter, limit: AUDIT_PAGE_SIZE, before },
    signal,
  });

// --- Work areas ---------------------------------------------------------------------------------

/** The streets or communities under one parent (for choosing an account's work area). */
export const fetchChildAreas = (level: 'street' | 'community', parent: string, signal?: AbortSignal) =>
  api.get<AreaCollection>('/api/areas', { query: { level, parent, withoutOutline: true }, signal });
