// Benchmark of assessment scoring (issue 4 "Performance"): 1,000,000 generated answer sets scored
// through the generic interpreter (src/assessment/model.ts, driven by the instrument data) and
// through a hand-written scoring loop for GB/T 42195-2022 with the same checks, in the same run.
// Goal: the interpreter within 2× of the hand-written loop, and 1M scored in under 2 s on one core.
//
//   npx tsx bench/assess.ts              → prints {interpreterMs, handWrittenMs, ratio, perSecond, …}
//   runAssessBench() from bench/run.ts   → the same object
//
// The answer sets are deterministic (mulberry32, seed 42): a pool of distinct sets, each scored
// the same number of times by both loops; about 10% carry a diagnosis, 5% risk events, 1% coma
// and 0.5% an invalid score, so every path of both scorers runs. Before timing, both scorers'
// outputs are compared on the whole pool, so the baseline is known to do the same work.
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { mulberry32 } from '../src/core/ids.ts';
import { loadInstrument, score, type Instrument, type ScoreRequest } from '../src/assessment/index.ts';

const TOTAL = Number(process.env.BENCH_ASSESS_N ?? 1_000_000);
const POOL = Number(process.env.BENCH_ASSESS_POOL ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ASSESS_ROUNDS ?? 5);

/** Deterministic answer sets: a latent ability per person, each item near it. */
export function generateRequests(instrument: Instrument, n: number, seed = 42): ScoreRequest[] {
  const random = mulberry32(seed);
  const items = instrument.data.items.map((i) => ({ key: i.key, scores: i.options.map((o) => o.score).sort((a, b) => a - b) }));
  const dx = ['F03.9', 'F01', 'G30', 'I10', 'F20.0', 'E11'];
  const out: ScoreRequest[] = [];
  for (let p = 0; p < n; p++) {
    const ability = random();
    const answers: Record<string, number> = {};
    for (const it of items) {
      const pos = Math.min(it.scores.length - 1, Math.max(0, Math.round((ability + (random() - 0.5) * 0.4) * (it.scores.length - 1))));
      answers[it.key] = it.scores[pos]!;
    }
    if (random() < 0.005) answers['12'] = 4; // not an option of item 12
    const req: Record<string, unknown> = { answers };
    const r = random();
    if (r < 0.1) req.diagnoses = [dx[Math.floor(random() * dx.length)]!];
    else if (r < 0.15) req.riskEvents30d = Math.floor(random() * 4);
    else if (r < 0.16) req.coma = true;
    out.push(req);
  }
  return out;
}

// ---- the hand-written baseline: GB/T 42195-2022 in code, same checks and same output ----

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21', '22', '23', '24', '25', '26'];
const MAX = [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 4, 4, 4, 4, 4, 4, 1, 1, 2, 2, 2, 4, 3, 4];
const DIM = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3];
const NAMES = ['能力完好', '轻度失能', '中度失能', '重度失能', '完全失能'];
const FIELDS = new Set(['answers', 'coma', 'diagnoses', 'riskEvents30d']);
const ICD = /^([A-Z]\d\d)(?:\.[0-9A-Z]{1,8})?$/;
const REF = { id: 'gbt42195-2022', version: '1.0.0' };

type Out = ReturnType<typeof score>;
const fail = (code: string, message: string, path: string) => ({ ok: false as const, error: { code, message, path } }) as Out;

export function handWrittenScore(req: ScoreRequest): Out {
  for (const k in req) if (!FIELDS.has(k)) return fail('unknown_field', `未知字段 ${JSON.stringify(k)}（可用字段：answers、coma、diagnoses、riskEvents30d）`, k);
  const a = req.answers as Record<string, unknown>;
  if (typeof a !== 'object' || a === null || Array.isArray(a)) return fail('invalid_answers', 'answers', 'answers');
  let given = 0;
  for (const _ in a) given++;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let i = 0; i < 26; i++) {
    const v = a[KEYS[i]!];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX[i]!) {
      for (const k of Object.keys(a)) if (!KEYS.includes(k)) return fail('unknown_item', `项目 ${k} 不是该量表的项目`, `answers.${k}`);
      if (!Object.hasOwn(a, KEYS[i]!)) return fail('missing_item', `缺少项目 ${KEYS[i]} 的分值`, `answers.${KEYS[i]}`);
      return fail('invalid_score', `项目 ${KEYS[i]} 的分值 ${JSON.stringify(v)} 不是该项目的选项`, `answers.${KEYS[i]}`);
    }
    const d = DIM[i];
    if (d === 0) s0 += v;
    else if (d === 1) s1 += v;
    else if (d === 2) s2 += v;
    else s3 += v;
  }
  if (given > 26) for (const k of Object.keys(a)) if (!KEYS.includes(k)) return fail('unknown_item', `项目 ${k} 不是该量表的项目`, `answers.${k}`);
  const coma = req.coma ?? false;
  if (typeof coma !== 'boolean') return fail('invalid_field', 'coma', 'coma');
  const dx = (req.diagnoses ?? []) as unknown[];
  if (!Array.isArray(dx)) return fail('invalid_field', 'diagnoses', 'diagnoses');
  const fCodes: string[] = [];
  for (const c of dx) {
    const norm = typeof c === 'string' ? c.trim().toUpperCase() : '';
    const m = ICD.exec(norm);
    if (!m) return fail('invalid_field', 'diagnoses', 'diagnoses');
    if (m[1]! >= 'F00' && m[1]! <= 'F99' && !fCodes.includes(norm)) fCodes.push(norm);
  }
  const risk = req.riskEvents30d ?? 0;
  if (typeof risk !== 'number' || !Number.isSafeInteger(risk) || risk < 0) return fail('invalid_field', 'riskEvents30d', 'riskEvents30d');
  const total = s0 + s1 + s2 + s3;
  const pre = total === 90 ? 0 : total >= 66 ? 1 : total >= 46 ? 2 : total >= 30 ? 3 : 4;
  let level = pre;
  const adjustments: { code: string; reason: string }[] = [];
  if (coma) {
    level = 4;
    adjustments.push({ code: 'coma', reason: '处于昏迷状态者，直接评定为能力完全丧失' });
  } else {
    let raise = 0;
    if (fCodes.length > 0) {
      raise = 1;
      adjustments.push({ code: 'diagnosis', reason: `确诊 ${fCodes.join('、')}，提高一个级别` });
    }
    if (risk >= 2) {
      raise = 1;
      adjustments.push({ code: 'riskEvents', reason: `近30天内发生 ${risk} 次照护风险事件，提高一个级别` });
    }
    level = Math.min(4, pre + raise);
  }
  return {
    ok: true,
    value: { instrument: REF, dimensions: { selfCare: s0, mobility: s1, mental: s2, perception: s3 }, total, preliminaryLevel: pre, level, levelName: NAMES[level]!, adjustments },
  };
}

function time(fn: () => number): { ms: number; check: number } {
  const t0 = performance.now();
  const check = fn();
  return { ms: performance.now() - t0, check };
}

export async function runAssessBench(): Promise<Record<string, unknown>> {
  const instrument = await loadInstrument('gbt42195-2022');
  const pool = generateRequests(instrument, Math.min(POOL, TOTAL));
  for (const req of pool) {
    const a = score(instrument, req);
    const b = handWrittenScore(req);
    if (!isDeepStrictEqual(a.ok ? a.value : a.error.code, b.ok ? b.value : b.error.code)) {
      throw new Error(`the two scorers disagree on ${JSON.stringify(req)}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  }
  const invalid = pool.filter((r) => !score(instrument, r).ok).length;
  // Both loops fold every result into a checksum so the work cannot be optimised away.
  const interpreter = () => {
    let sum = 0;
    for (let i = 0; i < TOTAL; i++) {
      const r = score(instrument, pool[i % pool.length]!);
      sum += r.ok ? r.value.level + r.value.total : -1;
    }
    return sum;
  };
  const handWritten = () => {
    let sum = 0;
    for (let i = 0; i < TOTAL; i++) {
      const r = handWrittenScore(pool[i % pool.length]!);
      sum += r.ok ? r.value.level + r.value.total : -1;
    }
    return sum;
  };
  const runs = { interpreter: [] as number[], handWritten: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate, so neither loop always runs warmer.
    const a = time(interpreter);
    const b = time(handWritten);
    if (a.check !== b.check) throw new Error(`checksums differ: ${a.check} vs ${b.check}`);
    runs.interpreter.push(a.ms);
    runs.handWritten.push(b.ms);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  const interpreterMs = Math.round(median(runs.interpreter));
  const handWrittenMs = Math.round(median(runs.handWritten));
  return {
    instrument: `${instrument.ref.id}@${instrument.ref.version}`,
    answerSets: TOTAL,
    distinctSets: pool.length,
    invalidShare: Math.round((invalid / pool.length) * 10000) / 10000,
    rounds: ROUNDS,
    interpreterMs,
    handWrittenMs,
    ratio: Math.round((interpreterMs / handWrittenMs) * 100) / 100,
    perSecond: Math.round(TOTAL / (interpreterMs / 1000)),
    goal: { ratioAtMost: 2, msAtMost: 2000 },
    met: interpreterMs / handWrittenMs <= 2 && interpreterMs < 2000,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(await runAssessBench()) + '\n');
}
