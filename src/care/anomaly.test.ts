// Anomaly checks on visits (issue 8 §5) and the draws (§5 call-backs, §6 review sample): each code
// fires on a case and stays quiet on its near miss (cut-offs on both sides, Shanghai local dates),
// explanations carry the numbers, the policy file is complete and valid, and properties — the flags
// do not depend on input order, a clean city gets none, the draws are reproducible, order-free and
// stable when ids are added, every risk line is sampled — plus a 50,000-visit run.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/ids.ts';
import {
  ANOMALY_CODES, ANOMALY_SCORE_MAX, ANOMALY_TEXT, RELATED_LIMIT, anomalyParamsOn, anomalyScore, checkAnomalyParameters, checkVisits, drawCallbacks, reviewSample,
  type AnomalyCode, type AnomalyFlag, type AnomalyParameterRow, type AnomalyParams, type PersonFacts, type Point, type VisitFacts,
} from './anomaly.ts';
import { greatCircleMeters } from './settle.ts';

const PARAMS: AnomalyParams = {
  maxCheckInMeters: 300, checkOutLocationRequired: true, minVisitMinutes: 30, minShareOfPlanned: 0.8,
  identicalCoordinateVisits: 3, identicalCoordinateDecimals: 6, maxTravelKmh: 60, travelSlackMeters: 200,
  sharedDeviceCaregivers: 2, capShiftShare: 0.9, capShiftLookbackWeeks: 4,
  weights: { no_location: 20, far_from_home: 30, mock_location: 50, identical_coordinates: 40, too_short: 20, overlap: 40, impossible_travel: 40, shared_device: 30, cap_shift: 30, in_hospital: 50, after_death: 100, no_home_proof: 15 },
  callbackShare: 0.05, reviewRandomShare: 0.03, reviewScoreThreshold: 25,
};

const HOME = { lat: 31.2304, lon: 121.4737 };
const M_PER_DEG_LAT = (6_371_008.8 * Math.PI) / 180;
/** A point `m` metres north of `p` (the great-circle distance of a pure latitude step is exact). */
const north = (p: Point, m: number): Point => ({ lat: p.lat + m / M_PER_DEG_LAT, lon: p.lon });
const at = (s: string) => Date.parse(s);
const MIN = 60_000;

let jitter = 0;
/** A point a metre or so from `p`, different at the sixth decimal on every call (real GPS jitter). */
const near = (p: Point): Point => {
  jitter += 1;
  return { lat: p.lat + (jitter % 500) * 2e-6, lon: p.lon + Math.floor(jitter / 500) * 2e-6 };
};

const person = (id: string, over: Partial<PersonFacts> = {}): PersonFacts => ({ id, home: HOME, weeklyCapMinutes: 300, hospitalStays: [], diedOn: null, ...over });
/** A clean one-hour visit at p1's home, 09:00 Shanghai time on `day` unless overridden. */
const visit = (id: string, over: Partial<VisitFacts> & { day?: string; minutes?: number } = {}): VisitFacts => {
  const { day = '2025-03-03', minutes = 60, ...rest } = over;
  const checkIn = rest.checkIn ?? at(`${day}T09:00:00+08:00`);
  return {
    id, personId: 'p1', caregiverId: 'c1', deviceId: `dev-${rest.caregiverId ?? 'c1'}`, checkIn, checkOut: checkIn + minutes * MIN,
    checkInAt: near(HOME), checkOutAt: near(HOME), mockLocation: false, homeProof: 'tag', homeProofValid: true, plannedMinutes: 60, ...rest,
  };
};
const people = (...ps: PersonFacts[]) => new Map(ps.map((p) => [p.id, p]));
const P1 = people(person('p1'));

const run = (visits: VisitFacts[], ps = P1, params = PARAMS) => checkVisits(visits, ps, params);
const codes = (r: Map<string, AnomalyFlag[]>, id: string) => r.get(id)!.map((f) => f.code);
const flagOf = (r: Map<string, AnomalyFlag[]>, id: string, code: AnomalyCode) => r.get(id)!.find((f) => f.code === code);

describe('each check fires, and its near miss does not', () => {
  it('a clean visit gets no flag, and every visit id is in the result', () => {
    const r = run([visit('a'), visit('b', { day: '2025-03-04' })]);
    expect([...r.keys()].sort()).toEqual(['a', 'b']);
    expect(r.get('a')).toEqual([]);
    expect(r.get('b')).toEqual([]);
  });

  it('no_location: check-in without location; a closed visit without check-out location; not an open visit’s missing check-out', () => {
    const r = run([
      visit('in', { checkInAt: null }),
      visit('out', { day: '2025-03-04', checkOutAt: null }),
      visit('both', { day: '2025-03-05', checkInAt: null, checkOutAt: null }),
      visit('nan', { day: '2025-03-06', checkInAt: { lat: Number.NaN, lon: 121 } }),
      visit('open', { day: '2025-03-07', checkOut: null, checkOutAt: null }),
      visit('ok', { day: '2025-03-08' }),
    ]);
    expect(flagOf(r, 'in', 'no_location')).toMatchObject({ weight: 20, explanation: '签到时未提供定位', related: [] });
    expect(flagOf(r, 'out', 'no_location')!.explanation).toBe('签退时未提供定位');
    expect(flagOf(r, 'both', 'no_location')!.explanation).toBe('签到和签退时均未提供定位');
    expect(codes(r, 'nan')).toContain('no_location');
    expect(codes(r, 'open')).toEqual([]);
    expect(codes(r, 'ok')).toEqual([]);
    // The check-out rule is a parameter.
    expect(codes(run([visit('out', { checkOutAt: null })], P1, { ...PARAMS, checkOutLocationRequired: false }), 'out')).toEqual([]);
  });

  it('far_from_home: 300.5 m from the home is flagged (shown rounded up, 301), 299.5 m is not; check-out counts too; accuracy is shown', () => {
    const r = run([
      visit('far', { checkInAt: north(HOME, 300.5) }),
      visit('near', { day: '2025-03-04', checkInAt: north(HOME, 299.5), checkOutAt: north(HOME, 299.6) }),
      visit('km', { day: '2025-03-05', checkInAt: { ...north(HOME, 1249.6), accuracyM: 30 }, checkOutAt: north(HOME, 980) }),
      visit('outFar', { day: '2025-03-06', checkOutAt: north(HOME, 500) }),
    ]);
    expect(greatCircleMeters(HOME, north(HOME, 300.5))).toBeCloseTo(300.5, 6);
    expect(flagOf(r, 'far', 'far_from_home')!.explanation).toBe('签到位置距老人住址 301 米，超过 300 米');
    expect(codes(r, 'near')).toEqual([]);
    expect(flagOf(r, 'km', 'far_from_home')!.explanation).toBe('签到位置距老人住址 1,250 米（定位精度 ±30 米），签退位置距老人住址 980 米，超过 300 米');
    expect(flagOf(r, 'outFar', 'far_from_home')!.explanation).toBe('签退位置距老人住址 500 米，超过 300 米');
  });

  it('mock_location: the device’s mock-provider report is flagged; without it nothing', () => {
    const r = run([visit('m', { mockLocation: true }), visit('n', { day: '2025-03-04' })]);
    expect(codes(r, 'm')).toEqual(['mock_location']);
    expect(flagOf(r, 'm', 'mock_location')!.explanation).toContain('模拟定位');
    expect(codes(r, 'n')).toEqual([]);
  });

  it('identical_coordinates: one point (to 6 decimals) on 3 visits at different times flags all 3; 2 visits, or 3 at only 2 times, or a 6th-decimal difference do not', () => {
    const P = { lat: 31.230412, lon: 121.473733 };
    const three = run([
      visit('x1', { checkInAt: P }),
      visit('x2', { day: '2025-03-04', checkOutAt: { lat: P.lat + 4e-8, lon: P.lon - 4e-8 } }), // same point after rounding
      visit('x3', { day: '2025-03-05', checkInAt: P, checkOutAt: P }), // counts once
      visit('y', { day: '2025-03-06', checkInAt: { lat: P.lat + 1e-6, lon: P.lon } }),
    ]);
    for (const id of ['x1', 'x2', 'x3']) {
      const f = flagOf(three, id, 'identical_coordinates')!;
      expect(f.related).toEqual(['x1', 'x2', 'x3'].filter((x) => x !== id));
      expect(f.explanation).toBe('定位坐标（31.230412, 121.473733）在 3 个不同时间的服务中完全相同（3 次服务），达到 3 次；真实定位每次都会有微小偏差');
    }
    expect(codes(three, 'y')).toEqual([]);

    const two = run([visit('x1', { checkInAt: P }), visit('x2', { day: '2025-03-04', checkInAt: P })]);
    expect(codes(two, 'x1')).toEqual([]);
    const sameTime = run(
      [visit('x1', { checkInAt: P }), visit('x2', { checkInAt: P, caregiverId: 'c2', personId: 'p2' }), visit('x3', { day: '2025-03-04', checkInAt: P })],
      people(person('p1'), person('p2', { weeklyCapMinutes: null })),
    );
    expect([...sameTime.values()].flat().map((f) => f.code)).not.toContain('identical_coordinates');
  });

  it('too_short: 29 minutes < 30 is flagged, 30 is not; 47 of 60 planned < 80% (48) is flagged, 48 is not; minutes are whole', () => {
    const r = run([
      visit('s29', { minutes: 29 }),
      visit('s30', { day: '2025-03-04', minutes: 30, plannedMinutes: null }),
      visit('p47', { day: '2025-03-05', minutes: 47 }),
      visit('p48', { day: '2025-03-06', minutes: 48 }),
      visit('frac', { day: '2025-03-07', minutes: 47.99 }), // 47 whole minutes
      visit('open', { day: '2025-03-08', checkOut: null }),
    ]);
    expect(flagOf(r, 's29', 'too_short')!.explanation).toBe('服务时长 29 分钟，少于最短 30 分钟');
    expect(codes(r, 's30')).toEqual([]);
    expect(flagOf(r, 'p47', 'too_short')!.explanation).toBe('服务时长 47 分钟，不足计划 60 分钟的 80%（48 分钟）');
    expect(codes(r, 'p48')).toEqual([]);
    expect(codes(r, 'frac')).toEqual(['too_short']);
    expect(codes(r, 'open')).toEqual([]);
    // Exact decimals: 0.55 × 60 is 33 (33.000000000000004 in binary); 33 minutes is enough.
    const exact = run([visit('e33', { minutes: 33 }), visit('e32', { day: '2025-03-04', minutes: 32 })], P1, { ...PARAMS, minShareOfPlanned: 0.55 });
    expect(codes(exact, 'e33')).toEqual([]);
    expect(flagOf(exact, 'e32', 'too_short')!.explanation).toContain('55%（33 分钟）');
  });

  it('overlap: intersecting visits of one caregiver are flagged on both; touching ones and other caregivers’ are not', () => {
    const t = (h: string) => at(`2025-03-03T${h}:00+08:00`);
    const r = run(
      [
        visit('a', { checkIn: t('09:00'), checkOut: t('10:00') }),
        visit('b', { checkIn: t('09:30'), checkOut: t('10:30'), personId: 'p2', checkInAt: near(HOME), checkOutAt: near(HOME) }),
        visit('c', { checkIn: t('10:30'), checkOut: t('11:30') }), // touches b
        visit('d', { checkIn: t('09:10'), checkOut: t('10:10'), caregiverId: 'c2', personId: 'p2', deviceId: 'dev-c2' }),
        visit('z', { checkIn: t('12:00'), checkOut: t('12:00'), caregiverId: 'c3', personId: 'p2', deviceId: 'dev-c3', minutes: 0 }),
        visit('z2', { checkIn: t('12:00'), checkOut: t('13:00'), caregiverId: 'c3', personId: 'p2', deviceId: 'dev-c3' }), // a zero-length visit at its start does not intersect it
        visit('y1', { checkIn: t('14:00'), checkOut: t('15:00'), caregiverId: 'c3', personId: 'p2', deviceId: 'dev-c3' }),
        visit('y2', { checkIn: t('14:00'), checkOut: t('14:00'), caregiverId: 'c3', personId: 'p2', deviceId: 'dev-c3' }), // same, the longer one first in id order
        visit('y3', { checkIn: t('14:30'), checkOut: t('14:30'), caregiverId: 'c3', personId: 'p2', deviceId: 'dev-c3' }), // a zero-length visit inside y1 does
      ],
      people(person('p1', { weeklyCapMinutes: null }), person('p2', { weeklyCapMinutes: null })),
    );
    expect(flagOf(r, 'a', 'overlap')).toMatchObject({ related: ['b'], explanation: '与同一护理员的另外 1 次服务时间重叠（最长重叠 30 分钟）' });
    expect(flagOf(r, 'b', 'overlap')!.related).toEqual(['a']);
    expect(codes(r, 'c')).not.toContain('overlap');
    expect(codes(r, 'd')).not.toContain('overlap');
    expect(codes(r, 'z')).not.toContain('overlap');
    expect(codes(r, 'z2')).not.toContain('overlap');
    expect(codes(r, 'y2')).not.toContain('overlap');
    expect(flagOf(r, 'y1', 'overlap')!.related).toEqual(['y3']);
    expect(flagOf(r, 'y3', 'overlap')!.related).toEqual(['y1']);
  });

  it('impossible_travel: 12 km (less 200 m) in 10 minutes is 70.8 km/h > 60, flagged on the later visit; in 20 minutes it is 35.4 km/h, not flagged', () => {
    const far = north(HOME, 12_000);
    const ps = people(person('p1', { weeklyCapMinutes: null }), person('p2', { home: far, weeklyCapMinutes: null }));
    const t = (h: string) => at(`2025-03-03T${h}:00+08:00`);
    const a = visit('a', { checkIn: t('09:00'), checkOut: t('10:00'), checkOutAt: HOME });
    const fast = run([a, visit('b', { checkIn: t('10:10'), checkOut: t('11:10'), personId: 'p2', checkInAt: far, checkOutAt: near(far) })], ps);
    expect(flagOf(fast, 'b', 'impossible_travel')).toMatchObject({ related: ['a'], explanation: '上一次服务签退后 10 分钟即在 12 公里外签到，折合时速 70.8 公里（已扣除定位误差 200 米），超过 60 公里' });
    expect(codes(fast, 'a')).toEqual([]);
    const slow = run([a, visit('b', { checkIn: t('10:20'), checkOut: t('11:20'), personId: 'p2', checkInAt: far, checkOutAt: near(far) })], ps);
    expect(codes(slow, 'b')).toEqual([]);
    // At the cut-off: 60 km/h (the gap rounded up to the next millisecond) is not above it; a second sooner is.
    const metres = greatCircleMeters(HOME, far) - 200;
    const gapMs = (metres / 1000 / 60) * 3_600_000;
    const exactly = run([a, visit('b', { checkIn: t('10:00') + Math.ceil(gapMs), personId: 'p2', checkInAt: far, checkOutAt: near(far) })], ps);
    expect(codes(exactly, 'b')).toEqual([]);
    const sooner = run([a, visit('b', { checkIn: t('10:00') + Math.ceil(gapMs) - 1000, personId: 'p2', checkInAt: far, checkOutAt: near(far) })], ps);
    expect(codes(sooner, 'b')).toEqual(['impossible_travel']);
  });

  it('impossible_travel: a positive distance in no time is flagged; neighbours within the GPS slack are not; no location, no check', () => {
    const t = (h: string) => at(`2025-03-03T${h}:00+08:00`);
    const a = visit('a', { checkIn: t('09:00'), checkOut: t('10:00'), checkOutAt: HOME });
    const next = north(HOME, 1000);
    const ps = people(person('p1', { weeklyCapMinutes: null }), person('p2', { home: next, weeklyCapMinutes: null }));
    const zero = run([a, visit('b', { checkIn: t('10:00'), personId: 'p2', checkInAt: next, checkOutAt: near(next) })], ps);
    expect(flagOf(zero, 'b', 'impossible_travel')!.explanation).toBe('上一次服务签退的同一时刻即在 1 公里外签到，时速 60 公里内无法到达（已扣除定位误差 200 米）');
    const neighbour = north(HOME, 150);
    const ps2 = people(person('p1', { weeklyCapMinutes: null }), person('p2', { home: neighbour, weeklyCapMinutes: null }));
    expect(codes(run([a, visit('b', { checkIn: t('10:00'), personId: 'p2', checkInAt: neighbour, checkOutAt: near(neighbour) })], ps2), 'b')).toEqual([]);
    const noFix = run([a, visit('b', { checkIn: t('10:00'), personId: 'p2', checkInAt: null, checkOutAt: near(next) })], ps);
    expect(codes(noFix, 'b')).toEqual(['no_location']);
  });

  it('shared_device: one phone used by 2 caregivers flags every visit made with it; one caregiver’s phone does not', () => {
    const ps = people(person('p1', { weeklyCapMinutes: null }));
    const r = run([
      visit('a1', { deviceId: 'D' }),
      visit('a2', { deviceId: 'D', day: '2025-03-04' }),
      visit('b1', { deviceId: 'D', caregiverId: 'c2', day: '2025-03-05' }),
      visit('own1', { deviceId: 'E', caregiverId: 'c3', day: '2025-03-06' }),
      visit('own2', { deviceId: 'E', caregiverId: 'c3', day: '2025-03-07' }),
      visit('none', { deviceId: null, caregiverId: 'c4', day: '2025-03-08' }),
    ], ps);
    expect(flagOf(r, 'a1', 'shared_device')).toMatchObject({ related: ['b1'], explanation: '同一部手机在本批数据中由 2 名护理员使用，达到 2 名' });
    expect(flagOf(r, 'a2', 'shared_device')!.related).toEqual(['b1']);
    expect(flagOf(r, 'b1', 'shared_device')!.related).toEqual(['a1']);
    for (const id of ['own1', 'own2', 'none']) expect(codes(r, id)).toEqual([]);
    expect(codes(run([visit('a1', { deviceId: 'D' }), visit('b1', { deviceId: 'D', caregiverId: 'c2', day: '2025-03-05' })], ps, { ...PARAMS, sharedDeviceCaregivers: 3 }), 'a1')).toEqual([]);
  });

  describe('cap_shift: a caregiver new to the person appears in a week at ≥ 90% of the cap (300 min → 270)', () => {
    // c1 serves p1 once a week in the four weeks before the week of 2025-03-31 (Monday).
    const history = ['2025-03-03', '2025-03-10', '2025-03-17', '2025-03-24'].map((d, i) => visit(`h${i}`, { day: d }));
    const week = (c1: number, c2Minutes: number[]) => [
      ...Array.from({ length: c1 }, (_, i) => visit(`w1-${i}`, { day: `2025-04-0${i + 1}` })),
      ...c2Minutes.map((m, i) => visit(`w2-${i}`, { day: `2025-04-0${i + 1}`, caregiverId: 'c2', deviceId: 'dev-c2', minutes: m, plannedMinutes: m, checkIn: at(`2025-04-0${i + 1}T14:00:00+08:00`) })),
    ];
    const all = (r: Map<string, AnomalyFlag[]>) => [...r].filter(([, f]) => f.some((x) => x.code === 'cap_shift')).map(([id]) => id).sort();

    it('270 minutes (c1 3 × 60, new c2 90) flags c2’s visit only, with c1’s visits of the week as related', () => {
      const r = run([...history, ...week(3, [90])]);
      expect(all(r)).toEqual(['w2-0']);
      expect(flagOf(r, 'w2-0', 'cap_shift')).toMatchObject({
        related: ['w1-0', 'w1-1', 'w1-2'],
        explanation: '老人在 2025-03-31 起的一周内服务共 270 分钟，达到每周上限 300 分钟的 90%（270 分钟），本周由 2 名护理员服务；该护理员此前 4 周未服务过这位老人',
      });
    });
    it('269 minutes is below the cut-off: nothing', () => {
      expect(all(run([...history, ...week(3, [89])]))).toEqual([]);
    });
    it('no visit of the person in the 4 weeks before (no baseline): nothing', () => {
      expect(all(run(week(4, [60])))).toEqual([]);
      // The only earlier visit is 5 weeks before: still no baseline.
      expect(all(run([visit('old', { day: '2025-02-24' }), ...week(4, [60])]))).toEqual([]);
    });
    it('c2 already served the person 2 weeks before: a regular, nothing', () => {
      expect(all(run([...history, visit('c2old', { day: '2025-03-18', caregiverId: 'c2', deviceId: 'dev-c2' }), ...week(4, [60])]))).toEqual([]);
    });
    it('only the new caregiver in the week (a replacement, one caregiver): nothing; no cap: nothing', () => {
      expect(all(run([...history, ...week(0, [60, 60, 60, 60, 60])]))).toEqual([]);
      expect(all(run([...history, ...week(4, [60])], people(person('p1', { weeklyCapMinutes: null }))))).toEqual([]);
    });
    it('weeks start on Monday 00:00 Shanghai time: a Sunday-night visit belongs to the week before', () => {
      // Sunday 2025-04-06 23:30 +08:00 is 15:30 UTC the same day; Monday 00:30 +08:00 is still Sunday in UTC.
      const sunday = visit('sun', { checkIn: at('2025-04-06T23:30:00+08:00'), caregiverId: 'c2', deviceId: 'dev-c2', minutes: 60 });
      const monday = visit('mon', { checkIn: at('2025-04-07T00:30:00+08:00'), caregiverId: 'c2', deviceId: 'dev-c2', minutes: 60 });
      const r = run([...history, ...week(4, []), sunday, monday]);
      expect(all(r)).toEqual(['sun']); // week of 03-31: 240 + 60 = 300 with c2 new; week of 04-07: c2 alone
      expect(flagOf(r, 'sun', 'cap_shift')!.explanation).toContain('2025-03-31 起的一周内服务共 300 分钟');
    });
  });

  it('in_hospital: check-in dates within a stay (both ends, Shanghai dates) are flagged; the day after is not; an ongoing stay counts', () => {
    const ps = people(person('p1', { weeklyCapMinutes: null, hospitalStays: [{ from: '2025-03-01', to: '2025-03-10' }, { from: '2025-04-01', to: null }] }));
    const r = run([
      visit('first', { checkIn: at('2025-03-01T09:00:00+08:00') }),
      visit('last', { checkIn: at('2025-03-10T23:00:00+08:00') }),
      visit('after', { checkIn: at('2025-03-11T00:30:00+08:00') }), // 2025-03-10 in UTC, 03-11 in Shanghai
      visit('before', { checkIn: at('2025-02-28T09:00:00+08:00') }),
      visit('ongoing', { checkIn: at('2025-05-20T09:00:00+08:00') }),
    ], ps);
    expect(flagOf(r, 'last', 'in_hospital')!.explanation).toBe('签到日期 2025-03-10 在老人住院期间（2025-03-01 至 2025-03-10）');
    expect(codes(r, 'first')).toEqual(['in_hospital']);
    expect(codes(r, 'after')).toEqual([]);
    expect(codes(r, 'before')).toEqual([]);
    expect(flagOf(r, 'ongoing', 'in_hospital')!.explanation).toBe('签到日期 2025-05-20 在老人住院期间（2025-04-01 起，尚未出院）');
  });

  it('after_death: on the date of death (Shanghai) and after is flagged; the evening before is not', () => {
    const ps = people(person('p1', { weeklyCapMinutes: null, diedOn: '2025-03-05' }));
    const r = run([
      visit('same', { checkIn: at('2025-03-05T07:00:00+08:00') }), // still 03-04 in UTC
      visit('eve', { checkIn: at('2025-03-04T22:00:00+08:00') }),
      visit('later', { checkIn: at('2025-03-09T09:00:00+08:00') }),
    ], ps);
    expect(flagOf(r, 'same', 'after_death')).toMatchObject({ weight: 100, explanation: '签到日期 2025-03-05 在老人去世日期 2025-03-05 当天或之后' });
    expect(codes(r, 'eve')).toEqual([]);
    expect(codes(r, 'later')).toEqual(['after_death']);
  });

  it('no_home_proof: none, or one that did not validate, on a closed visit is flagged; a valid one, or an open visit, is not', () => {
    const r = run([
      visit('none', { homeProof: null, homeProofValid: false }),
      visit('bad', { day: '2025-03-04', homeProof: 'tag', homeProofValid: false }),
      visit('phone', { day: '2025-03-05', homeProof: 'elder_phone', homeProofValid: true }),
      visit('open', { day: '2025-03-06', homeProof: null, homeProofValid: false, checkOut: null }),
    ]);
    expect(flagOf(r, 'none', 'no_home_proof')!.explanation).toBe('没有老人一方的到场凭证（家中标签、老人手机或卡片确认）');
    expect(flagOf(r, 'bad', 'no_home_proof')!.explanation).toBe('老人一方的到场凭证（家中标签）校验未通过');
    expect(codes(r, 'phone')).toEqual([]);
    expect(codes(r, 'open')).toEqual([]);
  });

  it('several flags on one visit come in code order; the score sums weights and stops at 100', () => {
    const ps = people(person('p1', { weeklyCapMinutes: null, diedOn: '2025-01-01' }));
    const r = run([visit('v', { checkInAt: null, mockLocation: true, minutes: 10, homeProof: null })], ps);
    expect(codes(r, 'v')).toEqual(['no_location', 'mock_location', 'too_short', 'after_death', 'no_home_proof']);
    expect(anomalyScore(r.get('v')!)).toBe(ANOMALY_SCORE_MAX);
    const weak = run([visit('w', { minutes: 10, homeProof: null })]);
    expect(anomalyScore(weak.get('w')!)).toBe(35);
    expect(anomalyScore([])).toBe(0);
  });

  it('bad input: a duplicate id or an unknown person is an error', () => {
    expect(() => run([visit('a'), visit('a')])).toThrow(/重复/);
    expect(() => run([visit('a', { personId: 'nobody' })])).toThrow(/不在名单中/);
  });

  it('related ids are capped at RELATED_LIMIT; the explanation keeps the full count', () => {
    const P = { lat: 31.23, lon: 121.47 };
    const many = Array.from({ length: 30 }, (_, i) => visit(`v${String(i).padStart(2, '0')}`, { checkIn: at('2025-03-03T09:00:00+08:00') + i * 86_400_000, checkInAt: P }));
    const r = run(many, people(person('p1', { weeklyCapMinutes: null, home: P })));
    const f = flagOf(r, 'v00', 'identical_coordinates')!;
    expect(f.related).toHaveLength(RELATED_LIMIT);
    expect(f.explanation).toContain('30 个不同时间');
  });
});

describe('policy/care/anomaly.json', () => {
  const raw = JSON.parse(readFileSync(new URL('../../policy/care/anomaly.json', import.meta.url), 'utf8')) as { version: string; parameters: AnomalyParameterRow[] };

  it('is complete and valid, every row with a source; the values in force in 2025 are the ones these tests use', () => {
    expect(checkAnomalyParameters(raw.parameters)).toEqual([]);
    expect(anomalyParamsOn(raw.parameters, '2025-03-03')).toEqual(PARAMS);
    expect(Object.keys(anomalyParamsOn(raw.parameters, '2025-03-03').weights).sort()).toEqual([...ANOMALY_CODES].sort());
    for (const c of ANOMALY_CODES) expect(ANOMALY_TEXT[c]).toMatch(/\p{Script=Han}/u);
  });

  it('the checker catches a missing parameter, a missing weight, an unknown name, a bad share and overlapping periods; a date before the first value is an error', () => {
    const rows = raw.parameters;
    expect(checkAnomalyParameters(rows.filter((r) => r.name !== 'minVisitMinutes'))).toEqual(['缺少参数 minVisitMinutes']);
    const weights = rows.find((r) => r.name === 'weights')!;
    const { overlap: _o, ...fewer } = weights.value as Record<string, number>;
    expect(checkAnomalyParameters(rows.map((r) => (r === weights ? { ...r, value: fewer } : r)))).toHaveLength(1);
    expect(checkAnomalyParameters([...rows, { ...weights, name: 'surprise' }])).toEqual(['未知参数 surprise']);
    expect(checkAnomalyParameters(rows.map((r) => (r.name === 'callbackShare' ? { ...r, value: 1.5 } : r)))).toEqual(['参数 callbackShare：取值 1.5 无效']);
    expect(checkAnomalyParameters([...rows, { ...rows[0]!, from: '2024-01-01' }])).toHaveLength(1);
    expect(() => anomalyParamsOn(rows, '2017-12-31')).toThrow(/maxCheckInMeters/);
  });
});

// ---- properties ----

const HOMES: Point[] = [HOME, north(HOME, 800), north(HOME, 5_000)];
const BASE = at('2025-03-03T08:00:00+08:00');
const pointArb = (home: Point): fc.Arbitrary<Point | null> =>
  fc.oneof(fc.constant(null), fc.constant(home), fc.integer({ min: 0, max: 3 }).map((k) => north(home, k * 250)), fc.integer({ min: 1, max: 1_000_000 }).map((k) => ({ lat: home.lat + k * 1e-7, lon: home.lon })));
/** Messy visits: few caregivers, people, devices and points, so every rule has something to find. */
const messyArb = fc.array(
  fc.record({
    person: fc.integer({ min: 0, max: 2 }),
    caregiver: fc.constantFrom('c1', 'c2', 'c3'),
    device: fc.constantFrom('d1', 'd2', 'd3', null),
    start: fc.integer({ min: 0, max: 6 * 7 * 24 * 4 }).map((q) => BASE + q * 15 * MIN),
    minutes: fc.option(fc.integer({ min: 0, max: 120 })),
    mock: fc.boolean(),
    proof: fc.constantFrom('tag' as const, 'card' as const, null),
    valid: fc.boolean(),
    planned: fc.constantFrom(null, 45, 60),
    inAt: fc.integer({ min: 0, max: 2 }),
    outAt: fc.integer({ min: 0, max: 2 }),
  }),
  { maxLength: 60 },
).chain((rows) =>
  fc.tuple(...rows.map((r) => fc.tuple(pointArb(HOMES[r.person]!), pointArb(HOMES[r.person]!)))).map((pts) =>
    rows.map((r, i): VisitFacts => ({
      id: `v${i}`, personId: `p${r.person}`, caregiverId: r.caregiver, deviceId: r.device, checkIn: r.start, checkOut: r.minutes === null ? null : r.start + r.minutes * MIN,
      checkInAt: pts[i]![0], checkOutAt: pts[i]![1], mockLocation: r.mock, homeProof: r.proof, homeProofValid: r.valid, plannedMinutes: r.planned,
    })),
  ),
);
const messyPeople = people(
  person('p0', { weeklyCapMinutes: 180 }),
  person('p1', { home: HOMES[1]!, weeklyCapMinutes: 300, hospitalStays: [{ from: '2025-03-10', to: '2025-03-12' }] }),
  person('p2', { home: HOMES[2]!, weeklyCapMinutes: null, diedOn: '2025-04-01' }),
);
const sorted = <V>(r: Map<string, V>) => [...r].sort((a, b) => (a[0] < b[0] ? -1 : 1));

/** A clean city from a seed: each caregiver serves own people, one visit at a time with time to travel, each fix its own. */
function cleanCity(seed: number, caregivers: number, perCaregiver: number): { visits: VisitFacts[]; people: Map<string, PersonFacts> } {
  const rnd = mulberry32(seed);
  const ps = new Map<string, PersonFacts>();
  const visits: VisitFacts[] = [];
  let fix = 0;
  const jittered = (p: Point): Point => {
    fix += 1;
    return { lat: p.lat + (fix % 1000) * 2e-6, lon: p.lon + Math.floor(fix / 1000) * 2e-6 };
  };
  for (let c = 0; c < caregivers; c++) {
    const mine = Array.from({ length: 4 }, (_, k) => {
      const id = `p${c}-${k}`;
      const home = { lat: 31 + rnd() * 0.5, lon: 121 + rnd() * 0.5 };
      ps.set(id, person(id, { home, weeklyCapMinutes: rnd() < 0.5 ? 300 : null }));
      return ps.get(id)!;
    });
    let t = BASE;
    for (let i = 0; i < perCaregiver; i++) {
      const p = mine[i % mine.length]!;
      const minutes = 60 + Math.floor(rnd() * 30);
      const inAt = jittered(p.home);
      visits.push({
        id: `c${c}-v${i}`, personId: p.id, caregiverId: `c${c}`, deviceId: `dev${c}`, checkIn: t, checkOut: t + minutes * MIN,
        checkInAt: inAt, checkOutAt: jittered(p.home), mockLocation: false, homeProof: 'tag', homeProofValid: true, plannedMinutes: 60,
      });
      t += (minutes + 24 * 60) * MIN; // next day: homes are at most ~75 km apart
    }
  }
  return { visits, people: ps };
}

describe('properties', () => {
  it('the flags do not depend on the order of the visits; scores stay within 0..100; related ids are other visits of the input', () => {
    fc.assert(
      fc.property(messyArb, fc.integer(), (visits, seed) => {
        const r = checkVisits(visits, messyPeople, PARAMS);
        expect(r.size).toBe(visits.length);
        const rnd = mulberry32(seed);
        const shuffled = visits.map((v) => [rnd(), v] as const).sort((a, b) => a[0] - b[0]).map(([, v]) => v);
        expect(sorted(checkVisits(shuffled, messyPeople, PARAMS))).toEqual(sorted(r));
        for (const [id, flags] of r) {
          const s = anomalyScore(flags);
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(ANOMALY_SCORE_MAX);
          expect(new Set(flags.map((f) => f.code)).size).toBe(flags.length);
          for (const f of flags) for (const x of f.related) expect(x !== id && r.has(x)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('overlap is symmetric and matches the definition pair by pair', () => {
    fc.assert(
      fc.property(messyArb, (visits) => {
        const r = checkVisits(visits, messyPeople, PARAMS);
        for (const v of visits) {
          const expected = visits.filter((u) => u !== v && u.caregiverId === v.caregiverId && u.checkOut !== null && v.checkOut !== null && u.checkIn < v.checkOut && v.checkIn < u.checkOut).map((u) => u.id).sort();
          const f = flagOf(r, v.id, 'overlap');
          expect(f?.related ?? []).toEqual(expected.slice(0, RELATED_LIMIT));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a clean city gets no flag at all', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 30 }), (seed, cs, n) => {
        const { visits, people: ps } = cleanCity(seed, cs, n);
        const flagged = [...checkVisits(visits, ps, PARAMS)].filter(([, f]) => f.length);
        expect(flagged).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('drawCallbacks: reproducible, order-free, stable when ids are added, about share × n; 0 and 1 draw none and all', () => {
    const ids = Array.from({ length: 200_000 }, (_, i) => `visit-${i}`);
    const drawn = drawCallbacks(ids, 0.05, 42);
    // 10,000 expected; the standard deviation of a fair draw is about 97.
    expect(drawn.size).toBeGreaterThan(9_600);
    expect(drawn.size).toBeLessThan(10_400);
    expect(drawCallbacks([...ids].reverse(), 0.05, 42)).toEqual(drawn);
    expect(drawCallbacks(ids, 0.05, 43)).not.toEqual(drawn);
    expect(drawCallbacks(ids, 0, 42).size).toBe(0);
    expect(drawCallbacks(ids, 1, 42).size).toBe(ids.length);
    expect(() => drawCallbacks(ids, 1.2, 42)).toThrow(/0 到 1/);
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 200 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), (xs, share, seed) => {
        const all = drawCallbacks(xs, share, seed);
        expect(drawCallbacks([...xs].reverse(), share, seed)).toEqual(all);
        const half = xs.filter((_, i) => i % 2 === 0);
        expect(drawCallbacks(half, share, seed)).toEqual(new Set(half.filter((x) => all.has(x))));
      }),
    );
  });

  it('reviewSample: every line above the threshold is a risk line, none at or below it; the random part is about its share, reproducible and order-free', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => ({ id: `line-${i}`, score: (i * 7) % 101 }));
    const p = { randomShare: 0.03, scoreThreshold: 25 };
    const s = reviewSample(lines, p, 7);
    const risk = lines.filter((l) => l.score > 25);
    for (const l of risk) expect(s.get(l.id)).toBe('risk');
    for (const l of lines.filter((x) => x.score <= 25)) expect(s.get(l.id)).not.toBe('risk');
    const random = [...s.values()].filter((x) => x === 'random').length;
    const rest = lines.length - risk.length;
    expect(random).toBeGreaterThan(rest * 0.02);
    expect(random).toBeLessThan(rest * 0.04);
    fc.assert(
      fc.property(fc.array(fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }), score: fc.integer({ min: 0, max: 100 }) }), { maxLength: 100 }), fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer(), (ls, threshold, share, seed) => {
        const q = { randomShare: share, scoreThreshold: threshold };
        const a = reviewSample(ls, q, seed);
        expect(sorted(a)).toEqual(sorted(reviewSample([...ls].reverse(), q, seed)));
        for (const l of ls) if (l.score > threshold) expect(a.get(l.id)).toBe('risk');
        for (const [id, why] of a) if (why === 'risk') expect(ls.some((l) => l.id === id && l.score > threshold)).toBe(true);
      }),
    );
  });
});

describe('scale', () => {
  it('50,000 generated visits are all checked; the injected anomalies, and only they, are found', () => {
    const { visits, people: ps } = cleanCity(2026, 2_000, 25);
    expect(visits).toHaveLength(50_000);
    // Inject: every 100th visit reports a mock location, every 250th has no elder-side proof.
    for (let i = 0; i < visits.length; i += 100) visits[i] = { ...visits[i]!, mockLocation: true };
    for (let i = 7; i < visits.length; i += 250) visits[i] = { ...visits[i]!, homeProof: null };
    const r = checkVisits(visits, ps, PARAMS);
    expect(r.size).toBe(50_000);
    const count = (c: AnomalyCode) => [...r.values()].filter((f) => f.some((x) => x.code === c)).length;
    expect(count('mock_location')).toBe(500);
    expect(count('no_home_proof')).toBe(200);
    expect([...r.values()].filter((f) => f.length).length).toBe(700);
    const sample = reviewSample([...r].map(([id, f]) => ({ id, score: anomalyScore(f) })), { randomShare: 0.03, scoreThreshold: 25 }, 1);
    expect([...sample.values()].filter((x) => x === 'risk')).toHaveLength(500); // mock (50) is above 25; no proof (15) alone is not
  });
});
