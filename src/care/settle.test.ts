// LTCI settlement: the contract's worked example (with params, and with the policy's parameters
// in force), the rule order, overlaps, the ISO week in Shanghai time, grade validity on the local
// date, exact half-up rounding, and bad input.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { settleText, ltciOn } from '../cli/settle.ts';
import { createEngine, loadParameters, type Engine } from '../entitlements/index.ts';
import { roundHalfUp, isoWeekKey, greatCircleMeters, paramsFor, readSettleInput, settle, type SettleParams } from './index.ts';
import { instantOf } from './input.ts';
import { parseInstant } from '../core/dates.ts';

let engine: Engine;
beforeAll(async () => {
  engine = createEngine(await loadParameters(), { rootCode: '310000' });
});
const run = (o: unknown) => settleText(JSON.stringify(o), ltciOn(engine, '310000'));
const out = (o: unknown) => JSON.parse(run(o).stdout) as { visits: { id: string; status: string; reason: string | null; billedMinutes: number; amountFen: number; fundFen: number; copayFen: number }[]; people: { id: string }[] };

const HOME = { lat: 31.2304, lon: 121.4737 };
const NEAR = { lat: 31.2305, lon: 121.4738 };
const PARAMS = { weeklyHours: { '2': 3, '3': 3, '4': 5, '5': 7, '6': 7 }, fenPerHour: { care: 6500, nursing: 8000 }, fundShare: 0.9, maxCheckInMeters: 300 };
const person = (over: Record<string, unknown> = {}) => ({ id: 'p1', careGrade: 2, gradeValidFrom: '2024-01-01', gradeValidTo: '2025-12-31', home: HOME, ...over });
const visit = (id: string, checkIn: string, checkOut: string, over: Record<string, unknown> = {}) => ({ id, person: 'p1', caregiver: 'c1', kind: 'care', checkIn, checkOut, checkInAt: NEAR, ...over });

const EXAMPLE_IN = JSON.parse(readFileSync(new URL('../../test/rules/care/settle-example.json', import.meta.url), 'utf8')) as { input: Record<string, unknown>; output: string };

describe('settle contract', () => {
  it('EXAMPLES.md byte for byte: the first week’s cap cuts v3 to 30 minutes; v4 too far on a Monday 06:30 in Shanghai; v6 overlaps v5', () => {
    expect(run(EXAMPLE_IN.input)).toEqual({ stdout: EXAMPLE_IN.output + '\n', stderr: '', code: 0 });
  });

  it('without params, the LTCI parameters in force (policy/parameters/ltci.json) give the same answer', () => {
    const { params: _params, ...input } = EXAMPLE_IN.input;
    expect(run(input).stdout).toBe(EXAMPLE_IN.output + '\n');
  });

  it('rule order: not_eligible before too_far before overlap; an overlap counts whatever the other visit’s status', () => {
    const o = out({
      people: [person(), person({ id: 'p0', careGrade: 1 })],
      visits: [
        visit('a', '2025-03-03T09:00:00+08:00', '2025-03-03T10:00:00+08:00', { person: 'p0', checkInAt: { lat: 32, lon: 121 } }),
        visit('b', '2025-03-03T09:30:00+08:00', '2025-03-03T10:30:00+08:00', { checkInAt: { lat: 32, lon: 121 } }),
        visit('c', '2025-03-03T09:45:00+08:00', '2025-03-03T10:15:00+08:00'),
      ],
      params: PARAMS,
    });
    expect(o.visits.map((v) => `${v.id} ${v.status} ${v.reason}`)).toEqual(['a rejected not_eligible', 'b rejected too_far', 'c rejected overlap']);
  });

  it('equal starts: the larger id is rejected; touching intervals do not overlap; other caregivers do not clash', () => {
    const o = out({
      people: [person()],
      visits: [
        visit('x2', '2025-03-03T09:00:00+08:00', '2025-03-03T09:30:00+08:00'),
        visit('x1', '2025-03-03T09:00:00+08:00', '2025-03-03T09:20:00+08:00'),
        visit('y', '2025-03-03T09:30:00+08:00', '2025-03-03T10:00:00+08:00'),
        visit('z', '2025-03-03T09:10:00+08:00', '2025-03-03T09:40:00+08:00', { caregiver: 'c2' }),
      ],
      params: PARAMS,
    });
    expect(o.visits.map((v) => `${v.id} ${v.status} ${v.reason ?? ''}`)).toEqual(['x1 paid ', 'x2 rejected overlap', 'y paid ', 'z paid ']);
  });

  it('grade validity on the check-in’s local date in Shanghai, both ends included', () => {
    const o = out({
      people: [person({ gradeValidFrom: '2025-03-03', gradeValidTo: '2025-03-04' })],
      visits: [
        visit('before', '2025-03-02T15:59:00Z', '2025-03-02T16:10:00Z', { caregiver: 'c1' }), // 2025-03-02 23:59 Shanghai
        visit('first', '2025-03-02T16:00:00Z', '2025-03-02T16:10:00Z', { caregiver: 'c2' }), // 2025-03-03 00:00 Shanghai
        visit('last', '2025-03-04T15:00:00Z', '2025-03-04T15:10:00Z', { caregiver: 'c3' }), // 2025-03-04 23:00 Shanghai
        visit('after', '2025-03-04T16:00:00Z', '2025-03-04T16:10:00Z', { caregiver: 'c4' }), // 2025-03-05 00:00 Shanghai
      ],
      params: PARAMS,
    });
    expect(o.visits.map((v) => `${v.id} ${v.status}`)).toEqual(['after rejected', 'before rejected', 'first paid', 'last paid']);
  });

  it('weekly cap by ISO week from Monday 00:00 Shanghai; equal check-ins billed in id order; paid, partial, rejected over_cap', () => {
    const o = out({
      people: [person()],
      visits: [
        visit('s', '2025-03-09T22:00:00+08:00', '2025-03-09T23:30:00+08:00', { caregiver: 'c1' }), // Sunday: week of 3 March
        visit('m2', '2025-03-10T00:00:00+08:00', '2025-03-10T02:00:00+08:00', { caregiver: 'c2' }), // Monday 00:00: a new week
        visit('m1', '2025-03-10T00:00:00+08:00', '2025-03-10T02:00:00+08:00', { caregiver: 'c3' }),
        visit('t', '2025-03-11T09:00:00+08:00', '2025-03-11T09:30:00+08:00', { caregiver: 'c1' }),
      ],
      params: PARAMS,
    });
    expect(o.visits.map((v) => `${v.id} ${v.status} ${v.billedMinutes}`)).toEqual(['m1 paid 120', 'm2 partial 60', 's paid 90', 't rejected 0']);
    expect(isoWeekKey(Date.parse('2025-03-09T16:00:00Z'))).toBe('2025-03-10');
    expect(isoWeekKey(Date.parse('2025-03-09T15:59:59Z'))).toBe('2025-03-03');
  });

  it('whole minutes; money rounded half up on exact decimals', () => {
    expect(roundHalfUp(975, 0.9)).toBe(878); // 877.5 → 878, though 975 × 0.9 is 877.4999… in binary
    expect(roundHalfUp(1, 6500, 60)).toBe(108);
    expect(roundHalfUp(3, 6500, 60)).toBe(325);
    expect(roundHalfUp(9, 8000, 60)).toBe(1200);
    const o = out({ people: [person()], visits: [visit('v', '2025-03-03T09:00:00+08:00', '2025-03-03T09:09:59+08:00')], params: { ...PARAMS, fenPerHour: { care: 6500 }, fundShare: 0.85 } });
    expect(o.visits[0]).toMatchObject({ billedMinutes: 9, amountFen: 975, fundFen: 829, copayFen: 146 });
  });

  it('a person’s figures are the sums of their visits; people lists everyone with a visit, by id', () => {
    const o = out({
      people: [person({ id: 'pb' }), person({ id: 'pa' }), person({ id: 'pc' })],
      visits: [visit('1', '2025-03-03T09:00:00+08:00', '2025-03-03T10:00:00+08:00', { person: 'pb' }), visit('2', '2025-03-04T09:00:00+08:00', '2025-03-04T10:00:00+08:00', { person: 'pa', caregiver: 'c9' })],
      params: PARAMS,
    });
    expect(o.people).toEqual([
      { id: 'pa', billedMinutes: 60, amountFen: 6500, fundFen: 5850, copayFen: 650 },
      { id: 'pb', billedMinutes: 60, amountFen: 6500, fundFen: 5850, copayFen: 650 },
    ]);
  });

  it('great-circle distance: about 1.12 km for 0.0101° of latitude', () => {
    expect(greatCircleMeters(HOME, { lat: 31.2405, lon: 121.4737 })).toBeCloseTo(1123, -1);
  });

  it.each([
    ['not JSON', '{'],
    ['unknown person', JSON.stringify({ people: [person()], visits: [visit('v', '2025-03-03T09:00:00+08:00', '2025-03-03T10:00:00+08:00', { person: 'p9' })], params: PARAMS })],
    ['duplicate visit ids', JSON.stringify({ people: [person()], visits: [visit('v', '2025-03-03T09:00:00+08:00', '2025-03-03T10:00:00+08:00'), visit('v', '2025-03-04T09:00:00+08:00', '2025-03-04T10:00:00+08:00')], params: PARAMS })],
    ['duplicate person ids', JSON.stringify({ people: [person(), person()], visits: [], params: PARAMS })],
    ['check-out before check-in', JSON.stringify({ people: [person()], visits: [visit('v', '2025-03-03T10:00:00+08:00', '2025-03-03T09:00:00+08:00')], params: PARAMS })],
    ['bad time', JSON.stringify({ people: [person()], visits: [visit('v', '2025-02-30T10:00:00+08:00', '2025-03-03T09:00:00+08:00')], params: PARAMS })],
    ['no price for the kind', JSON.stringify({ people: [person()], visits: [visit('v', '2025-03-03T09:00:00+08:00', '2025-03-03T10:00:00+08:00', { kind: 'meal' })], params: PARAMS })],
    ['fund share above 1', JSON.stringify({ people: [person()], visits: [], params: { ...PARAMS, fundShare: 90 } })],
    ['grade 7', JSON.stringify({ people: [person({ careGrade: 7 })], visits: [], params: PARAMS })],
    ['missing home', JSON.stringify({ people: [person({ home: undefined })], visits: [], params: PARAMS })],
  ])('%s → exit 2 with a message on stderr, nothing on stdout', (_, text) => {
    const r = settleText(text, ltciOn(engine, '310000'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^错误：/);
  });
});

describe('bad input: the exact message, the first problem in input order', () => {
  const one = (v: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({ people: [person()], visits: [v], params: PARAMS, ...extra });
  const IN = '2025-03-03T09:00:00+08:00';
  const OUT = '2025-03-03T10:00:00+08:00';
  it.each([
    ['a person without id', JSON.stringify({ people: [person(), { ...person(), id: '' }], visits: [] }), 'people[1] 缺少 id / people[1] needs a string id'],
    ['a bad grade before a bad date', JSON.stringify({ people: [person({ careGrade: 2.5, gradeValidFrom: 'x' })], visits: [] }), '人员 p1 的 careGrade 应为 0–6 的整数或 null / person p1: careGrade must be 0–6 or null'],
    ['a bad date before a bad home', JSON.stringify({ people: [person({ gradeValidTo: '2025-02-29', home: null })], visits: [] }), '人员 p1 的 gradeValidTo 不是有效日期 / person p1: gradeValidTo is not a YYYY-MM-DD date'],
    ['a home out of range', JSON.stringify({ people: [person({ home: { lat: 31, lon: -181 } })], visits: [] }), '人员 p1 的 home 应为 {"lat","lon"} 坐标 / 人员 p1 的 home must be {"lat","lon"}'],
    ['a visit that is not an object', JSON.stringify({ people: [person()], visits: [visit('a', IN, OUT), null] }), 'visits[1] 缺少 id / visits[1] needs a string id'],
    ['a duplicate visit id', JSON.stringify({ people: [person()], visits: [visit('v', IN, OUT), visit('v', 'x', 'y')] }), '上门记录编号 v 重复 / duplicate visit id v'],
    ['an unknown person (as JSON)', one(visit('v', IN, OUT, { person: 'a"b' })), '上门记录 v 引用了未知人员 "a\\"b" / visit v: unknown person'],
    ['no person', one(visit('v', IN, OUT, { person: undefined })), '上门记录 v 引用了未知人员 undefined / visit v: unknown person'],
    ['no caregiver before no kind', one(visit('v', IN, OUT, { caregiver: '', kind: 3 })), '上门记录 v 缺少 caregiver / visit v needs a caregiver'],
    ['no kind', one(visit('v', IN, OUT, { kind: '' })), '上门记录 v 缺少 kind / visit v needs a kind'],
    ['a bad check-in before a bad check-out', one(visit('v', '2025-03-03T24:00:00+08:00', 'y')), '上门记录 v 的 checkIn 不是有效的 ISO-8601 时间 / visit v: checkIn is not an ISO-8601 date-time'],
    ['a check-in that is not text', one(visit('v', IN, OUT, { checkIn: 1741000000000 })), '上门记录 v 的 checkIn 不是有效的 ISO-8601 时间 / visit v: checkIn is not an ISO-8601 date-time'],
    ['an offset beyond 23:59', one(visit('v', IN, '2025-03-03T10:00:00+24:00')), '上门记录 v 的 checkOut 不是有效的 ISO-8601 时间 / visit v: checkOut is not an ISO-8601 date-time'],
    ['check-out before check-in, before a bad point', one(visit('v', OUT, IN, { checkInAt: null })), '上门记录 v 的签退早于签到 / visit v: checkOut is before checkIn'],
    ['a bad check-in point', one(visit('v', IN, OUT, { checkInAt: { lat: 100, lon: 0 } })), '上门记录 v 的 checkInAt 应为 {"lat","lon"} 坐标 / 上门记录 v 的 checkInAt must be {"lat","lon"}'],
    ['a bad visit before bad params', one(visit('v', IN, OUT, { kind: 7 }), { params: 5 }), '上门记录 v 缺少 kind / visit v needs a kind'],
    ['no parameters in force on the date', JSON.stringify({ people: [person()], visits: [visit('v', '1995-03-03T09:00:00+08:00', '1995-03-03T10:00:00+08:00')], params: { fenPerHour: { care: 1 } } }), '1995-03-03 没有生效的 weeklyHours 参数，请在 params 中给出 / no weeklyHours in force on 1995-03-03: give it in params'],
    ['no price for the second visit’s kind', JSON.stringify({ people: [person()], visits: [visit('a', IN, OUT), visit('b', '2025-03-04T09:00:00+08:00', '2025-03-04T10:00:00+08:00', { kind: '"餐"' })] }), '上门记录 b 的服务类别 "\\"餐\\"" 没有价格 / visit b: no fenPerHour for kind "\\"餐\\""'],
  ])('%s', (_, text, message) => {
    expect(settleText(text, ltciOn(engine, '310000'))).toEqual({ stdout: '', stderr: `错误：${message}`, code: 2 });
  });

  it('every form of time parseInstant accepts: seconds, fractions, Z, offsets, none (Shanghai)', () => {
    const o = out({
      people: [person()],
      visits: [
        visit('a', '2025-03-03T09:00+08:00', '2025-03-03T09:30:00.999+08:00', { caregiver: 'c1' }),
        visit('b', '2025-03-03T02:00:00Z', '2025-03-03T10:20:00', { caregiver: 'c2' }),
        visit('c', '2025-03-02T20:00:00-05:00', '2025-03-03T09:45:00.5+08:00', { caregiver: 'c3' }),
      ],
      params: PARAMS,
    });
    expect(o.visits.map((v) => `${v.id} ${v.billedMinutes}`)).toEqual(['a 30', 'b 20', 'c 45']);
  });
});

describe('instantOf', () => {
  it('property: the same number or null as parseInstant, for well-formed, damaged and arbitrary text', async () => {
    const fc = (await import('fast-check')).default;
    // Two digits up to `max` (one past the largest valid value, to reach the edges), sometimes any.
    const d2 = (max: number) => fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 99 }) }).map((n) => String(n).padStart(2, '0'));
    const d4 = fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1895, max: 2105 })).map((n) => String(n).padStart(4, '0'));
    const offset = fc.oneof(fc.constant(''), fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-', '−'), d2(24), fc.constantFrom(':', ':', ''), d2(60)).map((p) => p.join('')));
    const fraction = fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 10 }).map((k) => '.' + '1234567890'.slice(0, k)) });
    const seconds = fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 3, arbitrary: d2(60).map((x) => ':' + x) });
    const wellFormed = fc.tuple(d4, d2(13), d2(32), d2(24), d2(60), seconds, fraction, offset).map(([y, mo, d, h, mi, sec, f, o]) => `${y}-${mo}-${d}T${h}:${mi}${sec}${f}${o}`);
    const damaged = fc.tuple(wellFormed, fc.nat(26), fc.constantFrom('0', '-', ':', 'T', 't', 'Z', 'z', '+', '.', ' ', '１', ''), fc.boolean())
      .map(([s, i, c, insert]) => s.slice(0, i) + c + s.slice(insert ? i : i + 1));
    let valid = 0;
    fc.assert(
      fc.property(fc.oneof(wellFormed, damaged, fc.string()), (s) => {
        const t = instantOf(s);
        if (t !== null) valid++;
        expect(t, s).toBe(parseInstant(s));
      }),
      { numRuns: 20_000 },
    );
    expect(valid).toBeGreaterThan(2000);
    for (const s of ['0001-01-01T00:00:00Z', '0099-12-31T23:59:59+08:00', '1969-12-31T23:59:59-23:59', '2024-02-29T12:00:00', '2100-02-28T00:00:00+00:00', '9999-12-31T23:59:59-23:59']) expect(instantOf(s), s).toBe(parseInstant(s));
  });
});

describe('settle', () => {
  it('visits and people in any input order come out by id, each person’s sums those of their visits', () => {
    const people = ['p3', 'p1', 'p2'].map((id) => ({ id, careGrade: 4, gradeValidFrom: '2024-01-01', gradeValidTo: '2025-12-31', home: HOME }));
    const at = (d: number, h: number) => Date.parse(`2025-03-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00+08:00`);
    const visits = ['v9', 'v10', 'v1', 'v5', 'v2', 'v7'].map((id, i) => ({ id, person: people[i % 3]!.id, caregiver: `c${i % 2}`, kind: 'care', checkIn: at(3 + i, 9), checkOut: at(3 + i, 11), checkInAt: NEAR }));
    const P: SettleParams = { ...PARAMS, minGrade: 2 };
    const r = settle(people, visits, () => P);
    expect(r.visits.map((v) => v.id)).toEqual(['v1', 'v10', 'v2', 'v5', 'v7', 'v9']);
    expect(r.people.map((p) => p.id)).toEqual(['p1', 'p2', 'p3']);
    for (const p of r.people) {
      const mine = r.visits.filter((v) => visits.find((x) => x.id === v.id)!.person === p.id);
      expect(p.billedMinutes).toBe(mine.reduce((s, v) => s + v.billedMinutes, 0));
      expect(p.amountFen).toBe(mine.reduce((s, v) => s + v.amountFen, 0));
    }
    // The same through readSettleInput and paramsFor: the checked input carries the same numbers.
    const input = readSettleInput(JSON.parse(JSON.stringify({ people, visits: visits.map((v) => ({ ...v, checkIn: new Date(v.checkIn).toISOString(), checkOut: new Date(v.checkOut).toISOString() })), params: PARAMS })));
    expect(settle(input.people, input.visits, paramsFor(input, () => ({ minGrade: 2 })))).toEqual(r);
  });

  it('asks for the parameters of each date once', () => {
    const asked: string[] = [];
    const P: SettleParams = { ...PARAMS, minGrade: 2 };
    const visits = [3, 3, 4, 3, 4].map((d, i) => ({ id: `v${i}`, person: 'p1', caregiver: `c${i}`, kind: 'care', checkIn: Date.parse(`2025-03-0${d}T09:00:00+08:00`), checkOut: Date.parse(`2025-03-0${d}T09:30:00+08:00`), checkInAt: NEAR }));
    settle([person()], visits, (day) => {
      asked.push(day);
      return P;
    });
    expect(asked).toEqual(['2025-03-03', '2025-03-04']);
  });
});

describe('overlaps', () => {
  it('property: the one-pass sweep agrees with the pairwise definition', async () => {
    const fc = (await import('fast-check')).default;
    const { overlaps } = await import('./settle.ts');
    fc.assert(
      fc.property(
        fc.array(fc.record({ c: fc.integer({ min: 0, max: 2 }), s: fc.integer({ min: 0, max: 20 }), len: fc.integer({ min: 0, max: 6 }) }), { maxLength: 25 }),
        (raw) => {
          const visits = raw.map((r, i) => ({ id: `v${String(i).padStart(2, '0')}`, person: 'p', caregiver: `c${r.c}`, kind: 'care', checkIn: r.s, checkOut: r.s + r.len, checkInAt: { lat: 0, lon: 0 } }));
          const by = new Map<string, typeof visits>();
          for (const v of visits) by.set(v.caregiver, [...(by.get(v.caregiver) ?? []), v]);
          const fast = overlaps(by);
          for (const v of visits) {
            const brute = visits.some((w) => w.caregiver === v.caregiver && w.id !== v.id && w.checkIn < v.checkOut && v.checkIn < w.checkOut && (w.checkIn < v.checkIn || (w.checkIn === v.checkIn && w.id < v.id)));
            expect(fast.has(v.id), v.id).toBe(brute);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
