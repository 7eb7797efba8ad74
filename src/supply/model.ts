// The supply registry's pure rules (issue 6): the 统一社会信用代码 check, the catalogue, facility
// and price checks, vacancy summaries, staleness, the own share after long-term-care insurance,
// the route hint, and the planning ratios against their cited targets. No I/O: the catalogue,
// parameters and dates come in as arguments.
import { mulRate, yuanDecimal, type Fen } from '../core/money.ts';
import { haversineMeters } from '../core/geo.ts';
import { isWithin, scopePrefix } from '../core/regions.ts';

// ---------------------------------------------------------------------------------------------
// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character set (no I, O, Z, S, V); the
// last is a check character: weights 3^(i) mod 31, check = (31 − Σ mod 31) mod 31.
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_LENGTH = 18;
const USCC_WEIGHT_BASE = 3;
/** Weight of position i: 3^i mod 31 (1, 3, 9, 27, 19, 26, …). */
const USCC_WEIGHTS: readonly number[] = Array.from({ length: USCC_LENGTH - 1 }).reduce<number[]>((w, _, i) => [...w, i === 0 ? 1 : (w[i - 1]! * USCC_WEIGHT_BASE) % USCC_CHARS.length], []);
const USCC_REGION = { start: 2, end: 8 } as const;

export type UsccCheck = { ok: true; code: string; regionCode: string } | { ok: false; reason: string };

/** Check a 统一社会信用代码; lower case and surrounding spaces are accepted and normalised. */
export function checkUscc(input: string): UsccCheck {
  const code = input.trim().toUpperCase();
  if (code.length !== USCC_LENGTH) return { ok: false, reason: `统一社会信用代码应为 ${USCC_LENGTH} 位（现为 ${code.length} 位）` };
  let sum = 0;
  for (let i = 0; i < USCC_LENGTH - 1; i++) {
    const v = USCC_CHARS.indexOf(code[i]!);
    if (v < 0) return { ok: false, reason: `第 ${i + 1} 位“${code[i]}”不是统一社会信用代码允许的字符（不使用 I、O、Z、S、V）` };
    sum += v * USCC_WEIGHTS[i]!;
  }
  const modulus = USCC_CHARS.length;
  const expected = USCC_CHARS[(modulus - (sum % modulus)) % modulus]!;
  if (code[USCC_LENGTH - 1] !== expected) return { ok: false, reason: '统一社会信用代码校验位不符，请核对是否抄错' };
  return { ok: true, code, regionCode: code.slice(USCC_REGION.start, USCC_REGION.end) };
}

/** The check character for the first 17 characters (tests and demo data). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < USCC_LENGTH - 1; i++) sum += USCC_CHARS.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  const modulus = USCC_CHARS.length;
  return USCC_CHARS[(modulus - (sum % modulus)) % modulus]!;
}

// ---------------------------------------------------------------------------------------------
// The catalogue (policy/supply/catalogue.json).

export interface FacilityType { code: string; name: string; group: string; residential: boolean; source?: string; note?: string }
export interface FunctionItem { code: string; name: string; category: string }
export interface Category { code: string; name: string; quote: string }
export interface Catalogue {
  version: string;
  facilityTypes: FacilityType[];
  groups: { code: string; name: string }[];
  categories: Category[];
  functions: FunctionItem[];
  bedKinds: { code: BedKind; name: string }[];
  bedStatuses: { code: BedStatus; name: string }[];
  priceCategories: { code: PriceCategory; name: string; ltci: boolean }[];
}

export const BED_KINDS = ['general', 'nursing', 'cognitive'] as const;
export type BedKind = (typeof BED_KINDS)[number];
export const BED_STATUSES = ['vacant', 'occupied', 'reserved', 'out_of_service'] as const;
export type BedStatus = (typeof BED_STATUSES)[number];
export const PRICE_CATEGORIES = ['bed', 'board', 'care', 'service', 'meal', 'other'] as const;
export type PriceCategory = (typeof PRICE_CATEGORIES)[number];
export const PRICE_UNITS = ['month', 'day', 'hour', 'meal', 'time'] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];
export const PRICE_UNIT_NAMES: Record<PriceUnit, string> = { month: '月', day: '天', hour: '小时', meal: '餐', time: '次' };
export const OWNERSHIPS = ['public', 'public_private', 'inclusive', 'market'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];
export const OWNERSHIP_NAMES: Record<Ownership, string> = { public: '公办', public_private: '公建民营', inclusive: '普惠型', market: '市场化' };
export const FACILITY_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'closed'] as const;
export type FacilityStatus = (typeof FACILITY_STATUSES)[number];
export const STATUS_NAMES: Record<FacilityStatus, string> = { draft: '草稿', submitted: '待审核', approved: '已备案', rejected: '已退回', closed: '已停业' };
export const PROVIDER_KINDS = ['enterprise', 'social_org', 'public_institution', 'other'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export const PROVIDER_KIND_NAMES: Record<ProviderKind, string> = { enterprise: '企业', social_org: '社会组织（民办非企业单位）', public_institution: '事业单位', other: '其他' };

/** Check the catalogue file's consistency (codes unique, every function in a known category). */
export function checkCatalogue(c: Catalogue): string[] {
  const problems: string[] = [];
  const dup = (what: string, codes: string[]) => {
    const seen = new Set<string>();
    for (const x of codes) {
      if (seen.has(x)) problems.push(`${what}: duplicate code ${x}`);
      seen.add(x);
    }
  };
  dup('facilityTypes', c.facilityTypes.map((t) => t.code));
  dup('functions', c.functions.map((f) => f.code));
  dup('categories', c.categories.map((f) => f.code));
  const cats = new Set(c.categories.map((x) => x.code));
  const groups = new Set(c.groups.map((x) => x.code));
  for (const f of c.functions) if (!cats.has(f.category)) problems.push(`function ${f.code}: unknown category ${f.category}`);
  for (const t of c.facilityTypes) if (!groups.has(t.group)) problems.push(`facility type ${t.code}: unknown group ${t.group}`);
  for (const k of BED_KINDS) if (!c.bedKinds.some((b) => b.code === k)) problems.push(`bedKinds: ${k} missing`);
  for (const k of PRICE_CATEGORIES) if (!c.priceCategories.some((b) => b.code === k)) problems.push(`priceCategories: ${k} missing`);
  return problems;
}

/** The function codes a filter stands for: an item itself, or every item of a category. */
export function functionCodes(c: Catalogue, code: string): string[] | null {
  if (c.functions.some((f) => f.code === code)) return [code];
  if (c.categories.some((x) => x.code === code)) return c.functions.filter((f) => f.category === code).map((f) => f.code);
  return null;
}

// ---------------------------------------------------------------------------------------------
// Facilities.

export interface PriceItem { item: string; category: PriceCategory; unit: PriceUnit; fen: number; /** Care grades the item applies to (a care fee per grade); absent = every grade. */ grades?: number[] }
export interface FacilityDraft {
  name: string;
  typeCode: string;
  ownership: Ownership;
  basicGuarantee: boolean;
  regionCode: string;
  address: string;
  lon: number;
  lat: number;
  floorAreaM2: number;
  openingHours: string;
  description: string;
  functions: string[];
  prices: PriceItem[];
  photos: { url: string; alt: string }[];
  phone: string;
  mealCapacity: number;
  openedOn: string | null;
}

/** A box the jurisdiction's facilities must lie in (degrees). */
export interface Bounds { west: number; south: number; east: number; north: number }

/** Semantic checks the schema cannot do; each problem names its field in Chinese. */
export function checkFacility(d: FacilityDraft, c: Catalogue, bounds: Bounds | null): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const type = c.facilityTypes.find((t) => t.code === d.typeCode);
  if (!type) out.push({ field: 'typeCode', message: `未知的设施类型：${d.typeCode}` });
  const known = new Set(c.functions.map((f) => f.code));
  const unknown = d.functions.filter((f) => !known.has(f));
  if (unknown.length) out.push({ field: 'functions', message: `未知的服务功能：${unknown.join('、')}` });
  if (new Set(d.functions).size !== d.functions.length) out.push({ field: 'functions', message: '服务功能有重复' });
  if (bounds && (d.lon < bounds.west || d.lon > bounds.east || d.lat < bounds.south || d.lat > bounds.north)) {
    out.push({ field: 'lon', message: '坐标不在本辖区范围内，请核对经纬度' });
  }
  const items = new Set<string>();
  for (const p of d.prices) {
    if (items.has(p.item)) out.push({ field: 'prices', message: `收费项目“${p.item}”重复` });
    items.add(p.item);
  }
  if (d.basicGuarantee && type && !type.residential) out.push({ field: 'basicGuarantee', message: '只有住养类设施可以标为保基本' });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Beds and vacancy.

export interface BedLike { kind: BedKind; basicGuarantee: boolean; status: BedStatus }
export interface Vacancy {
  total: number;
  vacant: number;
  occupied: number;
  reserved: number;
  outOfService: number;
  basicVacant: number;
  basicTotal: number;
  byKind: Record<BedKind, { total: number; vacant: number }>;
}

/** Counts of a facility's beds: totals are beds in service (out-of-service beds are counted apart). */
export function summariseBeds(beds: Iterable<BedLike>): Vacancy {
  const v: Vacancy = {
    total: 0, vacant: 0, occupied: 0, reserved: 0, outOfService: 0, basicVacant: 0, basicTotal: 0,
    byKind: { general: { total: 0, vacant: 0 }, nursing: { total: 0, vacant: 0 }, cognitive: { total: 0, vacant: 0 } },
  };
  for (const b of beds) {
    if (b.status === 'out_of_service') {
      v.outOfService++;
      continue;
    }
    v.total++;
    v.byKind[b.kind].total++;
    if (b.basicGuarantee) v.basicTotal++;
    if (b.status === 'vacant') {
      v.vacant++;
      v.byKind[b.kind].vacant++;
      if (b.basicGuarantee) v.basicVacant++;
    } else if (b.status === 'occupied') v.occupied++;
    else v.reserved++;
  }
  return v;
}

const MS_PER_DAY = 86_400_000;

/** Whole days since the vacancy was last confirmed, or null when never. */
export function daysSince(confirmedAt: Date | null, now: Date): number | null {
  if (!confirmedAt) return null;
  return Math.max(0, Math.floor((now.getTime() - confirmedAt.getTime()) / MS_PER_DAY));
}

/** Vacancy not confirmed within the parameter's days (or never) is shown as possibly out of date. */
export function isStale(confirmedAt: Date | null, now: Date, staleAfterDays: number): boolean {
  const d = daysSince(confirmedAt, now);
  return d === null || d > staleAfterDays;
}

// ---------------------------------------------------------------------------------------------
// The own share after long-term-care insurance (长护险), per month, for a chosen care grade.

/** What the insurance pays for a grade, from the entitlement parameters (an entitlements port). */
export interface LtciTerms {
  eligible: boolean;
  reason: string;
  fundShareHome: number | null;
  fundShareInstitution: number | null;
  institutionDailyLimitFen: number | null;
  homeCareHoursPerWeek: number;
  citations: { document: string; article: string }[];
}

export interface OwnShareLine { item: string; unit: PriceUnit; category: PriceCategory; selected: boolean; priceFen: number; insuranceFen: number; ownFen: number; monthlyPriceFen: number | null; monthlyInsuranceFen: number | null; monthlyOwnFen: number | null }
export interface OwnShare { lines: OwnShareLine[]; monthly: { priceFen: number; insuranceFen: number; ownFen: number }; notes: string[] }

const PERCENT = 100;
const WEEKS_PER_YEAR = 52;
const MONTHS_PER_YEAR = 12;

/**
 * The person's own share of a facility's prices for a month. The price list is a menu: the month
 * is estimated with one item of each category priced per month or day — the cheapest, and for
 * care fees the one for the person's grade (an item's `grades`) — marked `selected`. In a
 * residential facility the fund pays its institutional share of the selected care fees (护理费),
 * at most the daily limit × days; bed, board and other fees are the person's own. Elsewhere the
 * fund pays its home-care share of care and service priced by the hour, for at most the grade's
 * weekly hours. Every item also shows what the fund would pay if it were the one chosen.
 * Amounts round half up to the fen (mulRate).
 */
export function ownShare(prices: readonly PriceItem[], residential: boolean, t: LtciTerms, daysPerMonth: number, ltciCategories: ReadonlySet<PriceCategory>, grade: number): OwnShare {
  const notes: string[] = [];
  const monthlyOf = (p: PriceItem): number | null => (p.unit === 'month' ? p.fen : p.unit === 'day' ? p.fen * daysPerMonth : null);
  // One item per category: the cheapest per month among those that apply to the grade.
  const chosen = new Map<PriceCategory, PriceItem>();
  for (const p of prices) {
    const m = monthlyOf(p);
    if (m === null || (p.grades && !p.grades.includes(grade))) continue;
    const c = chosen.get(p.category);
    if (!c || m < monthlyOf(c)!) chosen.set(p.category, p);
  }
  const selected = new Set(chosen.values());
  const covered = (p: PriceItem) => t.eligible && ltciCategories.has(p.category);
  const instShare = t.fundShareInstitution ?? 0;
  const cap = t.institutionDailyLimitFen === null ? Infinity : t.institutionDailyLimitFen * daysPerMonth;
  const instPay = (monthly: number) => Math.min(mulRate(monthly as Fen, instShare, 'half-up'), cap);
  // Residential: the fund's payment on the selected care items, spread in proportion to their price.
  const careMonthly = residential ? [...selected].filter(covered).reduce((a, p) => a + monthlyOf(p)!, 0) : 0;
  const instPaid = careMonthly > 0 ? instPay(careMonthly) : 0;
  let instLeft = instPaid;
  const monthlyHours = (t.homeCareHoursPerWeek * WEEKS_PER_YEAR) / MONTHS_PER_YEAR;
  const lines: OwnShareLine[] = prices.map((p) => {
    const m = monthlyOf(p);
    const isSel = selected.has(p);
    let monthlyIns: number | null = m === null ? null : 0;
    let ins = 0;
    if (covered(p) && residential && m !== null) {
      if (isSel) {
        monthlyIns = careMonthly > 0 ? Math.min(instLeft, Math.round((instPaid * m) / careMonthly)) : 0;
        instLeft -= monthlyIns;
      } else monthlyIns = instPay(m);
      ins = p.unit === 'day' ? Math.round(monthlyIns / daysPerMonth) : monthlyIns;
    } else if (covered(p) && !residential && p.unit === 'hour') {
      ins = mulRate(p.fen as Fen, t.fundShareHome ?? 0, 'half-up');
    }
    return {
      item: p.item, unit: p.unit, category: p.category, selected: isSel, priceFen: p.fen, insuranceFen: ins, ownFen: p.fen - ins,
      monthlyPriceFen: m, monthlyInsuranceFen: monthlyIns, monthlyOwnFen: m === null ? null : m - (monthlyIns ?? 0),
    };
  });
  // A rounding remainder of the spread goes to the last selected covered item.
  const last = [...lines].reverse().find((l) => l.selected && l.monthlyInsuranceFen !== null && l.monthlyInsuranceFen > 0);
  if (instLeft !== 0 && last) {
    last.monthlyInsuranceFen = (last.monthlyInsuranceFen ?? 0) + instLeft;
    last.monthlyOwnFen = (last.monthlyPriceFen ?? 0) - last.monthlyInsuranceFen;
  }
  const monthly = lines.filter((l) => l.selected).reduce((a, l) => ({
    priceFen: a.priceFen + (l.monthlyPriceFen ?? 0),
    insuranceFen: a.insuranceFen + (l.monthlyInsuranceFen ?? 0),
    ownFen: a.ownFen + (l.monthlyOwnFen ?? 0),
  }), { priceFen: 0, insuranceFen: 0, ownFen: 0 });
  if (!t.eligible) notes.push(`不享受长护险待遇：${t.reason}`);
  else if (residential) {
    notes.push(`机构照护：护理费由长护险基金支付 ${Math.round(instShare * PERCENT)}%${t.institutionDailyLimitFen === null ? '' : `，每日最多 ${yuanDecimal(t.institutionDailyLimitFen, { trimWhole: true })} 元`}；床位费、伙食费等自付。`);
    if (careMonthly > 0 && instPaid === cap) notes.push('本月长护险支付已达“每日限额 × 天数”的上限。');
  } else {
    notes.push(`居家或社区照护：按小时计价的护理、服务费由长护险基金支付 ${Math.round((t.fundShareHome ?? 0) * PERCENT)}%，每周最多 ${t.homeCareHoursPerWeek} 小时（约每月 ${Math.round(monthlyHours)} 小时）。`);
  }
  if (selected.size) notes.push('每月合计按每类收费中最低的一项估算（护理费按所选照护等级），标“计入”的为计入合计的项目。');
  notes.push(`按每月 ${daysPerMonth} 天估算，实际以结算为准。`);
  return { lines, monthly, notes };
}

// ---------------------------------------------------------------------------------------------
// Distance and the route hint.

const HALF_TURN_DEG = 180;
const DEG = Math.PI / HALF_TURN_DEG;

export { haversineMeters };

const DIRECTIONS = ['北', '东北', '东', '东南', '南', '西南', '西', '西北'] as const;
const FULL_CIRCLE = 360;

/** Compass direction from one point to another, in Chinese. */
export function directionName(lon1: number, lat1: number, lon2: number, lat2: number): string {
  const y = Math.sin((lon2 - lon1) * DEG) * Math.cos(lat2 * DEG);
  const x = Math.cos(lat1 * DEG) * Math.sin(lat2 * DEG) - Math.sin(lat1 * DEG) * Math.cos(lat2 * DEG) * Math.cos((lon2 - lon1) * DEG);
  const bearing = ((Math.atan2(y, x) / DEG) + FULL_CIRCLE) % FULL_CIRCLE;
  const sector = FULL_CIRCLE / DIRECTIONS.length;
  return DIRECTIONS[Math.round(bearing / sector) % DIRECTIONS.length]!;
}

/**
 * A walking hint from a place to a facility: straight-line distance × a detour factor (street
 * networks are longer than the crow flies), at the walking speed parameter.
 */
export function routeHint(from: { lon: number; lat: number; label: string }, to: { lon: number; lat: number }, walkMetersPerMinute: number, detour: number): { meters: number; minutes: number; text: string } {
  const meters = Math.round(haversineMeters(from.lon, from.lat, to.lon, to.lat) * detour);
  const minutes = Math.max(1, Math.round(meters / walkMetersPerMinute));
  return { meters, minutes, text: `从${from.label}向${directionName(from.lon, from.lat, to.lon, to.lat)}方向，步行约 ${meters} 米，约 ${minutes} 分钟（按直线距离估算）` };
}

// ---------------------------------------------------------------------------------------------
// Planning ratios against the plans' targets (issue 6 §4).

export const REGION_LEVELS = ['city', 'district', 'street', 'town'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export interface PlanningTarget {
  code: string;
  level: RegionLevel;
  scope: string;
  op: '>=' | '>';
  value: number;
  from: string;
  to: string | null;
  citation: { document: string; number: string | null; article: string; quote: string };
  confidence: string;
  note?: string;
}
export interface PlanningIndicator { code: string; name: string; unit: '%' | 'per10k' | 'm2per1000'; numerator: string; denominator: string }

/** What the registry holds for a region, and its reference population. */
export interface RegionSupply {
  beds: number;          // in service, in residential facilities
  basicBeds: number;
  nursingBeds: number;   // 护理型 incl. 认知障碍
  cognitiveBeds: number;
  occupiedBeds: number;
  communityAreaM2: number;
  mealCapacity: number;
  population: { registered60: number; registered65: number; resident: number; year: number; source: string } | null;
}

export interface RatioRow {
  code: string;
  name: string;
  unit: PlanningIndicator['unit'];
  value: number | null;
  numerator: number;
  denominator: number | null;
  target: { op: string; value: number; citation: PlanningTarget['citation']; confidence: string; note: string | null; from: string; to: string | null } | null;
  met: boolean | null;
  /** What is missing to reach the target, in the numerator's unit (beds, m², meals/day); 0 when met. */
  gap: number | null;
  gapUnit: string;
}

const TEN_THOUSAND = 10_000;
/** Float noise allowed when rounding a gap up (0.1 + 0.2 style sums). */
const FLOAT_SLACK = 1e-9;
const THOUSAND = 1_000;
const RATIO_DIGITS = 100;

/** The target in force for an indicator at a region of a level on a date: the most specific scope. */
export function targetFor(targets: readonly PlanningTarget[], code: string, level: RegionLevel, regionCode: string, asOf: string): PlanningTarget | null {
  let best: PlanningTarget | null = null;
  for (const t of targets) {
    if (t.code !== code || t.level !== level) continue;
    if (!isWithin(regionCode, t.scope)) continue;
    if (t.from > asOf || (t.to !== null && t.to < asOf)) continue;
    if (!best || scopePrefix(t.scope).length > scopePrefix(best.scope).length) best = t;
  }
  return best;
}

/** Every indicator of a region against its target; an indicator without population has no value. */
export function planningRatios(indicators: readonly PlanningIndicator[], targets: readonly PlanningTarget[], level: RegionLevel, regionCode: string, s: RegionSupply, asOf: string): RatioRow[] {
  const p = s.population;
  const spec: Record<string, { num: number; den: number | null; scale: number; unit: string }> = {
    beds_pct_registered_elders: { num: s.beds, den: p?.registered60 ?? null, scale: PERCENT, unit: '张' },
    basic_beds_pct_registered_elders: { num: s.basicBeds, den: p?.registered60 ?? null, scale: PERCENT, unit: '张' },
    beds_per_10k_elders: { num: s.beds, den: p ? p.registered60 / TEN_THOUSAND : null, scale: 1, unit: '张' },
    nursing_bed_share: { num: s.nursingBeds, den: s.beds, scale: PERCENT, unit: '张' },
    dementia_beds_per_10k_elders: { num: s.cognitiveBeds, den: p ? p.registered60 / TEN_THOUSAND : null, scale: 1, unit: '张' },
    community_facility_m2_per_1000_resident: { num: s.communityAreaM2, den: p ? p.resident / THOUSAND : null, scale: 1, unit: '平方米' },
    meal_capacity_pct_registered_65plus: { num: s.mealCapacity, den: p?.registered65 ?? null, scale: PERCENT, unit: '份/日' },
    bed_utilisation_rate: { num: s.occupiedBeds, den: s.beds, scale: PERCENT, unit: '张' },
  };
  return indicators.map((ind) => {
    const sp = spec[ind.code];
    const t = targetFor(targets, ind.code, level, regionCode, asOf);
    if (!sp) return { code: ind.code, name: ind.name, unit: ind.unit, value: null, numerator: 0, denominator: null, target: null, met: null, gap: null, gapUnit: '' };
    const value = sp.den !== null && sp.den > 0 ? Math.round((sp.num / sp.den) * sp.scale * RATIO_DIGITS) / RATIO_DIGITS : null;
    let met: boolean | null = null;
    let gap: number | null = null;
    if (t && value !== null && sp.den !== null) {
      const exact = (sp.num / sp.den) * sp.scale;
      met = t.op === '>' ? exact > t.value : exact >= t.value;
      // Numerator needed: value × den / scale, rounded up to a whole unit (a bed, a m², a meal).
      const needed = (t.value * sp.den) / sp.scale;
      gap = met ? 0 : Math.max(0, Math.ceil(needed - sp.num - FLOAT_SLACK) + (t.op === '>' && Number.isInteger(needed) ? 1 : 0));
    }
    return {
      code: ind.code, name: ind.name, unit: ind.unit, value, numerator: sp.num, denominator: sp.den === null ? null : Math.round(sp.den * RATIO_DIGITS) / RATIO_DIGITS,
      target: t ? { op: t.op, value: t.value, citation: t.citation, confidence: t.confidence, note: t.note ?? null, from: t.from, to: t.to } : null,
      met, gap, gapUnit: sp.unit,
    };
  });
}

/** A street-level region is a 镇/乡 (town) or a 街道 (street) by its name. */
export function levelOfStreet(name: string): 'street' | 'town' {
  return /[镇乡]$/.test(name) ? 'town' : 'street';
}
