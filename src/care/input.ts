// Reading the `yiyang settle` input (issue 8 §8): check everything before anything is computed;
// a problem names the entry at fault (Chinese and English) and the command prints nothing else.
import { isValidLocalDate, parseInstant } from '../core/dates.ts';
import { shanghaiDay } from './settle.ts';
import type { SettleParams, SettlePerson, SettleVisit } from './settle.ts';

export class SettleInputError extends Error {}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const MAX_GRADE = 6;
const MAX_LAT = 90;
const MAX_LON = 180;

/** Explicit `params` of the input: any of the four keys; the rest come from the policy of each visit's date. */
export type GivenParams = Partial<Omit<SettleParams, 'minGrade'>>;

export interface SettleInput {
  people: SettlePerson[];
  visits: SettleVisit[];
  params: GivenParams;
}

export function readSettleInput(raw: unknown): SettleInput {
  const fail = (m: string): never => {
    throw new SettleInputError(m);
  };
  if (!isObj(raw)) fail('输入应为一个 JSON 对象 / input must be one JSON object');
  const o = raw as Record<string, unknown>;
  if (!Array.isArray(o.people)) fail('people 应为数组 / people must be an array');
  if (!Array.isArray(o.visits)) fail('visits 应为数组 / visits must be an array');
  const point = (v: unknown, where: string): { lat: number; lon: number } => {
    if (!isObj(v) || !finite(v.lat) || !finite(v.lon) || Math.abs(v.lat) > MAX_LAT || Math.abs(v.lon) > MAX_LON) fail(`${where} 应为 {"lat","lon"} 坐标 / ${where} must be {"lat","lon"}`);
    return { lat: (v as { lat: number }).lat, lon: (v as { lon: number }).lon };
  };
  const people: SettlePerson[] = [];
  const ids = new Set<string>();
  (o.people as unknown[]).forEach((p, i) => {
    if (!isObj(p) || typeof p.id !== 'string' || p.id === '') fail(`people[${i}] 缺少 id / people[${i}] needs a string id`);
    const pp = p as Record<string, unknown> & { id: string };
    if (ids.has(pp.id)) fail(`人员编号 ${pp.id} 重复 / duplicate person id ${pp.id}`);
    ids.add(pp.id);
    const g = pp.careGrade;
    if (!(g === null || g === undefined || (typeof g === 'number' && Number.isInteger(g) && g >= 0 && g <= MAX_GRADE))) fail(`人员 ${pp.id} 的 careGrade 应为 0–6 的整数或 null / person ${pp.id}: careGrade must be 0–6 or null`);
    for (const k of ['gradeValidFrom', 'gradeValidTo'] as const) {
      const d = pp[k];
      if (!(d === null || d === undefined || (typeof d === 'string' && isValidLocalDate(d)))) fail(`人员 ${pp.id} 的 ${k} 不是有效日期 / person ${pp.id}: ${k} is not a YYYY-MM-DD date`);
    }
    people.push({
      id: pp.id, careGrade: (g as number | null | undefined) ?? null, gradeValidFrom: (pp.gradeValidFrom as string | null | undefined) ?? null,
      gradeValidTo: (pp.gradeValidTo as string | null | undefined) ?? null, home: point(pp.home, `人员 ${pp.id} 的 home`),
    });
  });
  const visits: SettleVisit[] = [];
  const vids = new Set<string>();
  (o.visits as unknown[]).forEach((v, i) => {
    if (!isObj(v) || typeof v.id !== 'string' || v.id === '') fail(`visits[${i}] 缺少 id / visits[${i}] needs a string id`);
    const vv = v as Record<string, unknown> & { id: string };
    if (vids.has(vv.id)) fail(`上门记录编号 ${vv.id} 重复 / duplicate visit id ${vv.id}`);
    vids.add(vv.id);
    if (typeof vv.person !== 'string' || !ids.has(vv.person)) fail(`上门记录 ${vv.id} 引用了未知人员 ${JSON.stringify(vv.person)} / visit ${vv.id}: unknown person`);
    if (typeof vv.caregiver !== 'string' || vv.caregiver === '') fail(`上门记录 ${vv.id} 缺少 caregiver / visit ${vv.id} needs a caregiver`);
    if (typeof vv.kind !== 'string' || vv.kind === '') fail(`上门记录 ${vv.id} 缺少 kind / visit ${vv.id} needs a kind`);
    const inAt = typeof vv.checkIn === 'string' ? parseInstant(vv.checkIn) : null;
    const outAt = typeof vv.checkOut === 'string' ? parseInstant(vv.checkOut) : null;
    if (inAt === null) fail(`上门记录 ${vv.id} 的 checkIn 不是有效的 ISO-8601 时间 / visit ${vv.id}: checkIn is not an ISO-8601 date-time`);
    if (outAt === null) fail(`上门记录 ${vv.id} 的 checkOut 不是有效的 ISO-8601 时间 / visit ${vv.id}: checkOut is not an ISO-8601 date-time`);
    if (outAt! < inAt!) fail(`上门记录 ${vv.id} 的签退早于签到 / visit ${vv.id}: checkOut is before checkIn`);
    visits.push({ id: vv.id, person: vv.person as string, caregiver: vv.caregiver as string, kind: vv.kind as string, checkIn: inAt!, checkOut: outAt!, checkInAt: point(vv.checkInAt, `上门记录 ${vv.id} 的 checkInAt`) });
  });
  const params: GivenParams = {};
  if (o.params !== undefined && o.params !== null) {
    if (!isObj(o.params)) fail('params 应为对象 / params must be an object');
    const P = o.params as Record<string, unknown>;
    const table = (k: 'weeklyHours' | 'fenPerHour') => {
      const t = P[k];
      if (t === undefined) return;
      if (!isObj(t) || !Object.values(t).every((x) => finite(x) && x >= 0)) fail(`params.${k} 应为非负数的表 / params.${k} must map keys to non-negative numbers`);
      params[k] = t as Record<string, number>;
    };
    table('weeklyHours');
    table('fenPerHour');
    if (P.fundShare !== undefined) {
      if (!finite(P.fundShare) || P.fundShare < 0 || P.fundShare > 1) fail('params.fundShare 应为 0–1 之间的比例 / params.fundShare must be between 0 and 1');
      params.fundShare = P.fundShare as number;
    }
    if (P.maxCheckInMeters !== undefined) {
      if (!finite(P.maxCheckInMeters) || P.maxCheckInMeters < 0) fail('params.maxCheckInMeters 应为非负数 / params.maxCheckInMeters must be a non-negative number');
      params.maxCheckInMeters = P.maxCheckInMeters as number;
    }
  }
  return { people, visits, params };
}

/**
 * The parameters of each visit's date: the input's own, completed by `policyOn(date)`. Throws
 * SettleInputError when a visit's kind has no price or a value is missing on its date.
 */
export function paramsFor(input: SettleInput, policyOn: (localDate: string) => Partial<SettleParams>): (localDate: string) => SettleParams {
  const cache = new Map<string, SettleParams>();
  const on = (day: string): SettleParams => {
    let p = cache.get(day);
    if (!p) {
      const policy = policyOn(day);
      const merged = { ...policy, ...input.params } as Partial<SettleParams>;
      for (const k of ['weeklyHours', 'fenPerHour', 'fundShare', 'maxCheckInMeters', 'minGrade'] as const) {
        if (merged[k] === undefined) throw new SettleInputError(`${day} 没有生效的 ${k} 参数，请在 params 中给出 / no ${k} in force on ${day}: give it in params`);
      }
      p = merged as SettleParams;
      cache.set(day, p);
    }
    return p;
  };
  for (const v of input.visits) {
    const P = on(shanghaiDay(v.checkIn));
    if (P.fenPerHour[v.kind] === undefined) throw new SettleInputError(`上门记录 ${v.id} 的服务类别 ${JSON.stringify(v.kind)} 没有价格 / visit ${v.id}: no fenPerHour for kind ${JSON.stringify(v.kind)}`);
  }
  return on;
}
