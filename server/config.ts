/**
 * Configuration, validated once at boot against a schema. Nothing else reads process.env.
 */
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

export const ConfigSchema = Type.Object({
  /**
   * PostgreSQL connection string the app serves requests with: a plain role, never a superuser
   * nor the tables' owner. Unset means "start the project-local cluster".
   */
  DATABASE_URL: Type.Optional(Type.String({ minLength: 1 })),
  /**
   * Connection string of the role that owns the tables: migrations at start, the app role's
   * grants, and the maintenance commands (migrate, backup, restore, audit:purge) use it. Unset
   * with DATABASE_URL set: nothing is migrated at start and DATABASE_URL's role must already
   * be a plain one on a migrated database.
   */
  DATABASE_OWNER_URL: Type.Optional(Type.String({ minLength: 1 })),
  /**
   * 'citus': DATABASE_URL is a Citus coordinator and migrations lay the schema out for it (a
   * database with the citus extension is treated so anyway); Wangge refuses to migrate until the
   * cluster is ready (docs/SCALE.md). Unset: detected.
   */
  WANGGE_DISTRIBUTED: Type.Optional(Type.Literal('citus')),
  PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3000 }),
  HOST: Type.String({ default: '127.0.0.1' }),
  /** Load the demo district and create the demo accounts on first start. */
  DEMO: Type.Boolean({ default: true }),
  /** Tianditu (天地图) key: when set, the public map shows the Tianditu vector basemap and labels. */
  TIANDITU_KEY: Type.Optional(Type.String({ minLength: 1 })),
  /** Any MapLibre style URL to use as the basemap instead of the built-in offline one. */
  BASEMAP_STYLE_URL: Type.Optional(Type.String({ minLength: 1 })),
  /** Where the installed offline basemap (MBTiles/PMTiles) lives; default .data/basemaps. */
  BASEMAP_DIR: Type.Optional(Type.String({ minLength: 1 })),
  /** The largest basemap file an admin may install, in bytes (default 2 GB). */
  BASEMAP_MAX_BYTES: Type.Integer({ minimum: 1, default: 2 * 1024 ** 3 }),
  /** Where built label glyph ranges are kept; default .data/glyphs. */
  GLYPHS_DIR: Type.Optional(Type.String({ minLength: 1 })),
  LOG_LEVEL: Type.Union(
    [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('silent')],
    { default: 'info' },
  ),
  /** Session lifetime without activity, in minutes. */
  SESSION_IDLE_MINUTES: Type.Integer({ minimum: 1, default: 30 }),
  /** Absolute session lifetime, in hours. */
  SESSION_ABSOLUTE_HOURS: Type.Integer({ minimum: 1, default: 12 }),
  /**
   * Behind a reverse proxy: take the client address, scheme and host from X-Forwarded-For,
   * X-Forwarded-Proto and X-Forwarded-Host (absolute URLs: TileJSON, OGC API links). Off by
   * default: set it only when every request comes through the proxy, which must set them.
   */
  TRUST_PROXY: Type.Boolean({ default: false }),
  /** Send cookies with the Secure flag (set behind HTTPS). */
  COOKIE_SECURE: Type.Boolean({ default: false }),
  /** Days after which a password must be changed; 0 = never. */
  PASSWORD_MAX_AGE_DAYS: Type.Integer({ minimum: 0, default: 90 }),
  /** Consecutive failed logins that lock an account, and for how long. */
  LOGIN_MAX_FAILURES: Type.Integer({ minimum: 1, default: 5 }),
  LOGIN_LOCK_MINUTES: Type.Integer({ minimum: 1, default: 30 }),
  /** Login attempts per client address per minute before 429. */
  LOGIN_RATE_PER_MINUTE: Type.Integer({ minimum: 1, default: 20 }),
  /** Requests per client address per minute to expensive endpoints (analysis, imports, exports). */
  EXPENSIVE_RATE_PER_MINUTE: Type.Integer({ minimum: 1, default: 60 }),
  /** The most incidents one export may hold (a larger selection answers 413: narrow the filter). */
  EXPORT_MAX_INCIDENTS: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 50_000 }),
  /** Require a TOTP second factor for admins. Unset: required outside demo mode. */
  TOTP_REQUIRED_FOR_ADMINS: Type.Optional(Type.Boolean()),
  /** On stop, how long new requests get 503 before the listener closes (in-flight ones finish). */
  SHUTDOWN_DRAIN_MS: Type.Integer({ minimum: 0, maximum: 8000, default: 2000 }),
  /** Audit rows are kept at least this many days (at least 184). */
  AUDIT_RETENTION_DAYS: Type.Integer({ minimum: 184, default: 365 }),
});
export type Config = Static<typeof ConfigSchema>;

/** Reads and validates configuration from an environment; throws with every problem listed. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const converted = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, raw));
  const errors = [...Value.Errors(ConfigSchema, converted)];
  if (converted && typeof converted === 'object' && 'DATABASE_OWNER_URL' in converted && !('DATABASE_URL' in converted)) {
    errors.push({ instancePath: '/DATABASE_URL', message: "must be set when DATABASE_OWNER_URL is (the app role's connection string)" } as never);
  }
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.instancePath || '(root)'}: ${e.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return converted as Config;
}
