/**
 * The handling history (办理记录) a demo incident's status implies: 上报, then each step of the closed
 * loop it has passed (受理 → 派遣 → 处置 → 核查 → 结案), or 退回. Deterministic without drawing from
 * the generator's random stream (which would change every incident after the first): the spread
 * of each step comes from a hash of the ticket number.
 *
 * Times: a closed incident's steps fall between its report and its closure (accepted within the
 * first 8% of the handling time, dispatched by 18%, handling begun by 31%, submitted for
 * verification after 75%), so a case closed late was late in handling, not in its last step; an
 * open incident's steps fall between its report and the anchor date in proportion to the time
 * elapsed; a returned one is returned within a day (sooner if it is younger).
 */
import type { IncidentStatus } from './types.js';

export interface DemoIncidentEvent {
  fromStatus: IncidentStatus | null;
  toStatus: IncidentStatus;
  at: Date;
  note: string;
}

const HOUR = 3_600_000;
const LOOP: IncidentStatus[] = ['reported', 'accepted', 'dispatched', 'handling', 'verifying', 'closed'];
const NOTES: Partial<Record<IncidentStatus, string>> = {
  accepted: '综治中心受理立案',
  dispatched: '派遣至所在网格',
  handling: '网格员到场处置',
  verifying: '处置完毕，提交核查',
  closed: '核查通过，结案',
};
const RETURN_NOTES = ['不属于受理范围，已告知反映人', '重复上报，已并入原工单', '信息不全，请补充后重新上报'];

/** Four numbers in [0, 1) from a string (FNV-1a, then a xorshift per number). */
function spread(key: string): number[] {
  let h = 0x811c9dc5;
  for (let k = 0; k < key.length; k++) h = Math.imul(h ^ key.charCodeAt(k), 0x01000193) >>> 0;
  const out: number[] = [];
  for (let k = 0; k < 4; k++) {
    h ^= h << 13;
    h >>>= 0;
    h ^= h >>> 17;
    h ^= h << 5;
    h >>>= 0;
    out.push(h / 2 ** 32);
  }
  return out;
}

const second = (ms: number) => new Date(Math.round(ms));

export function demoIncidentEvents(
  i: { externalId: string; status: IncidentStatus; reportedAt: Date; closedAt: Date | null },
  end: Date,
): DemoIncidentEvent[] {
  const reported = i.reportedAt.getTime();
  const [u1, u2, u3, u4] = spread(i.externalId) as [number, number, number, number];
  const events: DemoIncidentEvent[] = [{ fromStatus: null, toStatus: 'reported', at: i.reportedAt, note: '' }];
  if (i.status === 'returned') {
    const elapsed = end.getTime() - reported;
    const at = reported + Math.min(elapsed * 0.5, (2 + 22 * u1) * HOUR);
    events.push({ fromStatus: 'reported', toStatus: 'returned', at: second(at), note: RETURN_NOTES[Math.floor(u2 * RETURN_NOTES.length)]! });
    return events;
  }
  let times: number[];
  if (i.status === 'closed') {
    const d = i.closedAt!.getTime() - reported;
    const accepted = reported + d * (0.02 + 0.06 * u1);
    const dispatched = accepted + d * (0.03 + 0.07 * u2);
    const handling = dispatched + d * (0.03 + 0.1 * u3);
    const verifying = reported + d * (0.75 + 0.15 * u4);
    times = [accepted, dispatched, handling, verifying, i.closedAt!.getTime()];
  } else {
    const e = end.getTime() - reported;
    times = [reported + e * (0.1 + 0.1 * u1), reported + e * (0.25 + 0.1 * u2), reported + e * (0.4 + 0.15 * u3), reported + e * (0.7 + 0.2 * u4)];
  }
  const last = LOOP.indexOf(i.status);
  for (let k = 1; k <= last; k++) {
    const at = k === LOOP.length - 1 ? i.closedAt! : second(times[k - 1]!);
    events.push({ fromStatus: LOOP[k - 1]!, toStatus: LOOP[k]!, at, note: NOTES[LOOP[k]!] ?? '' });
  }
  return events;
}
