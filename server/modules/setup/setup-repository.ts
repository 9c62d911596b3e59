/**
 * The first admin of a fresh install, and the one-time set-up link that creates them. The token
 * is random (32 bytes), only its SHA-256 is stored, and it is void once used, after its lifetime,
 * or when a newer one is issued. An account created here or by `npm run admin:create` goes through
 * `createAdmin`, which takes a lock so that two set-ups can never both create "the first" admin.
 */
import crypto from 'node:crypto';
import type { Pool, PoolClient, Queryable } from '../../db/pool.js';
import { withTransaction } from '../../db/pool.js';
import type { AuditRepository } from '../audit/audit-repository.js';

/** How long a set-up link stays valid. */
export const SETUP_TOKEN_HOURS = 24;

/** Serialises the creation of first admins (pg_advisory_xact_lock key). */
const FIRST_ADMIN_LOCK = 0x5e7_00b;

const sha256 = (token: string) => crypto.createHash('sha256').update(token).digest();

export type TokenState = 'valid' | 'unknown' | 'used' | 'expired';

export async function activeAdminExists(db: Queryable): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM app_user WHERE role = 'admin' AND is_active LIMIT 1`);
  return rows.length > 0;
}

/**
 * A new set-up token when no active admin exists (older unused ones become void), else null.
 * The caller prints it once; it is never stored or logged in clear.
 */
export async function issueSetupToken(pool: Pool, hours = SETUP_TOKEN_HOURS): Promise<string | null> {
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
    if (await activeAdminExists(client)) return null;
    const token = crypto.randomBytes(32).toString('base64url');
    await client.query('DELETE FROM setup_token WHERE used_at IS NULL');
    await client.query(`INSERT INTO setup_token (token_hash, expires_at) VALUES ($1, now() + make_interval(hours => $2))`, [sha256(token), hours]);
    return token;
  });
}

/** What a presented token is worth (without using it). */
export async function tokenState(db: Queryable, token: string): Promise<TokenState> {
  const { rows } = await db.query<{ used: boolean; expired: boolean }>(
    `SELECT used_at IS NOT NULL AS used, expires_at <= now() AS expired FROM setup_token WHERE token_hash = $1`,
    [sha256(token)],
  );
  const row = rows[0];
  if (!row) return 'unknown';
  if (row.used) return 'used';
  if (row.expired) return 'expired';
  return 'valid';
}

export interface NewAdmin {
  username: string;
  displayName: string;
  passwordHash: string;
}

export type CreateAdminResult =
  | { created: true; id: number }
  | { created: false; reason: 'admin_exists' | 'username_taken' | Exclude<TokenState, 'valid'> };

/**
 * Creates an admin account in one transaction, audited as `action`. With `token`: only while no
 * active admin exists and the token is valid, which it then uses up. Without (the command line):
 * refused when an active admin exists unless `force`.
 */
export async function createAdmin(
  pool: Pool,
  audit: AuditRepository,
  admin: NewAdmin,
  options: { token?: string; force?: boolean; action: string; ip: string | null; via: string },
): Promise<CreateAdminResult> {
  return withTransaction(pool, async (client: PoolClient) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
    const adminExists = await activeAdminExists(client);
    if (options.token !== undefined) {
      if (adminExists) return { created: false, reason: 'admin_exists' };
      const state = await tokenState(client, options.token);
      if (state !== 'valid') return { created: false, reason: state };
    } else if (adminExists && !options.force) {
      return { created: false, reason: 'admin_exists' };
    }
    const { rows: taken } = await client.query('SELECT 1 FROM app_user WHERE username = $1', [admin.username]);
    if (taken.length) return { created: false, reason: 'username_taken' };
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO app_user (username, display_name, role, password_hash, must_change_password)
       VALUES ($1, $2, 'admin', $3, false) RETURNING id`,
      [admin.username, admin.displayName, admin.passwordHash],
    );
    const id = rows[0]!.id;
    // Once an admin exists, every set-up link is void.
    await client.query('UPDATE setup_token SET used_at = now() WHERE used_at IS NULL');
    await audit.record(
      {
        actorUserId: id,
        actorUsername: admin.username,
        action: options.action,
        targetType: 'user',
        targetId: id,
        ip: options.ip,
        success: true,
        detail: { via: options.via, ...(options.force && adminExists ? { forced: true } : {}) },
      },
      client,
    );
    return { created: true, id };
  });
}
