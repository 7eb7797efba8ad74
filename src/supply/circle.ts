// The 15-minute service circle over a stored road network (issue 6 §3): walking distance from every
// node to the nearest site, the share of people within reach — overall and by street — and where
// the uncovered people live, gathered into grid cells for a gap map. Pure. Covered follows
// coverage.ts (README "yiyang coverage"): the distance in metres, taken to the micrometre, is at
// most speed × minutes, so exactly 15 minutes is covered.
import { distancesFrom, type Network } from './coverage.ts';
import { NetworkInputError, toGraph, xyToLonLat, type RoadNetwork } from './network.ts';

const MICROMETRES = 1e6;

/**
 * Whether a summed walking distance is within reach. Lengths summed in floating point drift
 * (400.1 + 399.9 + 400 ≠ 1200 exactly), so the distance is taken to the micrometre first — the
 * rule of coverage.ts, which does not export it.
 */
export const withinReach = (meters: number, reachMeters: number): boolean =>
  meters !== Infinity && Math.round(meters * MICROMETRES) / MICROMETRES <= reachMeters;

/** Side of the grid cells the uncovered population is gathered into (metres). */
export const GAP_CELL_METERS = 250;

export interface CircleInput {
  net: RoadNetwork;
  /** toGraph(net), when the caller already has it (it is built otherwise). */
  graph?: Network;
  siteNodes: readonly number[];
  /** People per node; `region` (a street code) overrides the node's own region. */
  population: readonly { node: number; count: number; region?: string }[];
  walkMetersPerMinute: number;
  minutes: number;
  cellMeters?: number;
}

export interface RegionCoverage {
  covered: number;
  total: number;
  share: number;
}

export interface CircleResult extends RegionCoverage {
  reachMeters: number;
  /** By street code: people whose region is known (from the entry or the node). */
  byRegion: Record<string, RegionCoverage>;
  /** Metres from each node to its nearest site; Infinity when no site can be reached. */
  nodeMeters: Float64Array;
  /** Uncovered people by grid cell (centre in WGS84), most people first. */
  uncoveredCells: { lon: number; lat: number; count: number }[];
}

/** A district's network spans a few hundred km at most: cell indices stay far below 2^25 for any cell of 1 cm or more, and keys below 2^53. */
const CELL_KEY_OFFSET = 2 ** 25;
const CELL_KEY_SPAN = 2 ** 26;

const share = (covered: number, total: number) => (total === 0 ? 0 : covered / total);

export function circleCoverage(input: CircleInput): CircleResult {
  const { net } = input;
  const n = net.x.length;
  const checkNode = (v: number, where: string) => {
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new NetworkInputError(`${where} 引用了不存在的路网节点 ${v}`);
  };
  if (!(input.walkMetersPerMinute > 0) || !Number.isFinite(input.walkMetersPerMinute)) throw new NetworkInputError('步行速度应为正数（米/分钟）');
  if (!(input.minutes >= 0) || !Number.isFinite(input.minutes)) throw new NetworkInputError('分钟数应为非负数');
  const cell = input.cellMeters ?? GAP_CELL_METERS;
  if (!(cell > 0)) throw new NetworkInputError('网格大小应为正数（米）');
  input.siteNodes.forEach((s, k) => checkNode(s, `站点 ${k + 1}`));
  input.population.forEach((p, k) => {
    checkNode(p.node, `人口第 ${k + 1} 项`);
    if (!(p.count >= 0) || !Number.isFinite(p.count)) throw new NetworkInputError(`人口第 ${k + 1} 项的人数无效（应为非负数）`);
  });

  const reach = input.walkMetersPerMinute * input.minutes;
  const nodeMeters = input.siteNodes.length === 0 ? new Float64Array(n).fill(Infinity) : distancesFrom(input.graph ?? toGraph(net), input.siteNodes);
  let covered = 0;
  let total = 0;
  const byRegion: Record<string, RegionCoverage> = {};
  // cells keyed by number (a string key per uncovered person showed in the profile)
  const cells = new Map<number, { cx: number; cy: number; count: number }>();
  for (const p of input.population) {
    const inside = withinReach(nodeMeters[p.node]!, reach);
    total += p.count;
    if (inside) covered += p.count;
    const r = p.region ?? (net.region && net.regions && net.region[p.node]! >= 0 ? net.regions[net.region[p.node]!] : undefined);
    if (r !== undefined) {
      const b = (byRegion[r] ??= { covered: 0, total: 0, share: 0 });
      b.total += p.count;
      if (inside) b.covered += p.count;
    }
    if (!inside && p.count > 0) {
      const cx = Math.floor(net.x[p.node]! / cell), cy = Math.floor(net.y[p.node]! / cell);
      const key = (cx + CELL_KEY_OFFSET) * CELL_KEY_SPAN + (cy + CELL_KEY_OFFSET);
      const c = cells.get(key);
      if (c) c.count += p.count;
      else cells.set(key, { cx, cy, count: p.count });
    }
  }
  for (const b of Object.values(byRegion)) b.share = share(b.covered, b.total);
  const uncoveredCells = [...cells.values()]
    .sort((a, b) => b.count - a.count || b.cy - a.cy || a.cx - b.cx)
    .map((c) => ({ ...xyToLonLat(net, (c.cx + 0.5) * cell, (c.cy + 0.5) * cell), count: c.count }));
  return { covered, total, share: share(covered, total), reachMeters: reach, byRegion, nodeMeters, uncoveredCells };
}

/**
 * People per street spread over that street's nodes, for the circle and siting when only counts
 * by street are known (the register's street codes, the network's Voronoi streets): each node
 * gets ⌊count / nodes⌋ and the remainder goes one each to nodes evenly spaced through the street's
 * node list, so nodes differ by at most one person. Streets without nodes are returned as unplaced.
 */
export function populationByRegion(net: RoadNetwork, counts: Readonly<Record<string, number>>): { population: { node: number; count: number; region: string }[]; unplaced: Record<string, number> } {
  const nodesOf = new Map<string, number[]>();
  if (net.region && net.regions) {
    for (let i = 0; i < net.region.length; i++) {
      const r = net.region[i]!;
      if (r < 0) continue;
      const code = net.regions[r]!;
      const list = nodesOf.get(code);
      if (list) list.push(i);
      else nodesOf.set(code, [i]);
    }
  }
  const population: { node: number; count: number; region: string }[] = [];
  const unplaced: Record<string, number> = {};
  for (const [code, count] of Object.entries(counts)) {
    if (!Number.isInteger(count) || count < 0) throw new NetworkInputError(`街道 ${code} 的人数应为非负整数`);
    const nodes = nodesOf.get(code);
    if (!nodes) {
      if (count > 0) unplaced[code] = count;
      continue;
    }
    const base = Math.floor(count / nodes.length);
    const extra = count - base * nodes.length;
    // node j gets one more when ⌊(j + 1)·extra / m⌋ steps up: `extra` nodes, evenly spaced
    nodes.forEach((node, j) => {
      const c = base + (Math.floor(((j + 1) * extra) / nodes.length) - Math.floor((j * extra) / nodes.length));
      if (c > 0) population.push({ node, count: c, region: code });
    });
  }
  return { population, unplaced };
}
