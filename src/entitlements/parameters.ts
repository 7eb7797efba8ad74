// Policy parameters as dated, cited, scoped data (issue 5 §1). Pure: files are read by loader.ts.
//
// A file in policy/parameters/ holds one scheme. Each parameter has a unit and rows; each row has
// a scope (a region code: the city 310000, a district 310115, another jurisdiction 330604), an
// effective period `from`…`to` (both inclusive; `to` null = open), a value in the parameter's unit
// and a citation (document, 文号 — null where it was not verified — and article) with a
// confidence mark. `resolve` picks, for a region and a date, the row in force at the most
// specific scope that contains the region.
//
// `checkParameterFiles` is `yiyang policy check`: it rejects overlapping periods, missing
// citations, unit mismatches, values that do not fit their unit, tables with bad keys, and files
// that lack a parameter the rules need (REQUIRED_PARAMETERS, declared next to the rules).

import { z } from 'zod';
import { addDays, isRegionCode, isWithin, regionLevel, tryParseLocalDate, type LocalDate } from '../core/index.ts';

export const UNITS = ['flag', 'region', 'years', 'months', 'meters', 'grade', 'share', 'days', 'fen/month', 'fen/day', 'fen/hour', 'hours/week', 'hours/month', 'choice', 'choice-list', 'tiers'] as const;
export type Unit = (typeof UNITS)[number];
export const TABLE_KEYS = ['ageBand', 'grade', 'gradeEconomic', 'visitKind'] as const;
export type TableKey = (typeof TABLE_KEYS)[number];
export const CONFIDENCE = ['high', 'medium', 'low', 'unverified'] as const;
export type Confidence = (typeof CONFIDENCE)[number];

export const CONFIDENCE_LABELS: Record<Confidence, string> = { high: '高', medium: '中', low: '低', unverified: '未核实' };

const MAX_GRADE = 6;
const MAX_AGE = 150;

const citationSchema = z.strictObject({
  document: z.string(),
  number: z.string().nullable(),
  article: z.string(),
  url: z.string().url().optional(),
});

const rowSchema = z.strictObject({
  scope: z.string(),
  from: z.string(),
  to: z.string().nullable(),
  value: z.unknown(),
  unit: z.string(),
  citation: citationSchema,
  confidence: z.enum(CONFIDENCE),
  note: z.string().optional(),
});

const parameterSchema = z.strictObject({
  name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
  label: z.string().min(1),
  unit: z.enum(UNITS),
  keyedBy: z.enum(TABLE_KEYS).optional(),
  allowed: z.array(z.string().min(1)).min(1).optional(),
  rows: z.array(rowSchema),
});

export const parameterFileSchema = z.strictObject({
  scheme: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
  name: z.string().min(1),
  nameEn: z.string().min(1),
  description: z.string().min(1),
  domainFile: z.string().min(1),
  parameters: z.array(parameterSchema).min(1),
});

export type ParameterFile = z.infer<typeof parameterFileSchema>;
export type ParameterDef = z.infer<typeof parameterSchema>;
export type Citation = z.infer<typeof citationSchema>;

/** A condition of a priority tier (unit `tiers`): every field present must hold. */
export interface TierCondition {
  economic?: string[];
  minGradeParam?: string;
  minAge?: number;
  livingAlone?: boolean;
  preferentialCare?: boolean;
  familyPlanningSpecial?: boolean;
}
export interface TierDef {
  tier: number;
  label: string;
  anyOf: TierCondition[];
}

const tierConditionSchema = z.strictObject({
  economic: z.array(z.enum(['none', 'dibao', 'low_income', 'tekun'])).min(1).optional(),
  minGradeParam: z.string().min(1).optional(),
  minAge: z.number().int().min(0).max(MAX_AGE).optional(),
  livingAlone: z.literal(true).optional(),
  preferentialCare: z.literal(true).optional(),
  familyPlanningSpecial: z.literal(true).optional(),
});
const tiersSchema = z
  .array(z.strictObject({ tier: z.number().int().min(1), label: z.string().min(1), anyOf: z.array(tierConditionSchema).min(1) }))
  .min(1);

/** An age band key: "65-69" or "100+". */
export interface AgeBand {
  label: string;
  min: number;
  max: number | null;
}
const AGE_BAND = /^(\d{1,3})(?:-(\d{1,3})|\+)$/;
export const parseAgeBand = (label: string): AgeBand | null => {
  const m = AGE_BAND.exec(label);
  if (!m) return null;
  const min = Number(m[1]);
  const max = m[2] === undefined ? null : Number(m[2]);
  if (max !== null && max < min) return null;
  return { label, min, max };
};

// ---------------------------------------------------------------------------------------------
// Checking

export interface Problem {
  file: string;
  where: string;
  message: string;
}

/** What the rules need of each scheme: parameter name → unit (and table key). */
export type Requirements = Record<string, Record<string, { unit: Unit; keyedBy?: TableKey }>>;

/** `parameters.1.rows.0.citation` → `minAge.rows[0].citation`. */
function friendlyPath(data: unknown, path: PropertyKey[]): string {
  if (path[0] === 'parameters' && typeof path[1] === 'number') {
    const name = (data as { parameters?: { name?: unknown }[] }).parameters?.[path[1]]?.name;
    const head = typeof name === 'string' ? name : `parameters[${path[1]}]`;
    const rest = path.slice(2).map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
    return head + rest;
  }
  return path.map(String).join('.') || '(文件)';
}

function schemaMessage(i: z.core.$ZodIssue): string {
  const field = String(i.path[i.path.length - 1] ?? '');
  if (i.code === 'invalid_type' && i.message.includes('received undefined')) return `缺少字段 ${field}${field === 'citation' ? '（出处）' : ''}`;
  if (i.code === 'unrecognized_keys') return `未知字段：${i.keys.join('、')}`;
  if (i.code === 'invalid_value') return `取值无效，应为以下之一：${i.values.map((v) => String(v)).join('、')}`;
  if (i.code === 'invalid_type') return `类型不正确（应为 ${i.expected}）`;
  if (i.code === 'invalid_format') return '格式不正确';
  if (i.code === 'too_small' || i.code === 'too_big') return '长度或大小超出范围';
  return '格式有误';
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Why a scalar does not fit a unit, or null when it does. */
function scalarProblem(unit: Unit, v: unknown, def: ParameterDef): string | null {
  switch (unit) {
    case 'flag':
      return typeof v === 'boolean' ? null : '应为 true 或 false';
    case 'region':
      return typeof v === 'string' && isRegionCode(v) ? null : '应为行政区划代码';
    case 'years':
      return isInt(v) && v >= 0 && v <= MAX_AGE ? null : `应为 0–${MAX_AGE} 的整数（年）`;
    case 'grade':
      return isInt(v) && v >= 0 && v <= MAX_GRADE ? null : `应为 0–${MAX_GRADE} 的整数（照护等级）`;
    case 'share':
      return isNum(v) && v >= 0 && v <= 1 ? null : '应为 0–1 之间的比例';
    case 'days':
      return isInt(v) && v >= 0 ? null : '应为非负整数（天）';
    case 'months':
      return isInt(v) && v >= 0 ? null : '应为非负整数（月）';
    case 'meters':
      return isNum(v) && v >= 0 ? null : '应为非负数（米）';
    case 'fen/month':
    case 'fen/day':
    case 'fen/hour':
      return isInt(v) && v >= 0 ? null : '金额应为非负整数（分），不能是元或小数';
    case 'hours/week':
    case 'hours/month':
      return isNum(v) && v >= 0 ? null : '应为非负数（小时）';
    case 'choice':
      return typeof v === 'string' && (def.allowed ?? []).includes(v) ? null : `应为以下之一：${(def.allowed ?? []).join('、')}`;
    case 'choice-list':
      return Array.isArray(v) && v.every((x) => typeof x === 'string' && (def.allowed ?? []).includes(x)) && new Set(v).size === v.length
        ? null
        : `应为不重复的列表，元素取自：${(def.allowed ?? []).join('、')}`;
    case 'tiers': {
      const r = tiersSchema.safeParse(v);
      return r.success ? null : `优先层级格式有误：${r.error.issues[0]?.message ?? ''}`;
    }
  }
}

const GRADE_KEY = /^[0-6]$/;
const GRADE_ECONOMIC_KEY = /^[0-6]:(dibao|low_income|tekun|none)$/;

function tableKeyProblems(keyedBy: TableKey, keys: string[]): string[] {
  const out: string[] = [];
  if (keys.length === 0) return ['表格不能为空'];
  if (keyedBy === 'grade') for (const k of keys) if (!GRADE_KEY.test(k)) out.push(`键 "${k}" 不是照护等级 0–6`);
  if (keyedBy === 'visitKind') for (const k of keys) if (k !== 'care' && k !== 'nursing') out.push(`键 "${k}" 应为 "care"（生活照料）或 "nursing"（临床护理）`);
  if (keyedBy === 'gradeEconomic') for (const k of keys) if (!GRADE_ECONOMIC_KEY.test(k)) out.push(`键 "${k}" 应为 "等级:经济状况"，如 "2:dibao"`);
  if (keyedBy === 'ageBand') {
    const bands: AgeBand[] = [];
    for (const k of keys) {
      const b = parseAgeBand(k);
      if (!b) out.push(`键 "${k}" 不是年龄段（如 "65-69" 或 "100+"）`);
      else bands.push(b);
    }
    bands.sort((a, b) => a.min - b.min);
    for (let i = 1; i < bands.length; i++) {
      const prev = bands[i - 1]!;
      const cur = bands[i]!;
      if (prev.max === null || prev.max >= cur.min) out.push(`年龄段 "${prev.label}" 与 "${cur.label}" 重叠`);
      else if (prev.max + 1 !== cur.min) out.push(`年龄段 "${prev.label}" 与 "${cur.label}" 之间有空档`);
    }
  }
  return out;
}

/** Why a row's value does not fit its parameter, as messages (empty when it fits). */
function valueProblems(def: ParameterDef, value: unknown): string[] {
  if (def.keyedBy) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`应为按 ${def.keyedBy} 取值的表格（对象）`];
    const entries = Object.entries(value as Record<string, unknown>);
    const out = tableKeyProblems(def.keyedBy, entries.map(([k]) => k));
    for (const [k, v] of entries) {
      const p = scalarProblem(def.unit, v, def);
      if (p) out.push(`"${k}" 的值 ${JSON.stringify(v)} ${p}`);
    }
    return out;
  }
  const p = scalarProblem(def.unit, value, def);
  return p ? [`值 ${JSON.stringify(value)} ${p}`] : [];
}

/**
 * Check parameter files: schema, citations, periods, units, values, and — when `requirements`
 * is given — that every parameter the rules use exists with the unit the rules expect.
 * `rootScopes` are the jurisdictions' root codes: each required parameter must have a row at
 * one of them or below.
 */
export function checkParameterFiles(files: { file: string; data: unknown }[], requirements?: Requirements): Problem[] {
  const problems: Problem[] = [];
  const seenSchemes = new Map<string, string>();
  for (const { file, data } of files) {
    const add = (where: string, message: string) => problems.push({ file, where, message });
    const parsed = parameterFileSchema.safeParse(data);
    if (!parsed.success) {
      for (const i of parsed.error.issues) add(friendlyPath(data, i.path), schemaMessage(i));
      const raw = (data as { scheme?: unknown } | null)?.scheme;
      if (typeof raw === 'string') seenSchemes.set(raw, file);
      continue;
    }
    const f = parsed.data;
    if (seenSchemes.has(f.scheme)) add('scheme', `项目 "${f.scheme}" 已在 ${seenSchemes.get(f.scheme)} 中定义`);
    seenSchemes.set(f.scheme, file);
    const names = new Set<string>();
    for (const def of f.parameters) {
      const at = (i: number | null, what: string) => `${def.name}${i === null ? '' : `.rows[${i}]`}${what ? '.' + what : ''}`;
      if (names.has(def.name)) add(at(null, ''), '参数重复定义');
      names.add(def.name);
      if ((def.unit === 'choice' || def.unit === 'choice-list') && !def.allowed) add(at(null, 'allowed'), '选择类参数必须列出 allowed');
      if (def.keyedBy && (def.unit === 'tiers' || def.unit === 'choice-list')) add(at(null, 'keyedBy'), `单位 ${def.unit} 不能按表格取值`);
      if (def.rows.length === 0) add(at(null, 'rows'), '参数没有任何取值行');
      def.rows.forEach((row, i) => {
        if (row.unit !== def.unit) add(at(i, 'unit'), `单位不一致：参数为 "${def.unit}"，此行为 "${row.unit}"`);
        if (!isRegionCode(row.scope)) add(at(i, 'scope'), `"${row.scope}" 不是行政区划代码`);
        const from = tryParseLocalDate(row.from);
        const to = row.to === null ? null : tryParseLocalDate(row.to);
        if (!from) add(at(i, 'from'), `生效日期 "${row.from}" 无效`);
        if (row.to !== null && !to) add(at(i, 'to'), `失效日期 "${row.to}" 无效`);
        if (from && to && to < from) add(at(i, 'to'), `失效日期 ${to} 早于生效日期 ${from}`);
        if (row.citation.document.trim() === '') add(at(i, 'citation.document'), '缺少出处：文件名称');
        if (row.citation.article.trim() === '') add(at(i, 'citation.article'), '缺少出处：条款');
        if (row.citation.number !== null && row.citation.number.trim() === '') add(at(i, 'citation.number'), '文号为空字符串：未核实请写 null');
        for (const m of valueProblems(def, row.value)) add(at(i, 'value'), m);
      });
      // Overlapping periods at the same scope.
      const byScope = new Map<string, { i: number; from: string; to: string | null }[]>();
      def.rows.forEach((row, i) => {
        const list = byScope.get(row.scope) ?? [];
        list.push({ i, from: row.from, to: row.to });
        byScope.set(row.scope, list);
      });
      for (const list of byScope.values()) {
        list.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
        for (let k = 1; k < list.length; k++) {
          const prev = list[k - 1]!;
          const cur = list[k]!;
          if (prev.to === null || prev.to >= cur.from) {
            add(at(cur.i, 'from'), `与 rows[${prev.i}]（${prev.from} 至 ${prev.to ?? '今'}）的有效期重叠`);
          }
        }
      }
    }
    const need = requirements?.[f.scheme];
    if (requirements && !need) add('scheme', `规则引擎没有名为 "${f.scheme}" 的项目`);
    if (need) {
      for (const [name, spec] of Object.entries(need)) {
        const def = f.parameters.find((d) => d.name === name);
        if (!def) add(name, `缺少规则所需的参数 "${name}"（单位 ${spec.unit}）`);
        else if (def.unit !== spec.unit) add(`${name}.unit`, `单位不一致：规则需要 "${spec.unit}"，文件中为 "${def.unit}"`);
        else if ((def.keyedBy ?? null) !== (spec.keyedBy ?? null)) add(`${name}.keyedBy`, `表格键不一致：规则需要 "${spec.keyedBy ?? '无'}"，文件中为 "${def.keyedBy ?? '无'}"`);
      }
    }
  }
  if (requirements) {
    for (const scheme of Object.keys(requirements)) {
      if (!seenSchemes.has(scheme)) problems.push({ file: '(policy/parameters)', where: scheme, message: `缺少项目 "${scheme}" 的参数文件` });
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Resolving

export type ScopeLevel = 'province' | 'city' | 'county' | 'street' | 'committee';

/** A parameter value in force, with where it came from (for explanations). */
export interface Resolved<T = unknown> {
  scheme: string;
  name: string;
  label: string;
  value: T;
  unit: Unit;
  scope: string;
  scopeName: string;
  level: ScopeLevel;
  from: LocalDate;
  to: LocalDate | null;
  citation: Citation;
  confidence: Confidence;
}

interface CompiledRow {
  scope: string;
  from: LocalDate;
  to: LocalDate | null;
  /** Scope depth: more specific scopes win. */
  depth: number;
  resolvedTemplate: Omit<Resolved, never>;
}

export interface ParameterSet {
  /** scheme → parameter → rows, most specific scope first. */
  readonly schemes: ReadonlyMap<string, { file: ParameterFile; params: ReadonlyMap<string, CompiledRow[]> }>;
  /** A version of the whole set (hash of the files), stored with each entitlement. */
  readonly version: string;
}

const DEPTH: Record<ScopeLevel, number> = { province: 1, city: 2, county: 3, street: 4, committee: 5 };

/** Compile checked files. Throws on problems (call checkParameterFiles first for messages). */
export function compileParameters(files: { file: string; data: unknown }[], version: string, scopeName: (code: string) => string = (c) => c): ParameterSet {
  const schemes = new Map<string, { file: ParameterFile; params: Map<string, CompiledRow[]> }>();
  for (const { file, data } of files) {
    const f = parameterFileSchema.parse(data);
    const params = new Map<string, CompiledRow[]>();
    for (const def of f.parameters) {
      const rows: CompiledRow[] = def.rows.map((r) => {
        const level = regionLevel(r.scope) as ScopeLevel;
        return {
          scope: r.scope,
          from: r.from as LocalDate,
          to: r.to as LocalDate | null,
          depth: DEPTH[level],
          resolvedTemplate: {
            scheme: f.scheme,
            name: def.name,
            label: def.label,
            value: Object.freeze(r.value),
            unit: def.unit,
            scope: r.scope,
            scopeName: scopeName(r.scope),
            level,
            from: r.from as LocalDate,
            to: r.to as LocalDate | null,
            citation: r.citation,
            confidence: r.confidence,
          },
        };
      });
      rows.sort((a, b) => b.depth - a.depth);
      params.set(def.name, rows);
    }
    if (schemes.has(f.scheme)) throw new Error(`scheme ${f.scheme} defined twice (${file})`);
    schemes.set(f.scheme, { file: f, params });
  }
  return { schemes, version };
}

/**
 * The value of `scheme.name` in force on `asOf` for `region`: the row at the most specific scope
 * containing the region whose period contains the date; null when none is in force.
 */
export function resolve<T = unknown>(set: ParameterSet, scheme: string, name: string, region: string, asOf: LocalDate): Resolved<T> | null {
  const rows = set.schemes.get(scheme)?.params.get(name);
  if (!rows) return null;
  for (const r of rows) {
    if (r.from > asOf || (r.to !== null && r.to < asOf)) continue;
    if (!isWithin(region, r.scope)) continue;
    return r.resolvedTemplate as Resolved<T>;
  }
  return null;
}

/**
 * The first day after `asOf` on which some parameter of `region` changes: a row starting later,
 * or the day after a row in force ends. Null when nothing is scheduled. A decision made on
 * `asOf` is due to be made again on that day.
 */
export function nextParameterChange(set: ParameterSet, region: string, asOf: LocalDate): LocalDate | null {
  let next: string | null = null;
  for (const s of set.schemes.values()) {
    for (const rows of s.params.values()) {
      for (const r of rows) {
        if (!isWithin(region, r.scope)) continue;
        if (r.from > asOf && (next === null || r.from < next)) next = r.from;
        if (r.to !== null && r.to >= asOf) {
          const after = addDays(r.to, 1);
          if (next === null || after < next) next = after;
        }
      }
    }
  }
  return next as LocalDate | null;
}
