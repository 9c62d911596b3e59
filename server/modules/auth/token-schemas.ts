/** The contract of `/api/account/tokens` (the web imports these types). */
import { Type, type Static } from 'typebox';
import { MAX_TOKEN_DAYS } from './access-tokens-repository.js';

const Timestamp = Type.String({ description: 'ISO 8601, UTC' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const AccessTokenInfo = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  /** The token's first characters (wgpat_ + 4), to tell tokens apart; never the token. */
  hint: Type.String(),
  readOnly: Type.Boolean(),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  revokedAt: Nullable(Timestamp),
  lastUsedAt: Nullable(Timestamp),
  lastUsedIp: Nullable(Type.String()),
  state: Type.Union([Type.Literal('live'), Type.Literal('expired'), Type.Literal('revoked')]),
});
export type AccessTokenInfo = Static<typeof AccessTokenInfo>;

export const AccessTokenList = Type.Object({ tokens: Type.Array(AccessTokenInfo) });
export type AccessTokenList = Static<typeof AccessTokenList>;

export const CreateAccessTokenBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100, description: 'What the token is for, e.g. "QGIS on my laptop"' }),
  expiresInDays: Type.Integer({ minimum: 1, maximum: MAX_TOKEN_DAYS, description: `Days until the token expires (at most ${MAX_TOKEN_DAYS})` }),
  readOnly: Type.Boolean({ description: 'A read-only token is refused (403) on every write' }),
});
export type CreateAccessTokenBody = Static<typeof CreateAccessTokenBody>;

export const CreatedAccessToken = Type.Object({
  /** The token itself: shown this once, never again (only its SHA-256 is kept). */
  token: Type.String(),
  info: AccessTokenInfo,
});
export type CreatedAccessToken = Static<typeof CreatedAccessToken>;
