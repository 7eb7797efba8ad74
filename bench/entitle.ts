// Benchmark of the entitlement rules (issue 5 "Performance"): every scheme for 1,000,000 people as
// of one date, through the rules engine (src/entitlements/model.ts, parameters from
// policy/parameters/) and through a hand-written loop with the values as literals
// (test/rules/entitlements/hand.ts), in the same run. Goal: 1M in under 3 s on one core and within
// 3× of the hand-written loop. Also timed: the engine with full explanations (the advisor's view).
//
//   npx tsx bench/entitle.ts             → prints the result object
//   runEntitleBench() from bench/run.ts  → the same object
//
// People are deterministic (mulberry32, seed 7) and cover every path: ages 55–105, 10% without
// Shanghai hukou, 8% dead, a third with a care grade (some expired), 10% on 低保/低收入, 2% 特困.
// Before timing, both loops' results are compared person by person.
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../src/core/ids.ts';
import type { LocalDate } from '../src/core/dates.ts';
import { createEngine, loadParameters, type PersonFacts } from '../src/entitlements/index.ts';
import { handEntitle, type HandResult } from '../test/rules/entitlements/hand.ts';

const TOTAL = Number(process.env.BENCH_ENTITLE_N ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ENTITLE_ROUNDS ?? 5);
const EXPLAIN_N = Number(process.env.BENCH_ENTITLE_EXPLAIN_N ?? 100_000);
const AS_OF = '2025-10-01' as LocalDate;
const DISTRICTS = ['310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112', '310113', '310114', '310115', '310116', '310117', '310118', '310120', '310151', '310108'];
const pad = (n: number) => String(n).padStart(2, '0');

export function generatePeople(n: number, seed = 7): PersonFacts[] {
  const random = mulberry32(seed);
  const facts: PersonFacts[] = [];
  for (let i = 0; i < n; i++) {
    const by = 1920 + Math.floor(random() * 51);
    const bm = 1 + Math.floor(random() * 12);
    const bd = 1 + Math.floor(random() * 28);
    const r = random();
    const hukou = r < 0.1 ? (r < 0.05 ? '330604' : null) : DISTRICTS[Math.floor(random() * DISTRICTS.length)]!;
    const ins = random();
    const insurance = ins < 0.55 ? 'employee' : ins < 0.95 ? 'resident' : null;
    const hasGrade = random() < 0.33;
    const grade = hasGrade ? Math.floor(random() * 7) : null;
    const untilY = 2024 + Math.floor(random() * 4);
    const until = hasGrade ? `${untilY}-${pad(1 + Math.floor(random() * 12))}-15` : null;
    const e = random();
    const economic = e < 0.02 ? 'tekun' : e < 0.07 ? 'dibao' : e < 0.12 ? 'low_income' : 'none';
    const dead = random() < 0.08;
    const death = dead ? `${2023 + Math.floor(random() * 4)}-${pad(1 + Math.floor(random() * 12))}-10` : null;
    const alone = random() < 0.15;
    facts.push({
      birthDate: `${by}-${pad(bm)}-${pad(bd)}` as LocalDate,
      hukouDistrict: hukou,
      insurance,
      careGrade: grade,
      careGradeValidUntil: until as LocalDate | null,
      economic,
      deathDate: death as LocalDate | null,
      living: alone ? 'alone' : 'with_children',
    });
  }
  return facts;
}

const time = (fn: () => number) => {
  const t0 = performance.now();
  const check = fn();
  return { ms: performance.now() - t0, check };
};
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

export async function runEntitleBench(): Promise<Record<string, unknown>> {
  const engine = createEngine(await loadParameters(), { rootCode: '310000' });
  const facts = generatePeople(TOTAL);
  const scratch = {} as HandResult;
  // Same answers, person by person, before anything is timed.
  for (let i = 0; i < TOTAL; i++) {
    const a = engine.evaluate(facts[i]!, AS_OF);
    const b = handEntitle(facts[i]!, AS_OF, scratch);
    if (a.age !== b.age || a.allowance.monthlyFen !== b.allowanceFen || a.ltci.homeCareHoursPerWeek !== b.ltciHours || a.serviceSubsidy.monthlyFen !== b.subsidyFen || (a.basicBed.tier ?? 0) !== b.bedTier) {
      throw new Error(`the engine and the hand-written loop disagree on ${JSON.stringify(facts[i])}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  }
  // Each loop folds every result into a checksum so the work cannot be optimised away.
  const viaEngine = () => {
    let sum = 0;
    for (let i = 0; i < TOTAL; i++) {
      const r = engine.evaluate(facts[i]!, AS_OF);
      sum += r.allowance.monthlyFen + r.ltci.homeCareHoursPerWeek + r.serviceSubsidy.monthlyFen + (r.basicBed.tier ?? 0);
    }
    return sum;
  };
  const viaHand = () => {
    let sum = 0;
    for (let i = 0; i < TOTAL; i++) {
      const r = handEntitle(facts[i]!, AS_OF, scratch);
      sum += r.allowanceFen + r.ltciHours + r.subsidyFen + r.bedTier;
    }
    return sum;
  };
  const runs = { engine: [] as number[], hand: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    const a = time(viaEngine);
    const b = time(viaHand);
    if (a.check !== b.check) throw new Error(`checksums differ: ${a.check} vs ${b.check}`);
    runs.engine.push(a.ms);
    runs.hand.push(b.ms);
  }
  const explain = time(() => {
    let steps = 0;
    for (let i = 0; i < EXPLAIN_N; i++) steps += engine.evaluate(facts[i]!, AS_OF, true).explanation!.length;
    return steps;
  });
  const engineMs = Math.round(median(runs.engine));
  const handMs = Math.round(median(runs.hand));
  return {
    people: TOTAL,
    asOf: AS_OF,
    rounds: ROUNDS,
    parameterVersion: engine.set.version,
    engineMs,
    handWrittenMs: handMs,
    ratio: Math.round((engineMs / handMs) * 100) / 100,
    perSecond: Math.round(TOTAL / (engineMs / 1000)),
    withExplanations: { people: EXPLAIN_N, ms: Math.round(explain.ms), stepsPerPerson: Math.round((explain.check / EXPLAIN_N) * 10) / 10, msPerMillion: Math.round((explain.ms * 1_000_000) / EXPLAIN_N) },
    goal: { msAtMost: 3000, ratioAtMost: 3 },
    met: engineMs < 3000 && engineMs / handMs <= 3,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(await runEntitleBench()) + '\n');
}
