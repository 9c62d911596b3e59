/** Where each role starts its day after logging in (the public map is for the public). */
import type { Role } from '../../../server/modules/auth/roles';

export const HOME_PAGE: Record<Role, string> = {
  admin: '/admin/users',
  planner: '/plan',
  analyst: '/incidents',
  grid_worker: '/report',
};

/** The page to go to after login: the one the user was sent away from, else the role's own. */
export function landingPage(role: Role, from: string | undefined): string {
  return from && from !== '/' && from !== '/login' ? from : HOME_PAGE[role];
}
