// Scheduling of a provider's home-care visit orders to its caregivers (issue 8 §3), the pure part:
// a simple greedy heuristic with one short improvement pass, every assignment explained in Chinese
// and one quality figure, travel minutes per care hour.
//
// Hard rules (an assignment that breaks one is never made):
//  - qualification: an order's kind may need a qualification (`params.qualificationByKind`, e.g.
//    nursing → the nursing qualification); an order may need a skill grade of at least X;
//  - working hours: the visit lies inside one of the caregiver's shifts, and the caregiver's service
//    minutes on that Shanghai local day stay within `maxMinutesPerDay`;
//  - the order's time window: the visit starts between `earliestStart` and `latestStart`;
//  - no overlap, travel included: within a shift, a visit starts no earlier than the previous one's
//    end plus the travel between the two homes; the first visit of a shift starts no earlier than
//    the shift's start plus the travel from the caregiver's base (when a base is given).
// Travel between two points = ⌈great-circle metres ÷ (travelSpeedKmh × 1000 / 60)⌉ minutes +
// `bufferMinutes` (parking, stairs, hand-over).
//
// The heuristic. Orders in (earliest start, latest start, id) order; caregivers in id order. For
// each order, every qualified caregiver's best insertion into their route (any gap of a shift
// where the visit fits, existing visits keeping their start times; earliest possible start in that
// gap) is costed by the travel it adds (travel in + travel out − the travel it replaces). Among
// caregivers the lowest score wins, score = added travel − `continuityBonusMinutes` when the
// caregiver served the person before (in `servedBefore`, or earlier in this run); ties by
// continuity, then fewer service minutes assigned so far, then id. Then `improvementPasses` passes:
// each assigned order (same order) is taken out and put back at the best place (the same place
// or a better one), after which the unassigned orders are tried again. Deterministic, and
// independent of the order of the input arrays. Ids must be unique; a caregiver's shifts must not
// overlap (both are checked; a breach is a broken invariant and throws).
import { BUSINESS_TZ } from '../core/dates.ts';
import { greatCircleMeters, shanghaiDay } from './settle.ts';

export interface GeoPoint {
  lat: number;
  lon: number;
}

export interface ScheduleParams {
  /** Average door-to-door travel speed between homes (km/h). */
  travelSpeedKmh: number;
  /** Minutes added to every leg (parking, stairs, hand-over). */
  bufferMinutes: number;
  /** A caregiver who served the person before is preferred as if their travel were this many minutes shorter. */
  continuityBonusMinutes: number;
  /** Kind of order → the qualification it needs (kinds not listed need none). */
  qualificationByKind: Readonly<Record<string, string>>;
  /** Relocation passes after the greedy assignment (0: none). */
  improvementPasses: number;
}

export interface Shift {
  /** Epoch milliseconds. */
  start: number;
  end: number;
}

export interface Caregiver {
  id: string;
  qualifications: readonly string[];
  skillGrade: number;
  shifts: readonly Shift[];
  /** Most service (care) minutes on one Shanghai local day; travel is not counted. */
  maxMinutesPerDay: number;
  /** Where the caregiver sets out from at the start of a shift (optional: without it the first leg is free). */
  base?: GeoPoint | null;
}

export interface VisitOrder {
  id: string;
  person: string;
  kind: string;
  home: GeoPoint;
  /** Epoch milliseconds: the visit must start in [earliestStart, latestStart]. */
  earliestStart: number;
  latestStart: number;
  durationMinutes: number;
  minSkillGrade?: number | null;
}

export interface ScheduleInput {
  caregivers: readonly Caregiver[];
  orders: readonly VisitOrder[];
  /** Person id → caregivers who served that person before (continuity of care). */
  servedBefore?: Readonly<Record<string, readonly string[]>>;
}

export interface Assignment {
  orderId: string;
  caregiverId: string;
  /** Epoch milliseconds. */
  start: number;
  /** Travel from the previous stop of the same shift (or from the base), 0 for a first stop without a base. */
  travelMinutesBefore: number;
  explain: string;
}

export type UnassignedReason = 'invalid_order' | 'no_qualification' | 'no_skill_grade' | 'no_shift' | 'daily_cap' | 'busy';

export interface Unassigned {
  orderId: string;
  reason: UnassignedReason;
  text: string;
}

export interface RouteStop {
  orderId: string;
  start: number;
  end: number;
  travelMinutesBefore: number;
}

export interface ScheduleResult {
  /** By order id. */
  assignments: Assignment[];
  /** By order id. */
  unassigned: Unassigned[];
  /** Caregivers with at least one visit, by id; each route in start order. */
  routes: { caregiverId: string; stops: RouteStop[] }[];
  travelMinutes: number;
  careMinutes: number;
  /** Total travel minutes ÷ total assigned care hours; null when nothing is assigned. */
  travelMinutesPerCareHour: number | null;
}

/** Chinese names of qualifications, for the explanations (an unknown code is shown as it is). */
export const QUALIFICATION_NAMES: Readonly<Record<string, string>> = { nursing: '护理', care: '生活照料' };

const MS_PER_MINUTE = 60_000;
const MINUTES_PER_HOUR = 60;
const METERS_PER_KM = 1000;

/** Travel minutes between two points: ⌈metres ÷ speed⌉ + buffer. */
export function travelMinutes(a: GeoPoint, b: GeoPoint, params: Pick<ScheduleParams, 'travelSpeedKmh' | 'bufferMinutes'>): number {
  const metersPerMinute = (params.travelSpeedKmh * METERS_PER_KM) / MINUTES_PER_HOUR;
  return Math.ceil(greatCircleMeters(a, b) / metersPerMinute) + params.bufferMinutes;
}

interface Order {
  id: string;
  person: string;
  home: GeoPoint;
  earliest: number;
  latest: number;
  durMs: number;
  durMin: number;
  qualification: string | null;
  minGrade: number;
}

interface Stop {
  order: Order;
  start: number;
  end: number;
}

interface ShiftRoute {
  start: number;
  end: number;
  stops: Stop[];
}

interface Worker {
  id: string;
  qualifications: Set<string>;
  grade: number;
  base: GeoPoint | null;
  shifts: ShiftRoute[];
  maxPerDay: number;
  dayMinutes: Map<string, number>;
  assignedMinutes: number;
}

interface Insertion {
  worker: Worker;
  shift: ShiftRoute;
  pos: number;
  start: number;
  added: number;
  served: boolean;
  score: number;
  /** The caregiver's service minutes assigned when this was costed (a tie-break). */
  minutes: number;
}

/** What the choice was, kept for the explanation. */
interface Decision {
  ins: Insertion;
  candidates: number;
  runnerUp: Insertion | null;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Negative when insertion a is preferred to b: lower score, continuity, fewer minutes assigned, smaller id. */
function prefer(a: Insertion, b: Insertion): number {
  if (a.score !== b.score) return a.score - b.score;
  if (a.served !== b.served) return a.served ? -1 : 1;
  if (a.minutes !== b.minutes) return a.minutes - b.minutes;
  return byId(a.worker.id, b.worker.id);
}

export function schedule(input: ScheduleInput, params: ScheduleParams): ScheduleResult {
  if (!(params.travelSpeedKmh > 0)) throw new Error(`travelSpeedKmh must be positive, got ${params.travelSpeedKmh}`);
  const travel = (a: GeoPoint, b: GeoPoint) => travelMinutes(a, b, params);

  const seenOrders = new Set<string>();
  const orders: Order[] = input.orders.map((o) => {
    if (seenOrders.has(o.id)) throw new Error(`duplicate order id ${o.id}`);
    seenOrders.add(o.id);
    return {
      id: o.id, person: o.person, home: o.home, earliest: o.earliestStart, latest: o.latestStart,
      durMs: o.durationMinutes * MS_PER_MINUTE, durMin: o.durationMinutes,
      qualification: params.qualificationByKind[o.kind] ?? null, minGrade: o.minSkillGrade ?? -Infinity,
    };
  });
  orders.sort((a, b) => (a.earliest !== b.earliest ? a.earliest - b.earliest : a.latest !== b.latest ? a.latest - b.latest : byId(a.id, b.id)));

  const seenWorkers = new Set<string>();
  const workers: Worker[] = input.caregivers.map((c) => {
    if (seenWorkers.has(c.id)) throw new Error(`duplicate caregiver id ${c.id}`);
    seenWorkers.add(c.id);
    const shifts = [...c.shifts].sort((a, b) => a.start - b.start || a.end - b.end).map((s) => ({ start: s.start, end: s.end, stops: [] as Stop[] }));
    for (let i = 1; i < shifts.length; i++) if (shifts[i]!.start < shifts[i - 1]!.end) throw new Error(`caregiver ${c.id}: shifts overlap`);
    return { id: c.id, qualifications: new Set(c.qualifications), grade: c.skillGrade, base: c.base ?? null, shifts, maxPerDay: c.maxMinutesPerDay, dayMinutes: new Map(), assignedMinutes: 0 };
  });
  workers.sort((a, b) => byId(a.id, b.id));

  // Continuity: served before this run, or given another order of the person in this run.
  const history = new Set<string>();
  for (const [person, ids] of Object.entries(input.servedBefore ?? {})) for (const id of ids) history.add(`${person}\u0000${id}`);
  const inRun = new Map<string, number>();
  const served = (w: Worker, o: Order) => {
    const k = `${o.person}\u0000${w.id}`;
    return history.has(k) || (inRun.get(k) ?? 0) > 0;
  };

  const valid = (o: Order) => Number.isFinite(o.earliest) && Number.isFinite(o.latest) && o.latest >= o.earliest && o.durMin > 0 && Number.isFinite(o.durMin);
  const qualified = (w: Worker, o: Order) => (o.qualification === null || w.qualifications.has(o.qualification)) && w.grade >= o.minGrade;

  /** The caregiver's best place for the order (least added travel, then earliest start), or null. */
  function bestInsertion(w: Worker, o: Order): Insertion | null {
    let best: Insertion | null = null;
    for (const shift of w.shifts) {
      if (shift.end < o.earliest + o.durMs || shift.start > o.latest) continue;
      const stops = shift.stops;
      for (let pos = 0; pos <= stops.length; pos++) {
        const prev = pos > 0 ? stops[pos - 1]! : null;
        const next = pos < stops.length ? stops[pos]! : null;
        if (prev && prev.end > o.latest) break; // later gaps start even later
        if (next && next.start < o.earliest + o.durMs) continue;
        const from = prev ? prev.order.home : w.base;
        const tIn = from ? travel(from, o.home) : 0;
        const start = Math.max(o.earliest, (prev ? prev.end : shift.start) + tIn * MS_PER_MINUTE);
        if (start > o.latest) continue;
        const end = start + o.durMs;
        if (end > shift.end) continue;
        let added = tIn;
        if (next) {
          const tOut = travel(o.home, next.order.home);
          if (end + tOut * MS_PER_MINUTE > next.start) continue;
          added += tOut - (from ? travel(from, next.order.home) : 0);
        }
        if ((w.dayMinutes.get(shanghaiDay(start)) ?? 0) + o.durMin > w.maxPerDay) continue;
        if (!best || added < best.added || (added === best.added && start < best.start)) {
          const s = served(w, o);
          best = { worker: w, shift, pos, start, added, served: s, score: added - (s ? params.continuityBonusMinutes : 0), minutes: w.assignedMinutes };
        }
      }
    }
    return best;
  }

  function choose(o: Order): Decision | null {
    let best: Insertion | null = null;
    let runnerUp: Insertion | null = null;
    let candidates = 0;
    for (const w of workers) {
      if (!qualified(w, o)) continue;
      const ins = bestInsertion(w, o);
      if (!ins) continue;
      candidates++;
      if (!best || prefer(ins, best) < 0) {
        runnerUp = best;
        best = ins;
      } else if (!runnerUp || prefer(ins, runnerUp) < 0) runnerUp = ins;
    }
    return best ? { ins: best, candidates, runnerUp } : null;
  }

  const placed = new Map<string, { stop: Stop; worker: Worker; shift: ShiftRoute; decision: Decision }>();
  const countKey = (w: Worker, o: Order) => `${o.person}\u0000${w.id}`;
  function place(o: Order, d: Decision) {
    const { worker: w, shift, pos, start } = d.ins;
    const stop: Stop = { order: o, start, end: start + o.durMs };
    shift.stops.splice(pos, 0, stop);
    const day = shanghaiDay(start);
    w.dayMinutes.set(day, (w.dayMinutes.get(day) ?? 0) + o.durMin);
    w.assignedMinutes += o.durMin;
    inRun.set(countKey(w, o), (inRun.get(countKey(w, o)) ?? 0) + 1);
    placed.set(o.id, { stop, worker: w, shift, decision: d });
  }
  /** Take an order out of its route; false (and nothing changed) if its neighbours would not then fit together. */
  function unplace(o: Order): boolean {
    const p = placed.get(o.id)!;
    const { stop, worker: w, shift } = p;
    const i = shift.stops.indexOf(stop);
    const prev = i > 0 ? shift.stops[i - 1]! : null;
    const next = i + 1 < shift.stops.length ? shift.stops[i + 1]! : null;
    const from = prev ? prev.order.home : w.base;
    // Travel obeys the triangle inequality, up to floating point: check rather than assume.
    if (next && (prev ? prev.end : shift.start) + (from ? travel(from, next.order.home) : 0) * MS_PER_MINUTE > next.start) return false;
    shift.stops.splice(i, 1);
    const day = shanghaiDay(stop.start);
    w.dayMinutes.set(day, w.dayMinutes.get(day)! - o.durMin);
    w.assignedMinutes -= o.durMin;
    inRun.set(countKey(w, o), inRun.get(countKey(w, o))! - 1);
    placed.delete(o.id);
    return true;
  }

  const open = orders.filter(valid);
  for (const o of open) {
    const d = choose(o);
    if (d) place(o, d);
  }
  for (let pass = 0; pass < params.improvementPasses; pass++) {
    for (const o of open) {
      if (!placed.has(o.id)) continue;
      const before = placed.get(o.id)!;
      if (!unplace(o)) continue;
      // Its old place is free again, so the best found is at least as good (it may be the same).
      const d = choose(o);
      if (d) place(o, d);
      else {
        // Only if moving earlier in its gap crossed midnight into a full day: put it back as it was.
        const { worker, shift, stop } = before;
        const pos = shift.stops.filter((x) => x.start < stop.start).length;
        place(o, { ...before.decision, ins: { ...before.decision.ins, worker, shift, pos, start: stop.start } });
      }
    }
    for (const o of open) {
      if (placed.has(o.id)) continue;
      const d = choose(o);
      if (d) place(o, d);
    }
  }

  // Output: routes with the final travel legs, assignments with their explanation, the figure.
  const fmt = timeFormatter();
  const assignments: Assignment[] = [];
  const routes: ScheduleResult['routes'] = [];
  let travelTotal = 0;
  let careTotal = 0;
  for (const w of workers) {
    const stops: RouteStop[] = [];
    for (const shift of w.shifts) {
      shift.stops.forEach((s, i) => {
        const prev = i > 0 ? shift.stops[i - 1]! : null;
        const from = prev ? prev.order.home : w.base;
        const t = from ? travel(from, s.order.home) : 0;
        travelTotal += t;
        careTotal += s.order.durMin;
        stops.push({ orderId: s.order.id, start: s.start, end: s.end, travelMinutesBefore: t });
        const p = placed.get(s.order.id)!;
        assignments.push({ orderId: s.order.id, caregiverId: w.id, start: s.start, travelMinutesBefore: t, explain: explain(s, prev, shift, w, t, p.decision, params, fmt, from) });
      });
    }
    if (stops.length > 0) routes.push({ caregiverId: w.id, stops });
  }
  assignments.sort((a, b) => byId(a.orderId, b.orderId));

  const unassigned: Unassigned[] = orders
    .filter((o) => !placed.has(o.id))
    .map((o) => ({ orderId: o.id, ...whyUnassigned(o, workers, valid, qualified, travel) }))
    .sort((a, b) => byId(a.orderId, b.orderId));
  return {
    assignments, unassigned, routes, travelMinutes: travelTotal, careMinutes: careTotal,
    travelMinutesPerCareHour: careTotal > 0 ? travelTotal / (careTotal / MINUTES_PER_HOUR) : null,
  };
}

/** The first hard rule that leaves no caregiver, in the order the rules are listed above. */
function whyUnassigned(
  o: Order, workers: readonly Worker[], valid: (o: Order) => boolean, qualified: (w: Worker, o: Order) => boolean,
  travel: (a: GeoPoint, b: GeoPoint) => number,
): { reason: UnassignedReason; text: string } {
  if (!valid(o)) return { reason: 'invalid_order', text: '工单的时间窗或服务时长无效（最晚开始早于最早开始，或时长不为正）' };
  const qualName = o.qualification === null ? '' : (QUALIFICATION_NAMES[o.qualification] ?? o.qualification);
  const withQual = o.qualification === null ? workers : workers.filter((w) => w.qualifications.has(o.qualification!));
  if (withQual.length === 0) return { reason: 'no_qualification', text: `无具备${qualName}资质的护理员` };
  const able = withQual.filter((w) => qualified(w, o));
  if (able.length === 0) return { reason: 'no_skill_grade', text: `无技能等级达到 ${o.minGrade} 级的${qualName ? `具备${qualName}资质的` : ''}护理员` };
  // A shift that could hold the visit if the caregiver had nothing else that day.
  const fits = (w: Worker, s: ShiftRoute) => {
    const start = Math.max(o.earliest, s.start + (w.base ? travel(w.base, o.home) : 0) * MS_PER_MINUTE);
    return start <= o.latest && start + o.durMs <= s.end ? start : null;
  };
  const onShift = able.filter((w) => w.shifts.some((s) => fits(w, s) !== null));
  if (onShift.length === 0) return { reason: 'no_shift', text: '时间窗内无在班护理员（班次容纳不下该次服务）' };
  const underCap = onShift.filter((w) => w.shifts.some((s) => {
    const start = fits(w, s);
    return start !== null && (w.dayMinutes.get(shanghaiDay(start)) ?? 0) + o.durMin <= w.maxPerDay;
  }));
  if (underCap.length === 0) return { reason: 'daily_cap', text: '在班护理员当日服务时长已达上限' };
  return { reason: 'busy', text: '时间窗内无空闲护理员（已排满，或加上路程时间后排不下）' };
}

type Fmt = (t: number) => string;
function timeFormatter(): Fmt {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: BUSINESS_TZ, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const DATE_FROM = 5; // YYYY-MM-DD → MM-DD
  return (t) => `${shanghaiDay(t).slice(DATE_FROM)} ${f.format(t)}`;
}

function explain(s: Stop, prev: Stop | null, shift: ShiftRoute, w: Worker, t: number, d: Decision, params: ScheduleParams, fmt: Fmt, from: GeoPoint | null): string {
  const o = s.order;
  const parts: string[] = [];
  const req: string[] = [];
  if (o.qualification !== null) req.push(`具备${QUALIFICATION_NAMES[o.qualification] ?? o.qualification}资质`);
  if (o.minGrade > -Infinity) req.push(`技能等级 ${w.grade} 级（要求不低于 ${o.minGrade} 级）`);
  parts.push(`由护理员 ${w.id} 上门${req.length ? `：${req.join('，')}` : ''}`);
  parts.push(`${fmt(s.start)} 开始，服务 ${o.durMin} 分钟（时间窗：${fmt(o.earliest)}–${fmt(o.latest)} 之间开始），在其班次 ${fmt(shift.start)}–${fmt(shift.end)} 内`);
  if (prev) parts.push(`自上一户（工单 ${prev.order.id}）前往，约 ${(greatCircleMeters(prev.order.home, o.home) / METERS_PER_KM).toFixed(1)} 公里，路程 ${t} 分钟（含缓冲 ${params.bufferMinutes} 分钟）`);
  else if (from) parts.push(`当班第一户，自出发点前往约 ${(greatCircleMeters(from, o.home) / METERS_PER_KM).toFixed(1)} 公里，路程 ${t} 分钟（含缓冲 ${params.bufferMinutes} 分钟）`);
  else parts.push('当班第一户，未登记出发点，不计路程');
  const ins = d.ins;
  const why = [`安排时使其路线总路程增加 ${ins.added} 分钟`];
  if (ins.served) why.push(`曾服务该老人，按服务连续性折算少计 ${params.continuityBonusMinutes} 分钟`);
  const r = d.runnerUp;
  if (!r) why.push(`是唯一能排进的护理员`);
  else if (r.score !== ins.score) why.push(`在 ${d.candidates} 名能排进的护理员中最少（次优 ${r.worker.id} 折算后多 ${r.score - ins.score} 分钟）`);
  else if (r.served !== ins.served) why.push(`与 ${r.worker.id} 相同，因曾服务该老人而优先`);
  else if (r.minutes !== ins.minutes) why.push(`与 ${r.worker.id} 相同，因已排服务时长较少而优先`);
  else why.push(`与 ${r.worker.id} 各项相同，按护理员编号顺序`);
  parts.push(why.join('，'));
  return parts.join('；') + '。';
}
