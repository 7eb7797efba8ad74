// (m) LTCI settlement of a month for a district (issue 8 "Performance": 300k visits, 20k people,
// goal under 2 s), through the real `settle()` (src/care/settle.ts) with the parameters of the
// policy in force on each visit's date (policy/parameters/ltci.json, as `yiyang settle` builds them
// when the input has no `params`), and the `yiyang settle` command end to end (a process: stdin
// from the file, parse + check + settle + write), each against baselines measured in the same run:
//  - in process: `JSON.parse` + `JSON.stringify` of the same input alone, and a plain loop summing
//    the visits' minutes;
//  - as a process: `node` reading the same file on stdin, `JSON.parse` + `JSON.stringify`, writing
//    the text to stdout (what any JSON-in/JSON-out command costs), and `yiyang settle` on a
//    one-visit input (the command's fixed start-up: tsx, commander, policy files).
// The command's output is checked byte for byte against the in-process result. Peak RSS: of this
// process, and of each child (GNU time, when /usr/bin/time is installed).
// Where the command's time goes, in the same run: a process of its own (this file with
// --cli-phases, through tsx as bin/yiyang.js runs it) doing the command's steps one by one with
// timings — start-up (node, tsx and the settle modules, up to the first line), the policy files,
// reading stdin, JSON.parse, the input check, the parameters of each date, settle(),
// JSON.stringify, writing stdout; its output is checked too. It is not the command itself
// (no commander), so its sum is close to, not equal to, the command's time.
//
// Input (mulberry32, seed 8): a district of 20,000 people — homes in clusters around ≈ 1,900
// caregivers' neighbourhoods in Pudong (31.10–31.35°N, 121.45–121.75°E) — grades 1–6 (grade 1 and
// missing grades are not eligible), validity from 2023–2024 to 2025–2026, 3% ending and 2%
// starting in the middle of March 2025; each caregiver works Monday–Saturday and makes 5–7 visits a
// day to people of their own panel (30–90 minutes, 10–25 minutes between homes, a substitute
// caregiver for 3%), care 75% / nursing 25%; 1% of check-ins 0.4–2 km from the home (too far),
// 1% started before the caregiver's previous visit ended (overlap), and the weekly caps (3–7 hours)
// cut whoever is visited more often than their grade pays for (over cap).
//
//   npx tsx bench/settle.ts            → prints the result object
//   BENCH_ONLY=settle npm run bench    → the same, into bench/results/<date>.json as `ltciSettle`
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mulberry32 } from '../src/core/ids.ts';
import { ltciOn, paramsFor, readSettleInput, settle, type SettleParams } from '../src/care/index.ts';
import { readStdin } from '../src/cli/json-object.ts';
import { settleText } from '../src/cli/settle.ts';
import { createEngine, jurisdictionRoot, loadParameters } from '../src/entitlements/index.ts';

const PEOPLE = Number(process.env.BENCH_SETTLE_PEOPLE ?? 20_000);
const VISITS = Number(process.env.BENCH_SETTLE_VISITS ?? 300_000);
const ROUNDS = Number(process.env.BENCH_SETTLE_ROUNDS ?? 5);
const CLI_ROUNDS = Number(process.env.BENCH_SETTLE_CLI_ROUNDS ?? 3);
const GOAL_MS = 2000;
const MONTH = { year: 2025, month: 3, days: 31 };
const VISITS_PER_DAY = { min: 5, max: 7 };
const SHARE = { tooFar: 0.01, overlap: 0.01, substitute: 0.03, nursing: 0.25, validEndsMidMonth: 0.03, validStartsMidMonth: 0.02, noGrade: 0.005 };
/** Grades 1–6 among people with a care grade (grade 1 is assessed but not eligible for LTCI). */
const GRADE_WEIGHTS = [0.04, 0.16, 0.2, 0.24, 0.2, 0.16];
const ROOT = 'shanghai';

/** A full garbage collection, so that heap figures are what is retained (the flag only exposes `gc`). */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;
const mib = (bytes: number) => round(bytes / 2 ** 20, 1);
const time = <T>(fn: () => T): { ms: number; value: T } => {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
};
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** An ISO-8601 Shanghai time for epoch milliseconds (whole seconds). */
const SHANGHAI_MS = 8 * 3_600_000;
const iso = (t: number) => new Date(t + SHANGHAI_MS).toISOString().slice(0, 19) + '+08:00';
const MINUTE = 60_000;

interface GenPerson { id: string; careGrade: number | null; gradeValidFrom: string | null; gradeValidTo: string | null; home: { lat: number; lon: number } }
interface GenVisit { id: string; person: string; caregiver: string; kind: string; checkIn: string; checkOut: string; checkInAt: { lat: number; lon: number } }

/** A month of a district's home-care visits (see the header), as the `yiyang settle` input without `params`. */
export function syntheticMonth(nPeople = PEOPLE, nVisits = VISITS, seed = 8): { people: GenPerson[]; visits: GenVisit[]; caregivers: number } {
  const random = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const days: number[] = [];
  for (let d = 1; d <= MONTH.days; d++) {
    const t = Date.UTC(MONTH.year, MONTH.month - 1, d) - SHANGHAI_MS; // 00:00 in Shanghai
    if (new Date(t + SHANGHAI_MS).getUTCDay() !== 0) days.push(t); // Monday–Saturday
  }
  const meanPerDay = (VISITS_PER_DAY.min + VISITS_PER_DAY.max) / 2;
  const nCaregivers = Math.ceil(nVisits / (days.length * meanPerDay));
  // Neighbourhoods: one per caregiver; people's homes within ≈ 1 km of it.
  const hoods = Array.from({ length: nCaregivers }, () => ({ lat: 31.1 + random() * 0.25, lon: 121.45 + random() * 0.3 }));
  const panels: number[][] = hoods.map(() => []);
  const weightsCum = GRADE_WEIGHTS.map((_, i) => GRADE_WEIGHTS.slice(0, i + 1).reduce((s, w) => s + w, 0));
  const people: GenPerson[] = [];
  for (let i = 0; i < nPeople; i++) {
    const h = i % nCaregivers;
    panels[h]!.push(i);
    const u = random();
    const grade = random() < SHARE.noGrade ? null : 1 + weightsCum.findIndex((c) => u < c);
    const v = random();
    const from = v < SHARE.validStartsMidMonth ? `2025-03-${pad(int(5, 25))}` : `${int(2023, 2024)}-${pad(int(1, 12))}-${pad(int(1, 28))}`;
    const to = v > 1 - SHARE.validEndsMidMonth ? `2025-03-${pad(int(5, 25))}` : `${int(2025, 2026)}-${pad(int(4, 12))}-${pad(int(1, 28))}`;
    people.push({
      id: `p${pad(i, 5)}`, careGrade: grade, gradeValidFrom: grade === null ? null : from, gradeValidTo: grade === null ? null : to,
      home: { lat: round(hoods[h]!.lat + (random() - 0.5) * 0.018, 6), lon: round(hoods[h]!.lon + (random() - 0.5) * 0.021, 6) },
    });
  }
  const visits: GenVisit[] = [];
  let n = 0;
  for (let c = 0; c < nCaregivers && n < nVisits; c++) {
    const panel = panels[c]!;
    for (const day of days) {
      let t = day + (8 * 60 + int(0, 30)) * MINUTE + int(0, 59) * 1000;
      let prevOut = t;
      const count = int(VISITS_PER_DAY.min, VISITS_PER_DAY.max);
      for (let k = 0; k < count && n < nVisits; k++) {
        const p = people[panel[int(0, panel.length - 1)]!]!;
        const sub = random() < SHARE.substitute;
        const caregiver = `c${pad(sub ? int(0, nCaregivers - 1) : c, 4)}`;
        let checkIn = t;
        if (k > 0 && !sub && random() < SHARE.overlap) checkIn = prevOut - int(5, 20) * MINUTE; // started before the last visit ended
        const checkOut = checkIn + int(30, 90) * MINUTE + int(0, 59) * 1000;
        const far = random() < SHARE.tooFar;
        const off = far ? (400 + random() * 1600) / 111_195 : (random() * 60) / 111_195; // degrees of latitude
        visits.push({
          id: `v${pad(n, 6)}`, person: p.id, caregiver, kind: random() < SHARE.nursing ? 'nursing' : 'care',
          checkIn: iso(checkIn), checkOut: iso(checkOut), checkInAt: { lat: round(p.home.lat + off, 6), lon: round(p.home.lon + (random() - 0.5) * 0.0004, 6) },
        });
        n++;
        if (!sub) prevOut = checkOut;
        t = Math.max(t, checkOut) + int(10, 25) * MINUTE;
      }
    }
  }
  // Visits arrive in id order, not per caregiver.
  return { people, visits, caregivers: nCaregivers };
}

const GNU_TIME = '/usr/bin/time';

/** Run a command with stdin from a file and stdout to a file; wall ms and (with GNU time) peak RSS. */
async function runProcess(args: string[], stdinFile: string, stdoutFile: string): Promise<{ ms: number; peakRssMiB: number | null; code: number; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-time-'));
  const timeFile = join(dir, 'time');
  const withTime = existsSync(GNU_TIME);
  const argv = withTime ? [GNU_TIME, '-f', '%M', '-o', timeFile, process.execPath, ...args] : [process.execPath, ...args];
  const inFd = openSync(stdinFile, 'r');
  const outFd = openSync(stdoutFile, 'w');
  try {
    const t0 = performance.now();
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
      const child = spawn(argv[0]!, argv.slice(1), { stdio: [inFd, outFd, 'pipe'], env: { ...process.env, LOG_LEVEL: 'silent' } });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c ?? -1, stderr: err }));
    });
    const ms = performance.now() - t0;
    const kb = withTime && existsSync(timeFile) ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) : NaN;
    return { ms, peakRssMiB: Number.isFinite(kb) ? mib(kb * 1024) : null, code, stderr };
  } finally {
    closeSync(inFd);
    closeSync(outFd);
    rmSync(dir, { recursive: true, force: true });
  }
}

// Out of line, so that no temporary of theirs is still on the caller's stack when the heap is measured.
const readOnce = (text: string) => readSettleInput(JSON.parse(text));
const settleOnce = (input: ReturnType<typeof readSettleInput>, withPolicy: (day: string) => Partial<SettleParams>) => settle(input.people, input.visits, paramsFor(input, withPolicy));
function retainedHeap(text: string, withPolicy: (day: string) => Partial<SettleParams>) {
  const h0 = heap();
  const input = readOnce(text);
  const h1 = heap();
  const result = settleOnce(input, withPolicy);
  const h2 = heap();
  if (result.visits.length !== input.visits.length) throw new Error('settle bench: one result per visit expected');
  return { inputText: mib(Buffer.byteLength(text)), checkedInput: mib(h1 - h0), oneResult: mib(h2 - h1) };
}

const CLI_PHASES = '--cli-phases';
type Phases = Record<'startup' | 'policy' | 'read' | 'parse' | 'check' | 'params' | 'settle' | 'stringify' | 'write', number>;

/** `yiyang settle`'s steps one by one (as settleText runs them), timed; the timings as one JSON line on stderr. */
async function cliPhases(): Promise<void> {
  const t: Partial<Phases> = { startup: performance.now() }; // since the process started
  let last = performance.now();
  const lap = (k: keyof Phases) => {
    const now = performance.now();
    t[k] = round(now - last);
    last = now;
  };
  const root = await jurisdictionRoot(process.env.YIYANG_JURISDICTION || ROOT);
  const policyOn = ltciOn(createEngine(await loadParameters(), { rootCode: root }), root);
  lap('policy');
  const text = await readStdin();
  lap('read');
  const raw = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  lap('parse');
  const input = readSettleInput(raw);
  lap('check');
  const firstMin = policyOn('2100-12-31').minGrade;
  const paramsOn = paramsFor(input, (day) => ({ minGrade: firstMin, ...policyOn(day) }));
  lap('params');
  const result = settle(input.people, input.visits, paramsOn);
  lap('settle');
  const out = JSON.stringify(result) + '\n';
  lap('stringify');
  process.stdout.write(out, () => {
    lap('write');
    t.startup = round(t.startup!);
    process.stderr.write(JSON.stringify(t) + '\n');
  });
}

/** The baseline process: read stdin, JSON.parse, JSON.stringify, write. */
const JSON_ONLY = "let s='';process.stdin.setEncoding('utf8');process.stdin.on('data',(d)=>s+=d);process.stdin.on('end',()=>process.stdout.write(JSON.stringify(JSON.parse(s))+'\\n'))";

export async function runLtciSettleBench(): Promise<Record<string, unknown>> {
  const loadBefore = loadavg()[0]!;
  const built = time(() => syntheticMonth());
  const { people, visits, caregivers } = built.value;
  const text = JSON.stringify({ people, visits });
  const root = await jurisdictionRoot(ROOT);
  const policyOn = ltciOn(createEngine(await loadParameters(), { rootCode: root }), root);
  // As `settleText` does: the grade threshold is the policy's; the rest from each visit's date.
  const firstMin = policyOn('2100-12-31').minGrade;
  const withPolicy = (day: string): Partial<SettleParams> => ({ minGrade: firstMin, ...policyOn(day) });

  // Retained heap (after full collections, before anything else runs): the checked input, one result.
  const heapMiB = retainedHeap(text, withPolicy);

  // Warm-up, and the reference output for the command's check.
  const expected = settleText(text, policyOn);
  if (expected.code !== 0) throw new Error(`settle bench: ${expected.stderr}`);

  const rounds = { jsonParseStringify: [] as number[], sumMinutes: [] as number[], readAndCheck: [] as number[], settle: [] as number[], settleText: [] as number[] };
  let result: ReturnType<typeof settle> | null = null;
  let minutesTotal = 0;
  for (let i = 0; i < ROUNDS; i++) {
    rounds.jsonParseStringify.push(time(() => JSON.stringify(JSON.parse(text))).ms);
    const read = time(() => readSettleInput(JSON.parse(text)));
    rounds.readAndCheck.push(read.ms);
    const input = read.value;
    rounds.sumMinutes.push(time(() => {
      let s = 0;
      for (const v of input.visits) s += Math.floor((v.checkOut - v.checkIn) / MINUTE);
      minutesTotal = s;
      return s;
    }).ms);
    const s = time(() => settle(input.people, input.visits, paramsFor(input, withPolicy)));
    rounds.settle.push(s.ms);
    result = s.value;
    rounds.settleText.push(time(() => settleText(text, policyOn)).ms);
  }
  const inProcessPeakRssMiB = mib(process.resourceUsage().maxRSS * 1024);
  const r = result!;
  const count = (status: string, reason?: string) => r.visits.filter((v) => v.status === status && (reason === undefined || v.reason === reason)).length;

  // The command, end to end, against the JSON-only process and the command's fixed start-up.
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-settle-'));
  const cli: Record<string, unknown> = {};
  try {
    const inFile = join(dir, 'month.json');
    const outFile = join(dir, 'out.json');
    writeFileSync(inFile, text);
    const tiny = join(dir, 'tiny.json');
    writeFileSync(tiny, JSON.stringify({ people: [people[0]], visits: visits.filter((v) => v.person === people[0]!.id).slice(0, 1) }));
    const bin = fileURLToPath(new URL('../bin/yiyang.js', import.meta.url));
    const runs = { jsonOnly: [] as Awaited<ReturnType<typeof runProcess>>[], startup: [] as Awaited<ReturnType<typeof runProcess>>[], settle: [] as Awaited<ReturnType<typeof runProcess>>[], phases: [] as Awaited<ReturnType<typeof runProcess>>[] };
    const phases: Phases[] = [];
    const phasesArgs = ['--import', import.meta.resolve('tsx/esm'), fileURLToPath(import.meta.url), CLI_PHASES];
    for (let i = 0; i < CLI_ROUNDS; i++) {
      runs.jsonOnly.push(await runProcess(['-e', JSON_ONLY], inFile, outFile));
      runs.startup.push(await runProcess([bin, 'settle'], tiny, outFile));
      const s = await runProcess([bin, 'settle'], inFile, outFile);
      if (s.code !== 0) throw new Error(`settle bench: yiyang settle exited ${s.code}: ${s.stderr.slice(0, 500)}`);
      if (readFileSync(outFile, 'utf8') !== expected.stdout) throw new Error('settle bench: the command’s output differs from the in-process result');
      runs.settle.push(s);
      const p = await runProcess(phasesArgs, inFile, outFile);
      if (p.code !== 0 || readFileSync(outFile, 'utf8') !== expected.stdout) throw new Error(`settle bench: the phases process failed or differs (exit ${p.code}): ${p.stderr.slice(0, 500)}`);
      runs.phases.push(p);
      phases.push(JSON.parse(p.stderr.trim().split('\n').pop()!) as Phases);
    }
    const summary = (xs: Awaited<ReturnType<typeof runProcess>>[]) => ({
      ms: round(median(xs.map((x) => x.ms))), minMs: round(Math.min(...xs.map((x) => x.ms))),
      peakRssMiB: xs[0]!.peakRssMiB === null ? null : Math.max(...xs.map((x) => x.peakRssMiB ?? 0)),
    });
    cli.jsonParseStringifyProcess = summary(runs.jsonOnly);
    cli.startupOneVisit = summary(runs.startup);
    cli.settle = summary(runs.settle);
    // Each step's median over the rounds; processMs is the phases process's own wall time.
    cli.phasesMs = {
      ...Object.fromEntries((Object.keys(phases[0]!) as (keyof Phases)[]).map((k) => [k, round(median(phases.map((p) => p[k])))])),
      processMs: summary(runs.phases).ms,
    };
    cli.outputMatchesInProcess = true;
    cli.rssBy = existsSync(GNU_TIME) ? 'GNU time %M (maximum resident set size of the child)' : 'not measured (no /usr/bin/time)';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const settleMs = median(rounds.settle);
  const cliMs = (cli.settle as { ms: number }).ms;
  return {
    people: people.length, visits: visits.length, caregivers, month: `${MONTH.year}-${pad(MONTH.month)}`, inputMiB: mib(Buffer.byteLength(text)), outputMiB: mib(Buffer.byteLength(expected.stdout)),
    params: 'policy in force on each visit date (policy/parameters/ltci.json, jurisdiction shanghai)', rounds: ROUNDS, cliRounds: CLI_ROUNDS,
    buildMs: round(built.ms),
    inProcess: {
      jsonParseStringifyMs: round(median(rounds.jsonParseStringify)), sumMinutesLoopMs: round(median(rounds.sumMinutes), 1),
      readAndCheckMs: round(median(rounds.readAndCheck)), settleMs: round(settleMs), settleMinMs: round(Math.min(...rounds.settle)),
      settleTextMs: round(median(rounds.settleText)),
    },
    cli,
    outcome: {
      paid: count('paid'), partial: count('partial'), rejected: count('rejected'),
      notEligible: count('rejected', 'not_eligible'), tooFar: count('rejected', 'too_far'), overlap: count('rejected', 'overlap'), overCapRejected: count('rejected', 'over_cap'),
      visitMinutes: minutesTotal, billedMinutes: r.people.reduce((s, p) => s + p.billedMinutes, 0),
      amountFen: r.people.reduce((s, p) => s + p.amountFen, 0), fundFen: r.people.reduce((s, p) => s + p.fundFen, 0), copayFen: r.people.reduce((s, p) => s + p.copayFen, 0),
      peopleSettled: r.people.length,
    },
    // The command's own peak is cli.settle.peakRssMiB; this process holds the text, several parsed copies and results at once.
    memory: { benchProcessPeakRssMiB: inProcessPeakRssMiB, retainedHeapMiB: heapMiB },
    machine: { cpus: cpus().length, model: cpus()[0]?.model },
    loadAverage: { before: round(loadBefore, 2), after: round(loadavg()[0]!, 2) },
    goal: { msAtMost: GOAL_MS }, met: { settle: settleMs < GOAL_MS, cliEndToEnd: cliMs < GOAL_MS },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === CLI_PHASES) await cliPhases();
  else process.stdout.write(JSON.stringify(await runLtciSettleBench(), null, 2) + '\n');
}
