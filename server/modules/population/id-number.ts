/**
 * The resident identity card number (公民身份号码, GB 11643): the birth date it carries and the
 * age band Wangge counts (60+, 80+). Only the birth date is read; the number itself is never kept.
 *
 * - 18 digits: 6-digit address code, birth date YYYYMMDD, 3-digit sequence, and a check character
 *   by ISO 7064 MOD 11-2 (0–9 or X).
 * - 15 digits (cards issued before 1999): address code, birth date YYMMDD in the 1900s, sequence;
 *   no check character.
 */

import { problem, type Problem } from '../../shared/refusals.js';

export type IdProblem = 'idMissing' | 'idMalformed' | 'idCheckDigit' | 'idBirthDate' | 'idBirthFuture';

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** A failure carries its kind, and the coded problem (code, params, English message) a reply lists. */
export type IdReading = { ok: true; birth: CalendarDate } | ({ ok: false; problem: IdProblem } & Problem);

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';
/** No one registered was born before this year; an earlier date is a typing error. */
const EARLIEST_BIRTH_YEAR = 1880;

/** The check character (0–9 or X) of the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isCalendarDate(d: CalendarDate): boolean {
  if (d.month < 1 || d.month > 12 || d.day < 1) return false;
  const days = d.month === 2 && isLeap(d.year) ? 29 : DAYS_IN_MONTH[d.month - 1]!;
  return d.day <= days;
}

const compare = (a: CalendarDate, b: CalendarDate) => (a.year - b.year) || (a.month - b.month) || (a.day - b.day);

function allDigits(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Reads the birth date from an ID number, checking its form, check character and date. `today`
 * (the import's date in China time) refuses births in the future. The messages never repeat the
 * number: they end up in replies a person reads.
 */
export function readIdNumber(raw: string, today: CalendarDate): IdReading {
  const text = raw.trim().toUpperCase();
  if (text === '') return { ok: false, problem: 'idMissing', ...problem('population.idMissing') };
  let birth: CalendarDate;
  if (text.length === 18) {
    if (!allDigits(text, 0, 17) || !/[0-9X]/.test(text[17]!)) {
      return { ok: false, problem: 'idMalformed', ...problem('population.idMalformed18') };
    }
    if (idCheckCharacter(text) !== text[17]) return { ok: false, problem: 'idCheckDigit', ...problem('population.idCheckDigit') };
    birth = { year: Number(text.slice(6, 10)), month: Number(text.slice(10, 12)), day: Number(text.slice(12, 14)) };
  } else if (text.length === 15) {
    if (!allDigits(text, 0, 15)) return { ok: false, problem: 'idMalformed', ...problem('population.idMalformed15') };
    birth = { year: 1900 + Number(text.slice(6, 8)), month: Number(text.slice(8, 10)), day: Number(text.slice(10, 12)) };
  } else {
    return { ok: false, problem: 'idMalformed', ...problem('population.idLength', { length: text.length }) };
  }
  if (!isCalendarDate(birth) || birth.year < EARLIEST_BIRTH_YEAR) {
    return { ok: false, problem: 'idBirthDate', ...problem('population.idBirthDate') };
  }
  if (compare(birth, today) > 0) return { ok: false, problem: 'idBirthFuture', ...problem('population.idBirthFuture') };
  return { ok: true, birth };
}

/**
 * Full years of age on `today`. A birthday counts from its day: a person born on 1966-12-03 is 60
 * on 2026-12-03. Someone born on 29 February reaches a new year of age on 1 March in other years
 * (the day after 28 February), as the comparison of month and day gives.
 */
export function ageOn(birth: CalendarDate, today: CalendarDate): number {
  const hadBirthday = today.month > birth.month || (today.month === birth.month && today.day >= birth.day);
  return today.year - birth.year - (hadBirthday ? 0 : 1);
}

export type AgeBand = 'under60' | '60plus' | '80plus';

export function ageBand(birth: CalendarDate, today: CalendarDate): AgeBand {
  const age = ageOn(birth, today);
  return age >= 80 ? '80plus' : age >= 60 ? '60plus' : 'under60';
}

/** A day as the calendar in China shows it at `instant` (UTC+8, no daylight saving). */
export function chinaDate(instant: Date): CalendarDate {
  const shifted = new Date(instant.getTime() + 8 * 3600_000);
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** Parses YYYY-MM-DD (a form field); null when it is not a date. */
export function parseCalendarDate(text: string): CalendarDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return isCalendarDate(d) ? d : null;
}
