// Allocation of basic-guarantee beds (issue 7 §3, §7), the pure part: applicant-proposing
// deferred acceptance (Gale–Shapley) over the facilities' priorities and the applicants' ranked
// choices. Each facility ranks applicants by tier (lower first), then those living in its district,
// then application time (as an instant), then id (string order). The result is the
// applicant-optimal stable matching: stable, strategy-proof for applicants, and the same for the
// same input whatever order applicants propose in.

export interface Facility {
  id: string;
  district: string;
  capacity: number;
}
export interface Applicant {
  id: string;
  district: string;
  tier: number;
  /** Milliseconds since the epoch (parsed from ISO-8601 `appliedAt`). */
  appliedAt: number;
  choices: string[];
}
export interface AllocationResult {
  assignments: { applicant: string; facility: string }[];
  unassigned: string[];
}

import { parseInstant } from '../core/dates.ts';

export { parseInstant };

export class AllocationInputError extends Error {}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Check the input; throws AllocationInputError naming the entry at fault. */
export function readAllocationInput(raw: unknown): { facilities: Facility[]; applicants: Applicant[] } {
  const fail = (m: string): never => {
    throw new AllocationInputError(m);
  };
  if (!isObj(raw)) fail('输入应为一个 JSON 对象 / input must be one JSON object');
  const o = raw as Record<string, unknown>;
  if (!Array.isArray(o.facilities)) fail('facilities 应为数组 / facilities must be an array');
  if (!Array.isArray(o.applicants)) fail('applicants 应为数组 / applicants must be an array');
  const facilities: Facility[] = [];
  const fids = new Set<string>();
  (o.facilities as unknown[]).forEach((f, i) => {
    if (!isObj(f) || typeof f.id !== 'string' || f.id === '') fail(`facilities[${i}] 缺少 id / facilities[${i}] needs a string id`);
    const ff = f as { id: string; district?: unknown; capacity?: unknown };
    if (fids.has(ff.id)) fail(`机构编号 ${ff.id} 重复 / duplicate facility id ${ff.id}`);
    fids.add(ff.id);
    if (typeof ff.district !== 'string') fail(`机构 ${ff.id} 缺少 district / facility ${ff.id} needs a district`);
    if (typeof ff.capacity !== 'number' || !Number.isInteger(ff.capacity)) fail(`机构 ${ff.id} 的 capacity 应为整数 / facility ${ff.id}: capacity must be an integer`);
    if ((ff.capacity as number) < 0) fail(`机构 ${ff.id} 的床位数为负数（${ff.capacity}） / facility ${ff.id}: negative capacity ${ff.capacity}`);
    facilities.push({ id: ff.id, district: ff.district as string, capacity: ff.capacity as number });
  });
  const applicants: Applicant[] = [];
  const aids = new Set<string>();
  (o.applicants as unknown[]).forEach((a, i) => {
    if (!isObj(a) || typeof a.id !== 'string' || a.id === '') fail(`applicants[${i}] 缺少 id / applicants[${i}] needs a string id`);
    const aa = a as { id: string; district?: unknown; tier?: unknown; appliedAt?: unknown; choices?: unknown };
    if (aids.has(aa.id)) fail(`申请人编号 ${aa.id} 重复 / duplicate applicant id ${aa.id}`);
    aids.add(aa.id);
    if (typeof aa.district !== 'string') fail(`申请人 ${aa.id} 缺少 district / applicant ${aa.id} needs a district`);
    if (typeof aa.tier !== 'number' || !Number.isFinite(aa.tier)) fail(`申请人 ${aa.id} 的 tier 应为数字 / applicant ${aa.id}: tier must be a number`);
    const at = typeof aa.appliedAt === 'string' ? parseInstant(aa.appliedAt) : null;
    if (at === null) fail(`申请人 ${aa.id} 的 appliedAt 不是有效的 ISO-8601 时间：${JSON.stringify(aa.appliedAt)} / applicant ${aa.id}: appliedAt is not an ISO-8601 date-time`);
    if (!Array.isArray(aa.choices)) fail(`申请人 ${aa.id} 的 choices 应为数组 / applicant ${aa.id}: choices must be an array`);
    const choices: string[] = [];
    for (const c of aa.choices as unknown[]) {
      if (typeof c !== 'string' || !fids.has(c)) fail(`申请人 ${aa.id} 选择了未知机构 ${JSON.stringify(c)} / applicant ${aa.id}: unknown facility ${JSON.stringify(c)} in choices`);
      if (!choices.includes(c as string)) choices.push(c as string); // a repeated choice adds nothing
    }
    applicants.push({ id: aa.id, district: aa.district as string, tier: aa.tier as number, appliedAt: at!, choices });
  });
  return { facilities, applicants };
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Does the facility rank `a` before `b`? */
export function ranksBefore(f: Facility, a: Applicant, b: Applicant): boolean {
  if (a.tier !== b.tier) return a.tier < b.tier;
  const al = a.district === f.district;
  const bl = b.district === f.district;
  if (al !== bl) return al;
  if (a.appliedAt !== b.appliedAt) return a.appliedAt < b.appliedAt;
  return a.id < b.id;
}

/** Applicant-proposing deferred acceptance. */
export function allocate(facilities: readonly Facility[], applicants: readonly Applicant[]): AllocationResult {
  const fac = new Map(facilities.map((f) => [f.id, f]));
  const held = new Map<string, Applicant[]>(facilities.map((f) => [f.id, []]));
  const next = new Map<string, number>(); // the applicant's next choice to propose to
  const free = [...applicants].sort((a, b) => byId(a.id, b.id));
  const assigned = new Map<string, string>();
  while (free.length > 0) {
    const a = free.shift()!;
    const k = next.get(a.id) ?? 0;
    if (k >= a.choices.length) continue; // exhausted: unassigned
    next.set(a.id, k + 1);
    const f = fac.get(a.choices[k]!)!;
    const list = held.get(f.id)!;
    if (f.capacity === 0) {
      free.unshift(a);
      continue;
    }
    // Insert in the facility's priority order.
    let i = list.length;
    while (i > 0 && ranksBefore(f, a, list[i - 1]!)) i--;
    list.splice(i, 0, a);
    assigned.set(a.id, f.id);
    if (list.length > f.capacity) {
      const out = list.pop()!;
      assigned.delete(out.id);
      free.unshift(out);
    }
  }
  const assignments = [...assigned.entries()].map(([applicant, facility]) => ({ applicant, facility })).sort((x, y) => byId(x.applicant, y.applicant));
  const unassigned = applicants.filter((a) => !assigned.has(a.id)).map((a) => a.id).sort(byId);
  return { assignments, unassigned };
}
