/**
 * The ID-number rules of the resident register: the check character (ISO 7064 MOD 11-2), the old
 * 15-digit form, impossible birth dates, and the age bands at the day boundary in China time.
 */
import { describe, expect, it } from 'vitest';
import { ageBand, ageOn, chinaDate, idCheckCharacter, readIdNumber, type CalendarDate } from '../../server/modules/population/id-number.js';

const day = (text: string): CalendarDate => {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  return { year, month, day };
};
/** An 18-digit number for a birth date (YYYYMMDD) with its correct check character. */
const id18 = (birth: string, sequence = '123') => {
  const first17 = `410105${birth}${sequence}`;
  return first17 + idCheckCharacter(first17);
};
const TODAY = day('2026-12-03');

describe('check character', () => {
  it('accepts the standard example of GB 11643 and refuses it with another last character', () => {
    // The example of the standard's annex: 11010519491231002X.
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(readIdNumber('11010519491231002X', TODAY)).toEqual({ ok: true, birth: day('1949-12-31') });
    expect(readIdNumber('11010519491231002x', TODAY).ok).toBe(true);
    const wrong = readIdNumber('110105194912310021', TODAY);
    expect(wrong).toMatchObject({ ok: false, problem: 'idCheckDigit' });
  });

  it('another known pair: 440524188001010014', () => {
    expect(idCheckCharacter('44052418800101001')).toBe('4');
    expect(readIdNumber('440524188001010014', TODAY).ok).toBe(true);
    expect(readIdNumber('440524188001010015', TODAY)).toMatchObject({ ok: false, problem: 'idCheckDigit' });
  });

  it('catches every single-digit typing error in a sample of numbers', () => {
    const good = id18('19660315', '042');
    for (let i = 0; i < 17; i++) {
      const digit = Number(good[i]);
      const typo = good.slice(0, i) + String((digit + 1) % 10) + good.slice(i + 1);
      const reading = readIdNumber(typo, TODAY);
      // A typo may still make a valid date elsewhere, but the check character must refuse it.
      expect(reading.ok, `typo at ${i}`).toBe(false);
    }
  });

  it('refuses wrong lengths, letters and a missing number, without repeating the number', () => {
    expect(readIdNumber('', TODAY)).toMatchObject({ ok: false, problem: 'idMissing' });
    expect(readIdNumber('41010519660315', TODAY)).toMatchObject({ ok: false, problem: 'idMalformed' });
    expect(readIdNumber('4101051966031504A2', TODAY)).toMatchObject({ ok: false, problem: 'idMalformed' });
    const reading = readIdNumber('410105196603150421', TODAY);
    if (!reading.ok) expect(reading.message).not.toContain('410105');
  });
});

describe('15-digit numbers', () => {
  it('reads the birth date in the 1900s, with no check character', () => {
    expect(readIdNumber('410105660315042', TODAY)).toEqual({ ok: true, birth: day('1966-03-15') });
    // 1900 was not a leap year.
    expect(readIdNumber('410105000229042', TODAY)).toMatchObject({ ok: false, problem: 'idBirthDate' });
    expect(readIdNumber('410105660230042', TODAY)).toMatchObject({ ok: false, problem: 'idBirthDate' });
    expect(readIdNumber('41010566031504X', TODAY)).toMatchObject({ ok: false, problem: 'idMalformed' });
  });
});

describe('impossible birth dates', () => {
  it.each([
    ['month 13', '19661315'],
    ['month 0', '19660015'],
    ['day 0', '19660300'],
    ['31 April', '19660431'],
    ['29 February of a common year', '19670229'],
    ['29 February 1900 (not a leap year)', '19000229'],
    ['before 1880', '18700101'],
  ])('refuses %s', (_name, birth) => {
    expect(readIdNumber(id18(birth), TODAY)).toMatchObject({ ok: false, problem: 'idBirthDate' });
  });

  it('accepts 29 February of a leap year, and refuses a birth after the import date', () => {
    expect(readIdNumber(id18('19640229'), TODAY)).toEqual({ ok: true, birth: day('1964-02-29') });
    expect(readIdNumber(id18('20000229'), TODAY).ok).toBe(true);
    expect(readIdNumber(id18('20261204'), TODAY)).toMatchObject({ ok: false, problem: 'idBirthFuture' });
    expect(readIdNumber(id18('20261203'), TODAY).ok).toBe(true);
  });
});

describe('age bands at the day boundary', () => {
  it('a person turning 60 today counts as 60+; one turning 60 tomorrow does not', () => {
    expect(ageBand(day('1966-12-03'), TODAY)).toBe('60plus');
    expect(ageBand(day('1966-12-04'), TODAY)).toBe('under60');
    expect(ageOn(day('1966-12-04'), TODAY)).toBe(59);
  });

  it('80 likewise', () => {
    expect(ageBand(day('1946-12-03'), TODAY)).toBe('80plus');
    expect(ageBand(day('1946-12-04'), TODAY)).toBe('60plus');
  });

  it('someone born on 29 February turns a year older on 29 February in a leap year, on 1 March otherwise', () => {
    // Born 1964-02-29: 60 in 2024 (a leap year) on 29 February.
    expect(ageBand(day('1964-02-29'), day('2024-02-28'))).toBe('under60');
    expect(ageBand(day('1964-02-29'), day('2024-02-29'))).toBe('60plus');
    // 61 in 2025 (a common year): not on 28 February, on 1 March.
    expect(ageOn(day('1964-02-29'), day('2025-02-28'))).toBe(60);
    expect(ageOn(day('1964-02-29'), day('2025-03-01'))).toBe(61);
    // Born 1944-02-29: 80 in 2024 on 29 February.
    expect(ageBand(day('1944-02-29'), day('2024-02-28'))).toBe('60plus');
    expect(ageBand(day('1944-02-29'), day('2024-02-29'))).toBe('80plus');
  });

  it('reckons the day in China time (UTC+8)', () => {
    // 2026-12-02 16:30 UTC is already 3 December in Beijing.
    expect(chinaDate(new Date('2026-12-02T16:30:00Z'))).toEqual(day('2026-12-03'));
    expect(chinaDate(new Date('2026-12-02T15:59:59Z'))).toEqual(day('2026-12-02'));
    const birth = readIdNumber(id18('19661203'), chinaDate(new Date('2026-12-02T16:30:00Z')));
    expect(birth.ok && ageBand(birth.birth, chinaDate(new Date('2026-12-02T16:30:00Z')))).toBe('60plus');
    expect(birth.ok && ageBand(birth.birth, chinaDate(new Date('2026-12-02T15:30:00Z')))).toBe('under60');
  });
});
