// The 15-minute service circle (issue 6 §3, §5), the pure part: walking distance from every node
// to the nearest site over an undirected street network (multi-source Dijkstra with a binary heap
// over a compact adjacency array), and the share of people within reach. Covered means the
// distance in metres is at most speed × minutes — compared in metres, never as summed minutes —
// so exactly 15 minutes is covered.

export interface CoverageInput {
  nodes: { id: string; x: number; y: number }[];
  edges: { from: string; to: string; meters: number }[];
  sites: string[];
  population: { node: string; count: number }[];
  walkMetersPerMinute: number;
  minutes: number;
}

export interface CoverageResult {
  covered: number;
  total: number;
  share: number;
  uncoveredNodes: string[];
  minutesToNearest: Record<string, number>;
}

export class CoverageInputError extends Error {}

/** A network ready for repeated coverage runs: ids → indices, edges in CSR form. */
export interface Network {
  ids: string[];
  index: Map<string, number>;
  /** Neighbours of node i are targets[offsets[i]] … targets[offsets[i+1]-1], with their lengths. */
  offsets: Int32Array;
  targets: Int32Array;
  lengths: Float64Array;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Check the input and build the network; throws CoverageInputError with a Chinese and English reason. */
export function readCoverageInput(raw: unknown): { input: CoverageInput; network: Network } {
  const fail = (m: string): never => {
    throw new CoverageInputError(m);
  };
  if (!isObj(raw)) fail('输入应为一个 JSON 对象 / input must be one JSON object');
  const o = raw as Record<string, unknown>;
  if (!Array.isArray(o.nodes) || o.nodes.length === 0) fail('nodes 为空：路网至少要有一个节点 / empty graph: nodes must be a non-empty array');
  if (o.edges !== undefined && !Array.isArray(o.edges)) fail('edges 应为数组 / edges must be an array');
  if (o.sites !== undefined && !Array.isArray(o.sites)) fail('sites 应为数组 / sites must be an array');
  if (o.population !== undefined && !Array.isArray(o.population)) fail('population 应为数组 / population must be an array');
  const speed = o.walkMetersPerMinute === undefined ? 80 : o.walkMetersPerMinute;  
  const minutes = o.minutes === undefined ? 15 : o.minutes;  
  if (!finite(speed) || speed <= 0) fail(`walkMetersPerMinute 应为正数，收到 ${JSON.stringify(speed)} / walkMetersPerMinute must be a positive number`);
  if (!finite(minutes) || minutes < 0) fail(`minutes 应为非负数，收到 ${JSON.stringify(minutes)} / minutes must be a non-negative number`);

  const nodes = o.nodes as unknown[];
  const ids: string[] = [];
  const index = new Map<string, number>();
  const cleanNodes: CoverageInput['nodes'] = [];
  nodes.forEach((n, i) => {
    if (!isObj(n) || typeof n.id !== 'string' || n.id === '') fail(`nodes[${i}] 缺少 id（非空字符串） / nodes[${i}] needs a string id`);
    const nn = n as { id: string; x?: unknown; y?: unknown };
    if ((nn.x !== undefined && !finite(nn.x)) || (nn.y !== undefined && !finite(nn.y))) fail(`节点 ${nn.id} 的坐标无效 / node ${nn.id}: x and y must be numbers`);
    if (index.has(nn.id)) fail(`节点 ${nn.id} 重复 / duplicate node ${nn.id}`);
    index.set(nn.id, ids.length);
    ids.push(nn.id);
    cleanNodes.push({ id: nn.id, x: (nn.x as number | undefined) ?? 0, y: (nn.y as number | undefined) ?? 0 });
  });
  const node = (id: unknown, where: string): number => {
    const i = typeof id === 'string' ? index.get(id) : undefined;
    if (i === undefined) fail(`${where} 引用了未知节点 ${JSON.stringify(id)} / ${where}: unknown node ${JSON.stringify(id)}`);
    return i!;
  };

  const edges = (o.edges ?? []) as unknown[];
  const from = new Int32Array(edges.length);
  const to = new Int32Array(edges.length);
  const len = new Float64Array(edges.length);
  const cleanEdges: CoverageInput['edges'] = [];
  edges.forEach((e, k) => {
    if (!isObj(e)) fail(`edges[${k}] 应为对象 / edges[${k}] must be an object`);
    const ee = e as { from?: unknown; to?: unknown; meters?: unknown };
    from[k] = node(ee.from, `edges[${k}].from`);
    to[k] = node(ee.to, `edges[${k}].to`);
    if (!finite(ee.meters)) fail(`edges[${k}] 的长度无效 / edges[${k}]: meters must be a number`);
    if ((ee.meters as number) < 0) fail(`edges[${k}] 的长度为负数（${ee.meters}） / edges[${k}]: negative length ${ee.meters}`);
    len[k] = ee.meters as number;
    cleanEdges.push({ from: ee.from as string, to: ee.to as string, meters: ee.meters as number });
  });

  const sites = ((o.sites ?? []) as unknown[]).map((s, k) => (node(s, `sites[${k}]`), s as string));
  const population = ((o.population ?? []) as unknown[]).map((p, k) => {
    if (!isObj(p)) fail(`population[${k}] 应为对象 / population[${k}] must be an object`);
    const pp = p as { node?: unknown; count?: unknown };
    node(pp.node, `population[${k}].node`);
    if (!finite(pp.count) || (pp.count as number) < 0) fail(`population[${k}] 的人数无效（应为非负数） / population[${k}]: count must be a non-negative number`);
    return { node: pp.node as string, count: pp.count as number };
  });

  // CSR adjacency, both directions.
  const n = ids.length;
  const degree = new Int32Array(n + 1);
  for (let k = 0; k < edges.length; k++) {
    degree[from[k]!]! += 1;
    degree[to[k]!]! += 1;
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + degree[i]!;
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(offsets[n]!);
  const lengths = new Float64Array(offsets[n]!);
  for (let k = 0; k < edges.length; k++) {
    const a = from[k]!;
    const b = to[k]!;
    targets[fill[a]!] = b;
    lengths[fill[a]!++] = len[k]!;
    targets[fill[b]!] = a;
    lengths[fill[b]!++] = len[k]!;
  }
  return {
    input: { nodes: cleanNodes, edges: cleanEdges, sites, population, walkMetersPerMinute: speed as number, minutes: minutes as number },
    network: { ids, index, offsets, targets, lengths },
  };
}

/** Metres from every node to its nearest source (Infinity when unreachable): multi-source Dijkstra. */
export function distancesFrom(net: Network, sources: readonly number[], limit = Infinity): Float64Array {
  const n = net.ids.length;
  const dist = new Float64Array(n).fill(Infinity);
  // Binary heap of (distance, node), lazy deletion.
  let heapD = new Float64Array(Math.max(16, sources.length * 2));  
  let heapN = new Int32Array(heapD.length);
  let size = 0;
  const push = (d: number, v: number) => {
    if (size === heapD.length) {
      const nd = new Float64Array(size * 2);
      nd.set(heapD);
      heapD = nd;
      const nn = new Int32Array(size * 2);
      nn.set(heapN);
      heapN = nn;
    }
    let i = size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heapD[p]! <= d) break;
      heapD[i] = heapD[p]!;
      heapN[i] = heapN[p]!;
      i = p;
    }
    heapD[i] = d;
    heapN[i] = v;
  };
  const pop = (): number => {
    const top = heapN[0]!;
    const d = heapD[--size]!;
    const v = heapN[size]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && heapD[c + 1]! < heapD[c]!) c++;
      if (heapD[c]! >= d) break;
      heapD[i] = heapD[c]!;
      heapN[i] = heapN[c]!;
      i = c;
    }
    heapD[i] = d;
    heapN[i] = v;
    return top;
  };
  for (const s of sources) {
    if (dist[s] !== 0) {
      dist[s] = 0;
      push(0, s);
    }
  }
  const { offsets, targets, lengths } = net;
  while (size > 0) {
    const d = heapD[0]!;
    const u = pop();
    if (d > dist[u]!) continue;
    if (d > limit) break;
    for (let e = offsets[u]!, end = offsets[u + 1]!; e < end; e++) {
      const v = targets[e]!;
      const nd = d + lengths[e]!;
      if (nd < dist[v]!) {
        dist[v] = nd;
        push(nd, v);
      }
    }
  }
  return dist;
}

const MICROMETRES = 1e6;

/** Coverage of the population: people whose nearest site is within speed × minutes metres. */
export function coverage(input: CoverageInput, net: Network): CoverageResult {
  const reach = input.walkMetersPerMinute * input.minutes;
  const dist = distancesFrom(net, input.sites.map((s) => net.index.get(s)!));
  const counts = new Map<string, number>();
  for (const p of input.population) counts.set(p.node, (counts.get(p.node) ?? 0) + p.count);
  let covered = 0;
  let total = 0;
  const uncoveredNodes: string[] = [];
  const minutesToNearest: Record<string, number> = {};
  for (const [id, count] of counts) {
    // Lengths summed in floating point drift (11.5 + 48.2 + 555.6 + 380.3 + 204.4 = 1200.0000000000002): distances are
    // taken to the micrometre before they are compared with the reach or turned into minutes.
    const raw = dist[net.index.get(id)!]!;
    const d = raw === Infinity ? raw : Math.round(raw * MICROMETRES) / MICROMETRES;
    total += count;
    if (d <= reach) covered += count;
    else uncoveredNodes.push(id);
    if (d !== Infinity) minutesToNearest[id] = d / input.walkMetersPerMinute;
  }
  return { covered, total, share: total === 0 ? 0 : covered / total, uncoveredNodes, minutesToNearest };
}
