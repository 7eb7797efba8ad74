// Anomaly checks on home-care visits, the random call-back draw and the insurer's risk-weighted
// review sample (issue 8 §5 "visits that are hard to fake", §6 "risk-weighted sample"). Pure: no
// I/O, no clock, no Math.random; every threshold is a parameter (policy/care/anomaly.json).
//
// Why these checks: 上海医保局's published LTCI enforcement cases (shared/domain/entitlements.md §2)
// are billing without service, short visits, using another worker's credentials and false uploads;
// issue 8 §5 adds check-ins with location off or spoofed, work orders moved to a colleague when a
// cap was reached, and signatures forged with the family. Each rule below gives a reason code, a
// weight (a parameter) and a Chinese explanation with the numbers it used. Every rule is decided
// on the input alone (typically one claim month plus a lead-in, see `cap_shift`), so re-running it
// on the same input gives the same flags whatever the input's order.
//
// The rules, per visit ("closed" = checked out; a visit still in progress is checked for what is
// already known and again once it is closed):
// - no_location: the check-in has no location (null or not finite); also the check-out, when the
//   visit is closed and `checkOutLocationRequired` is set.
// - far_from_home: the check-in or the check-out point is more than `maxCheckInMeters` from the
//   person's home (great-circle distance; the reported accuracy is shown, not subtracted — a
//   spoofing app can report any accuracy).
// - mock_location: the device reported a mock (simulated) location provider.
// - identical_coordinates: the same point, rounded to `identicalCoordinateDecimals` decimals
//   (6 ≈ 0.1 m), appears on visits with at least `identicalCoordinateVisits` distinct check-in
//   times (check-in and check-out points both count; a visit counts once per point). Real GPS
//   jitters from fix to fix; a spoofer replays one point. Flagged on each such visit, the others
//   as related.
// - too_short: a closed visit lasts fewer whole minutes than `minVisitMinutes`, or fewer than
//   `minShareOfPlanned` × its planned minutes (compared exactly on the decimals, so 0.8 × 60 is 48).
// - overlap: two closed visits of one caregiver intersect in time (start < other's end on both
//   sides; intervals that only touch do not). Flagged on both, each naming the other(s).
// - impossible_travel: for consecutive closed visits of one caregiver (by check-in), the straight
//   line from the earlier visit's check-out point (its check-in point when the check-out has none)
//   to the later check-in point, less `travelSlackMeters` for GPS error, divided by the time
//   between the earlier check-out and the later check-in, is above `maxTravelKmh` (a positive
//   distance in zero time is always above). Flagged on the later visit. Pairs that overlap are left
//   to `overlap`.
// - shared_device: a device id is used by at least `sharedDeviceCaregivers` distinct caregivers in
//   the input. Flagged on every visit made with it.
// - cap_shift ("a new colleague appearing at the cap"): take one person's ISO week (Monday 00:00
//   Asia/Shanghai). When (a) the whole minutes of the person's closed visits that week reach
//   `capShiftShare` × the person's weekly cap, (b) more than one caregiver served the person that
//   week, and (c) the input holds at least one visit of the person in the `capShiftLookbackWeeks`
//   weeks before it (a baseline to compare with), then every visit of that week by a caregiver who
//   has no visit to the person in those earlier weeks is flagged; the regular caregivers' visits
//   of the week are its related ids. People without a cap (null) are not checked. Give the
//   checks a lead-in of `capShiftLookbackWeeks` weeks before the claim month, or the first weeks
//   have no baseline and are not checked.
// - in_hospital: the check-in's local date (Asia/Shanghai) lies within a recorded hospital stay,
//   both ends included (`to` null = still in hospital).
// - after_death: the check-in's local date is on or after the date of death.
// - no_home_proof: a closed visit has no evidence from the elder's side (home tag, the elder's
//   phone or card) or the evidence did not validate. Open visits are not flagged yet (the tag may
//   be scanned at check-out).
//
// A visit gets at most one flag per code (a visit whose check-in and check-out points are both
// replayed ones keeps the flag of the point that comes first by latitude, then longitude). Its
// anomaly score is the sum of its flags' weights, capped at ANOMALY_SCORE_MAX (100).
// Cost: one pass to group visits by caregiver, person and device, a hash table of the points, one
// sort per caregiver and per person; the overlap sweep keeps only the visits still running, so it
// is linear in practice (quadratic only if one caregiver had thousands of mutually overlapping
// visits). 300,000 visits take about a second on a loaded 2-core machine.
//
// The call-back draw and the review sample's random part decide each id on its own: a hash of the
// id and the seed gives a number in [0, 1), and the id is drawn when that number is below the
// share. So the result does not depend on the input's order, about share × n ids are drawn, and a
// visit drawn today stays drawn when more visits sync tomorrow. The seed must be chosen by the
// insurer after the visit ids are fixed (ids are made on the phones) and kept from providers, then
// recorded with the sample so anyone can re-draw it.

import { AppError } from '../core/errors.ts';
import { diffDays, type LocalDate } from '../core/dates.ts';
import { mulberry32 } from '../core/ids.ts';
import { checkDatedParameters, parameterOn, type DatedParameter } from '../core/params.ts';
import { decimalFraction, greatCircleMeters, isoWeekKey, shanghaiDay } from './settle.ts';

export interface Point {
  lat: number;
  lon: number;
  /** The device's reported accuracy radius in metres, when it gave one. */
  accuracyM?: number | null;
}

export interface VisitFacts {
  id: string;
  personId: string;
  caregiverId: string;
  deviceId: string | null;
  /** Epoch milliseconds. */
  checkIn: number;
  /** Epoch milliseconds; null while the visit is in progress. */
  checkOut: number | null;
  /** Null when location was off or not given. */
  checkInAt: Point | null;
  checkOutAt: Point | null;
  /** The device reported a mock (simulated) location provider. */
  mockLocation: boolean;
  /** Evidence from the elder's side: the tag in the home, the elder's own phone, or the elder's card. */
  homeProof: 'tag' | 'elder_phone' | 'card' | null;
  /** The evidence's code matched (checked where the visit is recorded). */
  homeProofValid: boolean;
  plannedMinutes: number | null;
}

export interface HospitalStay {
  /** Local date of admission (YYYY-MM-DD, Asia/Shanghai). */
  from: string;
  /** Local date of discharge, or null while still in hospital. */
  to: string | null;
}

export interface PersonFacts {
  id: string;
  home: Point;
  /** The person's weekly entitlement in minutes (hours × 60), or null when not capped. */
  weeklyCapMinutes: number | null;
  hospitalStays: readonly HospitalStay[];
  /** Local date of death, or null. */
  diedOn: string | null;
}

export const ANOMALY_CODES = [
  'no_location', 'far_from_home', 'mock_location', 'identical_coordinates', 'too_short', 'overlap',
  'impossible_travel', 'shared_device', 'cap_shift', 'in_hospital', 'after_death', 'no_home_proof',
] as const;
export type AnomalyCode = (typeof ANOMALY_CODES)[number];

/** Short Chinese names of the codes (review screens, exports). */
export const ANOMALY_TEXT: Record<AnomalyCode, string> = {
  no_location: '签到或签退未定位',
  far_from_home: '签到远离住址',
  mock_location: '模拟定位',
  identical_coordinates: '坐标完全重复',
  too_short: '服务时长过短',
  overlap: '同一护理员服务时间重叠',
  impossible_travel: '两次服务间移动过快',
  shared_device: '多名护理员共用手机',
  cap_shift: '接近上限时更换护理员',
  in_hospital: '住院期间服务',
  after_death: '去世后服务',
  no_home_proof: '缺少老人一方凭证',
};

/** The checks' parameters (policy/care/anomaly.json), plus the draws' shares. */
export interface AnomalyParams {
  maxCheckInMeters: number;
  checkOutLocationRequired: boolean;
  minVisitMinutes: number;
  minShareOfPlanned: number;
  identicalCoordinateVisits: number;
  identicalCoordinateDecimals: number;
  maxTravelKmh: number;
  travelSlackMeters: number;
  sharedDeviceCaregivers: number;
  capShiftShare: number;
  capShiftLookbackWeeks: number;
  weights: Record<AnomalyCode, number>;
  callbackShare: number;
  reviewRandomShare: number;
  reviewScoreThreshold: number;
}

export interface AnomalyFlag {
  code: AnomalyCode;
  weight: number;
  /** Chinese, with the numbers used. */
  explanation: string;
  /** Other visits involved (sorted by id, at most RELATED_LIMIT; the explanation gives the full count). */
  related: string[];
}

/** The highest anomaly score. */
export const ANOMALY_SCORE_MAX = 100;
/** At most this many related visit ids are listed on one flag (a display limit, not a rule). */
export const RELATED_LIMIT = 20;

const MS_PER_SECOND = 1000;
const SECONDS_PER_MINUTE = 60;
const MINUTES_PER_HOUR = 60;
const MS_PER_MINUTE = MS_PER_SECOND * SECONDS_PER_MINUTE;
const MS_PER_HOUR = MS_PER_MINUTE * MINUTES_PER_HOUR;
const METERS_PER_KM = 1000;
const DAYS_PER_WEEK = 7;
/** A Monday, to number ISO weeks. */
const MONDAY_EPOCH = '1970-01-05' as LocalDate;
const TEN = 10;
const PRECISION = 12;
const THOUSANDS_DIGITS = 3;
/** Multipliers of the coordinate hash (Knuth's golden ratio and MurmurHash3's constant): any odd numbers spread the bits. */
const HASH_A = 0x9e3779b1;
const HASH_B = 0x85ebca6b;
/** "Several": more than one (caregivers in a week, visits on a point, caregivers on a device). */
const SEVERAL = 2;
const PERCENT = 100;

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const hasFix = (p: Point | null | undefined): p is Point => p != null && Number.isFinite(p.lat) && Number.isFinite(p.lon);
const CODE_RANK = new Map<AnomalyCode, number>(ANOMALY_CODES.map((c, i) => [c, i]));

/** Thousands separators on an integer or decimal string ("1250" → "1,250"); faster than Intl on 100,000s of flags. */
const grouped = (s: string) => {
  const dot = s.indexOf('.');
  const int = dot < 0 ? s : s.slice(0, dot);
  if (int.length <= THOUSANDS_DIGITS) return s;
  return int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (dot < 0 ? '' : s.slice(dot));
};
/** A quantity shown as "more than the limit": rounded up, so a flagged 300.2 m reads 301, never 300. */
const up = (x: number, decimals = 0) => {
  const f = TEN ** decimals;
  const v = Math.ceil(Number((x * f).toPrecision(PRECISION))) / f; // toPrecision drops binary noise (73.8 × 10 = 738.0000000000001)
  return grouped(String(v));
};
const num = (x: number) => grouped(String(x));
const pct = (share: number) => `${num(Math.round(share * PERCENT * PERCENT) / PERCENT)}%`;

/** An exact decimal n / d, in plain numbers when they are small enough (the usual case), else in bigints. */
type Fraction = { n: number; d: number; big: { n: bigint; d: bigint } };
const fraction = (x: number): Fraction => {
  const big = Number.isSafeInteger(x) ? { n: BigInt(x), d: 1n } : decimalFraction(x);
  return { n: Number(big.n), d: Number(big.d), big };
};
/** Compares x with share × whole exactly on their decimals (0.9 × 300 is 270, not 269.99…). */
function compareShare(x: number, share: Fraction, whole: number): -1 | 0 | 1 {
  if (Number.isSafeInteger(x) && Number.isSafeInteger(whole)) {
    const left = x * share.d;
    const right = share.n * whole;
    if (Number.isSafeInteger(left) && Number.isSafeInteger(right)) return left < right ? -1 : left > right ? 1 : 0;
  }
  const [a, w] = [fraction(x).big, fraction(whole).big];
  const left = a.n * share.big.d * w.d;
  const right = share.big.n * w.n * a.d;
  return left < right ? -1 : left > right ? 1 : 0;
}
/** share × whole as a number, for explanations. */
const shareOf = (share: Fraction, whole: number) => {
  const w = fraction(whole).big;
  return Number(share.big.n * w.n) / Number(share.big.d * w.d);
};

const wholeMinutes = (v: VisitFacts) => (v.checkOut === null ? 0 : Math.max(0, Math.floor((v.checkOut - v.checkIn) / MS_PER_MINUTE)));
const sortByTime = (a: VisitFacts, b: VisitFacts) => (a.checkIn !== b.checkIn ? a.checkIn - b.checkIn : byId(a.id, b.id));

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Sorted, de-duplicated, capped related ids. */
const relatedIds = (ids: Iterable<string>, self: string): string[] => [...new Set(ids)].filter((x) => x !== self).sort(byId).slice(0, RELATED_LIMIT);

type Flag = (id: string, code: AnomalyCode, explanation: string, related?: string[]) => void;

/**
 * Check every visit; the map holds every visit id (an empty array when the visit is clean), each
 * visit's flags in the order of ANOMALY_CODES. Throws VALIDATION_FAILED on a duplicate visit id or
 * a visit whose person is not in `people`.
 */
export function checkVisits(visits: readonly VisitFacts[], people: ReadonlyMap<string, PersonFacts>, params: AnomalyParams): Map<string, AnomalyFlag[]> {
  const out = new Map<string, AnomalyFlag[]>();
  for (const v of visits) {
    if (out.has(v.id)) throw new AppError('VALIDATION_FAILED', `服务记录编号重复：${v.id}`);
    if (!people.has(v.personId)) throw new AppError('VALIDATION_FAILED', `服务记录 ${v.id} 的老人 ${v.personId} 不在名单中`);
    out.set(v.id, []);
  }
  const several: AnomalyFlag[][] = []; // visits with more than one flag, to put in code order at the end
  // The first flag of a code on a visit stands; the rules run in a fixed order, so which is first does not depend on the input's order.
  const flag: Flag = (id, code, explanation, related = []) => {
    const list = out.get(id)!;
    if (list.some((f) => f.code === code)) return;
    list.push({ code, weight: params.weights[code], explanation, related });
    if (list.length === SEVERAL) several.push(list);
  };

  checkEachVisit(visits, people, params, flag);
  checkIdenticalCoordinates(visits, params, flag);

  const byCaregiver = new Map<string, VisitFacts[]>();
  const byPerson = new Map<string, VisitFacts[]>();
  const byDevice = new Map<string, VisitFacts[]>();
  for (const v of visits) {
    if (v.checkOut !== null) {
      push(byCaregiver, v.caregiverId, v);
      push(byPerson, v.personId, v);
    }
    if (v.deviceId !== null) push(byDevice, v.deviceId, v);
  }
  for (const list of byCaregiver.values()) {
    list.sort(sortByTime);
    checkOverlaps(list, flag);
    checkTravel(list, params, flag);
  }
  checkSharedDevices(byDevice, params, flag);
  const capShare = fraction(params.capShiftShare);
  for (const [personId, list] of byPerson) {
    const cap = people.get(personId)!.weeklyCapMinutes;
    if (cap !== null && cap > 0) checkCapShift(list.sort(sortByTime), cap, capShare, params, flag);
  }

  for (const list of several) list.sort((x, y) => CODE_RANK.get(x.code)! - CODE_RANK.get(y.code)!);
  return out;
}

const HOME_PROOF_TEXT: Record<NonNullable<VisitFacts['homeProof']>, string> = { tag: '家中标签', elder_phone: '老人手机确认', card: '老人卡片' };

/** One point's distance from the home when above the limit, as a phrase; null when within it or missing. */
function farPhrase(what: string, home: Point, p: Point | null, limit: number): string | null {
  if (!hasFix(p)) return null;
  const d = greatCircleMeters(home, p);
  if (d <= limit) return null;
  const acc = p.accuracyM != null && Number.isFinite(p.accuracyM) ? `（定位精度 ±${up(p.accuracyM)} 米）` : '';
  return `${what}位置距老人住址 ${up(d)} 米${acc}`;
}

/** The rules that look at one visit and its person only. */
function checkEachVisit(visits: readonly VisitFacts[], people: ReadonlyMap<string, PersonFacts>, P: AnomalyParams, flag: Flag): void {
  const minShare = fraction(P.minShareOfPlanned);
  for (const v of visits) {
    const person = people.get(v.personId)!;
    const closed = v.checkOut !== null;

    const inMissing = !hasFix(v.checkInAt);
    const outMissing = closed && P.checkOutLocationRequired && !hasFix(v.checkOutAt);
    if (inMissing || outMissing) {
      flag(v.id, 'no_location', inMissing && outMissing ? '签到和签退时均未提供定位' : inMissing ? '签到时未提供定位' : '签退时未提供定位');
    }

    const farIn = farPhrase('签到', person.home, v.checkInAt, P.maxCheckInMeters);
    const farOut = closed ? farPhrase('签退', person.home, v.checkOutAt, P.maxCheckInMeters) : null;
    if (farIn !== null || farOut !== null) {
      flag(v.id, 'far_from_home', `${[farIn, farOut].filter((x) => x !== null).join('，')}，超过 ${num(P.maxCheckInMeters)} 米`);
    }

    if (v.mockLocation) flag(v.id, 'mock_location', '手机报告本次定位来自模拟定位（虚拟定位）程序');

    if (closed) {
      const minutes = wholeMinutes(v);
      if (minutes < P.minVisitMinutes) {
        flag(v.id, 'too_short', `服务时长 ${num(minutes)} 分钟，少于最短 ${num(P.minVisitMinutes)} 分钟`);
      } else if (v.plannedMinutes !== null && v.plannedMinutes > 0 && compareShare(minutes, minShare, v.plannedMinutes) < 0) {
        flag(v.id, 'too_short', `服务时长 ${num(minutes)} 分钟，不足计划 ${num(v.plannedMinutes)} 分钟的 ${pct(P.minShareOfPlanned)}（${num(shareOf(minShare, v.plannedMinutes))} 分钟）`);
      }
    }

    if (person.hospitalStays.length || person.diedOn !== null) {
      const day = shanghaiDay(v.checkIn);
      const stay = person.hospitalStays.find((s) => s.from <= day && (s.to === null || day <= s.to));
      if (stay) flag(v.id, 'in_hospital', `签到日期 ${day} 在老人住院期间（${stay.from} ${stay.to === null ? '起，尚未出院' : `至 ${stay.to}`}）`);
      if (person.diedOn !== null && day >= person.diedOn) flag(v.id, 'after_death', `签到日期 ${day} 在老人去世日期 ${person.diedOn} 当天或之后`);
    }

    if (closed && (v.homeProof === null || !v.homeProofValid)) {
      flag(v.id, 'no_home_proof', v.homeProof === null
        ? '没有老人一方的到场凭证（家中标签、老人手机或卡片确认）'
        : `老人一方的到场凭证（${HOME_PROOF_TEXT[v.homeProof]}）校验未通过`);
    }
  }
}

/**
 * The same rounded point on visits at ≥ N distinct check-in times. The points go into an
 * open-addressing hash table on typed arrays (equal points chained together), which is an order of
 * magnitude faster than a Map of 600,000 text keys; only chains of N or more are looked at.
 */
function checkIdenticalCoordinates(visits: readonly VisitFacts[], P: AnomalyParams, flag: Flag): void {
  const scale = TEN ** P.identicalCoordinateDecimals;
  const lat = new Float64Array(visits.length * 2);
  const lon = new Float64Array(visits.length * 2);
  const owner = new Int32Array(visits.length * 2);
  let m = 0;
  const add = (i: number, la: number, lo: number) => {
    lat[m] = la;
    lon[m] = lo;
    owner[m] = i;
    m += 1;
  };
  for (let i = 0; i < visits.length; i++) {
    const v = visits[i]!;
    const hasIn = hasFix(v.checkInAt);
    const la = hasIn ? Math.round(v.checkInAt!.lat * scale) : 0;
    const lo = hasIn ? Math.round(v.checkInAt!.lon * scale) : 0;
    if (hasIn) add(i, la, lo);
    if (v.checkOut !== null && hasFix(v.checkOutAt)) {
      const lb = Math.round(v.checkOutAt.lat * scale);
      const ob = Math.round(v.checkOutAt.lon * scale);
      if (!(hasIn && la === lb && lo === ob)) add(i, lb, ob); // a visit counts once per point
    }
  }

  let size = 1;
  while (size < m * 2) size *= 2;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1); // slot → the first point seen with these coordinates
  const next = new Int32Array(m).fill(-1); // chains the later points with the same coordinates
  const count = new Int32Array(m); // per first point: how many points share it
  const heads: number[] = [];
  for (let k = 0; k < m; k++) {
    let h = (Math.imul(lat[k]! | 0, HASH_A) ^ Math.imul(lon[k]! | 0, HASH_B)) & mask;
    for (;;) {
      const f = table[h]!;
      if (f < 0) {
        table[h] = k;
        count[k] = 1;
        break;
      }
      if (lat[f] === lat[k] && lon[f] === lon[k]) {
        next[k] = next[f]!;
        next[f] = k;
        const c = count[f]! + 1;
        count[f] = c;
        if (c === P.identicalCoordinateVisits) heads.push(f);
        break;
      }
      h = (h + 1) & mask;
    }
  }

  const hits: { la: number; lo: number; list: VisitFacts[] }[] = [];
  for (const f of heads) {
    const list: VisitFacts[] = [];
    for (let k = f; k >= 0; k = next[k]!) list.push(visits[owner[k]!]!);
    if (new Set(list.map((v) => v.checkIn)).size >= P.identicalCoordinateVisits) hits.push({ la: lat[f]!, lo: lon[f]!, list });
  }
  hits.sort((x, y) => x.la - y.la || x.lo - y.lo); // a visit on two such points keeps the first, in a fixed order
  for (const { la, lo, list } of hits) {
    const times = new Set(list.map((v) => v.checkIn)).size;
    const ids = list.map((v) => v.id);
    const where = `${(la / scale).toFixed(P.identicalCoordinateDecimals)}, ${(lo / scale).toFixed(P.identicalCoordinateDecimals)}`;
    for (const v of list) {
      flag(v.id, 'identical_coordinates', `定位坐标（${where}）在 ${num(times)} 个不同时间的服务中完全相同（${num(list.length)} 次服务），达到 ${num(P.identicalCoordinateVisits)} 次；真实定位每次都会有微小偏差`, relatedIds(ids, v.id));
    }
  }
}

/** Intersecting closed visits of one caregiver (sorted by check-in, id): a sweep over the visits still running. */
function checkOverlaps(sorted: readonly VisitFacts[], flag: Flag): void {
  const hits = new Map<VisitFacts, { others: string[]; longestMs: number }>();
  const note = (a: VisitFacts, b: VisitFacts, ms: number) => {
    const h = hits.get(a);
    if (h) {
      h.others.push(b.id);
      h.longestMs = Math.max(h.longestMs, ms);
    } else hits.set(a, { others: [b.id], longestMs: ms });
  };
  const running: VisitFacts[] = [];
  for (const v of sorted) {
    let kept = 0;
    for (const u of running) if (u.checkOut! > v.checkIn) running[kept++] = u; // ended ones cannot meet v or any later visit
    running.length = kept;
    for (const u of running) {
      if (u.checkIn < v.checkOut! && v.checkIn < u.checkOut!) {
        const ms = Math.min(u.checkOut!, v.checkOut!) - Math.max(u.checkIn, v.checkIn);
        note(u, v, ms);
        note(v, u, ms);
      }
    }
    running.push(v);
  }
  for (const [v, h] of hits) {
    flag(v.id, 'overlap', `与同一护理员的另外 ${num(h.others.length)} 次服务时间重叠（最长重叠 ${up(h.longestMs / MS_PER_MINUTE)} 分钟）`, relatedIds(h.others, v.id));
  }
}

/** Consecutive closed visits of one caregiver (sorted by check-in, id) too far apart for the time between them. */
function checkTravel(sorted: readonly VisitFacts[], P: AnomalyParams, flag: Flag): void {
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    const from = hasFix(a.checkOutAt) ? a.checkOutAt : a.checkInAt;
    if (!hasFix(from) || !hasFix(b.checkInAt)) continue;
    const gapMs = b.checkIn - a.checkOut!;
    if (gapMs < 0) continue; // an overlap, flagged as such
    const meters = greatCircleMeters(from, b.checkInAt);
    const counted = meters - P.travelSlackMeters;
    if (counted <= 0) continue;
    const kmh = gapMs === 0 ? Infinity : counted / METERS_PER_KM / (gapMs / MS_PER_HOUR);
    if (kmh <= P.maxTravelKmh) continue;
    const slack = P.travelSlackMeters > 0 ? `（已扣除定位误差 ${num(P.travelSlackMeters)} 米）` : '';
    const where = `${up(meters / METERS_PER_KM, 1)} 公里外`;
    flag(b.id, 'impossible_travel', gapMs === 0
      ? `上一次服务签退的同一时刻即在 ${where}签到，时速 ${num(P.maxTravelKmh)} 公里内无法到达${slack}`
      : `上一次服务签退后 ${up(gapMs / MS_PER_MINUTE, 1)} 分钟即在 ${where}签到，折合时速 ${up(kmh, 1)} 公里${slack}，超过 ${num(P.maxTravelKmh)} 公里`, [a.id]);
  }
}

/** Devices used by ≥ N distinct caregivers: every visit made with one. */
function checkSharedDevices(byDevice: ReadonlyMap<string, VisitFacts[]>, P: AnomalyParams, flag: Flag): void {
  for (const list of byDevice.values()) {
    const firstOf = new Map<string, VisitFacts>(); // caregiver → their first visit on the device
    for (const v of list) {
      const f = firstOf.get(v.caregiverId);
      if (!f || sortByTime(v, f) < 0) firstOf.set(v.caregiverId, v);
    }
    if (firstOf.size < P.sharedDeviceCaregivers) continue;
    for (const v of list) {
      const others = [...firstOf].filter(([c]) => c !== v.caregiverId).map(([, f]) => f.id);
      flag(v.id, 'shared_device', `同一部手机在本批数据中由 ${num(firstOf.size)} 名护理员使用，达到 ${num(P.sharedDeviceCaregivers)} 名`, relatedIds(others, v.id));
    }
  }
}

const weekNumbers = new Map<string, number>();
/** ISO week number (consecutive integers) of an instant, weeks from Monday 00:00 Shanghai time. */
function weekOf(instant: number): { key: string; n: number } {
  const key = isoWeekKey(instant);
  let n = weekNumbers.get(key);
  if (n === undefined) {
    n = diffDays(key as LocalDate, MONDAY_EPOCH) / DAYS_PER_WEEK;
    weekNumbers.set(key, n);
  }
  return { key, n };
}

/** One person's closed visits (sorted by check-in, id): new caregivers in a week at the cap. */
function checkCapShift(sorted: readonly VisitFacts[], capMinutes: number, share: Fraction, P: AnomalyParams, flag: Flag): void {
  const weeks = new Map<number, { key: string; minutes: number; visits: VisitFacts[]; caregivers: Set<string> }>();
  for (const v of sorted) {
    const { key, n } = weekOf(v.checkIn);
    let w = weeks.get(n);
    if (!w) weeks.set(n, (w = { key, minutes: 0, visits: [], caregivers: new Set() }));
    w.minutes += wholeMinutes(v);
    w.visits.push(v);
    w.caregivers.add(v.caregiverId);
  }
  for (const [n, w] of weeks) {
    if (w.caregivers.size < SEVERAL || compareShare(w.minutes, share, capMinutes) < 0) continue;
    const before = new Set<string>();
    let history = false;
    for (let k = 1; k <= P.capShiftLookbackWeeks; k++) {
      const earlier = weeks.get(n - k);
      if (!earlier) continue;
      history = true;
      for (const c of earlier.caregivers) before.add(c);
    }
    if (!history) continue;
    const regulars = w.visits.filter((v) => before.has(v.caregiverId)).map((v) => v.id);
    const threshold = shareOf(share, capMinutes);
    for (const v of w.visits) {
      if (before.has(v.caregiverId)) continue;
      flag(v.id, 'cap_shift',
        `老人在 ${w.key} 起的一周内服务共 ${num(w.minutes)} 分钟，达到每周上限 ${num(capMinutes)} 分钟的 ${pct(P.capShiftShare)}（${num(threshold)} 分钟），本周由 ${num(w.caregivers.size)} 名护理员服务；该护理员此前 ${num(P.capShiftLookbackWeeks)} 周未服务过这位老人`,
        relatedIds(regulars, v.id));
    }
  }
}

/** A visit's anomaly score: the sum of its flags' weights (one flag per code), at most ANOMALY_SCORE_MAX. */
export function anomalyScore(flags: readonly AnomalyFlag[]): number {
  return Math.min(ANOMALY_SCORE_MAX, flags.reduce((s, f) => s + f.weight, 0));
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** A number in [0, 1) from an id, a salt and a seed (FNV-1a over the text, then one mulberry32 step to mix). */
function unitHash(id: string, salt: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  const text = `${salt}:${id}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return mulberry32((h ^ seed) >>> 0)();
}

function checkShare(share: number, what: string): void {
  if (!(share >= 0 && share <= 1)) throw new AppError('VALIDATION_FAILED', `${what} ${share} 应在 0 到 1 之间`);
}

/**
 * The visits to call back: each id is drawn when the hash of (id, seed) is below `share`, so
 * about share × n are drawn, whatever the order of the ids, and an id drawn once stays drawn when
 * more ids are added (late syncs). The seed is the insurer's, chosen after the ids are fixed.
 */
export function drawCallbacks(visitIds: readonly string[], share: number, seed: number): Set<string> {
  checkShare(share, '回访抽样比例');
  return new Set(visitIds.filter((id) => unitHash(id, 'callback', seed) < share));
}

/**
 * The insurer's review sample (§6): every line whose anomaly score is above `scoreThreshold`
 * ('risk'), plus each other line whose hash of (id, seed) is below `randomShare` ('random'; about
 * randomShare × the rest). Reproducible from the seed and independent of the lines' order; a
 * different salt from the call-back draw, so one seed gives unrelated draws. A repeated id is a
 * risk line when any of its copies is.
 */
export function reviewSample(lines: readonly { id: string; score: number }[], p: { randomShare: number; scoreThreshold: number }, seed: number): Map<string, 'risk' | 'random'> {
  checkShare(p.randomShare, '随机抽样比例');
  const out = new Map<string, 'risk' | 'random'>();
  for (const l of lines) if (l.score > p.scoreThreshold) out.set(l.id, 'risk');
  for (const l of lines) if (!out.has(l.id) && unitHash(l.id, 'review', seed) < p.randomShare) out.set(l.id, 'random');
  return out;
}

// ---- The policy file (policy/care/anomaly.json): its rows, their checks, the values in force ----

export type AnomalyParameterRow = DatedParameter;

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const positive = (v: unknown) => isNumber(v) && v > 0;
const nonNegative = (v: unknown) => isNumber(v) && v >= 0;
const share = (v: unknown) => isNumber(v) && v >= 0 && v <= 1;
const count = (min: number) => (v: unknown) => isNumber(v) && Number.isInteger(v) && v >= min;
const MAX_DECIMALS = 9;

const VALID: Record<keyof AnomalyParams, (v: unknown) => boolean> = {
  maxCheckInMeters: positive,
  checkOutLocationRequired: (v) => typeof v === 'boolean',
  minVisitMinutes: nonNegative,
  minShareOfPlanned: share,
  identicalCoordinateVisits: count(SEVERAL),
  identicalCoordinateDecimals: (v) => count(0)(v) && (v as number) <= MAX_DECIMALS,
  maxTravelKmh: positive,
  travelSlackMeters: nonNegative,
  sharedDeviceCaregivers: count(SEVERAL),
  capShiftShare: share,
  capShiftLookbackWeeks: count(1),
  weights: (v) => typeof v === 'object' && v !== null && !Array.isArray(v)
    && ANOMALY_CODES.every((c) => isNumber((v as Record<string, unknown>)[c]) && ((v as Record<string, number>)[c]! >= 0) && (v as Record<string, number>)[c]! <= ANOMALY_SCORE_MAX)
    && Object.keys(v).every((k) => (ANOMALY_CODES as readonly string[]).includes(k)),
  callbackShare: share,
  reviewRandomShare: share,
  reviewScoreThreshold: (v) => nonNegative(v) && (v as number) <= ANOMALY_SCORE_MAX,
};

/** The problems of the anomaly parameter rows (empty when fine): unknown or missing names, bad values, dates, overlapping periods. */
export function checkAnomalyParameters(rows: readonly AnomalyParameterRow[]): string[] {
  return checkDatedParameters(rows as readonly DatedParameter[], VALID);
}

/** The parameters in force on a local date; throws when one has no value then (a policy file error, never a silent default). */
export function anomalyParamsOn(rows: readonly AnomalyParameterRow[], asOf: string): AnomalyParams {
  return Object.fromEntries(Object.keys(VALID).map((name) => [name, parameterOn(rows as readonly DatedParameter[], name, asOf)])) as unknown as AnomalyParams;
}
