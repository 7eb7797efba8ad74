// Quality control, pure: weighted kappa against hand-computed cases and its properties, the
// distribution distance, summaries, the reproducible sample and the outlier flags.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../core/dates.ts';
import {
  distributionDistance, levelCounts, qualityParams, qualityReport, reassessmentSample, seedOf, sharesOf, summarize, weightedKappa,
  QUALITY_PARAM_NAMES, type QualityParams, type QualityPolicy, type QualityRecord,
} from './quality.ts';

const LEVELS = 5;
const d = (s: string) => s as LocalDate;
const raw = JSON.parse(readFileSync(new URL('../../policy/assessment/quality.json', import.meta.url), 'utf8')) as {
  parameters: Record<string, { unit: string; values: Record<string, { value: number; reference: string; confidence: string }> }>;
};
const policy = raw as unknown as QualityPolicy;
const params: QualityParams = qualityParams(policy, d('2026-11-29'));

describe('weightedKappa (linear weights, levels 0–4)', () => {
  it('is 1 for perfect agreement', () => {
    expect(weightedKappa([[0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [2, 2]], LEVELS)).toBe(1);
  });

  it('is 0 at chance level: every combination of levels once (independent, uniform)', () => {
    const all = Array.from({ length: LEVELS }, (_, i) => Array.from({ length: LEVELS }, (_, j) => [i, j] as const)).flat();
    expect(weightedKappa(all, LEVELS)).toBeCloseTo(0, 12);
  });

  it('hand-computed: (0,0) (1,2) (2,2) (4,3) → p_o 0.875, p_e 0.625, κ = 2/3', () => {
    // weights 1 − |i−j|/4: agreements 1, 0.75, 1, 0.75 → p_o = 3.5/4 = 0.875
    // rows ¼ each at 0,1,2,4; columns 0:¼ 2:½ 3:¼ → p_e = ¼ (0.5625 + 0.6875 + 0.8125 + 0.4375) = 0.625
    // κ = (0.875 − 0.625) / (1 − 0.625) = 2/3
    expect(weightedKappa([[0, 0], [1, 2], [2, 2], [4, 3]], LEVELS)).toBeCloseTo(2 / 3, 12);
  });

  it('hand-computed: complete reversal of the two extremes is −1', () => {
    // (0,4) (4,0): p_o = 0; rows and columns ½ at 0 and 4 → p_e = ½(½·1 + ½·0) + ½(½·0 + ½·1) = ½ → κ = −½ / ½ = −1
    expect(weightedKappa([[0, 4], [4, 0]], LEVELS)).toBeCloseTo(-1, 12);
  });

  it('hand-computed: one step apart everywhere on two levels', () => {
    // (1,2) (2,1): p_o = 0.75; rows, columns ½ at 1 and 2 → p_e = ½·(½·1 + ½·0.75)·2 = 0.875 → κ = −0.125/0.125 = −1
    expect(weightedKappa([[1, 2], [2, 1]], LEVELS)).toBeCloseTo(-1, 12);
    // (1,1) (1,2) (2,2) (2,2): p_o = 0.9375; rows ½ 1, ½ 2; cols ¼ 1, ¾ 2 → p_e = ½(¼ + ¾·0.75) + ½(¼·0.75 + ¾) = 0.875 → κ = 0.0625/0.125 = 0.5
    expect(weightedKappa([[1, 1], [1, 2], [2, 2], [2, 2]], LEVELS)).toBeCloseTo(0.5, 12);
  });

  it('degenerate: one single category for both ratings is undefined (null), as are no pairs', () => {
    expect(weightedKappa([[3, 3], [3, 3], [3, 3]], LEVELS)).toBeNull();
    expect(weightedKappa([], LEVELS)).toBeNull();
    expect(weightedKappa([[0, 0]], 1)).toBeNull();
  });

  it('refuses a level outside the scale', () => {
    expect(() => weightedKappa([[0, 5]], LEVELS)).toThrow(RangeError);
    expect(() => weightedKappa([[-1, 0]], LEVELS)).toThrow(RangeError);
  });

  const level = fc.integer({ min: 0, max: LEVELS - 1 });
  const pairsArb = fc.array(fc.tuple(level, level), { minLength: 1, maxLength: 60 });

  it('property: κ ≤ 1, and ≥ −1, whenever defined', () => {
    fc.assert(fc.property(pairsArb, (pairs) => {
      const k = weightedKappa(pairs, LEVELS);
      if (k === null) return true;
      return k <= 1 + 1e-12 && k >= -1 - 1e-12;
    }));
  });

  it('property: symmetric in the two raters, and independent of the order of pairs', () => {
    fc.assert(fc.property(pairsArb, (pairs) => {
      const k = weightedKappa(pairs, LEVELS);
      const swapped = weightedKappa(pairs.map(([a, b]) => [b, a] as const), LEVELS);
      const reversed = weightedKappa([...pairs].reverse(), LEVELS);
      if (k === null) return swapped === null && reversed === null;
      return Math.abs(k - swapped!) < 1e-12 && Math.abs(k - reversed!) < 1e-12;
    }));
  });

  it('property: identical ratings give 1 unless all in one category (null)', () => {
    fc.assert(fc.property(fc.array(level, { minLength: 1, maxLength: 40 }), (ls) => {
      const k = weightedKappa(ls.map((l) => [l, l] as const), LEVELS);
      return new Set(ls).size === 1 ? k === null : Math.abs(k! - 1) < 1e-12;
    }));
  });
});

describe('distribution, summaries', () => {
  it('counts and shares per level', () => {
    expect(levelCounts([0, 2, 2, 4], LEVELS)).toEqual([1, 0, 2, 0, 1]);
    expect(sharesOf([1, 0, 2, 0, 1])).toEqual([0.25, 0, 0.5, 0, 0.25]);
    expect(sharesOf([0, 0])).toEqual([0, 0]);
  });

  it('total variation distance: 0 identical, 1 disjoint, ½ Σ |p − q| between', () => {
    expect(distributionDistance([0.2, 0.8], [0.2, 0.8])).toBe(0);
    expect(distributionDistance([1, 0], [0, 1])).toBe(1);
    expect(distributionDistance([0.5, 0.5, 0], [0.25, 0.5, 0.25])).toBeCloseTo(0.25, 12);
  });

  it('mean and median (odd and even counts)', () => {
    expect(summarize([])).toBeNull();
    expect(summarize([5, 1, 3])).toEqual({ mean: 3, median: 3 });
    expect(summarize([4, 1, 3, 10])).toEqual({ mean: 4.5, median: 3.5 });
  });
});

describe('re-assessment sample', () => {
  const ids = Array.from({ length: 100 }, (_, i) => `id-${String(i).padStart(3, '0')}`);

  it('takes ⌈share × n⌉, reproducibly for the same period and agency, differently for another', () => {
    const a = reassessmentSample(ids, 0.05, '2026-01-01|2026-06-30|agency-1');
    expect(a).toHaveLength(5);
    expect(reassessmentSample([...ids].reverse(), 0.05, '2026-01-01|2026-06-30|agency-1')).toEqual(a);
    expect(reassessmentSample(ids, 0.05, '2026-01-01|2026-06-30|agency-2')).not.toEqual(a);
    expect(a.every((x) => ids.includes(x))).toBe(true);
    expect(reassessmentSample(ids.slice(0, 3), 0.05, 's')).toHaveLength(1);
    expect(reassessmentSample([], 0.05, 's')).toEqual([]);
    expect(reassessmentSample(ids, 0, 's')).toEqual([]);
  });

  it('seeds differ for different text and are 32-bit', () => {
    expect(seedOf('a')).not.toBe(seedOf('b'));
    expect(seedOf('2026|x')).toBe(seedOf('2026|x'));
    fc.assert(fc.property(fc.string(), (s) => Number.isInteger(seedOf(s)) && seedOf(s) >= 0));
  });
});

describe('parameters', () => {
  it('every parameter has a unit and dated values with reference and confidence', () => {
    for (const name of QUALITY_PARAM_NAMES) {
      const p = raw.parameters[name]!;
      expect(p.unit, name).toBeTruthy();
      for (const v of Object.values(p.values)) {
        expect(v.reference, name).toBeTruthy();
        expect(['high', 'medium', 'low']).toContain(v.confidence);
      }
    }
    expect(params.sampleShare).toBe(0.05);
  });

  it('a date before the first value is an error, never a default', () => {
    expect(() => qualityParams(policy, d('2015-12-31'))).toThrow(/no value/);
  });
});

describe('qualityReport', () => {
  let n = 0;
  const make = (o: Partial<QualityRecord>): QualityRecord => ({
    id: `r${String(n++).padStart(4, '0')}`, districtCode: '310115', agencyId: 'A', assessorIds: ['x1', 'x2'], level: 1, reason: 'first',
    appliedOn: d('2026-03-01'), completedOn: d('2026-03-11'), minutesVisitToSubmit: 45, review: null, ...o,
  });
  // agency A: levels spread like the district; agency B: everything level 4, fast, reviews disagree
  const spread = [0, 1, 1, 2, 2, 2, 3, 3, 4, 1, 2, 3];
  const recordsA = spread.map((level, i) => make({ level, review: i < 6 ? { id: `rv${i}`, level } : null }));
  const recordsB = Array.from({ length: 12 }, (_, i) => make({
    agencyId: 'B', assessorIds: ['y1', 'y2'], level: 4, minutesVisitToSubmit: 8,
    review: i < 6 ? { id: `rw${i}`, level: i % 3 } : null,
  }));
  const recordsC = [...spread, ...spread].map((level) => make({ agencyId: 'C', assessorIds: ['c1', 'c2'], level }));
  const other = make({ districtCode: '310101', agencyId: 'H', assessorIds: ['z1', 'z2'], level: 0 });
  const report = qualityReport({ from: d('2026-01-01'), to: d('2026-06-30'), levelCount: LEVELS, records: [...recordsA, ...recordsB, ...recordsC, other], params });

  it('district distributions per district', () => {
    expect(report.districts.map((x) => [x.districtCode, x.results])).toEqual([['310101', 1], ['310115', 48]]);
    expect(report.districts[1]!.distribution).toEqual([3, 9, 12, 9, 15]);
  });

  it('per agency and per assessor figures', () => {
    const a = report.agencies.find((x) => x.agencyId === 'A')!;
    expect(a.results).toBe(12);
    expect(a.daysToResult).toEqual({ mean: 10, median: 10 });
    expect(a.minutesVisitToSubmit).toEqual({ mean: 45, median: 45 });
    expect(a.reviewed).toBe(6);
    expect(a.changedOnReview).toBe(0);
    expect(a.kappa).toBe(1);
    expect(a.flags).toEqual([]);
    expect(report.assessors.filter((x) => x.agencyIds.includes('A')).map((x) => x.assessorId)).toEqual(['x1', 'x2']);
  });

  it('flags the outlier with Chinese reasons: distribution, kappa, changed on review, too fast', () => {
    const b = report.agencies.find((x) => x.agencyId === 'B')!;
    expect(b.flags.map((f) => f.code)).toEqual(['distribution', 'kappa', 'changed_on_review', 'too_fast']);
    expect(b.flags[0]!.message).toMatch(/^等级分布与全区差异过大/);
    expect(b.flags[3]!.message).toContain('中位数 8 分钟');
    expect(report.outliers.map((o) => `${o.kind}:${o.id}`)).toEqual(['agency:B', 'assessor:y1', 'assessor:y2']);
  });

  it('small units are shown, not flagged; the sample is per agency, first assessments only', () => {
    const h = report.agencies.find((x) => x.agencyId === 'H')!;
    expect(h.flags).toEqual([]);
    expect(h.sample).toEqual([other.id]);
    expect(report.sample.applicationIds).toHaveLength(5); // A 1, B 1, C ⌈1.2⌉ = 2, H 1
    const withReview = qualityReport({ from: d('2026-01-01'), to: d('2026-06-30'), levelCount: LEVELS, params,
      records: [make({ agencyId: 'R', reason: 'review' })] });
    expect(withReview.agencies[0]!.sample).toEqual([]);
  });

  it('is reproducible', () => {
    const again = qualityReport({ from: d('2026-01-01'), to: d('2026-06-30'), levelCount: LEVELS, records: [other, ...recordsC, ...recordsB, ...recordsA], params });
    expect(again).toEqual(report);
  });
});
