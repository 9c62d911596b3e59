/**
 * The report's periods as ISO dates in China time (the API reads a bare date as China-time
 * midnight): a week from its Monday, a calendar month, or a custom range with an inclusive last
 * day in the form and an exclusive end in the URL.
 */
export type ReportKind = 'week' | 'month' | 'custom';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ms = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** Today's date in China time. */
export const chinaToday = () => iso(Date.now() + 8 * 3_600_000);

export const addDays = (date: string, days: number) => iso(ms(date) + days * DAY);

/** The Monday of the week a date falls in, and the Monday after. */
export function weekOf(date: string): { from: string; to: string } {
  const weekday = (new Date(ms(date)).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const from = addDays(date, -weekday);
  return { from, to: addDays(from, 7) };
}

/** A month 'YYYY-MM' as [first day, first day of the next month). */
export function monthOf(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { from: `${month}-01`, to: `${next}-01` };
}

/** The default: the last whole month before today (China time). */
export function lastWholeMonth(): { from: string; to: string } {
  const today = chinaToday();
  const [y, m] = today.split('-').map(Number) as [number, number];
  const prev = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
  return monthOf(prev);
}
