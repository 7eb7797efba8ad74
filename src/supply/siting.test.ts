// Greedy maximal coverage: a hand-made street, existing sites, ties, early stop, the lazy (CELF)
// selection against a plain greedy over coverage.ts's Dijkstra on random graphs, candidate
// thinning, and a district-sized run.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withinReach } from './circle.ts';
import { distancesFrom, type Network } from './coverage.ts';
import { NetworkInputError, streetSeeds, syntheticNetwork, toGraph, type RoadNetwork } from './network.ts';
import { candidateNodes, proposeSites, type ProposedSite } from './siting.ts';

function net(xy: [number, number][], edges: [number, number, number][]): RoadNetwork {
  return {
    origin: { lon: 121.5, lat: 31.2 },
    x: Float64Array.from(xy, (p) => p[0]),
    y: Float64Array.from(xy, (p) => p[1]),
    from: Int32Array.from(edges, (e) => e[0]),
    to: Int32Array.from(edges, (e) => e[1]),
    meters: Float64Array.from(edges, (e) => e[2]),
  };
}

/** A street of n nodes 100 m apart. */
const street = (n: number) => net(Array.from({ length: n }, (_, i) => [i * 100, 0]), Array.from({ length: n - 1 }, (_, i) => [i, i + 1, 100]));

/** The textbook greedy: every round, every candidate's gain counted afresh (full Dijkstra from coverage.ts). */
function plainGreedy(g: Network, pop: { node: number; count: number }[], existing: number[], candidates: number[], radius: number, k: number): ProposedSite[] {
  const n = g.offsets.length - 1;
  const w = new Float64Array(n);
  let total = 0;
  for (const p of pop) {
    w[p.node]! += p.count;
    total += p.count;
  }
  const reach = (sources: number[]) => {
    const d = distancesFrom(g, sources);
    return Array.from({ length: n }, (_, i) => i).filter((i) => withinReach(d[i]!, radius));
  };
  let covered = 0;
  if (existing.length) {
    for (const v of reach(existing)) {
      covered += w[v]!;
      w[v] = 0;
    }
  }
  const cands = [...new Set(candidates)].sort((a, b) => a - b);
  const reaches = new Map(cands.map((c) => [c, reach([c])]));
  const out: ProposedSite[] = [];
  while (out.length < k) {
    let best = -1, bestGain = 0;
    for (const c of cands) {
      const gain = reaches.get(c)!.reduce((s, v) => s + w[v]!, 0);
      if (gain > bestGain) {
        best = c;
        bestGain = gain;
      }
    }
    if (best < 0) break;
    for (const v of reaches.get(best)!) w[v] = 0;
    covered += bestGain;
    out.push({ node: best, gain: bestGain, coveredAfter: covered, shareAfter: covered / total });
  }
  return out;
}

describe('proposeSites', () => {
  // people along a 20-node street: a crowd at 2–4, a bigger one at 12–14, a few at 18
  const s = street(20);
  const g = toGraph(s);
  const pop = [
    { node: 2, count: 30 }, { node: 3, count: 30 }, { node: 4, count: 30 },
    { node: 12, count: 50 }, { node: 13, count: 50 }, { node: 14, count: 50 },
    { node: 18, count: 5 },
  ];
  const all = Array.from({ length: 20 }, (_, i) => i);

  it('picks the biggest crowd first, then the next, and counts each person once', () => {
    const r = proposeSites({ graph: g, population: pop, existing: [], candidates: all, radiusMeters: 100, k: 3 });
    expect(r).toEqual([
      { node: 13, gain: 150, coveredAfter: 150, shareAfter: 150 / 245 },
      { node: 3, gain: 90, coveredAfter: 240, shareAfter: 240 / 245 },
      { node: 17, gain: 5, coveredAfter: 245, shareAfter: 1 },
    ]);
  });

  it('people an existing site reaches are no gain', () => {
    const r = proposeSites({ graph: g, population: pop, existing: [13], candidates: all, radiusMeters: 100, k: 1 });
    expect(r).toEqual([{ node: 3, gain: 90, coveredAfter: 240, shareAfter: 240 / 245 }]);
  });

  it('ties go to the lower node; exactly the radius is within reach (micrometre rule)', () => {
    // two equal crowds; each candidate reaches one; radius exactly 100.1 + 99.9
    const t = net([[0, 0], [100, 0], [200, 0], [900, 0], [1000, 0], [1100, 0]], [[0, 1, 100.1], [1, 2, 99.9], [3, 4, 100], [4, 5, 100]]);
    const r = proposeSites({ graph: toGraph(t), population: [{ node: 2, count: 8 }, { node: 5, count: 8 }], existing: [], candidates: [3, 0], radiusMeters: 200, k: 2 });
    expect(r.map((x) => [x.node, x.gain])).toEqual([[0, 8], [3, 8]]);
  });

  it('stops when no candidate adds anyone; k = 0 proposes nothing; a candidate listed twice counts once', () => {
    const r = proposeSites({ graph: g, population: pop, existing: [], candidates: [13, 13, 3], radiusMeters: 100, k: 10 });
    expect(r.map((x) => x.node)).toEqual([13, 3]);
    expect(proposeSites({ graph: g, population: pop, existing: [], candidates: all, radiusMeters: 100, k: 0 })).toEqual([]);
    expect(proposeSites({ graph: g, population: [], existing: [], candidates: all, radiusMeters: 100, k: 3 })).toEqual([]);
  });

  it('refuses unknown nodes, a negative radius and a k that is not a whole number', () => {
    const base = { graph: g, population: pop, existing: [], candidates: all, radiusMeters: 100, k: 1 };
    for (const bad of [{ candidates: [20] }, { existing: [-1] }, { population: [{ node: 25, count: 1 }] }, { population: [{ node: 2, count: -3 }] }, { radiusMeters: -1 }, { k: 1.5 }]) {
      expect(() => proposeSites({ ...base, ...bad }), JSON.stringify(bad)).toThrow(NetworkInputError);
    }
  });

  it('lazy selection gives exactly the plain greedy on random graphs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 14 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.integer({ min: 0, max: 600 })), { maxLength: 30 }),
            pop: fc.array(fc.tuple(fc.nat(n - 1), fc.integer({ min: 0, max: 6 })), { maxLength: 20 }),
            existing: fc.array(fc.nat(n - 1), { maxLength: 2 }),
            candidates: fc.array(fc.nat(n - 1), { maxLength: 14 }),
            radius: fc.constantFrom(0, 150, 400, 800),
            k: fc.integer({ min: 0, max: 6 }),
          }),
        ),
        ({ n, edges, pop, existing, candidates, radius, k }) => {
          const gr = toGraph(net(Array.from({ length: n }, (_, i) => [i, 0]), edges));
          const population = pop.map(([node, count]) => ({ node, count }));
          expect(proposeSites({ graph: gr, population, existing, candidates, radiusMeters: radius, k })).toEqual(plainGreedy(gr, population, existing, candidates, radius, k));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('candidateNodes', () => {
  it('keeps every population node when there are few; otherwise the heaviest node per grid cell, at most maxCandidates', () => {
    const s = street(100);
    const pop = Array.from({ length: 100 }, (_, i) => ({ node: i, count: i % 7 === 0 ? 0 : 1 + (i % 5) }));
    const few = candidateNodes(s, pop.slice(0, 10), 50);
    expect(few).toEqual([1, 2, 3, 4, 5, 6, 8, 9]);
    const c = candidateNodes(s, pop, 20);
    expect(c.length).toBeLessThanOrEqual(20);
    expect(c.length).toBeGreaterThan(8);
    expect(c).toEqual([...c].sort((a, b) => a - b));
    for (const v of c) expect(pop[v]!.count).toBeGreaterThan(0);
    expect(candidateNodes(s, pop, 20)).toEqual(c);
    expect(candidateNodes(s, pop, 0)).toEqual([]);
  });
});

describe('a district-sized run', () => {
  it('k = 10 over a ~50k-node demo network with thinned candidates finishes in seconds and each site adds less than the one before', () => {
    const ring: number[][] = [];
    for (let i = 0; i <= 360; i++) {
      const t = (2 * Math.PI * (i % 360)) / 360;
      ring.push([121.7 + 0.235 * Math.cos(t), 31.15 + 0.15 * Math.sin(t)]);
    }
    const outline = { type: 'Polygon' as const, coordinates: [ring] };
    const s = syntheticNetwork({ outline, streets: streetSeeds(outline, ['a', 'b', 'c'], 1), spacingMeters: 150, seed: 2 });
    const g = toGraph(s);
    const population = Array.from({ length: s.x.length }, (_, i) => ({ node: i, count: (i * 2654435761) % 7 }));
    const candidates = candidateNodes(s, population, 5000);
    const t0 = performance.now();
    const r = proposeSites({ graph: g, population, existing: [0, 1000, 20000], candidates, radiusMeters: 1200, k: 10 });
    const ms = performance.now() - t0;
    expect(s.x.length).toBeGreaterThan(40_000);
    expect(r).toHaveLength(10);
    for (let i = 1; i < r.length; i++) expect(r[i]!.gain).toBeLessThanOrEqual(r[i - 1]!.gain);
    expect(ms).toBeLessThan(10_000); // measured well under a second; generous for a shared machine
  });
});
