// Benchmarks of the pure batch computations of issues 6 and 8, each against a baseline in the
// same run:
//  (g) coverage (issue 6 "Performance"): a district-sized walking network — ≥ 200k nodes, ≥ 500k
//      edges, 1,000 sites, 300k elders — one function's coverage after the graph is loaded, goal
//      under 1 s; baseline: a plain textbook binary-heap Dijkstra (arrays of objects, adjacency
//      lists) computing the same distances.
//  (h) settlement (issue 8 "Performance"): a month for a district — 300k visits, 20k people —
//      goal under 2 s; baseline: reading and checking the same input without settling.
//
//   npx tsx bench/batch.ts       → prints {coverage, settle}
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../src/core/ids.ts';
import { coverage, readCoverageInput, type CoverageInput } from '../src/supply/index.ts';
import { paramsFor, readSettleInput, settle } from '../src/care/index.ts';

const time = <T>(fn: () => T): { ms: number; value: T } => {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ROUNDS = Number(process.env.BENCH_BATCH_ROUNDS ?? 3);

/** A grid street network with some diagonal shortcuts: side × side nodes, 15–120 m blocks. */
function network(side: number, extra: number, sites: number, people: number, seed = 11): CoverageInput {
  const random = mulberry32(seed);
  const nodes: CoverageInput['nodes'] = [];
  const edges: CoverageInput['edges'] = [];
  const id = (r: number, c: number) => `n${r * side + c}`;
  for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) nodes.push({ id: id(r, c), x: c * 60, y: r * 60 });
  const len = () => 15 + Math.floor(random() * 105);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      if (c + 1 < side) edges.push({ from: id(r, c), to: id(r, c + 1), meters: len() });
      if (r + 1 < side) edges.push({ from: id(r, c), to: id(r + 1, c), meters: len() });
    }
  }
  for (let k = 0; k < extra; k++) {
    const r = Math.floor(random() * (side - 1));
    const c = Math.floor(random() * (side - 1));
    edges.push({ from: id(r, c), to: id(r + 1, c + 1), meters: len() + 20 });
  }
  const n = side * side;
  const siteIds = new Set<string>();
  while (siteIds.size < sites) siteIds.add(`n${Math.floor(random() * n)}`);
  const population: CoverageInput['population'] = [];
  let left = people;
  while (left > 0) {
    const count = Math.min(left, 1 + Math.floor(random() * 6));
    population.push({ node: `n${Math.floor(random() * n)}`, count });
    left -= count;
  }
  return { nodes, edges, sites: [...siteIds], population, walkMetersPerMinute: 80, minutes: 15 };
}

/** The baseline: a textbook binary-heap Dijkstra over adjacency lists of objects. */
function plainDijkstra(input: CoverageInput): Map<string, number> {
  const adj = new Map<string, { to: string; m: number }[]>();
  for (const n of input.nodes) adj.set(n.id, []);
  for (const e of input.edges) {
    adj.get(e.from)!.push({ to: e.to, m: e.meters });
    adj.get(e.to)!.push({ to: e.from, m: e.meters });
  }
  const dist = new Map<string, number>();
  const heap: { d: number; v: string }[] = [];
  const push = (x: { d: number; v: string }) => {
    heap.push(x);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p]!.d <= heap[i]!.d) break;
      [heap[p], heap[i]] = [heap[i]!, heap[p]!];
      i = p;
    }
  };
  const pop = () => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l]!.d < heap[m]!.d) m = l;
        if (r < heap.length && heap[r]!.d < heap[m]!.d) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  };
  for (const s of input.sites) {
    dist.set(s, 0);
    push({ d: 0, v: s });
  }
  while (heap.length > 0) {
    const { d, v } = pop();
    if (d > (dist.get(v) ?? Infinity)) continue;
    for (const e of adj.get(v)!) {
      const nd = d + e.m;
      if (nd < (dist.get(e.to) ?? Infinity)) {
        dist.set(e.to, nd);
        push({ d: nd, v: e.to });
      }
    }
  }
  return dist;
}

export function runCoverageBench(): Record<string, unknown> {
  const side = Number(process.env.BENCH_COVERAGE_SIDE ?? 450);
  const input = network(side, Number(process.env.BENCH_COVERAGE_EXTRA ?? 110_000), 1000, 300_000);
  const load = time(() => readCoverageInput(input));
  const { network: net } = load.value;
  const ours: number[] = [];
  const plain: number[] = [];
  let result = coverage(load.value.input, net);
  for (let i = 0; i < ROUNDS; i++) {
    const a = time(() => coverage(load.value.input, net));
    result = a.value;
    ours.push(a.ms);
    plain.push(time(() => plainDijkstra(input)).ms);
  }
  // Same distances (checked on the covered count).
  const d = plainDijkstra(input);
  const reach = 80 * 15;
  let covered = 0;
  for (const p of input.population) if ((d.get(p.node) ?? Infinity) <= reach + 1e-6) covered += p.count;
  if (covered !== result.covered) throw new Error(`baseline disagrees: ${covered} vs ${result.covered}`);
  const ms = Math.round(median(ours));
  return {
    nodes: input.nodes.length, edges: input.edges.length, sites: input.sites.length, elders: 300_000, rounds: ROUNDS,
    graphLoadMs: Math.round(load.ms), coverageMs: ms, plainDijkstraMs: Math.round(median(plain)), share: Math.round(result.share * 1e4) / 1e4,
    goal: { msAtMost: 1000 }, met: ms < 1000,
  };
}

export function runSettleBench(): Record<string, unknown> {
  const random = mulberry32(5);
  const nPeople = 20_000;
  const nVisits = 300_000;
  const people = Array.from({ length: nPeople }, (_, i) => ({
    id: `p${String(i).padStart(5, '0')}`, careGrade: 2 + Math.floor(random() * 5), gradeValidFrom: '2024-01-01', gradeValidTo: random() < 0.02 ? '2025-02-15' : '2026-12-31',
    home: { lat: 31.1 + random() * 0.2, lon: 121.4 + random() * 0.3 },
  }));
  const visits = [];
  for (let k = 0; k < nVisits; k++) {
    const p = people[Math.floor(random() * nPeople)]!;
    const day = 1 + Math.floor(random() * 31);
    const hour = 7 + Math.floor(random() * 11);
    const start = Date.parse(`2025-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00`) + Math.floor(random() * 4) * 15 * 60_000;
    const far = random() < 0.01;
    visits.push({
      id: `v${String(k).padStart(6, '0')}`, person: p.id, caregiver: `c${Math.floor(random() * 3000)}`, kind: random() < 0.7 ? 'care' : 'nursing',
      checkIn: new Date(start).toISOString(), checkOut: new Date(start + (30 + Math.floor(random() * 60)) * 60_000).toISOString(),
      checkInAt: far ? { lat: p.home.lat + 0.01, lon: p.home.lon } : { lat: p.home.lat + 0.0005, lon: p.home.lon },
    });
  }
  const text = JSON.stringify({ people, visits, params: { weeklyHours: { '2': 3, '3': 3, '4': 5, '5': 7, '6': 7 }, fenPerHour: { care: 6500, nursing: 8000 }, fundShare: 0.9, maxCheckInMeters: 300 } });
  const parseOnly: number[] = [];
  const whole: number[] = [];
  const settleOnly: number[] = [];
  let last: ReturnType<typeof settle> | null = null;
  for (let i = 0; i < ROUNDS; i++) {
    parseOnly.push(time(() => readSettleInput(JSON.parse(text))).ms);
    whole.push(time(() => {
      const input = readSettleInput(JSON.parse(text));
      last = settle(input.people, input.visits, paramsFor(input, () => ({ minGrade: 2 })));
      return last;
    }).ms);
    const input = readSettleInput(JSON.parse(text));
    settleOnly.push(time(() => settle(input.people, input.visits, paramsFor(input, () => ({ minGrade: 2 })))).ms);
  }
  const r = last as unknown as ReturnType<typeof settle>;
  const by = (s: string) => r.visits.filter((v) => v.status === s).length;
  const ms = Math.round(median(whole));
  return {
    people: nPeople, visits: nVisits, inputMiB: Math.round(text.length / 2 ** 20), rounds: ROUNDS,
    parseAndCheckMs: Math.round(median(parseOnly)), settleAfterParseMs: Math.round(median(settleOnly)), endToEndMs: ms, paid: by('paid'), partial: by('partial'), rejected: by('rejected'),
    goal: { msAtMost: 2000 }, metAfterParse: median(settleOnly) < 2000, metEndToEnd: ms < 2000,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify({ coverage: runCoverageBench(), settle: runSettleBench() }) + '\n');
}
