/**
 * Periods in China time (UTC+8, no daylight saving): parsing the analyst's from/to, and the
 * comparison periods for month-on-month (环比) and year-on-year (同比) change.
 */
import { badRequest } from '../../shared/errors.js';
import { parseInstant } from '../../shared/instant.js';

const HOUR = 3_600_000;
const CHINA_OFFSET = 8 * HOUR;

export { parseInstant } from '../../shared/instant.js';

export interface Period {
  from: Date;
  to: Date;
}

export function parsePeriod(from: string, to: string, prefix = 'querystring'): Period {
  const period = { from: parseInstant(from, `${prefix}/from`), to: parseInstant(to, `${prefix}/to`) };
  if (period.to <= period.from) throw badRequest('incidents.periodBackwards', { prefix, to, from });
  if (period.to.getTime() - period.from.getTime() > 20 * 366 * 24 * HOUR) throw badRequest('incidents.periodTooLong', { prefix });
  return period;
}

/** Adds whole months in China time, keeping the day of month (clamped to the month's length). */
export function addChinaMonths(instant: Date, months: number): Date {
  const local = new Date(instant.getTime() + CHINA_OFFSET);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  const ms = Date.UTC(y, m, day, local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds(), local.getUTCMilliseconds());
  return new Date(ms - CHINA_OFFSET);
}

/** Whole China-time months between two month starts, or null when either is not a month start. */
export function wholeMonths(period: Period): number | null {
  const isMonthStart = (d: Date) => {
    const local = new Date(d.getTime() + CHINA_OFFSET);
    return local.getUTCDate() === 1 && local.getUTCHours() === 0 && local.getUTCMinutes() === 0 && local.getUTCSeconds() === 0 && local.getUTCMilliseconds() === 0;
  };
  if (!isMonthStart(period.from) || !isMonthStart(period.to)) return null;
  const a = new Date(period.from.getTime() + CHINA_OFFSET);
  const b = new Date(period.to.getTime() + CHINA_OFFSET);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
}

/**
 * The period just before: for whole months (e.g. March 2026) the same number of months before
 * (February 2026); otherwise the same length of time before.
 */
export function previousPeriod(period: Period): Period {
  const months = wholeMonths(period);
  if (months !== null) return { from: addChinaMonths(period.from, -months), to: period.from };
  const length = period.to.getTime() - period.from.getTime();
  return { from: new Date(period.from.getTime() - length), to: period.from };
}

/** The same period one year earlier. */
export function yearAgoPeriod(period: Period): Period {
  return { from: addChinaMonths(period.from, -12), to: addChinaMonths(period.to, -12) };
}

const DAY = 24 * HOUR;

/**
 * A period of whole China-time days as day numbers (days since 1970-01-01 in UTC+8, as the SQL
 * function incident_day counts them): [first, end). Null when either end is not a China-time
 * midnight: the incident summaries (migration 011) count whole days only.
 */
export function chinaDays(period: Period): { first: number; end: number } | null {
  const from = period.from.getTime() + CHINA_OFFSET;
  const to = period.to.getTime() + CHINA_OFFSET;
  if (from % DAY !== 0 || to % DAY !== 0 || to <= from) return null;
  return { first: from / DAY, end: to / DAY };
}
