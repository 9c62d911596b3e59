import { Type, type Static } from 'typebox';

export const ROLES = ['admin', 'planner', 'analyst', 'grid_worker'] as const;
export const RoleSchema = Type.Enum(ROLES);
export type Role = Static<typeof RoleSchema>;

/** Every staff role: anyone who is logged in. */
export const STAFF: readonly Role[] = ROLES;

/**
 * What a route declares in `config.access`: who may call it. Every route must declare one;
 * the app refuses to start otherwise.
 */
export type RouteAccess = { public: true } | { roles: readonly Role[] };

export const SessionUserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  scopeAreaCode: Type.Union([Type.String(), Type.Null()]),
  mustChangePassword: Type.Boolean(),
});
export type SessionUser = Static<typeof SessionUserSchema>;
