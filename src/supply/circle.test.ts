// The service circle over a stored network: the micrometre rule at exactly 15 minutes, streets'
// shares, the gap cells, unreachable nodes, and agreement with coverage.ts on random graphs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { circleCoverage, populationByRegion, withinReach } from './circle.ts';
import { coverage, readCoverageInput } from './coverage.ts';
import { fromLonLat, NetworkInputError, toGraph, type RoadNetwork } from './network.ts';

/** A network from node coordinates (metres) and edges. */
function net(xy: [number, number][], edges: [number, number, number][], regionOf?: number[], regions?: string[]): RoadNetwork {
  return {
    origin: { lon: 121.5, lat: 31.2 },
    x: Float64Array.from(xy, (p) => p[0]),
    y: Float64Array.from(xy, (p) => p[1]),
    from: Int32Array.from(edges, (e) => e[0]),
    to: Int32Array.from(edges, (e) => e[1]),
    meters: Float64Array.from(edges, (e) => e[2]),
    ...(regionOf ? { region: Int32Array.from(regionOf), regions } : {}),
  };
}

// 0 —11.5— 1 —48.2— 2 —555.6— 3 —380.3— 4 —204.4— 5 —0.01— 6      7 (no edges): 0 to 5 is
// exactly 1200 m, which floating point sums to 1200.0000000000002
const LINE = net(
  [[0, 0], [11.5, 0], [59.7, 0], [615.3, 0], [995.6, 0], [1200, 0], [1200.01, 0], [3000, 3000]],
  [[0, 1, 11.5], [1, 2, 48.2], [2, 3, 555.6], [3, 4, 380.3], [4, 5, 204.4], [5, 6, 0.01]],
  [0, 0, 1, 1, 1, 1, 1, -1],
  ['310115004', '310115005'],
);

describe('circleCoverage', () => {
  it('exactly 15 minutes at 80 m/min is covered even when the lengths do not add up exactly; 1 cm more is not', () => {
    expect(11.5 + 48.2 + 555.6 + 380.3 + 204.4).toBeGreaterThan(1200);
    const r = circleCoverage({ net: LINE, siteNodes: [0], population: [{ node: 5, count: 7 }, { node: 6, count: 2 }], walkMetersPerMinute: 80, minutes: 15 });
    expect(r.nodeMeters[5]).toBeGreaterThan(1200);
    expect(r).toMatchObject({ covered: 7, total: 9, share: 7 / 9, reachMeters: 1200 });
    expect(withinReach(11.5 + 48.2 + 555.6 + 380.3 + 204.4, 1200)).toBe(true);
    expect(withinReach(1200.01, 1200)).toBe(false);
    expect(withinReach(Infinity, Infinity)).toBe(false);
  });

  it('distances to the nearest site for every node; Infinity where no site can be reached', () => {
    const r = circleCoverage({ net: LINE, siteNodes: [0, 5], population: [], walkMetersPerMinute: 80, minutes: 15 });
    expect(Array.from(r.nodeMeters).map((d) => (d === Infinity ? d : Math.round(d * 100) / 100))).toEqual([0, 11.5, 59.7, 584.7, 204.4, 0, 0.01, Infinity]);
    expect(r).toMatchObject({ covered: 0, total: 0, share: 0, uncoveredCells: [], byRegion: {} });
    const none = circleCoverage({ net: LINE, siteNodes: [], population: [{ node: 0, count: 1 }], walkMetersPerMinute: 80, minutes: 15 });
    expect(Array.from(none.nodeMeters).every((d) => d === Infinity)).toBe(true);
    expect(none.covered).toBe(0);
  });

  it('by street: the node\'s region, or the entry\'s own; people without a region count only in the total', () => {
    const r = circleCoverage({
      net: LINE,
      siteNodes: [0],
      population: [
        { node: 0, count: 10 }, // 004, covered
        { node: 3, count: 4 }, // 005, covered (615.3 m)
        { node: 6, count: 6 }, // 005, not covered
        { node: 6, count: 1, region: '310115004' }, // entry's region wins
        { node: 7, count: 3 }, // no region, unreachable
      ],
      walkMetersPerMinute: 80,
      minutes: 15,
    });
    expect(r).toMatchObject({ covered: 14, total: 24 });
    expect(r.byRegion).toEqual({
      '310115004': { covered: 10, total: 11, share: 10 / 11 },
      '310115005': { covered: 4, total: 10, share: 0.4 },
    });
  });

  it('gathers the uncovered people into 250 m cells (centre in WGS84), most people first', () => {
    const g = net([[0, 0], [10, 10], [240, 240], [260, 10], [5000, 5000]], [[0, 1, 14], [1, 2, 325]]);
    const r = circleCoverage({ net: g, siteNodes: [0], population: [{ node: 1, count: 1 }, { node: 2, count: 2 }, { node: 3, count: 5 }, { node: 4, count: 4 }, { node: 0, count: 0 }], walkMetersPerMinute: 1, minutes: 5 });
    expect(r.covered).toBe(0);
    expect(r.uncoveredCells.map((c) => c.count)).toEqual([5, 4, 3]);
    const centre = fromLonLat(g, r.uncoveredCells[2]!.lon, r.uncoveredCells[2]!.lat);
    expect(centre.x).toBeCloseTo(125, 6);
    expect(centre.y).toBeCloseTo(125, 6);
    const c1 = fromLonLat(g, r.uncoveredCells[0]!.lon, r.uncoveredCells[0]!.lat);
    expect([c1.x, c1.y].map((v) => Math.round(v))).toEqual([375, 125]);
    const big = circleCoverage({ net: g, siteNodes: [0], population: [{ node: 3, count: 5 }, { node: 2, count: 2 }], walkMetersPerMinute: 1, minutes: 0, cellMeters: 1000 });
    expect(big.uncoveredCells).toHaveLength(1);
    expect(big.uncoveredCells[0]!.count).toBe(7);
  });

  it('refuses unknown nodes, negative counts and a speed that is not positive', () => {
    const base = { net: LINE, siteNodes: [0], population: [{ node: 1, count: 1 }], walkMetersPerMinute: 80, minutes: 15 };
    for (const bad of [{ siteNodes: [8] }, { siteNodes: [1.5] }, { population: [{ node: -1, count: 1 }] }, { population: [{ node: 1, count: -1 }] }, { walkMetersPerMinute: 0 }, { minutes: -1 }, { cellMeters: 0 }]) {
      expect(() => circleCoverage({ ...base, ...bad }), JSON.stringify(bad)).toThrow(NetworkInputError);
    }
  });

  it('agrees with coverage.ts on random graphs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            edges: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.double({ min: 0, max: 900, noNaN: true })), { maxLength: 25 }),
            sites: fc.array(fc.nat(n - 1), { maxLength: 3 }),
            pop: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(50)), { maxLength: 15 }),
            minutes: fc.integer({ min: 0, max: 20 }),
          }),
        ),
        ({ n, edges, sites, pop, minutes }) => {
          const g = net(Array.from({ length: n }, (_, i) => [i * 100, 0]), edges);
          const mine = circleCoverage({ net: g, graph: toGraph(g), siteNodes: sites, population: pop.map(([node, count]) => ({ node, count })), walkMetersPerMinute: 80, minutes });
          const { input, network } = readCoverageInput({
            nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, x: i * 100, y: 0 })),
            edges: edges.map(([a, b, m]) => ({ from: `n${a}`, to: `n${b}`, meters: m })),
            sites: sites.map((s) => `n${s}`),
            population: pop.map(([node, count]) => ({ node: `n${node}`, count })),
            walkMetersPerMinute: 80,
            minutes,
          });
          const theirs = coverage(input, network);
          expect([mine.covered, mine.total, mine.share]).toEqual([theirs.covered, theirs.total, theirs.share]);
        },
      ),
    );
  });
});

describe('populationByRegion', () => {
  it('spreads each street\'s people over its nodes (at most one apart, evenly), keeps the totals, reports streets without nodes', () => {
    const g = net(Array.from({ length: 7 }, (_, i) => [i * 100, 0]), [], [0, 0, 0, 0, 1, 1, -1], ['310115004', '310115005']);
    const { population, unplaced } = populationByRegion(g, { '310115004': 10, '310115005': 1, '310115006': 4, '310115007': 0 });
    const on = (code: string) => population.filter((p) => p.region === code);
    expect(on('310115004').map((p) => [p.node, p.count])).toEqual([[0, 2], [1, 3], [2, 2], [3, 3]]);
    expect(on('310115005').map((p) => [p.node, p.count])).toEqual([[5, 1]]);
    expect(unplaced).toEqual({ '310115006': 4 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 50 }), (count, m) => {
        const h = net(Array.from({ length: m }, (_, i) => [i, 0]), [], Array(m).fill(0), ['a']);
        const p = populationByRegion(h, { a: count }).population;
        expect(p.reduce((s, x) => s + x.count, 0)).toBe(count);
        const cs = Array.from({ length: m }, (_, i) => p.find((x) => x.node === i)?.count ?? 0);
        expect(Math.max(...cs) - Math.min(...cs)).toBeLessThanOrEqual(1);
      }),
    );
    expect(() => populationByRegion(g, { '310115004': 1.5 })).toThrow(NetworkInputError);
  });
});
