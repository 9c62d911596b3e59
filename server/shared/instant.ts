/**
 * The one reader of dates and times that come from a request or a file. Every form is checked
 * field by field against the calendar (month 1–12, the month's own last day, hour 0–23, minute
 * and second 0–59, offset within ±14:00): JavaScript's Date would roll 2026-02-31 over to
 * 2026-03-03, and PostgreSQL would answer 500 to what Ajv's date-time format lets through.
 */
import { badRequest } from './errors.js';

const HOUR = 3_600_000;
/** China time: UTC+8, no daylight saving. */
export const CHINA_OFFSET_MS = 8 * HOUR;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|z|[+-]\d{2}:\d{2})?)?$/;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * 'YYYY-MM-DD' is midnight China time; a date-time without an offset is China time; one with
 * 'Z' or ±hh:mm is taken as given. Null when the text is not such a date or names no real
 * moment (2026-02-31, 2026-13-45 25:61).
 */
export function instantOrNull(text: string): Date | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = +y!;
  const month = +mo!;
  const day = +d!;
  const hour = h === undefined ? 0 : +h;
  const minute = mi === undefined ? 0 : +mi;
  const second = s === undefined ? 0 : +s;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMs = CHINA_OFFSET_MS;
  if (zone !== undefined) {
    if (h === undefined) return null;
    if (zone === 'Z' || zone === 'z') offsetMs = 0;
    else {
      const oh = +zone.slice(1, 3);
      const om = +zone.slice(4, 6);
      if (oh > 14 || om > 59) return null;
      offsetMs = (zone[0] === '-' ? -1 : 1) * (oh * HOUR + om * 60_000);
    }
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, +(frac ?? '0').slice(0, 3).padEnd(3, '0')) - offsetMs;
  return new Date(ms);
}

/** instantOrNull, or a 400 naming `where` (e.g. 'querystring/from'). */
export function parseInstant(text: string, where: string): Date {
  const instant = instantOrNull(text);
  if (!instant) throw badRequest('request.notInstant', { where, text });
  return instant;
}

const TABLE_DATE = /^(\d{4})\s*(?:([-/.])\s*(\d{1,2})\s*\2\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)(?:(?:\s+|T|\s*[日号]?\s*)(\d{1,2})\s*(?:[:：]\s*(\d{1,2})(?:\s*[:：]\s*(\d{1,2}))?|时\s*(?:(\d{1,2})\s*分(?:\s*(\d{1,2})\s*秒)?)?|点\s*(?:(\d{1,2})\s*分?)?))?$/;

/** Excel serial days of 1927-05-18 … 2173-10-14: five digits before the point (a spreadsheet's date cell exported as a number). */
const EXCEL_SERIAL = /^\d{5}(?:\.\d+)?$/;

/**
 * A date or date-time from a table cell, as exports and spreadsheets write them, in China time
 * unless the text names an offset: ISO ('2026-11-03T08:30', '2026-11-03 08:30:00+08:00'),
 * '2026/11/3 8:30', '2026.11.3', '2026年11月3日', '2026年11月3日 08:30', '2026年11月3日8时30分',
 * and an Excel serial number ('46329.354166'). Null when the text is none of these or names no
 * real moment (Feb 31, month 13, 25:00): never rolled over.
 */
export function tableInstantOrNull(text: string): Date | null {
  const t = text.trim().normalize('NFKC');
  if (!t) return null;
  const iso = instantOrNull(t);
  if (iso) return iso;
  if (EXCEL_SERIAL.test(t)) {
    const serial = Number(t);
    // Serial 60 is Excel's 1900-02-29, which never was; serials here start far later.
    const ms = Math.round((serial - 25569) * 86_400_000);
    return new Date(ms - CHINA_OFFSET_MS);
  }
  const m = TABLE_DATE.exec(t);
  if (!m) return null;
  const [, y, , mo1, d1, mo2, d2, h, mi1, s1, mi2, s2, mi3] = m;
  const month = Number(mo1 ?? mo2);
  const day = Number(d1 ?? d2);
  const pad = (n: string | number) => String(n).padStart(2, '0');
  let text2 = `${y}-${pad(month)}-${pad(day)}`;
  if (h !== undefined) text2 += `T${pad(h)}:${pad(mi1 ?? mi2 ?? mi3 ?? 0)}:${pad(s1 ?? s2 ?? 0)}`;
  return instantOrNull(text2);
}
