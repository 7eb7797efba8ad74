// (i) The walking network and siting (issue 6 §3), on a demo network of Pudong's size (an
// irregular ≈1,200 km² outline at 150 m spacing, ≈53k nodes) and ≈1M elders: building the
// network, its binary round trip, the service circle with 300 existing sites, and 10 new sites by
// greedy maximal coverage with lazy evaluation (CELF, `proposeSites`) against the textbook greedy
// (reach of each candidate by coverage.ts's Dijkstra, every candidate recounted every round) on
// the same candidates — checked to choose the same sites. Median of 3 rounds.
import { fileURLToPath } from 'node:url';
import {
  candidateNodes, circleCoverage, decodeNetwork, distancesFrom, encodeNetwork, mulberry32, proposeSites, streetSeeds, syntheticNetwork, toGraph, withinReach,
  type Network, type OutlineGeometry,
} from '../src/supply/index.ts';

const ROUNDS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = <T>(fn: () => T): { ms: number; value: T } => {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
};

/** An irregular outline of about 45 × 33 km (≈1,170 km², Pudong is ≈1,210 km²), 720 vertices. */
function outline(): OutlineGeometry {
  const ring: number[][] = [];
  for (let i = 0; i <= 720; i++) {
    const t = (2 * Math.PI * (i % 720)) / 720;
    const r = 1 + 0.08 * Math.sin(7 * t);
    ring.push([121.7 + 0.235 * r * Math.cos(t), 31.15 + 0.15 * r * Math.sin(t)]);
  }
  return { type: 'Polygon', coordinates: [ring] };
}

/** The textbook greedy: full Dijkstra per candidate, every gain recounted every round. */
function plainGreedy(g: Network, pop: { node: number; count: number }[], existing: number[], candidates: number[], radius: number, k: number): number[] {
  const n = g.offsets.length - 1;
  const w = new Float64Array(n);
  for (const p of pop) w[p.node]! += p.count;
  const reachOf = (sources: number[]) => {
    const d = distancesFrom(g, sources, radius);
    const out: number[] = [];
    for (let i = 0; i < n; i++) if (withinReach(d[i]!, radius)) out.push(i);
    return out;
  };
  for (const v of reachOf(existing)) w[v] = 0;
  const reach = candidates.map((c) => reachOf([c]).filter((v) => w[v]! > 0));
  const chosen: number[] = [];
  while (chosen.length < k) {
    let best = -1, bestGain = 0;
    candidates.forEach((c, i) => {
      let gain = 0;
      for (const v of reach[i]!) gain += w[v]!;
      if (gain > bestGain || (gain === bestGain && gain > 0 && c < candidates[best]!)) {
        best = i;
        bestGain = gain;
      }
    });
    if (best < 0) break;
    for (const v of reach[best]!) w[v] = 0;
    chosen.push(candidates[best]!);
  }
  return chosen;
}

export function runSitingBench(): Record<string, unknown> {
  const o = outline();
  const codes = Array.from({ length: 36 }, (_, i) => `310115${String(i < 12 ? i + 1 : 100 + i).padStart(3, '0')}`);
  const seeds = streetSeeds(o, codes, 1);
  const build: number[] = [];
  let net = syntheticNetwork({ outline: o, streets: seeds, spacingMeters: 150, seed: 1 });
  for (let i = 0; i < ROUNDS; i++) build.push(time(() => (net = syntheticNetwork({ outline: o, streets: seeds, spacingMeters: 150, seed: 1 }))).ms);
  const bytes = encodeNetwork(net);
  const codec = Array.from({ length: ROUNDS }, () => time(() => decodeNetwork(encodeNetwork(net))).ms);
  const graph = toGraph(net);
  const random = mulberry32(7);
  const population = Array.from({ length: net.x.length }, (_, node) => ({ node, count: Math.floor(random() * 40) }));
  const elders = population.reduce((s, p) => s + p.count, 0);
  const existing = Array.from({ length: 300 }, () => Math.floor(random() * net.x.length));
  const circle = Array.from({ length: ROUNDS }, () => time(() => circleCoverage({ net, graph, siteNodes: existing, population, walkMetersPerMinute: 80, minutes: 15 })));
  const candidates = candidateNodes(net, population, 5000);
  const lazy = Array.from({ length: ROUNDS }, () => time(() => proposeSites({ graph, population, existing, candidates, radiusMeters: 1200, k: 10 })));
  const allCandidates = population.filter((p) => p.count > 0).map((p) => p.node);
  const lazyAll = Array.from({ length: ROUNDS }, () => time(() => proposeSites({ graph, population, existing, candidates: allCandidates, radiusMeters: 1200, k: 10 })));
  const plain = Array.from({ length: ROUNDS }, () => time(() => plainGreedy(graph, population, existing, candidates, 1200, 10)));
  const ours = lazy[0]!.value.map((s) => s.node);
  if (JSON.stringify(ours) !== JSON.stringify(plain[0]!.value)) throw new Error(`baseline disagrees: ${JSON.stringify(ours)} vs ${JSON.stringify(plain[0]!.value)}`);
  const last = lazy[0]!.value.at(-1)!;
  return {
    nodes: net.x.length, edges: net.from.length, encodedMiB: Math.round((bytes.byteLength / 2 ** 20) * 10) / 10, elders, existingSites: existing.length, rounds: ROUNDS,
    buildMs: Math.round(median(build)), encodeDecodeMs: Math.round(median(codec)),
    circleMs: Math.round(median(circle.map((c) => c.ms))), shareBefore: Math.round(circle[0]!.value.share * 1e4) / 1e4,
    candidates: candidates.length, sitingK10Ms: Math.round(median(lazy.map((l) => l.ms))), plainGreedyK10Ms: Math.round(median(plain.map((p) => p.ms))),
    allCandidates: allCandidates.length, sitingK10AllCandidatesMs: Math.round(median(lazyAll.map((l) => l.ms))),
    shareAfter: Math.round(last.shareAfter * 1e4) / 1e4, gains: lazy[0]!.value.map((s) => s.gain),
    goal: { buildMsAtMost: 1000, sitingMsAtMost: 1000 }, met: median(build) < 1000 && median(lazy.map((l) => l.ms)) < 1000,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(runSitingBench(), null, 2) + '\n');
}
