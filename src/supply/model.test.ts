import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkFacility, checkUscc, directionName, functionCodes, isStale, ownShare, planningRatios, routeHint, summariseBeds, targetFor, usccCheckChar,
  type BedLike, type FacilityDraft, type LtciTerms, type PriceCategory, type PriceItem,
} from './model.ts';
import { readSupplyPolicy } from './policy.ts';

const policy = readSupplyPolicy();
const LTCI_CATS = new Set<PriceCategory>(['care', 'service']);

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts published codes (the standard’s example and a listed company’s) and normalises case and spaces', () => {
    expect(checkUscc('91350100M000100Y43')).toEqual({ ok: true, code: '91350100M000100Y43', regionCode: '350100' });
    expect(checkUscc(' 91110000802100433b ')).toMatchObject({ ok: true, code: '91110000802100433B' });
  });
  it('rejects a wrong check character, a wrong length and the letters the code never uses, each with its reason', () => {
    expect(checkUscc('91350100M000100Y44')).toMatchObject({ ok: false, reason: expect.stringContaining('校验位') });
    expect(checkUscc('91350100M000100Y4')).toMatchObject({ ok: false, reason: expect.stringContaining('18 位') });
    expect(checkUscc('91350100M0001O0Y43')).toMatchObject({ ok: false, reason: expect.stringContaining('第 14 位') });
  });
  it('every single-character change of a valid code is caught (property)', () => {
    const CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    fc.assert(fc.property(fc.array(fc.constantFrom(...CHARS), { minLength: 17, maxLength: 17 }), fc.integer({ min: 0, max: 17 }), fc.constantFrom(...CHARS), (body, pos, ch) => {
      const code = body.join('') + usccCheckChar(body.join(''));
      expect(checkUscc(code).ok).toBe(true);
      const changed = code.slice(0, pos) + ch + code.slice(pos + 1);
      if (changed !== code) expect(checkUscc(changed).ok).toBe(false);
    }));
  });
});

describe('beds and vacancy', () => {
  const bed = (kind: BedLike['kind'], status: BedLike['status'], basicGuarantee = false): BedLike => ({ kind, status, basicGuarantee });
  it('counts beds in service by kind; out-of-service beds are counted apart', () => {
    const v = summariseBeds([bed('nursing', 'vacant', true), bed('nursing', 'occupied', true), bed('general', 'reserved'), bed('cognitive', 'out_of_service'), bed('cognitive', 'vacant')]);
    expect(v).toEqual({
      total: 4, vacant: 2, occupied: 1, reserved: 1, outOfService: 1, basicVacant: 1, basicTotal: 2,
      byKind: { general: { total: 1, vacant: 0 }, nursing: { total: 2, vacant: 1 }, cognitive: { total: 1, vacant: 1 } },
    });
  });
  it('vacancy confirmed more than the parameter’s days ago, or never, is stale; exactly that many days is not', () => {
    const now = new Date('2026-11-29T12:00:00Z');
    expect(isStale(new Date('2026-11-22T12:00:00Z'), now, 7)).toBe(false);
    expect(isStale(new Date('2026-11-22T11:59:59Z'), now, 7)).toBe(false); // 7 whole days
    expect(isStale(new Date('2026-11-21T11:59:59Z'), now, 7)).toBe(true);
    expect(isStale(null, now, 7)).toBe(true);
  });
});

describe('the own share after long-term-care insurance', () => {
  const terms: LtciTerms = { eligible: true, reason: '', fundShareHome: 0.9, fundShareInstitution: 0.85, institutionDailyLimitFen: 3500, homeCareHoursPerWeek: 5, citations: [] };
  const menu: PriceItem[] = [
    { item: '双人间床位费', category: 'bed', unit: 'month', fen: 300_000 },
    { item: '单人间床位费', category: 'bed', unit: 'month', fen: 500_000 },
    { item: '伙食费', category: 'board', unit: 'month', fen: 100_000 },
    { item: '护理费（一至三级）', category: 'care', unit: 'month', fen: 80_000, grades: [1, 2, 3] },
    { item: '护理费（四至六级）', category: 'care', unit: 'month', fen: 200_000, grades: [4, 5, 6] },
  ];
  it('a residential month: the cheapest bed and board and the grade’s care fee; the fund pays 85 % of care', () => {
    const r = ownShare(menu, true, terms, 30, LTCI_CATS, 2);
    expect(r.lines.filter((l) => l.selected).map((l) => l.item)).toEqual(['双人间床位费', '伙食费', '护理费（一至三级）']);
    expect(r.monthly).toEqual({ priceFen: 480_000, insuranceFen: 68_000, ownFen: 412_000 });
  });
  it('the fund pays at most the daily limit × days (grade 5: 85 % of 2,000 yuan is over 35 × 30)', () => {
    const r = ownShare(menu, true, terms, 30, LTCI_CATS, 5);
    expect(r.monthly.insuranceFen).toBe(105_000);
    expect(r.monthly.ownFen).toBe(300_000 + 100_000 + 200_000 - 105_000);
    expect(r.notes.join('')).toContain('上限');
  });
  it('not insured for LTCI: everything is the person’s own, with the reason', () => {
    const r = ownShare(menu, true, { ...terms, eligible: false, reason: '未参加长期护理保险' }, 30, LTCI_CATS, 3);
    expect(r.monthly.insuranceFen).toBe(0);
    expect(r.notes[0]).toContain('未参加长期护理保险');
  });
  it('home care priced by the hour: the fund pays its home share of each hour; other items have no monthly figure', () => {
    const r = ownShare([{ item: '居家照护', category: 'service', unit: 'hour', fen: 6000 }, { item: '上门助浴', category: 'meal', unit: 'time', fen: 10_000 }], false, terms, 30, LTCI_CATS, 3);
    expect(r.lines[0]).toMatchObject({ insuranceFen: 5400, ownFen: 600, monthlyPriceFen: null });
    expect(r.lines[1]).toMatchObject({ insuranceFen: 0, ownFen: 10_000 });
    expect(r.monthly).toEqual({ priceFen: 0, insuranceFen: 0, ownFen: 0 });
  });
  it('care priced at nothing: the fund pays nothing (found by the property below: 0 ÷ 0)', () => {
    const r = ownShare([{ item: '护理费', category: 'care', unit: 'month', fen: 0 }], true, terms, 30, LTCI_CATS, 1);
    expect(r.monthly).toEqual({ priceFen: 0, insuranceFen: 0, ownFen: 0 });
  });
  it('the monthly parts always add up and the fund never pays more than the care fees (property)', () => {
    const item = fc.record({
      item: fc.string({ minLength: 1, maxLength: 4 }), category: fc.constantFrom<PriceCategory>('bed', 'board', 'care', 'service', 'other'),
      unit: fc.constantFrom<'month' | 'day'>('month', 'day'), fen: fc.integer({ min: 0, max: 1_000_000 }),
    });
    fc.assert(fc.property(fc.array(item, { maxLength: 8 }), fc.integer({ min: 1, max: 6 }), fc.double({ min: 0, max: 1, noNaN: true }), (prices, grade, share) => {
      const r = ownShare(prices, true, { ...terms, fundShareInstitution: share }, 30, LTCI_CATS, grade);
      expect(r.monthly.priceFen).toBe(r.monthly.insuranceFen + r.monthly.ownFen);
      const care = r.lines.filter((l) => l.selected && LTCI_CATS.has(l.category)).reduce((a, l) => a + (l.monthlyPriceFen ?? 0), 0);
      expect(r.monthly.insuranceFen).toBeLessThanOrEqual(Math.min(care, 3500 * 30));
      expect(r.monthly.insuranceFen).toBeGreaterThanOrEqual(0);
    }), { numRuns: 500 });
  });
});

describe('planning ratios against the plans’ targets', () => {
  const t = policy.targets;
  it('the most specific target wins: Pudong’s 3.1 % over the city’s 3 % for a district; a Pudong street has 2.5 %, a town 3.5 %', () => {
    expect(targetFor(t, 'beds_pct_registered_elders', 'district', '310115', '2026-11-29')?.value).toBe(3.1);
    expect(targetFor(t, 'beds_pct_registered_elders', 'district', '310101', '2026-11-29')?.value).toBe(3);
    expect(targetFor(t, 'beds_pct_registered_elders', 'street', '310115004', '2026-11-29')?.value).toBe(2.5);
    expect(targetFor(t, 'beds_pct_registered_elders', 'town', '310115101', '2026-11-29')?.value).toBe(3.5);
    expect(targetFor(t, 'beds_pct_registered_elders', 'street', '310101002', '2026-11-29')).toBeNull();
  });
  it('targets apply only in their years (Shangyu’s beds per 10,000 elders rise 100 → 110 → 120)', () => {
    expect(targetFor(t, 'beds_per_10k_elders', 'district', '330604', '2025-06-01')?.value).toBe(100);
    expect(targetFor(t, 'beds_per_10k_elders', 'district', '330604', '2026-06-01')?.value).toBe(110);
    expect(targetFor(t, 'beds_per_10k_elders', 'district', '330604', '2027-06-01')?.value).toBe(120);
  });
  it('the gap is what is missing in the numerator’s unit, rounded up to a whole bed; met targets have no gap', () => {
    const supply = { beds: 3000, basicBeds: 1490, nursingBeds: 1800, cognitiveBeds: 100, occupiedBeds: 2100, communityAreaM2: 40_000, mealCapacity: 0, population: { registered60: 100_000, registered65: 80_000, resident: 1_000_000, year: 2026, source: 't' } };
    const rows = planningRatios(policy.indicators, t, 'district', '310115', supply, '2026-11-29');
    const by = Object.fromEntries(rows.map((r) => [r.code, r]));
    expect(by.beds_pct_registered_elders).toMatchObject({ value: 3, met: false, gap: 100, gapUnit: '张' });
    expect(by.basic_beds_pct_registered_elders).toMatchObject({ value: 1.49, met: false, gap: 10 });
    expect(by.nursing_bed_share).toMatchObject({ value: 60, met: true, gap: 0 });
    expect(by.community_facility_m2_per_1000_resident).toMatchObject({ value: 40, met: false, gap: 10_000, gapUnit: '平方米' });
    expect(by.bed_utilisation_rate).toMatchObject({ value: 70, met: false, gap: 1 }); // "> 70 %": one more occupied bed
    expect(by.beds_pct_registered_elders!.target!.citation.article).toBe('三、（二）4');
  });
  it('without reference population the population ratios have no value, the bed shares still do', () => {
    const rows = planningRatios(policy.indicators, t, 'district', '310101', { beds: 10, basicBeds: 0, nursingBeds: 7, cognitiveBeds: 0, occupiedBeds: 5, communityAreaM2: 0, mealCapacity: 0, population: null }, '2026-11-29');
    const by = Object.fromEntries(rows.map((r) => [r.code, r]));
    expect(by.beds_pct_registered_elders).toMatchObject({ value: null, met: null, gap: null });
    expect(by.nursing_bed_share).toMatchObject({ value: 70, met: true });
  });
});

describe('facility checks, catalogue and route hint', () => {
  const draft: FacilityDraft = {
    name: '测试中心', typeCode: 'community_centre', ownership: 'public_private', basicGuarantee: false, regionCode: '310115004', address: '某路 1 号', lon: 121.5, lat: 31.2,
    floorAreaM2: 800, openingHours: '', description: '', functions: ['dine_in', 'day_care'], prices: [], photos: [], phone: '021-1', mealCapacity: 0, openedOn: null,
  };
  it('unknown type or function, duplicate price items, 保基本 on a non-residential type and coordinates outside the jurisdiction are named', () => {
    expect(checkFacility(draft, policy.catalogue, null)).toEqual([]);
    const bad = checkFacility({ ...draft, typeCode: 'x', functions: ['fly'], prices: [{ item: 'a', category: 'meal', unit: 'meal', fen: 1 }, { item: 'a', category: 'meal', unit: 'meal', fen: 2 }], lon: 100 }, policy.catalogue, { west: 120, south: 30, east: 123, north: 32 });
    expect(bad.map((p) => p.field).sort()).toEqual(['functions', 'lon', 'prices', 'typeCode']);
    expect(checkFacility({ ...draft, basicGuarantee: true }, policy.catalogue, null)[0]?.field).toBe('basicGuarantee');
  });
  it('a category code stands for its items', () => {
    expect(functionCodes(policy.catalogue, 'meals')).toEqual(['dine_in', 'meal_delivery']);
    expect(functionCodes(policy.catalogue, 'dine_in')).toEqual(['dine_in']);
    expect(functionCodes(policy.catalogue, 'nope')).toBeNull();
  });
  it('the route hint gives direction, metres with the detour factor and minutes at the walking speed', () => {
    expect(directionName(121.5, 31.2, 121.5, 31.21)).toBe('北');
    expect(directionName(121.5, 31.2, 121.51, 31.2)).toBe('东');
    const h = routeHint({ lon: 121.5, lat: 31.2, label: '陆家嘴街道' }, { lon: 121.5, lat: 31.209 }, 80, 1.3);
    expect(h.meters).toBe(1301);
    expect(h.minutes).toBe(16);
    expect(h.text).toContain('从陆家嘴街道向北方向');
  });
});
