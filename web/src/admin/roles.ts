import type { Role } from '../api/security';

/** The roles an admin can give, in the order the forms list them (least powerful first). */
export const ROLE_CHOICES: readonly Role[] = ['grid_worker', 'analyst', 'planner', 'admin'];
