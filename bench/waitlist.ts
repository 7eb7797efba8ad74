// (k) Allocation of basic-guarantee beds (issue 7 §3, §7): a seeded synthetic city — 100,000
// applicants, 2,000 facilities in Shanghai's 16 districts, 5 ranked choices each (biased to the
// applicant's own district and to popular facilities; places for ≈ 20% of applicants), tiers 1–3,
// applications spread over 3 years — through `allocate` (global rank, integer priorities, a bounded
// heap per facility) against `allocateReference` (the first, straightforward version: shift/unshift
// queue, insertion by splice) on the same input, checked to give the same result; then
// `checkFairness` on the result and `allQueues`. Median of 7 runs after a warm-up; the reference
// runs once (on a 20,000-applicant subset if the whole city would take it over a minute).
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { allocate, allocateReference, allQueues, checkFairness, DEFAULT_RULE, type AllocationResult, type Applicant, type Facility, type PriorityRule } from '../src/waitlist/index.ts';

const RUNS = 7;
const APPLICANTS = Number(process.env.BENCH_WAITLIST_APPLICANTS ?? 100_000);
const FACILITIES = Number(process.env.BENCH_WAITLIST_FACILITIES ?? 2_000);
const CHOICES = 5;
const SUBSET = 20_000;
const REFERENCE_BUDGET_MS = 60_000;
const DISTRICTS = ['310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112', '310113', '310114', '310115', '310116', '310117', '310118', '310120', '310151'];
const OWN_DISTRICT_SHARE = 0.7;
/** The reference's time grew about as n³ here (0.29 s for 20,000 applicants, 36 s for 100,000). */
const REFERENCE_GROWTH = 3;

/** A full garbage collection, so that heap figures are what is retained (the flag only exposes `gc`). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const memory = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const mib = (bytes: number) => round(bytes / 2 ** 20);
const time = <T>(fn: () => T): { ms: number; value: T } => {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
};

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A weighted pick: the index i with cumulative[i-1] ≤ u·total < cumulative[i]. */
function pick(cumulative: Float64Array, u: number): number {
  const x = u * cumulative[cumulative.length - 1]!;
  let lo = 0, hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
const cumulate = (ws: number[]) => {
  const c = new Float64Array(ws.length);
  let s = 0;
  ws.forEach((w, i) => (c[i] = s += w));
  return c;
};

/** The synthetic city. Facilities and applicants come in a shuffled order, ids not in generation order. */
export function syntheticCity(nApplicants: number, nFacilities: number, seed = 7): { facilities: Facility[]; applicants: Applicant[] } {
  const random = mulberry32(seed);
  // District sizes vary (0.4–1.6 of the mean), for facilities and applicants alike.
  const districtWeight = DISTRICTS.map(() => 0.4 + 1.2 * random());
  const districtCum = cumulate(districtWeight);
  const facilities: Facility[] = [];
  const popularity: number[] = [];
  const byDistrict: number[][] = DISTRICTS.map(() => []);
  for (let j = 0; j < nFacilities; j++) {
    const d = pick(districtCum, random());
    byDistrict[d]!.push(j);
    facilities.push({ id: `F${DISTRICTS[d]}-${String(byDistrict[d]!.length).padStart(4, '0')}`, district: DISTRICTS[d]!, capacity: 4 + Math.floor(random() * 13) });
    popularity.push(1 / (1 + nFacilities * random()) ** 0.8); // a few much sought after, a long tail
  }
  const allCum = cumulate(popularity);
  const districtCums = byDistrict.map((js) => cumulate(js.map((j) => popularity[j]!)));
  const start = Date.UTC(2022, 0, 1);
  const applicants: Applicant[] = [];
  for (let i = 0; i < nApplicants; i++) {
    const d = pick(districtCum, random());
    const u = random();
    const tier = u < 0.15 ? 1 : u < 0.5 ? 2 : 3;
    const chosen: string[] = [];
    for (let tries = 0; chosen.length < Math.min(CHOICES, nFacilities) && tries < 50; tries++) {
      const own = byDistrict[d]!.length > 0 && random() < OWN_DISTRICT_SHARE;
      const j = own ? byDistrict[d]![pick(districtCums[d]!, random())]! : pick(allCum, random());
      const id = facilities[j]!.id;
      if (!chosen.includes(id)) chosen.push(id);
    }
    applicants.push({
      id: `A${String((i * 7_919 + 13) % 1_000_003).padStart(7, '0')}`,
      district: DISTRICTS[d]!,
      tier,
      points: Math.floor(random() * 11),
      appliedAt: start + Math.floor(random() * 3 * 365 * 24 * 60) * 60_000, // to the minute: some ties
      choices: chosen,
    });
  }
  const shuffle = <T>(xs: T[]) => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  return { facilities: shuffle(facilities), applicants: shuffle(applicants) };
}

const same = (x: AllocationResult, y: AllocationResult) =>
  x.assignments.length === y.assignments.length && x.unassigned.length === y.unassigned.length &&
  x.assignments.every((a, i) => a.applicant === y.assignments[i]!.applicant && a.facility === y.assignments[i]!.facility) &&
  x.unassigned.every((a, i) => a === y.unassigned[i]);

export function runWaitlistBench(): Record<string, unknown> {
  const loadBefore = loadavg()[0]!;
  const baseBytes = memory();
  const built = time(() => syntheticCity(APPLICANTS, FACILITIES));
  const { facilities, applicants } = built.value;
  const places = facilities.reduce((s, f) => s + f.capacity, 0);
  const choices = applicants.reduce((s, a) => s + a.choices.length, 0);
  const inputBytes = memory() - baseBytes;

  const result = allocate(facilities, applicants); // also the warm-up
  const resultBytes = memory() - baseBytes - inputBytes; // retained by one result: its objects and arrays
  const runs = Array.from({ length: RUNS }, () => time(() => allocate(facilities, applicants)).ms);
  if (!same(allocate([...facilities].reverse(), [...applicants].reverse()), result)) throw new Error('waitlist bench: allocate depends on the input order');
  // The typed arrays one allocation works in (their buffers are freed only by a later collection).
  const buffersBefore = (gc(), process.memoryUsage().arrayBuffers);
  allocate(facilities, applicants);
  const workingBytes = process.memoryUsage().arrayBuffers - buffersBefore;
  const pointsRule: PriorityRule = { order: ['tier', 'points', 'local', 'appliedAt', 'id'] };
  allocate(facilities, applicants, pointsRule);
  const pointsRuns = Array.from({ length: RUNS }, () => time(() => allocate(facilities, applicants, pointsRule)));

  // The reference: on a subset first, then on the whole city if that would stay within the budget.
  const subsetApplicants = applicants.slice(0, SUBSET);
  const subsetFacilities = facilities.map((f) => ({ ...f, capacity: Math.round((f.capacity * SUBSET) / applicants.length) }));
  const subRef = time(() => allocateReference(subsetFacilities, subsetApplicants));
  const subFast = Array.from({ length: RUNS }, () => time(() => allocate(subsetFacilities, subsetApplicants)));
  if (!same(subRef.value, subFast[0]!.value)) throw new Error('waitlist bench: allocate and allocateReference disagree on the subset');
  const predictedFullMs = subRef.ms * (applicants.length / SUBSET) ** REFERENCE_GROWTH;
  let reference: { applicants: number; ms: number; sameResult: boolean; note?: string };
  if (predictedFullMs <= REFERENCE_BUDGET_MS) {
    const full = time(() => allocateReference(facilities, applicants));
    if (!same(full.value, result)) throw new Error('waitlist bench: allocate and allocateReference disagree');
    reference = { applicants: applicants.length, ms: Math.round(full.ms), sameResult: true };
  } else {
    reference = { applicants: SUBSET, ms: Math.round(subRef.ms), sameResult: true, note: `whole city predicted ${Math.round(predictedFullMs / 1000)} s: run on the first ${SUBSET} applicants, capacities scaled` };
  }

  checkFairness(facilities, applicants, result);
  const fairness = Array.from({ length: RUNS }, () => time(() => checkFairness(facilities, applicants, result)));
  const report = fairness[0]!.value;
  if (!report.ok) throw new Error(`waitlist bench: checkFairness found ${report.violations.length} violations, e.g. ${report.violations[0]?.message}`);
  const queues = Array.from({ length: 3 }, () => time(() => allQueues(facilities, applicants, DEFAULT_RULE)));
  const longest = Math.max(...[...queues[0]!.value.values()].map((q) => q.length));

  const allocateMs = median(runs);
  const assignedByTier = [1, 2, 3].map((t) => {
    const ofTier = new Set(applicants.filter((a) => a.tier === t).map((a) => a.id));
    return { tier: t, applicants: ofTier.size, assigned: result.assignments.filter((x) => ofTier.has(x.applicant)).length };
  });
  const firstChoice = new Map(applicants.map((a) => [a.id, a.choices[0]]));
  return {
    applicants: applicants.length, facilities: facilities.length, districts: DISTRICTS.length, choices, places, placesShare: round(places / applicants.length, 3),
    buildMs: Math.round(built.ms), runs: RUNS,
    allocateMs: round(allocateMs), allocateMinMs: round(Math.min(...runs)), allocatePointsRuleMs: round(median(pointsRuns.map((r) => r.ms))),
    subset: { applicants: SUBSET, places: subsetFacilities.reduce((s, f) => s + f.capacity, 0), allocateMs: round(median(subFast.map((r) => r.ms))), referenceMs: Math.round(subRef.ms) },
    reference, speedup: reference.applicants === applicants.length ? round(reference.ms / allocateMs) : round(subRef.ms / median(subFast.map((r) => r.ms))),
    checkFairnessMs: round(median(fairness.map((r) => r.ms))), checkedPairs: report.checkedPairs, fair: report.ok,
    allQueuesMs: round(median(queues.map((r) => r.ms))), longestQueue: longest,
    assigned: result.assignments.length, unassigned: result.unassigned.length,
    firstChoiceShare: round(result.assignments.filter((x) => firstChoice.get(x.applicant) === x.facility).length / result.assignments.length, 3),
    assignedByTier,
    // Heap (with array buffers) after a full collection: what the input takes, then what one result retains; the typed arrays
    // one allocation works in; the process's peak RSS (the reference's included).
    memory: { inputMiB: mib(inputBytes), resultMiB: mib(resultBytes), allocateTypedArraysMiB: mib(workingBytes), peakRssMiB: mib(process.resourceUsage().maxRSS * 1024) },
    loadAverage: { before: round(loadBefore, 2), after: round(loadavg()[0]!, 2) },
    goal: { allocateMsAtMost: 1000, checkFairnessMsAtMost: 1000 }, met: allocateMs < 1000 && median(fairness.map((r) => r.ms)) < 1000,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(runWaitlistBench(), null, 2) + '\n');
}
