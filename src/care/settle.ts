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

import { shanghaiDayNumber } from '../core/dates.ts';
import { greatCircleMeters } from '../core/geo.ts';

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

const MS_PER_MINUTE = 60_000;
const MINUTES_PER_HOUR = 60;

export { greatCircleMeters };

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
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAYS_PER_WEEK = 7;
/** 1970-01-01 was a Thursday: day number + 3 is 0 on Mondays (mod 7). */
const MONDAY_SHIFT = 3;


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
  const visits: SettleVisit[] = [];
  const groups: number[][] = [];
  for (const list of byCaregiver.values()) groups.push(list.map((v) => visits.push(v) - 1));
  const flags = overlapFlags(visits, groups);
  const out = new Set<string>();
  visits.forEach((v, i) => {
    if (flags[i]) out.add(v.id);
  });
  return out;
}

/** `overlaps` on positions: `groups` lists each caregiver's visits; 1 for each visit overlapped. */
function overlapFlags(visits: readonly SettleVisit[], groups: Iterable<number[]>): Uint8Array {
  const out = new Uint8Array(visits.length);
  for (const list of groups) {
    const sorted = [...list].sort((a, b) => {
      const va = visits[a]!;
      const vb = visits[b]!;
      return va.checkIn !== vb.checkIn ? va.checkIn - vb.checkIn : byId(va.id, vb.id);
    });
    let maxEndAll = -Infinity; // over every earlier visit in this order (equal starts with smaller ids included)
    let maxEndBefore = -Infinity; // over visits that start strictly earlier
    let groupStart = NaN;
    let groupMax = -Infinity;
    for (const i of sorted) {
      const v = visits[i]!;
      if (v.checkIn !== groupStart) {
        maxEndBefore = Math.max(maxEndBefore, groupMax);
        groupStart = v.checkIn;
        groupMax = -Infinity;
      }
      // A zero-length visit only intersects visits that start strictly before it.
      const end = v.checkOut > v.checkIn ? maxEndAll : maxEndBefore;
      if (end > v.checkIn) out[i] = 1;
      maxEndAll = Math.max(maxEndAll, v.checkOut);
      groupMax = Math.max(groupMax, v.checkOut);
    }
  }
  return out;
}

/**
 * Settle visits; `paramsOn(localDate)` gives the parameters in force on a visit's date (a function
 * of the date: it is asked once per date). Visit ids are distinct (readSettleInput checks it; the
 * claim service passes database ids).
 */
export function settle(people: readonly SettlePerson[], visits: readonly SettleVisit[], paramsOn: (localDate: string) => SettleParams): SettleResult {
  // Each person once (the last entry of an id, as a Map built from the list keeps), with the
  // slot of their sums (given when their first visit is seen) and their billable visits
  // (positions, in input order, sorted below).
  const person = new Map<string, { p: SettlePerson; slot: number; billable: number[] | null }>();
  for (const p of people) person.set(p.id, { p, slot: -1, billable: null });
  const n = visits.length;
  // By the visit's position in the input: its result, its person's slot of sums, the parameters of its date.
  const results = new Array<VisitResult>(n);
  const slotOf = new Int32Array(n);
  const slotPeople: { p: SettlePerson; slot: number; billable: number[] | null }[] = [];
  const paramsOf = new Array<SettleParams>(n);
  const byCaregiver = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const c = visits[i]!.caregiver;
    const list = byCaregiver.get(c);
    if (list) list.push(i);
    else byCaregiver.set(c, [i]);
  }
  const overlapping = overlapFlags(visits, byCaregiver.values());
  // The date and its parameters by Shanghai day number (a month has about 31).
  const days = new Map<number, { day: string; P: SettleParams }>();

  for (let i = 0; i < n; i++) {
    const v = visits[i]!;
    const entry = person.get(v.person)!;
    if (entry.slot < 0) {
      entry.slot = slotPeople.length;
      slotPeople.push(entry);
    }
    slotOf[i] = entry.slot;
    const p = entry.p;
    const dayNumber = shanghaiDayNumber(v.checkIn);
    let d = days.get(dayNumber);
    if (d === undefined) {
      const day = shanghaiDay(v.checkIn);
      d = { day, P: paramsOn(day) };
      days.set(dayNumber, d);
    }
    const { day, P } = d;
    const valid = p.careGrade !== null && p.careGrade >= P.minGrade && p.gradeValidFrom !== null && p.gradeValidTo !== null && p.gradeValidFrom <= day && day <= p.gradeValidTo;
    if (!valid) {
      results[i] = rejected(v.id, 'not_eligible');
      continue;
    }
    if (greatCircleMeters(p.home, v.checkInAt) > P.maxCheckInMeters) {
      results[i] = rejected(v.id, 'too_far');
      continue;
    }
    if (overlapping[i]) {
      results[i] = rejected(v.id, 'overlap');
      continue;
    }
    paramsOf[i] = P;
    if (entry.billable) entry.billable.push(i);
    else entry.billable = [i];
  }

  // Per person, in check-in order (equal check-ins by id), against the week's cap. In that order
  // a person's weeks only move forward, so one running total per person is the week's.
  for (const { p, billable: list } of slotPeople) {
    if (!list) continue;
    const grade = String(p.careGrade);
    list.sort((a, b) => {
      const va = visits[a]!;
      const vb = visits[b]!;
      return va.checkIn !== vb.checkIn ? va.checkIn - vb.checkIn : byId(va.id, vb.id);
    });
    let week = NaN;
    let used = 0; // minutes billed in `week`
    for (const i of list) {
      const v = visits[i]!;
      const P = paramsOf[i]!;
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
      results[i] = { id: v.id, status, reason: status === 'paid' ? null : 'over_cap', billedMinutes: billed, amountFen, fundFen, copayFen: amountFen - fundFen };
    }
  }

  // Each person's sums, adding their visits in input order.
  const m = slotPeople.length;
  const billedMinutes = new Float64Array(m);
  const amountFen = new Float64Array(m);
  const fundFen = new Float64Array(m);
  const copayFen = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const r = results[i]!;
    const k = slotOf[i]!;
    billedMinutes[k]! += r.billedMinutes;
    amountFen[k]! += r.amountFen;
    fundFen[k]! += r.fundFen;
    copayFen[k]! += r.copayFen;
  }
  const sums: SettleResult['people'] = [];
  // In the order of the people list (often already by id, which the sort below then only confirms).
  for (const [id, { slot: k }] of person) {
    if (k >= 0) sums.push({ id, billedMinutes: billedMinutes[k]!, amountFen: amountFen[k]!, fundFen: fundFen[k]!, copayFen: copayFen[k]! });
  }
  // Input order, then by id (an input already in id order is one run for the sort: one pass).
  return { visits: results.sort((a, b) => byId(a.id, b.id)), people: sums.sort((a, b) => byId(a.id, b.id)) };
}
