// The entitlement rules: the contract's worked examples, the edges the issue names, a differential
// test against an independent hand-written computation, and properties (no one loses an allowance
// by getting older within a band; the dead get nothing; every refusal says why and what would
// change it; every parameter used is cited).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, type LocalDate } from '../core/index.ts';
import { handEntitle, type HandResult } from '../../test/rules/entitlements/hand.ts';
import { createEngine, entitleLine, loadParameters, readFacts, type Engine, type PersonFacts } from './index.ts';

const examples = JSON.parse(readFileSync(new URL('../../test/rules/entitlements/examples.json', import.meta.url), 'utf8')) as {
  asOf: string;
  cases: { input: string; output: Record<string, unknown> }[];
};

let engine: Engine;
beforeAll(async () => {
  engine = createEngine(await loadParameters(), { rootCode: '310000' });
});

const D = (s: string) => s as LocalDate;
const person = (over: Partial<PersonFacts> = {}): PersonFacts => ({
  birthDate: D('1950-03-02'),
  hukouDistrict: '310115',
  insurance: 'employee',
  careGrade: null,
  careGradeValidUntil: null,
  economic: 'none',
  deathDate: null,
  ...over,
});
const line = (asOf: string, x: Record<string, unknown>) => JSON.parse(entitleLine(engine, D(asOf), JSON.stringify({ id: 'x', hukouDistrict: '310115', insurance: 'employee', ...x }), 1).line) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('yiyang entitle contract (EXAMPLES.md p1–p5)', () => {
  for (const c of examples.cases) {
    const id = (c.output as { id: string }).id;
    it(`${id}`, () => {
      const out = JSON.parse(entitleLine(engine, D(examples.asOf), c.input, 1).line) as Record<string, unknown>;
      for (const [k, v] of Object.entries(c.output)) expect(out[k], k).toEqual(v);
      if (!('error' in c.output)) {
        expect(out).toHaveProperty('basicBed');
        expect(Array.isArray(out.explanation)).toBe(true);
      } else {
        expect(Object.keys(out)).toEqual(['id', 'error']);
      }
    });
  }
});

describe('ages and allowance bands (周岁 on the as-of date)', () => {
  it.each([
    ['1960-03-01', '2025-03-01', 65, '65-69', 7500],
    ['1960-03-02', '2025-03-01', 64, null, 0],
    ['1955-03-01', '2025-02-28', 69, '65-69', 7500],
    ['1955-03-01', '2025-03-01', 70, '70-79', 15000],
    ['1945-06-30', '2025-06-30', 80, '80-89', 18000],
    ['1935-06-30', '2025-06-29', 89, '80-89', 18000],
    ['1935-06-30', '2025-06-30', 90, '90-99', 35000],
    ['1925-06-30', '2025-06-30', 100, '100+', 60000],
    ['1915-01-01', '2025-06-30', 110, '100+', 60000],
    // 29 February: the birthday is 28 February in a common year (domain identity-and-regions.md §1.1 rule 5).
    ['1960-02-29', '2025-02-28', 65, '65-69', 7500],
    ['1960-02-29', '2025-02-27', 64, null, 0],
    ['1960-02-29', '2028-02-28', 67, '65-69', 7500],
  ])('born %s, as of %s: %i years, band %s', (birthDate, asOf, age, band, fen) => {
    const r = line(asOf, { birthDate, hukouDistrict: '310104' });
    expect(r.age).toBe(age);
    expect(r.allowance).toEqual({ eligible: band !== null, band, monthlyFen: fen });
  });

  it.each(['310101', '310115', '310151', '310103', '310108', '310119', '310230', '310000', '310115005', '310115005001'])('hukou %s is Shanghai hukou', (hukouDistrict) => {
    expect(line('2025-03-01', { birthDate: '1950-01-01', hukouDistrict }).allowance.eligible).toBe(true);
  });

  it.each([['330604'], ['110101'], [null]])('hukou %s is not Shanghai hukou: no allowance, reason given', (hukouDistrict) => {
    const r = line('2025-03-01', { birthDate: '1950-01-01', hukouDistrict });
    expect(r.allowance).toEqual({ eligible: false, band: null, monthlyFen: 0 });
    const step = (r.explanation as { scheme: string; check: string; passed: boolean; reason: string }[]).find((s) => s.scheme === 'allowance' && !s.passed);
    expect(step?.check).toBe('hukou');
  });

  it('before the allowance existed (2016-05-01) nobody has it, and the explanation says so', () => {
    const r = line('2016-04-30', { birthDate: '1930-01-01' });
    expect(r.allowance.eligible).toBe(false);
    expect(r.explanation[0]).toMatchObject({ scheme: 'allowance', check: 'inForce', passed: false });
    expect(line('2016-05-01', { birthDate: '1930-01-01' }).allowance.eligible).toBe(true);
  });
});

describe('long-term care insurance', () => {
  it.each([
    [2, 3],
    [3, 3],
    [4, 5],
    [5, 7],
    [6, 7],
  ])('grade %i → %i hours a week', (careGrade, hours) => {
    expect(line('2025-03-01', { birthDate: '1950-01-01', careGrade, careGradeValidUntil: '2026-01-01' }).ltci).toEqual({ eligible: true, homeCareHoursPerWeek: hours });
  });

  it.each([
    ['grade 1', { careGrade: 1, careGradeValidUntil: '2026-01-01' }],
    ['grade 0', { careGrade: 0, careGradeValidUntil: '2026-01-01' }],
    ['no grade', { careGrade: null }],
    ['grade expired the day before', { careGrade: 4, careGradeValidUntil: '2025-02-28' }],
    ['grade without a validity date', { careGrade: 4, careGradeValidUntil: null }],
    ['no insurance', { careGrade: 4, careGradeValidUntil: '2026-01-01', insurance: null }],
    ['insurance "none"', { careGrade: 4, careGradeValidUntil: '2026-01-01', insurance: 'none' }],
    ['aged 59', { careGrade: 4, careGradeValidUntil: '2026-01-01', birthDate: '1965-03-02' }],
    ['died on the as-of date', { careGrade: 4, careGradeValidUntil: '2026-01-01', deathDate: '2025-03-01' }],
  ])('not eligible: %s', (_, over) => {
    const r = line('2025-03-01', { birthDate: '1950-01-01', ...over });
    expect(r.ltci).toEqual({ eligible: false, homeCareHoursPerWeek: 0 });
  });

  it('valid through careGradeValidUntil inclusive; 60 on the as-of date is enough; no hukou needed', () => {
    expect(line('2025-03-01', { birthDate: '1965-03-01', hukouDistrict: '330604', insurance: 'resident', careGrade: 2, careGradeValidUntil: '2025-03-01' }).ltci).toEqual({
      eligible: true,
      homeCareHoursPerWeek: 3,
    });
  });

  it('death after the as-of date does not matter yet', () => {
    expect(line('2025-03-01', { birthDate: '1950-01-01', careGrade: 3, careGradeValidUntil: '2026-01-01', deathDate: '2025-03-02' }).ltci.eligible).toBe(true);
  });

  it('the institutional daily limit follows its dated rows (raised on 2025-09-01)', () => {
    const f = person({ careGrade: 4, careGradeValidUntil: D('2027-01-01') });
    expect(engine.evaluate(f, D('2025-08-31')).ltci.institutionDailyLimitFen).toBe(2500);
    expect(engine.evaluate(f, D('2025-09-01')).ltci.institutionDailyLimitFen).toBe(3500);
  });
});

describe('service subsidy, basic beds, visiting flags', () => {
  it('subsidy by grade and economic status; falls at higher grades', () => {
    const s = (careGrade: number, economic: string) => line('2025-03-01', { birthDate: '1950-01-01', careGrade, careGradeValidUntil: '2026-01-01', economic }).serviceSubsidy;
    expect(s(1, 'dibao')).toEqual({ eligible: true, monthlyFen: 111000 });
    expect(s(3, 'low_income')).toEqual({ eligible: true, monthlyFen: 74000 });
    expect(s(6, 'dibao')).toEqual({ eligible: true, monthlyFen: 74000 });
    expect(s(3, 'none')).toEqual({ eligible: false, monthlyFen: 0 });
    expect(s(0, 'dibao')).toEqual({ eligible: false, monthlyFen: 0 });
  });

  it('bed priority tiers: 特困 first whatever the grade; 低保 with grade 4; 高龄独居; others at grade 4', () => {
    const bed = (x: Record<string, unknown>) => line('2025-03-01', { birthDate: '1940-01-01', ...x }).basicBed;
    expect(bed({ economic: 'tekun' })).toEqual({ eligible: true, tier: 1 });
    expect(bed({ economic: 'dibao', careGrade: 4, careGradeValidUntil: '2026-01-01' })).toEqual({ eligible: true, tier: 2 });
    expect(bed({ livingArrangement: 'alone' })).toEqual({ eligible: true, tier: 2 });
    expect(bed({ preferentialCare: true })).toEqual({ eligible: true, tier: 2 });
    expect(bed({ careGrade: 5, careGradeValidUntil: '2026-01-01' })).toEqual({ eligible: true, tier: 3 });
    expect(bed({ careGrade: 3, careGradeValidUntil: '2026-01-01' })).toEqual({ eligible: false, tier: null });
    expect(bed({ careGrade: 5, careGradeValidUntil: '2026-01-01', hukouDistrict: '330604' })).toEqual({ eligible: false, tier: null });
  });

  it('a refused bed says what would change it', () => {
    const r = line('2025-03-01', { birthDate: '1950-01-01', careGrade: 3, careGradeValidUntil: '2026-01-01' });
    const step = (r.explanation as { scheme: string; check: string; hint?: string }[]).find((s) => s.scheme === 'basicBed' && s.check === 'grade');
    expect(step?.hint).toMatch(/照护等级达到 4 级/);
  });

  it('visiting flags', () => {
    expect(line('2025-03-01', { birthDate: '1940-01-01', livingArrangement: 'alone' }).visiting).toEqual({ livingAlone: true, advancedAge: true, elderlyOnly: false });
    expect(line('2025-03-01', { birthDate: '1950-01-01', livingArrangement: 'elderly_only' }).visiting).toEqual({ livingAlone: false, advancedAge: false, elderlyOnly: true });
  });
});

describe('invalid lines', () => {
  const asOf = D('2025-03-01');
  const base = { birthDate: '1950-01-01', hukouDistrict: '310101', insurance: null, careGrade: null, careGradeValidUntil: null, economic: 'none', deathDate: null };
  it.each([
    ['invalid_birth_date', { birthDate: '1950-13-01' }],
    ['invalid_birth_date', { birthDate: '1950/01/01' }],
    ['invalid_birth_date', { birthDate: 19500101 }],
    ['invalid_birth_date', { birthDate: undefined }],
    ['invalid_birth_date', { birthDate: '2025-03-02' }],
    ['invalid_hukou_district', { hukouDistrict: '31' }],
    ['invalid_hukou_district', { hukouDistrict: 310101 }],
    ['invalid_insurance', { insurance: 'commercial' }],
    ['invalid_care_grade', { careGrade: 7 }],
    ['invalid_care_grade', { careGrade: -1 }],
    ['invalid_care_grade', { careGrade: 2.5 }],
    ['invalid_care_grade', { careGrade: '3' }],
    ['invalid_care_grade_valid_until', { careGrade: 3, careGradeValidUntil: '2026-02-30' }],
    ['invalid_economic', { economic: 'rich' }],
    ['invalid_death_date', { deathDate: '2025-02-30' }],
    ['invalid_death_date', { deathDate: '1949-12-31' }],
    ['invalid_living_arrangement', { livingArrangement: 'boat' }],
  ])('%s: %j', (code, over) => {
    const out = JSON.parse(entitleLine(engine, asOf, JSON.stringify({ id: 7, ...base, ...over }), 1).line) as { id: unknown; error: { code: string; message: string } };
    expect(out.id).toBe(7);
    expect(out.error.code).toBe(code);
    expect(out.error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it.each([
    ['', 'invalid_json'],
    ['{"id":', 'invalid_json'],
    ['[1,2]', 'invalid_line'],
    ['{"birthDate":"1950-01-01"}', 'missing_id'],
    ['{"id":"","birthDate":"1950-01-01"}', 'missing_id'],
  ])('%j → %s with id null', (text, code) => {
    const r = entitleLine(engine, asOf, text, 3);
    expect(r.ok).toBe(false);
    expect(JSON.parse(r.line)).toMatchObject({ id: null, error: { code } });
  });

  it('absent optional fields default: economic none, insurance none, no grade', () => {
    expect(line('2025-03-01', { birthDate: '1950-01-01', hukouDistrict: '310101' }).allowance.eligible).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Differential and property tests

const dateArb = (min: string, max: string) =>
  fc.date({ min: new Date(`${min}T00:00:00Z`), max: new Date(`${max}T00:00:00Z`), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10) as LocalDate);
const HUKOU = ['310101', '310104', '310115', '310108', '310230', '330604', '110101', null] as const;
const factsArb = fc.record({
  birthDate: dateArb('1915-01-01', '1975-12-31'),
  hukouDistrict: fc.constantFrom(...HUKOU),
  insurance: fc.constantFrom('employee', 'resident', null),
  careGrade: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
  careGradeValidUntil: fc.option(dateArb('2024-01-01', '2028-12-31'), { nil: null }),
  economic: fc.constantFrom('none', 'dibao', 'low_income', 'tekun'),
  deathDate: fc.option(dateArb('2024-01-01', '2028-12-31'), { nil: null }),
  living: fc.constantFrom('alone', 'elderly_only', 'with_children', null),
}) as fc.Arbitrary<PersonFacts>;

describe('properties', () => {
  it('the engine agrees with the hand-written computation for any person and date (from 2025-09-01)', () => {
    fc.assert(
      fc.property(factsArb, dateArb('2025-09-01', '2027-12-31'), (f, asOf) => {
        const r = engine.evaluate(f, asOf);
        const h = handEntitle(f, asOf, {} as HandResult);
        expect(r.age).toBe(h.age);
        expect(r.allowance.monthlyFen).toBe(h.allowanceFen);
        expect(r.allowance.eligible).toBe(h.allowanceFen > 0);
        expect(r.ltci.homeCareHoursPerWeek).toBe(h.ltciHours);
        expect(r.serviceSubsidy.monthlyFen).toBe(h.subsidyFen);
        expect(r.basicBed.tier ?? 0).toBe(h.bedTier);
      }),
      { numRuns: 3000 },
    );
  });

  it('no one loses an allowance, or gets less, by getting older (alive, same facts)', () => {
    fc.assert(
      fc.property(factsArb, dateArb('2016-05-01', '2030-12-31'), fc.integer({ min: 1, max: 4000 }), (f0, d1, days) => {
        const f = { ...f0, deathDate: null };
        if (f.birthDate > d1) return;
        const a = engine.evaluate(f, d1).allowance;
        const b = engine.evaluate(f, addDays(d1, days)).allowance;
        if (a.eligible) expect(b.eligible).toBe(true);
        expect(b.monthlyFen).toBeGreaterThanOrEqual(a.monthlyFen);
      }),
      { numRuns: 2000 },
    );
  });

  it('the dead get nothing; every refusal has a failing step; every parameter used is cited', () => {
    fc.assert(
      fc.property(factsArb, dateArb('2019-01-01', '2028-12-31'), (f, asOf) => {
        if (f.birthDate > asOf) return;
        const r = engine.evaluate(f, asOf, true);
        if (f.deathDate !== null && f.deathDate <= asOf) {
          expect([r.allowance.eligible, r.ltci.eligible, r.serviceSubsidy.eligible, r.basicBed.eligible]).toEqual([false, false, false, false]);
        }
        const steps = r.explanation ?? [];
        for (const scheme of ['allowance', 'ltci', 'serviceSubsidy', 'basicBed'] as const) {
          const mine = steps.filter((s) => s.scheme === scheme);
          expect(mine.length).toBeGreaterThan(0);
          if (!r[scheme].eligible) expect(mine.some((s) => !s.passed)).toBe(true);
          else expect(mine.every((s) => s.passed)).toBe(true);
        }
        for (const s of steps) {
          expect(s.reason).toMatch(/[\u4e00-\u9fff]/);
          if (s.parameter) {
            expect(s.parameter.citation.document.length).toBeGreaterThan(0);
            expect(s.parameter.citation.article.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('readFacts accepts what it returns (round trip of the contract fields)', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const back = readFacts({ ...f, livingArrangement: f.living }, D('2030-01-01'));
        expect(back.birthDate).toBe(f.birthDate);
        expect(back.careGrade).toBe(f.careGrade);
      }),
      { numRuns: 200 },
    );
  });
});
