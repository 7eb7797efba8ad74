// The entitlement rules (issue 5 §2): pure functions over (person facts, parameters, as-of date),
// one per scheme, each returning a decision; with a trace they also return the explanation — the
// facts used, the parameter values in force with their citations and the level they came from,
// and the reason in Chinese, plus what would change a refusal.
//
// No policy number lives here: every threshold, amount and list comes from policy/parameters/
// through `resolve`. Tracing costs nothing when it is off (`t?.push(…)` does not evaluate its
// argument when `t` is null), so the same functions serve the 1M-person batch and the advisor's
// screen.

import { addDays, addYears, ageOn, fen, formatFen, isMunicipality, scopePrefix, type LocalDate } from '../core/index.ts';
import { nextParameterChange, parseAgeBand, resolve, type AgeBand, type ParameterSet, type Requirements, type Resolved, type TierCondition, type TierDef } from './parameters.ts';

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
    paidForDeathMonth: { unit: 'flag' },
    arrearsLookbackMonths: { unit: 'months' },
    noApplicationGrant: { unit: 'flag' },
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
    homeCarePriceFenPerHour: { unit: 'fen/hour', keyedBy: 'visitKind' },
    maxCheckInMeters: { unit: 'meters' },
    noApplicationGrant: { unit: 'flag' },
  },
  serviceSubsidy: {
    inForce: { unit: 'flag' },
    hukouScope: { unit: 'region' },
    minAge: { unit: 'years' },
    minGrade: { unit: 'grade' },
    economicStatuses: { unit: 'choice-list' },
    monthlyFen: { unit: 'fen/month', keyedBy: 'gradeEconomic' },
    paidForDeathMonth: { unit: 'flag' },
    arrearsLookbackMonths: { unit: 'months' },
    noApplicationGrant: { unit: 'flag' },
  },
  basicBed: {
    inForce: { unit: 'flag' },
    hukouScope: { unit: 'region' },
    minAge: { unit: 'years' },
    minGrade: { unit: 'grade' },
    priorityTiers: { unit: 'tiers' },
    noApplicationGrant: { unit: 'flag' },
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
  /** The region the bundle was first built for; regions with the same rows share it. */
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
  /** The same values compiled for the hot path: numbers and arrays, no lookups by name. */
  fast: Fast;
  /** The first day after `asOf` on which a parameter of this region changes, or null. */
  nextParameterChange: LocalDate | null;
}

/** Position of an economic status in ECONOMIC_STATUSES (comparisons, not a keyed lookup: hot path). */
const econIndex = (e: Economic): number => (e === 'none' ? 0 : e === 'dibao' ? 1 : e === 'low_income' ? 2 : 3); // eslint-disable-line no-magic-numbers -- positions in ECONOMIC_STATUSES
const GRADES = 7;
const NONE = -1;

interface FastCondition {
  econ: boolean[] | null;
  minGrade: number;
  minAge: number;
  alone: boolean;
  pref: boolean;
  fps: boolean;
}
/** Scheme positions in the per-scheme arrays of `Fast` (the order of SCHEMES). */
const IDX = { allowance: 0, ltci: 1, serviceSubsidy: 2, basicBed: 3, visiting: 4 } as const satisfies Record<SchemeId, number>;

interface Fast {
  /** Per scheme, by IDX. */
  on: boolean[];
  hukouPrefix: (string | null)[];
  minAge: number[];
  minGrade: number[];
  bandMin: number[];
  bandMax: number[];
  bandFen: number[];
  /** Band index by age in years (NONE outside every band), for a lookup instead of a search. */
  bandOfAge: Int16Array;
  insured: boolean[];
  ltciHours: number[];
  ltciLimit: number[];
  shareHome: number;
  shareInst: number;
  subEcon: boolean[];
  subFen: number[];
  tiers: { tier: number; label: string; conds: FastCondition[]; decision: BasicBedDecision }[];
  advancedAge: number;
  /** Decisions are immutable values: one shared, frozen object per band, grade or tier. */
  bandDecision: AllowanceDecision[];
  ltciDecision: (LtciDecision | null)[];
  subDecision: (SubsidyDecision | null)[];
}

/** Oldest age the band lookup covers; older people take the open top band (or none). */
const MAX_LOOKUP_AGE = 150;
function bandLookup(bands: AgeBand[]): Int16Array {
  const out = new Int16Array(MAX_LOOKUP_AGE + 1).fill(NONE);
  bands.forEach((b, i) => {
    for (let a = b.min; a <= Math.min(b.max ?? MAX_LOOKUP_AGE, MAX_LOOKUP_AGE); a++) out[a] = i;
  });
  return out;
}

const num = (p: Resolved | null | undefined): number => (p ? (p.value as number) : NONE);
const byGrade = (p: Resolved | null | undefined): number[] => {
  const table = (p?.value ?? {}) as Record<string, number>;
  return Array.from({ length: GRADES }, (_, g) => table[String(g)] ?? NONE);
};

function bundleFor(set: ParameterSet, region: string, asOf: LocalDate): Bundle {
  const pick = (scheme: SchemeId): SchemeBundle => {
    const out: SchemeBundle = {};
    for (const name of Object.keys(REQUIRED_PARAMETERS[scheme] ?? {})) out[name] = resolve(set, scheme, name, region, asOf);
    return out;
  };
  const P = { allowance: pick('allowance'), ltci: pick('ltci'), serviceSubsidy: pick('serviceSubsidy'), basicBed: pick('basicBed'), visiting: pick('visiting') };
  const table = (P.allowance.monthlyFen?.value ?? {}) as Record<string, number>;
  const bands = Object.keys(table)
    .map((k) => parseAgeBand(k))
    .filter((b): b is AgeBand => b !== null)
    .sort((a, b) => a.min - b.min);
  const tiers = ((P.basicBed.priorityTiers?.value as TierDef[] | undefined) ?? []).slice().sort((a, b) => a.tier - b.tier);
  const per = <T>(fn: (s: SchemeId) => T): T[] => SCHEMES.map(fn);
  const econList = (p: Resolved | null | undefined) => {
    const list = (p?.value ?? []) as string[];
    return ECONOMIC_STATUSES.map((e) => list.includes(e));
  };
  const subTable = (P.serviceSubsidy.monthlyFen?.value ?? {}) as Record<string, number>;
  const insuredList = (P.ltci.insuredTypes?.value ?? []) as string[];
  const fast: Fast = {
    on: per((s) => P[s].inForce?.value === true),
    hukouPrefix: per((s) => (P[s].hukouScope ? scopePrefix(P[s].hukouScope.value as string) : null)),
    minAge: per((s) => num(P[s].minAge)),
    minGrade: per((s) => num(P[s].minGrade)),
    bandMin: bands.map((b) => b.min),
    bandMax: bands.map((b) => b.max ?? Number.MAX_SAFE_INTEGER),
    bandFen: bands.map((b) => table[b.label] ?? 0),
    bandOfAge: bandLookup(bands),
    insured: INSURANCE_TYPES.map((i) => insuredList.includes(i)),
    ltciHours: byGrade(P.ltci.homeCareHoursPerWeek),
    ltciLimit: byGrade(P.ltci.institutionDailyLimitFen),
    shareHome: num(P.ltci.fundShareHome),
    shareInst: num(P.ltci.fundShareInstitution),
    subEcon: econList(P.serviceSubsidy.economicStatuses),
    subFen: Array.from({ length: GRADES * ECONOMIC_STATUSES.length }, (_, i) => subTable[`${Math.floor(i / ECONOMIC_STATUSES.length)}:${ECONOMIC_STATUSES[i % ECONOMIC_STATUSES.length]}`] ?? NONE),
    tiers: tiers.map((t) => ({
      tier: t.tier,
      label: t.label,
      decision: Object.freeze({ eligible: true, tier: t.tier, tierLabel: t.label }),
      conds: t.anyOf.map((c: TierCondition) => ({
        econ: c.economic ? ECONOMIC_STATUSES.map((e) => c.economic!.includes(e)) : null,
        minGrade: c.minGradeParam === undefined ? NONE : (P.basicBed[c.minGradeParam]?.value as number | undefined) ?? Number.MAX_SAFE_INTEGER,
        minAge: c.minAge ?? NONE,
        alone: c.livingAlone === true,
        pref: c.preferentialCare === true,
        fps: c.familyPlanningSpecial === true,
      })),
    })),
    advancedAge: num(P.visiting.advancedAge),
    bandDecision: [],
    ltciDecision: [],
    subDecision: [],
  };
  fast.bandDecision = bands.map((b, i) => Object.freeze({ eligible: true, band: b.label, monthlyFen: fast.bandFen[i]! }));
  fast.ltciDecision = fast.ltciHours.map((hours, g) =>
    hours === NONE
      ? null
      : Object.freeze({
          eligible: true,
          homeCareHoursPerWeek: hours,
          fundShareHome: fast.shareHome === NONE ? null : fast.shareHome,
          fundShareInstitution: fast.shareInst === NONE ? null : fast.shareInst,
          institutionDailyLimitFen: fast.ltciLimit[g] === NONE ? null : fast.ltciLimit[g]!,
        }),
  );
  fast.subDecision = fast.subFen.map((monthlyFen) => (monthlyFen === NONE ? null : Object.freeze({ eligible: true, monthlyFen })));
  return { region, asOf, ...P, bands, tiers, fast, nextParameterChange: nextParameterChange(set, region, asOf) };
}

// ---------------------------------------------------------------------------------------------
// Shared checks

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
function gate(i: number, f: PersonFacts, b: Bundle, inForce: Resolved | null | undefined, t: Trace): boolean {
  if (f.deathDate !== null && f.deathDate <= b.asOf) {
    t?.push({ scheme: SCHEMES[i]!, check: 'alive', passed: false, reason: `已于 ${f.deathDate} 去世，不再享受${SCHEME_NAMES[SCHEMES[i]!]}` });
    return true;
  }
  if (!b.fast.on[i] || !inForce) {
    t?.push({ scheme: SCHEMES[i]!, check: 'inForce', passed: false, reason: `${b.asOf} 本辖区没有生效的${SCHEME_NAMES[SCHEMES[i]!]}政策参数`, ...(inForce ? { parameter: inForce } : {}) });
    return true;
  }
  t?.push({ scheme: SCHEMES[i]!, check: 'inForce', passed: true, reason: `${SCHEME_NAMES[SCHEMES[i]!]}在 ${b.asOf} 有效（${levelText(inForce)}）`, parameter: inForce });
  return false;
}

/** "市级参数：上海市" / "区级参数：浦东新区". */
export function levelText(p: Resolved): string {
  const level = p.level === 'province' ? (isMunicipality(p.scope) ? '市级' : '省级') : p.level === 'city' ? '市级' : p.level === 'county' ? '区级' : p.level === 'street' ? '街镇级' : '居村级';
  return `${level}参数：${p.scopeName}`;
}

function hukouCheck(i: number, f: PersonFacts, b: Bundle, p: Resolved | null | undefined, t: Trace): boolean {
  const prefix = b.fast.hukouPrefix[i] ?? null;
  if (!p || prefix === null) {
    t?.push({ scheme: SCHEMES[i]!, check: 'hukou', passed: false, reason: '未配置户籍要求参数' });
    return false;
  }
  if (f.hukouDistrict === null) {
    t?.push({ scheme: SCHEMES[i]!, check: 'hukou', passed: false, reason: '未登记户籍', hint: `登记${p.scopeName}户籍后可重新核对`, parameter: p });
    return false;
  }
  // Codes are checked where facts come in (6 digits), so the prefix decides.
  const ok = f.hukouDistrict.startsWith(prefix);
  t?.push(
    ok
      ? { scheme: SCHEMES[i]!, check: 'hukou', passed: true, reason: `户籍区代码 ${f.hukouDistrict} 属于${p.scopeName}`, parameter: p }
      : { scheme: SCHEMES[i]!, check: 'hukou', passed: false, reason: `户籍区代码 ${f.hukouDistrict} 不属于${p.scopeName}，需本地户籍`, hint: `需${p.scopeName}户籍`, parameter: p },
  );
  return ok;
}

function ageCheck(i: number, age: number, f: PersonFacts, b: Bundle, p: Resolved | null | undefined, t: Trace): boolean {
  const min = b.fast.minAge[i]!;
  if (!p || min === NONE) {
    t?.push({ scheme: SCHEMES[i]!, check: 'age', passed: false, reason: '未配置年龄要求参数' });
    return false;
  }
  if (age >= min) {
    t?.push({ scheme: SCHEMES[i]!, check: 'age', passed: true, reason: `${age} 周岁，达到 ${min} 周岁`, parameter: p });
    return true;
  }
  t?.push({ scheme: SCHEMES[i]!, check: 'age', passed: false, reason: `${age} 周岁，未满 ${min} 周岁`, hint: `${addYears(f.birthDate, min)} 年满 ${min} 周岁后可享受`, parameter: p });
  return false;
}

/** The valid grade when it reaches the scheme's minimum, else NONE. */
function gradeCheck(i: number, f: PersonFacts, g: number, b: Bundle, p: Resolved | null | undefined, t: Trace): number {
  const min = b.fast.minGrade[i]!;
  if (!p || min === NONE) {
    t?.push({ scheme: SCHEMES[i]!, check: 'grade', passed: false, reason: '未配置照护等级要求参数' });
    return NONE;
  }
  if (g !== NONE && g >= min) {
    t?.push({ scheme: SCHEMES[i]!, check: 'grade', passed: true, reason: `${gradeText(f, b.asOf)}，达到 ${min} 级`, parameter: p });
    return g;
  }
  if (t) {
    const why = g === NONE ? gradeText(f, b.asOf) : `照护等级 ${g} 级，低于 ${min} 级`;
    const hint = g === NONE ? `经老年照护统一需求评估达到照护 ${min} 级及以上后可享受` : `照护等级达到 ${min} 级及以上（可申请重新评估）后可享受`;
    t.push({ scheme: SCHEMES[i]!, check: 'grade', passed: false, reason: why, hint, parameter: p });
  }
  return NONE;
}

// ---------------------------------------------------------------------------------------------
// The rules. `g` is the care grade valid on the date, or NONE (-1).

const NO_ALLOWANCE: AllowanceDecision = Object.freeze({ eligible: false, band: null, monthlyFen: 0 }) as AllowanceDecision;

export function allowanceRule(f: PersonFacts, age: number, g: number, b: Bundle, t: Trace): AllowanceDecision {
  const P = b.allowance;
  if (gate(IDX.allowance, f, b, P.inForce, t)) return NO_ALLOWANCE;
  if (!hukouCheck(IDX.allowance, f, b, P.hukouScope, t)) return NO_ALLOWANCE;
  if (!ageCheck(IDX.allowance, age, f, b, P.minAge, t)) return NO_ALLOWANCE;
  const F = b.fast;
  const i = age <= MAX_LOOKUP_AGE ? F.bandOfAge[age]! : F.bandMax.length > 0 && F.bandMax[F.bandMax.length - 1]! >= age ? F.bandMax.length - 1 : NONE;
  if (i < 0) {
    t?.push({ scheme: 'allowance', check: 'band', passed: false, reason: `${age} 周岁不在任何津贴年龄段内`, ...(P.monthlyFen ? { parameter: P.monthlyFen } : {}) });
    return NO_ALLOWANCE;
  }
  const band = b.bands[i]!.label;
  const monthlyFen = F.bandFen[i]!;
  t?.push({ scheme: 'allowance', check: 'band', passed: true, reason: `${age} 周岁属于 ${band} 周岁年龄段，每月 ${yuan(monthlyFen)}`, parameter: P.monthlyFen as Resolved });
  return F.bandDecision[i]!;
}

const NO_LTCI: LtciDecision = Object.freeze({ eligible: false, homeCareHoursPerWeek: 0, fundShareHome: null, fundShareInstitution: null, institutionDailyLimitFen: null }) as LtciDecision;

export function ltciRule(f: PersonFacts, age: number, g: number, b: Bundle, t: Trace): LtciDecision {
  const P = b.ltci;
  const F = b.fast;
  if (gate(IDX.ltci, f, b, P.inForce, t)) return NO_LTCI;
  if (!ageCheck(IDX.ltci, age, f, b, P.minAge, t)) return NO_LTCI;
  const insured = f.insurance === 'employee' ? F.insured[0] : f.insurance === 'resident' ? F.insured[1] : false;
  if (!insured) {
    if (t) {
      const types = (P.insuredTypes?.value as string[] | undefined) ?? [];
      t.push({
        scheme: 'ltci',
        check: 'insurance',
        passed: false,
        reason: f.insurance === null ? '未参加职工医保或城乡居民医保' : `参保类型 ${f.insurance} 不在长护险参保范围内`,
        hint: `参加${types.map((x) => INSURANCE_NAMES[x] ?? x).join('或')}后可申请`,
        ...(P.insuredTypes ? { parameter: P.insuredTypes } : {}),
      });
    }
    return NO_LTCI;
  }
  t?.push({ scheme: 'ltci', check: 'insurance', passed: true, reason: `参加${INSURANCE_NAMES[f.insurance as string] ?? f.insurance}`, parameter: P.insuredTypes as Resolved });
  if (gradeCheck(IDX.ltci, f, g, b, P.minGrade, t) === NONE) return NO_LTCI;
  const hours = F.ltciHours[g]!;
  if (hours === NONE) {
    t?.push({ scheme: 'ltci', check: 'hours', passed: false, reason: `参数表中没有照护 ${g} 级的服务时长`, ...(P.homeCareHoursPerWeek ? { parameter: P.homeCareHoursPerWeek } : {}) });
    return NO_LTCI;
  }
  t?.push({ scheme: 'ltci', check: 'hours', passed: true, reason: `照护 ${g} 级，社区居家照护每周 ${hours} 小时`, parameter: P.homeCareHoursPerWeek as Resolved });
  const limit = F.ltciLimit[g] === NONE ? null : F.ltciLimit[g]!;
  const shareHome = F.shareHome === NONE ? null : F.shareHome;
  const shareInst = F.shareInst === NONE ? null : F.shareInst;
  if (t && shareHome !== null) t.push({ scheme: 'ltci', check: 'fundShareHome', passed: true, reason: `居家照护费用由长护险基金支付 ${pct(shareHome)}`, parameter: P.fundShareHome as Resolved });
  if (t && shareInst !== null && limit !== null) {
    t.push({ scheme: 'ltci', check: 'institution', passed: true, reason: `入住定点养老机构：基金支付 ${pct(shareInst)}，每日限额 ${yuan(limit)}`, parameter: P.institutionDailyLimitFen as Resolved });
  }
  return F.ltciDecision[g]!;
}

const NO_SUBSIDY: SubsidyDecision = Object.freeze({ eligible: false, monthlyFen: 0 }) as SubsidyDecision;

export function subsidyRule(f: PersonFacts, age: number, g: number, b: Bundle, t: Trace): SubsidyDecision {
  const P = b.serviceSubsidy;
  const F = b.fast;
  if (gate(IDX.serviceSubsidy, f, b, P.inForce, t)) return NO_SUBSIDY;
  if (!hukouCheck(IDX.serviceSubsidy, f, b, P.hukouScope, t)) return NO_SUBSIDY;
  if (!ageCheck(IDX.serviceSubsidy, age, f, b, P.minAge, t)) return NO_SUBSIDY;
  const e = econIndex(f.economic);
  if (!F.subEcon[e]) {
    if (t) {
      const statuses = (P.economicStatuses?.value as string[] | undefined) ?? [];
      t.push({
        scheme: 'serviceSubsidy',
        check: 'economic',
        passed: false,
        reason: `经济状况为“${ECONOMIC_NAMES[f.economic]}”，本补贴面向${statuses.map((s) => ECONOMIC_NAMES[s as Economic] ?? s).join('、')}家庭老人`,
        hint: '经民政部门认定为低保或低收入家庭后可申请（以民政救助信息系统为准）',
        ...(P.economicStatuses ? { parameter: P.economicStatuses } : {}),
      });
    }
    return NO_SUBSIDY;
  }
  t?.push({ scheme: 'serviceSubsidy', check: 'economic', passed: true, reason: `经济状况为“${ECONOMIC_NAMES[f.economic]}”`, parameter: P.economicStatuses as Resolved });
  if (gradeCheck(IDX.serviceSubsidy, f, g, b, P.minGrade, t) === NONE) return NO_SUBSIDY;
  const amount = F.subFen[g * ECONOMIC_STATUSES.length + e]!;
  if (amount === NONE) {
    t?.push({ scheme: 'serviceSubsidy', check: 'amount', passed: false, reason: `参数表中没有照护 ${g} 级、${ECONOMIC_NAMES[f.economic]}的补贴标准`, ...(P.monthlyFen ? { parameter: P.monthlyFen } : {}) });
    return NO_SUBSIDY;
  }
  t?.push({ scheme: 'serviceSubsidy', check: 'amount', passed: true, reason: `照护 ${g} 级、${ECONOMIC_NAMES[f.economic]}：每月 ${yuan(amount)} 服务补贴（以服务形式提供）`, parameter: P.monthlyFen as Resolved });
  return F.subDecision[g * ECONOMIC_STATUSES.length + e]!;
}

const NO_BED: BasicBedDecision = Object.freeze({ eligible: false, tier: null, tierLabel: null }) as BasicBedDecision;

function tierMatches(c: FastCondition, f: PersonFacts, age: number, g: number): boolean {
  if (c.econ !== null && !c.econ[econIndex(f.economic)]) return false;
  if (age < c.minAge) return false;
  if (c.alone && f.living !== 'alone') return false;
  if (c.pref && !f.preferentialCare) return false;
  if (c.fps && !f.familyPlanningSpecial) return false;
  if (c.minGrade !== NONE && (g === NONE || g < c.minGrade)) return false;
  return true;
}

export function basicBedRule(f: PersonFacts, age: number, g: number, b: Bundle, t: Trace): BasicBedDecision {
  const P = b.basicBed;
  if (gate(IDX.basicBed, f, b, P.inForce, t)) return NO_BED;
  if (!hukouCheck(IDX.basicBed, f, b, P.hukouScope, t)) return NO_BED;
  if (!ageCheck(IDX.basicBed, age, f, b, P.minAge, t)) return NO_BED;
  const tiers = b.fast.tiers;
  for (let k = 0; k < tiers.length; k++) {
    const tier = tiers[k]!;
    const conds = tier.conds;
    for (let j = 0; j < conds.length; j++) {
      if (tierMatches(conds[j]!, f, age, g)) {
        t?.push({ scheme: 'basicBed', check: 'tier', passed: true, reason: `符合第 ${tier.tier} 优先层级：${tier.label}`, parameter: P.priorityTiers as Resolved });
        return tier.decision;
      }
    }
  }
  if (t) {
    gradeCheck(IDX.basicBed, f, g, b, P.minGrade, t);
    t.push({ scheme: 'basicBed', check: 'tier', passed: false, reason: '不属于任何优先轮候层级', ...(P.priorityTiers ? { parameter: P.priorityTiers } : {}) });
  }
  return NO_BED;
}

const NO_FLAGS: VisitingDecision = Object.freeze({ livingAlone: false, advancedAge: false, elderlyOnly: false }) as VisitingDecision;
const ALONE: VisitingDecision = Object.freeze({ livingAlone: true, advancedAge: false, elderlyOnly: false }) as VisitingDecision;
const ALONE_OLD: VisitingDecision = Object.freeze({ livingAlone: true, advancedAge: true, elderlyOnly: false }) as VisitingDecision;
const ELDERLY_ONLY: VisitingDecision = Object.freeze({ livingAlone: false, advancedAge: false, elderlyOnly: true }) as VisitingDecision;
const ELDERLY_ONLY_OLD: VisitingDecision = Object.freeze({ livingAlone: false, advancedAge: true, elderlyOnly: true }) as VisitingDecision;
const OLD: VisitingDecision = Object.freeze({ livingAlone: false, advancedAge: true, elderlyOnly: false }) as VisitingDecision;

export function visitingRule(f: PersonFacts, age: number, _g: number, b: Bundle, t: Trace): VisitingDecision {
  const P = b.visiting;
  if (gate(IDX.visiting, f, b, P.inForce, t)) return NO_FLAGS;
  if (!ageCheck(IDX.visiting, age, f, b, P.minAge, t)) return NO_FLAGS;
  const high = b.fast.advancedAge;
  const advancedAge = high !== NONE && age >= high;
  const livingAlone = f.living === 'alone';
  const elderlyOnly = f.living === 'elderly_only';
  if (t) {
    if (P.advancedAge) t.push({ scheme: 'visiting', check: 'advancedAge', passed: advancedAge, reason: advancedAge ? `${age} 周岁，属高龄老人` : `${age} 周岁，未满 ${high} 周岁`, parameter: P.advancedAge });
    t.push({ scheme: 'visiting', check: 'living', passed: livingAlone || elderlyOnly, reason: livingAlone ? '独居' : elderlyOnly ? '纯老家庭' : f.living ? '非独居、非纯老家庭' : '未登记居住状况' });
  }
  return livingAlone ? (advancedAge ? ALONE_OLD : ALONE) : elderlyOnly ? (advancedAge ? ELDERLY_ONLY_OLD : ELDERLY_ONLY) : advancedAge ? OLD : NO_FLAGS;
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
export function paramRegion(f: PersonFacts, rootCode: string, rootPrefix = scopePrefix(rootCode)): string {
  if (f.hukouDistrict !== null && f.hukouDistrict.startsWith(rootPrefix)) return f.hukouDistrict;
  if (f.residenceDistrict && f.residenceDistrict.startsWith(rootPrefix)) return f.residenceDistrict;
  return rootCode;
}

/** What makes two bundles the same: the date, the next change and the row behind every parameter. */
function signature(b: Bundle): string {
  const parts: string[] = [b.asOf, b.nextParameterChange ?? '-'];
  for (const s of SCHEMES) for (const p of Object.values(b[s])) parts.push(p ? `${p.scope}@${p.from}` : '-');
  return parts.join('|');
}

export function createEngine(set: ParameterSet, o: EngineOptions): Engine {
  const rootPrefix = scopePrefix(o.rootCode);
  // Bundles by date, then by region: one lookup per person, no key built.
  const byDate = new Map<string, Map<string, Bundle>>();
  let lastDate = '';
  let lastMap = new Map<string, Bundle>();
  let lastRegion = '';
  let lastBundle: Bundle | null = null;
  const shared = new Map<string, Bundle>();
  const bundle = (region: string, asOf: LocalDate): Bundle => {
    if (asOf !== lastDate) {
      let m = byDate.get(asOf);
      if (!m) {
        m = new Map();
        byDate.set(asOf, m);
      }
      lastDate = asOf;
      lastMap = m;
    }
    if (region === lastRegion && lastBundle !== null && lastBundle.asOf === asOf) return lastBundle;
    let b = lastMap.get(region);
    if (!b) {
      // Regions whose parameters come from the same rows share one bundle (fewer objects, warmer caches).
      const fresh = bundleFor(set, region, asOf);
      const sig = signature(fresh);
      b = shared.get(sig) ?? fresh;
      shared.set(sig, b);
      lastMap.set(region, b);
    }
    lastRegion = region;
    lastBundle = b;
    return b;
  };
  return {
    set,
    bundle,
    evaluate(f, asOf, explain = false) {
      const region = paramRegion(f, o.rootCode, rootPrefix);
      const b = bundle(region, asOf);
      const t: Trace = explain ? [] : null;
      const age = ageOn(f.birthDate, asOf);
      const g = validGrade(f, asOf) ?? NONE;
      return {
        age,
        allowance: allowanceRule(f, age, g, b, t),
        ltci: ltciRule(f, age, g, b, t),
        serviceSubsidy: subsidyRule(f, age, g, b, t),
        basicBed: basicBedRule(f, age, g, b, t),
        visiting: visitingRule(f, age, g, b, t),
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

/**
 * The next day on which a person's decisions may change without any event: their next birthday
 * (ages are whole years), the day after their care grade ends, the day a future grade starts, or
 * a parameter change of their region. Stored as `due_on` and recomputed then.
 */
export function dueOn(f: PersonFacts, asOf: LocalDate, age: number, b: Bundle): LocalDate {
  let next = addYears(f.birthDate, age + 1);
  const consider = (d: LocalDate | null | undefined) => {
    if (d && d > asOf && d < next) next = d;
  };
  if (f.careGradeValidUntil) consider(addDays(f.careGradeValidUntil, 1));
  consider(f.careGradeValidFrom);
  consider(b.nextParameterChange);
  return next;
}
