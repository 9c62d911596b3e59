/**
 * The analyst's periods in China time (UTC+8): the default range (the last twelve whole months,
 * this one included) and the steps of the time slider (weeks from Monday, or calendar months).
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHINA = 8 * HOUR;

/** 'YYYY-MM-DD' of an instant, in China time. */
export function chinaDate(ms: number): string {
  return new Date(ms + CHINA).toISOString().slice(0, 10);
}

/** The instant of China-time midnight of 'YYYY-MM-DD'. */
export function chinaMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00+08:00`);
}

function addMonths(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + months, 1));
  return d.toISOString().slice(0, 10);
}

export function defaultRange(now = Date.now()): { from: string; to: string } {
  const monthStart = chinaDate(now).slice(0, 8) + '01';
  return { from: addMonths(monthStart, -11), to: addMonths(monthStart, 1) };
}

/** The earlier period of the same length (whole months when the range is whole months). */
export function previousRange(range: { from: string; to: string }): { from: string; to: string } {
  const whole = range.from.endsWith('-01') && range.to.endsWith('-01');
  if (whole) {
    const [fy, fm] = range.from.split('-').map(Number) as [number, number];
    const [ty, tm] = range.to.split('-').map(Number) as [number, number];
    const months = (ty - fy) * 12 + (tm - fm);
    return { from: addMonths(range.from, -months), to: range.from };
  }
  const length = chinaMidnight(range.to) - chinaMidnight(range.from);
  return { from: chinaDate(chinaMidnight(range.from) - length), to: range.from };
}

export type WindowKind = 'all' | 'week' | 'month';

export interface Step {
  from: string;
  to: string;
}

/** The slider's steps inside [from, to). Weeks start on Monday; the first may start earlier. */
export function steps(range: { from: string; to: string }, kind: WindowKind): Step[] {
  if (kind === 'all') return [{ ...range }];
  const end = chinaMidnight(range.to);
  const out: Step[] = [];
  if (kind === 'month') {
    let start = range.from.slice(0, 8) + '01';
    while (chinaMidnight(start) < end) {
      const next = addMonths(start, 1);
      out.push({ from: start < range.from ? range.from : start, to: chinaMidnight(next) > end ? range.to : next });
      start = next;
    }
    return out;
  }
  let start = chinaMidnight(range.from);
  const weekday = new Date(start + CHINA).getUTCDay(); // 0 = Sunday
  start -= ((weekday + 6) % 7) * DAY;
  while (start < end) {
    const next = start + 7 * DAY;
    out.push({ from: chinaDate(Math.max(start, chinaMidnight(range.from))), to: chinaDate(Math.min(next, end)) });
    start = next;
  }
  return out;
}
