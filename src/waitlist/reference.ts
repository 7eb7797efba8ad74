// The straightforward deferred acceptance (the first version of `allocate`, generalised to the
// priority rule): a queue of free applicants in id order (array shift/unshift), each facility's
// held applicants kept in priority order by insertion (splice). Quadratic in the worst case; kept
// as the oracle of the property tests and the baseline of bench/waitlist.ts.
import { AllocationInputError, byId, comparePriority, DEFAULT_RULE, ruleKeys, type AllocationResult, type Applicant, type Facility, type PriorityRule } from './allocate.ts';

/** Applicant-proposing deferred acceptance, plainly; the same result as `allocate`. */
export function allocateReference(facilities: readonly Facility[], applicants: readonly Applicant[], rule: PriorityRule = DEFAULT_RULE): AllocationResult {
  const keys = ruleKeys(rule);
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
    const f = fac.get(a.choices[k]!);
    if (!f) throw new AllocationInputError(`申请人 ${a.id} 选择了未知机构 ${JSON.stringify(a.choices[k])} / applicant ${a.id}: unknown facility ${JSON.stringify(a.choices[k])} in choices`);
    const list = held.get(f.id)!;
    if (f.capacity === 0) {
      free.unshift(a);
      continue;
    }
    // Insert in the facility's priority order.
    let i = list.length;
    while (i > 0 && comparePriority(keys, f.district, a, list[i - 1]!) < 0) i--;
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
