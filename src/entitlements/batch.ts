// The JSON Lines contract of `yiyang entitle --as-of DATE` (issue 5 §8), one line at a time.
// Pure: the CLI (src/cli/entitle.ts) streams stdin through `entitleLine`.
//
// In:  {"id":"p1","birthDate":"1950-03-02","hukouDistrict":"310115","insurance":"employee"|"resident"|null,
//       "careGrade":0–6|null,"careGradeValidUntil":"2026-01-01"|null,"economic":"none"|"dibao"|"low_income"|"tekun",
//       "deathDate":null}
// Out: {"id":"p1","age":74,"allowance":{"eligible","band","monthlyFen"},"ltci":{"eligible","homeCareHoursPerWeek"},
//       "basicBed":{"eligible","tier"},"serviceSubsidy":{"eligible","monthlyFen"},
//       "visiting":{"livingAlone","advancedAge","elderlyOnly"},"parameterVersion","explanation":[…]}
//   or {"id":…,"error":{"code","message"}}.
// Decisions beyond the issue's text (README.md "Batch CLI"): absent optional fields mean null
// ("economic" absent means "none"; "insurance": "none" means null); a hukou code may be given at
// street or committee level (its first six digits are the district); a birth date after the as-of
// date, or a death before birth, is an error of that field; optional facts the contract does not
// name (`livingArrangement`, `preferentialCare`, `familyPlanningSpecial`, `residenceDistrict`,
// `careGradeValidFrom`) are read when present.

import { errorLine, parseJsonLine, tryParseLocalDate, type LineOutcome, type LocalDate } from '../core/index.ts';
import { ECONOMIC_STATUSES, LIVING, type Economic, type Engine, type Insurance, type Living, type PersonFacts, type Step } from './model.ts';

export type EntitleErrorCode =
  | 'invalid_birth_date'
  | 'invalid_death_date'
  | 'invalid_hukou_district'
  | 'invalid_residence_district'
  | 'invalid_insurance'
  | 'invalid_care_grade'
  | 'invalid_care_grade_valid_until'
  | 'invalid_care_grade_valid_from'
  | 'invalid_economic'
  | 'invalid_living_arrangement'
  | 'invalid_flag';

export class FactsError extends Error {
  constructor(
    readonly code: EntitleErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const MAX_GRADE = 6;
const DISTRICT = /^\d{6}(?:\d{3}){0,2}$/;
const COUNTY_DIGITS = 6;
const absent = (v: unknown) => v === undefined || v === null;
const show = (v: unknown) => JSON.stringify(v);

function date(v: unknown, code: EntitleErrorCode, label: string): LocalDate | null {
  if (absent(v)) return null;
  const d = typeof v === 'string' ? tryParseLocalDate(v) : null;
  if (!d) throw new FactsError(code, `${label} ${show(v)} 无效`);
  return d;
}

function district(v: unknown, code: EntitleErrorCode, label: string): string | null {
  if (absent(v)) return null;
  if (typeof v !== 'string' || !DISTRICT.test(v.trim())) throw new FactsError(code, `${label} ${show(v)} 无效（应为 6 位行政区划代码）`);
  return v.trim().slice(0, COUNTY_DIGITS);
}

function flag(v: unknown, label: string): boolean {
  if (absent(v)) return false;
  if (typeof v !== 'boolean') throw new FactsError('invalid_flag', `${label} ${show(v)} 无效（应为 true 或 false）`);
  return v;
}

/** Read and check the facts of one line; throws FactsError naming the field at fault. */
export function readFacts(x: Record<string, unknown>, asOf: LocalDate): PersonFacts {
  if (absent(x.birthDate)) throw new FactsError('invalid_birth_date', '缺少出生日期 birthDate');
  const birthDate = date(x.birthDate, 'invalid_birth_date', '出生日期') as LocalDate;
  if (birthDate > asOf) throw new FactsError('invalid_birth_date', `出生日期 ${birthDate} 晚于查询日期 ${asOf}`);
  const hukouDistrict = district(x.hukouDistrict, 'invalid_hukou_district', '户籍区代码');
  const residenceDistrict = district(x.residenceDistrict, 'invalid_residence_district', '居住区代码');

  let insurance: Insurance = null;
  if (!absent(x.insurance) && x.insurance !== 'none') {
    if (x.insurance !== 'employee' && x.insurance !== 'resident') {
      throw new FactsError('invalid_insurance', `参保类型 ${show(x.insurance)} 无效（应为 "employee"、"resident" 或 null）`);
    }
    insurance = x.insurance;
  }

  let careGrade: number | null = null;
  if (!absent(x.careGrade)) {
    const g = x.careGrade;
    if (typeof g !== 'number' || !Number.isInteger(g) || g < 0 || g > MAX_GRADE) {
      throw new FactsError('invalid_care_grade', `照护等级 ${show(g)} 无效（应为 0–${MAX_GRADE} 的整数或 null）`);
    }
    careGrade = g;
  }
  const careGradeValidUntil = date(x.careGradeValidUntil, 'invalid_care_grade_valid_until', '照护等级有效期');
  const careGradeValidFrom = date(x.careGradeValidFrom, 'invalid_care_grade_valid_from', '照护等级生效日期');

  let economic: Economic = 'none';
  if (!absent(x.economic)) {
    if (!(ECONOMIC_STATUSES as readonly unknown[]).includes(x.economic)) {
      throw new FactsError('invalid_economic', `经济状况 ${show(x.economic)} 无效（应为 "none"、"dibao"、"low_income" 或 "tekun"）`);
    }
    economic = x.economic as Economic;
  }

  const deathDate = date(x.deathDate, 'invalid_death_date', '死亡日期');
  if (deathDate && deathDate < birthDate) throw new FactsError('invalid_death_date', `死亡日期 ${deathDate} 早于出生日期 ${birthDate}`);

  let living: Living | null = null;
  if (!absent(x.livingArrangement)) {
    if (!(LIVING as readonly unknown[]).includes(x.livingArrangement)) {
      throw new FactsError('invalid_living_arrangement', `居住状况 ${show(x.livingArrangement)} 无效（应为 ${LIVING.map((l) => `"${l}"`).join('、')}）`);
    }
    living = x.livingArrangement as Living;
  }

  return {
    birthDate,
    hukouDistrict,
    residenceDistrict,
    insurance,
    careGrade,
    careGradeValidFrom,
    careGradeValidUntil,
    economic,
    deathDate,
    living,
    preferentialCare: flag(x.preferentialCare, '重点优抚对象 preferentialCare'),
    familyPlanningSpecial: flag(x.familyPlanningSpecial, '计划生育特殊家庭 familyPlanningSpecial'),
  };
}

/** An explanation step as the CLI and the API print it: the citation in one line. */
export function stepJson(s: Step): Record<string, unknown> {
  const out: Record<string, unknown> = { scheme: s.scheme, check: s.check, passed: s.passed, reason: s.reason };
  if (s.hint) out.hint = s.hint;
  const p = s.parameter;
  if (p) {
    const c = p.citation;
    out.parameter = {
      name: `${p.scheme}.${p.name}`,
      label: p.label,
      ...(p.unit === 'tiers' ? {} : { value: p.value }),
      unit: p.unit,
      scope: p.scope,
      scopeName: p.scopeName,
      level: p.level,
      from: p.from,
      to: p.to,
      source: `${c.document}${c.number ? `（${c.number}）` : ''} ${c.article}`,
      citation: { document: c.document, number: c.number, article: c.article, ...(c.url ? { url: c.url } : {}) },
      ...(c.url ? { url: c.url } : {}),
      confidence: p.confidence,
    };
  }
  return out;
}

/** Decide one input line as of `asOf`. */
export function entitleLine(engine: Engine, asOf: LocalDate, text: string, lineNo: number): LineOutcome {
  const p = parseJsonLine(text, lineNo);
  if (!p.ok) return p.outcome;
  let facts: PersonFacts;
  try {
    facts = readFacts(p.fields, asOf);
  } catch (e) {
    if (e instanceof FactsError) return errorLine(p.id, e.code, e.message);
    throw e;
  }
  const r = engine.evaluate(facts, asOf, true);
  return {
    line: JSON.stringify({
      id: p.id,
      age: r.age,
      allowance: { eligible: r.allowance.eligible, band: r.allowance.band, monthlyFen: r.allowance.monthlyFen },
      ltci: { eligible: r.ltci.eligible, homeCareHoursPerWeek: r.ltci.homeCareHoursPerWeek },
      basicBed: { eligible: r.basicBed.eligible, tier: r.basicBed.tier },
      serviceSubsidy: { eligible: r.serviceSubsidy.eligible, monthlyFen: r.serviceSubsidy.monthlyFen },
      visiting: r.visiting,
      parameterVersion: r.parameterVersion,
      explanation: (r.explanation ?? []).map(stepJson),
    }),
    ok: true,
  };
}
