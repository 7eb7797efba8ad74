// Parameters as data: the checker behind `yiyang policy check` rejects what a reviewer must not
// let through, and resolution picks the most specific scope in force on the date — a district's
// own top-up over the city's value, another jurisdiction's rows for its own people.
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../core/index.ts';
import { checkParameterFiles, createEngine, readParameterFiles, REQUIRED_PARAMETERS, compileParameterFiles, type PersonFacts } from './index.ts';

const shipped = async () => (await readParameterFiles()).files;
const clone = <T>(x: T): T => structuredClone(x);
type Row = Record<string, unknown>;
type Def = { name: string; unit: string; rows: Row[]; keyedBy?: string };
type File = { scheme: string; parameters: Def[] };
const def = (files: { file: string; data: unknown }[], scheme: string, name: string): Def => {
  const f = files.find((x) => (x.data as File).scheme === scheme)!.data as File;
  return f.parameters.find((p) => p.name === name)!;
};

describe('policy check', () => {
  it('the shipped parameter files pass, and every scheme the rules need has a file', async () => {
    const files = await shipped();
    expect(checkParameterFiles(files, REQUIRED_PARAMETERS)).toEqual([]);
    expect(files.map((f) => (f.data as File).scheme).sort()).toEqual(Object.keys(REQUIRED_PARAMETERS).sort());
  });

  const broken = async (mutate: (files: { file: string; data: unknown }[]) => void) => {
    const files = clone(await shipped());
    mutate(files);
    return checkParameterFiles(files, REQUIRED_PARAMETERS).map((p) => `${p.file} ${p.where}: ${p.message}`);
  };

  it('rejects overlapping periods at the same scope', async () => {
    const p = await broken((files) => {
      const d = def(files, 'ltci', 'institutionDailyLimitFen');
      d.rows[0]!.to = '2025-09-01';
    });
    expect(p).toEqual([expect.stringMatching(/ltci\.json institutionDailyLimitFen\.rows\[1\]\.from: 与 rows\[0\].*重叠/)]);
  });

  it('rejects an open period followed by another', async () => {
    const p = await broken((files) => {
      const d = def(files, 'allowance', 'minAge');
      d.rows.push({ ...clone(d.rows[0]!), from: '2030-01-01', value: 60 });
    });
    expect(p.join('\n')).toMatch(/allowance\.json minAge\.rows\[1\]\.from: .*重叠/);
  });

  it('the same period at a district and at the city is not an overlap (the district wins)', async () => {
    const p = await broken((files) => {
      const d = def(files, 'allowance', 'monthlyFen');
      d.rows.push({ ...clone(d.rows[0]!), scope: '310115' });
    });
    expect(p).toEqual([]);
  });

  it('rejects missing citations: empty document or article, or no citation at all', async () => {
    const p = await broken((files) => {
      const d = def(files, 'allowance', 'minAge');
      (d.rows[0]!.citation as Row).document = ' ';
      const e = def(files, 'ltci', 'minGrade');
      (e.rows[0]!.citation as Row).article = '';
      const g = def(files, 'visiting', 'advancedAge');
      delete g.rows[0]!.citation;
    });
    expect(p).toEqual([
      expect.stringMatching(/allowance\.json minAge\.rows\[0\]\.citation\.document: 缺少出处/),
      expect.stringMatching(/ltci\.json minGrade\.rows\[0\]\.citation\.article: 缺少出处/),
      expect.stringMatching(/visiting\.json advancedAge\.rows\[0\]\.citation: 缺少字段 citation（出处）/),
    ]);
  });

  it('rejects unit mismatches: a row in another unit, yuan where fen is expected, a parameter in a unit the rules do not expect', async () => {
    const p = await broken((files) => {
      const d = def(files, 'allowance', 'monthlyFen');
      d.rows[0]!.unit = 'yuan/month';
      const e = def(files, 'ltci', 'fundShareHome');
      e.rows[0]!.value = 90;
      const g = def(files, 'serviceSubsidy', 'monthlyFen');
      (g.rows[0]!.value as Record<string, unknown>)['1:dibao'] = 1110.5;
      const h = def(files, 'basicBed', 'minGrade');
      h.unit = 'years';
      h.rows[0]!.unit = 'years';
    });
    expect(p).toEqual([
      expect.stringMatching(/allowance\.json monthlyFen\.rows\[0\]\.unit: 单位不一致/),
      expect.stringMatching(/basic-bed\.json minGrade\.unit: 单位不一致：规则需要 "grade"/),
      expect.stringMatching(/ltci\.json fundShareHome\.rows\[0\]\.value: .*比例/),
      expect.stringMatching(/service-subsidy\.json monthlyFen\.rows\[0\]\.value: "1:dibao" 的值 1110\.5 金额应为非负整数（分）/),
    ]);
  });

  it('rejects bad tables: age bands with a gap or an overlap, grade keys out of range', async () => {
    const p = await broken((files) => {
      const d = def(files, 'allowance', 'monthlyFen');
      d.rows[0]!.value = { '65-69': 7500, '71-79': 15000, '78-89': 18000 };
      const e = def(files, 'ltci', 'homeCareHoursPerWeek');
      (e.rows[0]!.value as Record<string, unknown>)['7'] = 9;
    });
    expect(p).toEqual([
      expect.stringMatching(/"65-69" 与 "71-79" 之间有空档/),
      expect.stringMatching(/"71-79" 与 "78-89" 重叠/),
      expect.stringMatching(/键 "7" 不是照护等级/),
    ]);
  });

  it('rejects a missing parameter the rules need, a scheme the rules do not know, bad dates and scopes', async () => {
    const p = await broken((files) => {
      const f = files.find((x) => (x.data as File).scheme === 'visiting')!.data as File;
      f.parameters = f.parameters.filter((x) => x.name !== 'advancedAge');
      const g = files.find((x) => (x.data as File).scheme === 'ltci')!.data as File;
      g.scheme = 'ltcx';
      const d = def(files, 'allowance', 'minAge');
      d.rows[0]!.from = '2016-02-30';
      d.rows[0]!.scope = '31';
    });
    expect(p).toEqual([
      expect.stringMatching(/allowance\.json minAge\.rows\[0\]\.scope: "31" 不是行政区划代码/),
      expect.stringMatching(/allowance\.json minAge\.rows\[0\]\.from: 生效日期 "2016-02-30" 无效/),
      expect.stringMatching(/ltci\.json scheme: 规则引擎没有名为 "ltcx" 的项目/),
      expect.stringMatching(/visiting\.json advancedAge: 缺少规则所需的参数/),
      expect.stringMatching(/缺少项目 "ltci" 的参数文件/),
    ]);
  });
});

describe('resolution by region and date', () => {
  const facts = (over: Partial<PersonFacts>): PersonFacts => ({
    birthDate: '1940-05-01' as LocalDate,
    hukouDistrict: '310101',
    insurance: 'employee',
    careGrade: null,
    careGradeValidUntil: null,
    economic: 'none',
    deathDate: null,
    ...over,
  });

  it("a district's own value applies to its people only, and the explanation names the level it came from", async () => {
    const files = clone(await shipped());
    const d = def(files, 'allowance', 'monthlyFen');
    d.rows.push({
      ...clone(d.rows[0]!),
      scope: '310115',
      from: '2025-01-01',
      value: { '65-69': 7500, '70-79': 15000, '80-89': 20000, '90-99': 35000, '100+': 60000 },
      citation: { document: '浦东新区测试文件', number: null, article: '第一条' },
    });
    const engine = createEngine(compileParameterFiles(files, (c) => ({ '310000': '上海市', '310115': '浦东新区' })[c] ?? c), { rootCode: '310000' });
    const asOf = '2025-03-01' as LocalDate;
    const pudong = engine.evaluate(facts({ hukouDistrict: '310115' }), asOf, true);
    expect(pudong.allowance.monthlyFen).toBe(20000);
    const band = pudong.explanation!.find((s) => s.scheme === 'allowance' && s.check === 'band')!;
    expect(band.parameter).toMatchObject({ scope: '310115', scopeName: '浦东新区', level: 'county' });
    // Before the district row starts, and for another district, the city's value.
    expect(engine.evaluate(facts({ hukouDistrict: '310115' }), '2024-12-31' as LocalDate).allowance.monthlyFen).toBe(18000);
    const huangpu = engine.evaluate(facts({ hukouDistrict: '310101' }), asOf, true);
    expect(huangpu.allowance.monthlyFen).toBe(18000);
    expect(huangpu.explanation!.find((s) => s.check === 'band')!.parameter).toMatchObject({ scope: '310000', scopeName: '上海市' });
    // A different parameter set, a different version stored with the results.
    expect(pudong.parameterVersion).not.toBe(createEngine(compileParameterFiles(await shipped()), { rootCode: '310000' }).set.version);
  });

  it("another jurisdiction (上虞区) runs on the same rules with its own rows; Shanghai's rows never apply there", async () => {
    const files = clone(await shipped());
    const shangyu = createEngine(compileParameterFiles(files), { rootCode: '330604' });
    const asOf = '2025-03-01' as LocalDate;
    const local = facts({ hukouDistrict: '330604' });
    // No 上虞 rows shipped: nothing is in force, and the explanation says so.
    const none = shangyu.evaluate(local, asOf, true);
    expect(none.allowance.eligible).toBe(false);
    expect(none.explanation![0]).toMatchObject({ scheme: 'allowance', check: 'inForce', passed: false });
    // Give 上虞 its own allowance rows (a test fixture, not policy).
    const f = files.find((x) => (x.data as File).scheme === 'allowance')!.data as File;
    for (const p of f.parameters) {
      const row = clone(p.rows[0]!);
      row.scope = '330604';
      row.citation = { document: '上虞区测试文件', number: null, article: '第一条' };
      if (p.name === 'hukouScope') row.value = '330604';
      if (p.name === 'minAge') row.value = 80;
      if (p.name === 'monthlyFen') row.value = { '80-89': 5000, '90+': 10000 };
      p.rows.push(row);
    }
    const withRows = createEngine(compileParameterFiles(files), { rootCode: '330604' });
    expect(withRows.evaluate(local, asOf).allowance).toEqual({ eligible: true, band: '80-89', monthlyFen: 5000 });
    expect(withRows.evaluate(facts({ hukouDistrict: '310101' }), asOf).allowance.eligible).toBe(false);
    // Shanghai, with the same files, is unchanged.
    const sh = createEngine(compileParameterFiles(files), { rootCode: '310000' });
    expect(sh.evaluate(facts({ hukouDistrict: '310101' }), asOf).allowance.monthlyFen).toBe(18000);
  });
});
