// Quality control of assessments (issue 4 §5), pure: per agency and per assessor, the level
// distribution against the district's, time per assessment, the share of results changed on
// review (复核), a reproducible random re-assessment sample and the agreement between first and
// second assessment (linearly weighted Cohen's kappa); outliers flagged with reasons in Chinese.
// Every threshold is a dated parameter of policy/assessment/quality.json; the named constants
// below are arithmetic (a half, the 32-bit range), not policy.
import { diffDays, mulberry32, type LocalDate } from '../core/index.ts';

/** One half: total variation distance and the median of an even count. */
const HALF = 0.5;
/** 2^32 − 1: scales mulberry32's [0, 1) output back to an unsigned 32-bit seed. */
const UINT32_MAX = -1 >>> 0;

export type QualityParams = {
  /** Share of an agency's first assessments drawn for re-assessment (0–1). */
  sampleShare: number;
  /** Fewest results a unit needs before its distribution and times are judged. */
  minResultsForFlags: number;
  /** Largest total variation distance from the district's level shares not flagged (0–1). */
  maxDistributionDistance: number;
  /** Lowest weighted kappa not flagged. */
  minKappa: number;
  /** Fewest first/second pairs before kappa is judged. */
  minPairsForKappa: number;
  /** Largest share of reviewed results whose level changed, not flagged (0–1). */
  maxChangedOnReviewShare: number;
  /** Fewest reviewed results before the changed share is judged. */
  minReviewsForFlag: number;
  /** Shortest median time from the visit (first answer) to submit, in minutes, not flagged. */
  minMinutesVisitToSubmit: number;
};

/** One completed assessment in the period, with its latest completed review if any. */
export interface QualityRecord {
  id: string;
  districtCode: string;
  agencyId: string;
  /** First assessor, then the second (countersigning) one. */
  assessorIds: string[];
  /** Final level, 0 … levelCount − 1. */
  level: number;
  /** `review` for a 复核 (it is never drawn into the sample). */
  reason: string;
  appliedOn: LocalDate;
  completedOn: LocalDate;
  /** Minutes from the first answer on the tablet (the visit) to submit, when both are known. */
  minutesVisitToSubmit: number | null;
  /** The latest completed review (`review_of` this result) and its level. */
  review: { id: string; level: number } | null;
}

export interface Flag {
  code: 'distribution' | 'kappa' | 'changed_on_review' | 'too_fast';
  message: string;
}

export interface Summary {
  mean: number;
  median: number;
}

export interface UnitFigures {
  results: number;
  /** Count per level, index = level. */
  distribution: number[];
  /** Share per level (0 when there are no results). */
  shares: number[];
  /** Total variation distance from the district's shares, ½ Σ |p − q|, 0–1; null without results. */
  distance: number | null;
  /** Days from application to completion. */
  daysToResult: Summary | null;
  /** Minutes from the visit (first answer) to submit. */
  minutesVisitToSubmit: Summary | null;
  /** Results with a completed review, and of those, the ones whose level changed. */
  reviewed: number;
  changedOnReview: number;
  changedOnReviewShare: number | null;
  /** Linearly weighted kappa over (first, second) level pairs; null with no pairs or a single category. */
  kappa: number | null;
  pairs: number;
  flags: Flag[];
}

export interface AgencyFigures extends UnitFigures {
  agencyId: string;
  districtCode: string;
  /** The re-assessment sample drawn from this agency's first assessments (application ids). */
  sample: string[];
}

export interface AssessorFigures extends UnitFigures {
  assessorId: string;
  districtCode: string;
  /** Agencies the assessor's results were made for. */
  agencyIds: string[];
}

export interface DistrictFigures {
  districtCode: string;
  results: number;
  distribution: number[];
  shares: number[];
}

export interface QualityReport {
  from: LocalDate;
  to: LocalDate;
  levelCount: number;
  params: QualityParams;
  districts: DistrictFigures[];
  agencies: AgencyFigures[];
  assessors: AssessorFigures[];
  outliers: { kind: 'agency' | 'assessor'; id: string; districtCode: string; flags: Flag[] }[];
  sample: { share: number; applicationIds: string[] };
}

// ---- statistics ----

/**
 * Linearly weighted Cohen's kappa of two ratings of the same items over `levelCount` ordered
 * categories 0 … levelCount − 1 (Cohen 1968; Fleiss, Levin & Paik, Statistical Methods for Rates
 * and Proportions, 3rd ed., §18.2): weight w(i, j) = 1 − |i − j| / (k − 1), observed agreement
 * p_o = Σ w(i, j) p(i, j), chance agreement p_e = Σ w(i, j) p(i·) p(·j), κ = (p_o − p_e) / (1 − p_e).
 * 1 is perfect agreement, 0 agreement at chance level, negative worse than chance.
 * null when there are no pairs, or when chance agreement is already 1 (both ratings put every
 * item in one and the same category: κ is 0/0, undefined) — reported, never guessed.
 */
export function weightedKappa(pairs: readonly (readonly [number, number])[], levelCount: number): number | null {
  const n = pairs.length;
  if (n === 0 || levelCount <= 1) return null;
  const span = levelCount - 1;
  const w = (i: number, j: number) => 1 - Math.abs(i - j) / span;
  const rows = new Array<number>(levelCount).fill(0);
  const cols = new Array<number>(levelCount).fill(0);
  let observed = 0;
  for (const [a, b] of pairs) {
    if (!isLevel(a, levelCount) || !isLevel(b, levelCount)) throw new RangeError(`level pair (${a}, ${b}) outside 0…${span}`);
    rows[a]! += 1;
    cols[b]! += 1;
    observed += w(a, b);
  }
  const po = observed / n;
  let pe = 0;
  for (let i = 0; i < levelCount; i++) {
    for (let j = 0; j < levelCount; j++) pe += w(i, j) * (rows[i]! / n) * (cols[j]! / n);
  }
  if (1 - pe <= Number.EPSILON) return null;
  return (po - pe) / (1 - pe);
}

const isLevel = (x: number, levelCount: number) => Number.isInteger(x) && x >= 0 && x < levelCount;

/** Count per level (index = level). */
export function levelCounts(levels: readonly number[], levelCount: number): number[] {
  const out = new Array<number>(levelCount).fill(0);
  for (const l of levels) if (isLevel(l, levelCount)) out[l]! += 1;
  return out;
}

export function sharesOf(counts: readonly number[]): number[] {
  const n = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (n === 0 ? 0 : c / n));
}

/**
 * Total variation distance between two level distributions, ½ Σ |p(l) − q(l)|: the share of
 * results that would have to move to another level to match the district. 0 identical, 1 disjoint.
 * Chosen over a chi-square test because it reads as a share and does not grow with the sample;
 * small samples are kept out of the judgement by `minResultsForFlags` instead.
 */
export function distributionDistance(p: readonly number[], q: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < Math.max(p.length, q.length); i++) s += Math.abs((p[i] ?? 0) - (q[i] ?? 0));
  return s * HALF;
}

export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  // the two middle values (the same one when the count is odd), averaged
  const lower = sorted[Math.ceil(sorted.length * HALF) - 1]!;
  const upper = sorted[Math.floor(sorted.length * HALF)]!;
  const median = (lower + upper) * HALF;
  return { mean: sorted.reduce((s, v) => s + v, 0) / sorted.length, median };
}

/** A 32-bit seed from text: each code point folded through mulberry32 (deterministic, no clock, no Math.random). */
export function seedOf(text: string): number {
  let h = 0;
  for (const ch of text) h = Math.floor(mulberry32(h ^ ch.codePointAt(0)!)() * UINT32_MAX);
  return h;
}

/**
 * The re-assessment sample of one agency: its first assessments (reviews excluded), ordered by
 * id, shuffled (Fisher–Yates) by mulberry32 seeded with `from|to|agencyId`, the first
 * ⌈share × n⌉ taken — so an agency with any result has at least one drawn, and the same period,
 * agency and results always give the same sample. Returned in id order.
 */
export function reassessmentSample(ids: readonly string[], share: number, seedText: string): string[] {
  const pool = [...new Set(ids)].sort();
  const take = Math.min(pool.length, Math.ceil(share * pool.length));
  if (take <= 0) return [];
  const rand = mulberry32(seedOf(seedText));
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, take).sort();
}

// ---- figures and flags ----

const num = new Intl.NumberFormat('zh-CN');
const pct = new Intl.NumberFormat('zh-CN', { style: 'percent' });

function figures(records: readonly QualityRecord[], districtShares: readonly number[], levelCount: number, p: QualityParams): UnitFigures {
  const distribution = levelCounts(records.map((r) => r.level), levelCount);
  const shares = sharesOf(distribution);
  const results = records.length;
  const distance = results === 0 ? null : distributionDistance(shares, districtShares);
  const daysToResult = summarize(records.map((r) => diffDays(r.completedOn, r.appliedOn)));
  const minutesVisitToSubmit = summarize(records.flatMap((r) => (r.minutesVisitToSubmit === null ? [] : [r.minutesVisitToSubmit])));
  const pairs = records.flatMap((r) => (r.review ? [[r.level, r.review.level] as const] : []));
  const reviewed = pairs.length;
  const changedOnReview = pairs.filter(([a, b]) => a !== b).length;
  const changedOnReviewShare = reviewed === 0 ? null : changedOnReview / reviewed;
  const kappa = weightedKappa(pairs, levelCount);
  const flags: Flag[] = [];
  if (results >= p.minResultsForFlags && distance !== null && distance > p.maxDistributionDistance) {
    flags.push({ code: 'distribution', message: `等级分布与全区差异过大（差异度 ${num.format(distance)}，超过 ${num.format(p.maxDistributionDistance)}；共 ${results} 份）` });
  }
  if (reviewed >= p.minPairsForKappa && kappa !== null && kappa < p.minKappa) {
    flags.push({ code: 'kappa', message: `与复评结果一致性偏低（加权 kappa ${num.format(kappa)}，低于 ${num.format(p.minKappa)}；${reviewed} 对）` });
  }
  if (reviewed >= p.minReviewsForFlag && changedOnReviewShare !== null && changedOnReviewShare > p.maxChangedOnReviewShare) {
    flags.push({ code: 'changed_on_review', message: `复核改变等级的比例偏高（${changedOnReview}/${reviewed}，${pct.format(changedOnReviewShare)}，超过 ${pct.format(p.maxChangedOnReviewShare)}）` });
  }
  if (results >= p.minResultsForFlags && minutesVisitToSubmit !== null && minutesVisitToSubmit.median < p.minMinutesVisitToSubmit) {
    flags.push({ code: 'too_fast', message: `上门评估用时过短（从开始录入到提交中位数 ${num.format(minutesVisitToSubmit.median)} 分钟，少于 ${num.format(p.minMinutesVisitToSubmit)} 分钟）` });
  }
  return { results, distribution, shares, distance, daysToResult, minutesVisitToSubmit, reviewed, changedOnReview, changedOnReviewShare, kappa, pairs: reviewed, flags };
}

function groupBy<T>(xs: readonly T[], keys: (x: T) => string[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    for (const k of new Set(keys(x))) {
      const list = m.get(k);
      if (list) list.push(x);
      else m.set(k, [x]);
    }
  }
  return m;
}

/**
 * The quality report of a period. Each result counts for its agency and for both of its
 * assessors (the second countersigns and answers for it too), and is compared with the
 * distribution of its own district (the whole district, the unit itself included).
 */
export function qualityReport(input: { from: LocalDate; to: LocalDate; levelCount: number; records: readonly QualityRecord[]; params: QualityParams }): QualityReport {
  const { from, to, levelCount, records, params } = input;
  const districts = [...groupBy(records, (r) => [r.districtCode])].sort(([a], [b]) => a.localeCompare(b)).map(([districtCode, rs]) => {
    const distribution = levelCounts(rs.map((r) => r.level), levelCount);
    return { districtCode, results: rs.length, distribution, shares: sharesOf(distribution) };
  });
  const sharesOfDistrict = new Map(districts.map((d) => [d.districtCode, d.shares]));
  const unitKey = (districtCode: string, id: string) => `${districtCode}|${id}`;
  const split = (k: string) => k.split('|') as [string, string];

  const agencies: AgencyFigures[] = [...groupBy(records, (r) => [unitKey(r.districtCode, r.agencyId)])].sort(([a], [b]) => a.localeCompare(b)).map(([k, rs]) => {
    const [districtCode, agencyId] = split(k);
    const firsts = rs.filter((r) => r.reason !== 'review').map((r) => r.id);
    return {
      agencyId, districtCode, ...figures(rs, sharesOfDistrict.get(districtCode)!, levelCount, params),
      sample: reassessmentSample(firsts, params.sampleShare, `${from}|${to}|${agencyId}`),
    };
  });
  const assessors: AssessorFigures[] = [...groupBy(records, (r) => r.assessorIds.map((a) => unitKey(r.districtCode, a)))].sort(([a], [b]) => a.localeCompare(b)).map(([k, rs]) => {
    const [districtCode, assessorId] = split(k);
    return { assessorId, districtCode, agencyIds: [...new Set(rs.map((r) => r.agencyId))].sort(), ...figures(rs, sharesOfDistrict.get(districtCode)!, levelCount, params) };
  });
  const outliers = [
    ...agencies.filter((a) => a.flags.length > 0).map((a) => ({ kind: 'agency' as const, id: a.agencyId, districtCode: a.districtCode, flags: a.flags })),
    ...assessors.filter((a) => a.flags.length > 0).map((a) => ({ kind: 'assessor' as const, id: a.assessorId, districtCode: a.districtCode, flags: a.flags })),
  ];
  return {
    from, to, levelCount, params, districts, agencies, assessors, outliers,
    sample: { share: params.sampleShare, applicationIds: agencies.flatMap((a) => a.sample).sort() },
  };
}

// ---- parameters ----

export const QUALITY_PARAM_NAMES = [
  'sampleShare', 'minResultsForFlags', 'maxDistributionDistance', 'minKappa', 'minPairsForKappa',
  'maxChangedOnReviewShare', 'minReviewsForFlag', 'minMinutesVisitToSubmit',
] as const satisfies readonly (keyof QualityParams)[];

export interface QualityPolicy {
  parameters: Record<(typeof QUALITY_PARAM_NAMES)[number], { values: Record<string, { value: number }> }>;
}

/** The parameters in force on `asOf`: for each, the latest value dated on or before it; a date before the first value is an error. */
export function qualityParams(policy: QualityPolicy, asOf: LocalDate): QualityParams {
  const pick = (name: (typeof QUALITY_PARAM_NAMES)[number]): number => {
    const values = policy.parameters[name].values;
    const last = Object.keys(values).filter((d) => d <= asOf).sort().pop();
    if (last === undefined) throw new Error(`quality parameter ${name} has no value on ${asOf}`);
    return values[last]!.value;
  };
  return Object.fromEntries(QUALITY_PARAM_NAMES.map((n) => [n, pick(n)])) as unknown as QualityParams;
}
