// Long-term-care insurance settlement of home-care visits (issue 8 §6, §8), the pure part. Rules,
// in this order: a visit is rejected `not_eligible` when the person's grade is below the minimum
// or not valid on the check-in's local date (Asia/Shanghai; validity includes both ends); else
// `too_far` when the check-in point is farther than `maxCheckInMeters` from the home
// (great-circle); else `overlap` when the same caregiver has another visit in the input —
// whatever its own status — that intersects it and starts earlier (equal starts: the larger id is
// rejected; touching intervals do not intersect). The rest are billed per person in check-in
// order (equal check-ins by id) up to the weekly cap (ISO weeks from Monday 00:00 Shanghai time;
// hours × 60): paid, partial (`over_cap`) or rejected (`over_cap`). Money: round half up on exact
// decimals, never on binary fractions.

import { localDateOf } from '../core/dates.ts';

export interface SettleParams {
  weeklyHours: Record<string, number>;
  fenPerHour: Record<string, number>;
  fundShare: number;
  maxCheckInMeters: number;
  /** The lowest grade that may be billed (policy: LTCI grade 2). */
  minGrade: number;
}

export interface SettlePerson {
  id: string;
  careGrade: number | null;
  gradeValidFrom: string | null;
  gradeValidTo: string | null;
  home: { lat: number; lon: number };
}

export interface SettleVisit {
  id: string;
  person: string;
  caregiver: string;
  kind: string;
  checkIn: number;
  checkOut: number;
  checkInAt: { lat: number; lon: number };
}

export type VisitStatus = 'paid' | 'partial' | 'rejected';
export type VisitReason = 'not_eligible' | 'too_far' | 'overlap' | 'over_cap';

export interface VisitResult {
  id: string;
  status: VisitStatus;
  reason: VisitReason | null;
  billedMinutes: number;
  amountFen: number;
  fundFen: number;
  copayFen: number;
}

export interface SettleResult {
  visits: VisitResult[];
  people: { id: string; billedMinutes: number; amountFen: number; fundFen: number; copayFen: number }[];
}

const EARTH_RADIUS_M = 6_371_008.8; // mean Earth radius (IUGG), as turf.js and most GIS libraries use
const MS_PER_MINUTE = 60_000;
const MINUTES_PER_HOUR = 60;
const DEG = Math.PI / 180;

/** Great-circle distance in metres (haversine). */
export function greatCircleMeters(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const dLat = (b.lat - a.lat) * DEG;
  const dLon = (b.lon - a.lon) * DEG;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * DEG) * Math.cos(b.lat * DEG) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A finite decimal number as an exact fraction n / 10^k (from its shortest decimal form). */
export function decimalFraction(x: number): { n: bigint; d: bigint } {
  const s = x.toString();
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) throw new Error(`not a decimal: ${s}`);
  const [, sign, int, frac = '', exp = '0'] = m;
  let digits = BigInt(int + frac);
  let scale = frac.length - Number(exp);
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { n: sign ? -digits : digits, d: 10n ** BigInt(scale) };
}

/** Round half up of the exact product a × b / c (a, b decimals, c a positive integer), for non-negative values. */
export function roundHalfUp(a: number, b: number, c = 1): number {
  // The same exact fraction in plain numbers while every part is a safe integer (integers are
  // their own fraction; other decimals' fractions are remembered) — BigInt only beyond that.
  let an = a, ad = 1, bn = b, bd = 1;
  if (!Number.isSafeInteger(a)) {
    const f = safeFraction(a);
    if (!f) return roundHalfUpBig(a, b, c);
    an = f.n;
    ad = f.d;
  }
  if (!Number.isSafeInteger(b)) {
    const f = safeFraction(b);
    if (!f) return roundHalfUpBig(a, b, c);
    bn = f.n;
    bd = f.d;
  }
  const num = an * bn;
  const den = ad * bd * c;
  const top = 2 * num + den;
  const bottom = 2 * den;
  if (!(Number.isSafeInteger(c) && Number.isSafeInteger(num) && Number.isSafeInteger(den) && Number.isSafeInteger(top) && Number.isSafeInteger(bottom))) return roundHalfUpBig(a, b, c);
  // floor((2·num + den) / (2·den)), truncating as BigInt division does; exact on safe integers.
  return (top - (top % bottom)) / bottom;
}

function roundHalfUpBig(a: number, b: number, c: number): number {
  const x = decimalFraction(a);
  const y = decimalFraction(b);
  const num = x.n * y.n;
  const den = x.d * y.d * BigInt(c);
  // floor((2·num + den) / (2·den))
  return Number((2n * num + den) / (2n * den));
}

const FRACTIONS_KEPT = 1024;
const fractions = new Map<number, { n: number; d: number } | null>();
/** decimalFraction(x) as safe integers, or null when a part is not one (kept for the few distinct parameters). */
function safeFraction(x: number): { n: number; d: number } | null {
  let f = fractions.get(x);
  if (f === undefined) {
    const { n, d } = decimalFraction(x);
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    f = n <= max && -n <= max && d <= max ? { n: Number(n), d: Number(d) } : null;
    if (fractions.size >= FRACTIONS_KEPT) fractions.clear();
    fractions.set(x, f);
  }
  return f;
}

const MS_PER_DAY = 86_400_000;
/** Shanghai has kept UTC+8 all year since 1992 (no daylight saving after 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const FIXED_OFFSET_SINCE = Date.UTC(1992, 0, 1);
const DAYS_PER_WEEK = 7;
/** 1970-01-01 was a Thursday: day number + 3 is 0 on Mondays (mod 7). */
const MONDAY_SHIFT = 3;

/** The Shanghai calendar day of an instant as a day number since 1970-01-01 (fast path since 1992). */
function shanghaiDayNumber(instant: number): number {
  if (instant >= FIXED_OFFSET_SINCE) return Math.floor((instant + SHANGHAI_OFFSET_MS) / MS_PER_DAY);
  return Math.floor(Date.parse(`${localDateOf(new Date(instant))}T00:00:00Z`) / MS_PER_DAY);
}

const dayStrings = new Map<number, string>();
/** The Shanghai local date (YYYY-MM-DD) of an instant. */
export function shanghaiDay(instant: number): string {
  const n = shanghaiDayNumber(instant);
  let s = dayStrings.get(n);
  if (s === undefined) {
    s = new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
    dayStrings.set(n, s);
  }
  return s;
}

/** The Monday (as a day number) of the ISO week containing the instant, in Shanghai. */
function isoWeekMonday(instant: number): number {
  const n = shanghaiDayNumber(instant);
  return n - ((((n + MONDAY_SHIFT) % DAYS_PER_WEEK) + DAYS_PER_WEEK) % DAYS_PER_WEEK);
}

/** Monday 00:00 (Asia/Shanghai) of the ISO week containing the instant, as a local date key. */
export function isoWeekKey(instant: number): string {
  return shanghaiDay(isoWeekMonday(instant) * MS_PER_DAY - SHANGHAI_OFFSET_MS);
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const rejected = (id: string, reason: VisitReason): VisitResult => ({ id, status: 'rejected', reason, billedMinutes: 0, amountFen: 0, fundFen: 0, copayFen: 0 });

/**
 * The visits that another visit of the same caregiver overlaps and precedes: intersecting
 * intervals (touching ones do not), the earlier start wins, equal starts the smaller id. One pass
 * per caregiver in (start, id) order with the latest end seen so far — not a scan of all pairs.
 */
export function overlaps(byCaregiver: ReadonlyMap<string, SettleVisit[]>): Set<string> {
  const out = new Set<string>();
  for (const list of byCaregiver.values()) {
    const sorted = [...list].sort((a, b) => (a.checkIn !== b.checkIn ? a.checkIn - b.checkIn : byId(a.id, b.id)));
    let maxEndAll = -Infinity; // over every earlier visit in this order (equal starts with smaller ids included)
    let maxEndBefore = -Infinity; // over visits that start strictly earlier
    let groupStart = NaN;
    let groupMax = -Infinity;
    for (const v of sorted) {
      if (v.checkIn !== groupStart) {
        maxEndBefore = Math.max(maxEndBefore, groupMax);
        groupStart = v.checkIn;
        groupMax = -Infinity;
      }
      // A zero-length visit only intersects visits that start strictly before it.
      const end = v.checkOut > v.checkIn ? maxEndAll : maxEndBefore;
      if (end > v.checkIn) out.add(v.id);
      maxEndAll = Math.max(maxEndAll, v.checkOut);
      groupMax = Math.max(groupMax, v.checkOut);
    }
  }
  return out;
}

/** Settle visits; `paramsOn(localDate)` gives the parameters in force on a visit's date. */
export function settle(people: readonly SettlePerson[], visits: readonly SettleVisit[], paramsOn: (localDate: string) => SettleParams): SettleResult {
  const person = new Map(people.map((p) => [p.id, p]));
  const results = new Map<string, VisitResult>();
  // Billable visits per person (in input order, sorted below), with the parameters of their date.
  const billable = new Map<string, { v: SettleVisit; P: SettleParams }[]>();
  const byCaregiver = new Map<string, SettleVisit[]>();
  for (const v of visits) {
    const list = byCaregiver.get(v.caregiver);
    if (list) list.push(v);
    else byCaregiver.set(v.caregiver, [v]);
  }
  const overlapping = overlaps(byCaregiver);

  for (const v of visits) {
    const p = person.get(v.person)!;
    const day = shanghaiDay(v.checkIn);
    const P = paramsOn(day);
    const valid = p.careGrade !== null && p.careGrade >= P.minGrade && p.gradeValidFrom !== null && p.gradeValidTo !== null && p.gradeValidFrom <= day && day <= p.gradeValidTo;
    if (!valid) {
      results.set(v.id, rejected(v.id, 'not_eligible'));
      continue;
    }
    if (greatCircleMeters(p.home, v.checkInAt) > P.maxCheckInMeters) {
      results.set(v.id, rejected(v.id, 'too_far'));
      continue;
    }
    if (overlapping.has(v.id)) {
      results.set(v.id, rejected(v.id, 'overlap'));
      continue;
    }
    const list = billable.get(v.person);
    if (list) list.push({ v, P });
    else billable.set(v.person, [{ v, P }]);
  }

  // Per person, in check-in order (equal check-ins by id), against the week's cap. In that order
  // a person's weeks only move forward, so one running total per person is the week's.
  for (const [id, list] of billable) {
    const grade = String(person.get(id)!.careGrade);
    list.sort((a, b) => (a.v.checkIn !== b.v.checkIn ? a.v.checkIn - b.v.checkIn : byId(a.v.id, b.v.id)));
    let week = NaN;
    let used = 0; // minutes billed in `week`
    for (const { v, P } of list) {
      const monday = isoWeekMonday(v.checkIn);
      if (monday !== week) {
        week = monday;
        used = 0;
      }
      const cap = (P.weeklyHours[grade] ?? 0) * MINUTES_PER_HOUR;
      const minutes = Math.floor((v.checkOut - v.checkIn) / MS_PER_MINUTE);
      const billed = Math.max(0, Math.min(minutes, cap - used));
      used += billed;
      const status: VisitStatus = billed === minutes ? 'paid' : billed > 0 ? 'partial' : 'rejected';
      const amountFen = roundHalfUp(billed, P.fenPerHour[v.kind]!, MINUTES_PER_HOUR);
      const fundFen = roundHalfUp(amountFen, P.fundShare);
      results.set(v.id, { id: v.id, status, reason: status === 'paid' ? null : 'over_cap', billedMinutes: billed, amountFen, fundFen, copayFen: amountFen - fundFen });
    }
  }

  const out = [...results.values()].sort((a, b) => byId(a.id, b.id));
  const sums = new Map<string, { id: string; billedMinutes: number; amountFen: number; fundFen: number; copayFen: number }>();
  for (const v of visits) {
    const r = results.get(v.id)!;
    const s = sums.get(v.person) ?? { id: v.person, billedMinutes: 0, amountFen: 0, fundFen: 0, copayFen: 0 };
    s.billedMinutes += r.billedMinutes;
    s.amountFen += r.amountFen;
    s.fundFen += r.fundFen;
    s.copayFen += r.copayFen;
    sums.set(v.person, s);
  }
  return { visits: out, people: [...sums.values()].sort((a, b) => byId(a.id, b.id)) };
}
