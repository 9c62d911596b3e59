import { Type, type Static } from 'typebox';

export const ROLES = ['admin', 'planner', 'analyst', 'grid_worker'] as const;
export const RoleSchema = Type.Enum(ROLES);
export type Role = Static<typeof RoleSchema>;

/** Every staff role: anyone who is logged in. */
export const STAFF: readonly Role[] = ROLES;

/**
 * What a route declares in `config.access`: who may call it. Every route must declare one;
 * the app refuses to start otherwise. `duringSetup` routes stay open to a session that must
 * first change its password or enrol a second factor (all others answer 403 until then).
 */
export type RouteAccess = { public: true } | { roles: readonly Role[]; duringSetup?: true };

export const SessionUserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  /** A street or community the user's work is limited to, or null for the whole district. */
  scopeAreaCode: Type.Union([Type.String(), Type.Null()]),
  /** The password was set by an admin or has expired: it must be changed before anything else. */
  mustChangePassword: Type.Boolean(),
  totpEnabled: Type.Boolean(),
  /** The role requires a second factor that is not enrolled yet: enrol before anything else. */
  mustEnrolTotp: Type.Boolean(),
});
export type SessionUser = Static<typeof SessionUserSchema>;
