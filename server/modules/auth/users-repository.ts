import crypto from 'node:crypto';
import type { Queryable } from '../../db/pool.js';
import type { Role, SessionUser } from './roles.js';

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  scope_area_code: string | null;
  must_change_password: boolean;
  password_hash: string;
  is_active: boolean;
}

const toSessionUser = (row: UserRow): SessionUser => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  role: row.role,
  scopeAreaCode: row.scope_area_code,
  mustChangePassword: row.must_change_password,
});

const sha256 = (token: string) => crypto.createHash('sha256').update(token).digest();

export function createUsersRepository(db: Queryable) {
  return {
    async findForLogin(username: string): Promise<(SessionUser & { passwordHash: string; isActive: boolean }) | null> {
      const { rows } = await db.query<UserRow>('SELECT * FROM app_user WHERE username = $1', [username]);
      const row = rows[0];
      return row ? { ...toSessionUser(row), passwordHash: row.password_hash, isActive: row.is_active } : null;
    },

    async create(
      user: { username: string; displayName: string; role: Role; passwordHash: string; mustChangePassword?: boolean },
      client: Queryable = db,
    ): Promise<number> {
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO app_user (username, display_name, role, password_hash, must_change_password)
         VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [user.username, user.displayName, user.role, user.passwordHash, user.mustChangePassword ?? false],
      );
      return rows[0]!.id;
    },

    /** Starts a session; returns the token for the cookie (only its hash is stored). */
    async createSession(
      userId: number,
      meta: { ip: string | null; userAgent: string | null; absoluteHours: number },
    ): Promise<string> {
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
    async userForSession(token: string, idleMinutes: number): Promise<SessionUser | null> {
      const { rows } = await db.query<UserRow>(
        `UPDATE user_session s SET last_seen_at = now()
           FROM app_user u
          WHERE s.token_hash = $1 AND u.id = s.user_id AND u.is_active
            AND s.expires_at > now()
            AND s.last_seen_at > now() - make_interval(mins => $2)
        RETURNING u.*`,
        [sha256(token), idleMinutes],
      );
      return rows[0] ? toSessionUser(rows[0]) : null;
    },

    async endSession(token: string): Promise<void> {
      await db.query('DELETE FROM user_session WHERE token_hash = $1', [sha256(token)]);
    },
  };
}
export type UsersRepository = ReturnType<typeof createUsersRepository>;
