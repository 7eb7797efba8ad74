import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreLine } from './batch.ts';
import { loadInstrument } from './instruments.ts';
import { checkInstrument, checkVersionPeriods, compileInstrument, InstrumentDataError, periodOf, score, versionInForce, type InstrumentPeriod, type Instrument, type InstrumentData, type ScoreRequest, type ScoreResult } from './model.ts';

const shipped = await loadInstrument('gbt42195-2022');
const clone = (): InstrumentData => structuredClone(shipped.data);

/** The shipped instrument with some parameters changed (a rule case's `parameters`). */
function withParameters(params: Record<string, string | number | boolean>): Instrument {
  const data = clone();
  for (const [name, value] of Object.entries(params)) {
    if (!data.parameters[name]) throw new Error(`unknown parameter ${name}`);
    data.parameters[name].value = value;
  }
  return compileInstrument(data);
}

// ---- rule cases: test/rules/assessment/*.json ----

interface RuleCase {
  name: string;
  parameters?: Record<string, string | number | boolean>;
  input: string | Record<string, unknown>;
  output: string | Record<string, unknown>;
}
interface RuleFile {
  description: string;
  instrument: string;
  cases: RuleCase[];
}

const RULES_DIR = new URL('../../test/rules/assessment/', import.meta.url);
const ruleFiles = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f, JSON.parse(readFileSync(new URL(f, RULES_DIR), 'utf8')) as RuleFile] as const);

describe('rule cases (test/rules/assessment)', () => {
  it('has the four case files', () => {
    expect(ruleFiles.map(([f]) => f)).toEqual(['adjustments.json', 'cut-offs.json', 'examples.json', 'invalid-lines.json']);
  });

  for (const [file, rules] of ruleFiles) {
    describe(file, () => {
      it('names every case uniquely', () => {
        const names = rules.cases.map((c) => c.name);
        expect(new Set(names).size).toBe(names.length);
      });
      for (const c of rules.cases) {
        it(c.name, async () => {
          const instrument = c.parameters ? withParameters(c.parameters) : await loadInstrument(rules.instrument);
          const line = typeof c.input === 'string' ? c.input : JSON.stringify(c.input);
          const expected = typeof c.output === 'string' ? c.output : JSON.stringify(c.output);
          const out = scoreLine(instrument, line, 1);
          // Byte for byte, key order included.
          expect(out.line).toBe(expected);
          expect(out.ok).toBe(!('error' in JSON.parse(expected)));
          // The interpreter behind the line gives the same result and names the instrument version.
          if (out.ok) {
            const { id: _id, ...request } = JSON.parse(line.replace(/^\uFEFF/, '')) as Record<string, unknown>;
            const r = score(instrument, request);
            expect(r.ok && r.value.instrument).toEqual({ id: 'gbt42195-2022', version: '1.0.0' });
          }
        });
      }
    });
  }

  it('covers every cut-off on both sides', () => {
    const totals = ruleFiles
      .find(([f]) => f === 'cut-offs.json')![1]
      .cases.map((c) => (c.output as { total: number }).total);
    for (const l of shipped.data.levels) {
      expect(totals).toContain(l.minTotal);
      expect(totals).toContain(l.maxTotal);
    }
  });
});

// ---- the interpreter, directly ----

const FULL: Record<string, number> = Object.fromEntries(shipped.data.items.map((i) => [i.key, Math.max(...i.options.map((o) => o.score))]));
const ok = (instrument: Instrument, req: ScoreRequest): ScoreResult => {
  const r = score(instrument, req);
  if (!r.ok) throw new Error(`expected a result, got ${JSON.stringify(r.error)}`);
  return r.value;
};
const fails = (instrument: Instrument, req: ScoreRequest) => {
  const r = score(instrument, req);
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.error;
};

describe('score', () => {
  it('names the instrument and version it scored with', () => {
    expect(ok(shipped, { answers: FULL }).instrument).toEqual({ id: 'gbt42195-2022', version: '1.0.0' });
  });

  it('gives an error path a form can point at', () => {
    expect(fails(shipped, { answers: { ...FULL, '12': 4 } })).toEqual({ code: 'invalid_score', message: '项目 12 的分值 4 不是该项目的选项', path: 'answers.12' });
    expect(fails(shipped, { answers: FULL, diagnoses: ['F03', 'x'] }).path).toBe('diagnoses[1]');
    expect(fails(shipped, { answers: FULL, riskEvents30d: { fall: -1 } }).path).toBe('riskEvents30d.fall');
  });

  it('reports an unknown item when there are more keys than items', () => {
    expect(fails(shipped, { answers: { ...FULL, extra: 1 } })).toMatchObject({ code: 'unknown_item', path: 'answers.extra' });
  });

  it('ignores inherited enumerable keys of answers built in code', () => {
    const more = Object.create({ a: 1, b: 2 }) as Record<string, number>;
    Object.assign(more, FULL);
    expect(ok(shipped, { answers: more }).total).toBe(90);
  });

  it('treats an own "__proto__" key of parsed JSON as an unknown item', () => {
    const answers = JSON.parse(`{"__proto__":1,${JSON.stringify(FULL).slice(1)}`) as Record<string, unknown>;
    expect(fails(shipped, { answers })).toMatchObject({ code: 'unknown_item', path: 'answers.__proto__' });
  });

  it('lists the override alone: coma with dementia and risk events', () => {
    const r = ok(shipped, { answers: FULL, coma: true, diagnoses: ['F03'], riskEvents30d: 9 });
    expect(r.adjustments.map((a) => a.code)).toEqual(['coma']);
    expect(r.level).toBe(4);
  });

  it('sums per-type risk events with riskEventCounting sum, takes the largest with maxPerType', () => {
    const events = { fall: 1, wandering: 1, choking: 0, selfHarm: 0, other: 1 };
    expect(ok(shipped, { answers: FULL, riskEvents30d: events }).adjustments).toEqual([{ code: 'riskEvents', reason: '近30天内发生 3 次照护风险事件，提高一个级别' }]);
    expect(ok(withParameters({ riskEventCounting: 'maxPerType' }), { answers: FULL, riskEvents30d: events }).adjustments).toEqual([]);
    expect(ok(shipped, { answers: FULL, riskEvents30d: {} }).adjustments).toEqual([]);
  });

  it('reads the risk-event threshold from its parameter', () => {
    const three = withParameters({ riskEventThreshold: 3 });
    expect(ok(three, { answers: FULL, riskEvents30d: 2 }).level).toBe(0);
    expect(ok(three, { answers: FULL, riskEvents30d: 3 }).level).toBe(1);
  });

  it('is generic: a different instrument described by data scores without code changes', () => {
    const tiny: InstrumentData = {
      ...clone(),
      id: 'tiny',
      version: '0.1',
      parameters: { stack: { description: 'd', value: 'cumulative', reference: 'r', confidence: 'low' } },
      raiseStacking: { param: 'stack' },
      dimensions: [{ code: 'body', name: '身体', max: 7, reference: 'r', confidence: 'high' }],
      maxTotal: { value: 7, reference: 'r', confidence: 'high' },
      items: [
        { key: 'a', code: 'a', annex: 'x', dimension: 'body', name: 'A', options: [{ score: 5, label: '好' }, { score: 2, label: '中' }, { score: 0, label: '差' }], reference: 'r', confidence: 'high' },
        { key: 'b', code: 'b', annex: 'x', dimension: 'body', name: 'B', options: [{ score: 2, label: '好' }, { score: 0, label: '差' }], reference: 'r', confidence: 'high' },
      ],
      levels: [
        { level: 0, code: 'ok', name: '好', minTotal: 5, maxTotal: 7, reference: 'r', confidence: 'high' },
        { level: 1, code: 'mid', name: '中', minTotal: 2, maxTotal: 4, reference: 'r', confidence: 'high' },
        { level: 2, code: 'bad', name: '差', minTotal: 0, maxTotal: 1, reference: 'r', confidence: 'high' },
      ],
      inputs: [
        { name: 'dx', type: 'codes', codeSystem: 'ICD-10', label: '诊断', reference: 'r', confidence: 'high' },
        { name: 'falls', type: 'eventCount', label: '跌倒', eventTypes: [{ code: 'fall', name: '跌倒' }], counting: 'sum', reference: 'r', confidence: 'high' },
      ],
      adjustments: [
        { code: 'dx', when: { test: 'codeInRanges', input: 'dx', ranges: [{ from: 'G30', to: 'G30' }] }, effect: { raise: 1 }, reason: '诊断 {codes}', reference: 'r', confidence: 'high' },
        { code: 'falls', when: { test: 'atLeast', input: 'falls', value: 1 }, effect: { raise: 1 }, reason: '跌倒 {value} 次', reference: 'r', confidence: 'high' },
      ],
    };
    const t = compileInstrument(tiny);
    expect(ok(t, { answers: { a: 5, b: 2 } })).toEqual({ instrument: { id: 'tiny', version: '0.1' }, dimensions: { body: 7 }, total: 7, preliminaryLevel: 0, level: 0, levelName: '好', adjustments: [] });
    expect(ok(t, { answers: { a: 2, b: 2 }, dx: ['G30.1'], falls: 1 })).toMatchObject({ total: 4, preliminaryLevel: 1, level: 2, levelName: '差', adjustments: [{ code: 'dx', reason: '诊断 G30.1' }, { code: 'falls', reason: '跌倒 1 次' }] });
    expect(fails(t, { answers: { a: 3, b: 2 } }).message).toBe('项目 a 的分值 3 不是该项目的选项');
    expect(fails(t, { answers: { a: 5, b: 2 }, coma: true }).code).toBe('unknown_field');
  });
});

// ---- properties ----

const answersArb = fc.record(Object.fromEntries(shipped.data.items.map((i) => [i.key, fc.constantFrom(...i.options.map((o) => o.score))])) as Record<string, fc.Arbitrary<number>>);
const extrasArb = fc.record(
  {
    coma: fc.boolean(),
    diagnoses: fc.array(fc.constantFrom('F03.9', 'F00', 'F99', 'F20.0', 'G30', 'I10', 'E11.9', 'f01'), { maxLength: 3 }),
    riskEvents30d: fc.oneof(fc.nat(5), fc.record({ fall: fc.nat(3), choking: fc.nat(3) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);
const paramsArb = fc.record({
  adjustmentStacking: fc.constantFrom('single', 'cumulative'),
  riskEventCounting: fc.constantFrom('sum', 'maxPerType'),
  comaLevel: fc.constantFrom(3, 4),
});
const variants = new Map<string, Instrument>();
const variant = (p: Record<string, string | number>): Instrument => {
  const key = JSON.stringify(p);
  if (!variants.has(key)) variants.set(key, withParameters(p));
  return variants.get(key)!;
};

describe('properties', () => {
  it('a higher score on any item (more able) never gives a higher level, preliminary or final, whatever the adjustments and parameters', () => {
    fc.assert(
      fc.property(answersArb, extrasArb, paramsArb, fc.nat(shipped.data.items.length - 1), (answers, extras, params, i) => {
        const inst = variant(params);
        const item = shipped.data.items[i]!;
        const higher = item.options.map((o) => o.score).filter((s) => s > answers[item.key]!);
        fc.pre(higher.length > 0);
        const before = ok(inst, { answers, ...extras });
        for (const s of higher) {
          const after = ok(inst, { answers: { ...answers, [item.key]: s }, ...extras });
          expect(after.total).toBeGreaterThan(before.total);
          expect(after.preliminaryLevel).toBeLessThanOrEqual(before.preliminaryLevel);
          expect(after.level).toBeLessThanOrEqual(before.level);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('adjustments never lower the level (except a coma level set below the preliminary one), and the level stays within 0–4', () => {
    fc.assert(
      fc.property(answersArb, extrasArb, paramsArb, (answers, extras, params) => {
        const r = ok(variant(params), { answers, ...extras });
        expect(r.level).toBeGreaterThanOrEqual(0);
        expect(r.level).toBeLessThanOrEqual(4);
        if (extras.coma) expect(r.level).toBe(params.comaLevel);
        else expect(r.level).toBeGreaterThanOrEqual(r.preliminaryLevel);
        if (r.adjustments.length === 0) expect(r.level).toBe(r.preliminaryLevel);
        if (extras.coma) expect(r.adjustments.map((a) => a.code)).toEqual(['coma']);
        else expect(r.adjustments.map((a) => a.code)).not.toContain('coma');
      }),
      { numRuns: 300 },
    );
  });

  it('total is the sum of the dimensions, each within its maximum, and the level name is the level\'s', () => {
    fc.assert(
      fc.property(answersArb, extrasArb, (answers, extras) => {
        const r = ok(shipped, { answers, ...extras });
        expect(Object.keys(r.dimensions)).toEqual(['selfCare', 'mobility', 'mental', 'perception']);
        expect(Object.values(r.dimensions).reduce((a, b) => a + b, 0)).toBe(r.total);
        for (const d of shipped.data.dimensions) expect(r.dimensions[d.code]).toBeLessThanOrEqual(d.max);
        expect(r.levelName).toBe(shipped.data.levels[r.level]!.name);
      }),
      { numRuns: 300 },
    );
  });

  it('re-scoring with the same instrument version is deterministic: same instrument, a re-compiled copy, a JSON round trip, any key order', () => {
    const recompiled = compileInstrument(JSON.parse(JSON.stringify(shipped.data)) as InstrumentData);
    fc.assert(
      fc.property(answersArb, extrasArb, (answers, extras) => {
        const req = { answers, ...extras };
        const first = score(shipped, req);
        expect(score(shipped, req)).toEqual(first);
        expect(score(recompiled, JSON.parse(JSON.stringify(req)) as ScoreRequest)).toEqual(first);
        const reversed = Object.fromEntries(Object.entries(answers).reverse());
        expect(score(shipped, { ...extras, answers: reversed })).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });

  it('the interpreter does not change the request or the instrument', () => {
    const data = JSON.stringify(shipped.data);
    fc.assert(
      fc.property(answersArb, extrasArb, (answers, extras) => {
        const req = { answers, ...extras };
        const before = JSON.stringify(req);
        score(shipped, req);
        expect(JSON.stringify(req)).toBe(before);
      }),
      { numRuns: 100 },
    );
    expect(JSON.stringify(shipped.data)).toBe(data);
    expect(Object.isFrozen(shipped)).toBe(true);
  });
});

// ---- checking instrument data ----

/** The issues of the shipped data after `mutate`. */
function issuesAfter(mutate: (d: InstrumentData) => void): string[] {
  const d = clone();
  mutate(d);
  return checkInstrument(d).map((i) => `${i.path}: ${i.message}`);
}

describe('checkInstrument', () => {
  it('finds nothing wrong with the shipped instrument', () => {
    expect(checkInstrument(shipped.data)).toEqual([]);
  });

  it.each<[string, (d: InstrumentData) => void, RegExp]>([
    ['an end not after the start', (d) => (d.effectiveTo = d.effectiveFrom), /effectiveTo: effectiveTo 2022-12-30 must be after effectiveFrom 2022-12-30/],
    ['a parameter value outside its allowed values', (d) => (d.parameters.adjustmentStacking!.value = 'twice'), /parameters\.adjustmentStacking: value "twice" is not one of/],
    ['an unknown parameter', (d) => (d.raiseStacking = { param: 'nope' }), /raiseStacking: unknown parameter "nope"/],
    ['a stacking mode that is not single/cumulative', (d) => (d.raiseStacking = 'double' as never), /raiseStacking: must be one of single, cumulative/],
    ['a duplicate dimension', (d) => d.dimensions.push({ ...d.dimensions[0]! }), /duplicate dimension selfCare/],
    ['a duplicate item key', (d) => (d.items[1]!.key = '1'), /duplicate item key 1/],
    ['a duplicate item code', (d) => (d.items[1]!.code = 'eating'), /duplicate item code eating/],
    ['no items', (d) => (d.items = []), /at least one item/],
    ['an item in an unknown dimension', (d) => (d.items[0]!.dimension = 'spirit'), /items\[0\] \(1\): unknown dimension "spirit"/],
    ['an item with one option', (d) => (d.items[18]!.options = [{ score: 1, label: '未出现' }]), /items\[18\] \(19\): an item needs at least two options/],
    ['a negative option score', (d) => (d.items[0]!.options[4]!.score = -1), /option score -1 is not a non-negative integer/],
    ['a fractional option score', (d) => (d.items[0]!.options[4]!.score = 0.5), /option score 0.5 is not a non-negative integer/],
    ['a repeated option score', (d) => (d.items[0]!.options[4]!.score = 1), /items\[0\] \(1\): option score 1 appears more than once/],
    ['a repeated option label', (d) => (d.items[0]!.options[4]!.label = d.items[0]!.options[3]!.label), /option label .* appears more than once/],
    ['a dimension without items', (d) => d.dimensions.push({ code: 'empty', name: '空', max: 0, reference: 'r', confidence: 'low' }), /dimensions\[4\] \(empty\): no item belongs to this dimension/],
    ['a dimension maximum that is not the sum of its items (item 25 with options 2/1/0)', (d) => (d.items[24]!.options = d.items[24]!.options.slice(1)), /dimensions\[3\] \(perception\): stated max 15 but its items' highest options sum to 14/],
    ['a stated total maximum that is not the sum', (d) => (d.maxTotal.value = 100), /maxTotal: stated 100 but the items' highest options sum to 90/],
    ['a duplicate level code', (d) => (d.levels[1]!.code = 'intact'), /duplicate level code intact/],
    ['a duplicate level name', (d) => (d.levels[1]!.name = '能力完好'), /duplicate level name 能力完好/],
    ['no levels', (d) => (d.levels = []), /at least one level/],
    ['levels out of order', (d) => (d.levels[2]!.level = 7), /levels\[2\] \(moderate\): levels must be numbered 0, 1, … in order; expected 2, got 7/],
    ['an inverted range', (d) => Object.assign(d.levels[2]!, { minTotal: 65, maxTotal: 46 }), /levels\[2\] \(moderate\): bad range 65–46/],
    ['a range beyond the maximum total', (d) => (d.levels[0]!.maxTotal = 95), /levels\[0\] \(intact\): range 90–95 is outside 0–90/],
    ['a gap between cut-offs', (d) => (d.levels[1]!.minTotal = 67), /levels: no level covers total 66/],
    ['a gap of several totals', (d) => (d.levels[4]!.maxTotal = 20), /levels: no level covers total 21–29/],
    ['overlapping cut-offs', (d) => (d.levels[2]!.maxTotal = 66), /levels: total 66 is covered by 2 levels/],
    ['cut-offs that give a worse level a higher total', (d) => {
      Object.assign(d.levels[1]!, { minTotal: 46, maxTotal: 65 });
      Object.assign(d.levels[2]!, { minTotal: 66, maxTotal: 89 });
    }, /levels\[2\] \(moderate\): a higher level must need a lower total/],
    ['a duplicate input', (d) => d.inputs.push({ ...d.inputs[0]! }), /duplicate input coma/],
    ['an input called answers', (d) => (d.inputs[0]!.name = 'answers'), /"answers" is reserved/],
    ['a duplicate event type', (d) => {
      const s = d.inputs[2]!;
      if (s.type === 'eventCount') s.eventTypes.push({ code: 'fall', name: '跌倒' });
    }, /duplicate event type fall/],
    ['an unknown counting mode', (d) => (d.parameters.riskEventCounting = { ...d.parameters.riskEventCounting!, value: 'avg', allowed: undefined }), /counting: must be one of sum, maxPerType, got "avg"/],
    ['a duplicate adjustment', (d) => d.adjustments.push({ ...d.adjustments[0]! }), /duplicate adjustment coma/],
    ['an adjustment on an unknown input', (d) => (d.adjustments[0]!.when = { test: 'flag', input: 'asleep' }), /adjustments\[0\] \(coma\)\.when: unknown input "asleep"/],
    ['a test on the wrong kind of input', (d) => (d.adjustments[0]!.when = { test: 'flag', input: 'diagnoses' }), /test flag needs a flag input, diagnoses is codes/],
    ['a code test without ranges', (d) => (d.adjustments[1]!.when = { test: 'codeInRanges', input: 'diagnoses', ranges: [] }), /\.when: no ranges/],
    ['an inverted code range', (d) => (d.adjustments[1]!.when = { test: 'codeInRanges', input: 'diagnoses', ranges: [{ from: 'F99', to: 'F00' }] }), /bad code range F99–F00/],
    ['a code range that is not ICD-10 categories', (d) => (d.adjustments[1]!.when = { test: 'codeInRanges', input: 'diagnoses', ranges: [{ from: 'F0', to: 'F99' }] }), /bad code range F0–F99/],
    ['a threshold that is not a count', (d) => (d.parameters.riskEventThreshold!.value = 1.5), /when\.value: must be a non-negative integer, got 1.5/],
    ['a coma level that is not a level', (d) => (d.parameters.comaLevel = { ...d.parameters.comaLevel!, value: 5, allowed: undefined }), /effect\.setLevel: no level 5/],
    ['a raise that is not positive', (d) => (d.adjustments[1]!.effect = { raise: 0 }), /effect\.raise: must be a positive integer, got 0/],
    ['a reason placeholder the test does not provide', (d) => (d.adjustments[1]!.reason = '确诊 {value}'), /reason: placeholder \{value\} is not available to test codeInRanges/],
  ])('rejects %s', (_name, mutate, pattern) => {
    const found = issuesAfter(mutate);
    expect(found.some((s) => pattern.test(s)), found.join('\n')).toBe(true);
  });

  it('compileInstrument throws InstrumentDataError naming the first issue and counting the rest', () => {
    const d = clone();
    d.items[0]!.dimension = 'spirit';
    d.maxTotal.value = 1;
    try {
      compileInstrument(d);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InstrumentDataError);
      const x = e as InstrumentDataError;
      expect(x.code).toBe('INTERNAL');
      expect(x.message).toMatch(/^Invalid instrument data \(gbt42195-2022@1\.0\.0\): items\[0\] \(1\): unknown dimension "spirit" \(and \d+ more\)$/);
      expect(x.issues.length).toBeGreaterThan(1);
      expect(x.details).toEqual(x.issues);
    }
  });

  it('a single issue is named without a count', () => {
    expect(() => compileInstrument({ ...clone(), maxTotal: { value: 91, reference: 'r', confidence: 'high' } })).toThrow(/sum to 90$/);
  });

  it('an empty issue list still reads', () => {
    expect(new InstrumentDataError('x', []).message).toBe('Invalid instrument data (x): no detail');
  });
});

describe('the version in force on a date (effectiveFrom / effectiveTo of the data)', () => {
  const v = (version: string, effectiveFrom: string, effectiveTo?: string): InstrumentPeriod => ({
    ref: { id: 't', version }, effectiveFrom, ...(effectiveTo ? { effectiveTo } : {}),
  });
  // 1.0 from 2022-12-30 until 2.0 starts on 2025-07-01; 2.0 withdrawn from 2026-01-01; 3.0 from 2026-03-01.
  const periods = [v('3.0', '2026-03-01'), v('1.0', '2022-12-30'), v('2.0', '2025-07-01', '2026-01-01')];
  it.each([
    ['2022-12-29', null],
    ['2022-12-30', '1.0'],
    ['2025-06-30', '1.0'],
    ['2025-07-01', '2.0'],
    ['2025-12-31', '2.0'],
    ['2026-01-01', null],
    ['2026-02-28', null],
    ['2026-03-01', '3.0'],
    ['2099-01-01', '3.0'],
  ])('on %s → %s', (asOf, version) => {
    const r = versionInForce(periods, asOf);
    if (version) expect(r).toEqual({ ok: true, value: expect.objectContaining({ ref: { id: 't', version } }) });
    else expect(r).toEqual({ ok: false, error: { code: 'no_version_in_force', message: `评估量表 t 在 ${asOf} 没有生效的版本` } });
  });
  it('no versions at all: none in force', () => {
    expect(versionInForce([], '2026-01-01')).toMatchObject({ ok: false, error: { code: 'no_version_in_force' } });
  });
  it('periodOf reads the data; the shipped instrument is in force from its date, open-ended', () => {
    expect(periodOf(shipped.data)).toEqual({ ref: { id: 'gbt42195-2022', version: '1.0.0' }, effectiveFrom: '2022-12-30' });
    expect(periodOf({ ...shipped.data, effectiveTo: '2030-01-01' }).effectiveTo).toBe('2030-01-01');
    expect(versionInForce([periodOf(shipped.data)], '2026-11-29')).toMatchObject({ ok: true });
  });
  it('checks the sequence: one id, distinct versions and start dates, no overlap', () => {
    expect(checkVersionPeriods(periods)).toEqual([]);
    expect(checkVersionPeriods([v('1.0', '2022-12-30', '2025-07-01'), v('2.0', '2025-07-01')])).toEqual([]);
    expect(checkVersionPeriods([v('1.0', '2022-12-30', '2025-07-02'), v('2.0', '2025-07-01')])).toEqual([
      { path: 't@1.0', message: 'ends on 2025-07-02, after version 2.0 starts on 2025-07-01' },
    ]);
    expect(checkVersionPeriods([v('1.0', '2022-12-30'), v('2.0', '2022-12-30')])).toEqual([{ path: 't@1.0', message: 'starts on 2022-12-30 like version 2.0' }]);
    expect(checkVersionPeriods([v('1.0', '2022-12-30'), v('1.0', '2025-07-01')])).toEqual([{ path: 'version', message: 'version 1.0 appears more than once' }]);
    expect(checkVersionPeriods([v('1.0', '2022-12-30'), { ...v('2.0', '2025-07-01'), ref: { id: 'u', version: '2.0' } }])).toEqual([
      { path: 'id', message: 'versions of different instruments: t, u' },
    ]);
  });
});
