import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.ts';
import {
  buildRegionTree,
  checkJurisdiction,
  checkRegionData,
  RegionDataError,
  type Jurisdiction,
  type RegionsData,
  type RetiredCode,
  type RetiredCodesData,
} from './model.ts';

// Small fixtures shaped like policy/jurisdictions/*: real codes, a handful of rows.

const retiredRow = (code: string, name: string, validTo: string, successor: string, validFrom?: string): RetiredCode => ({
  code,
  name,
  validTo,
  successor,
  reference: 'shared/domain/identity-and-regions.md',
  confidence: 'high',
  ...(validFrom !== undefined ? { validFrom } : {}),
});

const makeShanghai = (): RegionsData => ({
  root: { code: '310000', name: '上海市' },
  regions: [
    ['310101', '黄浦区', '310000'],
    ['310106', '静安区', '310000'],
    ['310112', '闵行区', '310000'],
    ['310115', '浦东新区', '310000'],
    ['310115004', '潍坊新村街道', '310115'],
    ['310115004001', '一居委会', '310115004'],
    ['310115005', '陆家嘴街道', '310115'],
  ],
});

const makeShanghaiRetired = (): RetiredCodesData => ({
  codes: [
    retiredRow('310108', '闸北区', '2015-01-01', '310106'),
    retiredRow('310119', '南汇区', '2009-01-01', '310115', '2001-01-01'),
    retiredRow('310225', '南汇县', '2001-01-01', '310119'),
  ],
  aggregateCodes: [
    { code: '310100', name: '市辖区', mapsTo: '310000', reference: 'domain §2.2', confidence: 'medium' },
  ],
});

const makeShangyu = (): RegionsData => ({
  root: { code: '330604', name: '上虞区' },
  ancestors: [
    { code: '330000', name: '浙江省' },
    { code: '330600', name: '绍兴市' },
  ],
  regions: [
    ['330604001', '百官街道', '330604'],
    ['330604001001', '龙山社区', '330604001'],
    ['330604101', '长塘镇', '330604'],
  ],
});

const makeShangyuRetired = (): RetiredCodesData => ({
  codes: [
    retiredRow('330682', '上虞市', '2013-01-01', '330604', '1992-01-01'),
    retiredRow('330622', '上虞县', '1992-01-01', '330682'),
  ],
});

const shanghai = buildRegionTree(makeShanghai(), makeShanghaiRetired());
const shangyu = buildRegionTree(makeShangyu(), makeShangyuRetired());

describe('resolve: a possibly retired code → the region it stands for', () => {
  it.each([
    ['闸北区 merged into 静安区', '310108', '310106'],
    ['南汇县 → 南汇区 → 浦东新区', '310225', '310115'],
    ['南汇区 merged into 浦东新区', '310119', '310115'],
    ['a current district is itself', '310115', '310115'],
    ['a street under 浦东新区 is itself', '310115004', '310115004'],
    ['a committee is itself', '310115004001', '310115004001'],
    ['the aggregate 市辖区 maps to the city', '310100', '310000'],
    ['an unknown committee under a current street falls back to the street', '310115004999', '310115004'],
    ['an unknown street under a current district falls back to the district', '310115999', '310115'],
    ['a street code under retired 闸北区 resolves its county part', '310108001', '310106'],
    ['a committee code under retired 闸北区 resolves its county part', '310108001002', '310106'],
    ['the NBS zero-padded form of a street', '310115004000', '310115004'],
    ['the NBS zero-padded form of a retired county', '310108000000', '310106'],
    ['surrounding spaces', ' 310108 ', '310106'],
  ])('%s: %s → %s', (_, code, expected) => {
    expect(shanghai.resolve(code)?.code).toBe(expected);
  });

  it.each([
    ['上虞县 → 上虞市 → 上虞区', '330622', '330604'],
    ['上虞市 → 上虞区', '330682', '330604'],
    ['an ancestor is itself', '330600', '330600'],
  ])('Shangyu, %s: %s → %s', (_, code, expected) => {
    expect(shangyu.resolve(code)?.code).toBe(expected);
  });

  it.each([
    ['a code from another province', '440524'],
    ['a street of an unknown county', '440524001'],
    ['letters', 'abcdef'],
    ['a 7-digit code', '3101151'],
    ['an empty string', ''],
    ['a street numbered 000', '310115000'],
    ['a code starting with 0', '010115'],
  ])('%s (%s) resolves to nothing', (_, code) => {
    expect(shanghai.resolve(code)).toBeNull();
    expect(shanghai.resolveWithTrace(code)).toBeNull();
  });

  it('follows successors transitively and says how', () => {
    expect(shanghai.resolveWithTrace('310225')).toEqual({
      input: '310225',
      asOf: null,
      region: shanghai.get('310115'),
      exact: true,
      steps: [
        { kind: 'matched', code: '310225' },
        { kind: 'successor', from: '310225', to: '310119', on: '2001-01-01' },
        { kind: 'successor', from: '310119', to: '310115', on: '2009-01-01' },
      ],
    });
    expect(shangyu.resolveWithTrace('330622')?.steps.map((s) => ('to' in s ? s.to : s.code))).toEqual([
      '330622',
      '330682',
      '330604',
    ]);
  });

  it('as of a date, follows only the changes that had happened by then (validTo exclusive)', () => {
    expect(shanghai.resolve('310225', '2000-12-31')?.code).toBe('310225');
    expect(shanghai.resolve('310225', '2001-01-01')?.code).toBe('310119');
    expect(shanghai.resolve('310225', '2008-12-31')?.code).toBe('310119');
    expect(shanghai.resolve('310225', '2009-01-01')?.code).toBe('310115');
    expect(shanghai.resolve('310108', '2014-12-31')?.code).toBe('310108');
    expect(shanghai.resolve('310108', '2015-01-01')?.code).toBe('310106');
    expect(shangyu.resolve('330622', '2000-06-01')?.code).toBe('330682');
    expect(shanghai.resolveWithTrace('310108', '2020-01-01')?.asOf).toBe('2020-01-01');
  });

  it('marks coarser answers as not exact', () => {
    const street = shanghai.resolveWithTrace('310108001002');
    expect(street?.exact).toBe(false);
    expect(street?.steps).toEqual([
      { kind: 'truncated', from: '310108001002', to: '310108001' },
      { kind: 'truncated', from: '310108001', to: '310108' },
      { kind: 'matched', code: '310108' },
      { kind: 'successor', from: '310108', to: '310106', on: '2015-01-01' },
    ]);
    const aggregate = shanghai.resolveWithTrace('310100');
    expect(aggregate?.exact).toBe(false);
    expect(aggregate?.steps).toEqual([{ kind: 'aggregate', from: '310100', to: '310000' }]);
    expect(shanghai.resolveWithTrace('310115004')?.exact).toBe(true);
  });
});

describe('regions', () => {
  it('derives the level from the code and records validity', () => {
    expect(shanghai.root).toEqual({
      code: '310000',
      name: '上海市',
      parentCode: null,
      level: 'province',
      validFrom: null,
      validTo: null,
      successorCode: null,
    });
    expect(shanghai.get('310115')?.level).toBe('county');
    expect(shanghai.get('310115004')?.level).toBe('street');
    expect(shanghai.get('310115004001')?.level).toBe('committee');
    expect(shangyu.get('330600')).toMatchObject({ level: 'city', parentCode: '330000' });
    expect(shangyu.root).toMatchObject({ code: '330604', level: 'county', parentCode: '330600' });
    expect(shanghai.get('310119')).toEqual({
      code: '310119',
      name: '南汇区',
      parentCode: '310000',
      level: 'county',
      validFrom: '2001-01-01',
      validTo: '2009-01-01',
      successorCode: '310115',
    });
    expect(shangyu.get('330682')?.parentCode).toBe('330600');
    expect(shanghai.get('310100')).toBeUndefined(); // aggregates are not regions
    expect(shanghai.get('440524')).toBeUndefined();
  });

  it('lists children by code, retired ones only when asked', () => {
    expect(shanghai.children('310000').map((r) => r.code)).toEqual(['310101', '310106', '310112', '310115']);
    expect(shanghai.children('310000', { includeRetired: true }).map((r) => r.code)).toEqual([
      '310101',
      '310106',
      '310108',
      '310112',
      '310115',
      '310119',
      '310225',
    ]);
    expect(shanghai.children('310115').map((r) => r.code)).toEqual(['310115004', '310115005']);
    expect(shanghai.children('310115004001')).toEqual([]);
    expect(shanghai.children('999999')).toEqual([]);
  });

  it('lists ancestors outermost first', () => {
    expect(shanghai.ancestors('310115004001').map((r) => r.code)).toEqual(['310000', '310115', '310115004']);
    expect(shangyu.ancestors('330604001').map((r) => r.code)).toEqual(['330000', '330600', '330604']);
    expect(shanghai.ancestors('310000')).toEqual([]);
    expect(shanghai.ancestors('440524')).toEqual([]);
  });

  it('names the path', () => {
    expect(shanghai.pathNames('310115004')).toBe('上海市 / 浦东新区 / 潍坊新村街道');
    expect(shangyu.pathNames('330604001')).toBe('浙江省 / 绍兴市 / 上虞区 / 百官街道');
    expect(shanghai.pathNames('310108', '')).toBe('上海市闸北区');
    expect(shanghai.pathNames('440524')).toBeNull();
  });

  it('lists the current county-level units of the jurisdiction', () => {
    expect(shanghai.districts().map((r) => r.code)).toEqual(['310101', '310106', '310112', '310115']);
    expect(shangyu.districts().map((r) => r.code)).toEqual(['330604']);
  });

  it('lists every region', () => {
    expect(shanghai.all()).toHaveLength(1 + 7 + 3);
    expect(shangyu.all().map((r) => r.code)).toEqual([
      '330000',
      '330600',
      '330604',
      '330604001',
      '330604001001',
      '330604101',
      '330622',
      '330682',
    ]);
  });
});

describe('isKnownAddressCode (ID numbers: warn, do not reject, when false)', () => {
  it.each([
    ['310115', true],
    ['310000', true],
    ['310108', true],
    ['310225', true],
    ['310100', true],
    ['440524', false],
    ['310199', false],
    ['310115004', false],
    ['31011', false],
    ['abcdef', false],
  ])('Shanghai %s → %s', (code, known) => {
    expect(shanghai.isKnownAddressCode(code)).toBe(known);
  });

  it.each([
    ['330604', true],
    ['330682', true],
    ['330622', true],
    ['330600', true],
    ['330000', true],
    ['330621', false],
  ])('Shangyu %s → %s', (code, known) => {
    expect(shangyu.isKnownAddressCode(code)).toBe(known);
  });
});

describe('search', () => {
  it('finds current regions by a fragment of the name, best match first', () => {
    expect(shanghai.search('浦东').map((r) => r.code)).toEqual(['310115']);
    expect(shanghai.search(' 陆家嘴 ').map((r) => r.code)).toEqual(['310115005']);
    expect(shanghai.search('街道').map((r) => r.code)).toEqual(['310115004', '310115005']);
    expect(shanghai.search('区').map((r) => r.code)).toEqual(['310101', '310106', '310112', '310115']);
  });

  it('ranks an exact name, then a prefix, then deeper matches', () => {
    const tree = buildRegionTree({
      root: { code: '310000', name: '上海市' },
      regions: [
        ['310101', '黄浦区', '310000'],
        ['310101001', '外滩街道', '310101'],
        ['310101002', '老外滩街道', '310101'],
        ['310101003', '外滩', '310101'],
      ],
    });
    expect(tree.search('外滩').map((r) => r.code)).toEqual(['310101003', '310101001', '310101002']);
  });

  it('finds by code prefix', () => {
    expect(shanghai.search('310115').map((r) => r.code)).toEqual([
      '310115',
      '310115004',
      '310115005',
      '310115004001',
    ]);
  });

  it('includes retired codes only when asked, after current ones', () => {
    expect(shanghai.search('闸北')).toEqual([]);
    expect(shanghai.search('闸北', { includeRetired: true }).map((r) => r.code)).toEqual(['310108']);
    expect(shanghai.search('南汇', { includeRetired: true }).map((r) => r.code)).toEqual(['310119', '310225']);
    expect(shanghai.search('区', { includeRetired: true }).map((r) => r.code)).toEqual([
      '310101',
      '310106',
      '310112',
      '310115',
      '310108',
      '310119',
    ]);
  });

  it('filters by level and limits', () => {
    expect(shanghai.search('310115', { level: 'street' }).map((r) => r.code)).toEqual(['310115004', '310115005']);
    expect(shanghai.search('区', { limit: 2 }).map((r) => r.code)).toEqual(['310101', '310106']);
    expect(shanghai.search('区', { limit: -1 })).toEqual([]);
    expect(shanghai.search('  ')).toEqual([]);
  });
});

describe('invalid data is rejected', () => {
  const issuesOf = (data: RegionsData, retired: RetiredCodesData = { codes: [] }): string[] =>
    checkRegionData(data, retired).map((i) => `${i.path}: ${i.message}`);

  it('accepts the fixtures', () => {
    expect(issuesOf(makeShanghai(), makeShanghaiRetired())).toEqual([]);
    expect(issuesOf(makeShangyu(), makeShangyuRetired())).toEqual([]);
  });

  it('throws a RegionDataError (an AppError) listing the problems', () => {
    const data = makeShanghai();
    data.regions.push(['310115006', '周家渡街道', '310199']);
    let caught: unknown;
    try {
      buildRegionTree(data, { codes: [] }, 'fixture');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RegionDataError);
    expect(isAppError(caught)).toBe(true);
    const error = caught as RegionDataError;
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toBe('Invalid region data (fixture): regions[7]: 310115006 has unknown parent 310199');
    expect(error.issues).toEqual([{ path: 'regions[7]', message: '310115006 has unknown parent 310199' }]);
    expect(error.details).toEqual(error.issues);
  });

  it('names the root code when no label is given, and shortens long lists', () => {
    const data = makeShanghai();
    for (let i = 0; i < 7; i++) data.regions.push([`31011500${i}`, '街道', '310199']);
    expect(() => buildRegionTree(data)).toThrow(/^Invalid region data \(310000\): .*; … \d+ more$/);
  });

  it('rejects an unknown parent', () => {
    const data = makeShanghai();
    data.regions.push(['310115004002', '二居委会', '310115009']);
    expect(issuesOf(data)).toEqual(['regions[7]: 310115004002 has unknown parent 310115009']);
  });

  it('rejects a child outside its parent', () => {
    const data = makeShanghai();
    data.regions.push(['310101004', '错街道', '310115']);
    expect(issuesOf(data)).toEqual(['regions[7]: 310101004 does not lie within its parent 310115']);
  });

  it('rejects a cycle of parents', () => {
    const data = makeShanghai();
    data.regions.push(['310115006', '甲', '310115007'], ['310115007', '乙', '310115006']);
    const issues = issuesOf(data);
    expect(issues).toContain('regions[7]: parent cycle: 310115006 → 310115007 → 310115006');
    expect(issues).toContain('regions[8]: parent cycle: 310115007 → 310115006 → 310115007');
  });

  it('rejects duplicate and malformed codes, and empty names', () => {
    const data = makeShanghai();
    data.regions.push(['310115004', '潍坊新村街道', '310115'], ['31011', '短', '310000'], ['310115008', ' ', '310115']);
    expect(issuesOf(data)).toEqual([
      'regions[7]: duplicate code 310115004 (already at regions[4])',
      'regions[8]: malformed code "31011" (expected a 6, 9 or 12-digit region code)',
      'regions[9]: 310115008 has no name',
    ]);
  });

  it('rejects ancestors that do not contain the root', () => {
    const data = makeShangyu();
    data.ancestors = [
      { code: '330000', name: '浙江省' },
      { code: '320600', name: '南通市' },
    ];
    expect(issuesOf(data)).toEqual([
      'ancestors[1]: 320600 does not lie within 330000',
      'root: 330604 does not lie within 320600',
    ]);
  });

  it('rejects a cycle of successors', () => {
    const retired = makeShanghaiRetired();
    retired.codes = [
      retiredRow('310108', '闸北区', '2015-01-01', '310119'),
      retiredRow('310119', '南汇区', '2009-01-01', '310108'),
    ];
    expect(issuesOf(makeShanghai(), retired)).toEqual([
      'codes[0]: successor cycle: 310108 → 310119 → 310108',
      'codes[1]: successor cycle: 310119 → 310108 → 310119',
    ]);
    expect(() => buildRegionTree(makeShanghai(), retired)).toThrow(RegionDataError);
  });

  it('rejects unknown successors, bad dates, codes outside the tree, duplicates of current codes', () => {
    const retired: RetiredCodesData = {
      codes: [
        retiredRow('310108', '闸北区', '2015-01-01', '310199'),
        retiredRow('310103', '卢湾区', '2011-13-01', '310101'),
        retiredRow('310102', '南市区', '2000-01-01', '310101', '2000'),
        retiredRow('310111', '吴淞区', '1988-01-01', '310113', '1990-01-01'),
        retiredRow('330682', '上虞市', '2013-01-01', '310101'),
        retiredRow('310115', '浦东新区', '2013-01-01', '310101'),
        retiredRow('310108', '闸北区', '2015-01-01', '310106'),
      ],
    };
    expect(issuesOf(makeShanghai(), retired)).toEqual([
      'codes[1]: 310103: validTo "2011-13-01" is not a YYYY-MM-DD date',
      'codes[2]: 310102: validFrom "2000" is not a YYYY-MM-DD date',
      'codes[3]: 310111: validFrom 1990-01-01 is not before validTo 1988-01-01',
      "codes[4]: 330682 lies outside the jurisdiction's tree (no known unit contains it)",
      'codes[5]: duplicate code 310115 (already at regions[3])',
      'codes[6]: duplicate code 310108 (already at codes[0])',
      'codes[0]: 310108 has unknown successor 310199',
      'codes[3]: 310111 has unknown successor 310113',
    ]);
  });

  it('rejects aggregates that map to no current region', () => {
    const retired: RetiredCodesData = {
      codes: [retiredRow('310108', '闸北区', '2015-01-01', '310106')],
      aggregateCodes: [
        { code: '310200', name: '县', mapsTo: '310108', reference: 'x', confidence: 'medium' },
        { code: '310100', name: '市辖区', mapsTo: '310000', reference: 'x', confidence: 'medium' },
        { code: '310100', name: '市辖区', mapsTo: '310000', reference: 'x', confidence: 'medium' },
      ],
    };
    expect(issuesOf(makeShanghai(), retired)).toEqual([
      'aggregateCodes[0]: 310200 maps to 310108, which is not a current region',
      'aggregateCodes[2]: duplicate code 310100 (already at aggregateCodes[1])',
    ]);
  });

  it('rejects a retired province-level code (nothing can contain it)', () => {
    expect(issuesOf(makeShanghai(), { codes: [retiredRow('320000', '江苏省', '2000-01-01', '310000')] })).toEqual([
      "codes[0]: 320000 lies outside the jurisdiction's tree (no known unit contains it)",
    ]);
  });

  it('places a retired street under its county', () => {
    const tree = buildRegionTree(makeShanghai(), {
      codes: [retiredRow('310115003', '旧街道', '2000-01-01', '310115004')],
    });
    expect(tree.get('310115003')?.parentCode).toBe('310115');
    expect(tree.resolve('310115003001')?.code).toBe('310115004');
  });
});

describe('checkJurisdiction', () => {
  const area = (code: string, name: string) => ({ code, name, center: { lat: 31.2, lon: 121.5 }, radiusKm: 2 });
  const makeJurisdiction = (over: Partial<Jurisdiction> = {}): Jurisdiction => ({
    id: 'fixture',
    rootCode: '310000',
    name: '上海市',
    nameEn: 'Shanghai',
    timezone: 'Asia/Shanghai',
    center: { lat: 31.23, lon: 121.47 },
    districtAreas: {
      confidence: 'low',
      reference: 'general knowledge',
      areas: [area('310101', '黄浦区'), area('310106', '静安区'), area('310112', '闵行区'), area('310115', '浦东新区')],
    },
    ...over,
  });

  it('accepts a consistent jurisdiction, with or without district areas', () => {
    expect(checkJurisdiction(makeJurisdiction(), shanghai)).toEqual([]);
    const { districtAreas: _, ...bare } = makeJurisdiction();
    expect(checkJurisdiction(bare, shanghai)).toEqual([]);
  });

  it('reports a root or name that differs from the regions', () => {
    expect(checkJurisdiction(makeJurisdiction({ rootCode: '330604', name: '上虞区' }), shanghai)).toEqual([
      { path: 'rootCode', message: "rootCode 330604 differs from the regions' root 310000" },
      { path: 'name', message: "name 上虞区 differs from the root's name 上海市" },
    ]);
  });

  it('reports areas of non-districts, duplicate areas and districts without one', () => {
    const j = makeJurisdiction({
      districtAreas: {
        confidence: 'low',
        reference: 'x',
        areas: [area('310101', '黄浦区'), area('310101', '黄浦区'), area('310108', '闸北区'), area('310115', '浦东新区')],
      },
    });
    expect(checkJurisdiction(j, shanghai)).toEqual([
      { path: 'districtAreas.areas[1]', message: '310101 has more than one area' },
      { path: 'districtAreas.areas[2]', message: '310108 is not a current district of the tree' },
      { path: 'districtAreas.areas', message: 'district 310106 has no area' },
      { path: 'districtAreas.areas', message: 'district 310112 has no area' },
    ]);
  });
});
