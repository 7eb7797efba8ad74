// The payment run's rules: this month, arrears for months found owed late, recoveries for months
// paid but not owed, the band rule for the month of a birthday, the death month, the lookback —
// and the property that running twice pays once.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalDate } from '../core/dates.ts';
import { createEngine, loadParameters, type Engine, type PersonFacts } from './index.ts';
import { addMonth, linesFor, totalsOf, type Month, type PayPerson, type RunRules } from './payments.ts';

let engine: Engine;
beforeAll(async () => {
  engine = createEngine(await loadParameters(), { rootCode: '310000' });
});

const D = (s: string) => s as LocalDate;
const M = (s: string) => s as Month;
const facts = (over: Partial<PersonFacts> = {}): PersonFacts => ({
  birthDate: D('1950-06-15'), hukouDistrict: '310115', insurance: 'employee', careGrade: null, careGradeValidUntil: null, economic: 'none', deathDate: null, ...over,
});
const person = (over: Partial<PayPerson> = {}, f: Partial<PersonFacts> = {}): PayPerson => ({
  personId: 'p', facts: facts(f), appliedOn: null, grantedFrom: D('2025-01-01'), stoppedOn: null, paid: new Map(), ...over,
});
const RULES: RunRules = { bandStart: 'month_after_birthday', paidForDeathMonth: true, lookbackMonths: 24 };
const brief = (ls: ReturnType<typeof linesFor>) => ls.map((l) => `${l.forMonth} ${l.kind} ${l.amountFen}`);

describe('payment run lines', () => {
  it('this month only, when earlier months are paid', () => {
    const p = person({ paid: new Map([['2025-01', 15000], ['2025-02', 15000]]) });
    expect(brief(linesFor(engine, p, M('2025-03'), RULES))).toEqual(['2025-03 regular 15000']);
  });

  it('running twice pays once: a month paid is not paid again', () => {
    const p = person({ paid: new Map([['2025-01', 15000], ['2025-02', 15000], ['2025-03', 15000]]) });
    expect(linesFor(engine, p, M('2025-03'), RULES)).toEqual([]);
  });

  it('arrears (补发) for months owed since the application, paid late', () => {
    const p = person({ appliedOn: D('2025-01-20'), grantedFrom: D('2025-04-02') });
    expect(brief(linesFor(engine, p, M('2025-04'), RULES))).toEqual(['2025-01 arrears 15000', '2025-02 arrears 15000', '2025-03 arrears 15000', '2025-04 regular 15000']);
  });

  it('the month of the 80th birthday: the new band from the next month, or from the birthday month', () => {
    const p = person({ grantedFrom: D('2030-05-01') }, { birthDate: D('1950-06-15') });
    expect(brief(linesFor(engine, p, M('2030-06'), RULES))).toEqual(['2030-05 arrears 15000', '2030-06 regular 15000']);
    expect(brief(linesFor(engine, p, M('2030-07'), RULES)).at(-1)).toBe('2030-07 regular 18000');
    expect(brief(linesFor(engine, p, M('2030-06'), { ...RULES, bandStart: 'birthday_month' })).at(-1)).toBe('2030-06 regular 18000');
  });

  it('turning 65 in the middle of a month: the allowance starts the next month', () => {
    const p = person({ grantedFrom: D('2025-03-01') }, { birthDate: D('1960-03-10') });
    expect(brief(linesFor(engine, p, M('2025-04'), RULES))).toEqual(['2025-04 regular 7500']);
  });

  it('a death reported late: months after the death month are recovered (追回); the death month is paid when the rule says so', () => {
    const paid = new Map([['2025-01', 15000], ['2025-02', 15000], ['2025-03', 15000], ['2025-04', 15000]]);
    const p = person({ paid }, { deathDate: D('2025-02-10') });
    const lines = linesFor(engine, p, M('2025-05'), RULES);
    expect(brief(lines)).toEqual(['2025-03 recovery -15000', '2025-04 recovery -15000']);
    expect(lines[0]!.reason).toMatch(/已于 2025-02-10 去世/);
    expect(brief(linesFor(engine, p, M('2025-05'), { ...RULES, paidForDeathMonth: false }))).toEqual(['2025-02 recovery -15000', '2025-03 recovery -15000', '2025-04 recovery -15000']);
    expect(totalsOf(lines)).toMatchObject({ people: 1, regularFen: 0, arrearsFen: 0, recoveryFen: -30000, netFen: -30000 });
  });

  it('a stopped grant is not paid after the stop; arrears look back at most the lookback', () => {
    expect(linesFor(engine, person({ stoppedOn: D('2025-02-28'), paid: new Map([['2025-01', 15000], ['2025-02', 15000]]) }), M('2025-03'), RULES)).toEqual([]);
    const old = person({ grantedFrom: D('2020-01-01') });
    const lines = linesFor(engine, old, M('2025-03'), { ...RULES, lookbackMonths: 3 });
    expect(brief(lines)).toEqual(['2024-12 arrears 15000', '2025-01 arrears 15000', '2025-02 arrears 15000', '2025-03 regular 15000']);
  });

  it('no Shanghai hukou: nothing owed', () => {
    expect(linesFor(engine, person({}, { hukouDistrict: '330604' }), M('2025-03'), RULES)).toEqual([]);
  });

  it('property: after a run is paid, the same run again has no lines; net paid never goes negative for a month', () => {
    const dateArb = (min: string, max: string) => fc.date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10) as LocalDate);
    fc.assert(
      fc.property(
        dateArb('1930-01-01', '1962-12-31'),
        fc.option(dateArb('2024-01-01', '2026-12-31'), { nil: null }),
        dateArb('2024-01-01', '2026-06-30'),
        fc.integer({ min: 0, max: 18 }),
        fc.constantFrom<RunRules['bandStart']>('birthday_month', 'month_after_birthday'),
        fc.boolean(),
        (birth, death, granted, ahead, bandStart, paidForDeathMonth) => {
          const rules: RunRules = { bandStart, paidForDeathMonth, lookbackMonths: 24 };
          const paid = new Map<string, number>();
          const p = { ...person({ grantedFrom: granted, paid }, { birthDate: birth, deathDate: death }) };
          let run = granted.slice(0, 7) as Month;
          for (let i = 0; i <= ahead; i++, run = addMonth(run, 1)) {
            for (const l of linesFor(engine, p, run, rules)) paid.set(l.forMonth, (paid.get(l.forMonth) ?? 0) + l.amountFen);
            expect(linesFor(engine, p, run, rules)).toEqual([]);
          }
          for (const v of paid.values()) expect(v).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
