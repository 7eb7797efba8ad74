import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.ts';
import {
  checkFileName, columnForField, decodeText, mapHeaders, mapRows, normaliseDate, readSheet, TEMPLATE_HEADERS,
  type RegionNameLookup, type Sheet,
} from './importer.ts';

/** A few Shanghai regions by name and code; `find` answers like the service's lookup does. */
const REGIONS: { code: string; name: string; level: 'district' | 'street' | 'committee' }[] = [
  { code: '310101', name: '黄浦区', level: 'district' },
  { code: '310115', name: '浦东新区', level: 'district' },
  { code: '310101002', name: '南京东路街道', level: 'street' },
  { code: '310115004', name: '潍坊新村街道', level: 'street' },
  { code: '310101002001', name: '云南中路居委会', level: 'committee' },
];
const regions: RegionNameLookup = {
  find(text, level, parentCode) {
    const s = text.trim();
    const r = REGIONS.find((x) => x.level === level && (x.name === s || x.code === s));
    if (!r) return { error: `找不到名为 "${s}" 的地区` };
    if (parentCode && !r.code.startsWith(parentCode)) return { error: `"${s}" 不属于上一列所填的地区` };
    return { code: r.code };
  },
};

const ID1 = '310115195001010012';
const ID2 = '11010519491231002X';

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');
const sheet = (headers: string[], rows: string[][]): Sheet => ({ headers, rows, encoding: 'utf-8' });

async function rejection(p: Promise<unknown> | (() => unknown)): Promise<AppError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

async function xlsx(build: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('名单'));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('checkFileName', () => {
  it.each([
    ['名单.csv', 'csv'],
    ['a.XLSX', 'xlsx'],
    ['2026年 南京东路街道 老年人名单(第2版).xlsx', 'xlsx'],
    [' 名单.CSV ', 'csv'],
  ] as const)('accepts %j as %s', (name, kind) => {
    expect(checkFileName(name)).toBe(kind);
  });

  it.each([
    '../x.csv', 'a/b.csv', '..\\x.csv', 'C:\\名单.csv', '/etc/passwd.csv', 'x.txt', 'x.xls', 'x.csv.exe', '.csv', '.xlsx',
    '.hidden.csv', '', 'a\u0000.csv', 'a\n.csv', 'a:b.csv', `${'a'.repeat(201)}.csv`,
  ])('rejects %j', async (name) => {
    expect((await rejection(() => checkFileName(name))).code).toBe('IMPORT_FILE_NAME_INVALID');
  });
});

describe('decodeText', () => {
  const text = '姓名,身份证号,居住街道\r\n张三,310115195001010012,南京东路街道\r\n';

  it('UTF-8 with a byte-order mark: the mark is removed', () => {
    expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]))).toEqual({ text, encoding: 'utf-8-bom' });
  });

  it('plain UTF-8', () => {
    expect(decodeText(utf8(text))).toEqual({ text, encoding: 'utf-8' });
  });

  it('GBK, as Excel saves CSV on a Chinese Windows', () => {
    expect(decodeText(iconv.encode(text, 'gbk'))).toEqual({ text, encoding: 'gbk' });
  });

  it('GB18030 characters beyond GBK (a rare name character 䶮) come back intact', () => {
    const rare = '姓名\r\n刘䶮\r\n';
    expect(decodeText(iconv.encode(rare, 'gb18030')).text).toBe(rare);
  });

  it('ASCII only is UTF-8', () => {
    expect(decodeText(utf8('name,idNumber\n'))).toEqual({ text: 'name,idNumber\n', encoding: 'utf-8' });
  });
});

describe('readSheet: CSV', () => {
  it('reads CRLF lines and quoted fields holding commas, quotes and newlines', async () => {
    const csv = '姓名,身份证号,地址\r\n张三,310115195001010012,"长寿路1号,2楼"\r\n李四,11010519491231002X,"第一行\r\n第二行 ""引号"""\r\n';
    expect(await readSheet(utf8(csv), 'csv')).toEqual({
      headers: ['姓名', '身份证号', '地址'],
      rows: [['张三', ID1, '长寿路1号,2楼'], ['李四', ID2, '第一行\r\n第二行 "引号"']],
      encoding: 'utf-8',
    });
  });

  it('reads a GBK file and trims header cells', async () => {
    const s = await readSheet(iconv.encode(' 姓名 ,身份证号\n张三,1\n', 'gbk'), 'csv');
    expect(s).toEqual({ headers: ['姓名', '身份证号'], rows: [['张三', '1']], encoding: 'gbk' });
  });

  it('reads a UTF-8 file with a byte-order mark', async () => {
    const s = await readSheet(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8('姓名,身份证号\n张三,1')]), 'csv');
    expect(s).toEqual({ headers: ['姓名', '身份证号'], rows: [['张三', '1']], encoding: 'utf-8-bom' });
  });

  it('drops trailing blank lines but keeps blank lines in the middle (row numbers stay right)', async () => {
    const s = await readSheet(utf8('姓名,身份证号\n张三,1\n\n李四,2\n\n,\n\n'), 'csv');
    expect(s.rows).toEqual([['张三', '1'], [''], ['李四', '2']]);
  });

  it.each([
    ['an empty file', Buffer.alloc(0)],
    ['only blank lines', utf8('\r\n\r\n  \r\n')],
    ['only a byte-order mark', Buffer.from([0xef, 0xbb, 0xbf])],
    ['binary with NUL bytes', Buffer.from([0x41, 0x00, 0x42, 0x0a, 0x00])],
    ['UTF-16 text', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('姓名,身份证号\n', 'utf16le')])],
  ])('%s is IMPORT_FILE_INVALID', async (_, buf) => {
    expect((await rejection(readSheet(buf, 'csv'))).code).toBe('IMPORT_FILE_INVALID');
  });
});

describe('readSheet: XLSX', () => {
  it('reads a workbook made by exceljs, with a date cell, number cells, rich text and a hyperlink', async () => {
    const buf = await xlsx((ws) => {
      ws.addRow(['姓名', '身份证号', '出生日期', '居住街道', '纬度', '电话', '地址']);
      ws.addRow(['张三', ID1, new Date(Date.UTC(1950, 0, 1)), '南京东路街道', 31.2345, 13800138000, { richText: [{ text: '长寿路' }, { text: '1号', font: { bold: true } }] }]);
      ws.addRow(['李四', { text: ID2, hyperlink: 'https://example.org' }, new Date(Date.UTC(1949, 11, 31)), '南京东路街道']);
    });
    expect(await readSheet(buf, 'xlsx')).toEqual({
      headers: ['姓名', '身份证号', '出生日期', '居住街道', '纬度', '电话', '地址'],
      rows: [
        ['张三', ID1, '1950-01-01', '南京东路街道', '31.2345', '13800138000', '长寿路1号'],
        ['李四', ID2, '1949-12-31', '南京东路街道'],
      ],
      encoding: 'xlsx',
    });
  });

  it('keeps an empty row in the middle so that later rows keep their row numbers', async () => {
    const buf = await xlsx((ws) => {
      ws.addRow(['姓名', '身份证号', '居住街道']);
      ws.addRow(['张三', ID1, '南京东路街道']);
      ws.getCell('A4').value = '李四';
      ws.getCell('B4').value = ID2;
      ws.getCell('C4').value = '火星街道';
    });
    const s = await readSheet(buf, 'xlsx');
    expect(s.rows).toHaveLength(3);
    expect(s.rows[1]!.every((c) => c.trim() === '')).toBe(true);
    const { rows, errors } = mapRows(s, regions);
    expect(rows.map((r) => r.row)).toEqual([2]);
    expect(errors).toEqual([{ row: 4, field: '居住街道', message: '找不到名为 "火星街道" 的地区' }]);
  });

  it('a CSV-named file that is really an XLSX is read as XLSX', async () => {
    const buf = await xlsx((ws) => ws.addRow(['姓名', '身份证号']));
    expect((await readSheet(buf, 'csv')).encoding).toBe('xlsx');
  });

  it('a truncated XLSX (cut in half) is IMPORT_FILE_INVALID', async () => {
    const buf = await xlsx((ws) => {
      ws.addRow(['姓名', '身份证号', '居住街道']);
      for (let i = 0; i < 200; i++) ws.addRow([`张${i}`, ID1, '南京东路街道']);
    });
    expect((await rejection(readSheet(buf.subarray(0, buf.length >> 1), 'xlsx'))).code).toBe('IMPORT_FILE_INVALID');
  });

  it.each([
    ['an empty file', Buffer.alloc(0)],
    ['a CSV named .xlsx', utf8('姓名,身份证号\n张三,1\n')],
    ['a bare ZIP header', Buffer.from([0x50, 0x4b, 0x03, 0x04])],
  ])('%s as XLSX is IMPORT_FILE_INVALID', async (_, buf) => {
    expect((await rejection(readSheet(buf, 'xlsx'))).code).toBe('IMPORT_FILE_INVALID');
  });

  it('a workbook whose first sheet is empty is IMPORT_FILE_INVALID', async () => {
    const buf = await xlsx(() => undefined);
    expect((await rejection(readSheet(buf, 'xlsx'))).code).toBe('IMPORT_FILE_INVALID');
  });
});

describe('mapHeaders', () => {
  it('recognises Chinese and English headers in any case; unknown headers are listed', () => {
    const { index, unknown } = mapHeaders(['公民身份号码', 'NAME', '街道(镇)', '居委会', '备注', '', '姓名']);
    expect(index).toMatchObject({ idNumber: 0, name: 1, street: 2, committee: 3 });
    expect(unknown).toEqual(['备注', '姓名']);
  });

  it('accepts the template headers', () => {
    expect(mapHeaders(TEMPLATE_HEADERS).unknown).toEqual([]);
  });

  it.each([
    [['身份证号', '居住街道'], ['姓名']],
    [['姓名', '居委'], ['身份证号']],
    [['姓名', '身份证号', '地址'], ['居住街道']],
    [['地址'], ['姓名', '身份证号', '居住街道']],
  ])('headers %j lack the required columns %j', async (headers, missing) => {
    const e = await rejection(() => mapHeaders(headers));
    expect(e.code).toBe('IMPORT_FILE_INVALID');
    for (const m of missing) expect(e.message).toContain(m);
    expect(e.details.map((x) => x.path)).toEqual(missing);
  });

  it('any one of district, street or committee is enough', () => {
    for (const col of ['所在区', '街道', '居委']) expect(() => mapHeaders(['姓名', '身份证号', col])).not.toThrow();
  });
});

describe('mapRows', () => {
  it('a file with missing required columns is IMPORT_FILE_INVALID naming the columns', async () => {
    const s = await readSheet(utf8('名字,证件号,地址\n张三,1,x\n'), 'csv');
    const e = await rejection(() => mapRows(s, regions));
    expect(e.code).toBe('IMPORT_FILE_INVALID');
    expect(e.message).toContain('姓名');
    expect(e.message).toContain('身份证号');
    expect(e.message).toContain('居住街道');
  });

  it('maps a row to a person input, resolving region names through district → street → committee', () => {
    const { rows, errors, skippedBlank } = mapRows(sheet(
      ['姓名', '身份证号', '性别', '出生日期', '户籍区', '所在区', '街道', '居委会', '地址', '医保类型', '经济状况', '居住状况', '残疾情况', '电话', '死亡日期', '纬度', '经度'],
      [['张三 ', ID1, '男', '1950/1/1', '310108', '黄浦区', '南京东路街道', '云南中路居委会', '长寿路1号', '职工医保', '低保', '独居', '无', '021-62345678', '', '31.23', '121.47']],
    ), regions);
    expect(errors).toEqual([]);
    expect(skippedBlank).toBe(0);
    expect(rows).toEqual([{
      row: 2,
      input: {
        name: '张三', idNumber: ID1, sex: '男', birthDate: '1950-01-01', hukouDistrictCode: '310108', regionCode: '310101002001',
        address: '长寿路1号', lat: 31.23, lon: 121.47, insuranceType: '职工医保', economicStatus: '低保', livingArrangement: '独居',
        disability: '无', phone: '021-62345678', deathDate: null,
      },
    }]);
  });

  it('reports a bad region name with its spreadsheet row (header = row 1) and the column header as written', () => {
    const { rows, errors, skippedBlank } = mapRows(sheet(
      ['姓名', '身份证号', '街道(镇)'],
      [['张三', ID1, '南京东路街道'], ['', ' ', ''], ['李四', ID2, '火星街道'], ['王五', ID1, '潍坊新村街道']],
    ), regions);
    expect(rows.map((r) => [r.row, r.input.regionCode])).toEqual([[2, '310101002'], [5, '310115004']]);
    expect(errors).toEqual([{ row: 4, field: '街道(镇)', message: '找不到名为 "火星街道" 的地区' }]);
    expect(skippedBlank).toBe(1);
  });

  it('a street outside the district written beside it is an error on the street column', () => {
    const { errors } = mapRows(sheet(['姓名', '身份证号', '居住区', '居住街道'], [['张三', ID1, '浦东新区', '南京东路街道']]), regions);
    expect(errors).toEqual([{ row: 2, field: '居住街道', message: '"南京东路街道" 不属于上一列所填的地区' }]);
  });

  it('a row without any region is an error', () => {
    const { errors } = mapRows(sheet(['姓名', '身份证号', '居住街道'], [['张三', ID1, ' ']]), regions);
    expect(errors).toEqual([{ row: 2, field: '居住街道', message: expect.stringMatching(/不能为空/) }]);
  });

  it('non-numeric coordinates and an unknown hukou district name are errors on their columns', () => {
    const { rows, errors } = mapRows(sheet(['姓名', '身份证号', '居住街道', '纬度', '户籍所在区'], [['张三', ID1, '南京东路街道', '北纬31度', '闸北区']]), regions);
    expect(rows).toEqual([]);
    expect(errors).toEqual([
      { row: 2, field: '纬度', message: '"北纬31度" 不是数字' },
      { row: 2, field: '户籍所在区', message: '找不到名为 "闸北区" 的地区' },
    ]);
  });

  it('a hukou district name is resolved to its code', () => {
    const { rows } = mapRows(sheet(['姓名', '身份证号', '居住街道', '户籍区'], [['张三', ID1, '南京东路街道', '浦东新区']]), regions);
    expect(rows[0]!.input.hukouDistrictCode).toBe('310115');
  });

  it('rows shorter than the header are read with empty cells', () => {
    const { rows } = mapRows(sheet(['姓名', '身份证号', '居住街道', '电话'], [['张三', ID1, '南京东路街道']]), regions);
    expect(rows[0]!.input.phone).toBeNull();
  });

  it('blank rows anywhere are skipped and counted', () => {
    const { rows, errors, skippedBlank } = mapRows(sheet(['姓名', '身份证号', '居住街道'], [[''], ['', '', ''], ['张三', ID1, '南京东路街道'], [' \t', '']]), regions);
    expect(rows.map((r) => r.row)).toEqual([4]);
    expect(errors).toEqual([]);
    expect(skippedBlank).toBe(3);
  });
});

describe('normaliseDate', () => {
  it.each([
    ['1950/3/2', '1950-03-02'],
    ['1950.03.02', '1950-03-02'],
    ['19500302', '1950-03-02'],
    ['1950年3月2日', '1950-03-02'],
    ['1950年03月02', '1950-03-02'],
    ['1950-3-2', '1950-03-02'],
    [' 1950-03-02 ', '1950-03-02'],
    ['', null],
    ['   ', null],
    ['三月二日', '三月二日'],
    ['1950/13/45', '1950-13-45'],
    ['50-3-2', '50-3-2'],
  ])('%j → %j', (raw, out) => {
    expect(normaliseDate(raw)).toBe(out);
  });
});

describe('columnForField', () => {
  const headers = ['名字', '姓名', '身份证号码', '街道/镇', '手机'];
  it.each([
    ['name', '姓名'],
    ['idNumber', '身份证号码'],
    ['regionCode', '街道/镇'],
    ['phone', '手机'],
    ['birthDate', '出生日期'],
    ['contacts.0.phone', 'contacts.0.phone'],
    ['unknownField', 'unknownField'],
  ])('field %s is shown as column %j', (field, col) => {
    expect(columnForField(headers, field)).toBe(col);
  });
});

describe('reading arbitrary files', () => {
  const settle = async (p: () => Promise<unknown>): Promise<void> => {
    try {
      await p();
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      expect(e.code).toBe('IMPORT_FILE_INVALID');
    }
  };
  const readAndMap = (buf: Buffer, kind: 'csv' | 'xlsx') => async () => mapRows(await readSheet(buf, kind), regions);
  const HEADER = '姓名,身份证号,所在区,居住街道,居委,纬度,户籍区,出生日期\n';

  it('arbitrary bytes as CSV or XLSX only ever fail with IMPORT_FILE_INVALID', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.constantFrom('csv' as const, 'xlsx' as const), fc.boolean(), async (bytes, kind, zip) => {
        const buf = Buffer.from(bytes);
        if (zip && buf.length >= 4) buf.set([0x50, 0x4b, 0x03, 0x04]);
        await settle(readAndMap(buf, kind));
      }),
      { numRuns: 400 },
    );
  });

  it('arbitrary CSV text, with or without a valid header, only ever fails with IMPORT_FILE_INVALID', async () => {
    const cell = fc.oneof(fc.string(), fc.constantFrom('黄浦区', '南京东路街道', '云南中路居委会', '310101', '"', '""', ',', '\r\n', '31.2', ID1));
    const csv = fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 8 }).map((rows) => rows.map((r) => r.join(',')).join('\n'));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary' }), csv), fc.boolean(), async (text, withHeader) => {
        await settle(readAndMap(utf8((withHeader ? HEADER : '') + text), 'csv'));
      }),
      { numRuns: 500 },
    );
  });

  it('a real XLSX damaged at random places only ever fails with IMPORT_FILE_INVALID', async () => {
    const good = await xlsx((ws) => {
      ws.addRow(['姓名', '身份证号', '居住街道', '出生日期']);
      for (let i = 0; i < 5; i++) ws.addRow([`张${i}`, ID1, '南京东路街道', new Date(Date.UTC(1950, 0, 1 + i))]);
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.oneof(fc.constant(good.length), fc.nat({ max: good.length })), async (edits, cut) => {
        const buf = Buffer.from(good.subarray(0, Math.max(4, cut)));
        for (const [at, byte] of edits) if (at >= 4 && at < buf.length) buf[at] = byte;
        await settle(readAndMap(buf, 'xlsx'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('regressions', () => {
  it('a birth date computed by a formula (=DATE(...)) is read as YYYY-MM-DD', async () => {
    const buf = await xlsx((ws) => {
      ws.addRow(['姓名', '身份证号', '出生日期', '居住街道']);
      const r = ws.addRow(['张三', ID1, null, '南京东路街道']);
      r.getCell(3).value = { formula: 'DATE(1950,1,1)', result: new Date(Date.UTC(1950, 0, 1)) };
      r.getCell(3).numFmt = 'yyyy-mm-dd';
    });
    expect((await readSheet(buf, 'xlsx')).rows[0]![2]).toBe('1950-01-01');
  });
});
