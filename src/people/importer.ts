// Reading the lists street offices keep today: CSV (UTF-8 with or without BOM, or GBK as Excel
// saves it on a Chinese Windows) and XLSX. Each row becomes a PersonInput; a row that cannot
// becomes a row error with its spreadsheet row number, the column and the reason in Chinese.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { AppError, type ErrorDetail } from '../core/errors.ts';
import type { PersonInput } from './model.ts';

export interface Sheet {
  headers: string[];
  /** Data rows as cell texts; index 0 is spreadsheet row 2. */
  rows: string[][];
  encoding: string;
}

export interface RowError {
  /** Spreadsheet row number (the header is row 1). */
  row: number;
  /** The column as named in the file (or the field when not a column). */
  field: string;
  message: string;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const FILE_NAME_RE = /^[^\\/:*?"<>|\p{Cc}]{1,200}\.(csv|xlsx)$/iu;

/** Accept a plain file name ending .csv or .xlsx; reject paths and traversal. */
export function checkFileName(name: string): 'csv' | 'xlsx' {
  const n = name.trim();
  if (!FILE_NAME_RE.test(n) || n.includes('..') || n.startsWith('.')) {
    throw new AppError('IMPORT_FILE_NAME_INVALID', '文件名不合法：只接受 .csv 或 .xlsx 文件名，不能包含路径');
  }
  return n.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
}

const startsWith = (buf: Uint8Array, magic: number[]): boolean => magic.every((b, i) => buf[i] === b);

/** Decode CSV bytes: BOM → UTF-8; valid UTF-8 → UTF-8; otherwise GB18030 (a superset of GBK). */
export function decodeText(buf: Buffer): { text: string; encoding: string } {
  if (startsWith(buf, UTF8_BOM)) return { text: buf.subarray(UTF8_BOM.length).toString('utf8'), encoding: 'utf-8-bom' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(buf, 'gb18030'), encoding: 'gbk' };
  }
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) {
      const r = v.result as unknown;
      if (r instanceof Date) return r.toISOString().slice(0, 10);
      return r === undefined || r === null ? '' : String(r);
    }
    return '';
  }
  return String(v);
}

/** Parse a CSV or XLSX file into header + rows; a damaged file is an IMPORT_FILE_INVALID error. */
export async function readSheet(buf: Buffer, kind: 'csv' | 'xlsx'): Promise<Sheet> {
  let table: string[][];
  let encoding = 'xlsx';
  if (kind === 'xlsx' || startsWith(buf, ZIP_MAGIC)) {
    if (!startsWith(buf, ZIP_MAGIC)) throw new AppError('IMPORT_FILE_INVALID', '文件不是有效的 XLSX 文件');
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(buf as unknown as ArrayBuffer);
    } catch {
      throw new AppError('IMPORT_FILE_INVALID', 'XLSX 文件已损坏或不完整，无法读取');
    }
    const ws = wb.worksheets[0];
    if (!ws) throw new AppError('IMPORT_FILE_INVALID', 'XLSX 文件中没有工作表');
    table = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      const values = row.values as ExcelJS.CellValue[];
      table[n - 1] = values.slice(1).map(cellText);
    });
    for (let i = 0; i < table.length; i++) table[i] ??= [];
  } else {
    const { text, encoding: enc } = decodeText(buf);
    encoding = enc;
    if (text.includes('\u0000')) throw new AppError('IMPORT_FILE_INVALID', '文件不是文本格式的 CSV');
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
    table = parsed.data.map((r) => r.map((c) => String(c ?? '')));
    // A trailing newline yields one empty row; drop trailing empty rows.
  }
  while (table.length > 0 && (table[table.length - 1] ?? []).every((c) => c.trim() === '')) table.pop();
  if (table.length === 0) throw new AppError('IMPORT_FILE_INVALID', '文件是空的');
  const headers = (table[0] ?? []).map((h) => h.replace(/^\uFEFF/, '').trim());
  return { headers, rows: table.slice(1), encoding };
}

/** Column headers we understand, Chinese first; the key is the PersonInput-ish field. */
export const COLUMNS = {
  name: ['姓名', 'name'],
  idNumber: ['身份证号', '身份证号码', '公民身份号码', 'idNumber', 'id_number'],
  sex: ['性别', 'sex'],
  birthDate: ['出生日期', 'birthDate'],
  hukouDistrict: ['户籍区', '户籍所在区', '户籍区代码', 'hukouDistrictCode'],
  district: ['所在区', '居住区', '区', 'districtCode'],
  street: ['居住街道', '街道', '街道(镇)', '街道/镇', '街镇', 'streetCode'],
  committee: ['居委', '居委会', '居(村)委', '村居委', 'committeeCode'],
  address: ['地址', '居住地址', 'address'],
  insuranceType: ['医保类型', '医保', 'insuranceType'],
  economicStatus: ['经济状况', 'economicStatus'],
  livingArrangement: ['居住状况', '居住情况', 'livingArrangement'],
  disability: ['残疾情况', '残疾', 'disability'],
  phone: ['电话', '联系电话', '手机', 'phone'],
  deathDate: ['死亡日期', 'deathDate'],
  lat: ['纬度', 'lat'],
  lon: ['经度', 'lon'],
} as const;

export type Column = keyof typeof COLUMNS;

/** The template's header row. */
export const TEMPLATE_HEADERS = ['姓名', '身份证号', '性别', '出生日期', '户籍区', '所在区', '居住街道', '居委', '地址', '医保类型', '经济状况', '居住状况', '残疾情况', '电话', '死亡日期'];

/** Region names/codes → a region code, within the deployment. */
export interface RegionNameLookup {
  /** Find a region by code or by name, optionally under a parent; null when none or ambiguous. */
  find(text: string, level: 'district' | 'street' | 'committee', parentCode: string | null): { code: string } | { error: string };
}

export interface MappedRow {
  row: number;
  input: PersonInput;
}

/** Map header names to columns; unknown headers are reported, missing required ones are fatal. */
export function mapHeaders(headers: string[]): { index: Partial<Record<Column, number>>; unknown: string[] } {
  const index: Partial<Record<Column, number>> = {};
  const unknown: string[] = [];
  headers.forEach((h, i) => {
    const col = (Object.keys(COLUMNS) as Column[]).find((c) => (COLUMNS[c] as readonly string[]).some((a) => a.toLowerCase() === h.toLowerCase()));
    if (col && index[col] === undefined) index[col] = i;
    else if (h) unknown.push(h);
  });
  const missing: string[] = [];
  if (index.name === undefined) missing.push('姓名');
  if (index.idNumber === undefined) missing.push('身份证号');
  if (index.street === undefined && index.committee === undefined && index.district === undefined) missing.push('居住街道');
  if (missing.length) {
    throw new AppError('IMPORT_FILE_INVALID', `缺少必需的列：${missing.join('、')}`, missing.map((m) => ({ path: m, message: '缺少该列' })));
  }
  return { index, unknown };
}

/** Turn sheet rows into inputs, resolving region names; rows that cannot be mapped become errors. */
export function mapRows(sheet: Sheet, regions: RegionNameLookup): { rows: MappedRow[]; errors: RowError[]; skippedBlank: number } {
  const { index } = mapHeaders(sheet.headers);
  const rows: MappedRow[] = [];
  const errors: RowError[] = [];
  let skippedBlank = 0;
  const header = (c: Column): string => sheet.headers[index[c] ?? -1] ?? c;
  sheet.rows.forEach((cells, i) => {
    const rowNo = i + 2;
    const get = (c: Column): string => (index[c] === undefined ? '' : (cells[index[c]!] ?? '').trim());
    if (cells.every((c) => c.trim() === '')) {
      skippedBlank++;
      return;
    }
    const rowErrors: RowError[] = [];
    let regionCode = '';
    let parent: string | null = null;
    for (const [col, level] of [['district', 'district'], ['street', 'street'], ['committee', 'committee']] as const) {
      const t = get(col);
      if (!t) continue;
      const r = regions.find(t, level, parent);
      if ('error' in r) rowErrors.push({ row: rowNo, field: header(col), message: r.error });
      else {
        regionCode = r.code;
        parent = r.code;
      }
    }
    if (!regionCode && rowErrors.length === 0) rowErrors.push({ row: rowNo, field: header('street'), message: '居住街道（或居委）不能为空' });
    const num = (c: Column): number | null => {
      const t = get(c);
      if (!t) return null;
      const n = Number(t);
      if (!Number.isFinite(n)) rowErrors.push({ row: rowNo, field: header(c), message: `"${t}" 不是数字` });
      return Number.isFinite(n) ? n : null;
    };
    const input: PersonInput = {
      name: get('name'),
      idNumber: get('idNumber'),
      sex: get('sex') || null,
      birthDate: normaliseDate(get('birthDate')),
      hukouDistrictCode: null,
      regionCode,
      address: get('address') || null,
      lat: num('lat'),
      lon: num('lon'),
      insuranceType: get('insuranceType') || null,
      economicStatus: get('economicStatus') || null,
      livingArrangement: get('livingArrangement') || null,
      disability: get('disability') || null,
      phone: get('phone') || null,
      deathDate: normaliseDate(get('deathDate')),
    };
    const hukou = get('hukouDistrict');
    if (hukou) {
      if (/^\d{6}$/.test(hukou)) input.hukouDistrictCode = hukou;
      else {
        const r = regions.find(hukou, 'district', null);
        if ('error' in r) rowErrors.push({ row: rowNo, field: header('hukouDistrict'), message: r.error });
        else input.hukouDistrictCode = r.code;
      }
    }
    if (rowErrors.length) errors.push(...rowErrors);
    else rows.push({ row: rowNo, input });
  });
  return { rows, errors, skippedBlank };
}

/** 1950/3/2, 1950.03.02, 19500302 → 1950-03-02; anything else is passed on for validation. */
export function normaliseDate(s: string): string | null {
  const t = s.trim();
  if (!t) return null;
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return t;
  return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
}

/** Field names of PersonInput → the column header the user sees, for row errors. */
export function columnForField(headers: string[], field: string): string {
  const map: Record<string, Column> = {
    name: 'name', idNumber: 'idNumber', birthDate: 'birthDate', sex: 'sex', hukouDistrictCode: 'hukouDistrict',
    regionCode: 'street', address: 'address', lat: 'lat', lon: 'lon', insuranceType: 'insuranceType',
    economicStatus: 'economicStatus', livingArrangement: 'livingArrangement', disability: 'disability', phone: 'phone',
    deathDate: 'deathDate',
  };
  const col = map[field.split('.')[0] ?? ''];
  if (!col) return field;
  const { index } = mapHeaders(headers);
  const i = index[col];
  return i === undefined ? (COLUMNS[col][0] as string) : (headers[i] ?? field);
}

export type { ErrorDetail };
