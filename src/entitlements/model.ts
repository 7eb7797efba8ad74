// The entitlement rules (issue 5 §2): pure functions over (person facts, parameters, as-of date),
// one per scheme, each returning a decision; with a trace they also return the explanation — the
// facts used, the parameter values in force with their citations and the level they came from,
// and the reason in Chinese, plus what would change a refusal.
//
// No policy number lives here: every threshold, amount and list comes from policy/parameters/
// through `resolve`. Tracing costs nothing when it is off (`t?.push(…)` does not evaluate its
// argument when `t` is null), so the same functions serve the 1M-person batch and the advisor's
// screen.

import { addYears, ageOn, fen, formatFen, isMunicipality, isWithin, type LocalDate } from '../core/index.ts';
import { parseAgeBand, resolve, type AgeBand, type ParameterSet, type Requirements, type Resolved, type TierCondition, type TierDef } from './parameters.ts';

export const SCHEMES = ['allowance', 'ltci', 'serviceSubsidy', 'basicBed', 'visiting'] as const;
export type SchemeId = (typeof SCHEMES)[number];

export const SCHEME_NAMES: Record<SchemeId, string> = {
  allowance: '老年综合津贴',
  ltci: '长期护理保险',
  serviceSubsidy: '养老服务补贴',
  basicBed: '保基本养老床位',
  visiting: '关爱探访',
};

/** The parameters each rule reads, with the unit it expects (checked by `yiyang policy check`). */
export const REQUIRED_PARAMETERS: Requirements = {
  allowance: {
    inForce: { unit: 'flag' },
    hukouScope: { unit: 'region' },
    minAge: { unit: 'years' },
    monthlyFen: { unit: 'fen/month', keyedBy: 'ageBand' },
    paymentBandStart: { unit: 'choice' },
  },
  ltci: {
    inForce: { unit: 'flag' },
    minAge: { unit: 'years' },
    insuredTypes: { unit: 'choice-list' },
    minGrade: { unit: 'grade' },
    homeCareHoursPerWeek: { unit: 'hours/week', keyedBy: 'grade' },
    fundShareHome: { unit: 'share' },
    fundShareInstitution: { unit: 'share' },
    institutionDailyLimitFen: { unit: 'fen/day', keyedBy: 'grade' },
  },
  serviceSubsidy: {
    inForce: { unit: 'flag' },
    hukouScope: { unit: 'region' },
    minAge: { unit: 'years' },
    minGrade: { unit: 'grade' },
    economicStatuses: { unit: 'choice-list' },
    monthlyFen: { unit: 'fen/month', keyedBy: 'gradeEconomic' },
  },
  basicBed: {
    inForce: { unit: 'flag' },
    hukouScope: { unit: 'region' },
    minAge: { unit: 'years' },
    minGrade: { unit: 'grade' },
    priorityTiers: { unit: 'tiers' },
  },
  visiting: {
    inForce: { unit: 'flag' },
    minAge: { unit: 'years' },
    advancedAge: { unit: 'years' },
  },
};

export const INSURANCE_TYPES = ['employee', 'resident'] as const;
export type Insurance = (typeof INSURANCE_TYPES)[number] | null;
export const ECONOMIC_STATUSES = ['none', 'dibao', 'low_income', 'tekun'] as const;
export type Economic = (typeof ECONOMIC_STATUSES)[number];
export const LIVING = ['alone', 'elderly_only', 'with_children', 'institution', 'other'] as const;
export type Living = (typeof LIVING)[number];

const INSURANCE_NAMES: Record<string, string> = { employee: '职工医保', resident: '城乡居民医保' };
const ECONOMIC_NAMES: Record<Economic, string> = { none: '无', dibao: '低保', low_income: '低收入', tekun: '特困' };

/** What the rules know of a person. Dates are valid calendar dates (checked by the caller). */
export interface PersonFacts {
  birthDate: LocalDate;
  /** County-level code of the hukou (retired codes kept as given), or null when none is recorded. */
  hukouDistrict: string | null;
  /** Where the person lives (county level); parameters of that district apply when the hukou is elsewhere. */
  residenceDistrict?: string | null;
  insurance: Insurance;
  careGrade: number | null;
  careGradeValidFrom?: LocalDate | null;
  careGradeValidUntil: LocalDate | null;
  economic: Economic;
  deathDate: LocalDate | null;
  living?: Living | null;
  preferentialCare?: boolean;
  familyPlanningSpecial?: boolean;
}

export interface AllowanceDecision {
  eligible: boolean;
  band: string | null;
  monthlyFen: number;
}
export interface LtciDecision {
  eligible: boolean;
  homeCareHoursPerWeek: number;
  /** Fund share of home care and of institutional care, and the institutional daily limit (fen), when eligible. */
  fundShareHome: number | null;
  fundShareInstitution: number | null;
  institutionDailyLimitFen: number | null;
}
export interface SubsidyDecision {
  eligible: boolean;
  monthlyFen: number;
}
export interface BasicBedDecision {
  eligible: boolean;
  tier: number | null;
  tierLabel: string | null;
}
export interface VisitingDecision {
  livingAlone: boolean;
  advancedAge: boolean;
  elderlyOnly: boolean;
}

export interface Decisions {
  age: number;
  allowance: AllowanceDecision;
  ltci: LtciDecision;
  serviceSubsidy: SubsidyDecision;
  basicBed: BasicBedDecision;
  visiting: VisitingDecision;
}

/** One line of an explanation. */
export interface Step {
  scheme: SchemeId;
  check: string;
  passed: boolean;
  /** The reason, in Chinese. */
  reason: string;
  /** What would change the outcome, in Chinese, on the step that refused. */
  hint?: string;
  /** The parameter the check used, with its citation and the level it came from. */
  parameter?: Resolved;
}
export type Trace = Step[] | null;

// ---------------------------------------------------------------------------------------------
// Parameters in force for a region and date, resolved once and cached by the engine.

interface SchemeBundle {
  [name: string]: Resolved | null;
}
export interface Bundle {
  region: string;
  asOf: LocalDate;
  allowance: SchemeBundle;
  ltci: SchemeBundle;
  serviceSubsidy: SchemeBundle;
  basicBed: SchemeBundle;
  visiting: SchemeBundle;
  /** Age bands of the allowance, lowest first. */
  bands: AgeBand[];
  /** Priority tiers of basic beds, best first. */
  tiers: TierDef[];
}

function bundleFor(set: ParameterSet, region: string, asOf: LocalDate): Bundle {
  const pick = (scheme: SchemeId): SchemeBundle => {
    const out: SchemeBundle = {};
    for (const name of Object.keys(REQUIRED_PARAMETERS[scheme] ?? {})) out[name] = resolve(set, scheme, name, region, asOf);
    return out;
  };
  const allowance = pick('allowance');
  const basicBed = pick('basicBed');
  const table = allowance.monthlyFen?.value as Record<string, number> | undefined;
  const bands = table ? Object.keys(table).map((k) => parseAgeBand(k)).filter((b): b is AgeBand => b !== null).sort((a, b) => a.min - b.min) : [];
  const tiers = ((basicBed.priorityTiers?.value as TierDef[] | undefined) ?? []).slice().sort((a, b) => a.tier - b.tier);
  return { region, asOf, allowance, ltci: pick('ltci'), serviceSubsidy: pick('serviceSubsidy'), basicBed, visiting: pick('visiting'), bands, tiers };
}

// ---------------------------------------------------------------------------------------------
// Shared checks

const isDead = (f: PersonFacts, asOf: LocalDate) => f.deathDate !== null && f.deathDate <= asOf;

/** The care grade valid on `asOf`, or null. */
export function validGrade(f: PersonFacts, asOf: LocalDate): number | null {
  if (f.careGrade === null || f.careGradeValidUntil === null) return null;
  if (f.careGradeValidUntil < asOf) return null;
  if (f.careGradeValidFrom && f.careGradeValidFrom > asOf) return null;
  return f.careGrade;
}

const gradeText = (f: PersonFacts, asOf: LocalDate): string => {
  if (f.careGrade === null) return '无照护等级评估结果';
  if (f.careGradeValidUntil === null) return `照护等级 ${f.careGrade} 级未记录有效期，无法确认在 ${asOf} 有效`;
  if (f.careGradeValidUntil < asOf) return `照护等级 ${f.careGrade} 级已于 ${f.careGradeValidUntil} 到期`;
  if (f.careGradeValidFrom && f.careGradeValidFrom > asOf) return `照护等级 ${f.careGrade} 级自 ${f.careGradeValidFrom} 起才生效`;
  return `照护等级 ${f.careGrade} 级（有效期至 ${f.careGradeValidUntil}）`;
};

/** Dead, or the scheme not in force here: true when the rule must stop. */
function gate(scheme: SchemeId, f: PersonFacts, b: Bundle, inForce: Resolved | null | undefined, t: Trace): boolean {
  if (isDead(f, b.asOf)) {
    t?.push({ scheme, check: 'alive', passed: false, reason: `已于 ${f.deathDate} 去世，不再享受${SCHEME_NAMES[scheme]}` });
    return true;
  }
  if (!inForce || inForce.value !== true) {
    t?.push({ scheme, check: 'inForce', passed: false, reason: `${b.asOf} 在本辖区（${b.region}）没有生效的${SCHEME_NAMES[scheme]}政策参数`, ...(inForce ? { parameter: inForce } : {}) });
    return true;
  }
  t?.push({ scheme, check: 'inForce', passed: true, reason: `${SCHEME_NAMES[scheme]}在 ${b.asOf} 有效（${levelText(inForce)}）`, parameter: inForce });
  return false;
}

/** "市级（上海市）参数" / "区级（浦东新区）参数". */
export function levelText(p: Resolved): string {
  const level = p.level === 'province' ? (isMunicipality(p.scope) ? '市级' : '省级') : p.level === 'city' ? '市级' : p.level === 'county' ? '区级' : p.level === 'street' ? '街镇级' : '居村级';
  return `${level}参数：${p.scopeName}`;
}

function hukouCheck(scheme: SchemeId, f: PersonFacts, p: Resolved | null | undefined, t: Trace): boolean {
  const scope = p?.value as string | undefined;
  if (!p || scope === undefined) {
    t?.push({ scheme, check: 'hukou', passed: false, reason: '未配置户籍要求参数' });
    return false;
  }
  if (f.hukouDistrict === null) {
    t?.push({ scheme, check: 'hukou', passed: false, reason: '未登记户籍', hint: `登记${p.scopeName}户籍后可重新核对`, parameter: p });
    return false;
  }
  const ok = isWithin(f.hukouDistrict, scope);
  t?.push(
    ok
      ? { scheme, check: 'hukou', passed: true, reason: `户籍区代码 ${f.hukouDistrict} 属于${p.scopeName}`, parameter: p }
      : { scheme, check: 'hukou', passed: false, reason: `户籍区代码 ${f.hukouDistrict} 不属于${p.scopeName}，需本地户籍`, hint: `需${p.scopeName}户籍`, parameter: p },
  );
  return ok;
}

function ageCheck(scheme: SchemeId, age: number, f: PersonFacts, p: Resolved | null | undefined, t: Trace): boolean {
  const min = p?.value as number | undefined;
  if (!p || min === undefined) {
    t?.push({ scheme, check: 'age', passed: false, reason: '未配置年龄要求参数' });
    return false;
  }
  if (age >= min) {
    t?.push({ scheme, check: 'age', passed: true, reason: `${age} 周岁，达到 ${min} 周岁`, parameter: p });
    return true;
  }
  const birthday = addYears(f.birthDate, min);
  t?.push({ scheme, check: 'age', passed: false, reason: `${age} 周岁，未满 ${min} 周岁`, hint: `${birthday} 年满 ${min} 周岁后可享受`, parameter: p });
  return false;
}

function gradeCheck(scheme: SchemeId, f: PersonFacts, asOf: LocalDate, p: Resolved | null | undefined, t: Trace): number | null {
  const min = p?.value as number | undefined;
  if (!p || min === undefined) {
    t?.push({ scheme, check: 'grade', passed: false, reason: '未配置照护等级要求参数' });
    return null;
  }
  const g = validGrade(f, asOf);
  if (g !== null && g >= min) {
    t?.push({ scheme, check: 'grade', passed: true, reason: `${gradeText(f, asOf)}，达到 ${min} 级`, parameter: p });
    return g;
  }
  const why = g === null ? gradeText(f, asOf) : `照护等级 ${g} 级，低于 ${min} 级`;
  const hint = g === null ? `经老年照护统一需求评估达到照护 ${min} 级及以上后可享受` : `照护等级达到 ${min} 级及以上（可申请重新评估）后可享受`;
  t?.push({ scheme, check: 'grade', passed: false, reason: why, hint, parameter: p });
  return null;
}

// ---------------------------------------------------------------------------------------------
// The rules

const NO_ALLOWANCE: AllowanceDecision = Object.freeze({ eligible: false, band: null, monthlyFen: 0 }) as AllowanceDecision;

export function allowanceRule(f: PersonFacts, age: number, b: Bundle, t: Trace): AllowanceDecision {
  const P = b.allowance;
  if (gate('allowance', f, b, P.inForce, t)) return NO_ALLOWANCE;
  if (!hukouCheck('allowance', f, P.hukouScope, t)) return NO_ALLOWANCE;
  if (!ageCheck('allowance', age, f, P.minAge, t)) return NO_ALLOWANCE;
  const table = P.monthlyFen?.value as Record<string, number> | undefined;
  let band: AgeBand | null = null;
  for (const x of b.bands) if (age >= x.min && (x.max === null || age <= x.max)) band = x;
  if (!table || !band) {
    t?.push({ scheme: 'allowance', check: 'band', passed: false, reason: `${age} 周岁不在任何津贴年龄段内`, ...(P.monthlyFen ? { parameter: P.monthlyFen } : {}) });
    return NO_ALLOWANCE;
  }
  const monthlyFen = table[band.label] ?? 0;
  t?.push({ scheme: 'allowance', check: 'band', passed: true, reason: `${age} 周岁属于 ${band.label} 周岁年龄段，每月 ${yuan(monthlyFen)}`, parameter: P.monthlyFen as Resolved });
  return { eligible: true, band: band.label, monthlyFen };
}

const NO_LTCI: LtciDecision = Object.freeze({ eligible: false, homeCareHoursPerWeek: 0, fundShareHome: null, fundShareInstitution: null, institutionDailyLimitFen: null }) as LtciDecision;

export function ltciRule(f: PersonFacts, age: number, b: Bundle, t: Trace): LtciDecision {
  const P = b.ltci;
  if (gate('ltci', f, b, P.inForce, t)) return NO_LTCI;
  if (!ageCheck('ltci', age, f, P.minAge, t)) return NO_LTCI;
  const types = (P.insuredTypes?.value as string[] | undefined) ?? [];
  if (f.insurance === null || !types.includes(f.insurance)) {
    t?.push({
      scheme: 'ltci',
      check: 'insurance',
      passed: false,
      reason: f.insurance === null ? '未参加职工医保或城乡居民医保' : `参保类型 ${f.insurance} 不在长护险参保范围内`,
      hint: `参加${types.map((x) => INSURANCE_NAMES[x] ?? x).join('或')}后可申请`,
      ...(P.insuredTypes ? { parameter: P.insuredTypes } : {}),
    });
    return NO_LTCI;
  }
  t?.push({ scheme: 'ltci', check: 'insurance', passed: true, reason: `参加${INSURANCE_NAMES[f.insurance] ?? f.insurance}`, parameter: P.insuredTypes as Resolved });
  const g = gradeCheck('ltci', f, b.asOf, P.minGrade, t);
  if (g === null) return NO_LTCI;
  const hours = (P.homeCareHoursPerWeek?.value as Record<string, number> | undefined)?.[String(g)];
  if (hours === undefined) {
    t?.push({ scheme: 'ltci', check: 'hours', passed: false, reason: `参数表中没有照护 ${g} 级的服务时长`, ...(P.homeCareHoursPerWeek ? { parameter: P.homeCareHoursPerWeek } : {}) });
    return NO_LTCI;
  }
  t?.push({ scheme: 'ltci', check: 'hours', passed: true, reason: `照护 ${g} 级，社区居家照护每周 ${hours} 小时`, parameter: P.homeCareHoursPerWeek as Resolved });
  const limit = (P.institutionDailyLimitFen?.value as Record<string, number> | undefined)?.[String(g)] ?? null;
  const shareHome = (P.fundShareHome?.value as number | undefined) ?? null;
  const shareInst = (P.fundShareInstitution?.value as number | undefined) ?? null;
  if (t && shareHome !== null) t.push({ scheme: 'ltci', check: 'fundShareHome', passed: true, reason: `居家照护费用由长护险基金支付 ${pct(shareHome)}`, parameter: P.fundShareHome as Resolved });
  if (t && shareInst !== null && limit !== null) {
    t.push({ scheme: 'ltci', check: 'institution', passed: true, reason: `入住定点养老机构：基金支付 ${pct(shareInst)}，每日限额 ${yuan(limit)}`, parameter: P.institutionDailyLimitFen as Resolved });
  }
  return { eligible: true, homeCareHoursPerWeek: hours, fundShareHome: shareHome, fundShareInstitution: shareInst, institutionDailyLimitFen: limit };
}

const NO_SUBSIDY: SubsidyDecision = Object.freeze({ eligible: false, monthlyFen: 0 }) as SubsidyDecision;

export function subsidyRule(f: PersonFacts, age: number, b: Bundle, t: Trace): SubsidyDecision {
  const P = b.serviceSubsidy;
  if (gate('serviceSubsidy', f, b, P.inForce, t)) return NO_SUBSIDY;
  if (!hukouCheck('serviceSubsidy', f, P.hukouScope, t)) return NO_SUBSIDY;
  if (!ageCheck('serviceSubsidy', age, f, P.minAge, t)) return NO_SUBSIDY;
  const statuses = (P.economicStatuses?.value as string[] | undefined) ?? [];
  if (!statuses.includes(f.economic)) {
    t?.push({
      scheme: 'serviceSubsidy',
      check: 'economic',
      passed: false,
      reason: `经济状况为“${ECONOMIC_NAMES[f.economic]}”，本补贴面向${statuses.map((s) => ECONOMIC_NAMES[s as Economic] ?? s).join('、')}家庭老人`,
      hint: '经民政部门认定为低保或低收入家庭后可申请（以民政救助信息系统为准）',
      ...(P.economicStatuses ? { parameter: P.economicStatuses } : {}),
    });
    return NO_SUBSIDY;
  }
  t?.push({ scheme: 'serviceSubsidy', check: 'economic', passed: true, reason: `经济状况为“${ECONOMIC_NAMES[f.economic]}”`, parameter: P.economicStatuses as Resolved });
  const g = gradeCheck('serviceSubsidy', f, b.asOf, P.minGrade, t);
  if (g === null) return NO_SUBSIDY;
  const amount = (P.monthlyFen?.value as Record<string, number> | undefined)?.[`${g}:${f.economic}`];
  if (amount === undefined) {
    t?.push({ scheme: 'serviceSubsidy', check: 'amount', passed: false, reason: `参数表中没有照护 ${g} 级、${ECONOMIC_NAMES[f.economic]}的补贴标准`, ...(P.monthlyFen ? { parameter: P.monthlyFen } : {}) });
    return NO_SUBSIDY;
  }
  t?.push({ scheme: 'serviceSubsidy', check: 'amount', passed: true, reason: `照护 ${g} 级、${ECONOMIC_NAMES[f.economic]}：每月 ${yuan(amount)} 服务补贴（以服务形式提供）`, parameter: P.monthlyFen as Resolved });
  return { eligible: true, monthlyFen: amount };
}

const NO_BED: BasicBedDecision = Object.freeze({ eligible: false, tier: null, tierLabel: null }) as BasicBedDecision;

function tierMatches(c: TierCondition, f: PersonFacts, age: number, b: Bundle): boolean {
  if (c.economic && !c.economic.includes(f.economic)) return false;
  if (c.minAge !== undefined && age < c.minAge) return false;
  if (c.livingAlone && f.living !== 'alone') return false;
  if (c.preferentialCare && !f.preferentialCare) return false;
  if (c.familyPlanningSpecial && !f.familyPlanningSpecial) return false;
  if (c.minGradeParam !== undefined) {
    const min = b.basicBed[c.minGradeParam]?.value as number | undefined;
    const g = validGrade(f, b.asOf);
    if (min === undefined || g === null || g < min) return false;
  }
  return true;
}

export function basicBedRule(f: PersonFacts, age: number, b: Bundle, t: Trace): BasicBedDecision {
  const P = b.basicBed;
  if (gate('basicBed', f, b, P.inForce, t)) return NO_BED;
  if (!hukouCheck('basicBed', f, P.hukouScope, t)) return NO_BED;
  if (!ageCheck('basicBed', age, f, P.minAge, t)) return NO_BED;
  for (const tier of b.tiers) {
    for (const c of tier.anyOf) {
      if (tierMatches(c, f, age, b)) {
        t?.push({ scheme: 'basicBed', check: 'tier', passed: true, reason: `符合第 ${tier.tier} 优先层级：${tier.label}`, parameter: P.priorityTiers as Resolved });
        return { eligible: true, tier: tier.tier, tierLabel: tier.label };
      }
    }
  }
  if (t) {
    gradeCheck('basicBed', f, b.asOf, P.minGrade, t);
    t.push({ scheme: 'basicBed', check: 'tier', passed: false, reason: '不属于任何优先轮候层级', ...(P.priorityTiers ? { parameter: P.priorityTiers } : {}) });
  }
  return NO_BED;
}

const NO_FLAGS: VisitingDecision = Object.freeze({ livingAlone: false, advancedAge: false, elderlyOnly: false }) as VisitingDecision;

export function visitingRule(f: PersonFacts, age: number, b: Bundle, t: Trace): VisitingDecision {
  const P = b.visiting;
  if (gate('visiting', f, b, P.inForce, t)) return NO_FLAGS;
  if (!ageCheck('visiting', age, f, P.minAge, t)) return NO_FLAGS;
  const high = P.advancedAge?.value as number | undefined;
  const advancedAge = high !== undefined && age >= high;
  const livingAlone = f.living === 'alone';
  const elderlyOnly = f.living === 'elderly_only';
  if (t) {
    if (P.advancedAge) t.push({ scheme: 'visiting', check: 'advancedAge', passed: advancedAge, reason: advancedAge ? `${age} 周岁，属高龄老人` : `${age} 周岁，未满 ${high} 周岁`, parameter: P.advancedAge });
    t.push({ scheme: 'visiting', check: 'living', passed: livingAlone || elderlyOnly, reason: livingAlone ? '独居' : elderlyOnly ? '纯老家庭' : f.living ? '非独居、非纯老家庭' : '未登记居住状况' });
  }
  return { livingAlone, advancedAge, elderlyOnly };
}

// ---------------------------------------------------------------------------------------------
// The engine

export interface EngineOptions {
  /** The jurisdiction's root code (310000): parameters of the root apply to people whose region is outside it. */
  rootCode: string;
}

export interface Evaluation extends Decisions {
  /** The parameter set's version the decisions came from. */
  parameterVersion: string;
  /** The region whose parameters applied. */
  region: string;
  explanation: Step[] | null;
}

export interface Engine {
  readonly set: ParameterSet;
  evaluate(f: PersonFacts, asOf: LocalDate, explain?: boolean): Evaluation;
  /** The parameters in force for a region and date (cached). */
  bundle(region: string, asOf: LocalDate): Bundle;
}

/**
 * The region whose parameters apply to a person: the hukou district when it lies in the
 * jurisdiction, else the district where the person lives when that does, else the root.
 */
export function paramRegion(f: PersonFacts, rootCode: string): string {
  if (f.hukouDistrict !== null && isWithin(f.hukouDistrict, rootCode)) return f.hukouDistrict;
  if (f.residenceDistrict && isWithin(f.residenceDistrict, rootCode)) return f.residenceDistrict;
  return rootCode;
}

export function createEngine(set: ParameterSet, o: EngineOptions): Engine {
  const cache = new Map<string, Bundle>();
  const bundle = (region: string, asOf: LocalDate): Bundle => {
    const key = region + asOf;
    let b = cache.get(key);
    if (!b) {
      b = bundleFor(set, region, asOf);
      cache.set(key, b);
    }
    return b;
  };
  return {
    set,
    bundle,
    evaluate(f, asOf, explain = false) {
      const region = paramRegion(f, o.rootCode);
      const b = bundle(region, asOf);
      const t: Trace = explain ? [] : null;
      const age = ageOn(f.birthDate, asOf);
      return {
        age,
        allowance: allowanceRule(f, age, b, t),
        ltci: ltciRule(f, age, b, t),
        serviceSubsidy: subsidyRule(f, age, b, t),
        basicBed: basicBedRule(f, age, b, t),
        visiting: visitingRule(f, age, b, t),
        parameterVersion: set.version,
        region,
        explanation: t,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------

const PERCENT = 100;
const yuan = (n: number): string => formatFen(fen(n));
const pct = (share: number): string => `${Math.round(share * PERCENT)}%`;
