// Care delivery's pure rules: plans against the entitlement, slots → dated orders in Shanghai
// time, the sync conflict rules, caregiver fitness, the home codes, and the dated parameters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDateOf, type LocalDate } from '../core/dates.ts';
import { checkDatedParameters, parameterOn, type DatedParameter } from '../core/params.ts';
import { checkHomeCode, codeValidUntil, homeCode, newHomeSecret, readTagPayload, tagPayload } from './homecode.ts';
import { checkPlan, decideOp, expandSlots, kindsAllowed, proposeSlots, spreadWeekdays, unfitReason, type LtciEntitlement, type SyncOp } from './model.ts';
import { readCarePolicy } from './policy.ts';

const RULES = readCarePolicy().on('2026-11-02');
const ENT: LtciEntitlement = { eligible: true, reason: null, grade: 4, gradeValidFrom: '2026-01-01', gradeValidTo: '2026-12-31', hoursPerWeek: 5, fundShareHome: 0.9 };

describe('plans', () => {
  it('spreads n visits over the week and proposes the entitlement as visits', () => {
    expect(spreadWeekdays(3)).toEqual([1, 3, 5]);
    expect(spreadWeekdays(5)).toEqual([1, 2, 3, 4, 5]);
    expect(spreadWeekdays(7)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(spreadWeekdays(0)).toEqual([]);
    fc.assert(fc.property(fc.integer({ min: 0, max: 7 }), (n) => {
      const d = spreadWeekdays(n);
      return d.length === n && new Set(d).size === n && d.every((x) => x >= 1 && x <= 7);
    }));
    const s = proposeSlots(5, RULES.visitMinutes, '09:30', 'care');
    expect(s).toHaveLength(5);
    expect(s.reduce((t, x) => t + x.minutes, 0)).toBe(300);
  });

  it('accepts a plan within the cap and refuses each kind of problem in Chinese', () => {
    const ok = checkPlan({ items: ['L01', 'L06'], slots: proposeSlots(5, 60, '09:00', 'care'), validFrom: '2026-11-02', validTo: '2027-06-30' }, ENT, RULES.ltciItems);
    expect(ok.problems).toEqual([]);
    expect(ok).toMatchObject({ weeklyMinutes: 300, capMinutes: 300, validTo: '2026-12-31' });
    const over = checkPlan({ items: ['L01'], slots: [...proposeSlots(5, 60, '09:00', 'care'), { weekday: 6, start: '09:00', minutes: 1, kind: 'care' }], validFrom: '2026-11-02', validTo: '2026-12-01' }, ENT, RULES.ltciItems);
    expect(over.problems).toEqual(['每周计划 301 分钟，超过长护险每周 300 分钟（5 小时，照护等级 4 级）']);
    const bad = checkPlan({ items: ['L01', 'Z99'], slots: [{ weekday: 1, start: '09:00', minutes: 60, kind: 'nursing' }, { weekday: 1, start: '09:30', minutes: 30, kind: 'care' }], validFrom: '2025-12-01', validTo: '2026-12-01' }, ENT, RULES.ltciItems);
    expect(bad.problems.join('\n')).toContain('服务项目不在长护险服务项目清单内：Z99');
    expect(bad.problems.join('\n')).toContain('未选择该类别的服务项目');
    expect(bad.problems.join('\n')).toContain('周一 的两次服务时间重叠（09:00、09:30）');
    expect(bad.problems.join('\n')).toContain('计划开始日期早于照护等级生效日期 2026-01-01');
    const refused = checkPlan({ items: ['L01'], slots: [{ weekday: 1, start: '09:00', minutes: 60, kind: 'care' }], validFrom: '2026-11-02', validTo: '2026-12-01' }, { ...ENT, eligible: false, reason: '照护等级低于二级', hoursPerWeek: null }, RULES.ltciItems);
    expect(refused.problems[0]).toBe('不符合长期护理保险居家照护待遇条件：照护等级低于二级');
  });

  it('expands slots into dated visits at Shanghai local times', () => {
    const d = expandSlots([{ weekday: 1, start: '09:00', minutes: 60, kind: 'care' }, { weekday: 7, start: '23:30', minutes: 30, kind: 'care' }], '2026-11-01' as LocalDate, '2026-11-09' as LocalDate);
    expect(d.map((x) => x.startsAt.toISOString())).toEqual(['2026-11-01T15:30:00.000Z', '2026-11-02T01:00:00.000Z', '2026-11-08T15:30:00.000Z', '2026-11-09T01:00:00.000Z']);
    fc.assert(fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 23 * 60 }), fc.integer({ min: 0, max: 3000 }), (weekday, minute, offset) => {
      const from = localDateOf(new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000));
      const out = expandSlots([{ weekday, start: `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`, minutes: 30, kind: 'care' }], from, localDateOf(new Date(Date.parse(`${from}T00:00:00Z`) + 13 * 86_400_000)));
      // Exactly two in any 14 days, a week apart, on that weekday in Shanghai.
      return out.length === 2 && out[1]!.startsAt.getTime() - out[0]!.startsAt.getTime() === 7 * 86_400_000
        && out.every((x) => ((new Date(x.startsAt.getTime() + 8 * 3_600_000).getUTCDay() + 6) % 7) + 1 === weekday);
    }));
  });
});

describe('caregivers', () => {
  it('serves nursing only with a nurse licence, and not with an expired health certificate or an open background check', () => {
    expect(kindsAllowed({ kind: 'nurse', qualifications: ['nurse_licence'] })).toEqual(['care', 'nursing']);
    expect(kindsAllowed({ kind: 'nurse', qualifications: [] })).toEqual(['care']);
    expect(kindsAllowed({ kind: 'caregiver', qualifications: ['nurse_licence'] })).toEqual(['care']);
    const fit = { status: 'active' as const, healthCertValidTo: '2026-11-02', backgroundCheck: 'passed' };
    expect(unfitReason(fit, '2026-11-02' as LocalDate)).toBeNull();
    expect(unfitReason(fit, '2026-11-03' as LocalDate)).toBe('健康证缺失或已过期');
    expect(unfitReason({ ...fit, backgroundCheck: 'pending' }, '2026-11-02' as LocalDate)).toBe('背景审查未通过或未完成');
    expect(unfitReason({ ...fit, status: 'left' }, '2026-11-02' as LocalDate)).toBe('护理员状态为“离职”');
  });
});

describe('sync conflict rules', () => {
  const now = Date.parse('2026-11-02T10:00:00Z');
  const items = new Set(['L01', 'L06']);
  const order = { id: 'o1', caregiverId: 'c1', status: 'assigned', visitId: null };
  const checkIn: SyncOp = { id: 'op1', kind: 'check_in', visitId: 'v1', orderId: 'o1', at: '2026-11-02T01:00:00Z', location: null, mockLocation: false, proof: null };
  const checkOut: SyncOp = { id: 'op2', kind: 'check_out', visitId: 'v1', at: '2026-11-02T02:00:00Z', location: null, mockLocation: false, items: ['L01'], note: null };
  const visit = { id: 'v1', orderId: 'o1', caregiverId: 'c1', status: 'in_progress' as const, checkIn: Date.parse('2026-11-02T01:00:00Z'), checkOut: null, items: [], note: null };
  const code = (o: ReturnType<typeof decideOp>) => (o.status === 'rejected' ? o.code : 'applied');

  it('applies a check-in of an assigned order and refuses every conflict', () => {
    expect(code(decideOp(checkIn, 'c1', null, order, now, 10, items))).toBe('applied');
    expect(code(decideOp(checkIn, 'c1', visit, order, now, 10, items))).toBe('already_checked_in');
    expect(code(decideOp(checkIn, 'c2', null, order, now, 10, items))).toBe('not_assigned');
    expect(code(decideOp(checkIn, 'c1', null, null, now, 10, items))).toBe('unknown_order');
    expect(code(decideOp(checkIn, 'c1', null, { ...order, visitId: 'v9' }, now, 10, items))).toBe('order_has_visit');
    expect(code(decideOp(checkIn, 'c1', null, { ...order, status: 'cancelled' }, now, 10, items))).toBe('order_closed');
    expect(code(decideOp({ ...checkIn, at: '2026-11-02T10:11:00Z' }, 'c1', null, order, now, 10, items))).toBe('future_time');
    expect(code(decideOp({ ...checkIn, at: '2026-11-02T10:10:00Z' }, 'c1', null, order, now, 10, items))).toBe('applied');
  });

  it('keeps a check-out that arrives before its check-in for a retry, and lets the first check-out win', () => {
    const early = decideOp(checkOut, 'c1', null, null, now, 10, items);
    expect(early).toMatchObject({ status: 'rejected', code: 'unknown_visit', retry: true });
    expect(code(decideOp(checkOut, 'c1', visit, order, now, 10, items))).toBe('applied');
    expect(code(decideOp(checkOut, 'c1', { ...visit, status: 'done' }, order, now, 10, items))).toBe('already_checked_out');
    expect(code(decideOp(checkOut, 'c1', { ...visit, status: 'cancelled' }, order, now, 10, items))).toBe('cancelled');
    expect(code(decideOp({ ...checkOut, at: '2026-11-02T00:59:00Z' }, 'c1', visit, order, now, 10, items))).toBe('before_check_in');
    expect(code(decideOp({ ...checkOut, items: ['L01', 'X01'] }, 'c1', visit, order, now, 10, items))).toBe('unknown_item');
    expect(code(decideOp(checkOut, 'c2', visit, order, now, 10, items))).toBe('not_assigned');
    // Only a missing check-in is worth retrying.
    for (const v of [visit, { ...visit, status: 'done' as const }, { ...visit, status: 'cancelled' as const }]) {
      const o = decideOp({ ...checkOut, at: '2026-11-02T00:00:00Z' }, 'c1', v, order, now, 10, items);
      expect(o.status === 'rejected' && o.retry).toBe(false);
    }
  });
});

describe('home codes', () => {
  const P = { homeTagPeriodDays: 30, elderCodeSeconds: 300 };
  it('accepts the code of the recorded time, one step either side, and nothing else', () => {
    const secret = newHomeSecret();
    const t = Date.parse('2026-11-02T01:00:00Z');
    const c = homeCode(secret, 'elder_phone', t, P);
    expect(c).toMatch(/^\d{6}$/);
    expect(checkHomeCode(secret, 'elder_phone', c, t + 299_000, P)).toBe(true);
    expect(checkHomeCode(secret, 'elder_phone', c, t + 900_000, P)).toBe(false);
    expect(checkHomeCode(newHomeSecret(), 'elder_phone', c, t, P)).toBe(false);
    expect(checkHomeCode(secret, 'elder_phone', 'abcdef', t, P)).toBe(false);
    const tag = homeCode(secret, 'tag', t, P);
    expect(checkHomeCode(secret, 'tag', tag, t + 20 * 86_400_000, P)).toBe(true);
    expect(checkHomeCode(secret, 'tag', tag, t + 70 * 86_400_000, P)).toBe(false);
    expect(codeValidUntil('elder_phone', t, P) % 300_000).toBe(0);
    expect(codeValidUntil('elder_phone', t, P)).toBeGreaterThan(t);
    const id = '01941f29-7c06-7650-b118-4c43492e3b0b';
    expect(readTagPayload(tagPayload(id, tag))).toEqual({ personId: id, code: tag });
    expect(readTagPayload('something else')).toBeNull();
  });
});

describe('dated parameters', () => {
  const row = (over: Partial<DatedParameter>): DatedParameter => ({ name: 'x', label: 'x', unit: 'n', value: 1, from: '2020-01-01', to: null, source: 's', confidence: 'low', ...over });
  it('finds the row in force and reports gaps, overlaps, unknown names and bad values', () => {
    const rows = [row({ to: '2022-12-31' }), row({ from: '2023-01-01', value: 2 })];
    expect(parameterOn(rows, 'x', '2022-12-31')).toBe(1);
    expect(parameterOn(rows, 'x', '2023-01-01')).toBe(2);
    expect(() => parameterOn(rows, 'x', '2019-12-31')).toThrow(/没有生效的取值/);
    expect(checkDatedParameters(rows, { x: (v) => typeof v === 'number' })).toEqual([]);
    const problems = checkDatedParameters([row({}), row({ from: '2021-01-01', value: 'a' }), row({ name: 'y', source: '' })], { x: (v) => typeof v === 'number', z: () => true });
    expect(problems).toEqual(expect.arrayContaining(['参数 x：取值 "a" 无效', '参数 x：2020-01-01 起与 2021-01-01 起的两行时间重叠', '参数 y：缺少名称说明、单位或来源', '未知参数 y', '缺少参数 z']));
  });
});
