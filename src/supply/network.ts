// The walking road network of a district for the 15-minute service circle (issue 6 §3): a compact
// form (node positions in metres on a local projection, undirected edges as typed arrays) read
// from GeoJSON lines or an OpenStreetMap .osm.pbf extract, or generated as a demo street grid
// inside a district outline; a versioned binary encoding for storage; the CSR graph the
// coverage computation (coverage.ts) runs on; and a nearest-node look-up. Pure: no I/O, no clock,
// no Math.random (the demo network takes a seed). zlib is used only to inflate PBF blobs.
import { inflateSync } from 'node:zlib';
import { mulberry32 } from '../core/ids.ts';
import type { Network } from './coverage.ts';
import { haversineMeters } from './model.ts';

export { mulberry32 };

export interface RoadNetwork {
  /** Local projection origin (degrees); x/y are metres east/north of it (equirectangular at lat0). */
  origin: { lon: number; lat: number };
  x: Float64Array;
  y: Float64Array;
  /** Undirected edges: from[k] — to[k], meters[k] long. */
  from: Int32Array;
  to: Int32Array;
  meters: Float64Array;
  /** Optional per-node region (street code) for population placement; index into `regions`, -1 = none. */
  region?: Int32Array;
  regions?: string[];
}

/** A file or value that is not a usable road network; the message is in Chinese for the user. */
export class NetworkInputError extends Error {
  override name = 'NetworkInputError';
}

/** A district outline in longitude/latitude (a GeoJSON Polygon or MultiPolygon geometry). */
export type OutlineGeometry = { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };

// ---------------------------------------------------------------- projection

/** Mean Earth radius (IUGG), metres. */
const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

const scale = (origin: { lat: number }) => ({ kx: EARTH_RADIUS_M * RAD * Math.cos(origin.lat * RAD), ky: EARTH_RADIUS_M * RAD });

/** Metres east/north of the network's origin for a WGS84 point. */
export function fromLonLat(net: Pick<RoadNetwork, 'origin'>, lon: number, lat: number): { x: number; y: number } {
  const { kx, ky } = scale(net.origin);
  return { x: (lon - net.origin.lon) * kx, y: (lat - net.origin.lat) * ky };
}

/** The WGS84 point at metres (x, y) from the network's origin. */
export function xyToLonLat(net: Pick<RoadNetwork, 'origin'>, x: number, y: number): { lon: number; lat: number } {
  const { kx, ky } = scale(net.origin);
  return { lon: net.origin.lon + x / kx, lat: net.origin.lat + y / ky };
}

/** The WGS84 position of node i. */
export function toLonLat(net: RoadNetwork, i: number): { lon: number; lat: number } {
  return xyToLonLat(net, net.x[i]!, net.y[i]!);
}

/** Great-circle distance in metres: the registry's one haversine (model.ts). */
export { haversineMeters };

// ---------------------------------------------------------------- graph and statistics

/**
 * The CSR graph of coverage.ts (edges in both directions) for distancesFrom. Node ids are
 * String(i); `ids` and `index` are built only when first read (the Dijkstra reads ids.length once
 * per run; nothing here needs the id map).
 */
export function toGraph(net: RoadNetwork): Network {
  const n = net.x.length;
  const m = net.from.length;
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    offsets[net.from[k]! + 1]! += 1;
    offsets[net.to[k]! + 1]! += 1;
  }
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(2 * m);
  const lengths = new Float64Array(2 * m);
  for (let k = 0; k < m; k++) {
    const a = net.from[k]!;
    const b = net.to[k]!;
    const len = net.meters[k]!;
    targets[fill[a]!] = b;
    lengths[fill[a]!++] = len;
    targets[fill[b]!] = a;
    lengths[fill[b]!++] = len;
  }
  let ids: string[] | null = null;
  let index: Map<string, number> | null = null;
  const idList = () => (ids ??= Array.from({ length: n }, (_, i) => String(i)));
  return {
    get ids() {
      return idList();
    },
    get index() {
      return (index ??= new Map(idList().map((id, i) => [id, i])));
    },
    offsets,
    targets,
    lengths,
  };
}

export interface NetworkStats {
  nodes: number;
  edges: number;
  totalMeters: number;
  /** WGS84 bounding box of the nodes; null for an empty network. */
  bbox: { minLon: number; minLat: number; maxLon: number; maxLat: number } | null;
}

export function networkStats(net: RoadNetwork): NetworkStats {
  let totalMeters = 0;
  for (let k = 0; k < net.meters.length; k++) totalMeters += net.meters[k]!;
  const n = net.x.length;
  if (n === 0) return { nodes: 0, edges: net.from.length, totalMeters, bbox: null };
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x = net.x[i]!, y = net.y[i]!;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const lo = xyToLonLat(net, minX, minY);
  const hi = xyToLonLat(net, maxX, maxY);
  return { nodes: n, edges: net.from.length, totalMeters, bbox: { minLon: lo.lon, minLat: lo.lat, maxLon: hi.lon, maxLat: hi.lat } };
}

// ---------------------------------------------------------------- building from lon/lat

/** Collects nodes in lon/lat and edges, then projects around the bounding box's centre. */
class Builder {
  readonly lon: number[] = [];
  readonly lat: number[] = [];
  readonly a: number[] = [];
  readonly b: number[] = [];
  readonly len: number[] = [];

  node(lon: number, lat: number): number {
    this.lon.push(lon);
    this.lat.push(lat);
    return this.lon.length - 1;
  }

  edge(a: number, b: number): void {
    if (a === b) return;
    const m = haversineMeters(this.lon[a]!, this.lat[a]!, this.lon[b]!, this.lat[b]!);
    this.a.push(a);
    this.b.push(b);
    this.len.push(m);
  }

  finish(): RoadNetwork {
    const n = this.lon.length;
    let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
    for (let i = 0; i < n; i++) {
      minLon = Math.min(minLon, this.lon[i]!);
      maxLon = Math.max(maxLon, this.lon[i]!);
      minLat = Math.min(minLat, this.lat[i]!);
      maxLat = Math.max(maxLat, this.lat[i]!);
    }
    const origin = n === 0 ? { lon: 0, lat: 0 } : { lon: (minLon + maxLon) / 2, lat: (minLat + maxLat) / 2 };
    const { kx, ky } = scale(origin);
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = (this.lon[i]! - origin.lon) * kx;
      y[i] = (this.lat[i]! - origin.lat) * ky;
    }
    return compact({ origin, x, y, from: Int32Array.from(this.a), to: Int32Array.from(this.b), meters: Float64Array.from(this.len) });
  }
}

/**
 * Drop self-loops, keep one edge per node pair (the shortest; the first on a tie) and drop nodes
 * no edge touches, renumbering the rest in their order.
 */
export function compact(net: RoadNetwork): RoadNetwork {
  const n = net.x.length;
  const m = net.from.length;
  // edges bucketed by their lower end (counting sort), then one pass per bucket with a stamp per
  // upper end: linear, no hash map (a district's OSM network has hundreds of thousands of edges)
  const start = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) if (net.from[k] !== net.to[k]) start[Math.min(net.from[k]!, net.to[k]!) + 1]! += 1;
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const byLow = new Int32Array(start[n]!);
  for (let k = 0; k < m; k++) if (net.from[k] !== net.to[k]) byLow[fill[Math.min(net.from[k]!, net.to[k]!)]!++] = k;
  const stamp = new Int32Array(n).fill(-1);
  const slot = new Int32Array(n);
  const kept = new Int32Array(byLow.length);
  let nk = 0;
  for (let lo = 0; lo < n; lo++) {
    for (let j = start[lo]!; j < start[lo + 1]!; j++) {
      const k = byLow[j]!;
      const hi = Math.max(net.from[k]!, net.to[k]!);
      if (stamp[hi] !== lo) {
        stamp[hi] = lo;
        slot[hi] = nk;
        kept[nk++] = k;
      } else if (net.meters[k]! < net.meters[kept[slot[hi]!]!]!) kept[slot[hi]!] = k;
    }
  }
  const keep = kept.subarray(0, nk).sort();
  const used = new Uint8Array(n);
  for (let j = 0; j < nk; j++) {
    used[net.from[keep[j]!]!] = 1;
    used[net.to[keep[j]!]!] = 1;
  }
  const renum = new Int32Array(n).fill(-1);
  let count = 0;
  for (let i = 0; i < n; i++) if (used[i]) renum[i] = count++;
  const x = new Float64Array(count), y = new Float64Array(count);
  const region = net.region ? new Int32Array(count) : undefined;
  for (let i = 0; i < n; i++) {
    const j = renum[i]!;
    if (j < 0) continue;
    x[j] = net.x[i]!;
    y[j] = net.y[i]!;
    if (region) region[j] = net.region![i]!;
  }
  const from = new Int32Array(nk), to = new Int32Array(nk), meters = new Float64Array(nk);
  for (let j = 0; j < nk; j++) {
    const k = keep[j]!;
    from[j] = renum[net.from[k]!]!;
    to[j] = renum[net.to[k]!]!;
    meters[j] = net.meters[k]!;
  }
  const out: RoadNetwork = { origin: { ...net.origin }, x, y, from, to, meters };
  if (region && net.regions) {
    out.region = region;
    out.regions = [...net.regions];
  }
  return out;
}

// ---------------------------------------------------------------- GeoJSON

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Vertices equal to 1e-7° (about 1 cm) are one node. */
const SNAP_PER_DEGREE = 1e7;

/** A network from a GeoJSON FeatureCollection of LineString / MultiLineString features in WGS84. */
export function networkFromGeoJSON(fc: unknown): RoadNetwork {
  if (!isObj(fc) || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new NetworkInputError('不是 GeoJSON FeatureCollection：需要 {"type":"FeatureCollection","features":[…]}');
  }
  const b = new Builder();
  const nodeOf = new Map<string, number>();
  let lines = 0;
  fc.features.forEach((f: unknown, k: number) => {
    if (!isObj(f) || f.type !== 'Feature') throw new NetworkInputError(`第 ${k + 1} 个要素不是 GeoJSON Feature`);
    const g = f.geometry;
    if (g === null || g === undefined) return;
    if (!isObj(g)) throw new NetworkInputError(`第 ${k + 1} 个要素的 geometry 无效`);
    let parts: unknown[];
    if (g.type === 'LineString') parts = [g.coordinates];
    else if (g.type === 'MultiLineString' && Array.isArray(g.coordinates)) parts = g.coordinates;
    else return; // points, polygons: not streets
    for (const line of parts) {
      if (!Array.isArray(line)) throw new NetworkInputError(`第 ${k + 1} 个要素的坐标不是坐标数组`);
      lines++;
      let prev = -1;
      for (const p of line) {
        if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
          throw new NetworkInputError(`第 ${k + 1} 个要素有无效坐标 ${JSON.stringify(p)}：每个点应为 [经度, 纬度]`);
        }
        const [lon, lat] = p as [number, number];
        if (lon < -180 || lon > 180 || lat < -90 || lat > 90) {
          throw new NetworkInputError(`第 ${k + 1} 个要素的坐标 [${lon}, ${lat}] 超出经纬度范围（经度 −180～180，纬度 −90～90）：坐标应为 WGS84 经纬度，而不是投影坐标`);
        }
        const key = `${Math.round(lon * SNAP_PER_DEGREE)},${Math.round(lat * SNAP_PER_DEGREE)}`;
        let i = nodeOf.get(key);
        if (i === undefined) {
          i = b.node(lon, lat);
          nodeOf.set(key, i);
        }
        if (prev >= 0) b.edge(prev, i);
        prev = i;
      }
    }
  });
  if (lines === 0) throw new NetworkInputError('没有线要素（LineString 或 MultiLineString）：文件里没有道路');
  const net = b.finish();
  if (net.from.length === 0) throw new NetworkInputError('线要素没有长度不为零的路段');
  return net;
}

// ---------------------------------------------------------------- OpenStreetMap PBF

/** Highways a pedestrian may walk (OSM `highway=*`); motorway*, trunk*, construction, proposed are not. */
export const WALKABLE_HIGHWAYS: ReadonlySet<string> = new Set([
  'footway', 'path', 'pedestrian', 'living_street', 'residential', 'service', 'unclassified',
  'tertiary', 'tertiary_link', 'secondary', 'secondary_link', 'primary', 'primary_link',
  'steps', 'track', 'cycleway', 'corridor',
]);
const FOOT_ALLOWED = new Set(['yes', 'designated', 'permissive']);
const ACCESS_DENIED = new Set(['no', 'private']);

/**
 * Whether a way with these tags is walkable: a walkable highway, not foot=no/private, and not
 * access=no/private unless foot explicitly allows walking (OSM: the more specific tag wins, e.g.
 * `access=no foot=yes` on a pedestrian-only street).
 */
export function isWalkable(tags: Readonly<Record<string, string>>): boolean {
  const hw = tags.highway;
  if (hw === undefined || !WALKABLE_HIGHWAYS.has(hw)) return false;
  const foot = tags.foot;
  if (foot !== undefined && ACCESS_DENIED.has(foot)) return false;
  if (foot !== undefined && FOOT_ALLOWED.has(foot)) return true;
  return !(tags.access !== undefined && ACCESS_DENIED.has(tags.access));
}

const WIRE_VARINT = 0, WIRE_64 = 1, WIRE_LEN = 2, WIRE_32 = 5;
const TWO_POW_63 = 2 ** 63, TWO_POW_64 = 2 ** 64;
const truncated = () => new NetworkInputError('OSM PBF 文件被截断或已损坏');

/** A minimal protocol-buffers reader over buf[pos, end) (numbers as doubles: exact below 2^53). */
class Pb {
  constructor(readonly buf: Uint8Array, public pos: number, readonly end: number) {}
  more(): boolean {
    return this.pos < this.end;
  }
  varint(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.end) throw truncated();
      const byte = this.buf[this.pos++]!;
      v += (byte & 0x7f) * mul;
      if (byte < 0x80) return v;
      mul *= 128;
      if (mul > TWO_POW_64) throw truncated();
    }
  }
  /** int64 / int32 (two's complement in 64 bits). */
  int(): number {
    const v = this.varint();
    return v >= TWO_POW_63 ? v - TWO_POW_64 : v;
  }
  sint(): number {
    const v = this.varint();
    return v % 2 === 0 ? v / 2 : -(v + 1) / 2;
  }
  /** The next field: its number and wire type, or null at the end. */
  key(): { field: number; wire: number } | null {
    if (!this.more()) return null;
    const k = this.varint();
    return { field: Math.floor(k / 8), wire: k % 8 };
  }
  sub(): Pb {
    const len = this.varint();
    const start = this.pos;
    if (start + len > this.end) throw truncated();
    this.pos += len;
    return new Pb(this.buf, start, start + len);
  }
  bytes(): Uint8Array {
    const s = this.sub();
    return this.buf.subarray(s.pos, s.end);
  }
  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_64) this.pos += 8;
    else if (wire === WIRE_LEN) this.sub();
    else if (wire === WIRE_32) this.pos += 4;
    else throw truncated();
    if (this.pos > this.end) throw truncated();
  }
  /** A repeated numeric field, packed or not, appended to out via read. */
  repeated(wire: number, out: number[], read: (p: Pb) => number): void {
    if (wire === WIRE_LEN) {
      const s = this.sub();
      while (s.more()) out.push(read(s));
    } else out.push(read(this));
  }
}

const utf8 = new TextDecoder();
const rVarint = (p: Pb) => p.varint();
const rSint = (p: Pb) => p.sint();
/** Features of the OSM PBF format this reader understands (HeaderBlock.required_features). */
const SUPPORTED_FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);
const MAX_HEADER_BYTES = 64 * 1024;
const MAX_BLOB_BYTES = 32 * 1024 * 1024;
const NANODEGREES = 1e-9;
const DEFAULT_GRANULARITY = 100;

/** The file's blocks, inflated: [type, data]. */
function* pbfBlocks(buf: Uint8Array): Generator<{ type: string; data: Uint8Array }> {
  let pos = 0;
  while (pos < buf.length) {
    if (pos + 4 > buf.length) throw truncated();
    const hlen = ((buf[pos]! << 24) >>> 0) + (buf[pos + 1]! << 16) + (buf[pos + 2]! << 8) + buf[pos + 3]!;
    pos += 4;
    if (hlen > MAX_HEADER_BYTES || pos + hlen > buf.length) throw new NetworkInputError('不是 OSM PBF 文件（文件块头无效）');
    const h = new Pb(buf, pos, pos + hlen);
    pos += hlen;
    let type = '';
    let size = -1;
    for (let k = h.key(); k; k = h.key()) {
      if (k.field === 1 && k.wire === WIRE_LEN) type = utf8.decode(h.bytes());
      else if (k.field === 3 && k.wire === WIRE_VARINT) size = h.varint();
      else h.skip(k.wire);
    }
    if (size < 0 || size > MAX_BLOB_BYTES || pos + size > buf.length) throw new NetworkInputError('不是 OSM PBF 文件（文件块长度无效）');
    const b = new Pb(buf, pos, pos + size);
    pos += size;
    let data: Uint8Array | null = null;
    for (let k = b.key(); k; k = b.key()) {
      if (k.field === 1 && k.wire === WIRE_LEN) data = b.bytes();
      else if (k.field === 3 && k.wire === WIRE_LEN) {
        try {
          data = inflateSync(b.bytes());
        } catch {
          throw new NetworkInputError('OSM PBF 文件块解压失败（zlib 数据损坏）');
        }
      } else if (k.field >= 4 && k.field <= 7) throw new NetworkInputError('OSM PBF 文件使用了不支持的压缩方式（只支持未压缩和 zlib）');
      else b.skip(k.wire);
    }
    if (!data) throw new NetworkInputError('OSM PBF 文件块没有数据');
    yield { type, data };
  }
}

/** Ways (walkable) and all nodes of the file, decoded in one pass. */
interface OsmParts {
  nodeIds: number[];
  nodeLon: number[];
  nodeLat: number[];
  wayRefs: number[];
  wayStart: number[];
}

function readPrimitiveBlock(data: Uint8Array, out: OsmParts): void {
  const p = new Pb(data, 0, data.length);
  let strings: string[] = [];
  const groups: Pb[] = [];
  let granularity = DEFAULT_GRANULARITY, latOffset = 0, lonOffset = 0;
  for (let k = p.key(); k; k = p.key()) {
    if (k.field === 1 && k.wire === WIRE_LEN) {
      const s = p.sub();
      strings = [];
      for (let kk = s.key(); kk; kk = s.key()) {
        if (kk.field === 1 && kk.wire === WIRE_LEN) strings.push(utf8.decode(s.bytes()));
        else s.skip(kk.wire);
      }
    } else if (k.field === 2 && k.wire === WIRE_LEN) groups.push(p.sub());
    else if (k.field === 17 && k.wire === WIRE_VARINT) granularity = p.int();
    else if (k.field === 19 && k.wire === WIRE_VARINT) latOffset = p.int();
    else if (k.field === 20 && k.wire === WIRE_VARINT) lonOffset = p.int();
    else p.skip(k.wire);
  }
  const lat = (v: number) => NANODEGREES * (latOffset + granularity * v);
  const lon = (v: number) => NANODEGREES * (lonOffset + granularity * v);
  const str = (i: number) => strings[i] ?? '';
  for (const g of groups) {
    for (let k = g.key(); k; k = g.key()) {
      if (k.wire !== WIRE_LEN) {
        g.skip(k.wire);
        continue;
      }
      const s = g.sub();
      if (k.field === 1) {
        // a plain Node
        let id = 0, la = 0, lo = 0;
        for (let kk = s.key(); kk; kk = s.key()) {
          if (kk.field === 1 && kk.wire === WIRE_VARINT) id = s.sint();
          else if (kk.field === 8 && kk.wire === WIRE_VARINT) la = s.sint();
          else if (kk.field === 9 && kk.wire === WIRE_VARINT) lo = s.sint();
          else s.skip(kk.wire);
        }
        out.nodeIds.push(id);
        out.nodeLat.push(lat(la));
        out.nodeLon.push(lon(lo));
      } else if (k.field === 2) {
        // DenseNodes: ids, lats, lons delta coded
        const ids: number[] = [], las: number[] = [], los: number[] = [];
        for (let kk = s.key(); kk; kk = s.key()) {
          if (kk.field === 1) s.repeated(kk.wire, ids, rSint);
          else if (kk.field === 8) s.repeated(kk.wire, las, rSint);
          else if (kk.field === 9) s.repeated(kk.wire, los, rSint);
          else s.skip(kk.wire);
        }
        if (las.length !== ids.length || los.length !== ids.length) throw new NetworkInputError('OSM PBF 的 DenseNodes 数据不一致');
        let id = 0, la = 0, lo = 0;
        for (let i = 0; i < ids.length; i++) {
          id += ids[i]!;
          la += las[i]!;
          lo += los[i]!;
          out.nodeIds.push(id);
          out.nodeLat.push(lat(la));
          out.nodeLon.push(lon(lo));
        }
      } else if (k.field === 3) {
        const keys: number[] = [], vals: number[] = [], refs: number[] = [];
        for (let kk = s.key(); kk; kk = s.key()) {
          if (kk.field === 2) s.repeated(kk.wire, keys, rVarint);
          else if (kk.field === 3) s.repeated(kk.wire, vals, rVarint);
          else if (kk.field === 8) s.repeated(kk.wire, refs, rSint);
          else s.skip(kk.wire);
        }
        const tags: Record<string, string> = {};
        for (let i = 0; i < keys.length; i++) tags[str(keys[i]!)] = str(vals[i] ?? 0);
        if (!isWalkable(tags)) continue;
        out.wayStart.push(out.wayRefs.length);
        let r = 0;
        for (const d of refs) out.wayRefs.push((r += d));
      }
      // 4 relations, 5 changesets: not needed for walking
    }
  }
}

/**
 * A network from an OpenStreetMap extract (.osm.pbf): walkable ways (isWalkable), each split into
 * edges between consecutive nodes; only nodes the ways use become network nodes. A way node
 * missing from the extract (a way leaving the clipped area) breaks the way there.
 */
export function networkFromOsmPbf(buf: Uint8Array): RoadNetwork {
  const parts: OsmParts = { nodeIds: [], nodeLon: [], nodeLat: [], wayRefs: [], wayStart: [] };
  let first = true;
  for (const block of pbfBlocks(buf)) {
    if (first) {
      if (block.type !== 'OSMHeader') throw new NetworkInputError('不是 OSM PBF 文件（第一个文件块应为 OSMHeader）');
      first = false;
      const h = new Pb(block.data, 0, block.data.length);
      for (let k = h.key(); k; k = h.key()) {
        if (k.field === 4 && k.wire === WIRE_LEN) {
          const f = utf8.decode(h.bytes());
          if (!SUPPORTED_FEATURES.has(f)) throw new NetworkInputError(`OSM PBF 文件需要不支持的特性 ${f}`);
        } else h.skip(k.wire);
      }
    } else if (block.type === 'OSMData') readPrimitiveBlock(block.data, parts);
  }
  if (first) throw new NetworkInputError('不是 OSM PBF 文件（文件为空）');
  const index = new Map<number, number>();
  for (const r of parts.wayRefs) index.set(r, -1);
  const b = new Builder();
  for (let i = 0; i < parts.nodeIds.length; i++) {
    const id = parts.nodeIds[i]!;
    if (index.get(id) === -1) {
      const lo = parts.nodeLon[i]!, la = parts.nodeLat[i]!;
      if (!(lo >= -180 && lo <= 180 && la >= -90 && la <= 90)) throw new NetworkInputError(`OSM 节点 ${id} 的坐标超出经纬度范围`);
      index.set(id, b.node(lo, la));
    }
  }
  const ends = [...parts.wayStart.slice(1), parts.wayRefs.length];
  parts.wayStart.forEach((start, w) => {
    for (let j = start + 1; j < ends[w]!; j++) {
      const a = index.get(parts.wayRefs[j - 1]!)!, c = index.get(parts.wayRefs[j]!)!;
      if (a >= 0 && c >= 0) b.edge(a, c);
    }
  });
  const net = b.finish();
  if (net.from.length === 0) throw new NetworkInputError('OSM 文件里没有可步行的道路（highway=footway/residential/… 且未禁止步行）');
  return net;
}

// ---------------------------------------------------------------- demo network

interface Rings {
  rings: Float64Array[]; // x0,y0,x1,y1,… in metres, closed or not
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

function outlineRings(outline: OutlineGeometry): { origin: { lon: number; lat: number }; toXY: (lon: number, lat: number) => [number, number]; lonLatRings: number[][][] } {
  const polys = outline.type === 'Polygon' ? [outline.coordinates] : outline.type === 'MultiPolygon' ? outline.coordinates : null;
  if (!polys) throw new NetworkInputError('区域轮廓应为 GeoJSON Polygon 或 MultiPolygon');
  const lonLatRings = polys.flat();
  let minLon = Infinity, minLat = Infinity, maxLon = -Infinity, maxLat = -Infinity;
  for (const ring of lonLatRings) {
    for (const p of ring) {
      const [lo, la] = p as [number, number];
      if (!Number.isFinite(lo) || !Number.isFinite(la) || lo < -180 || lo > 180 || la < -90 || la > 90) throw new NetworkInputError('区域轮廓的坐标超出经纬度范围');
      minLon = Math.min(minLon, lo);
      maxLon = Math.max(maxLon, lo);
      minLat = Math.min(minLat, la);
      maxLat = Math.max(maxLat, la);
    }
  }
  if (minLon === Infinity) throw new NetworkInputError('区域轮廓没有坐标');
  const origin = { lon: (minLon + maxLon) / 2, lat: (minLat + maxLat) / 2 };
  const { kx, ky } = scale(origin);
  return { origin, toXY: (lo, la) => [(lo - origin.lon) * kx, (la - origin.lat) * ky], lonLatRings };
}

function projectRings(lonLatRings: number[][][], toXY: (lon: number, lat: number) => [number, number]): Rings {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const rings = lonLatRings.map((ring) => {
    const a = new Float64Array(ring.length * 2);
    ring.forEach((p, i) => {
      const [x, y] = toXY(p[0]!, p[1]!);
      a[2 * i] = x;
      a[2 * i + 1] = y;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    });
    return a;
  });
  return { rings, minX, minY, maxX, maxY };
}

/** The x intervals inside the rings (even–odd rule) on the horizontal line at y, sorted. */
function scanline(r: Rings, y: number): number[] {
  const xs: number[] = [];
  for (const a of r.rings) {
    const n = a.length / 2;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const x1 = a[2 * j]!, y1 = a[2 * j + 1]!, x2 = a[2 * i]!, y2 = a[2 * i + 1]!;
      if (y1 > y !== y2 > y) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
    }
  }
  return xs.sort((p, q) => p - q);
}

/** Grid points (column c, row r at c·s, r·s) inside the rings, row by row. */
function interiorGrid(r: Rings, s: number, each: (c: number, row: number) => void): void {
  const r0 = Math.ceil(r.minY / s), r1 = Math.floor(r.maxY / s);
  for (let row = r0; row <= r1; row++) {
    const xs = scanline(r, row * s);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      for (let c = Math.ceil(xs[k]! / s), end = Math.floor(xs[k + 1]! / s); c <= end; c++) {
        // a point exactly on the right boundary belongs to the next interval's start only
        if (c * s < xs[k + 1]!) each(c, row);
      }
    }
  }
}

/** Shape of the demo street grid: jitter as a share of the spacing, and how often a link is missing or a diagonal added. */
const JITTER = 0.25;
const MISSING_EDGE = 0.06;
const DIAGONAL = 0.04;

export interface SyntheticOptions {
  outline: OutlineGeometry;
  /** Street seed points; each node's region is the nearest one (a Voronoi partition). */
  streets: { code: string; lon: number; lat: number }[];
  spacingMeters: number;
  seed: number;
}

/**
 * A demo walking network for a district: a jittered grid of nodes spacingMeters apart inside the
 * outline, 4-neighbour links with a few missing and a few diagonals (seeded), each node in the
 * region of its nearest street seed. Same options, same network.
 */
export function syntheticNetwork(o: SyntheticOptions): RoadNetwork {
  if (!(o.spacingMeters > 0) || !Number.isFinite(o.spacingMeters)) throw new NetworkInputError('路网间距应为正数（米）');
  const { origin, toXY, lonLatRings } = outlineRings(o.outline);
  const r = projectRings(lonLatRings, toXY);
  const s = o.spacingMeters;
  const c0 = Math.ceil(r.minX / s), c1 = Math.floor(r.maxX / s);
  const r0 = Math.ceil(r.minY / s), r1 = Math.floor(r.maxY / s);
  const cols = Math.max(0, c1 - c0 + 1), rows = Math.max(0, r1 - r0 + 1);
  const cell = new Int32Array(cols * rows).fill(-1);
  const rand = mulberry32(o.seed);
  const xs: number[] = [], ys: number[] = [];
  interiorGrid(r, s, (c, row) => {
    cell[(row - r0) * cols + (c - c0)] = xs.length;
    xs.push(c * s + (rand() - 0.5) * 2 * JITTER * s);
    ys.push(row * s + (rand() - 0.5) * 2 * JITTER * s);
  });
  const from: number[] = [], to: number[] = [], meters: number[] = [];
  const link = (a: number, b: number) => {
    from.push(a);
    to.push(b);
    meters.push(Math.hypot(xs[a]! - xs[b]!, ys[a]! - ys[b]!));
  };
  for (let row = 0; row < rows; row++) {
    for (let c = 0; c < cols; c++) {
      const a = cell[row * cols + c]!;
      if (a < 0) continue;
      const right = c + 1 < cols ? cell[row * cols + c + 1]! : -1;
      const up = row + 1 < rows ? cell[(row + 1) * cols + c]! : -1;
      const diag = c + 1 < cols && row + 1 < rows ? cell[(row + 1) * cols + c + 1]! : -1;
      // one draw per possible link, in a fixed order, so the network depends on the seed only
      const dr = rand(), du = rand(), dd = rand();
      if (right >= 0 && dr >= MISSING_EDGE) link(a, right);
      if (up >= 0 && du >= MISSING_EDGE) link(a, up);
      if (diag >= 0 && dd < DIAGONAL) link(a, diag);
    }
  }
  const n = xs.length;
  const net: RoadNetwork = { origin, x: Float64Array.from(xs), y: Float64Array.from(ys), from: Int32Array.from(from), to: Int32Array.from(to), meters: Float64Array.from(meters) };
  if (o.streets.length > 0) {
    const sx = o.streets.map((st) => toXY(st.lon, st.lat));
    const region = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0, bestD = Infinity;
      for (let k = 0; k < sx.length; k++) {
        const d = (xs[i]! - sx[k]![0]) ** 2 + (ys[i]! - sx[k]![1]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = k;
        }
      }
      region[i] = best;
    }
    net.region = region;
    net.regions = o.streets.map((st) => st.code);
  }
  return compact(net);
}

/** Interior sample size for placing street seeds, and the Lloyd iterations that spread them. */
const SEED_SAMPLE = 4000;
const LLOYD_ROUNDS = 15;

/**
 * Plausible street seed points when the real ones are unknown: codes.length points spread over
 * the outline (Lloyd's relaxation from seeded starting points, each snapped to an interior sample
 * point), handed out west to east in the order of `codes` — in Shanghai's districts the 街道
 * (codes …0xx) lie in the older, denser west and the 镇 (…1xx) further out. Deterministic.
 */
export function streetSeeds(outline: OutlineGeometry, codes: readonly string[], seed: number): { code: string; lon: number; lat: number }[] {
  if (codes.length === 0) return [];
  const { origin, toXY, lonLatRings } = outlineRings(outline);
  const r = projectRings(lonLatRings, toXY);
  const area = Math.max((r.maxX - r.minX) * (r.maxY - r.minY), 1);
  const px: number[] = [], py: number[] = [];
  let s = Math.sqrt(area / SEED_SAMPLE);
  for (let attempt = 0; attempt < 8 && px.length < codes.length * 10; attempt++, s /= 2) {
    px.length = 0;
    py.length = 0;
    interiorGrid(r, s, (c, row) => {
      px.push(c * s);
      py.push(row * s);
    });
  }
  if (px.length < codes.length) throw new NetworkInputError('区域轮廓太小，放不下这么多街道');
  const rand = mulberry32(seed);
  // k distinct starting samples (partial Fisher–Yates)
  const order = Array.from({ length: px.length }, (_, i) => i);
  for (let i = 0; i < codes.length; i++) {
    const j = i + Math.floor(rand() * (order.length - i));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const k = codes.length;
  const cx = Float64Array.from(order.slice(0, k), (i) => px[i]!);
  const cy = Float64Array.from(order.slice(0, k), (i) => py[i]!);
  const owner = new Int32Array(px.length);
  const assign = () => {
    for (let i = 0; i < px.length; i++) {
      let best = 0, bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = (px[i]! - cx[c]!) ** 2 + (py[i]! - cy[c]!) ** 2;
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      owner[i] = best;
    }
  };
  for (let round = 0; round < LLOYD_ROUNDS; round++) {
    assign();
    const sx = new Float64Array(k), sy = new Float64Array(k), cnt = new Float64Array(k);
    for (let i = 0; i < px.length; i++) {
      sx[owner[i]!]! += px[i]!;
      sy[owner[i]!]! += py[i]!;
      cnt[owner[i]!]! += 1;
    }
    for (let c = 0; c < k; c++) {
      if (cnt[c]! > 0) {
        cx[c] = sx[c]! / cnt[c]!;
        cy[c] = sy[c]! / cnt[c]!;
      }
    }
  }
  // snap each centre to the nearest interior sample (a centroid of a bent region may lie outside)
  const points: { x: number; y: number }[] = [];
  for (let c = 0; c < k; c++) {
    let best = 0, bestD = Infinity;
    for (let i = 0; i < px.length; i++) {
      const d = (px[i]! - cx[c]!) ** 2 + (py[i]! - cy[c]!) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    points.push({ x: px[best]!, y: py[best]! });
  }
  points.sort((p, q) => p.x - q.x || q.y - p.y);
  const net = { origin };
  return codes.map((code, i) => ({ code, ...xyToLonLat(net, points[i]!.x, points[i]!.y) }));
}

// ---------------------------------------------------------------- binary encoding

const MAGIC = 0x4e525959; // "YYRN" little-endian
export const NETWORK_FORMAT_VERSION = 1;
const HEADER_BYTES = 40; // magic, version, flags, nodes, edges (u32 each), padding, origin lon, lat (f64)
const FLAG_REGIONS = 1;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const align8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * Version 1: a 40-byte header (magic "YYRN", version, flags, node and edge counts as u32, 4 bytes
 * padding, origin lon/lat as f64), then x, y (f64 × nodes), from, to (i32 × edges), meters (f64 ×
 * edges), and with flag 1 region (i32 × nodes) and the region codes as a u32 byte length and
 * UTF-8 JSON; each array starts on an 8-byte boundary. All little-endian.
 */
export function encodeNetwork(net: RoadNetwork): Uint8Array {
  const n = net.x.length, m = net.from.length;
  const hasRegions = net.region !== undefined && net.regions !== undefined;
  const names = hasRegions ? new TextEncoder().encode(JSON.stringify(net.regions)) : new Uint8Array(0);
  const sections: [ArrayBufferView, number][] = [
    [net.x, 8], [net.y, 8], [net.from, 4], [net.to, 4], [net.meters, 8],
    ...(hasRegions ? ([[net.region!, 4]] as [ArrayBufferView, number][]) : []),
  ];
  let size = HEADER_BYTES;
  for (const [a] of sections) size = align8(size) + a.byteLength;
  if (hasRegions) size = align8(size) + 4 + names.byteLength;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, NETWORK_FORMAT_VERSION, true);
  dv.setUint32(8, hasRegions ? FLAG_REGIONS : 0, true);
  dv.setUint32(12, n, true);
  dv.setUint32(16, m, true);
  dv.setFloat64(24, net.origin.lon, true);
  dv.setFloat64(32, net.origin.lat, true);
  let off = HEADER_BYTES;
  for (const [a, width] of sections) {
    off = align8(off);
    if (LITTLE_ENDIAN) out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off);
    else {
      const arr = a as unknown as ArrayLike<number>;
      for (let i = 0; i < arr.length; i++) {
        if (width === 8) dv.setFloat64(off + 8 * i, arr[i]!, true);
        else dv.setInt32(off + 4 * i, arr[i]!, true);
      }
    }
    off += a.byteLength;
  }
  if (hasRegions) {
    off = align8(off);
    dv.setUint32(off, names.byteLength, true);
    out.set(names, off + 4);
  }
  return out;
}

export function decodeNetwork(bytes: Uint8Array): RoadNetwork {
  const bad = (why: string) => new NetworkInputError(`路网数据无法读取：${why}`);
  if (bytes.byteLength < HEADER_BYTES) throw bad('数据太短');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw bad('不是颐养路网格式');
  const version = dv.getUint32(4, true);
  if (version !== NETWORK_FORMAT_VERSION) throw bad(`不支持的版本 ${version}`);
  const flags = dv.getUint32(8, true);
  const n = dv.getUint32(12, true), m = dv.getUint32(16, true);
  const origin = { lon: dv.getFloat64(24, true), lat: dv.getFloat64(32, true) };
  let off = HEADER_BYTES;
  const take = (count: number, width: number): Uint8Array => {
    off = align8(off);
    const end = off + count * width;
    if (end > bytes.byteLength) throw bad('数据被截断');
    // a copy: aligned, and independent of the source buffer (a pg Buffer may share a pool)
    const s = new Uint8Array(end - off);
    s.set(bytes.subarray(off, end));
    off = end;
    return s;
  };
  const f64 = (count: number) => {
    const s = take(count, 8);
    if (LITTLE_ENDIAN) return new Float64Array(s.buffer);
    const v = new DataView(s.buffer);
    return Float64Array.from({ length: count }, (_, i) => v.getFloat64(8 * i, true));
  };
  const i32 = (count: number) => {
    const s = take(count, 4);
    if (LITTLE_ENDIAN) return new Int32Array(s.buffer);
    const v = new DataView(s.buffer);
    return Int32Array.from({ length: count }, (_, i) => v.getInt32(4 * i, true));
  };
  const net: RoadNetwork = { origin, x: f64(n), y: f64(n), from: i32(m), to: i32(m), meters: f64(m) };
  for (let k = 0; k < m; k++) {
    const a = net.from[k]!, b = net.to[k]!;
    if (a < 0 || a >= n || b < 0 || b >= n) throw bad(`路段 ${k} 引用了不存在的节点`);
    if (!(net.meters[k]! >= 0)) throw bad(`路段 ${k} 的长度无效`);
  }
  if (flags & FLAG_REGIONS) {
    const region = i32(n);
    off = align8(off);
    if (off + 4 > bytes.byteLength) throw bad('数据被截断');
    const len = dv.getUint32(off, true);
    if (off + 4 + len > bytes.byteLength) throw bad('数据被截断');
    let regions: unknown;
    try {
      regions = JSON.parse(new TextDecoder().decode(bytes.subarray(off + 4, off + 4 + len)));
    } catch {
      throw bad('区域代码表损坏');
    }
    if (!Array.isArray(regions) || !regions.every((s) => typeof s === 'string')) throw bad('区域代码表损坏');
    for (let i = 0; i < n; i++) if (region[i]! < -1 || region[i]! >= regions.length) throw bad(`节点 ${i} 的区域编号无效`);
    net.region = region;
    net.regions = regions as string[];
  }
  return net;
}

// ---------------------------------------------------------------- nearest node

/** Nodes per bucket the uniform grid aims at. */
const NODES_PER_CELL = 4;

/** Nearest node to a point (straight-line, on the projection) through a uniform grid of buckets; -1 for an empty network. Ties: the lower index. */
export function nearestNodeIndex(net: RoadNetwork): { nearest(lon: number, lat: number): number; nearestXY(x: number, y: number): number } {
  const n = net.x.length;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, net.x[i]!);
    maxX = Math.max(maxX, net.x[i]!);
    minY = Math.min(minY, net.y[i]!);
    maxY = Math.max(maxY, net.y[i]!);
  }
  const w = Math.max(maxX - minX, 1), h = Math.max(maxY - minY, 1);
  const size = Math.max(Math.sqrt((w * h * NODES_PER_CELL) / Math.max(n, 1)), 1);
  const cols = Math.floor(w / size) + 1, rows = Math.floor(h / size) + 1;
  const cellOf = (x: number, y: number) => {
    const c = Math.min(cols - 1, Math.max(0, Math.floor((x - minX) / size)));
    const r = Math.min(rows - 1, Math.max(0, Math.floor((y - minY) / size)));
    return [c, r] as const;
  };
  const start = new Int32Array(cols * rows + 1);
  const cellIdx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const [c, r] = cellOf(net.x[i]!, net.y[i]!);
    cellIdx[i] = r * cols + c;
    start[cellIdx[i]! + 1]! += 1;
  }
  for (let k = 0; k < cols * rows; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, cols * rows);
  const items = new Int32Array(n);
  for (let i = 0; i < n; i++) items[fill[cellIdx[i]!]!++] = i;

  const nearestXY = (x: number, y: number): number => {
    if (n === 0) return -1;
    const [cx, cy] = cellOf(x, y);
    let best = -1, bestD = Infinity;
    const visit = (c: number, r: number) => {
      if (c < 0 || r < 0 || c >= cols || r >= rows) return;
      const k = r * cols + c;
      for (let j = start[k]!; j < start[k + 1]!; j++) {
        const i = items[j]!;
        const d = (net.x[i]! - x) ** 2 + (net.y[i]! - y) ** 2;
        if (d < bestD || (d === bestD && i < best)) {
          bestD = d;
          best = i;
        }
      }
    };
    for (let ring = 0; ring <= Math.max(cols, rows); ring++) {
      if (ring === 0) visit(cx, cy);
      else {
        for (let c = cx - ring; c <= cx + ring; c++) {
          visit(c, cy - ring);
          visit(c, cy + ring);
        }
        for (let r = cy - ring + 1; r <= cy + ring - 1; r++) {
          visit(cx - ring, r);
          visit(cx + ring, r);
        }
      }
      // every cell beyond this ring is at least ring × size away from the point
      if (best >= 0 && Math.sqrt(bestD) < ring * size) break;
    }
    return best;
  };
  return {
    nearestXY,
    nearest(lon, lat) {
      const p = fromLonLat(net, lon, lat);
      return nearestXY(p.x, p.y);
    },
  };
}
