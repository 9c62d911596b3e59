import type { SessionUser } from './roles.js';
import type { UserRow } from './users-repository.js';

export interface SessionPolicy {
  /** Days after which a password must be changed; 0 = never. */
  passwordMaxAgeDays: number;
  /** Whether admins must have a second factor. */
  totpRequiredForAdmins: boolean;
}

/** What a session knows of its user, with the set-up steps the policy still asks of them. */
export function toSessionUser(row: UserRow, policy: SessionPolicy, now = new Date()): SessionUser {
  const ageDays = (now.getTime() - new Date(row.password_changed_at).getTime()) / 86_400_000;
  const expired = policy.passwordMaxAgeDays > 0 && ageDays > policy.passwordMaxAgeDays;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    scopeAreaCode: row.scope_area_code,
    mustChangePassword: row.must_change_password || expired,
    totpEnabled: row.totp_enabled,
    mustEnrolTotp: policy.totpRequiredForAdmins && row.role === 'admin' && !row.totp_enabled,
  };
}
