/**
 * The closed loop (闭环) of an incident: 上报 → 受理/立案 → 派遣 → 处置 → 核查 → 结案, with 退回.
 *
 * Who does what, as in a street's 综治中心 (comprehensive-governance centre):
 * - the centre's staff (analyst, i.e. political-legal commission staff, and admin) accept or
 *   return a report, dispatch it, and close it once verified — or send it back to handling when
 *   the verification fails;
 * - the grid worker of the incident's grid (or admin) takes a dispatched case into handling,
 *   submits it for verification when done, and re-reports a returned case after correcting it;
 * - planners take no part.
 * Every other pair of states is refused. 'closed' is final.
 */
import type { Role } from '../auth/roles.js';
import { phrase, type RefusalCode, type RefusalParams } from '../../shared/errors.js';

export const INCIDENT_STATUSES = ['reported', 'accepted', 'dispatched', 'handling', 'verifying', 'closed', 'returned'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
/** A state named in a refusal: its code in English, its name in Chinese. */
const statusPhrase = (status: IncidentStatus) => phrase(`status.${status}`);

export interface Transition {
  from: IncidentStatus;
  to: IncidentStatus;
  /** Roles that may make it. 'grid_worker' only for incidents in the worker's own grids. */
  roles: readonly Role[];
  /** A note is required (why it is returned or sent back). */
  noteRequired: boolean;
}

const CENTRE: readonly Role[] = ['analyst', 'admin'];
const GRID: readonly Role[] = ['grid_worker', 'admin'];

export const TRANSITIONS: readonly Transition[] = [
  { from: 'reported', to: 'accepted', roles: CENTRE, noteRequired: false }, // 受理/立案
  { from: 'reported', to: 'returned', roles: CENTRE, noteRequired: true }, // 退回 (not a case, duplicate, out of scope)
  { from: 'accepted', to: 'dispatched', roles: CENTRE, noteRequired: false }, // 派遣
  { from: 'accepted', to: 'returned', roles: CENTRE, noteRequired: true }, // 退回
  { from: 'dispatched', to: 'handling', roles: GRID, noteRequired: false }, // 处置
  { from: 'handling', to: 'verifying', roles: GRID, noteRequired: false }, // 处置完毕, 提交核查
  { from: 'verifying', to: 'closed', roles: CENTRE, noteRequired: false }, // 核查通过, 结案
  { from: 'verifying', to: 'handling', roles: CENTRE, noteRequired: true }, // 核查不通过, 重新处置
  { from: 'returned', to: 'reported', roles: GRID, noteRequired: false }, // 补充后重新上报
];

export type TransitionCheck =
  | { ok: true; transition: Transition }
  | { ok: false; status: 403 | 409 | 400; code: RefusalCode; params: RefusalParams };

/**
 * Whether `role` may move an incident from `from` to `to`. `inOwnGrid` says whether the
 * incident lies in one of the caller's grids (only matters for grid workers).
 */
export function checkTransition(from: IncidentStatus, to: IncidentStatus, role: Role, inOwnGrid: boolean, note: string): TransitionCheck {
  const transition = TRANSITIONS.find((t) => t.from === from && t.to === to);
  if (!transition) {
    const next = allowedTargets(from);
    return {
      ok: false,
      status: 409,
      code: 'incidents.transitionImpossible',
      params: {
        from: statusPhrase(from),
        to: statusPhrase(to),
        next: next.length ? phrase('incidents.possibleNext', { next: next.map(statusPhrase) }) : phrase('incidents.finalState', { from: statusPhrase(from) }),
      },
    };
  }
  if (!transition.roles.includes(role)) {
    return { ok: false, status: 403, code: 'incidents.transitionRole', params: { role, from: statusPhrase(from), to: statusPhrase(to), roles: transition.roles.join(', ') } };
  }
  if (role === 'grid_worker' && !inOwnGrid) {
    return { ok: false, status: 403, code: 'incidents.notYourGridIncident', params: {} };
  }
  if (transition.noteRequired && note.trim().length === 0) {
    return { ok: false, status: 400, code: 'incidents.noteRequired', params: { from: statusPhrase(from), to: statusPhrase(to) } };
  }
  return { ok: true, transition };
}

export function allowedTargets(from: IncidentStatus): IncidentStatus[] {
  return TRANSITIONS.filter((t) => t.from === from).map((t) => t.to);
}

/** The transitions a role may offer on an incident in state `from`. */
export function transitionsFor(from: IncidentStatus, role: Role, inOwnGrid: boolean): Transition[] {
  return TRANSITIONS.filter((t) => t.from === from && t.roles.includes(role) && (role !== 'grid_worker' || inOwnGrid));
}
