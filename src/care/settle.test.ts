// LTCI settlement: the contract's worked example (with params, and with the policy's parameters
// in force), the rule order, overlaps, the ISO week in Shanghai time, grade validity on the local
// date, exact half-up rounding, and bad input.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { settleText, ltciOn } from '../cli/settle.ts';
import { createEngine, loadParameters, type Engine } from '../entitlements/index.ts';
import { roundHalfUp, isoWeekKey, greatCircleMeters } from './index.ts';

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
