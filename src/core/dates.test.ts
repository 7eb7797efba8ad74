import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from './errors.ts';
import {
  addDays,
  addMonths,
  addYears,
  ageOn,
  BUSINESS_TZ,
  compareLocalDate,
  daysInMonth,
  diffDays,
  isCalendarDate,
  isLeapYear,
  isValidLocalDate,
  localDateFromParts,
  localDateOf,
  localDateParts,
  type LocalDate,
  maxLocalDate,
  MAX_LOCAL_DATE,
  minLocalDate,
  MIN_LOCAL_DATE,
  parseLocalDate,
  startOfLocalDay,
  todayIn,
  tryParseLocalDate,
} from './dates.ts';

const d = (s: string): LocalDate => parseLocalDate(s);

/** Any LocalDate in the accepted range 1900–2100. */
const arbLocalDate = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true })
  .map((t) => t.toISOString().slice(0, 10) as LocalDate);

describe('isLeapYear / daysInMonth / isCalendarDate', () => {
  it.each([
    [2024, true],
    [2025, false],
    [1900, false],
    [2000, true],
    [2100, false],
  ])('isLeapYear(%i) = %s', (y, leap) => {
    expect(isLeapYear(y)).toBe(leap);
  });

  it.each([
    [2024, 2, 29],
    [2025, 2, 28],
    [2025, 1, 31],
    [2025, 4, 30],
    [2025, 6, 30],
    [2025, 9, 30],
    [2025, 11, 30],
    [2025, 12, 31],
    [2025, 0, 0],
    [2025, 13, 0],
    [2025, 1.5, 0],
  ])('daysInMonth(%i, %s) = %i', (y, m, n) => {
    expect(daysInMonth(y, m)).toBe(n);
  });

  it('accepts real dates of any year 1–9999 and rejects the rest', () => {
    expect(isCalendarDate(1880, 1, 1)).toBe(true);
    expect(isCalendarDate(1, 1, 1)).toBe(true);
    expect(isCalendarDate(9999, 12, 31)).toBe(true);
    expect(isCalendarDate(0, 1, 1)).toBe(false);
    expect(isCalendarDate(10000, 1, 1)).toBe(false);
    expect(isCalendarDate(1950, 2, 30)).toBe(false);
    expect(isCalendarDate(1950, 2, 0)).toBe(false);
    expect(isCalendarDate(1950.5, 2, 1)).toBe(false);
    expect(isCalendarDate(1950, 2, 1.5)).toBe(false);
  });
});

describe('parseLocalDate', () => {
  it.each(['1900-01-01', '2100-12-31', '2024-02-29', '1950-12-31'])('accepts %s', (s) => {
    expect(parseLocalDate(s)).toBe(s);
    expect(tryParseLocalDate(s)).toBe(s);
    expect(isValidLocalDate(s)).toBe(true);
  });

  it.each([
    '1950-02-30', // impossible day
    '2025-02-29', // not a leap year
    '1900-02-29', // 1900 was not a leap year
    '1950-13-01',
    '1950-00-10',
    '1950-01-00',
    '1899-12-31', // before 1900
    '2101-01-01', // after 2100
    '1950-1-1',
    '19500101',
    '1950/01/01',
    ' 1950-01-01',
    '1950-01-01T00:00:00Z',
    '',
  ])('rejects %j', (s) => {
    expect(tryParseLocalDate(s)).toBeNull();
    expect(isValidLocalDate(s)).toBe(false);
    expect(() => parseLocalDate(s)).toThrow(AppError);
  });

  it('throws VALIDATION_FAILED with the Chinese message', () => {
    try {
      parseLocalDate('1950-02-30');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('VALIDATION_FAILED');
      expect((e as AppError).message).toBe('日期 "1950-02-30" 无效');
    }
  });

  it('clips very long input in the message', () => {
    expect(() => parseLocalDate('x'.repeat(100))).toThrow(`日期 "${'x'.repeat(40)}…" 无效`);
  });

  it('isValidLocalDate is a guard that rejects non-strings', () => {
    expect(isValidLocalDate(20250101)).toBe(false);
    expect(isValidLocalDate(null)).toBe(false);
    expect(isValidLocalDate(new Date())).toBe(false);
  });

  it('exposes the accepted range', () => {
    expect(MIN_LOCAL_DATE).toBe('1900-01-01');
    expect(MAX_LOCAL_DATE).toBe('2100-12-31');
  });

  it('round-trips every date of the range (property)', () => {
    fc.assert(
      fc.property(arbLocalDate, (s) => {
        expect(parseLocalDate(s)).toBe(s);
      }),
    );
  });
});

describe('localDateParts / localDateFromParts', () => {
  it('splits and builds', () => {
    expect(localDateParts(d('2025-03-09'))).toEqual({ year: 2025, month: 3, day: 9 });
    expect(localDateFromParts(2025, 3, 9)).toBe('2025-03-09');
    expect(localDateFromParts(1880, 1, 1)).toBe('1880-01-01');
  });

  it('rejects impossible parts', () => {
    expect(() => localDateFromParts(2025, 2, 29)).toThrow('日期 "2025-02-29" 无效');
    expect(() => localDateFromParts(10000, 1, 1)).toThrow(AppError);
  });
});

describe('localDateOf / startOfLocalDay / todayIn', () => {
  it('reads the Shanghai calendar date of an instant', () => {
    expect(localDateOf(new Date('2025-03-09T23:30:00Z'))).toBe('2025-03-10');
    expect(localDateOf(new Date('2025-03-09T15:59:59.999Z'))).toBe('2025-03-09');
    expect(localDateOf(new Date('2025-03-09T16:00:00.000Z'))).toBe('2025-03-10');
  });

  it('takes another zone when asked', () => {
    expect(localDateOf(new Date('2025-03-09T23:30:00Z'), 'UTC')).toBe('2025-03-09');
    expect(localDateOf(new Date('2025-03-10T03:00:00Z'), 'America/New_York')).toBe('2025-03-09');
  });

  it('starts a Shanghai day at 16:00 UTC the day before', () => {
    expect(startOfLocalDay(d('2025-03-10')).toISOString()).toBe('2025-03-09T16:00:00.000Z');
    expect(startOfLocalDay(d('2025-03-10'), 'UTC').toISOString()).toBe('2025-03-10T00:00:00.000Z');
    // New York switched to daylight time on 9 March 2025; midnight was still standard time.
    expect(startOfLocalDay(d('2025-03-09'), 'America/New_York').toISOString()).toBe('2025-03-09T05:00:00.000Z');
    expect(startOfLocalDay(d('2025-03-10'), 'America/New_York').toISOString()).toBe('2025-03-10T04:00:00.000Z');
  });

  it('startOfLocalDay and localDateOf are inverse (property)', () => {
    fc.assert(
      fc.property(arbLocalDate, (s) => {
        const start = startOfLocalDay(s);
        expect(localDateOf(start)).toBe(s);
        expect(localDateOf(new Date(start.getTime() - 1))).toBe(addDays(s, -1));
      }),
    );
  });

  it('rejects an invalid instant or zone', () => {
    expect(() => localDateOf(new Date(Number.NaN))).toThrow('时间无效');
    expect(() => localDateOf('2025-01-01' as unknown as Date)).toThrow('时间无效');
    expect(() => localDateOf(new Date(0), 'Mars/Olympus')).toThrow('时区 "Mars/Olympus" 无效');
    expect(() => startOfLocalDay(d('2025-01-01'), 'Mars/Olympus')).toThrow('时区 "Mars/Olympus" 无效');
  });

  it('todayIn asks the injected clock', () => {
    const clock = (): Date => new Date('2025-12-31T16:30:00Z');
    expect(todayIn(clock)).toBe('2026-01-01');
    expect(todayIn(clock, 'UTC')).toBe('2025-12-31');
    expect(BUSINESS_TZ).toBe('Asia/Shanghai');
  });
});

describe('addDays / addMonths / addYears', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays(d('2024-02-28'), 1)).toBe('2024-02-29');
    expect(addDays(d('2025-02-28'), 1)).toBe('2025-03-01');
    expect(addDays(d('2025-12-31'), 1)).toBe('2026-01-01');
    expect(addDays(d('2025-01-01'), -1)).toBe('2024-12-31');
    expect(addDays(d('2025-01-01'), 0)).toBe('2025-01-01');
    expect(addDays(d('1900-03-01'), -1)).toBe('1900-02-28');
  });

  it('clamps months to the month end', () => {
    expect(addMonths(d('2025-01-31'), 1)).toBe('2025-02-28');
    expect(addMonths(d('2024-01-31'), 1)).toBe('2024-02-29');
    expect(addMonths(d('2025-03-31'), -1)).toBe('2025-02-28');
    expect(addMonths(d('2025-11-15'), 2)).toBe('2026-01-15');
    expect(addMonths(d('2025-01-15'), -13)).toBe('2023-12-15');
  });

  it('maps 29 February to 28 February in non-leap years', () => {
    expect(addYears(d('2024-02-29'), 1)).toBe('2025-02-28');
    expect(addYears(d('2024-02-29'), 4)).toBe('2028-02-29');
    expect(addYears(d('2024-02-29'), -100)).toBe('1924-02-29');
    expect(addYears(d('2000-02-29'), 100)).toBe('2100-02-28');
    expect(addYears(d('1950-06-15'), 80)).toBe('2030-06-15');
  });

  it('rejects non-integer steps and results outside years 1–9999', () => {
    expect(() => addDays(d('2025-01-01'), 0.5)).toThrow('天数 0.5 不是整数');
    expect(() => addMonths(d('2025-01-01'), Number.NaN)).toThrow('月数 NaN 不是整数');
    expect(() => addYears(d('2025-01-01'), 1.5)).toThrow('年数 1.5 不是整数');
    expect(() => addYears(d('2025-01-01'), 8000)).toThrow(AppError);
    expect(() => addDays(d('2025-01-01'), 4_000_000)).toThrow(AppError);
  });

  it('addDays and diffDays agree (property)', () => {
    fc.assert(
      fc.property(arbLocalDate, fc.integer({ min: -40_000, max: 40_000 }), (s, n) => {
        const t = addDays(s, n);
        expect(diffDays(t, s)).toBe(n);
        expect(addDays(t, -n)).toBe(s);
      }),
    );
  });

  it('addYears keeps month and (clamped) day (property)', () => {
    fc.assert(
      fc.property(arbLocalDate, fc.integer({ min: -100, max: 100 }), (s, n) => {
        const a = localDateParts(s);
        const b = localDateParts(addYears(s, n));
        expect(b.year).toBe(a.year + n);
        expect(b.month).toBe(a.month);
        expect(b.day).toBe(Math.min(a.day, daysInMonth(b.year, b.month)));
      }),
    );
  });
});

describe('compareLocalDate / diffDays / min / max', () => {
  it('orders dates', () => {
    expect(compareLocalDate(d('2025-01-01'), d('2025-01-02'))).toBe(-1);
    expect(compareLocalDate(d('2025-01-02'), d('2025-01-02'))).toBe(0);
    expect(compareLocalDate(d('2025-01-03'), d('2025-01-02'))).toBe(1);
    expect(minLocalDate(d('2025-01-01'), d('2024-12-31'))).toBe('2024-12-31');
    expect(minLocalDate(d('2024-12-31'), d('2025-01-01'))).toBe('2024-12-31');
    expect(maxLocalDate(d('2025-01-01'), d('2024-12-31'))).toBe('2025-01-01');
    expect(maxLocalDate(d('2024-12-31'), d('2025-01-01'))).toBe('2025-01-01');
  });

  it('diffDays(a, b) is a − b', () => {
    expect(diffDays(d('2025-03-01'), d('2025-02-01'))).toBe(28);
    expect(diffDays(d('2024-03-01'), d('2024-02-01'))).toBe(29);
    expect(diffDays(d('2025-02-01'), d('2025-03-01'))).toBe(-28);
    expect(diffDays('2101-01-01' as LocalDate, d('1900-01-01'))).toBe(73_414);
  });

  it('compare agrees with diffDays (property)', () => {
    fc.assert(
      fc.property(arbLocalDate, arbLocalDate, (a, b) => {
        expect(compareLocalDate(a, b)).toBe(Math.sign(diffDays(a, b)));
      }),
    );
  });
});

describe('ageOn', () => {
  it.each([
    ['1945-03-01', '2025-02-28', 79],
    ['1945-03-01', '2025-03-01', 80], // turns 80 on the birthday itself
    ['1945-03-01', '2025-03-02', 80],
    ['1945-12-31', '2025-12-30', 79],
    ['1945-12-31', '2025-12-31', 80],
    ['1945-06-15', '2025-05-31', 79], // earlier month
    ['1945-06-15', '2025-07-01', 80], // later month
    ['2025-01-01', '2025-01-01', 0],
    // 29 February birthdays: the anniversary is 28 February in non-leap years.
    ['1944-02-29', '2025-02-27', 80],
    ['1944-02-29', '2025-02-28', 81],
    ['1944-02-29', '2024-02-28', 79],
    ['1944-02-29', '2024-02-29', 80],
    ['1944-02-29', '2025-03-01', 81],
  ])('born %s, on %s → %i', (birth, asOf, age) => {
    expect(ageOn(d(birth), d(asOf))).toBe(age);
  });

  it('rejects an as-of date before the birth', () => {
    expect(() => ageOn(d('2025-01-02'), d('2025-01-01'))).toThrow('计算日期 2025-01-01 早于出生日期 2025-01-02');
  });

  it('is the number of addYears steps that fit (property)', () => {
    fc.assert(
      fc.property(arbLocalDate, arbLocalDate, (x, y) => {
        const [birth, asOf] = x <= y ? [x, y] : [y, x];
        const age = ageOn(birth, asOf);
        expect(age).toBeGreaterThanOrEqual(0);
        expect(addYears(birth, age) <= asOf).toBe(true);
        expect(addYears(birth, age + 1) > asOf).toBe(true);
      }),
    );
  });
});
