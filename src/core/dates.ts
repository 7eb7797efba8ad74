// Business dates versus instants (CONVENTIONS §14, ARCHITECTURE "Rules that keep it simple").
//
// - `LocalDate` is a calendar date of the business, `YYYY-MM-DD`, read in Asia/Shanghai: a birth
//   date, the date an allowance starts, an as-of date. It has no time and no zone. Because the
//   format is fixed-width, plain string comparison orders LocalDates correctly.
// - `Instant` is an absolute point in time. It is a plain `Date` (an alias, not a brand) so that
//   database drivers (`timestamptz` → Date), JSON and date-fns keep working without casts.
//   Convert between the two only through `localDateOf` and `startOfLocalDay`.
//
// Nothing here reads the clock: `todayIn` takes the clock as an argument.

import { TZDate } from '@date-fns/tz';
import { AppError } from './errors.ts';

/** A calendar date `YYYY-MM-DD` in the business time zone (Asia/Shanghai). */
export type LocalDate = string & { readonly __brand: 'LocalDate' };

/** An absolute point in time; a plain `Date` (see the file header). */
export type Instant = Date;

/** The business time zone of the platform. */
export const BUSINESS_TZ = 'Asia/Shanghai';

/** Earliest date `parseLocalDate` accepts (no one alive or on record was born earlier). */
export const MIN_LOCAL_DATE = '1900-01-01' as LocalDate;

/** Latest date `parseLocalDate` accepts. */
export const MAX_LOCAL_DATE = '2100-12-31' as LocalDate;

const MIN_YEAR = 1900;
const MAX_YEAR = 2100;
const MS_PER_DAY = 86_400_000;
const LOCAL_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `year` is a Gregorian leap year. */
export const isLeapYear = (year: number): boolean =>
  (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** Number of days in `month` (1–12) of `year`; 0 for a month outside 1–12. */
export const daysInMonth = (year: number, month: number): number => {
  if (!Number.isInteger(month) || month < 1 || month > 12) return 0;
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
};

/** True when year/month/day (month 1–12) name a real Gregorian date (any year 1–9999). */
export const isCalendarDate = (year: number, month: number, day: number): boolean =>
  Number.isInteger(year) &&
  Number.isInteger(day) &&
  year >= 1 &&
  year <= 9999 &&
  day >= 1 &&
  day <= daysInMonth(year, month);

const clip = (s: string): string => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

const invalidDate = (s: string): AppError => new AppError('VALIDATION_FAILED', `日期 "${clip(s)}" 无效`);

/** Parses strict `YYYY-MM-DD` (a real date, years 1900–2100), or returns null. */
export const tryParseLocalDate = (s: string): LocalDate | null => {
  const m = LOCAL_DATE_RE.exec(s);
  if (!m) return null;
  const year = Number(m[1]);
  if (year < MIN_YEAR || year > MAX_YEAR) return null;
  return isCalendarDate(year, Number(m[2]), Number(m[3])) ? (s as LocalDate) : null;
};

/** Parses strict `YYYY-MM-DD`; throws AppError VALIDATION_FAILED `日期 "…" 无效` otherwise. */
export const parseLocalDate = (s: string): LocalDate => {
  const d = tryParseLocalDate(s);
  if (d === null) throw invalidDate(s);
  return d;
};

/** Type guard: true when `s` is a string `parseLocalDate` would accept. */
export const isValidLocalDate = (s: unknown): s is LocalDate =>
  typeof s === 'string' && tryParseLocalDate(s) !== null;

/** Splits a LocalDate into numeric parts (month 1–12). */
export const localDateParts = (d: LocalDate): { year: number; month: number; day: number } => ({
  year: Number(d.slice(0, 4)),
  month: Number(d.slice(5, 7)),
  day: Number(d.slice(8, 10)),
});

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Builds a LocalDate from parts (month 1–12); throws VALIDATION_FAILED unless it is a real date in years 1–9999. */
export const localDateFromParts = (year: number, month: number, day: number): LocalDate => {
  const s = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (!isCalendarDate(year, month, day)) throw invalidDate(s);
  return s as LocalDate;
};

// Days since 1970-01-01 of a LocalDate, via UTC so that no zone or DST can interfere.
const toEpochDay = (d: LocalDate): number => {
  const { year, month, day } = localDateParts(d);
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  return Math.round(t.getTime() / MS_PER_DAY);
};

const fromEpochDay = (epochDay: number): LocalDate => {
  const t = new Date(epochDay * MS_PER_DAY);
  return localDateFromParts(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
};

const requireInteger = (n: number, what: string): void => {
  if (!Number.isSafeInteger(n)) throw new AppError('VALIDATION_FAILED', `${what} ${n} 不是整数`);
};

const requireInstant = (instant: Date): void => {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new AppError('VALIDATION_FAILED', '时间无效');
  }
};

/** The calendar date of `instant` in `tz` (2025-03-09T23:30:00Z → 2025-03-10 in Shanghai). */
export const localDateOf = (instant: Instant, tz: string = BUSINESS_TZ): LocalDate => {
  requireInstant(instant);
  const z = new TZDate(instant.getTime(), tz);
  if (Number.isNaN(z.getTime())) throw new AppError('VALIDATION_FAILED', `时区 "${clip(tz)}" 无效`);
  return localDateFromParts(z.getFullYear(), z.getMonth() + 1, z.getDate());
};

/** Shanghai has kept UTC+8 all year since 1992 (no daylight saving after 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const FIXED_OFFSET_SINCE = Date.UTC(1992, 0, 1);

/** The Shanghai calendar day of an instant (epoch ms) as a day number since 1970-01-01: a fast path since 1992. */
export function shanghaiDayNumber(instant: number): number {
  if (instant >= FIXED_OFFSET_SINCE) return Math.floor((instant + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
  return Math.floor(Date.parse(`${localDateOf(new Date(instant))}T00:00:00Z`) / MS_PER_DAY);
}

/** The instant at which local day `d` begins in `tz` (Shanghai midnight by default). */
export const startOfLocalDay = (d: LocalDate, tz: string = BUSINESS_TZ): Instant => {
  const { year, month, day } = localDateParts(d);
  const ms = new TZDate(year, month - 1, day, tz).getTime();
  if (Number.isNaN(ms)) throw new AppError('VALIDATION_FAILED', `时区 "${clip(tz)}" 无效`);
  return new Date(ms);
};

/** Today's date in `tz` according to the injected clock. */
export const todayIn = (clock: () => Instant, tz: string = BUSINESS_TZ): LocalDate => localDateOf(clock(), tz);

/** `d` plus `n` calendar days (`n` may be negative). */
export const addDays = (d: LocalDate, n: number): LocalDate => {
  requireInteger(n, '天数');
  return fromEpochDay(toEpochDay(d) + n);
};

/** `d` plus `n` months; the day is clamped to the month's end (31 Jan + 1 month → 28/29 Feb). */
export const addMonths = (d: LocalDate, n: number): LocalDate => {
  requireInteger(n, '月数');
  const { year, month, day } = localDateParts(d);
  const index = year * 12 + (month - 1) + n;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return localDateFromParts(y, m, Math.min(day, daysInMonth(y, m)));
};

/** `d` plus `n` years; 29 February becomes 28 February in a non-leap target year. */
export const addYears = (d: LocalDate, n: number): LocalDate => {
  requireInteger(n, '年数');
  return addMonths(d, n * 12);
};

/** -1, 0 or 1 as `a` is before, equal to or after `b`. */
export const compareLocalDate = (a: LocalDate, b: LocalDate): -1 | 0 | 1 => (a < b ? -1 : a > b ? 1 : 0);

/** Whole days from `b` to `a`, i.e. `a − b` (like date-fns `differenceInCalendarDays(a, b)`). */
export const diffDays = (a: LocalDate, b: LocalDate): number => toEpochDay(a) - toEpochDay(b);

/** The later of two dates. */
export const maxLocalDate = (a: LocalDate, b: LocalDate): LocalDate => (a >= b ? a : b);

/** The earlier of two dates. */
export const minLocalDate = (a: LocalDate, b: LocalDate): LocalDate => (a <= b ? a : b);

/**
 * Age in full years on `asOf`. A 29 February birthday has its anniversary on 28 February in
 * non-leap years (project convention, shared/domain/identity-and-regions.md §1.1 rule 5).
 * Throws VALIDATION_FAILED when `asOf` is before `birth`.
 */
export const ageOn = (birth: LocalDate, asOf: LocalDate): number => {
  if (asOf < birth) {
    throw new AppError('VALIDATION_FAILED', `计算日期 ${asOf} 早于出生日期 ${birth}`);
  }
  // Digits read in place: this runs once per person in the million-person entitlement batch.
  const bm = two(birth, 5);
  const am = two(asOf, 5);
  const ay = four(asOf);
  const anniversaryDay = Math.min(two(birth, 8), daysInMonth(ay, bm));
  const reached = am > bm || (am === bm && two(asOf, 8) >= anniversaryDay);
  return ay - four(birth) - (reached ? 0 : 1);
};

const ZERO = 48; // '0'
const TEN = 10;
const HUNDRED = 100;
const THOUSAND = 1000;
/** Two ASCII digits of a checked LocalDate from `at`. */
const two = (s: string, at: number): number => (s.charCodeAt(at) - ZERO) * TEN + (s.charCodeAt(at + 1) - ZERO);
/** The year of a checked LocalDate. */
const four = (s: string): number =>
  (s.charCodeAt(0) - ZERO) * THOUSAND + (s.charCodeAt(1) - ZERO) * HUNDRED + (s.charCodeAt(2) - ZERO) * TEN + (s.charCodeAt(3) - ZERO);


const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;
const SHANGHAI_OFFSET = '+08:00';
const MAX_HOUR = 23;
const MAX_MINUTE = 59;

/**
 * An ISO-8601 date-time (`2024-05-01T08:00:00+08:00`, `…Z`, seconds and fractions optional) as
 * epoch milliseconds, or null when it is not one or not a real calendar time. Without an offset
 * it is Shanghai time (the business time zone).
 */
export const parseInstant = (s: string): number | null => {
  const m = ISO_INSTANT.exec(s);
  if (!m) return null;
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (!isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) || Number(m[4]) > MAX_HOUR || Number(m[5]) > MAX_MINUTE || second > MAX_MINUTE) return null;
  const t = Date.parse(m[8] ? s : s + SHANGHAI_OFFSET);
  return Number.isFinite(t) ? t : null;
};
