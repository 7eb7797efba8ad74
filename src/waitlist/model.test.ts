// The waiting list's pure rules: deadlines in working days (holidays and make-up workdays),
// what a decline costs, points, the estimated wait and its range, the published rule text as a
// function of the parameters, and the policy file's checks.
import { describe, expect, it } from 'vitest';
import { afterDecline, checkWaitlistParameters, estimateWait, isWorkingDay, offerDeadline, pointsOf, ruleText, rulesOn, type WaitlistParameter, type WaitlistRules } from './model.ts';
import { readWaitlistPolicy } from './policy.ts';
import type { LocalDate } from '../core/dates.ts';

const policy = readWaitlistPolicy();
const rules: WaitlistRules = policy.on('2026-11-29');

describe('offer deadlines', () => {
  it('runs to the end of the n-th working day after the offer, in Shanghai time', () => {
    // Friday 10:00 → Mon, Tue, Wed → the end of Wednesday 2 December.
    expect(offerDeadline(new Date('2026-11-27T02:00:00Z'), rules).toISOString()).toBe('2026-12-02T15:59:59.999Z');
    // Friday 23:30 in Shanghai is still Friday (15:30 UTC).
    expect(offerDeadline(new Date('2026-11-27T15:30:00Z'), rules).toISOString()).toBe('2026-12-02T15:59:59.999Z');
    // Saturday: the weekend does not count.
    expect(offerDeadline(new Date('2026-11-28T02:00:00Z'), rules).toISOString()).toBe('2026-12-02T15:59:59.999Z');
  });

  it('skips the holidays and counts the make-up workdays of the parameters', () => {
    const r = { ...rules, holidays: ['2026-12-01'], workdays: ['2026-11-29'] };
    expect(isWorkingDay('2026-11-29' as LocalDate, r)).toBe(true); // a Sunday made a workday
    expect(isWorkingDay('2026-12-01' as LocalDate, r)).toBe(false);
    // Friday → Sun (make-up), Mon, (Tue holiday), Wed → the end of Wednesday.
    expect(offerDeadline(new Date('2026-11-27T02:00:00Z'), r).toISOString()).toBe('2026-12-02T15:59:59.999Z');
    expect(offerDeadline(new Date('2026-11-27T02:00:00Z'), { ...r, workdays: [] }).toISOString()).toBe('2026-12-03T15:59:59.999Z');
  });
});

describe('declines', () => {
  it('keeps the place up to maxDeclines, then resets the time or ends the application', () => {
    expect(afterDecline(0, { maxDeclines: 2, declinePenalty: 'reset_time' })).toEqual({ declines: 1, losesPriority: false, removed: false });
    expect(afterDecline(1, { maxDeclines: 2, declinePenalty: 'reset_time' })).toEqual({ declines: 2, losesPriority: false, removed: false });
    expect(afterDecline(2, { maxDeclines: 2, declinePenalty: 'reset_time' })).toEqual({ declines: 3, losesPriority: true, removed: false });
    expect(afterDecline(0, { maxDeclines: 0, declinePenalty: 'remove' })).toEqual({ declines: 1, losesPriority: false, removed: true });
  });
});

describe('points', () => {
  it('adds the points of every matching rule', () => {
    const r = [{ fact: 'livingAlone' as const, points: 2, label: '独居' }, { fact: 'grade' as const, atLeast: 5, points: 1, label: '五级以上' }, { fact: 'age80' as const, points: 1, label: '80 岁以上' }];
    expect(pointsOf({ livingAlone: true, age: 79, grade: 5, dementia: false }, r)).toBe(3);
    expect(pointsOf({ livingAlone: false, age: 85, grade: 4, dementia: false }, r)).toBe(1);
    expect(pointsOf({ livingAlone: false, age: 70, grade: null, dementia: false }, [])).toBe(0);
  });
});

describe('estimated wait', () => {
  it('has no estimate from fewer than two places, and otherwise a range around position ÷ rate that widens with the position', () => {
    expect(estimateWait(3, 1, 12)).toBeNull();
    expect(estimateWait(0, 10, 12)).toBeNull();
    const near = estimateWait(2, 24, 12)!;
    expect(near.months).toBeCloseTo(1, 10);
    expect(near.low).toBeLessThan(near.months);
    expect(near.high).toBeGreaterThan(near.months);
    const far = estimateWait(20, 24, 12)!;
    expect(far.months).toBeCloseTo(10, 10);
    expect(far.high - far.low).toBeGreaterThan(near.high - near.low);
    // Fewer places observed: the same position is further away and less certain.
    const thin = estimateWait(20, 6, 12)!;
    expect(thin.months).toBeCloseTo(40, 10);
    expect(thin.high / thin.months).toBeGreaterThan(far.high / far.months);
  });
});

describe('the published rule', () => {
  const tiers = [{ tier: 1, label: '特困供养人员' }, { tier: 2, label: '低保' }, { tier: 2, label: '高龄独居' }];
  it('is generated from the parameters in force', () => {
    const t = ruleText(rules, tiers);
    expect(t.order[0]).toBe('1. 优先层级（层级数字越小越优先）');
    expect(t.order[1]).toContain('就近');
    expect(t.tiers).toEqual(['第 1 层级：特困供养人员', '第 2 层级：低保；高龄独居']);
    expect(t.offers.join('')).toContain(`${rules.offerDeadlineWorkingDays} 个工作日`);
    expect(t.offers.join('')).toContain(`放弃不超过 ${rules.maxDeclines} 次的，保留原排序`);
  });

  it('changes with them: another order, points, another deadline and penalty', () => {
    const t = ruleText({ ...rules, rule: { order: ['tier', 'points', 'appliedAt', 'id'] }, points: [{ fact: 'livingAlone', points: 1, label: '独居' }], offerDeadlineWorkingDays: 5, declinePenalty: 'remove', maxDeclines: 1 }, tiers);
    expect(t.order).toEqual(['1. 优先层级（层级数字越小越优先）', '2. 积分（积分高者优先）', '3. 申请时间（先申请者优先）', '4. 申请编号（以上全部相同时，按编号顺序，保证结果唯一）', '积分：独居 加 1 分']);
    expect(t.offers.join('')).toContain('5 个工作日');
    expect(t.offers.join('')).toContain('放弃超过 1 次后，本次轮候申请结束');
  });
});

describe('the policy file', () => {
  it('is valid, and the rules in force end with the id tie-break', () => {
    expect(checkWaitlistParameters(policy.parameters)).toEqual([]);
    expect(rules.rule.order.at(-1)).toBe('id');
    expect(rules.maxChoices).toBe(5);
  });

  it('reports a missing parameter, an unknown one, a bad value and a period that ends before it starts', () => {
    const params: WaitlistParameter[] = policy.parameters.filter((p) => p.name !== 'maxDeclines').map((p) => (p.name === 'maxChoices' ? { ...p, value: 0, to: '2020-01-01' } : p));
    params.push({ name: 'colour', label: '', unit: '', value: 1, from: '2022-01-01', to: null, source: 'x', confidence: 'low' });
    const problems = checkWaitlistParameters(params);
    expect(problems).toEqual(expect.arrayContaining(['缺少参数 maxDeclines', '未知参数 colour', '参数 maxChoices：取值 0 无效', '参数 maxChoices：截止日期无效']));
    expect(() => rulesOn(params, '2026-11-29')).toThrow(/maxChoices/);
  });
});
