// Reading the `yiyang settle` input (issue 8 §8): check everything before anything is computed;
// a problem names the entry at fault (Chinese and English) and the command prints nothing else.
import { isValidLocalDate, parseInstant, shanghaiDayNumber } from '../core/dates.ts';
import { shanghaiDay } from './settle.ts';
import type { SettleParams, SettlePerson, SettleVisit } from './settle.ts';

export class SettleInputError extends Error {}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const ZERO = 48; // '0'
const DIGITS = 10;
const CHAR = { dash: 45, colon: 58, T: 84, Z: 90, plus: 43 } as const;
const LENGTH = { local: 19, utc: 20, offset: 25 } as const; // YYYY-MM-DDTHH:MM:SS, …Z, …±HH:MM
const MAX = { month: 12, hour: 23, minute: 59, second: 59 } as const;
const MS = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;
const SHANGHAI_OFFSET_MINUTES = 8 * 60;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const DAYS_PER_400_YEARS = 146_097;
const DAYS_0000_03_01_TO_1970 = 719_468;

/** Two ASCII digits at `at` as a number, or -1. */
const two = (s: string, at: number): number => {
  const a = s.charCodeAt(at) - ZERO;
  const b = s.charCodeAt(at + 1) - ZERO;
  return a >= 0 && a < DIGITS && b >= 0 && b < DIGITS ? a * DIGITS + b : -1;
};

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12), exact for any year. */
function epochDay(year: number, month: number, day: number): number {
  // Years counted from March, so that the leap day is the last of its year (H. Hinnant's days_from_civil).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * DAYS_PER_400_YEARS + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - DAYS_0000_03_01_TO_1970;
}

/**
 * `parseInstant` (src/core/dates.ts), fast for the usual `YYYY-MM-DDTHH:MM:SS` with `Z`, `±HH:MM`
 * or no offset (Shanghai time); any other text (fractions, no seconds, …) goes to parseInstant itself.
 * The same number or null for every string (a property test compares the two).
 */
export function instantOf(s: string): number | null {
  const len = s.length;
  if ((len !== LENGTH.local && len !== LENGTH.utc && len !== LENGTH.offset) || s.charCodeAt(4) !== CHAR.dash || s.charCodeAt(7) !== CHAR.dash || s.charCodeAt(10) !== CHAR.T || s.charCodeAt(13) !== CHAR.colon || s.charCodeAt(16) !== CHAR.colon) return parseInstant(s);
  const hi = two(s, 0);
  const lo = two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  if (hi < 0 || lo < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  const year = hi * 100 + lo;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (year < 1 || month < 1 || month > MAX.month || day < 1 || day > MONTH_DAYS[month - 1]! + (leap ? 1 : 0) || hour > MAX.hour || minute > MAX.minute || second > MAX.second) return null;
  let offsetMinutes = SHANGHAI_OFFSET_MINUTES;
  if (len === LENGTH.utc) {
    if (s.charCodeAt(19) !== CHAR.Z) return parseInstant(s);
    offsetMinutes = 0;
  } else if (len === LENGTH.offset) {
    const sign = s.charCodeAt(19);
    const oh = two(s, 20);
    const om = two(s, 23);
    // Offsets beyond ±23:59 are left to parseInstant (Date.parse refuses them).
    if ((sign !== CHAR.plus && sign !== CHAR.dash) || s.charCodeAt(22) !== CHAR.colon || oh < 0 || om < 0 || oh > MAX.hour || om > MAX.minute) return parseInstant(s);
    offsetMinutes = (sign === CHAR.plus ? 1 : -1) * (oh * 60 + om);
  }
  return epochDay(year, month, day) * MS.day + hour * MS.hour + minute * MS.minute + second * MS.second - offsetMinutes * MS.minute;
}

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
  // A checked point is the input's own object (only lat and lon are read), not a copy.
  const isPoint = (v: unknown): v is { lat: number; lon: number } => isObj(v) && finite(v.lat) && finite(v.lon) && Math.abs(v.lat) <= MAX_LAT && Math.abs(v.lon) <= MAX_LON;
  const notPoint = (where: string): never => fail(`${where} 应为 {"lat","lon"} 坐标 / ${where} must be {"lat","lon"}`);
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
      gradeValidTo: (pp.gradeValidTo as string | null | undefined) ?? null, home: isPoint(pp.home) ? pp.home : notPoint(`人员 ${pp.id} 的 home`),
    });
  });
  // A plain loop (a month may have hundreds of thousands of visits); a visit's first problem, in
  // this order, is the one reported.
  const rawVisits = o.visits as unknown[];
  const visits: SettleVisit[] = [];
  const vids = new Set<string>();
  for (let i = 0; i < rawVisits.length; i++) {
    const v = rawVisits[i];
    if (!isObj(v) || typeof v.id !== 'string' || v.id === '') fail(`visits[${i}] 缺少 id / visits[${i}] needs a string id`);
    const vv = v as Record<string, unknown> & { id: string };
    const id = vv.id;
    const seen = vids.size;
    if (vids.add(id).size === seen) fail(`上门记录编号 ${id} 重复 / duplicate visit id ${id}`);
    const { person, caregiver, kind, checkIn, checkOut, checkInAt } = vv;
    if (typeof person !== 'string' || !ids.has(person)) fail(`上门记录 ${id} 引用了未知人员 ${JSON.stringify(person)} / visit ${id}: unknown person`);
    if (typeof caregiver !== 'string' || caregiver === '') fail(`上门记录 ${id} 缺少 caregiver / visit ${id} needs a caregiver`);
    if (typeof kind !== 'string' || kind === '') fail(`上门记录 ${id} 缺少 kind / visit ${id} needs a kind`);
    const inAt = typeof checkIn === 'string' ? instantOf(checkIn) : null;
    const outAt = typeof checkOut === 'string' ? instantOf(checkOut) : null;
    if (inAt === null) fail(`上门记录 ${id} 的 checkIn 不是有效的 ISO-8601 时间 / visit ${id}: checkIn is not an ISO-8601 date-time`);
    if (outAt === null) fail(`上门记录 ${id} 的 checkOut 不是有效的 ISO-8601 时间 / visit ${id}: checkOut is not an ISO-8601 date-time`);
    if (outAt! < inAt!) fail(`上门记录 ${id} 的签退早于签到 / visit ${id}: checkOut is before checkIn`);
    if (!isPoint(checkInAt)) notPoint(`上门记录 ${id} 的 checkInAt`);
    visits.push({ id, person: person as string, caregiver: caregiver as string, kind: kind as string, checkIn: inAt!, checkOut: outAt!, checkInAt: checkInAt as { lat: number; lon: number } });
  }
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
  // The parameters by Shanghai day number, so that a visit costs no date text.
  const byDay = new Map<number, SettleParams>();
  for (const v of input.visits) {
    const n = shanghaiDayNumber(v.checkIn);
    let P = byDay.get(n);
    if (P === undefined) {
      P = on(shanghaiDay(v.checkIn));
      byDay.set(n, P);
    }
    if (P.fenPerHour[v.kind] === undefined) throw new SettleInputError(`上门记录 ${v.id} 的服务类别 ${JSON.stringify(v.kind)} 没有价格 / visit ${v.id}: no fenPerHour for kind ${JSON.stringify(v.kind)}`);
  }
  return on;
}
