/**
 * Who reads what through OGC API – Features: the same circles as the rest of the API (the tiles of
 * server/modules/tiles/layers.ts and the incidents' READERS in incidents/routes.ts).
 */
import type { FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../../shared/errors.js';
import { isStaff } from '../auth/access-plugin.js';
import type { Role, SessionUser } from '../auth/roles.js';
import { INCIDENT_TILE_ROLES } from '../tiles/layers.js';
import type { Collection } from './collections.js';

/** Incidents: the centre's analysts and admins (within their area), and grid workers (their grids). */
export const ROLES_MAY_READ_INCIDENTS: readonly Role[] = INCIDENT_TILE_ROLES;

/** The caller as a reader: a staff user who has finished their account's set-up, or null (public). */
export const readerOf = (request: FastifyRequest): SessionUser | null => (isStaff(request) ? request.user : null);

export function mayRead(collection: Collection, user: SessionUser | null): boolean {
  return collection.readers === 'public' || (user !== null && collection.readers.includes(user.role));
}

/** 401 (no credentials) or 403 (a role that may not) for a collection the caller may not read. */
export function refusal(collection: Collection, request: FastifyRequest) {
  if (!request.user) return unauthorized('ogc.loginRequired', { collection: collection.id });
  if (request.user.mustChangePassword) return forbidden('auth.changePasswordFirst');
  if (request.user.mustEnrolTotp) return forbidden('auth.enrolTotpFirst');
  return forbidden('ogc.roleMayNot', { role: request.user.role, collection: collection.id });
}
