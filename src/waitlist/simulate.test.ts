// The what-if replay against a plain implementation on random inputs, and the effect of a rule
// change on a small case worked by hand.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ranksBefore, type Applicant, type PriorityRule } from './allocate.ts';
import { replayVacancies, waitStats, type SimFacility, type SimVacancy } from './simulate.ts';

const DAY = 86_400_000;

/**
 * Plainly: events in time order (arrivals before a vacancy at the same instant); an arrival takes
 * the first chosen facility with a free bed; a vacancy goes to the best-ranked waiting applicant
 * who chose it (scanning everyone), else the bed stays free.
 */
function plain(facilities: readonly SimFacility[], applicants: readonly Applicant[], vacancies: readonly SimVacancy[], rule: PriorityRule) {
  const placed = new Map<string, { facility: string; at: number }>();
  const free = new Map(facilities.map((f) => [f.id, 0]));
  const arrived = new Set<string>();
  const byTime = [...applicants].sort((a, b) => a.appliedAt - b.appliedAt || (a.id < b.id ? -1 : 1));
  const arrive = (t: number) => {
    for (const a of byTime) {
      if (arrived.has(a.id) || a.appliedAt > t) continue;
      arrived.add(a.id);
      const open = a.choices.find((c) => (free.get(c) ?? 0) > 0);
      if (open) {
        free.set(open, free.get(open)! - 1);
        placed.set(a.id, { facility: open, at: a.appliedAt });
      }
    }
  };
  for (const v of [...vacancies].sort((a, b) => a.at - b.at || (a.facilityId < b.facilityId ? -1 : a.facilityId > b.facilityId ? 1 : 0))) {
    arrive(v.at);
    const f = facilities.find((x) => x.id === v.facilityId);
    if (!f) continue;
    let best: Applicant | null = null;
    for (const a of applicants) {
      if (!arrived.has(a.id) || placed.has(a.id) || !a.choices.includes(f.id)) continue;
      if (!best || ranksBefore({ ...f, capacity: 1 }, a, best, rule)) best = a;
    }
    if (best) placed.set(best.id, { facility: f.id, at: v.at });
    else free.set(f.id, free.get(f.id)! + 1);
  }
  arrive(Number.POSITIVE_INFINITY);
  return applicants.map((a) => ({ applicant: a.id, facility: placed.get(a.id)?.facility ?? null, placedAt: placed.get(a.id)?.at ?? null }));
}

const facilities: SimFacility[] = [{ id: 'f1', district: 'A' }, { id: 'f2', district: 'B' }, { id: 'f3', district: 'A' }];
const arbApplicant = (i: number) =>
  fc.record({
    district: fc.constantFrom('A', 'B'), tier: fc.integer({ min: 1, max: 3 }), points: fc.integer({ min: 0, max: 2 }), day: fc.integer({ min: 0, max: 30 }),
    choices: fc.uniqueArray(fc.constantFrom('f1', 'f2', 'f3'), { maxLength: 3 }),
  }).map((r): Applicant => ({ id: `a${String(i).padStart(2, '0')}`, district: r.district, tier: r.tier, points: r.points, appliedAt: r.day * DAY, choices: r.choices }));
const arbRule = fc.shuffledSubarray(['tier', 'points', 'local', 'appliedAt', 'id'] as const, { minLength: 1 }).map((order): PriorityRule => ({ order }));

describe('replayVacancies', () => {
  it('gives the same outcome as scanning every applicant at every vacancy', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 25 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbApplicant(i)))),
      fc.array(fc.record({ facilityId: fc.constantFrom('f1', 'f2', 'f3', 'gone'), day: fc.integer({ min: 0, max: 40 }) }), { maxLength: 30 }),
      arbRule,
      (applicants, vs, rule) => {
        const vacancies = vs.map((v) => ({ facilityId: v.facilityId, at: v.day * DAY + 1 }));
        expect(replayVacancies(facilities, applicants, vacancies, rule)).toEqual(plain(facilities, applicants, vacancies, rule));
      },
    ), { numRuns: 300 });
  });

  it('more weight to points moves a lower-tier applicant who lives alone ahead, and the waits say so', () => {
    const people: Applicant[] = [
      { id: 'early', district: 'A', tier: 2, appliedAt: 0, choices: ['f1'], points: 0 },
      { id: 'alone', district: 'A', tier: 2, appliedAt: 10 * DAY, choices: ['f1'], points: 1 },
    ];
    const vacancies = [{ facilityId: 'f1', at: 20 * DAY }, { facilityId: 'f1', at: 50 * DAY }];
    const base = replayVacancies(facilities, people, vacancies, { order: ['tier', 'local', 'appliedAt', 'id'] });
    const variant = replayVacancies(facilities, people, vacancies, { order: ['tier', 'points', 'local', 'appliedAt', 'id'] });
    expect(base.map((o) => o.placedAt)).toEqual([20 * DAY, 50 * DAY]);
    expect(variant.map((o) => o.placedAt)).toEqual([50 * DAY, 20 * DAY]);
    expect(waitStats(people, variant, (a) => a.id)).toEqual([
      { key: 'alone', applicants: 1, placed: 1, medianWaitDays: 10, stillWaiting: 0 },
      { key: 'early', applicants: 1, placed: 1, medianWaitDays: 50, stillWaiting: 0 },
    ]);
  });

  it('a bed nobody waits for stays free for the next who chooses it; an unknown facility places nobody', () => {
    const late: Applicant[] = [{ id: 'late', district: 'A', tier: 1, appliedAt: 30 * DAY, choices: ['f2', 'f1'] }];
    expect(replayVacancies(facilities, late, [{ facilityId: 'f1', at: 10 * DAY }], { order: ['tier'] })[0]).toEqual({ applicant: 'late', facility: 'f1', placedAt: 30 * DAY });
    expect(replayVacancies(facilities, late, [{ facilityId: 'x', at: 10 * DAY }], { order: ['tier'] })[0]).toEqual({ applicant: 'late', facility: null, placedAt: null });
  });
});
