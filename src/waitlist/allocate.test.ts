// Allocation by deferred acceptance: the contract's worked example, the tie-breaks the issue
// names, bad input, and properties — the matching is stable (no applicant and facility would both
// rather have each other), respects capacities and choices, and does not depend on input order.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateText } from '../cli/allocate.ts';
import { allocate, ranksBefore, readAllocationInput, type Applicant, type Facility } from './index.ts';

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
                id: fc.constant(`a${i}`),
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
