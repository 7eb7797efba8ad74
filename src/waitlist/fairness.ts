// The fairness check of an allocation (issue 7 §3: nobody with a higher priority is passed over for
// a bed they chose), run on every allocation, and each applicant's place in the queue of every
// facility they chose (the citizen's "your position per choice").
//
// An allocation is fair (stable) when no applicant prefers a facility — lists it before the one
// they got, or got none — that has a free place or holds someone it ranks after them. Checked in
// O(C) for C choices in all: one pass over the assignments finds, for each facility, how many it
// holds and the worst of them under the rule; one pass over each applicant's choices before their
// assignment compares with that worst.
import { comparePriority, DEFAULT_RULE, placesOf, rankApplicants, ruleKeys, type AllocationResult, type Applicant, type Facility, type PriorityRule } from './allocate.ts';

export type FairnessViolationKind = 'passed_over' | 'over_capacity' | 'not_a_choice' | 'unknown' | 'wasted_place';
export interface FairnessViolation {
  kind: FairnessViolationKind;
  applicant?: string;
  /** The facility concerned; '' when the fault is about an applicant alone (an id missing from the result). */
  facility: string;
  /** For 'passed_over': the applicant the facility holds although it ranks them after `applicant` (the lowest it holds). */
  heldBy?: string;
  /** In Chinese, for the officer. */
  message: string;
}
export interface FairnessReport {
  ok: boolean;
  /** Applicants whose preferred choices were checked. */
  checkedApplicants: number;
  /** (applicant, facility listed before the assignment) pairs checked. */
  checkedPairs: number;
  violations: FairnessViolation[];
}

interface Held {
  facility: Facility;
  count: number;
  worst: Applicant | null;
}

/** Is `result` a fair allocation of these places to these applicants under the rule? */
export function checkFairness(facilities: readonly Facility[], applicants: readonly Applicant[], result: AllocationResult, rule: PriorityRule = DEFAULT_RULE): FairnessReport {
  const keys = ruleKeys(rule);
  const violations: FairnessViolation[] = [];
  const held = new Map<string, Held>();
  for (const f of facilities) {
    if (held.has(f.id)) violations.push({ kind: 'unknown', facility: f.id, message: `机构编号 ${f.id} 重复` });
    else held.set(f.id, { facility: f, count: 0, worst: null });
  }
  const byId = new Map<string, Applicant>();
  for (const a of applicants) {
    if (byId.has(a.id)) violations.push({ kind: 'unknown', applicant: a.id, facility: '', message: `申请人编号 ${a.id} 重复` });
    else byId.set(a.id, a);
  }
  const assignedTo = new Map<string, string>();
  for (const { applicant, facility } of result.assignments) {
    const a = byId.get(applicant);
    const h = held.get(facility);
    if (!a) violations.push({ kind: 'unknown', applicant, facility, message: `分配结果中的申请人 ${applicant} 不在申请名单中` });
    if (!h) violations.push({ kind: 'unknown', applicant, facility, message: `申请人 ${applicant} 被分配到不存在的机构 ${facility}` });
    const before = assignedTo.get(applicant);
    if (before !== undefined) {
      violations.push({ kind: 'unknown', applicant, facility, message: `申请人 ${applicant} 被分配了两次（${before} 和 ${facility}）` });
      continue;
    }
    assignedTo.set(applicant, facility);
    if (!a || !h) continue;
    h.count++;
    if (h.worst === null || comparePriority(keys, h.facility.district, a, h.worst) > 0) h.worst = a;
    if (!a.choices.includes(facility)) violations.push({ kind: 'not_a_choice', applicant, facility, message: `申请人 ${applicant} 被分配到其未填报的机构 ${facility}` });
  }
  const listedUnassigned = new Set<string>();
  for (const id of result.unassigned) {
    if (!byId.has(id)) violations.push({ kind: 'unknown', applicant: id, facility: '', message: `未分配名单中的申请人 ${id} 不在申请名单中` });
    else if (assignedTo.has(id)) violations.push({ kind: 'unknown', applicant: id, facility: assignedTo.get(id)!, message: `申请人 ${id} 既已分配到 ${assignedTo.get(id)}，又列在未分配名单中` });
    listedUnassigned.add(id);
  }
  for (const h of held.values()) {
    const places = placesOf(h.facility);
    if (h.count > places) violations.push({ kind: 'over_capacity', facility: h.facility.id, message: `机构 ${h.facility.id} 安排了 ${h.count} 人，超过其床位数 ${places}` });
  }
  let checkedApplicants = 0, checkedPairs = 0;
  for (const a of byId.values()) {
    const mine = assignedTo.get(a.id);
    if (mine === undefined && !listedUnassigned.has(a.id)) violations.push({ kind: 'unknown', applicant: a.id, facility: '', message: `申请人 ${a.id} 既不在分配结果中，也不在未分配名单中` });
    checkedApplicants++;
    // The choices `a` prefers to what they got: all of them when unassigned or given something they did not choose.
    const at = mine === undefined ? -1 : a.choices.indexOf(mine);
    const limit = at < 0 ? a.choices.length : at;
    for (let k = 0; k < limit; k++) {
      const fid = a.choices[k]!;
      const h = held.get(fid);
      if (!h) {
        violations.push({ kind: 'unknown', applicant: a.id, facility: fid, message: `申请人 ${a.id} 选择了不存在的机构 ${fid}` });
        continue;
      }
      checkedPairs++;
      const places = placesOf(h.facility);
      if (h.count < places) {
        violations.push({ kind: 'wasted_place', applicant: a.id, facility: fid, message: `机构 ${fid} 尚有空床（已安排 ${h.count} 人，床位 ${places} 张），申请人 ${a.id} 填报了该机构且更愿意去，却未被安排` });
      } else if (h.worst !== null && comparePriority(keys, h.facility.district, a, h.worst) < 0) {
        violations.push({
          kind: 'passed_over', applicant: a.id, facility: fid, heldBy: h.worst.id,
          message: `申请人 ${a.id} 的轮候顺序排在 ${h.worst.id} 之前，却未获得其更愿意去的机构 ${fid} 的床位（该床位给了 ${h.worst.id}）`,
        });
      }
    }
  }
  return { ok: violations.length === 0, checkedApplicants, checkedPairs, violations };
}

export interface QueuePosition {
  applicant: string;
  /** 1-based place in the facility's priority order among the applicants who chose it. */
  position: number;
  /** How many of those ahead are of each tier (tiers with nobody ahead are left out). */
  aheadByTier: Record<number, number>;
}

/**
 * Every applicant who lists the facility, in its priority order, with their position and the
 * number ahead of them per tier. O(k log k) for k applicants listing it (plus one scan to find
 * them among `applicants`).
 */
export function queuePositions(facility: Facility, applicants: readonly Applicant[], rule: PriorityRule = DEFAULT_RULE): QueuePosition[] {
  const keys = ruleKeys(rule);
  const listing = applicants.filter((a) => a.choices.includes(facility.id));
  listing.sort((a, b) => comparePriority(keys, facility.district, a, b));
  const ahead = new Map<number, number>();
  return listing.map((a, i) => {
    const aheadByTier = Object.fromEntries(ahead) as Record<number, number>;
    ahead.set(a.tier, (ahead.get(a.tier) ?? 0) + 1);
    return { applicant: a.id, position: i + 1, aheadByTier };
  });
}

/**
 * Every facility's queue — the ids of the applicants who list it, in its priority order — in one
 * pass: O(n log n + C log k) for n applicants, C choices and k the longest queue. Choices of
 * unknown facilities are left out; a choice listed twice counts once.
 */
export function allQueues(facilities: readonly Facility[], applicants: readonly Applicant[], rule: PriorityRule = DEFAULT_RULE): Map<string, string[]> {
  const { order, base, extra } = rankApplicants(applicants, rule);
  const n = applicants.length;
  const index = new Map<string, number>();
  const kept: Facility[] = [];
  for (const f of facilities) {
    if (index.has(f.id)) continue;
    index.set(f.id, kept.length);
    kept.push(f);
  }
  // Two passes over the choices: how many list each facility, then each one's queue in its slice
  // of one array — the facility's integer priority (below 2n) and the rank in one exact number
  // (below 2n², exact in a double for n up to 6·10⁷), sorted as numbers.
  let total = 0;
  for (const a of applicants) total += a.choices.length;
  const choiceFac = new Int32Array(total); // per choice in rank order: the facility's index, -1 to skip
  const at = new Int32Array(kept.length + 1);
  const lastRank = new Int32Array(kept.length).fill(-1);
  let p = 0;
  for (let r = 0; r < n; r++) {
    for (const c of applicants[order[r]!]!.choices) {
      const j = index.get(c);
      if (j === undefined || lastRank[j] === r) choiceFac[p++] = -1;
      else {
        lastRank[j] = r;
        choiceFac[p++] = j;
        at[j + 1]!++;
      }
    }
  }
  for (let j = 0; j < kept.length; j++) at[j + 1]! += at[j]!;
  const fill = at.slice(0, kept.length);
  const packed = new Float64Array(at[kept.length]!);
  p = 0;
  for (let r = 0; r < n; r++) {
    const a = applicants[order[r]!]!;
    const len = a.choices.length;
    for (let k = 0; k < len; k++) {
      const j = choiceFac[p++]!;
      if (j >= 0) packed[fill[j]!++] = (base[r]! + (a.district === kept[j]!.district ? 0 : extra[r]!)) * n + r;
    }
  }
  const out = new Map<string, string[]>();
  kept.forEach((f, j) => {
    const queue = packed.subarray(at[j]!, at[j + 1]!).sort();
    const ids = new Array<string>(queue.length);
    for (let i = 0; i < queue.length; i++) ids[i] = applicants[order[queue[i]! % n]!]!.id;
    out.set(f.id, ids);
  });
  return out;
}
