// The 15-minute circle: the contract's worked example, the edges the issue names (exactly 15
// minutes is covered, compared in metres; people on a site are covered; unreachable nodes are
// uncovered and have no minutes; bad input is refused), and a comparison with a plain
// Floyd–Warshall on random small graphs.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageText } from '../cli/coverage.ts';
import { coverage, readCoverageInput } from './index.ts';

const EXAMPLE = {
  nodes: [{ id: 'n1', x: 0, y: 0 }, { id: 'n2', x: 600, y: 0 }, { id: 'n3', x: 1200, y: 0 }, { id: 'n4', x: 1800, y: 0 }, { id: 'n5', x: 0, y: 500 }],
  edges: [{ from: 'n1', to: 'n2', meters: 600 }, { from: 'n2', to: 'n3', meters: 600 }, { from: 'n3', to: 'n4', meters: 600 }],
  sites: ['n1'],
  population: [{ node: 'n1', count: 5 }, { node: 'n3', count: 40 }, { node: 'n4', count: 10 }, { node: 'n5', count: 3 }],
  walkMetersPerMinute: 80,
  minutes: 15,
};
const run = (o: unknown) => {
  const { input, network } = readCoverageInput(o);
  return coverage(input, network);
};

describe('coverage contract', () => {
  it('EXAMPLES.md: n3 is exactly 1200 m = 15 minutes away and covered; n5 is unreachable', () => {
    expect(coverageText(JSON.stringify(EXAMPLE))).toEqual({
      stdout: '{"covered":45,"total":58,"share":0.7758620689655172,"uncoveredNodes":["n4","n5"],"minutesToNearest":{"n1":0,"n3":15,"n4":22.5}}\n',
      stderr: '',
      code: 0,
    });
  });

  it('exactly the reach in metres is covered even when the lengths do not add up exactly in floating point', () => {
    const r = run({ ...EXAMPLE, edges: [{ from: 'n1', to: 'n2', meters: 400.1 }, { from: 'n2', to: 'n3', meters: 399.9 }, { from: 'n3', to: 'n4', meters: 400 }], population: [{ node: 'n4', count: 7 }] });
    expect(r).toMatchObject({ covered: 7, total: 7, share: 1, uncoveredNodes: [], minutesToNearest: { n4: 15 } });
    // 11.5 + 48.2 + 555.6 + 380.3 + 204.4 is 1200.0000000000002 in floating point: still exactly 15 minutes, covered.
    expect(11.5 + 48.2 + 555.6 + 380.3 + 204.4).toBeGreaterThan(1200);
    const path = [11.5, 48.2, 555.6, 380.3, 204.4];
    const nodes = path.map((_, i) => ({ id: `p${i}`, x: 0, y: 0 })).concat([{ id: 'p5', x: 0, y: 0 }]);
    const drift = run({ ...EXAMPLE, nodes, edges: path.map((m, i) => ({ from: `p${i}`, to: `p${i + 1}`, meters: m })), sites: ['p0'], population: [{ node: 'p5', count: 3 }] });
    expect(drift).toMatchObject({ covered: 3, uncoveredNodes: [], minutesToNearest: { p5: 15 } });
    const over = run({ ...EXAMPLE, edges: [{ from: 'n1', to: 'n4', meters: 1200.01 }], population: [{ node: 'n4', count: 7 }] });
    expect(over).toMatchObject({ covered: 0, uncoveredNodes: ['n4'] });
  });

  it('edges are walked both ways; the nearest of several sites counts; people on a site are covered; duplicates add up', () => {
    const r = run({
      nodes: [{ id: 'a', x: 0, y: 0 }, { id: 'b', x: 0, y: 0 }, { id: 'c', x: 0, y: 0 }],
      edges: [{ from: 'b', to: 'a', meters: 2000 }, { from: 'c', to: 'b', meters: 100 }],
      sites: ['a', 'c'],
      population: [{ node: 'a', count: 1 }, { node: 'b', count: 2 }, { node: 'b', count: 3 }],
      walkMetersPerMinute: 50,
      minutes: 2,
    });
    expect(r).toEqual({ covered: 6, total: 6, share: 1, uncoveredNodes: [], minutesToNearest: { a: 0, b: 2 } });
  });

  it('no sites: nobody is covered and no minutes are given; no population: share 0', () => {
    expect(run({ ...EXAMPLE, sites: [] })).toEqual({ covered: 0, total: 58, share: 0, uncoveredNodes: ['n1', 'n3', 'n4', 'n5'], minutesToNearest: {} });
    expect(run({ ...EXAMPLE, population: [] })).toEqual({ covered: 0, total: 0, share: 0, uncoveredNodes: [], minutesToNearest: {} });
  });

  it.each([
    ['empty input', ''],
    ['not JSON', '{"nodes":'],
    ['not an object', '[1,2]'],
    ['empty graph', JSON.stringify({ ...EXAMPLE, nodes: [] })],
    ['unknown node in an edge', JSON.stringify({ ...EXAMPLE, edges: [{ from: 'n1', to: 'n9', meters: 1 }] })],
    ['unknown site', JSON.stringify({ ...EXAMPLE, sites: ['x'] })],
    ['unknown population node', JSON.stringify({ ...EXAMPLE, population: [{ node: 'x', count: 1 }] })],
    ['negative length', JSON.stringify({ ...EXAMPLE, edges: [{ from: 'n1', to: 'n2', meters: -1 }] })],
    ['negative count', JSON.stringify({ ...EXAMPLE, population: [{ node: 'n1', count: -1 }] })],
    ['duplicate node', JSON.stringify({ ...EXAMPLE, nodes: [...EXAMPLE.nodes, { id: 'n1', x: 0, y: 0 }] })],
    ['zero speed', JSON.stringify({ ...EXAMPLE, walkMetersPerMinute: 0 })],
  ])('%s → exit 2, a message on stderr, nothing on stdout', (_, text) => {
    const r = coverageText(text);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^错误：/);
  });

  it('as a process: stdout is the JSON line, exit 0; bad input: exit 2 with stderr only', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const proc = (stdin: string) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
        const c = spawn(process.execPath, ['bin/yiyang.js', 'coverage'], { cwd: root, env: { ...process.env, DATABASE_URL: '' } });
        let out = '';
        let err = '';
        c.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
        c.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
        c.on('error', reject);
        c.on('close', (code) => resolve({ code, out, err }));
        c.stdin.end(stdin);
      });
    const ok = await proc(JSON.stringify(EXAMPLE));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ covered: 45, total: 58 });
    const bad = await proc('{"nodes":[]}');
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err).toMatch(/empty graph/);
  });

  it('property: distances agree with Floyd–Warshall on random small graphs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }).chain((n) =>
          fc.record({
            n: fc.constant(n),
            edges: fc.array(fc.record({ a: fc.integer({ min: 0, max: n - 1 }), b: fc.integer({ min: 0, max: n - 1 }), m: fc.integer({ min: 0, max: 900 }) }), { maxLength: 20 }),
            sites: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: 3 }),
            minutes: fc.integer({ min: 0, max: 20 }),
          }),
        ),
        ({ n, edges, sites, minutes }) => {
          const d = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
          for (const e of edges) {
            d[e.a]![e.b] = Math.min(d[e.a]![e.b]!, e.m);
            d[e.b]![e.a] = Math.min(d[e.b]![e.a]!, e.m);
          }
          for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i]![j] = Math.min(d[i]![j]!, d[i]![k]! + d[k]![j]!);
          const nodes = Array.from({ length: n }, (_, i) => ({ id: `v${i}`, x: 0, y: 0 }));
          const r = run({ nodes, edges: edges.map((e) => ({ from: `v${e.a}`, to: `v${e.b}`, meters: e.m })), sites: sites.map((s) => `v${s}`), population: nodes.map((x) => ({ node: x.id, count: 1 })), walkMetersPerMinute: 80, minutes });
          for (let i = 0; i < n; i++) {
            const best = Math.min(...sites.map((s) => d[s]![i]!), Infinity);
            if (best === Infinity) expect(r.minutesToNearest[`v${i}`]).toBeUndefined();
            else expect(r.minutesToNearest[`v${i}`]).toBeCloseTo(best / 80, 9);
            expect(r.uncoveredNodes.includes(`v${i}`)).toBe(!(best <= 80 * minutes));
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
