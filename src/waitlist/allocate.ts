// Allocation of basic-guarantee beds (issue 7 §3, §7), the pure part: applicant-proposing
// deferred acceptance (Gale–Shapley) over the facilities' priorities and the applicants' ranked
// choices. Each facility ranks applicants by a priority rule — by default tier (lower first), then
// those living in its district, then application time (as an instant), then id (string order).
// The result is the applicant-optimal stable matching: stable, strategy-proof for applicants, and
// the same for the same input whatever order applicants and facilities are given in.
//
// `allocate` runs in O(n log n + C log c) for n applicants, C choices in all and c the largest
// capacity: the applicants are sorted once by the rule without 'local' (a global rank), so that a
// facility's priority of an applicant is one integer; each facility holds its current applicants
// in a bounded max-heap (worst on top); an applicant it displaces proposes next. The straightforward
// version is `allocateReference` (reference.ts), the oracle of the tests and the bench's baseline.

export interface Facility {
  id: string;
  district: string;
  capacity: number;
}
export interface Applicant {
  id: string;
  district: string;
  tier: number;
  /** Points from the assessment or the local policy; higher first where the rule uses them. Default 0. */
  points?: number;
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

/** What a facility ranks applicants by, most significant first. */
export type PriorityKey = 'tier' | 'points' | 'local' | 'appliedAt' | 'id';
/**
 * A facility's priority order over applicants: `tier` lower first, `points` higher first (absent is
 * 0), `local` those whose district is the facility's first, `appliedAt` earlier first, `id` string
 * order. `id` is always the final tie-break, even if omitted (keys after it can never decide).
 */
export interface PriorityRule {
  order: readonly PriorityKey[];
}
/** Issue 7 §3's order, the CLI's: tier, own district, application time, id. */
export const DEFAULT_RULE: PriorityRule = Object.freeze({ order: Object.freeze(['tier', 'local', 'appliedAt', 'id'] as const) });

const PRIORITY_KEYS: ReadonlySet<string> = new Set<PriorityKey>(['tier', 'points', 'local', 'appliedAt', 'id']);

const appliedKeys = new WeakMap<readonly PriorityKey[], readonly PriorityKey[]>();

/**
 * The rule as applied: each key once, ending with 'id'. Throws AllocationInputError on an unknown
 * key. Remembered per `order` array (so `ranksBefore` in a loop costs no allocation): treat a
 * rule's `order` as immutable once used.
 */
export function ruleKeys(rule: PriorityRule): readonly PriorityKey[] {
  const known = appliedKeys.get(rule.order);
  if (known) return known;
  const out: PriorityKey[] = [];
  for (const k of rule.order) {
    if (!PRIORITY_KEYS.has(k)) throw new AllocationInputError(`未知的排序依据 ${JSON.stringify(k)} / unknown priority key ${JSON.stringify(k)}`);
    if (out.includes(k)) continue;
    out.push(k);
    if (k === 'id') break;
  }
  if (out.at(-1) !== 'id') out.push('id');
  Object.freeze(out);
  appliedKeys.set(rule.order, out);
  return out;
}

export const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const pointsOf = (a: Applicant) => a.points ?? 0;

/** Negative when a facility in `district` ranks `a` before `b` under `keys` (from ruleKeys), positive after, 0 only for the same id. */
export function comparePriority(keys: readonly PriorityKey[], district: string, a: Applicant, b: Applicant): number {
  for (const k of keys) {
    switch (k) {
      case 'tier':
        if (a.tier !== b.tier) return a.tier < b.tier ? -1 : 1;
        break;
      case 'points': {
        const pa = pointsOf(a), pb = pointsOf(b);
        if (pa !== pb) return pa > pb ? -1 : 1;
        break;
      }
      case 'local': {
        const la = a.district === district, lb = b.district === district;
        if (la !== lb) return la ? -1 : 1;
        break;
      }
      case 'appliedAt':
        if (a.appliedAt !== b.appliedAt) return a.appliedAt < b.appliedAt ? -1 : 1;
        break;
      case 'id':
        return byId(a.id, b.id);
    }
  }
  return 0;
}

/** Does the facility rank `a` before `b` under the rule? */
export function ranksBefore(f: Facility, a: Applicant, b: Applicant, rule: PriorityRule = DEFAULT_RULE): boolean {
  return comparePriority(ruleKeys(rule), f.district, a, b) < 0;
}

/** A capacity as deferred acceptance applies it: whole places, none below zero. */
export const placesOf = (f: Facility) => (f.capacity > 0 ? Math.floor(f.capacity) : 0);

/**
 * The applicants ranked once for every facility. `order[r]` is the index (in the input) of the
 * applicant of global rank r — the rule without 'local'; `rankOf` the inverse; `idOrder` the input
 * indices in id order. A facility's priority of the applicant of rank r is the integer
 * `base[r] + (local ? 0 : extra[r])`, smaller first: the keys before 'local' make groups of
 * consecutive ranks [s, e); within a group the locals get r + s ∈ [2s, s + e) and the others
 * r + e ∈ [s + e, 2e), so every key is below 2n and the order is exactly the rule's.
 */
export interface Ranking {
  order: Int32Array;
  rankOf: Int32Array;
  idOrder: Int32Array;
  base: Int32Array;
  extra: Int32Array;
}

export function rankApplicants(applicants: readonly Applicant[], rule: PriorityRule): Ranking {
  const keys = ruleKeys(rule);
  const n = applicants.length;
  const idOrder = new Int32Array(n);
  for (let i = 0; i < n; i++) idOrder[i] = i;
  const ids = applicants.map((a) => a.id);
  idOrder.sort((x, y) => {
    const a = ids[x]!, b = ids[y]!;
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const idRank = new Float64Array(n);
  for (let r = 0; r < n; r++) idRank[idOrder[r]!] = r;
  // One numeric column per key except 'local', each smaller-first.
  const column = (k: PriorityKey): Float64Array => {
    const c = new Float64Array(n);
    if (k === 'id') return idRank;
    for (let i = 0; i < n; i++) {
      const a = applicants[i]!;
      c[i] = k === 'tier' ? a.tier : k === 'points' ? -pointsOf(a) : a.appliedAt;
    }
    return c;
  };
  const localAt = keys.indexOf('local');
  const cols = keys.filter((k) => k !== 'local').map(column);
  const prefix = localAt < 0 ? 0 : localAt; // columns that come before 'local'
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (cols.length === 1) order.set(idOrder);
  else
    order.sort((x, y) => {
      for (const c of cols) {
        const cx = c[x]!, cy = c[y]!;
        if (cx !== cy) return cx < cy ? -1 : 1;
      }
      return 0;
    });
  const rankOf = new Int32Array(n);
  for (let r = 0; r < n; r++) rankOf[order[r]!] = r;
  const base = new Int32Array(n);
  const extra = new Int32Array(n);
  if (localAt < 0) {
    for (let r = 0; r < n; r++) base[r] = r;
  } else {
    const samePrefix = (x: number, y: number) => {
      for (let j = 0; j < prefix; j++) if (cols[j]![x] !== cols[j]![y]) return false;
      return true;
    };
    let s = 0;
    while (s < n) {
      let e = s + 1;
      while (e < n && samePrefix(order[s]!, order[e]!)) e++;
      for (let r = s; r < e; r++) {
        base[r] = r + s;
        extra[r] = e - s;
      }
      s = e;
    }
  }
  return { order, rankOf, idOrder, base, extra };
}

/**
 * Applicant-proposing deferred acceptance; the applicant-optimal stable matching. Applicant and
 * facility ids are taken to be unique (readAllocationInput checks); a choice of an unknown
 * facility throws AllocationInputError; a choice listed twice counts once.
 */
export function allocate(facilities: readonly Facility[], applicants: readonly Applicant[], rule: PriorityRule = DEFAULT_RULE): AllocationResult {
  const { order, idOrder, rankOf, base, extra } = rankApplicants(applicants, rule);
  const n = applicants.length;
  const m = facilities.length;
  const facIndex = new Map<string, number>();
  facilities.forEach((f, j) => facIndex.set(f.id, j));
  // The choices in rank order, flattened (CSR), each with the facility's integer priority of the applicant.
  let total = 0;
  for (const a of applicants) total += a.choices.length;
  const start = new Int32Array(n + 1);
  const choiceFac = new Int32Array(total);
  const choiceKey = new Int32Array(total);
  const listed = new Int32Array(m);
  let p = 0;
  for (let r = 0; r < n; r++) {
    start[r] = p;
    const a = applicants[order[r]!]!;
    for (const c of a.choices) {
      const j = facIndex.get(c);
      if (j === undefined) throw new AllocationInputError(`申请人 ${a.id} 选择了未知机构 ${JSON.stringify(c)} / applicant ${a.id}: unknown facility ${JSON.stringify(c)} in choices`);
      choiceFac[p] = j;
      choiceKey[p] = base[r]! + (a.district === facilities[j]!.district ? 0 : extra[r]!);
      listed[j]!++;
      p++;
    }
  }
  start[n] = p;
  // Each facility's bounded max-heap (worst held on top) in one shared pair of arrays.
  const cap = new Int32Array(m);
  const heapAt = new Int32Array(m);
  let slots = 0;
  for (let j = 0; j < m; j++) {
    cap[j] = Math.min(placesOf(facilities[j]!), listed[j]!);
    heapAt[j] = slots;
    slots += cap[j]!;
  }
  const heapKey = new Int32Array(slots);
  const heapWho = new Int32Array(slots);
  const size = new Int32Array(m);
  const next = start.slice(0, n); // each applicant's next choice to propose to, as an offset into choiceFac
  // Every applicant proposes down its list until held; one it displaces carries on in its place
  // (the stack of free applicants is this loop and that hand-over). Any order gives the same result.
  for (let r = 0; r < n; r++) {
    let a = r;
    while (a >= 0) {
      const end = start[a + 1]!;
      let q = next[a]!;
      let displaced = -1;
      while (q < end) {
        const j = choiceFac[q]!, key = choiceKey[q]!;
        q++;
        const h = heapAt[j]!, s = size[j]!;
        if (s < cap[j]!) {
          // A free place: sift up from the bottom.
          let i = s;
          while (i > 0) {
            const up = (i - 1) >> 1;
            if (heapKey[h + up]! >= key) break;
            heapKey[h + i] = heapKey[h + up]!;
            heapWho[h + i] = heapWho[h + up]!;
            i = up;
          }
          heapKey[h + i] = key;
          heapWho[h + i] = a;
          size[j] = s + 1;
          break;
        }
        if (s > 0 && key < heapKey[h]!) {
          // Full, and the facility ranks `a` before the worst it holds: that one is displaced; sift `a` down from the top.
          displaced = heapWho[h]!;
          let i = 0;
          for (;;) {
            const l = 2 * i + 1;
            if (l >= s) break;
            const c = l + 1 < s && heapKey[h + l + 1]! > heapKey[h + l]! ? l + 1 : l;
            if (heapKey[h + c]! <= key) break;
            heapKey[h + i] = heapKey[h + c]!;
            heapWho[h + i] = heapWho[h + c]!;
            i = c;
          }
          heapKey[h + i] = key;
          heapWho[h + i] = a;
          break;
        }
      }
      next[a] = q;
      a = displaced; // -1: held at a free place, or the list is exhausted (unassigned)
    }
  }
  const heldAt = new Int32Array(n).fill(-1);
  for (let j = 0; j < m; j++) for (let i = 0; i < size[j]!; i++) heldAt[heapWho[heapAt[j]! + i]!] = j;
  const assignments: AllocationResult['assignments'] = [];
  const unassigned: string[] = [];
  for (let k = 0; k < n; k++) {
    const i = idOrder[k]!;
    const j = heldAt[rankOf[i]!]!;
    if (j >= 0) assignments.push({ applicant: applicants[i]!.id, facility: facilities[j]!.id });
    else unassigned.push(applicants[i]!.id);
  }
  return { assignments, unassigned };
}
