/**
 * Personal access tokens (migration 024): credentials for QGIS, GDAL and scripts, sent as
 * `Authorization: Bearer <token>` or as the password of HTTP Basic. A token is `wgpat_` followed by
 * 32 random bytes in base64url (256 bits); only its SHA-256 is stored. It acts with its owner's
 * role and scope, read from the owner's row at every use.
 */
import crypto from 'node:crypto';
import type { Queryable } from '../../db/pool.js';
import { sqlFile } from '../../shared/sql.js';
import type { UserRow } from './users-repository.js';

const TOKEN_LOOKUP_SQL = sqlFile(import.meta.url, 'token-lookup.sql');
const TOKEN_USE_SQL = sqlFile(import.meta.url, 'token-use.sql');

/** Every token starts with this, so that a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = 'wgpat_';
/** The longest a token may live. */
export const MAX_TOKEN_DAYS = 365;
/** The most live tokens one account may hold. */
export const MAX_LIVE_TOKENS = 20;

const TOKEN_SHAPE = /^wgpat_[A-Za-z0-9_-]{43}$/;

export const isTokenShaped = (text: string) => TOKEN_SHAPE.test(text);

const sha256 = (token: string) => crypto.createHash('sha256').update(token).digest();

export interface TokenUse {
  tokenId: number;
  readOnly: boolean;
  user: UserRow;
  /** Why the token may not be used, or null when it may. */
  refusal: 'revoked' | 'expired' | 'owner disabled' | null;
  /** The first use of the day from this address: audit it. */
  firstUse: boolean;
}

export interface TokenListing {
  id: number;
  name: string;
  hint: string;
  readOnly: boolean;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  state: 'live' | 'expired' | 'revoked';
}

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;

export function createAccessTokensRepository(db: Queryable) {
  return {
    /** Creates a token; returns it (the only time it exists outside the caller's hands). */
    async create(userId: number, input: { name: string; expiresAt: Date; readOnly: boolean }): Promise<{ id: number; token: string }> {
      const token = TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
      const { rows } = await db.query<{ id: number }>(
        `INSERT INTO access_token (user_id, token_hash, token_hint, name, read_only, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [userId, sha256(token), token.slice(0, TOKEN_PREFIX.length + 4), input.name, input.readOnly, input.expiresAt],
      );
      return { id: rows[0]!.id, token };
    },

    async liveCount(userId: number): Promise<number> {
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM access_token WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()',
        [userId],
      );
      return rows[0]!.n;
    },

    async nameTaken(userId: number, name: string): Promise<boolean> {
      const { rowCount } = await db.query('SELECT 1 FROM access_token WHERE user_id = $1 AND name = $2 AND revoked_at IS NULL', [userId, name]);
      return (rowCount ?? 0) > 0;
    },

    /** The owner's tokens, newest first; revoked ones for 30 days after. */
    async list(userId: number): Promise<TokenListing[]> {
      const { rows } = await db.query<TokenListing>(
        `SELECT id, name, token_hint AS hint, read_only AS "readOnly",
                ${iso('created_at')} AS "createdAt", ${iso('expires_at')} AS "expiresAt",
                ${iso('revoked_at')} AS "revokedAt", ${iso('last_used_at')} AS "lastUsedAt", last_used_ip AS "lastUsedIp",
                CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN expires_at <= now() THEN 'expired' ELSE 'live' END AS state
         FROM access_token
         WHERE user_id = $1 AND (revoked_at IS NULL OR revoked_at > now() - interval '30 days')
         ORDER BY created_at DESC, id DESC`,
        [userId],
      );
      return rows;
    },

    /** Revokes one of the owner's tokens; false when there is no such live token of theirs. */
    async revoke(userId: number, id: number): Promise<boolean> {
      const { rowCount } = await db.query('UPDATE access_token SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL', [id, userId]);
      return (rowCount ?? 0) > 0;
    },

    /** Looks a token up and, when live, records its use (token-lookup.sql, token-use.sql); null when no such token exists. */
    async use(token: string, ip: string | null): Promise<TokenUse | null> {
      // A named (prepared) statement: planned once per connection, as every token-carrying
      // request runs it before anything else.
      const { rows } = await db.query<UserRow & { token_id: number; read_only: boolean; expires_at: Date; revoked_at: Date | null; record_use: boolean }>({
        name: 'access-token-lookup',
        text: TOKEN_LOOKUP_SQL,
        values: [sha256(token), ip],
      });
      const row = rows[0];
      if (!row) return null;
      const refusal = row.revoked_at ? 'revoked' : row.expires_at <= new Date() ? 'expired' : !row.is_active ? 'owner disabled' : null;
      let firstUse = false;
      if (refusal === null && row.record_use) {
        const recorded = await db.query<{ first_use: boolean }>(TOKEN_USE_SQL, [row.token_id, ip]);
        firstUse = recorded.rows[0]!.first_use;
      }
      return { tokenId: row.token_id, readOnly: row.read_only, user: row, refusal, firstUse };
    },
  };
}
export type AccessTokensRepository = ReturnType<typeof createAccessTokensRepository>;
