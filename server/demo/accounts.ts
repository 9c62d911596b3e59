import type { Role } from '../modules/auth/roles.js';

/**
 * The demo accounts, one per role. They exist only in demo mode (DEMO=true, the default for a
 * local start) and their passwords are printed at every start so that anyone can try each role.
 */
export const DEMO_ACCOUNTS: ReadonlyArray<{ username: string; password: string; role: Role; displayName: string }> = [
  { username: 'admin', password: 'Wangge-admin-2026', role: 'admin', displayName: '系统管理员' },
  { username: 'planner', password: 'Wangge-planner-2026', role: 'planner', displayName: '网格规划员' },
  { username: 'analyst', password: 'Wangge-analyst-2026', role: 'analyst', displayName: '政法委分析员' },
  { username: 'gridworker', password: 'Wangge-worker-2026', role: 'grid_worker', displayName: '网格员' },
];
