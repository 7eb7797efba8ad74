// Assessment instruments as data, and ONE generic interpreter that scores any instrument the data
// describes (issue 4 §1). Nothing here knows GB/T 42195-2022: its items, cut-offs and adjustment
// rules live in policy/instruments/gbt42195-2022.json. Pure: no I/O, no clock (CONVENTIONS §3),
// no numeric literals but 0 and 1 (§10) — every number comes from the instrument.
//
// The interpreter's order of work (README.md "Rules"):
//   1. validate the request: known fields only, every item answered with one of its options
//      (GB/T 42195-2022 Annex B), every declared input of the right type;
//   2. sum the items into dimensions (C.1) and the total (C.2);
//   3. map the total to the preliminary level through the cut-offs (C.3);
//   4. adjustments (C.4 → C.5), in the instrument's order:
//      a. override rules (`setLevel`, e.g. coma): the first that applies sets the level and is the
//         only adjustment listed; the raise rules are not evaluated;
//      b. otherwise every raise rule that applies is listed, and the level rises by the largest
//         raise ('single' stacking) or by their sum ('cumulative'), capped at the top level.

import { AppError, err, ok, type ErrorDetail, type Result } from '../core/index.ts';

// ---- instrument data (the JSON in policy/instruments/) ----

export type Confidence = 'high' | 'medium' | 'low';

/** Where a value comes from and how sure we are of it (CONVENTIONS §8). */
export interface Cited {
  reference: string;
  confidence: Confidence;
  note?: string;
}

export type ParamValue = string | number | boolean;
/** A named parameter of the instrument: an unclear point of the standard, decided in data. */
export interface InstrumentParameter extends Cited {
  description: string;
  value: ParamValue;
  allowed?: ParamValue[];
}
/** A value written in place, or a reference to one of the instrument's parameters. */
export type ParamRef = { param: string };
export type Valued<T> = T | ParamRef;

export interface InstrumentOption {
  score: number;
  label: string;
}

export interface InstrumentItem extends Cited {
  /** The key of the item in a request's `answers` ("1" … "26" for GB/T 42195-2022). */
  key: string;
  /** Our identifier (`eating`), not part of the standard. */
  code: string;
  annex: string;
  dimension: string;
  name: string;
  definition?: string;
  options: InstrumentOption[];
}

export interface InstrumentDimension extends Cited {
  code: string;
  name: string;
  annex?: string;
  /** Stated maximum; checked against the sum of its items' highest options. */
  max: number;
}

export interface InstrumentLevel extends Cited {
  level: number;
  code: string;
  /** The name used in results (`轻度失能`). */
  name: string;
  /** The name as the standard writes it (`能力轻度受损（轻度失能）`). */
  standardName?: string;
  /** Inclusive total-score range that gives this preliminary level. */
  minTotal: number;
  maxTotal: number;
}

export type StackingMode = 'single' | 'cumulative';
export type EventCounting = 'sum' | 'maxPerType';

/** Facts beside the item answers that adjustment rules read (`coma`, `diagnoses`, …). */
export type InputSpec = Cited & { name: string; label: string } & (
  | { type: 'flag' }
  | { type: 'codes'; codeSystem: 'ICD-10' }
  | { type: 'eventCount'; eventTypes: { code: string; name: string }[]; counting: Valued<EventCounting> }
);

export type Condition =
  /** The flag input is true. */
  | { test: 'flag'; input: string }
  /** Some code of the codes input falls in one of the inclusive category ranges. Reason placeholder `{codes}`. */
  | { test: 'codeInRanges'; input: string; ranges: { from: string; to: string; label?: string }[] }
  /** The count input is at least `value`. Reason placeholder `{value}`. */
  | { test: 'atLeast'; input: string; value: Valued<number> };

export type Effect = { setLevel: Valued<number> } | { raise: Valued<number> };

export interface AdjustmentRule extends Cited {
  code: string;
  clause?: string;
  when: Condition;
  effect: Effect;
  /** Chinese reason; `{codes}` / `{value}` are filled from what matched. */
  reason: string;
}

export interface InstrumentData extends Cited {
  id: string;
  version: string;
  name: string;
  nameEn?: string;
  standard?: string;
  /** First day this version applies (YYYY-MM-DD). */
  effectiveFrom: string;
  /**
   * First day it no longer applies (half-open `[effectiveFrom, effectiveTo)`); absent: until the
   * next version of the same id starts, or open-ended. See `versionInForce`.
   */
  effectiveTo?: string;
  lastCheckedOn: string;
  parameters: Record<string, InstrumentParameter>;
  raiseStacking: Valued<StackingMode>;
  dimensions: InstrumentDimension[];
  maxTotal: Cited & { value: number };
  items: InstrumentItem[];
  levels: InstrumentLevel[];
  inputs: InputSpec[];
  adjustments: AdjustmentRule[];
}

// ---- data errors ----

export interface InstrumentIssue {
  path: string;
  message: string;
}

/** Instrument data that breaks an invariant. A broken instrument is never used to score. */
export class InstrumentDataError extends AppError {
  readonly issues: readonly InstrumentIssue[];

  constructor(label: string, issues: readonly InstrumentIssue[]) {
    const first = issues[0];
    const shown = first ? `${first.path}: ${first.message}` : 'no detail';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super('INTERNAL', `Invalid instrument data (${label}): ${shown}${more}`, issues as ErrorDetail[]);
    this.name = 'InstrumentDataError';
    this.issues = issues;
  }
}

// ---- the compiled instrument ----

export interface InstrumentRef {
  id: string;
  version: string;
}

type InputValue = boolean | readonly string[] | number;
interface Match {
  codes?: readonly string[];
  value?: number;
}
interface CompiledInput {
  name: string;
  parse: (raw: unknown) => { value: InputValue } | { error: ScoreError };
}
interface CompiledRule {
  code: string;
  input: number;
  test: (v: InputValue) => Match | null;
  reason: (m: Match) => string;
  amount: number;
}

/** An instrument checked and turned into look-up tables for the interpreter. Immutable. */
export interface Instrument {
  readonly ref: InstrumentRef;
  readonly data: InstrumentData;
  /** @internal look-up tables built by compileInstrument. */
  readonly plan: Plan;
}

interface Plan {
  keys: string[];
  itemDim: number[];
  /** allowed[i][score] === true when score is an option of item i. */
  allowed: boolean[][];
  dimCodes: string[];
  /** Preliminary level for every total 0 … maxTotal. */
  levelOf: number[];
  levelNames: string[];
  topLevel: number;
  fields: Set<string>;
  inputs: CompiledInput[];
  overrides: CompiledRule[];
  raises: CompiledRule[];
  cumulative: boolean;
}

// ---- scoring request and result ----

/** A request: `answers` keyed by item key, plus the instrument's declared inputs (all optional). */
export interface ScoreRequest {
  readonly answers?: unknown;
  readonly [input: string]: unknown;
}

export interface Adjustment {
  code: string;
  reason: string;
}

export interface ScoreResult {
  instrument: InstrumentRef;
  /** Dimension code → score, in the instrument's dimension order. */
  dimensions: Record<string, number>;
  total: number;
  preliminaryLevel: number;
  level: number;
  levelName: string;
  adjustments: Adjustment[];
}

export type ScoreErrorCode = 'unknown_field' | 'invalid_answers' | 'unknown_item' | 'missing_item' | 'invalid_score' | 'invalid_field';

export interface ScoreError {
  code: ScoreErrorCode;
  /** Chinese, shown to the assessor / agency. */
  message: string;
  /** Field path, e.g. `answers.12`, `diagnoses[0]`. */
  path: string;
}

// ---- checking and compiling instrument data ----

const ICD_CATEGORY = /^[A-Z]\d\d$/;
// ICD-10 code: a three-character category, optionally a dot and up to 8 sub-characters
// (国家临床版 codes such as F03.x00 are accepted, case-insensitively).
const ICD_CODE = /^([A-Z]\d\d)(?:\.[0-9A-Z]{1,8})?$/;
const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;
const PLACEHOLDERS_OF: Record<Condition['test'], readonly string[]> = { flag: [], codeInRanges: ['codes'], atLeast: ['value'] };
const INPUT_TYPE_OF: Record<Condition['test'], InputSpec['type']> = { flag: 'flag', codeInRanges: 'codes', atLeast: 'eventCount' };
const STACKING: readonly StackingMode[] = ['single', 'cumulative'];
const COUNTING: readonly EventCounting[] = ['sum', 'maxPerType'];

const isRef = (v: unknown): v is ParamRef => typeof v === 'object' && v !== null && 'param' in v;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

/**
 * Every invariant of instrument data that the shape alone does not give: each item in a known
 * dimension, option scores unique non-negative integers, stated maxima equal to the sums, cut-offs
 * covering 0 … maxTotal without gap or overlap and never giving a better level to a lower total,
 * adjustment rules that name known inputs, levels and parameters. Empty when the data is sound.
 */
export function checkInstrument(data: InstrumentData): InstrumentIssue[] {
  const issues: InstrumentIssue[] = [];
  const issue = (path: string, message: string) => issues.push({ path, message });

  if (data.effectiveTo !== undefined && data.effectiveTo <= data.effectiveFrom) {
    issue('effectiveTo', `effectiveTo ${data.effectiveTo} must be after effectiveFrom ${data.effectiveFrom}`);
  }

  // parameters
  for (const [name, p] of Object.entries(data.parameters)) {
    if (p.allowed && !p.allowed.includes(p.value)) issue(`parameters.${name}`, `value ${JSON.stringify(p.value)} is not one of ${JSON.stringify(p.allowed)}`);
  }
  const resolve = (v: unknown, path: string): unknown => {
    if (!isRef(v)) return v;
    const p = data.parameters[v.param];
    if (!p) {
      issue(path, `unknown parameter ${JSON.stringify(v.param)}`);
      return undefined;
    }
    return p.value;
  };
  const stacking = resolve(data.raiseStacking, 'raiseStacking');
  if (stacking !== undefined && !STACKING.includes(stacking as StackingMode)) issue('raiseStacking', `must be one of ${STACKING.join(', ')}, got ${JSON.stringify(stacking)}`);

  // dimensions and items
  const dimCodes = data.dimensions.map((d) => d.code);
  for (const d of duplicates(dimCodes)) issue('dimensions', `duplicate dimension ${d}`);
  for (const k of duplicates(data.items.map((i) => i.key))) issue('items', `duplicate item key ${k}`);
  for (const c of duplicates(data.items.map((i) => i.code))) issue('items', `duplicate item code ${c}`);
  if (data.items.length === 0) issue('items', 'an instrument needs at least one item');
  const dimSum = new Map<string, number>(dimCodes.map((c) => [c, 0]));
  let itemSum = 0;
  data.items.forEach((item, i) => {
    const path = `items[${i}] (${item.key})`;
    if (!dimSum.has(item.dimension)) issue(path, `unknown dimension ${JSON.stringify(item.dimension)}`);
    if (item.options.length <= 1) issue(path, 'an item needs at least two options');
    for (const o of item.options) if (!isCount(o.score)) issue(path, `option score ${JSON.stringify(o.score)} is not a non-negative integer`);
    for (const s of duplicates(item.options.map((o) => String(o.score)))) issue(path, `option score ${s} appears more than once`);
    for (const l of duplicates(item.options.map((o) => o.label))) issue(path, `option label ${JSON.stringify(l)} appears more than once`);
    const max = Math.max(0, ...item.options.map((o) => o.score));
    itemSum += max;
    const dim = dimSum.get(item.dimension);
    if (dim !== undefined) dimSum.set(item.dimension, dim + max);
  });
  data.dimensions.forEach((d, i) => {
    const sum = dimSum.get(d.code) ?? 0;
    if (!data.items.some((item) => item.dimension === d.code)) issue(`dimensions[${i}] (${d.code})`, 'no item belongs to this dimension');
    else if (sum !== d.max) issue(`dimensions[${i}] (${d.code})`, `stated max ${d.max} but its items' highest options sum to ${sum}`);
  });
  if (data.maxTotal.value !== itemSum) issue('maxTotal', `stated ${data.maxTotal.value} but the items' highest options sum to ${itemSum}`);

  // levels and cut-offs
  const maxTotal = itemSum;
  for (const c of duplicates(data.levels.map((l) => l.code))) issue('levels', `duplicate level code ${c}`);
  for (const n of duplicates(data.levels.map((l) => l.name))) issue('levels', `duplicate level name ${n}`);
  if (data.levels.length === 0) issue('levels', 'an instrument needs at least one level');
  const claims = new Array<number>(maxTotal + 1).fill(0);
  data.levels.forEach((l, i) => {
    const path = `levels[${i}] (${l.code})`;
    if (l.level !== i) issue(path, `levels must be numbered 0, 1, … in order; expected ${i}, got ${l.level}`);
    if (!Number.isSafeInteger(l.minTotal) || !Number.isSafeInteger(l.maxTotal) || l.minTotal > l.maxTotal) {
      issue(path, `bad range ${l.minTotal}–${l.maxTotal}`);
      return;
    }
    if (l.minTotal < 0 || l.maxTotal > maxTotal) issue(path, `range ${l.minTotal}–${l.maxTotal} is outside 0–${maxTotal}`);
    for (let t = Math.max(0, l.minTotal); t <= Math.min(maxTotal, l.maxTotal); t++) claims[t] = (claims[t] ?? 0) + 1;
    const better = data.levels[i - 1];
    if (better && Number.isSafeInteger(better.minTotal) && l.maxTotal >= better.minTotal) {
      issue(path, `a higher level must need a lower total: ${l.minTotal}–${l.maxTotal} is not below level ${better.level}'s ${better.minTotal}–${better.maxTotal}`);
    }
  });
  for (const [from, to, n] of runs(claims)) {
    if (n === 0) issue('levels', `no level covers total ${from === to ? from : `${from}–${to}`}`);
    else if (n > 1) issue('levels', `total ${from === to ? from : `${from}–${to}`} is covered by ${n} levels`);
  }

  // inputs
  const inputs = new Map(data.inputs.map((s) => [s.name, s]));
  for (const n of duplicates(data.inputs.map((s) => s.name))) issue('inputs', `duplicate input ${n}`);
  data.inputs.forEach((s, i) => {
    const path = `inputs[${i}] (${s.name})`;
    if (s.name === 'answers') issue(path, '"answers" is reserved for the item answers');
    if (s.type === 'eventCount') {
      for (const c of duplicates(s.eventTypes.map((e) => e.code))) issue(path, `duplicate event type ${c}`);
      const counting = resolve(s.counting, `${path}.counting`);
      if (counting !== undefined && !COUNTING.includes(counting as EventCounting)) issue(`${path}.counting`, `must be one of ${COUNTING.join(', ')}, got ${JSON.stringify(counting)}`);
    }
  });

  // adjustments
  for (const c of duplicates(data.adjustments.map((a) => a.code))) issue('adjustments', `duplicate adjustment ${c}`);
  data.adjustments.forEach((a, i) => {
    const path = `adjustments[${i}] (${a.code})`;
    const spec = inputs.get(a.when.input);
    if (!spec) issue(`${path}.when`, `unknown input ${JSON.stringify(a.when.input)}`);
    else if (spec.type !== INPUT_TYPE_OF[a.when.test]) issue(`${path}.when`, `test ${a.when.test} needs a ${INPUT_TYPE_OF[a.when.test]} input, ${a.when.input} is ${spec.type}`);
    if (a.when.test === 'codeInRanges') {
      if (a.when.ranges.length === 0) issue(`${path}.when`, 'no ranges');
      for (const r of a.when.ranges) {
        if (!ICD_CATEGORY.test(r.from) || !ICD_CATEGORY.test(r.to) || r.from > r.to) issue(`${path}.when`, `bad code range ${r.from}–${r.to}`);
      }
    }
    if (a.when.test === 'atLeast') {
      const v = resolve(a.when.value, `${path}.when.value`);
      if (v !== undefined && !isCount(v)) issue(`${path}.when.value`, `must be a non-negative integer, got ${JSON.stringify(v)}`);
    }
    if ('setLevel' in a.effect) {
      const v = resolve(a.effect.setLevel, `${path}.effect.setLevel`);
      if (v !== undefined && !(isCount(v) && v < data.levels.length)) issue(`${path}.effect.setLevel`, `no level ${JSON.stringify(v)}`);
    } else {
      const v = resolve(a.effect.raise, `${path}.effect.raise`);
      if (v !== undefined && !(isCount(v) && v > 0)) issue(`${path}.effect.raise`, `must be a positive integer, got ${JSON.stringify(v)}`);
    }
    for (const [, name] of a.reason.matchAll(PLACEHOLDER)) {
      if (!PLACEHOLDERS_OF[a.when.test].includes(name!)) issue(`${path}.reason`, `placeholder {${name}} is not available to test ${a.when.test}`);
    }
  });
  return issues;
}

/** Consecutive runs of equal values: [from, to, value]. */
function runs(values: readonly number[]): [number, number, number][] {
  const out: [number, number, number][] = [];
  values.forEach((v, i) => {
    const last = out[out.length - 1];
    if (last && last[2] === v) last[1] = i;
    else out.push([i, i, v]);
  });
  return out;
}

/** Check instrument data and build its look-up tables; throws InstrumentDataError when broken. */
export function compileInstrument(data: InstrumentData): Instrument {
  const issues = checkInstrument(data);
  if (issues.length > 0) throw new InstrumentDataError(`${data.id}@${data.version}`, issues);
  const param = <T>(v: Valued<T>): T => (isRef(v) ? (data.parameters[v.param]!.value as T) : v);

  const dimCodes = data.dimensions.map((d) => d.code);
  // Dense boolean rows (no holes), so a look-up never leaves the array.
  const allowed = data.items.map((item) => {
    const row = new Array<boolean>(Math.max(...item.options.map((o) => o.score)) + 1).fill(false);
    for (const o of item.options) row[o.score] = true;
    return row;
  });
  const levelOf: number[] = [];
  for (const l of data.levels) for (let t = l.minTotal; t <= l.maxTotal; t++) levelOf[t] = l.level;

  const inputs = data.inputs.map((s) => compileInput(s, param));
  const inputIndex = new Map(data.inputs.map((s, i) => [s.name, i]));
  const rules = data.adjustments.map((a): { set: boolean; rule: CompiledRule } => {
    const set = 'setLevel' in a.effect;
    return {
      set,
      rule: {
        code: a.code,
        input: inputIndex.get(a.when.input)!,
        test: compileTest(a.when, param),
        reason: compileReason(a.reason),
        amount: 'setLevel' in a.effect ? param(a.effect.setLevel) : param(a.effect.raise),
      },
    };
  });
  const plan: Plan = {
    keys: data.items.map((i) => i.key),
    itemDim: data.items.map((i) => dimCodes.indexOf(i.dimension)),
    allowed,
    dimCodes,
    levelOf,
    levelNames: data.levels.map((l) => l.name),
    topLevel: data.levels.length - 1,
    fields: new Set(['answers', ...data.inputs.map((s) => s.name)]),
    inputs,
    overrides: rules.filter((r) => r.set).map((r) => r.rule),
    raises: rules.filter((r) => !r.set).map((r) => r.rule),
    cumulative: param(data.raiseStacking) === 'cumulative',
  };
  const ref = Object.freeze({ id: data.id, version: data.version });
  return Object.freeze({ ref, data, plan });
}

function compileInput(s: InputSpec, param: <T>(v: Valued<T>) => T): CompiledInput {
  const fail = (message: string, path: string = s.name) => ({ error: { code: 'invalid_field' as const, message, path } });
  const what = `${s.name}（${s.label}）`;
  switch (s.type) {
    case 'flag':
      return {
        name: s.name,
        parse: (raw) => (raw === undefined ? { value: false } : typeof raw === 'boolean' ? { value: raw } : fail(`${what}必须是 true 或 false`)),
      };
    case 'codes':
      return {
        name: s.name,
        parse: (raw) => {
          if (raw === undefined) return { value: [] };
          if (!Array.isArray(raw)) return fail(`${what}必须是 ${s.codeSystem} 编码的数组`);
          const codes: string[] = [];
          for (let i = 0; i < raw.length; i++) {
            const c: unknown = raw[i];
            const norm = typeof c === 'string' ? c.trim().toUpperCase() : '';
            if (!ICD_CODE.test(norm)) return fail(`${what}第 ${i + 1} 项 ${JSON.stringify(c)} 不是有效的 ${s.codeSystem} 编码`, `${s.name}[${i}]`);
            codes.push(norm);
          }
          return { value: codes };
        },
      };
    case 'eventCount': {
      const types = new Set(s.eventTypes.map((e) => e.code));
      const byMax = param(s.counting) === 'maxPerType';
      const shape = `${what}必须是非负整数，或按类型（${s.eventTypes.map((e) => `${e.code} ${e.name}`).join('、')}）计数的对象`;
      return {
        name: s.name,
        parse: (raw) => {
          if (raw === undefined) return { value: 0 };
          if (isCount(raw)) return { value: raw };
          if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(shape);
          let n = 0;
          for (const [k, v] of Object.entries(raw)) {
            if (!types.has(k)) return fail(`${what}的类型 ${JSON.stringify(k)} 未知；${shape}`, `${s.name}.${k}`);
            if (!isCount(v)) return fail(`${what}的 ${k} 必须是非负整数`, `${s.name}.${k}`);
            n = byMax ? Math.max(n, v) : n + v;
          }
          return { value: n };
        },
      };
    }
  }
}

function compileTest(c: Condition, param: <T>(v: Valued<T>) => T): (v: InputValue) => Match | null {
  switch (c.test) {
    case 'flag':
      return (v) => (v === true ? {} : null);
    case 'codeInRanges': {
      const ranges = c.ranges.map((r) => [r.from, r.to] as const);
      return (v) => {
        const codes = (v as readonly string[]).filter((code) => {
          const cat = ICD_CODE.exec(code)![1]!;
          return ranges.some(([from, to]) => cat >= from && cat <= to);
        });
        return codes.length > 0 ? { codes: [...new Set(codes)] } : null;
      };
    }
    case 'atLeast': {
      const min = param(c.value);
      return (v) => ((v as number) >= min ? { value: v as number } : null);
    }
  }
}

function compileReason(template: string): (m: Match) => string {
  return (m) => template.replace(PLACEHOLDER, (_, name: string) => (name === 'codes' ? m.codes!.join('、') : String(m.value)));
}

// ---- the interpreter ----

const fieldError = (code: ScoreErrorCode, message: string, path: string): Result<never, ScoreError> => err({ code, message, path });

/**
 * Score one request with an instrument. Generic: everything instrument-specific comes from the
 * compiled tables. Returns the first problem of an invalid request (fields, then unknown items,
 * then items in the instrument's order, then inputs in declared order).
 */
export function score(instrument: Instrument, request: ScoreRequest): Result<ScoreResult, ScoreError> {
  const p = instrument.plan;
  for (const k in request) {
    if (!p.fields.has(k)) return fieldError('unknown_field', `未知字段 ${JSON.stringify(k)}（可用字段：${[...p.fields].join('、')}）`, k);
  }
  const answers = request.answers;
  if (answers === undefined) return fieldError('invalid_answers', '缺少 answers（各项目的分值）', 'answers');
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) return fieldError('invalid_answers', 'answers 必须是以项目编号为键、分值为值的对象', 'answers');
  const a = answers as Record<string, unknown>;

  const keys = p.keys;
  const n = keys.length;
  const sums = new Array<number>(p.dimCodes.length).fill(0);
  let total = 0;
  let given = 0;
  for (const _ in a) given++;
  // More keys than items means some own key is not an item (inherited keys are not answers).
  if (given > n) {
    const unknown = unknownItem(p, a);
    if (unknown) return err(unknown);
  }
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    const v = a[key];
    if (typeof v === 'number' && p.allowed[i]![v] === true) {
      sums[p.itemDim[i]!]! += v;
      total += v;
      continue;
    }
    // Slow path: an unknown key is reported before a missing one, so a misspelt key reads as
    // unknown rather than as the item it was meant to be.
    const unknown = unknownItem(p, a);
    if (unknown) return err(unknown);
    if (!Object.hasOwn(a, key)) return fieldError('missing_item', `缺少项目 ${key} 的分值`, `answers.${key}`);
    return fieldError('invalid_score', `项目 ${key} 的分值 ${JSON.stringify(v)} 不是该项目的选项`, `answers.${key}`);
  }

  const values: InputValue[] = [];
  for (const input of p.inputs) {
    const r = input.parse(request[input.name]);
    if ('error' in r) return err(r.error);
    values.push(r.value);
  }

  const preliminaryLevel = p.levelOf[total]!;
  let level = preliminaryLevel;
  const adjustments: Adjustment[] = [];
  let overridden = false;
  for (const rule of p.overrides) {
    const m = rule.test(values[rule.input]!);
    if (m) {
      level = rule.amount;
      adjustments.push({ code: rule.code, reason: rule.reason(m) });
      overridden = true;
      break;
    }
  }
  if (!overridden) {
    let delta = 0;
    for (const rule of p.raises) {
      const m = rule.test(values[rule.input]!);
      if (m) {
        delta = p.cumulative ? delta + rule.amount : Math.max(delta, rule.amount);
        adjustments.push({ code: rule.code, reason: rule.reason(m) });
      }
    }
    level = Math.min(p.topLevel, preliminaryLevel + delta);
  }

  const dimensions: Record<string, number> = {};
  for (let d = 0; d < sums.length; d++) dimensions[p.dimCodes[d]!] = sums[d]!;
  return ok({ instrument: instrument.ref, dimensions, total, preliminaryLevel, level, levelName: p.levelNames[level]!, adjustments });
}

/** The first key of `answers` (in its own order) that is not an item, or null. */
function unknownItem(p: Plan, a: Record<string, unknown>): ScoreError | null {
  const known = new Set(p.keys);
  for (const k of Object.keys(a)) {
    if (!known.has(k)) return { code: 'unknown_item', message: `项目 ${k} 不是该量表的项目`, path: `answers.${k}` };
  }
  return null;
}

/** `gbt42195-2022@1.0.0`. */
export const instrumentLabel = (ref: InstrumentRef): string => `${ref.id}@${ref.version}`;

// ---- which version applies on a date ----

/** A version's period of application, from its data: `[effectiveFrom, effectiveTo)`. */
export interface InstrumentPeriod {
  ref: InstrumentRef;
  effectiveFrom: string;
  effectiveTo?: string;
}

export const periodOf = (data: InstrumentData): InstrumentPeriod => ({
  ref: { id: data.id, version: data.version },
  effectiveFrom: data.effectiveFrom,
  ...(data.effectiveTo !== undefined ? { effectiveTo: data.effectiveTo } : {}),
});

const byStart = (periods: readonly InstrumentPeriod[]): InstrumentPeriod[] =>
  [...periods].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));

/**
 * The versions of one instrument must form a sequence (CONVENTIONS §9): one id, distinct versions,
 * distinct start dates, and an explicit end never after the next version's start (no overlap). A
 * version without an end runs until the next one starts. Empty when sound.
 */
export function checkVersionPeriods(periods: readonly InstrumentPeriod[]): InstrumentIssue[] {
  const issues: InstrumentIssue[] = [];
  const ids = new Set(periods.map((p) => p.ref.id));
  if (ids.size > 1) issues.push({ path: 'id', message: `versions of different instruments: ${[...ids].join(', ')}` });
  for (const v of duplicates(periods.map((p) => p.ref.version))) issues.push({ path: 'version', message: `version ${v} appears more than once` });
  const sorted = byStart(periods);
  sorted.forEach((p, i) => {
    const next = sorted[i + 1];
    if (!next) return;
    const path = `${p.ref.id}@${p.ref.version}`;
    if (next.effectiveFrom === p.effectiveFrom) issues.push({ path, message: `starts on ${p.effectiveFrom} like version ${next.ref.version}` });
    else if (p.effectiveTo !== undefined && p.effectiveTo > next.effectiveFrom) {
      issues.push({ path, message: `ends on ${p.effectiveTo}, after version ${next.ref.version} starts on ${next.effectiveFrom}` });
    }
  });
  return issues;
}

export interface NoVersionInForce {
  code: 'no_version_in_force';
  /** Chinese. */
  message: string;
}

/**
 * The version of an instrument in force on `asOf` (a local date, YYYY-MM-DD): the one that started
 * last on or before `asOf` and has not ended (its `effectiveTo`, or the next version's start).
 * Before the first version, or in a gap after an explicit end, there is none: an error value,
 * never a silent fallback to another version.
 */
export function versionInForce(periods: readonly InstrumentPeriod[], asOf: string): Result<InstrumentPeriod, NoVersionInForce> {
  const started = byStart(periods).filter((p) => p.effectiveFrom <= asOf);
  const last = started[started.length - 1];
  if (last && (last.effectiveTo === undefined || asOf < last.effectiveTo)) return ok(last);
  const id = periods[0]?.ref.id ?? '';
  return err({ code: 'no_version_in_force', message: `评估量表 ${id} 在 ${asOf} 没有生效的版本` });
}
