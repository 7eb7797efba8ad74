// The walking network: GeoJSON and OSM PBF readers (a PBF extract written by the test fixture with
// dense and plain nodes, zlib and raw blobs, walkable and excluded ways), the demo street grid,
// the binary encoding, the nearest-node index, and `yiyang network import` refusing a bad file.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { makeOsmPbf, SMALL_EXTRACT } from '../../test/fixtures/network/osm-pbf.ts';
import { distancesFrom } from './coverage.ts';
import {
  compact, decodeNetwork, encodeNetwork, fromLonLat, haversineMeters, isWalkable, nearestNodeIndex, networkFromGeoJSON, networkFromOsmPbf,
  NetworkInputError, networkStats, streetSeeds, syntheticNetwork, toGraph, toLonLat, xyToLonLat, type OutlineGeometry, type RoadNetwork,
} from './network.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const line = (coords: number[][]) => ({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: coords } });
const fcOf = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

/** Edges as "lonA,latA|lonB,latB:metres" strings (ends sorted), to compare networks independent of numbering. */
function edgeSet(net: RoadNetwork): string[] {
  const p = (i: number) => {
    const q = toLonLat(net, i);
    return `${q.lon.toFixed(6)},${q.lat.toFixed(6)}`;
  };
  return Array.from(net.from, (a, k) => [p(a), p(net.to[k]!)].sort().join('|') + ':' + net.meters[k]!.toFixed(2)).sort();
}

/** Even–odd point in polygon, written independently of the scanline fill. */
function inside(rings: number[][][], lon: number, lat: number): boolean {
  let c = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i] as [number, number];
      const [xj, yj] = r[j] as [number, number];
      if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) c = !c;
    }
  }
  return c;
}

/** A square outline of side `km` kilometres around (lon, lat). */
function square(lon: number, lat: number, km: number): number[][] {
  const dLat = km / 2 / 111.195;
  const dLon = dLat / Math.cos((lat * Math.PI) / 180);
  return [[lon - dLon, lat - dLat], [lon + dLon, lat - dLat], [lon + dLon, lat + dLat], [lon - dLon, lat + dLat], [lon - dLon, lat - dLat]];
}

describe('projection', () => {
  it('round-trips lon/lat through metres and agrees with the haversine distance at district scale', () => {
    const net = { origin: { lon: 121.5, lat: 31.2 } };
    const p = fromLonLat(net, 121.6, 31.25);
    const back = xyToLonLat(net, p.x, p.y);
    expect(back.lon).toBeCloseTo(121.6, 10);
    expect(back.lat).toBeCloseTo(31.25, 10);
    expect(haversineMeters(121.5, 31.2, 121.5, 32.2)).toBeCloseTo(111_195, -1);
    const planar = Math.hypot(p.x, p.y);
    expect(Math.abs(planar - haversineMeters(121.5, 31.2, 121.6, 31.25)) / planar).toBeLessThan(0.002);
  });
});

describe('networkFromGeoJSON', () => {
  it('snaps vertices equal to 1e-7° into one node, splits lines into edges with haversine lengths, ignores points', () => {
    const net = networkFromGeoJSON(
      fcOf(
        line([[121.5, 31.2], [121.501, 31.2], [121.502, 31.2]]),
        { type: 'Feature', properties: {}, geometry: { type: 'MultiLineString', coordinates: [[[121.50100000001, 31.2], [121.501, 31.201]]] } },
        { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [121.5, 31.2] } },
        { type: 'Feature', properties: {}, geometry: null },
      ),
    );
    expect(net.x.length).toBe(4);
    expect(net.from.length).toBe(3);
    expect(edgeSet(net)).toEqual(
      [
        ['121.500000,31.200000', '121.501000,31.200000', haversineMeters(121.5, 31.2, 121.501, 31.2)],
        ['121.501000,31.200000', '121.502000,31.200000', haversineMeters(121.501, 31.2, 121.502, 31.2)],
        ['121.501000,31.200000', '121.501000,31.201000', haversineMeters(121.501, 31.2, 121.501, 31.201)],
      ].map(([a, b, m]) => `${a}|${b}:${(m as number).toFixed(2)}`).sort(),
    );
    // the junction node joins both lines: 3 edges meet... 3 neighbours
    const g = toGraph(net);
    const degrees = Array.from({ length: 4 }, (_, i) => g.offsets[i + 1]! - g.offsets[i]!).sort();
    expect(degrees).toEqual([1, 1, 1, 3]);
  });

  it('keeps one edge for a segment drawn twice (the shorter), and drops zero-length segments', () => {
    const net = networkFromGeoJSON(fcOf(line([[121.5, 31.2], [121.501, 31.2], [121.501, 31.2]]), line([[121.501, 31.2], [121.5, 31.2]])));
    expect(net.x.length).toBe(2);
    expect(net.from.length).toBe(1);
  });

  it('refuses what is not a line network, in Chinese', () => {
    const bad: [unknown, RegExp][] = [
      [[], /不是 GeoJSON FeatureCollection/],
      [{ type: 'Feature', geometry: null }, /不是 GeoJSON FeatureCollection/],
      [fcOf({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [121.5, 31.2] } }), /没有线要素/],
      [fcOf(line([[13_524_000, 3_660_000], [13_525_000, 3_660_000]])), /超出经纬度范围.*WGS84/],
      [fcOf(line([[121.5, 31.2], [121.5]])), /第 1 个要素有无效坐标/],
      [fcOf(line([[121.5, 31.2], ['121.5', 31.3]] as unknown as number[][])), /无效坐标/],
      [fcOf(line([[121.5, 31.2], [121.5, 31.2]])), /没有长度不为零的路段/],
      [fcOf('x'), /不是 GeoJSON Feature/],
    ];
    for (const [input, message] of bad) {
      expect(() => networkFromGeoJSON(input), JSON.stringify(input)).toThrow(NetworkInputError);
      expect(() => networkFromGeoJSON(input)).toThrow(message);
    }
  });
});

describe('networkFromOsmPbf', () => {
  const expected = [
    [121.5, 31.2, 121.501, 31.2],
    [121.501, 31.2, 121.501, 31.201],
    [121.501, 31.201, 121.502, 31.201],
    [121.501, 31.201, 121.5, 31.201],
  ]
    .map(([a, b, c, d]) => {
      const p = (lon: number, lat: number) => `${lon.toFixed(6)},${lat.toFixed(6)}`;
      return [p(a!, b!), p(c!, d!)].sort().join('|') + ':' + haversineMeters(a!, b!, c!, d!).toFixed(2);
    })
    .sort();

  it('reads dense and plain nodes and walkable ways from zlib blobs; leaves out motorway, foot=no, access=private and non-highways', () => {
    const net = networkFromOsmPbf(makeOsmPbf(SMALL_EXTRACT));
    expect(net.x.length).toBe(5); // nodes 1, 2, 3, 4, 7: only those walkable ways use
    expect(edgeSet(net)).toEqual(expected);
  });

  it('reads raw blobs and the block coordinate rule (granularity, offsets) alike', () => {
    expect(edgeSet(networkFromOsmPbf(makeOsmPbf({ ...SMALL_EXTRACT, compress: 'none' })))).toEqual(expected);
    expect(edgeSet(networkFromOsmPbf(makeOsmPbf({ ...SMALL_EXTRACT, granularity: 1000, latOffset: 31_000_000_000, lonOffset: 121_000_000_000 })))).toEqual(expected);
  });

  it('refuses a file that is not OSM PBF, a cut-off file, an unsupported compression or feature, and an extract without walkable ways', () => {
    const good = makeOsmPbf(SMALL_EXTRACT);
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('{"type":"FeatureCollection","features":[]}'), /不是 OSM PBF 文件/],
      [new Uint8Array(0), /文件为空/],
      [good.subarray(0, good.length - 7), /截断|损坏|无效/],
      [makeOsmPbf({ ...SMALL_EXTRACT, compress: 'lzma' }), /不支持的压缩方式/],
      [makeOsmPbf({ ...SMALL_EXTRACT, requiredFeatures: ['OsmSchema-V0.6', 'HistoricalInformation'] }), /不支持的特性 HistoricalInformation/],
      [makeOsmPbf({ ...SMALL_EXTRACT, ways: SMALL_EXTRACT.ways.filter((w) => !isWalkable(w.tags)) }), /没有可步行的道路/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => networkFromOsmPbf(bytes)).toThrow(NetworkInputError);
      expect(() => networkFromOsmPbf(bytes)).toThrow(message);
    }
  });

  it('isWalkable: walkable highways, foot=no and access=no/private excluded unless foot allows', () => {
    const table: [Record<string, string>, boolean][] = [
      [{ highway: 'footway' }, true],
      [{ highway: 'steps' }, true],
      [{ highway: 'tertiary_link' }, true],
      [{ highway: 'corridor' }, true],
      [{ highway: 'cycleway' }, true],
      [{ highway: 'cycleway', foot: 'no' }, false],
      [{ highway: 'motorway' }, false],
      [{ highway: 'motorway_link' }, false],
      [{ highway: 'trunk' }, false],
      [{ highway: 'trunk_link' }, false],
      [{ highway: 'construction' }, false],
      [{ highway: 'proposed' }, false],
      [{ highway: 'residential', access: 'private' }, false],
      [{ highway: 'residential', access: 'no' }, false],
      [{ highway: 'residential', access: 'no', foot: 'yes' }, true],
      [{ highway: 'service', access: 'private', foot: 'designated' }, true],
      [{ highway: 'service', access: 'destination' }, true],
      [{ highway: 'path', foot: 'private' }, false],
      [{ building: 'yes' }, false],
    ];
    for (const [tags, walkable] of table) expect(isWalkable(tags), JSON.stringify(tags)).toBe(walkable);
  });
});

describe('graph and statistics', () => {
  it('toGraph: both directions, ids built on demand as String(i); distancesFrom runs on it', () => {
    const net = networkFromGeoJSON(fcOf(line([[121.5, 31.2], [121.501, 31.2], [121.502, 31.2]])));
    const g = toGraph(net);
    expect(g.ids).toEqual(['0', '1', '2']);
    expect(g.index.get('2')).toBe(2);
    const d = distancesFrom(g, [0]);
    const a = haversineMeters(121.5, 31.2, 121.501, 31.2), b = haversineMeters(121.501, 31.2, 121.502, 31.2);
    const byLon = [0, 1, 2].sort((i, j) => net.x[i]! - net.x[j]!);
    const start = byLon[0]!;
    const dd = distancesFrom(g, [start]);
    expect([dd[byLon[0]!], dd[byLon[1]!]! - a, dd[byLon[2]!]! - a - b].map((v) => Math.abs(v!) < 1e-6)).toEqual([true, true, true]);
    expect(d.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('networkStats: nodes, edges, total metres, bounding box', () => {
    const s = networkStats(networkFromGeoJSON(fcOf(line([[121.5, 31.2], [121.501, 31.2]]), line([[121.501, 31.2], [121.501, 31.201]]))));
    expect(s).toMatchObject({ nodes: 3, edges: 2 });
    expect(s.totalMeters).toBeCloseTo(haversineMeters(121.5, 31.2, 121.501, 31.2) + haversineMeters(121.501, 31.2, 121.501, 31.201), 6);
    expect(s.bbox!.minLon).toBeCloseTo(121.5, 9);
    expect(s.bbox!.maxLat).toBeCloseTo(31.201, 9);
  });

  it('compact drops isolated nodes, self-loops and longer duplicates, keeping regions aligned', () => {
    const net: RoadNetwork = {
      origin: { lon: 121.5, lat: 31.2 },
      x: Float64Array.from([0, 1, 2, 3]), y: Float64Array.from([0, 0, 0, 0]),
      from: Int32Array.from([0, 2, 2, 3, 3]), to: Int32Array.from([0, 3, 3, 2, 2]), meters: Float64Array.from([5, 9, 7, 7, 8]),
      region: Int32Array.from([0, 1, 0, 1]), regions: ['a', 'b'],
    };
    const c = compact(net);
    expect(Array.from(c.x)).toEqual([2, 3]);
    expect([Array.from(c.from), Array.from(c.to), Array.from(c.meters)]).toEqual([[0], [1], [7]]);
    expect(Array.from(c.region!)).toEqual([0, 1]);
  });
});

describe('syntheticNetwork', () => {
  const outline: OutlineGeometry = { type: 'Polygon', coordinates: [square(121.55, 31.22, 3)] };
  const streets = [{ code: '310115004', lon: 121.54, lat: 31.21 }, { code: '310115005', lon: 121.56, lat: 31.23 }];

  it('a jittered grid inside the outline, about (side / spacing)² nodes, mostly connected, each node in its nearest street', () => {
    const net = syntheticNetwork({ outline, streets, spacingMeters: 150, seed: 7 });
    expect(net.x.length).toBeGreaterThan(360);
    expect(net.x.length).toBeLessThanOrEqual(441); // 21 × 21 grid points at most
    for (let i = 0; i < net.x.length; i++) {
      const p = toLonLat(net, i);
      const d = streets.map((s) => haversineMeters(p.lon, p.lat, s.lon, s.lat));
      expect(net.regions![net.region![i]!]).toBe(streets[d[0]! <= d[1]! ? 0 : 1]!.code);
    }
    // edges are neighbour links: 150 m ± jitter, diagonals up to ~1.41 × 150 × 1.5
    for (const m of net.meters) {
      expect(m).toBeGreaterThan(150 * 0.4);
      expect(m).toBeLessThan(150 * 1.5 * Math.SQRT2);
    }
    // not a perfect lattice: some links missing, some diagonals
    const perfect = 2 * 20 * 20; // about 2 links per node on a 20 × 20 grid
    expect(net.from.length).not.toBe(perfect);
    const d = distancesFrom(toGraph(net), [0]);
    expect(d.filter((v) => v < Infinity).length / net.x.length).toBeGreaterThan(0.95);
  });

  it('stays inside outlines with holes and several parts', () => {
    const multi: OutlineGeometry = {
      type: 'MultiPolygon',
      coordinates: [[square(121.5, 31.2, 3), square(121.5, 31.2, 1)], [square(121.6, 31.2, 1)]],
    };
    const net = syntheticNetwork({ outline: multi, streets: [], spacingMeters: 100, seed: 1 });
    const rings = multi.coordinates.flat();
    let east = 0;
    for (let i = 0; i < net.x.length; i++) {
      const p = toLonLat(net, i);
      // the node's unjittered grid point is inside; the jitter moves it at most 25 m per axis
      const nearInside = [[0, 0], [25, 25], [-25, 25], [25, -25], [-25, -25]].some(([dx, dy]) => {
        const q = xyToLonLat(net, net.x[i]! + dx!, net.y[i]! + dy!);
        return inside(rings, q.lon, q.lat);
      });
      expect(nearInside, `node ${i} at ${p.lon},${p.lat}`).toBe(true);
      if (p.lon > 121.55) east++;
    }
    expect(east).toBeGreaterThan(60); // the second part (1 km², ~100 nodes) is there
    expect(net.region).toBeUndefined();
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = encodeNetwork(syntheticNetwork({ outline, streets, spacingMeters: 150, seed: 3 }));
    const b = encodeNetwork(syntheticNetwork({ outline, streets, spacingMeters: 150, seed: 3 }));
    const c = encodeNetwork(syntheticNetwork({ outline, streets, spacingMeters: 150, seed: 4 }));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
  });

  it('a district of Pudong\'s size (≈1,200 km² at 150 m) is about 53k nodes, built in well under a few seconds', () => {
    // an irregular ≈45 × 33 km outline (≈1,170 km²) with many vertices
    const ring: number[][] = [];
    const steps = 720;
    for (let i = 0; i <= steps; i++) {
      const t = (2 * Math.PI * (i % steps)) / steps;
      const r = 1 + 0.08 * Math.sin(7 * t);
      ring.push([121.7 + 0.235 * r * Math.cos(t), 31.15 + 0.15 * r * Math.sin(t)]);
    }
    const t0 = performance.now();
    const net = syntheticNetwork({ outline: { type: 'Polygon', coordinates: [ring] }, streets: streetSeeds({ type: 'Polygon', coordinates: [ring] }, Array.from({ length: 36 }, (_, i) => `c${i}`), 1), spacingMeters: 150, seed: 1 });
    const ms = performance.now() - t0;
    expect(net.x.length).toBeGreaterThan(40_000);
    expect(net.x.length).toBeLessThan(70_000);
    expect(ms).toBeLessThan(5000); // measured ≈ 0.1–0.2 s; generous for a shared machine
  });

  it('refuses a non-positive spacing and an outline that is not a polygon', () => {
    expect(() => syntheticNetwork({ outline, streets, spacingMeters: 0, seed: 1 })).toThrow(/间距/);
    expect(() => syntheticNetwork({ outline: { type: 'Point', coordinates: [] } as unknown as OutlineGeometry, streets, spacingMeters: 150, seed: 1 })).toThrow(/Polygon/);
  });
});

describe('streetSeeds', () => {
  const outline: OutlineGeometry = { type: 'Polygon', coordinates: [square(121.55, 31.22, 10)] };
  const codes = ['310115004', '310115005', '310115007', '310115101', '310115102', '310115103'];

  it('places one point per code inside the outline, spread out, west to east in the codes\' order; deterministic', () => {
    const s = streetSeeds(outline, codes, 5);
    expect(s.map((p) => p.code)).toEqual(codes);
    for (const p of s) expect(inside(outline.coordinates, p.lon, p.lat)).toBe(true);
    for (let i = 1; i < s.length; i++) expect(s[i]!.lon).toBeGreaterThanOrEqual(s[i - 1]!.lon);
    let minGap = Infinity;
    for (let i = 0; i < s.length; i++) for (let j = i + 1; j < s.length; j++) minGap = Math.min(minGap, haversineMeters(s[i]!.lon, s[i]!.lat, s[j]!.lon, s[j]!.lat));
    expect(minGap).toBeGreaterThan(1500); // six cells of a 10 km square are ~4 km across
    expect(streetSeeds(outline, codes, 5)).toEqual(s);
    expect(streetSeeds(outline, [], 5)).toEqual([]);
  });
});

describe('encodeNetwork / decodeNetwork', () => {
  const arbNet = fc
    .record({ n: fc.integer({ min: 0, max: 30 }), regions: fc.boolean(), seed: fc.integer() })
    .chain(({ n, regions, seed }) =>
      fc.record({
        xs: fc.array(fc.double({ min: -1e5, max: 1e5, noNaN: true }), { minLength: n, maxLength: n }),
        edges: n === 0 ? fc.constant([]) : fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.double({ min: 0, max: 5000, noNaN: true })), { maxLength: 60 }),
        regionOf: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: n, maxLength: n }),
        regions: fc.constant(regions),
        seed: fc.constant(seed),
      }),
    )
    .map(({ xs, edges, regionOf, regions, seed }): RoadNetwork => ({
      origin: { lon: 121 + (seed % 100) / 100, lat: 31.2 },
      x: Float64Array.from(xs),
      y: Float64Array.from(xs, (v) => -v / 3),
      from: Int32Array.from(edges, (e) => e[0]),
      to: Int32Array.from(edges, (e) => e[1]),
      meters: Float64Array.from(edges, (e) => e[2]),
      ...(regions ? { region: Int32Array.from(regionOf), regions: ['310115004', '浦东·甲', 'c'] } : {}),
    }));

  it('round-trips every field, from any byte offset (a Buffer from the database may be a slice of a pool)', () => {
    fc.assert(
      fc.property(arbNet, fc.nat(7), (net, pad) => {
        const bytes = encodeNetwork(net);
        const shifted = new Uint8Array(bytes.length + pad);
        shifted.set(bytes, pad);
        const back = decodeNetwork(shifted.subarray(pad));
        expect(back).toEqual(net);
      }),
    );
  });

  it('refuses foreign bytes, another version, a cut-off buffer and edges to missing nodes', () => {
    const net = syntheticNetwork({ outline: { type: 'Polygon', coordinates: [square(121.5, 31.2, 1)] }, streets: [{ code: 'a', lon: 121.5, lat: 31.2 }], spacingMeters: 100, seed: 1 });
    const bytes = encodeNetwork(net);
    const v2 = bytes.slice();
    new DataView(v2.buffer).setUint32(4, 2, true);
    const badEdge = bytes.slice();
    const edgesAt = 40 + 16 * net.x.length;
    new DataView(badEdge.buffer).setInt32(edgesAt, net.x.length, true);
    const cases: [Uint8Array, RegExp][] = [
      [new TextEncoder().encode('not a network at all, not even close to one'), /不是颐养路网格式/],
      [v2, /不支持的版本 2/],
      [bytes.subarray(0, bytes.length - 10), /截断/],
      [bytes.subarray(0, 12), /太短/],
      [badEdge, /路段 0 引用了不存在的节点/],
    ];
    for (const [b, message] of cases) expect(() => decodeNetwork(b)).toThrow(message);
  });
});

describe('nearestNodeIndex', () => {
  it('finds the straight-line nearest node (the lower index on a tie) for points inside and far outside the network', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -2000, max: 2000 }), fc.integer({ min: -2000, max: 2000 })), { minLength: 1, maxLength: 80 }),
        fc.array(fc.tuple(fc.integer({ min: -9000, max: 9000 }), fc.integer({ min: -9000, max: 9000 })), { minLength: 1, maxLength: 20 }),
        (pts, queries) => {
          const net: RoadNetwork = { origin: { lon: 121.5, lat: 31.2 }, x: Float64Array.from(pts, (p) => p[0]), y: Float64Array.from(pts, (p) => p[1]), from: new Int32Array(0), to: new Int32Array(0), meters: new Float64Array(0) };
          const idx = nearestNodeIndex(net);
          for (const [qx, qy] of queries) {
            let best = -1, bestD = Infinity;
            pts.forEach(([x, y], i) => {
              const d = (x - qx) ** 2 + (y - qy) ** 2;
              if (d < bestD) {
                bestD = d;
                best = i;
              }
            });
            expect(idx.nearestXY(qx, qy)).toBe(best);
          }
        },
      ),
    );
  });

  it('looks up by lon/lat, and answers -1 on an empty network', () => {
    const net = networkFromGeoJSON(fcOf(line([[121.5, 31.2], [121.501, 31.2], [121.502, 31.2]])));
    const i = nearestNodeIndex(net).nearest(121.5011, 31.2002);
    expect(toLonLat(net, i).lon).toBeCloseTo(121.501, 9);
    const empty: RoadNetwork = { origin: { lon: 0, lat: 0 }, x: new Float64Array(0), y: new Float64Array(0), from: new Int32Array(0), to: new Int32Array(0), meters: new Float64Array(0) };
    expect(nearestNodeIndex(empty).nearest(121.5, 31.2)).toBe(-1);
  });
});

describe('yiyang network import (a real process)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'yiyang-network-cli-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const yiyang = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['bin/yiyang.js', ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', YIYANG_DATA_DIR: join(tmp, 'no-data-here') } });
      let stdout = '', stderr = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
      child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('a bad file: a Chinese message on stderr, exit 2, no database opened', async () => {
    const notPbf = join(tmp, 'roads.osm.pbf');
    writeFileSync(notPbf, 'this is not protobuf');
    const projected = join(tmp, 'roads.geojson');
    writeFileSync(projected, JSON.stringify(fcOf(line([[13_524_000, 3_660_000], [13_525_000, 3_660_000]]))));
    const notJson = join(tmp, 'roads.json');
    writeFileSync(notJson, '{"type":');
    for (const [args, message] of [
      [['network', 'import', notPbf, '--district', '310115'], /不是 OSM PBF 文件/],
      [['network', 'import', projected, '--district', '310115'], /超出经纬度范围/],
      [['network', 'import', notJson, '--district', '310115'], /不是有效的 JSON/],
      [['network', 'import', join(tmp, 'missing.geojson'), '--district', '310115'], /无法读取文件/],
      [['network', 'import', join(tmp, 'roads.txt'), '--district', '310115'], /无法判断文件格式/],
      [['network', 'import', projected, '--district', 'pudong'], /区代码/],
    ] as [string[], RegExp][]) {
      const r = await yiyang(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
    }
  });

  it('--dry-run prints the summary of a GeoJSON network without storing it', async () => {
    const r = await yiyang(['network', 'import', join(ROOT, 'test/fixtures/network/small.geojson'), '--district', '310115', '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/路网（geojson）：节点 5 个，路段 4 条，总长 0\.40 公里/);
    expect(r.stdout).toMatch(/经度 121\.500000～121\.502000，纬度 31\.200000～31\.201000/);
    expect(r.stdout).toMatch(/未保存/);
  });
});
