import crypto from 'node:crypto';
import type { Queryable } from '../../db/pool.js';
import type { Role } from './roles.js';
import { PASSWORD_HISTORY } from './password-policy.js';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  scope_area_code: string | null;
  must_change_password: boolean;
  password_hash: string;
  password_changed_at: Date;
  is_active: boolean;
  failed_login_count: number;
  locked_until: Date | null;
  totp_secret: string | null;
  totp_enabled: boolean;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
  created_at: Date;
}

const sha256 = (token: string) => crypto.createHash('sha256').update(token).digest();

export function createUsersRepository(db: Queryable) {
  return {
    async byUsername(username: string): Promise<UserRow | null> {
      const { rows } = await db.query<UserRow>('SELECT * FROM app_user WHERE username = $1', [username]);
      return rows[0] ?? null;
    },

    async byId(id: number): Promise<UserRow | null> {
      const { rows } = await db.query<UserRow>('SELECT * FROM app_user WHERE id = $1', [id]);
      return rows[0] ?? null;
    },

    async create(
      user: { username: string; displayName: string; role: Role; passwordHash: string; mustChangePassword?: boolean; scopeAreaCode?: string | null },
      client: Queryable = db,
    ): Promise<number> {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO app_user (username, display_name, role, password_hash, must_change_password, scope_area_code)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [user.username, user.displayName, user.role, user.passwordHash, user.mustChangePassword ?? false, user.scopeAreaCode ?? null],
      );
      return rows[0]!.id;
    },

    /** Staff accounts for the admin's list: no hashes, no secrets. */
    async list() {
      const { rows } = await db.query(
        `SELECT u.id, u.username, u.display_name AS "displayName", u.role, u.scope_area_code AS "scopeAreaCode",
                u.is_active AS "isActive", u.must_change_password AS "mustChangePassword", u.totp_enabled AS "totpEnabled",
                CASE WHEN u.locked_until > now() THEN to_char(u.locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') END AS "lockedUntil",
                to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt",
                (SELECT count(*) FROM user_session s WHERE s.user_id = u.id AND s.expires_at > now())::int AS "activeSessions",
                coalesce((SELECT json_agg(json_build_object('gridId', g.id, 'code', g.code, 'name', g.name, 'communityCode', g.community_code, 'role', gs.role) ORDER BY g.code)
                            FROM grid_staff gs JOIN grid g ON g.id = gs.grid_id
                           WHERE gs.user_id = u.id AND g.retired_at IS NULL), '[]'::json) AS grids
         FROM app_user u ORDER BY u.username`,
      );
      return rows;
    },

    async areaExists(code: string): Promise<boolean> {
      const { rowCount } = await db.query(`SELECT 1 FROM admin_area WHERE code = $1 AND level IN ('street', 'community')`, [code]);
      return (rowCount ?? 0) > 0;
    },

    async update(
      id: number,
      changes: { displayName?: string; role?: Role; scopeAreaCode?: string | null; isActive?: boolean; unlock?: boolean },
    ): Promise<void> {
      await db.query(
        `UPDATE app_user SET
           display_name = coalesce($2, display_name),
           role = coalesce($3, role),
           scope_area_code = CASE WHEN $4 THEN $5 ELSE scope_area_code END,
           is_active = coalesce($6, is_active),
           failed_login_count = CASE WHEN $7 THEN 0 ELSE failed_login_count END,
           locked_until = CASE WHEN $7 THEN NULL ELSE locked_until END
         WHERE id = $1`,
        [id, changes.displayName ?? null, changes.role ?? null, 'scopeAreaCode' in changes, changes.scopeAreaCode ?? null, changes.isActive ?? null, changes.unlock === true],
      );
    },

    /** Counts a failed login; locks the account for lockMinutes at the maxFailures-th in a row. */
    async recordFailure(id: number, maxFailures: number, lockMinutes: number): Promise<{ lockedUntil: Date | null }> {
      const { rows } = await db.query<{ locked_until: Date | null }>(
        `UPDATE app_user SET
           failed_login_count = failed_login_count + 1,
           locked_until = CASE WHEN failed_login_count + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
         WHERE id = $1 RETURNING locked_until`,
        [id, maxFailures, lockMinutes],
      );
      return { lockedUntil: rows[0]?.locked_until ?? null };
    },

    async recordSuccess(id: number): Promise<void> {
      await db.query('UPDATE app_user SET failed_login_count = 0, locked_until = NULL WHERE id = $1', [id]);
    },

    /** Sets a new password; the one it replaces goes to the history, which keeps the last `keep`. */
    async setPassword(id: number, passwordHash: string, mustChange: boolean, client: Queryable = db, keep = PASSWORD_HISTORY): Promise<void> {
      await client.query(
        `WITH previous AS (
           INSERT INTO password_history (user_id, password_hash) SELECT id, password_hash FROM app_user WHERE id = $1
         )
         UPDATE app_user SET password_hash = $2, must_change_password = $3, password_changed_at = now() WHERE id = $1`,
        [id, passwordHash, mustChange],
      );
      await client.query(
        `DELETE FROM password_history WHERE user_id = $1
            AND id NOT IN (SELECT id FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2)`,
        [id, keep],
      );
    },

    /** The hashes of the user's last previous passwords, newest first. */
    async previousPasswordHashes(id: number, limit = PASSWORD_HISTORY): Promise<string[]> {
      const { rows } = await db.query<{ password_hash: string }>(
        'SELECT password_hash FROM password_history WHERE user_id = $1 ORDER BY id DESC LIMIT $2',
        [id, limit],
      );
      return rows.map((row) => row.password_hash);
    },

    /** Accepts a TOTP step only if it is later than the last one accepted (no replay). */
    async acceptTotpStep(id: number, step: number): Promise<boolean> {
      const { rowCount } = await db.query(
        'UPDATE app_user SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)',
        [id, step],
      );
      return (rowCount ?? 0) > 0;
    },

    async setPendingTotp(id: number, secret: string): Promise<void> {
      await db.query('UPDATE app_user SET totp_pending_secret = $2 WHERE id = $1', [id, secret]);
    },

    async enableTotp(id: number): Promise<void> {
      await db.query(
        'UPDATE app_user SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled = true WHERE id = $1 AND totp_pending_secret IS NOT NULL',
        [id],
      );
    },

    async disableTotp(id: number): Promise<void> {
      await db.query('UPDATE app_user SET totp_secret = NULL, totp_enabled = false, totp_last_step = NULL WHERE id = $1', [id]);
    },

    /** Starts a session; returns the token for the cookie (only its hash is stored). */
    async createSession(userId: number, meta: { ip: string | null; userAgent: string | null; absoluteHours: number }): Promise<string> {
      const token = crypto.randomBytes(32).toString('base64url');
      await db.query(
        `INSERT INTO user_session (token_hash, user_id, expires_at, ip, user_agent)
         VALUES ($1, $2, now() + make_interval(hours => $3), $4, $5)`,
        [sha256(token), userId, meta.absoluteHours, meta.ip, meta.userAgent],
      );
      return token;
    },

    /**
     * The user behind a session token, if the session is alive (not idle too long, not past its
     * absolute end, user still active); touches last_seen_at.
     */
    async userForSession(token: string, idleMinutes: number): Promise<UserRow | null> {
      // last_seen_at is written at most once per tenth of the idle limit (at most once a minute):
      // a burst of requests (map tiles) reads the session without queueing on its row lock, and a
      // user active within the limit is never taken for idle, however short the limit.
      const { rows } = await db.query<UserRow>(
        `WITH live AS (
           SELECT u.* FROM user_session s JOIN app_user u ON u.id = s.user_id
            WHERE s.token_hash = $1 AND u.is_active
              AND s.expires_at > now()
              AND s.last_seen_at > now() - make_interval(mins => $2)
         ), touch AS (
           UPDATE user_session SET last_seen_at = now()
            WHERE token_hash = $1 AND last_seen_at < now() - least(interval '1 minute', make_interval(mins => $2) / 10)
              AND EXISTS (SELECT 1 FROM live)
         )
         SELECT * FROM live`,
        [sha256(token), idleMinutes],
      );
      return rows[0] ?? null;
    },

    async endSession(token: string): Promise<void> {
      await db.query('DELETE FROM user_session WHERE token_hash = $1', [sha256(token)]);
    },

    /** Ends every session of a user (logout everywhere, disabling, admin action); returns how many. */
    async endAllSessions(userId: number, client: Queryable = db): Promise<number> {
      const { rowCount } = await client.query('DELETE FROM user_session WHERE user_id = $1', [userId]);
      return rowCount ?? 0;
    },
  };
}
export type UsersRepository = ReturnType<typeof createUsersRepository>;
