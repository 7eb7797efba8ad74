// What-if simulation of the waiting list (issue 7 §6): replay a year of basic-bed vacancies over
// the applicants of that year under a rule, and compare two rules (or the same rule with a new
// facility) by waits per tier and district. Pure.
//
// Time runs forward through arrivals (an application is made) and vacancies (a bed at a facility
// falls vacant). At a vacancy the bed goes to the applicant the facility ranks first among those
// who have applied, have not been placed and list it — what a run does when one bed falls vacant
// at a time and offers are accepted; a bed nobody is waiting for stays free for the next who
// chooses it. Each facility keeps its candidates in a heap ordered by the
// rule (lazy removal of those placed elsewhere), so a year of a city costs
// O((choices + vacancies) · log applicants).
import { comparePriority, ruleKeys, type Applicant, type PriorityRule } from './allocate.ts';

export interface SimVacancy { facilityId: string; at: number }
export interface SimFacility { id: string; district: string }
export interface SimOutcome { applicant: string; facility: string | null; placedAt: number | null }

class Heap<T> {
  private readonly a: T[] = [];
  constructor(private readonly before: (x: T, y: T) => boolean) {}
  get size() {
    return this.a.length;
  }
  push(x: T) {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  peek(): T | undefined {
    return this.a[0];
  }
  pop(): T | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.before(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Replay vacancies over applicants under a rule; every applicant's outcome, in input order.
 * A bed nobody waiting has chosen stays free until someone who chooses it applies: they take
 * the first of their choices that has a free bed (as a run would offer them).
 */
export function replayVacancies(facilities: readonly SimFacility[], applicants: readonly Applicant[], vacancies: readonly SimVacancy[], rule: PriorityRule): SimOutcome[] {
  const keys = ruleKeys(rule);
  const heaps = new Map<string, Heap<Applicant>>();
  const free = new Map<string, number>();
  for (const f of facilities) {
    heaps.set(f.id, new Heap<Applicant>((a, b) => comparePriority(keys, f.district, a, b) < 0));
    free.set(f.id, 0);
  }
  const placed = new Map<string, { facility: string; at: number }>();
  const arrivals = [...applicants].sort((a, b) => a.appliedAt - b.appliedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const events = [...vacancies].sort((a, b) => a.at - b.at || (a.facilityId < b.facilityId ? -1 : a.facilityId > b.facilityId ? 1 : 0));
  let next = 0;
  const arriveUntil = (t: number) => {
    while (next < arrivals.length && arrivals[next]!.appliedAt <= t) {
      const a = arrivals[next++]!;
      const open = a.choices.find((c) => (free.get(c) ?? 0) > 0);
      if (open !== undefined) {
        free.set(open, free.get(open)! - 1);
        placed.set(a.id, { facility: open, at: a.appliedAt });
        continue;
      }
      for (const c of a.choices) heaps.get(c)?.push(a);
    }
  };
  for (const v of events) {
    arriveUntil(v.at);
    const h = heaps.get(v.facilityId);
    if (!h) continue;
    while (h.size > 0 && placed.has(h.peek()!.id)) h.pop();
    const who = h.pop();
    if (who) placed.set(who.id, { facility: v.facilityId, at: v.at });
    else free.set(v.facilityId, free.get(v.facilityId)! + 1);
  }
  arriveUntil(Number.POSITIVE_INFINITY);
  return applicants.map((a) => {
    const p = placed.get(a.id);
    return { applicant: a.id, facility: p?.facility ?? null, placedAt: p?.at ?? null };
  });
}

export interface GroupStats { key: string; applicants: number; placed: number; medianWaitDays: number | null; stillWaiting: number }

const DAY_MS = 86_400_000;
const HALF = 0.5;

/** Waits by group: placed (days from applying to the place), and those still waiting at the end. */
export function waitStats(applicants: readonly Applicant[], outcomes: readonly SimOutcome[], group: (a: Applicant) => string): GroupStats[] {
  const by = new Map<string, { n: number; waits: number[]; still: number }>();
  outcomes.forEach((o, i) => {
    const a = applicants[i]!;
    const g = by.get(group(a)) ?? { n: 0, waits: [], still: 0 };
    g.n++;
    if (o.placedAt !== null) g.waits.push(Math.max(0, (o.placedAt - a.appliedAt) / DAY_MS));
    else g.still++;
    by.set(group(a), g);
  });
  return [...by.entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([key, g]) => {
    const w = g.waits.sort((x, y) => x - y);
    const mid = w.length === 0 ? null : w.length % 2 ? w[(w.length - 1) * HALF]! : (w[w.length * HALF - 1]! + w[w.length * HALF]!) * HALF;
    return { key, applicants: g.n, placed: w.length, medianWaitDays: mid === null ? null : Math.round(mid), stillWaiting: g.still };
  });
}
