// The fairness check and the queues: the check agrees with a plain blocking-pair search on any
// allocation (fair or not), catches the faults one can inject into a fair one (someone passed
// over, a place wasted, a facility over capacity, a facility not chosen, ids that do not belong),
// and the queues are each facility's priority order among those who chose it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate, allQueues, checkFairness, DEFAULT_RULE, queuePositions, ranksBefore,
  type AllocationResult, type Applicant, type Facility, type FairnessViolationKind, type PriorityKey, type PriorityRule,
} from './index.ts';

const KEYS: PriorityKey[] = ['tier', 'points', 'local', 'appliedAt', 'id'];
const ruleArb: fc.Arbitrary<PriorityRule> = fc.oneof(fc.constant(DEFAULT_RULE), fc.shuffledSubarray(KEYS).map((order) => ({ order })));

/** A small random city (as in allocate.test.ts) and an arbitrary allocation of it: each applicant one of their choices or nothing. */
const cityArb = fc
  .record({ nf: fc.integer({ min: 1, max: 8 }), na: fc.integer({ min: 0, max: 30 }) })
  .chain(({ nf, na }) => {
    const fids = Array.from({ length: nf }, (_, i) => `f${i}`);
    return fc.record({
      facilities: fc.tuple(...fids.map((id) => fc.record({ id: fc.constant(id), district: fc.constantFrom('d1', 'd2', 'd3'), capacity: fc.integer({ min: 0, max: 3 }) }))),
      applicants: fc.tuple(
        ...Array.from({ length: na }, (_, i) =>
          fc.record({
            id: fc.constant<string>(`a${i}`),
            district: fc.constantFrom('d1', 'd2', 'd3'),
            tier: fc.integer({ min: 1, max: 3 }),
            points: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
            appliedAt: fc.integer({ min: 0, max: 4 }),
            choices: fc.shuffledSubarray(fids),
          }),
        ),
      ),
      picks: fc.array(fc.nat(), { minLength: na, maxLength: na }),
    });
  });

/** Each applicant's pick among their choices, or nothing (capacities ignored). */
const arbitraryAllocation = (applicants: readonly Applicant[], picks: number[]): AllocationResult => {
  const assignments: AllocationResult['assignments'] = [];
  const unassigned: string[] = [];
  applicants.forEach((a, i) => {
    const k = picks[i]! % (a.choices.length + 1);
    if (k < a.choices.length) assignments.push({ applicant: a.id, facility: a.choices[k]! });
    else unassigned.push(a.id);
  });
  return { assignments, unassigned };
};

/** Blocking pairs, plainly (see allocate.test.ts). */
function blockingPairs(facilities: readonly Facility[], applicants: readonly Applicant[], r: AllocationResult, rule: PriorityRule): string[] {
  const at = new Map(r.assignments.map((x) => [x.applicant, x.facility]));
  const out: string[] = [];
  for (const a of applicants) {
    const mine = at.get(a.id);
    const better = mine === undefined ? a.choices : a.choices.slice(0, a.choices.indexOf(mine));
    for (const fid of better) {
      const f = facilities.find((x) => x.id === fid)!;
      const holders = applicants.filter((h) => at.get(h.id) === f.id);
      if (holders.length < f.capacity || holders.some((h) => ranksBefore(f, a, h, rule))) out.push(`${a.id}→${f.id}`);
    }
  }
  return out.sort();
}

const kinds = (r: ReturnType<typeof checkFairness>) => [...new Set(r.violations.map((v) => v.kind))].sort();

const F: Facility[] = [{ id: 'f1', district: 'd1', capacity: 1 }, { id: 'f2', district: 'd2', capacity: 2 }];
const A: Applicant[] = [
  { id: 'a1', district: 'd1', tier: 1, appliedAt: 1, choices: ['f1', 'f2'] },
  { id: 'a2', district: 'd1', tier: 2, appliedAt: 0, choices: ['f1', 'f2'] },
  { id: 'a3', district: 'd2', tier: 3, appliedAt: 0, choices: ['f1'] },
];

describe('checkFairness', () => {
  it('a fair allocation passes; the report counts what it checked', () => {
    const r = allocate(F, A);
    expect(r).toEqual({ assignments: [{ applicant: 'a1', facility: 'f1' }, { applicant: 'a2', facility: 'f2' }], unassigned: ['a3'] });
    // a2 prefers f1 (held by a1, ranked before a2); a3 prefers f1: two pairs, none blocking.
    expect(checkFairness(F, A, r)).toEqual({ ok: true, checkedApplicants: 3, checkedPairs: 2, violations: [] });
  });

  it('names each fault, in Chinese', () => {
    // a3 (tier 3) takes f1 from a1 (tier 1): a1 is passed over; a1 left unassigned also leaves f2 with a free place.
    const swapped = { assignments: [{ applicant: 'a2', facility: 'f2' }, { applicant: 'a3', facility: 'f1' }], unassigned: ['a1'] };
    const v = checkFairness(F, A, swapped).violations;
    expect(v).toContainEqual(expect.objectContaining({ kind: 'passed_over', applicant: 'a1', facility: 'f1', heldBy: 'a3' }));
    expect(v).toContainEqual(expect.objectContaining({ kind: 'wasted_place', applicant: 'a1', facility: 'f2' }));
    expect(v.find((x) => x.kind === 'passed_over')!.message).toMatch(/申请人 a1 .*a3/);
    const over = checkFairness(F, A, { assignments: [{ applicant: 'a1', facility: 'f1' }, { applicant: 'a2', facility: 'f1' }, { applicant: 'a3', facility: 'f1' }], unassigned: [] });
    expect(kinds(over)).toEqual(['over_capacity']);
    expect(over.violations[0]!.message).toBe('机构 f1 安排了 3 人，超过其床位数 1');
    const notChosen = checkFairness(F, A, { assignments: [{ applicant: 'a1', facility: 'f1' }, { applicant: 'a2', facility: 'f2' }, { applicant: 'a3', facility: 'f2' }], unassigned: [] });
    expect(kinds(notChosen)).toEqual(['not_a_choice']);
    const unknown = checkFairness(F, A, {
      assignments: [{ applicant: 'a1', facility: 'f1' }, { applicant: 'a2', facility: 'f2' }, { applicant: 'a2', facility: 'f2' }, { applicant: 'zz', facility: 'f2' }, { applicant: 'a3', facility: 'f9' }],
      unassigned: ['a1', 'yy'],
    });
    expect(unknown.violations.filter((x) => x.kind === 'unknown').map((x) => x.applicant).sort()).toEqual(['a1', 'a2', 'a3', 'yy', 'zz']);
    // An applicant missing from both lists counts as unassigned (and is reported).
    const missing = checkFairness(F, A, { assignments: [{ applicant: 'a1', facility: 'f1' }], unassigned: ['a3'] });
    expect(missing.violations.map((x) => `${x.kind} ${x.applicant}`).sort()).toEqual(['unknown a2', 'wasted_place a2']);
  });

  it('property: agrees with the plain blocking-pair search on any allocation, fair or not', () => {
    fc.assert(
      fc.property(cityArb, ruleArb, ({ facilities, applicants, picks }, rule) => {
        for (const r of [arbitraryAllocation(applicants, picks), allocate(facilities, applicants, rule)]) {
          const report = checkFairness(facilities, applicants, r, rule);
          const found = report.violations.filter((v) => v.kind === 'passed_over' || v.kind === 'wasted_place').map((v) => `${v.applicant}→${v.facility}`).sort();
          expect(found).toEqual(blockingPairs(facilities, applicants, r, rule));
          const load = new Map<string, number>();
          for (const x of r.assignments) load.set(x.facility, (load.get(x.facility) ?? 0) + 1);
          const over = facilities.filter((f) => (load.get(f.id) ?? 0) > f.capacity).map((f) => f.id);
          expect(report.violations.filter((v) => v.kind === 'over_capacity').map((v) => v.facility)).toEqual(over);
          expect(report.ok).toBe(report.violations.length === 0);
          expect(report.checkedApplicants).toBe(applicants.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('property: catches faults injected into a fair allocation', () => {
    fc.assert(
      fc.property(cityArb, ruleArb, fc.nat(), ({ facilities, applicants }, rule, pick) => {
        const r = allocate(facilities, applicants, rule);
        const fac = new Map(facilities.map((f) => [f.id, f]));
        const byId = new Map<string, Applicant>(applicants.map((a) => [a.id, a]));
        const check = (x: AllocationResult): FairnessViolationKind[] => kinds(checkFairness(facilities, applicants, x, rule));
        expect(check(r)).toEqual([]);
        // Swap an assigned applicant with one who chose the same facility, is unassigned and ranks lower there.
        const swaps = r.assignments.flatMap((x) =>
          r.unassigned.filter((u) => byId.get(u)!.choices.includes(x.facility) && ranksBefore(fac.get(x.facility)!, byId.get(x.applicant)!, byId.get(u)!, rule)).map((u) => ({ x, u })),
        );
        if (swaps.length > 0) {
          const { x, u } = swaps[pick % swaps.length]!;
          const bad = {
            assignments: r.assignments.map((y) => (y === x ? { applicant: u, facility: x.facility } : y)),
            unassigned: [...r.unassigned.filter((id) => id !== u), x.applicant],
          };
          const report = checkFairness(facilities, applicants, bad, rule);
          expect(report.violations).toContainEqual(expect.objectContaining({ kind: 'passed_over', applicant: x.applicant, facility: x.facility, heldBy: u }));
        }
        if (r.assignments.length > 0) {
          const x = r.assignments[pick % r.assignments.length]!;
          // One place fewer than the facility holds: over capacity.
          const smaller = facilities.map((f) => (f.id === x.facility ? { ...f, capacity: r.assignments.filter((y) => y.facility === f.id).length - 1 } : f));
          expect(kinds(checkFairness(smaller, applicants, r, rule))).toContain('over_capacity');
          // Moved to a facility they did not choose.
          const other = facilities.find((f) => !byId.get(x.applicant)!.choices.includes(f.id));
          if (other) expect(check({ ...r, assignments: r.assignments.map((y) => (y === x ? { applicant: y.applicant, facility: other.id } : y)) })).toContain('not_a_choice');
          // Dropped: the place they had is free and they wanted it.
          expect(check({ assignments: r.assignments.filter((y) => y !== x), unassigned: [...r.unassigned, x.applicant] })).toContain('wasted_place');
          // Assigned twice.
          expect(check({ ...r, assignments: [...r.assignments, x] })).toContain('unknown');
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('queues', () => {
  it('queuePositions: position and the number ahead per tier', () => {
    expect(queuePositions(F[0]!, A)).toEqual([
      { applicant: 'a1', position: 1, aheadByTier: {} },
      { applicant: 'a2', position: 2, aheadByTier: { 1: 1 } },
      { applicant: 'a3', position: 3, aheadByTier: { 1: 1, 2: 1 } },
    ]);
    expect(queuePositions(F[1]!, A).map((q) => q.applicant)).toEqual(['a1', 'a2']);
    expect(queuePositions(F[0]!, A, { order: ['appliedAt'] }).map((q) => q.applicant)).toEqual(['a2', 'a3', 'a1']);
  });

  it('property: allQueues and queuePositions give each facility its priority order among those who chose it', () => {
    fc.assert(
      fc.property(cityArb, ruleArb, ({ facilities, applicants }, rule) => {
        const all = allQueues(facilities, applicants, rule);
        expect([...all.keys()].sort()).toEqual(facilities.map((f) => f.id).sort());
        for (const f of facilities) {
          const q = queuePositions(f, applicants, rule);
          const ids = q.map((x) => x.applicant);
          expect(all.get(f.id)).toEqual(ids);
          expect(new Set(ids)).toEqual(new Set(applicants.filter((a) => a.choices.includes(f.id)).map((a) => a.id)));
          const byId = new Map<string, Applicant>(applicants.map((a) => [a.id, a]));
          q.forEach((x, i) => {
            expect(x.position).toBe(i + 1);
            const ahead = q.slice(0, i).map((y) => byId.get(y.applicant)!);
            expect(ahead.every((b) => ranksBefore(f, b, byId.get(x.applicant)!, rule))).toBe(true);
            const tiers: Record<number, number> = {};
            for (const b of ahead) tiers[b.tier] = (tiers[b.tier] ?? 0) + 1;
            expect(x.aheadByTier).toEqual(tiers);
          });
        }
      }),
      { numRuns: 300 },
    );
  });
});
