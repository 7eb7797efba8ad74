// The monthly payment run (issue 5 §4), the pure part: what a person is owed for each month, and
// the lines of a run — this month's payment, arrears (补发) for earlier months found owed late,
// recoveries (追回) for earlier months paid but not owed (a death reported late). Money is integer
// fen. A run compares what is owed with what was already paid (lines of other batches, returned
// payments excluded), so running it twice pays once.
//
// Rules (parameters of the allowance, policy/parameters/allowance.json):
//  - the amount owed for month M is the allowance of the age band reached by the end of the
//    previous month (`paymentBandStart: month_after_birthday`) or by the end of M
//    (`birthday_month`), with the other facts as they are known now;
//  - a person who dies in month M is paid for M when `paidForDeathMonth`, not for later months;
//  - months are owed from the month of the application (or, without one, of the grant) and at
//    most `arrearsLookbackMonths` before the run's month; nothing is owed before the grant.

import { addDays, addMonths, type LocalDate } from '../core/dates.ts';
import { fen, formatFen } from '../core/money.ts';
import type { Engine, PersonFacts } from './model.ts';

/** A month as `YYYY-MM`. */
export type Month = string & { readonly __brand: 'Month' };
const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const isMonth = (s: string): s is Month => MONTH_RE.test(s);
export const firstDay = (m: Month): LocalDate => `${m}-01` as LocalDate;
export const lastDay = (m: Month): LocalDate => addDays(addMonths(firstDay(m), 1), -1);
export const monthOf = (d: LocalDate): Month => d.slice(0, 7) as Month;
export const addMonth = (m: Month, n: number): Month => monthOf(addMonths(firstDay(m), n));

export type LineKind = 'regular' | 'arrears' | 'recovery';
export const LINE_KIND_NAMES: Record<LineKind, string> = { regular: '当月发放', arrears: '补发', recovery: '追回' };

export interface PaymentLine {
  personId: string;
  forMonth: Month;
  kind: LineKind;
  /** Positive for payments, negative for recoveries. */
  amountFen: number;
  /** Why, in Chinese. */
  reason: string;
  /** The age band the amount is for (null for a recovery of a month not owed). */
  band: string | null;
}

export interface PayPerson {
  personId: string;
  facts: PersonFacts;
  /** The grant: months from the application (or grant) month are owed; none after it was stopped. */
  appliedOn: LocalDate | null;
  grantedFrom: LocalDate;
  stoppedOn: LocalDate | null;
  /** Net fen already paid (or being paid by another batch) per month. */
  paid: ReadonlyMap<string, number>;
}

export interface RunRules {
  /** Which scheme's monthly amount is owed: the allowance (cash) or the service subsidy (e-voucher credit). */
  scheme?: 'allowance' | 'serviceSubsidy';
  bandStart: 'birthday_month' | 'month_after_birthday';
  paidForDeathMonth: boolean;
  lookbackMonths: number;
}

/** What is owed for month `m`: the allowance decided on the month's reference day, or 0. */
export function owedFor(engine: Engine, f: PersonFacts, m: Month, rules: RunRules): { fen: number; band: string | null; why: string } {
  const start = firstDay(m);
  const ref = rules.bandStart === 'month_after_birthday' ? addDays(start, -1) : lastDay(m);
  if (f.deathDate !== null) {
    const diedBefore = rules.paidForDeathMonth ? f.deathDate < start : f.deathDate <= lastDay(m);
    if (diedBefore) return { fen: 0, band: null, why: `已于 ${f.deathDate} 去世` };
  }
  if (f.birthDate > ref || f.birthDate > start) return { fen: 0, band: null, why: '尚未出生' };
  // The death (if any) falls after the reference day or in a paid death month: decide as alive.
  const facts = f.deathDate !== null ? { ...f, deathDate: null } : f;
  if (rules.scheme === 'serviceSubsidy') {
    // The service subsidy of a month is decided on its first day (grade and economic status then).
    const s = engine.evaluate(facts, start).serviceSubsidy;
    return s.eligible ? { fen: s.monthlyFen, band: null, why: `${start} 核定服务补贴` } : { fen: 0, band: null, why: `${start} 不符合条件` };
  }
  const a = engine.evaluate(facts, ref).allowance;
  return a.eligible ? { fen: a.monthlyFen, band: a.band, why: `${ref} 按 ${a.band} 周岁段` } : { fen: 0, band: null, why: `${ref} 不符合条件` };
}

/** The lines of a run for month `run` for one person. */
export function linesFor(engine: Engine, p: PayPerson, run: Month, rules: RunRules): PaymentLine[] {
  const from = monthOf(p.appliedOn ?? p.grantedFrom);
  const earliest = addMonth(run, -rules.lookbackMonths);
  const lines: PaymentLine[] = [];
  // Months already paid before the lookback window are not revisited.
  let m: Month = from > earliest ? from : earliest;
  for (; m <= run; m = addMonth(m, 1)) {
    const stopped = p.stoppedOn !== null && firstDay(m) > p.stoppedOn;
    const owed = stopped ? { fen: 0, band: null, why: `已于 ${p.stoppedOn} 停发` } : owedFor(engine, p.facts, m, rules);
    const paid = p.paid.get(m) ?? 0;
    const delta = owed.fen - paid;
    if (delta === 0) continue;
    if (delta < 0) {
      lines.push({ personId: p.personId, forMonth: m, kind: 'recovery', amountFen: delta, reason: `${m} 已发 ${formatFen(fen(paid))}，应发 ${formatFen(fen(owed.fen))}（${owed.why}）`, band: owed.band });
    } else if (m === run) {
      lines.push({ personId: p.personId, forMonth: m, kind: 'regular', amountFen: delta, reason: owed.why, band: owed.band });
    } else {
      lines.push({ personId: p.personId, forMonth: m, kind: 'arrears', amountFen: delta, reason: `补发 ${m}：${owed.why}`, band: owed.band });
    }
  }
  return lines;
}

export interface RunTotals {
  people: number;
  lines: number;
  regularFen: number;
  arrearsFen: number;
  recoveryFen: number;
  netFen: number;
}

export function totalsOf(lines: readonly PaymentLine[]): RunTotals {
  const t: RunTotals = { people: new Set(lines.map((l) => l.personId)).size, lines: lines.length, regularFen: 0, arrearsFen: 0, recoveryFen: 0, netFen: 0 };
  for (const l of lines) {
    if (l.kind === 'regular') t.regularFen += l.amountFen;
    else if (l.kind === 'arrears') t.arrearsFen += l.amountFen;
    else t.recoveryFen += l.amountFen;
    t.netFen += l.amountFen;
  }
  return t;
}
