// Community meals' pure rules (issue 8 §7): the policy file and its checks, the parameters on the
// day before and the day a period starts, the subsidy as situations (who gets what, dine-in and
// delivered, the per-day limit, the minimum spend on both sides, the cap at the price), invariants
// of the figures (fast-check), the cut-off on both sides, capacity, the order's moves, masking.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readMealsPolicy } from './meals-service.ts';
import {
  cancelMove, capacityCheck, checkMealParameters, cutoffAt, maskAddress, mealRulesOn, mealsLeft, orderWindow, priceOrder, serveMove, subsidyRuleFor,
  type MealParameter, type MealRules,
} from './meals.ts';
import type { LocalDate } from '../core/dates.ts';

const policy = readMealsPolicy();
const R = policy.on('2026-12-01');
const d = (s: string) => s as LocalDate;
const dine = (r: MealRules, e: { age: number; careGrade?: number | null; economicStatus?: string }, mealFen = 1500, subsidisedToday = 0) =>
  priceOrder(r, { careGrade: null, economicStatus: 'none', ...e }, { meal: 'lunch', mode: 'dine_in', mealFen, deliveryFeeFen: 300 }, subsidisedToday);
const deliver = (r: MealRules, e: { age: number; careGrade?: number | null; economicStatus?: string }, mealFen = 1500, fee = 300, subsidisedToday = 0) =>
  priceOrder(r, { careGrade: null, economicStatus: 'none', ...e }, { meal: 'lunch', mode: 'delivery', mealFen, deliveryFeeFen: fee }, subsidisedToday);

describe('policy/care/meals.json', () => {
  it('passes its own check and gives the district example amounts with their sources', () => {
    expect(checkMealParameters(policy.parameters)).toEqual([]);
    expect(R.dineInSubsidy.map((x) => [x.group, x.fen])).toEqual([['low_income_60', 600], ['age_80', 300], ['age_60', 200]]);
    expect(R.deliverySubsidy.map((x) => [x.group, x.fen, x.minGrade])).toEqual([['grade2_60', 400, 2]]);
    expect(R.minSpendFen).toBe(1500);
    expect(R.subsidisedMealsPerDay).toBe(1);
    expect(R.sources.dineInSubsidy?.source).toContain('entitlements.md');
    expect(Object.values(R.sources).every((s) => s.confidence === 'low' || s.confidence === 'medium')).toBe(true);
  });

  it('has no value the day before its first period and one on the day it starts (a gap is an error, never a 0)', () => {
    expect(() => policy.on('2022-12-31')).toThrow(/无有效的参数/);
    expect(policy.on('2023-01-01').minSpendFen).toBe(1500);
  });

  it('takes the period in force: the last day of the old value and the first day of the new', () => {
    const base = policy.parameters.filter((p) => p.name !== 'minSpendFen');
    const two: MealParameter[] = [
      ...base,
      { name: 'minSpendFen', label: 'x', unit: 'fen', value: 1500, from: '2023-01-01', to: '2025-12-31', source: 's', confidence: 'low' },
      { name: 'minSpendFen', label: 'x', unit: 'fen', value: 1200, from: '2026-01-01', to: null, source: 's', confidence: 'low' },
    ];
    expect(checkMealParameters(two)).toEqual([]);
    expect(mealRulesOn(two, '2025-12-31').minSpendFen).toBe(1500);
    expect(mealRulesOn(two, '2026-01-01').minSpendFen).toBe(1200);
    expect(mealRulesOn(two, '2026-01-01').sources.minSpendFen?.from).toBe('2026-01-01');
  });

  it('names each problem: overlap, unknown name, bad value, missing source, a missing parameter', () => {
    const base = policy.parameters.filter((p) => p.name !== 'maxDaysAhead' && p.name !== 'orderCutoff');
    const problems = checkMealParameters([
      ...base,
      { name: 'minSpendFen', label: 'x', unit: 'fen', value: 1000, from: '2024-01-01', to: null, source: 's', confidence: 'low' },
      { name: 'mealTax', label: 'x', unit: 'fen', value: 1, from: '2024-01-01', to: null, source: 's', confidence: 'low' },
      { name: 'orderCutoff', label: 'x', unit: 'time', value: { lunch: { daysBefore: 0, time: '25:00' } }, from: '2024-01-01', to: null, source: 's', confidence: 'low' },
      { name: 'maxDaysAhead', label: 'x', unit: 'days', value: 7, from: '2024-01-01', to: null, source: '', confidence: 'low' },
    ]);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringContaining('minSpendFen：2023-01-01 起与 2024-01-01 起的两行时间重叠'),
      '未知参数 mealTax',
      expect.stringContaining('参数 orderCutoff：取值'),
      '参数 maxDaysAhead：缺少名称说明、单位或来源',
    ]));
    expect(checkMealParameters(policy.parameters.filter((p) => p.name !== 'deliverySubsidy'))).toEqual(['缺少参数 deliverySubsidy']);
  });
});

describe('the subsidy, as situations (district example amounts)', () => {
  it('a 78-year-old on 低保 eating in gets 6 yuan off a 15-yuan lunch and pays 9', () => {
    const p = dine(R, { age: 78, economicStatus: 'dibao' });
    expect([p.priceFen, p.subsidyFen, p.paysFen, p.group]).toEqual([1500, 600, 900, 'low_income_60']);
    expect(p.figures.map((f) => f.figure)).toEqual(['price', 'subsidy', 'pays']);
    expect(p.figures[1]!.text).toContain('符合“60 岁及以上经济困难老人（低保、低收入、特困）”');
    expect(p.figures[1]!.parameters.map((x) => x.name)).toEqual(['dineInSubsidy', 'lowIncomeStatuses', 'minSpendFen', 'subsidisedMealsPerDay']);
    expect(p.figures[2]!.text).toBe('15.00 元 − 补贴 6.00 元 = 9.00 元');
  });

  it('特困 and 低收入 count as low income; 80 and over get 3 yuan, 60 to 79 get 2, at 59 nothing', () => {
    expect(dine(R, { age: 70, economicStatus: 'tekun' }).subsidyFen).toBe(600);
    expect(dine(R, { age: 60, economicStatus: 'low_income' }).subsidyFen).toBe(600);
    expect(dine(R, { age: 80 }).subsidyFen).toBe(300);
    expect(dine(R, { age: 79 }).subsidyFen).toBe(200);
    expect(dine(R, { age: 60 }).subsidyFen).toBe(200);
    const young = dine(R, { age: 59, economicStatus: 'dibao' });
    expect([young.subsidyFen, young.paysFen, young.group]).toEqual([0, 1500, null]);
    expect(young.figures[1]!.text).toContain('59 岁、低保、无照护等级，不在堂食补贴范围内');
  });

  it('a delivered meal: 4 yuan for 60+ with care grade 2 or more, nothing at grade 1 (even on 低保); the fee is part of the price', () => {
    const g2 = deliver(R, { age: 70, careGrade: 2 });
    expect([g2.mealFen, g2.deliveryFeeFen, g2.priceFen, g2.subsidyFen, g2.paysFen]).toEqual([1500, 300, 1800, 400, 1400]);
    expect(g2.figures[0]!.text).toBe('午餐 15.00 元 + 送餐费 3.00 元 = 18.00 元');
    expect(deliver(R, { age: 70, careGrade: 1, economicStatus: 'dibao' }).subsidyFen).toBe(0);
    expect(deliver(R, { age: 59, careGrade: 5 }).subsidyFen).toBe(0);
    // Dine-in ignores the delivery fee.
    expect(dine(R, { age: 70 }).priceFen).toBe(1500);
  });

  it('the minimum spend, on both sides, counts the delivery fee', () => {
    expect(dine(R, { age: 82 }, 1499).subsidyFen).toBe(0);
    expect(dine(R, { age: 82 }, 1499).figures[1]!.text).toContain('低于享受补贴的最低餐费 15.00 元');
    expect(dine(R, { age: 82 }, 1500).subsidyFen).toBe(300);
    expect(deliver(R, { age: 82, careGrade: 3 }, 1200, 300).subsidyFen).toBe(400);
    expect(deliver(R, { age: 82, careGrade: 3 }, 1200, 299).subsidyFen).toBe(0);
  });

  it('one subsidised meal a day: the second meal of the day is not subsidised, and says why', () => {
    const second = dine(R, { age: 90 }, 1500, 1);
    expect([second.subsidyFen, second.paysFen]).toEqual([0, 1500]);
    expect(second.figures[1]!.text).toContain('每人每天限 1 餐');
  });

  it('never more than the price', () => {
    const r = { ...R, minSpendFen: 0 };
    const p = dine(r, { age: 70, economicStatus: 'dibao' }, 450);
    expect([p.subsidyFen, p.paysFen]).toEqual([450, 0]);
    expect(p.figures[1]!.text).toContain('以餐费 4.50 元为限');
  });

  it('the first row of the table a person meets wins (order matters)', () => {
    expect(subsidyRuleFor(R.dineInSubsidy, R, { age: 85, careGrade: null, economicStatus: 'dibao' })?.group).toBe('low_income_60');
    expect(subsidyRuleFor([...R.dineInSubsidy].reverse(), R, { age: 85, careGrade: null, economicStatus: 'dibao' })?.group).toBe('age_60');
  });

  it('invariants: price = meal (+ fee when delivered); 0 ≤ subsidy ≤ price; pays = price − subsidy; the subsidy is 0, a table amount or the price; the figures repeat the amounts', () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 110 }), fc.option(fc.integer({ min: 0, max: 6 })), fc.constantFrom('none', 'dibao', 'low_income', 'tekun'), fc.constantFrom('dine_in' as const, 'delivery' as const),
      fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 3 }),
      (age, careGrade, economicStatus, mode, mealFen, fee, today) => {
        const p = priceOrder(R, { age, careGrade, economicStatus }, { meal: 'dinner', mode, mealFen, deliveryFeeFen: fee }, today);
        expect(p.priceFen).toBe(mealFen + (mode === 'delivery' ? fee : 0));
        expect(p.subsidyFen).toBeGreaterThanOrEqual(0);
        expect(p.subsidyFen).toBeLessThanOrEqual(p.priceFen);
        expect(p.paysFen).toBe(p.priceFen - p.subsidyFen);
        const amounts = [0, p.priceFen, ...R.dineInSubsidy.map((x) => x.fen), ...R.deliverySubsidy.map((x) => x.fen)];
        expect(amounts).toContain(p.subsidyFen);
        if (today >= R.subsidisedMealsPerDay || p.priceFen < R.minSpendFen || age < 60) expect(p.subsidyFen).toBe(0);
        expect(p.figures.map((f) => f.fen)).toEqual([p.priceFen, p.subsidyFen, p.paysFen]);
        expect(p.group === null).toBe(p.subsidyFen === 0);
      },
    ));
  });
});

describe('the cut-off and the order window', () => {
  it('lunch closes at 9:00 on its day (Shanghai time), breakfast at 18:00 the day before: open a second before, closed at the minute', () => {
    expect(cutoffAt(R, d('2026-12-03'), 'lunch').toISOString()).toBe('2026-12-03T01:00:00.000Z');
    expect(cutoffAt(R, d('2026-12-03'), 'dinner').toISOString()).toBe('2026-12-03T06:00:00.000Z');
    expect(cutoffAt(R, d('2026-12-03'), 'breakfast').toISOString()).toBe('2026-12-02T10:00:00.000Z');
    const today = d('2026-12-03');
    expect(orderWindow(R, today, new Date('2026-12-03T00:59:59Z'), today, 'lunch').ok).toBe(true);
    const closed = orderWindow(R, today, new Date('2026-12-03T01:00:00Z'), today, 'lunch');
    expect(closed).toMatchObject({ ok: false, code: 'closed' });
    expect(!closed.ok && closed.message).toContain('用餐当天 09:00');
    expect(orderWindow(R, today, new Date('2026-12-03T01:00:00Z'), today, 'dinner').ok).toBe(true);
  });

  it('not a past day, and at most maxDaysAhead days ahead (the day itself allowed, the next not)', () => {
    const today = d('2026-12-03');
    const now = new Date('2026-12-02T20:00:00Z');
    expect(orderWindow(R, today, now, d('2026-12-02'), 'dinner')).toMatchObject({ ok: false, code: 'past' });
    expect(orderWindow(R, today, now, d('2026-12-10'), 'lunch').ok).toBe(true);
    expect(orderWindow(R, today, now, d('2026-12-11'), 'lunch')).toMatchObject({ ok: false, code: 'too_far', message: '最多可以提前 7 天订餐' });
  });
});

describe('capacity', () => {
  it('a point without a registered capacity takes no order; the last meal is taken, then full', () => {
    expect(capacityCheck(0, 0)).toMatchObject({ ok: false, code: 'no_capacity' });
    expect(capacityCheck(3, 2)).toEqual({ ok: true, left: 0 });
    expect(capacityCheck(3, 3)).toMatchObject({ ok: false, code: 'full', message: expect.stringContaining('3 份餐已订满') });
    expect(mealsLeft(3, 5)).toBe(0);
  });

  it('taking orders one at a time never goes past the capacity, and fills it exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 80 }), (capacity, attempts) => {
      let taken = 0;
      for (let i = 0; i < attempts; i++) if (capacityCheck(capacity, taken).ok) taken++;
      expect(taken).toBe(Math.min(capacity, attempts));
    }));
  });
});

describe('the order’s moves', () => {
  const today = d('2026-12-03');
  it('serve: dine-in becomes 已就餐, delivery 已送达; not before the day, not twice, not a cancelled one', () => {
    expect(serveMove('ordered', 'dine_in', today, today)).toEqual({ ok: true, to: 'served' });
    expect(serveMove('ordered', 'delivery', d('2026-12-02'), today)).toEqual({ ok: true, to: 'delivered' });
    expect(serveMove('ordered', 'dine_in', d('2026-12-04'), today)).toMatchObject({ ok: false });
    expect(serveMove('served', 'dine_in', today, today)).toMatchObject({ ok: false, message: expect.stringContaining('已就餐') });
    expect(serveMove('cancelled', 'dine_in', today, today)).toMatchObject({ ok: false });
  });

  it('cancel: an open order before the cut-off; after it, or once served or cancelled, no', () => {
    const before = orderWindow(R, today, new Date('2026-12-03T00:30:00Z'), today, 'lunch');
    const after = orderWindow(R, today, new Date('2026-12-03T01:30:00Z'), today, 'lunch');
    expect(cancelMove('ordered', before)).toEqual({ ok: true, to: 'cancelled' });
    expect(cancelMove('ordered', after)).toMatchObject({ ok: false, message: expect.stringContaining('截止时间') });
    expect(cancelMove('served', before)).toMatchObject({ ok: false });
    expect(cancelMove('cancelled', before)).toMatchObject({ ok: false, message: expect.stringContaining('已取消') });
  });
});

describe('masking a delivery address', () => {
  it('keeps the place and road before the first digit, hides lane, building and room, keeps the length', () => {
    expect(maskAddress('浦东新区东方路100弄5号302室')).toBe('浦东新区东方路**********');
    expect([...maskAddress('浦东新区东方路100弄5号302室')].length).toBe([...'浦东新区东方路100弄5号302室'].length);
    expect(maskAddress('某小区3号楼302')).toBe('某小区******');
    expect(maskAddress('曹路镇南桥路２９８号')).toBe('曹路镇南桥路****');
    expect(maskAddress('幸福小区')).toBe('幸福**');
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 40 }), (s) => {
      const m = maskAddress(s);
      expect([...m].length).toBe([...s.trim()].length);
    }));
  });
});
