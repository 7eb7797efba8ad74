// Replaying a stored allocation run (issue 7 §3, `yiyang allocate replay RUN`): the same
// computation on the run's stored input and rule must give the stored result, and its fairness
// check is recomputed. Pure.
import { allocate, type AllocationResult, type Applicant, type Facility, type PriorityKey } from './allocate.ts';
import { checkFairness, type FairnessReport } from './fairness.ts';

export interface StoredRun {
  input: { facilities: { id: string; district: string; capacity: number }[]; applicants: { id: string; district: string; tier: number; appliedAt: string; choices: string[]; points?: number }[] };
  rule: { order?: unknown };
  result: AllocationResult;
}

export interface Replay {
  same: boolean;
  result: AllocationResult;
  fairness: FairnessReport;
  /** Applicants whose outcome differs from the stored one. */
  differences: { applicant: string; stored: string | null; replayed: string | null }[];
}

export function replayRun(run: StoredRun): Replay {
  const facilities: Facility[] = run.input.facilities.map((f) => ({ id: f.id, district: f.district, capacity: f.capacity }));
  const applicants: Applicant[] = run.input.applicants.map((a) => ({ id: a.id, district: a.district, tier: a.tier, appliedAt: Date.parse(a.appliedAt), choices: a.choices, points: a.points ?? 0 }));
  const rule = { order: (Array.isArray(run.rule.order) ? run.rule.order : ['tier', 'local', 'appliedAt', 'id']) as PriorityKey[] };
  const result = allocate(facilities, applicants, rule);
  const stored = new Map(run.result.assignments.map((x) => [x.applicant, x.facility]));
  const replayed = new Map(result.assignments.map((x) => [x.applicant, x.facility]));
  const differences = applicants
    .filter((a) => (stored.get(a.id) ?? null) !== (replayed.get(a.id) ?? null))
    .map((a) => ({ applicant: a.id, stored: stored.get(a.id) ?? null, replayed: replayed.get(a.id) ?? null }));
  return { same: differences.length === 0, result, fairness: checkFairness(facilities, applicants, result, rule), differences };
}
