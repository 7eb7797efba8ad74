// Where to open the next service sites (issue 6 §3 "补点"): greedy maximal coverage — each step
// adds the candidate that brings the most people not yet within reach of a site — with lazy
// evaluation (CELF: a candidate's gain can only fall as sites are added, so a stale gain is an
// upper bound and most candidates are never re-counted). Greedy is within 1 − 1/e of the best
// choice of k sites; it is what planners can follow step by step ("this site adds 1,240 people").
// Pure and deterministic: ties go to the lower node index.
import type { Network } from './coverage.ts';
import { withinReach } from './circle.ts';
import { NetworkInputError, type RoadNetwork } from './network.ts';

export interface SitingInput {
  graph: Pick<Network, 'offsets' | 'targets' | 'lengths'>;
  population: readonly { node: number; count: number }[];
  /** Nodes of sites that exist: the people they reach do not count as gain. */
  existing: readonly number[];
  candidates: readonly number[];
  radiusMeters: number;
  k: number;
}

export interface ProposedSite {
  node: number;
  /** People the site brings within reach that no earlier site (existing or proposed) reaches. */
  gain: number;
  /** People within reach of the existing and the proposed sites so far. */
  coveredAfter: number;
  shareAfter: number;
}

/**
 * A bounded Dijkstra over the CSR graph reusing its buffers between runs: the nodes within
 * radius (by withinReach) of the sources. A path's prefix is never longer than the path, so
 * pruning on the rounded distance loses no node. Methods rather than closures: a candidate's
 * search is tens of microseconds, and per-call closures showed in the profile.
 */
class BoundedSearch {
  private readonly dist: Float64Array;
  private readonly touched: Int32Array;
  private nTouched = 0;
  private heapD = new Float64Array(64);
  private heapN = new Int32Array(64);
  private size = 0;
  /** The nodes within reach of the last run, nearest first: reached[0 … count). */
  readonly reached: Int32Array;

  constructor(private readonly g: SitingInput['graph']) {
    const n = g.offsets.length - 1;
    this.dist = new Float64Array(n).fill(Infinity);
    this.touched = new Int32Array(n);
    this.reached = new Int32Array(n);
  }

  private push(d: number, v: number): void {
    if (this.size === this.heapD.length) {
      const nd = new Float64Array(this.size * 2);
      nd.set(this.heapD);
      this.heapD = nd;
      const nn = new Int32Array(this.size * 2);
      nn.set(this.heapN);
      this.heapN = nn;
    }
    const hd = this.heapD, hn = this.heapN;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (hd[p]! <= d) break;
      hd[i] = hd[p]!;
      hn[i] = hn[p]!;
      i = p;
    }
    hd[i] = d;
    hn[i] = v;
  }

  private pop(): number {
    const hd = this.heapD, hn = this.heapN;
    const top = hn[0]!;
    const size = --this.size;
    const d = hd[size]!;
    const v = hn[size]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && hd[c + 1]! < hd[c]!) c++;
      if (hd[c]! >= d) break;
      hd[i] = hd[c]!;
      hn[i] = hn[c]!;
      i = c;
    }
    hd[i] = d;
    hn[i] = v;
    return top;
  }

  private touch(v: number, d: number): void {
    if (this.dist[v] === Infinity) this.touched[this.nTouched++] = v;
    this.dist[v] = d;
    this.push(d, v);
  }

  /** Run from the sources; returns how many nodes are within radius (listed in `reached`). */
  run(sources: readonly number[], radius: number): number {
    const { dist, reached } = this;
    const { offsets, targets, lengths } = this.g;
    // below this a distance is within reach without rounding (the micrometre rule moves it by ≤ 0.5 µm)
    const surely = radius - 1e-6;
    let count = 0;
    for (const s of sources) if (dist[s] !== 0) this.touch(s, 0);
    while (this.size > 0) {
      const d = this.heapD[0]!;
      const u = this.pop();
      if (d > dist[u]!) continue;
      reached[count++] = u;
      for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
        const v = targets[e]!;
        const nd = d + lengths[e]!;
        if (nd < dist[v]! && (nd <= surely || withinReach(nd, radius))) this.touch(v, nd);
      }
    }
    for (let i = 0; i < this.nTouched; i++) dist[this.touched[i]!] = Infinity;
    this.nTouched = 0;
    return count;
  }
}

/** Max-heap order for CELF: larger gain first, then the lower node. */
const before = (ga: number, na: number, gb: number, nb: number) => ga > gb || (ga === gb && na < nb);

/**
 * Up to k new sites by greedy maximal coverage (stops early when no candidate reaches anyone not
 * yet covered). Population entries on the same node add up; candidates listed twice count once.
 */
export function proposeSites(input: SitingInput): ProposedSite[] {
  const { graph, radiusMeters } = input;
  const n = graph.offsets.length - 1;
  const checkNode = (v: number, where: string) => {
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new NetworkInputError(`${where} 引用了不存在的路网节点 ${v}`);
  };
  if (!(radiusMeters >= 0) || !Number.isFinite(radiusMeters)) throw new NetworkInputError('服务半径应为非负数（米）');
  if (!Number.isInteger(input.k) || input.k < 0) throw new NetworkInputError('新增站点数应为非负整数');
  input.existing.forEach((v, i) => checkNode(v, `现有站点 ${i + 1}`));
  input.candidates.forEach((v, i) => checkNode(v, `候选点 ${i + 1}`));

  const weight = new Float64Array(n);
  let total = 0;
  input.population.forEach((p, i) => {
    checkNode(p.node, `人口第 ${i + 1} 项`);
    if (!(p.count >= 0) || !Number.isFinite(p.count)) throw new NetworkInputError(`人口第 ${i + 1} 项的人数无效（应为非负数）`);
    weight[p.node]! += p.count;
    total += p.count;
  });
  const search = new BoundedSearch(graph);
  let covered = 0;
  if (input.existing.length > 0) {
    for (let j = 0, count = search.run(input.existing, radiusMeters); j < count; j++) {
      const v = search.reached[j]!;
      covered += weight[v]!;
      weight[v] = 0;
    }
  }

  // Each candidate's reachable population nodes (only those someone still needs), as CSR.
  const cands = [...new Set(input.candidates)].sort((a, b) => a - b);
  const reachStart = new Int32Array(cands.length + 1);
  let reach = new Int32Array(Math.max(16, cands.length * 8));
  let used = 0;
  const gains = new Float64Array(cands.length);
  const one = [0];
  for (let ci = 0; ci < cands.length; ci++) {
    one[0] = cands[ci]!;
    let gain = 0;
    for (let j = 0, count = search.run(one, radiusMeters); j < count; j++) {
      const v = search.reached[j]!;
      if (weight[v]! <= 0) continue;
      if (used === reach.length) {
        const r = new Int32Array(used * 2);
        r.set(reach);
        reach = r;
      }
      reach[used++] = v;
      gain += weight[v]!;
    }
    reachStart[ci + 1] = used;
    gains[ci] = gain;
  }

  // CELF: a heap of (gain as of round, candidate); a top whose gain is of this round is the best.
  const heap: number[] = [];
  const round = new Int32Array(cands.length);
  const less = (i: number, j: number) => before(gains[heap[i]!]!, cands[heap[i]!]!, gains[heap[j]!]!, cands[heap[j]!]!);
  const swap = (i: number, j: number) => {
    const t = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = t;
  };
  const up = (i: number) => {
    while (i > 0 && less(i, (i - 1) >> 1)) {
      swap(i, (i - 1) >> 1);
      i = (i - 1) >> 1;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < heap.length && less(l, m)) m = l;
      if (r < heap.length && less(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let ci = 0; ci < cands.length; ci++) {
    heap.push(ci);
    up(heap.length - 1);
  }

  const out: ProposedSite[] = [];
  while (out.length < input.k && heap.length > 0) {
    const ci = heap[0]!;
    if (round[ci] !== out.length) {
      let gain = 0;
      for (let j = reachStart[ci]!; j < reachStart[ci + 1]!; j++) gain += weight[reach[j]!]!;
      gains[ci] = gain;
      round[ci] = out.length;
      down(0);
      continue;
    }
    if (gains[ci]! <= 0) break;
    heap[0] = heap[heap.length - 1]!;
    heap.pop();
    if (heap.length > 0) down(0);
    for (let j = reachStart[ci]!; j < reachStart[ci + 1]!; j++) weight[reach[j]!] = 0;
    covered += gains[ci]!;
    out.push({ node: cands[ci]!, gain: gains[ci]!, coveredAfter: covered, shareAfter: total === 0 ? 0 : covered / total });
  }
  return out;
}

/** How much coarser the thinning grid gets per try. */
const GRID_GROWTH = 1.25;

/**
 * Candidate sites when none are given: the population nodes, thinned on a square grid to at most
 * maxCandidates — per occupied cell the node with the most people (the lower index on a tie), the
 * grid made coarser until few enough cells are occupied. Sorted by node.
 */
export function candidateNodes(net: RoadNetwork, population: readonly { node: number; count: number }[], maxCandidates: number): number[] {
  const n = net.x.length;
  const weight = new Float64Array(n);
  for (const p of population) if (p.node >= 0 && p.node < n && p.count > 0) weight[p.node]! += p.count;
  const nodes: number[] = [];
  for (let i = 0; i < n; i++) if (weight[i]! > 0) nodes.push(i);
  if (maxCandidates <= 0) return [];
  if (nodes.length <= maxCandidates) return nodes;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const i of nodes) {
    minX = Math.min(minX, net.x[i]!);
    maxX = Math.max(maxX, net.x[i]!);
    minY = Math.min(minY, net.y[i]!);
    maxY = Math.max(maxY, net.y[i]!);
  }
  let size = Math.max(Math.sqrt(((maxX - minX) * (maxY - minY)) / maxCandidates), 1);
  for (;;) {
    const best = new Map<string, number>();
    for (const i of nodes) {
      const key = `${Math.floor((net.x[i]! - minX) / size)},${Math.floor((net.y[i]! - minY) / size)}`;
      const b = best.get(key);
      if (b === undefined || weight[i]! > weight[b]!) best.set(key, i);
    }
    if (best.size <= maxCandidates) return [...best.values()].sort((a, b) => a - b);
    size *= GRID_GROWTH;
  }
}
