// Allocation by deferred acceptance: the contract's worked example, the tie-breaks the issue
// names, bad input, and properties — the matching is stable (no applicant and facility would both
// rather have each other), respects capacities and choices, and does not depend on input order;
// with any priority rule, the fast `allocate` gives exactly what the straightforward
// `allocateReference` gives, and no applicant gains by listing other choices than their true ones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateText } from '../cli/allocate.ts';
import {
  allocate, allocateReference, checkFairness, DEFAULT_RULE, ranksBefore, readAllocationInput, AllocationInputError,
  type AllocationResult, type Applicant, type Facility, type PriorityKey, type PriorityRule,
} from './index.ts';
import { ruleKeys } from './allocate.ts';

const EXAMPLE = {
  facilities: [{ id: 'f1', district: '310115', capacity: 1 }, { id: 'f2', district: '310101', capacity: 1 }],
  applicants: [
    { id: 'a1', district: '310101', tier: 2, appliedAt: '2024-05-01T08:00:00+08:00', choices: ['f1', 'f2'] },
    { id: 'a2', district: '310115', tier: 2, appliedAt: '2024-06-01T08:00:00+08:00', choices: ['f1'] },
    { id: 'a3', district: '310101', tier: 1, appliedAt: '2024-07-01T08:00:00+08:00', choices: ['f2', 'f1'] },
    { id: 'a4', district: '310101', tier: 3, appliedAt: '2024-01-01T08:00:00+08:00', choices: ['f2'] },
  ],
};
const run = (o: unknown) => {
  const { facilities, applicants } = readAllocationInput(o);
  return allocate(facilities, applicants);
};
const app = (id: string, over: Record<string, unknown> = {}) => ({ id, district: '310101', tier: 1, appliedAt: '2024-01-01T08:00:00+08:00', choices: ['f1'], ...over });

describe('allocate contract', () => {
  it('EXAMPLES.md: a2 beats a1 at f1 (same district, same tier); a3’s tier beats a1 at f2', () => {
    expect(allocateText(JSON.stringify(EXAMPLE))).toEqual({
      stdout: '{"assignments":[{"applicant":"a2","facility":"f1"},{"applicant":"a3","facility":"f2"}],"unassigned":["a1","a4"]}\n',
      stderr: '',
      code: 0,
    });
  });

  it('tie-breaks: tier, then own district, then appliedAt as an instant (offsets honoured), then id', () => {
    const f = [{ id: 'f1', district: '310115', capacity: 1 }];
    expect(run({ facilities: f, applicants: [app('b', { tier: 2, district: '310115' }), app('a', { tier: 1 })] }).assignments).toEqual([{ applicant: 'a', facility: 'f1' }]);
    expect(run({ facilities: f, applicants: [app('b', { district: '310115', appliedAt: '2024-12-01T00:00:00+08:00' }), app('a')] }).assignments).toEqual([{ applicant: 'b', facility: 'f1' }]);
    // 08:00 in Shanghai is 00:00Z: the +00:00 applicant at 01:00Z applied later.
    expect(run({ facilities: f, applicants: [app('a', { appliedAt: '2024-01-01T01:00:00+00:00' }), app('b', { appliedAt: '2024-01-01T08:30:00+08:00' })] }).assignments).toEqual([{ applicant: 'b', facility: 'f1' }]);
    expect(run({ facilities: f, applicants: [app('b'), app('a'), app('a10')] })).toEqual({ assignments: [{ applicant: 'a', facility: 'f1' }], unassigned: ['a10', 'b'] });
  });

  it('capacity is honoured; capacity 0 takes nobody; an applicant with no choices is unassigned; no facilities, no applicants', () => {
    const r = run({ facilities: [{ id: 'f1', district: 'x', capacity: 2 }, { id: 'f0', district: 'x', capacity: 0 }], applicants: [app('c', { choices: ['f0', 'f1'] }), app('b'), app('a'), app('d', { choices: [] })] });
    expect(r).toEqual({ assignments: [{ applicant: 'a', facility: 'f1' }, { applicant: 'b', facility: 'f1' }], unassigned: ['c', 'd'] });
    expect(run({ facilities: [], applicants: [] })).toEqual({ assignments: [], unassigned: [] });
  });

  it.each([
    ['unknown facility in choices', { ...EXAMPLE, applicants: [app('a', { choices: ['f9'] })] }],
    ['duplicate applicant ids', { ...EXAMPLE, applicants: [app('a', { choices: ['f1'] }), app('a', { choices: ['f2'] })] }],
    ['duplicate facility ids', { ...EXAMPLE, facilities: [...EXAMPLE.facilities, { id: 'f1', district: 'x', capacity: 1 }] }],
    ['negative capacity', { ...EXAMPLE, facilities: [{ id: 'f1', district: 'x', capacity: -1 }, { id: 'f2', district: 'x', capacity: 1 }] }],
    ['fractional capacity', { ...EXAMPLE, facilities: [{ id: 'f1', district: 'x', capacity: 1.5 }, { id: 'f2', district: 'x', capacity: 1 }] }],
    ['bad appliedAt', { ...EXAMPLE, applicants: [app('a', { appliedAt: '2024-02-30T08:00:00+08:00' })] }],
    ['tier not a number', { ...EXAMPLE, applicants: [app('a', { tier: '1' })] }],
    ['missing applicants', { facilities: [] }],
  ])('%s → exit 2 with a message on stderr, nothing on stdout', (_, input) => {
    const r = allocateText(JSON.stringify(input));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^错误：/);
  });
  it.each([[''], ['{'], ['[]']])('unreadable input %j → exit 2', (text) => {
    expect(allocateText(text)).toMatchObject({ code: 2, stdout: '' });
  });

  it('property: stable, within capacity and choices, independent of input order', () => {
    const arb = fc
      .record({ nf: fc.integer({ min: 1, max: 4 }), na: fc.integer({ min: 0, max: 12 }) })
      .chain(({ nf, na }) =>
        fc.record({
          facilities: fc.tuple(...Array.from({ length: nf }, (_, i) => fc.record({ id: fc.constant(`f${i}`), district: fc.constantFrom('d1', 'd2'), capacity: fc.integer({ min: 0, max: 3 }) }))),
          applicants: fc.tuple(
            ...Array.from({ length: na }, (_, i) =>
              fc.record({
                id: fc.constant<string>(`a${i}`),
                district: fc.constantFrom('d1', 'd2'),
                tier: fc.integer({ min: 1, max: 3 }),
                appliedAt: fc.integer({ min: 1, max: 28 }).map((d) => `2024-03-${String(d).padStart(2, '0')}T09:00:00+08:00`),
                choices: fc.shuffledSubarray(Array.from({ length: nf }, (_, k) => `f${k}`)),
              }),
            ),
          ),
        }),
      );
    fc.assert(
      fc.property(arb, fc.integer(), (input, seed) => {
        const { facilities, applicants } = readAllocationInput(input);
        const r = allocate(facilities, applicants);
        const at = new Map(r.assignments.map((x) => [x.applicant, x.facility]));
        const fac = new Map<string, Facility>(facilities.map((f) => [f.id, f]));
        const byFacility = new Map<string, Applicant[]>();
        for (const a of applicants) {
          const f = at.get(a.id);
          if (!f) continue;
          expect(a.choices).toContain(f);
          byFacility.set(f, [...(byFacility.get(f) ?? []), a]);
        }
        for (const [f, list] of byFacility) expect(list.length).toBeLessThanOrEqual(fac.get(f)!.capacity);
        // No blocking pair: an applicant preferring f over their match, while f has room or holds someone it ranks lower.
        for (const a of applicants) {
          const mine = at.get(a.id);
          const better = mine === undefined ? a.choices : a.choices.slice(0, a.choices.indexOf(mine));
          for (const fid of better) {
            const f = fac.get(fid)!;
            const holders = byFacility.get(fid) ?? [];
            expect(holders.length < f.capacity || holders.some((h) => ranksBefore(f, a, h))).toBe(false);
          }
        }
        // Same result for the input in another order.
        const shuffled = [...input.applicants].sort(() => ((seed = (seed * 1103515245 + 12345) | 0) & 1 ? 1 : -1));
        const again = readAllocationInput({ facilities: input.facilities, applicants: shuffled });
        expect(allocate(again.facilities, again.applicants)).toEqual(r);
      }),
      { numRuns: 300 },
    );
  });
});

// ---- the priority rule, and the fast version against the reference ----

const KEYS: PriorityKey[] = ['tier', 'points', 'local', 'appliedAt', 'id'];
const ruleArb: fc.Arbitrary<PriorityRule> = fc.oneof(fc.constant(DEFAULT_RULE), fc.shuffledSubarray(KEYS).map((order) => ({ order })));

/** A small random city: up to 8 facilities (capacity 0–3), up to 30 applicants with ties in tier, time, points and district. */
const cityArb = fc
  .record({ nf: fc.integer({ min: 0, max: 8 }), na: fc.integer({ min: 0, max: 30 }) })
  .chain(({ nf, na }) => {
    const fids = Array.from({ length: nf }, (_, i) => `f${i}`);
    const choices: fc.Arbitrary<string[]> = nf === 0 ? fc.constant([]) : fc.oneof(fc.shuffledSubarray(fids), fc.shuffledSubarray(fids, { maxLength: Math.min(3, nf) }), fc.array(fc.constantFrom(...fids), { maxLength: 5 }));
    return fc.record({
      fids: fc.constant(fids),
      facilities: fc.tuple(...fids.map((id) => fc.record({ id: fc.constant(id), district: fc.constantFrom('d1', 'd2', 'd3'), capacity: fc.integer({ min: 0, max: 3 }) }))),
      applicants: fc.tuple(
        ...Array.from({ length: na }, (_, i) =>
          fc.record({
            id: fc.constant<string>(`a${i}`),
            district: fc.constantFrom('d1', 'd2', 'd3'),
            tier: fc.integer({ min: 1, max: 3 }),
            points: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
            appliedAt: fc.integer({ min: 0, max: 4 }).map((d) => Date.UTC(2024, 0, 1 + d)),
            choices,
          }),
        ),
      ),
    });
  });

const shuffle = <T>(xs: readonly T[], seed: number): T[] => {
  const out = [...xs];
  let s = seed | 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    const j = (s >>> 8) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

/** Blocking pairs, plainly: `a` lists `f` before what they got (or got nothing), and `f` has a free place or holds someone it ranks after `a`. */
function blockingPairs(facilities: readonly Facility[], applicants: readonly Applicant[], r: AllocationResult, rule: PriorityRule): string[] {
  const at = new Map(r.assignments.map((x) => [x.applicant, x.facility]));
  const out: string[] = [];
  for (const a of applicants) {
    const mine = at.get(a.id);
    const better = mine === undefined ? a.choices : a.choices.slice(0, a.choices.indexOf(mine));
    for (const f of facilities) {
      if (!better.includes(f.id)) continue;
      const holders = applicants.filter((h) => at.get(h.id) === f.id);
      if (holders.length < Math.max(0, f.capacity) || holders.some((h) => ranksBefore(f, a, h, rule))) out.push(`${a.id}→${f.id}`);
    }
  }
  return out;
}

describe('allocate with a priority rule', () => {
  it('DEFAULT_RULE is the contract order; ranksBefore defaults to it', () => {
    expect(DEFAULT_RULE.order).toEqual(['tier', 'local', 'appliedAt', 'id']);
    const f = { id: 'f', district: 'd1', capacity: 1 };
    const a: Applicant = { id: 'b', district: 'd1', tier: 2, appliedAt: 0, choices: ['f'] };
    const b: Applicant = { id: 'a', district: 'd2', tier: 2, appliedAt: 0, choices: ['f'], points: 9 };
    expect(ranksBefore(f, a, b)).toBe(true); // local first
    expect(ranksBefore(f, b, a, { order: ['points', 'local'] })).toBe(true); // more points first
    expect(ranksBefore(f, b, a, { order: [] })).toBe(true); // only id: 'a' < 'b'
    expect(ranksBefore(f, a, b, { order: ['appliedAt'] })).toBe(false); // then id
  });

  it('the rule as applied: each key once, ending with id (keys after id never decide)', () => {
    expect(ruleKeys({ order: ['local', 'local', 'tier'] })).toEqual(['local', 'tier', 'id']);
    expect(ruleKeys({ order: ['points', 'id', 'tier'] })).toEqual(['points', 'id']);
    expect(ruleKeys({ order: [] })).toEqual(['id']);
    expect(ruleKeys(DEFAULT_RULE)).toBe(ruleKeys(DEFAULT_RULE)); // remembered
  });

  it('points: higher first, absent is 0; id is the last tie-break even when omitted', () => {
    const f: Facility[] = [{ id: 'f1', district: 'd1', capacity: 1 }];
    const apps: Applicant[] = [
      { id: 'a', district: 'd1', tier: 1, appliedAt: 0, choices: ['f1'] },
      { id: 'b', district: 'd2', tier: 1, appliedAt: 5, choices: ['f1'], points: 3 },
      { id: 'c', district: 'd2', tier: 1, appliedAt: 5, choices: ['f1'], points: -1 },
    ];
    expect(allocate(f, apps, { order: ['tier', 'points', 'local'] }).assignments).toEqual([{ applicant: 'b', facility: 'f1' }]);
    expect(allocate(f, apps, { order: ['tier', 'local', 'points'] }).assignments).toEqual([{ applicant: 'a', facility: 'f1' }]);
    expect(allocate(f, apps, { order: ['appliedAt'] }).assignments).toEqual([{ applicant: 'a', facility: 'f1' }]);
    expect(allocate(f, apps.slice(1), { order: ['appliedAt'] }).assignments).toEqual([{ applicant: 'b', facility: 'f1' }]);
    expect(allocate(f, apps, { order: ['id', 'points'] })).toEqual({ assignments: [{ applicant: 'a', facility: 'f1' }], unassigned: ['b', 'c'] });
  });

  it('an unknown key in the rule, or an unknown facility among the choices, is an input error', () => {
    const f: Facility[] = [{ id: 'f1', district: 'd1', capacity: 1 }];
    const a: Applicant[] = [{ id: 'a', district: 'd1', tier: 1, appliedAt: 0, choices: ['f9'] }];
    expect(() => allocate(f, [], { order: ['age' as PriorityKey] })).toThrow(AllocationInputError);
    expect(() => allocate(f, a)).toThrow(AllocationInputError);
    expect(() => allocateReference(f, a)).toThrow(AllocationInputError);
  });

  it('property: allocate equals allocateReference for any rule, and is stable', () => {
    fc.assert(
      fc.property(cityArb, ruleArb, ({ facilities, applicants }, rule) => {
        const r = allocate(facilities, applicants, rule);
        expect(r).toEqual(allocateReference(facilities, applicants, rule));
        expect(checkFairness(facilities, applicants, r, rule)).toMatchObject({ ok: true, violations: [] });
        expect(blockingPairs(facilities, applicants, r, rule)).toEqual([]);
      }),
      { numRuns: 600 },
    );
  });

  it('property: the same result whatever order applicants and facilities come in', () => {
    fc.assert(
      fc.property(cityArb, ruleArb, fc.integer(), fc.integer(), ({ facilities, applicants }, rule, s1, s2) => {
        const r = allocate(facilities, applicants, rule);
        expect(allocate(shuffle(facilities, s1), shuffle(applicants, s2), rule)).toEqual(r);
        expect(allocateReference(shuffle(facilities, s2), shuffle(applicants, s1), rule)).toEqual(r);
      }),
      { numRuns: 300 },
    );
  });

  it('property: strategy-proof — no other choice list gets an applicant a facility they truly prefer', () => {
    const arb = cityArb.chain((city) =>
      fc.record({ city: fc.constant(city), rule: ruleArb, who: fc.nat(), lies: fc.array(fc.oneof(fc.shuffledSubarray(city.fids), fc.shuffledSubarray(city.fids, { minLength: city.fids.length })), { minLength: 1, maxLength: 4 }) }),
    );
    fc.assert(
      fc.property(arb, ({ city: { facilities, applicants }, rule, who, lies }) => {
        fc.pre(applicants.length > 0);
        const me = applicants[who % applicants.length]!;
        const truthRank = (fid: string | undefined) => {
          const k = fid === undefined ? -1 : me.choices.indexOf(fid);
          return k < 0 ? Infinity : k; // unlisted facilities are no better than nothing
        };
        const got = (r: AllocationResult) => r.assignments.find((x) => x.applicant === me.id)?.facility;
        const honest = truthRank(got(allocate(facilities, applicants, rule)));
        for (const lie of lies) {
          const r = allocate(facilities, applicants.map((a) => (a === me ? { ...a, choices: lie } : a)), rule);
          expect(truthRank(got(r))).toBeGreaterThanOrEqual(honest);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a larger random case: 2,000 applicants, 60 facilities, equal to the reference and fair', () => {
    let s = 42;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) | 0) >>> 0) / 2 ** 32;
    const facilities: Facility[] = Array.from({ length: 60 }, (_, i) => ({ id: `F${i}`, district: `d${i % 5}`, capacity: Math.floor(rnd() * 12) }));
    const applicants: Applicant[] = Array.from({ length: 2000 }, (_, i) => ({
      id: `A${(i * 7919) % 2000}`, district: `d${Math.floor(rnd() * 5)}`, tier: 1 + Math.floor(rnd() * 3), points: Math.floor(rnd() * 4), appliedAt: Math.floor(rnd() * 50),
      choices: [...new Set(Array.from({ length: 5 }, () => `F${Math.floor(rnd() ** 2 * 60)}`))],
    }));
    for (const rule of [DEFAULT_RULE, { order: ['local', 'points', 'tier'] as PriorityKey[] }, { order: ['points'] as PriorityKey[] }]) {
      const r = allocate(facilities, applicants, rule);
      expect(r).toEqual(allocateReference(facilities, applicants, rule));
      expect(checkFairness(facilities, applicants, r, rule).ok).toBe(true);
      expect(r.assignments.length).toBeGreaterThan(0);
      expect(r.unassigned.length).toBeGreaterThan(0);
    }
  });
});
