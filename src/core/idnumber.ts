// Resident identity numbers (公民身份号码), GB 11643-1999.
// Rules: shared/domain/identity-and-regions.md §1. What `parseIdNumber` accepts:
//
// | kind                | form                                                         | address code check |
// |---------------------|--------------------------------------------------------------|--------------------|
// | `resident`          | 18 chars `^\d{17}[\dX]$`, MOD 11-2 check, birth 1900-01-01…today | warn if unknown  |
// | `resident` (legacy) | 15 digits, birth `19YYMMDD`, no check char; upgraded to 18   | warn if unknown    |
// | `hmt_residence`     | 港澳台居民居住证: 18 chars, address code 810000 / 820000 / 830000, same rules | none (fixed codes) |
// | `foreign_permanent` | 外国人永久居留身份证 (2023 edition): 18 chars, first digit 9, same checksum; birth date and sex read from the same positions (domain file confidence L–M) | none |
//
// Not accepted: the 2017 foreign permanent residence card (15 alphanumeric characters), passports
// and travel permits — model those as other document types, not as ID numbers.
// An unknown address code only warns: codes are never updated after issue, so retired codes
// (e.g. 310103 卢湾区) and codes from other provinces stay valid forever (§1.1 rule 3).

import { AppError } from './errors.ts';
import { type LocalDate, isCalendarDate, MIN_LOCAL_DATE } from './dates.ts';

/** Weights W_i = 2^(17−i) mod 11 for positions 1–17 (ISO 7064 MOD 11-2). */
export const ID_WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** Check character indexed by S mod 11. */
export const ID_CHECK_CHARS = '10X98765432';

/** Address codes of 港澳台居民居住证: Hong Kong, Macao, Taiwan. */
export const HMT_ADDRESS_CODES: readonly string[] = ['810000', '820000', '830000'];

/** Which document an 18-character number belongs to (see the table at the top of the file). */
export type IdNumberKind = 'resident' | 'hmt_residence' | 'foreign_permanent';

/** A validated identity number and what it says about its holder. */
export interface ParsedIdNumber {
  /** The 18-character form (legacy numbers upgraded); deduplicate on this. */
  number18: string;
  /** The normalised input, e.g. the 15-digit legacy form; store it too. */
  original: string;
  legacy15: boolean;
  kind: IdNumberKind;
  /** Positions 1–6: the hukou county when first issued; not the current residence. */
  addressCode: string;
  birthDate: LocalDate;
  /** From the sequence code's last digit: odd = male, even = female. */
  sex: 'M' | 'F';
  /** Chinese notes for staff that do not invalidate the number (e.g. unknown address code). */
  warnings: string[];
}

/** Why a number was rejected. */
export type IdNumberErrorCode = 'format' | 'checksum' | 'birth_date' | 'future_birth' | 'too_old';

/** A rejection with a Chinese message for the person entering the number. */
export interface IdNumberError {
  code: IdNumberErrorCode;
  message: string;
}

/** Outcome of `parseIdNumber`: an expected failure is a value, not an exception. */
export type IdNumberResult = { ok: true; value: ParsedIdNumber } | { ok: false; error: IdNumberError };

/** Options of `parseIdNumber`: the as-of date and an optional lookup of current + historical codes. */
export interface ParseIdNumberOptions {
  today: LocalDate;
  knownAddressCode?: (code: string) => boolean;
}

const FULLWIDTH_DIGIT_0 = 0xff10;

/** Trims, removes inner whitespace, maps full-width digits/X to ASCII and `x` to `X`. */
export const normalizeIdNumber = (raw: string): string =>
  raw
    .replace(/\s+/g, '')
    .replace(/[０-９]/g, (c) => String(c.charCodeAt(0) - FULLWIDTH_DIGIT_0))
    .replace(/[xXｘＸ]/g, 'X');

/** The MOD 11-2 check character of 17 digits; throws VALIDATION_FAILED for other input. */
export const checkChar = (first17: string): string => {
  if (!/^\d{17}$/.test(first17)) throw new AppError('VALIDATION_FAILED', '计算校验码需要 17 位数字');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (ID_WEIGHTS[i] as number);
  return ID_CHECK_CHARS[sum % 11] as string;
};

/** Upgrades a 15-digit legacy number to 18 (insert "19", append the check char); throws VALIDATION_FAILED otherwise. */
export const upgradeLegacyIdNumber = (n15: string): string => {
  if (!/^\d{15}$/.test(n15)) throw new AppError('VALIDATION_FAILED', '旧版身份证号码应为 15 位数字');
  const first17 = `${n15.slice(0, 6)}19${n15.slice(6)}`;
  return first17 + checkChar(first17);
};

const fail = (code: IdNumberErrorCode, message: string): IdNumberResult => ({
  ok: false,
  error: { code, message },
});

const formatError = (n: string): IdNumberResult => {
  if (n.length === 0) return fail('format', '身份证号码不能为空');
  if (n.length !== 18 && n.length !== 15) {
    return fail('format', `身份证号码应为 18 位（旧版为 15 位），当前为 ${n.length} 位`);
  }
  if (/^\d+$/.test(n.replaceAll('X', ''))) {
    return fail('format', n.length === 15 ? '15 位旧版身份证号码只能由数字组成' : '身份证号码只有最后一位可以是 X');
  }
  return fail('format', '身份证号码只能由数字和最后一位的 X 组成');
};

/** Validates and decodes a resident identity number (18-digit, legacy 15-digit, HMT and 2023 foreign permanent). */
export const parseIdNumber = (raw: string, opts: ParseIdNumberOptions): IdNumberResult => {
  const original = normalizeIdNumber(raw);
  const legacy15 = /^\d{15}$/.test(original);
  if (!legacy15 && !/^\d{17}[\dX]$/.test(original)) return formatError(original);
  if (!legacy15 && checkChar(original.slice(0, 17)) !== original[17]) {
    return fail('checksum', '身份证号码校验码不正确，请逐位核对');
  }
  const number18 = legacy15 ? upgradeLegacyIdNumber(original) : original;

  const y = number18.slice(6, 10);
  const m = number18.slice(10, 12);
  const d = number18.slice(12, 14);
  if (!isCalendarDate(Number(y), Number(m), Number(d))) {
    return fail('birth_date', `身份证号码中的出生日期 ${y}${m}${d} 不是有效日期`);
  }
  const birthDate = `${y}-${m}-${d}` as LocalDate;
  if (birthDate < MIN_LOCAL_DATE) {
    return fail('too_old', `身份证号码中的出生日期 ${birthDate} 早于 ${MIN_LOCAL_DATE}，请核对`);
  }
  if (birthDate > opts.today) {
    return fail('future_birth', `身份证号码中的出生日期 ${birthDate} 晚于今天（${opts.today}）`);
  }

  const addressCode = number18.slice(0, 6);
  const kind: IdNumberKind = legacy15
    ? 'resident'
    : HMT_ADDRESS_CODES.includes(addressCode)
      ? 'hmt_residence'
      : number18.startsWith('9')
        ? 'foreign_permanent'
        : 'resident';
  const warnings: string[] = [];
  if (kind === 'resident' && opts.knownAddressCode && !opts.knownAddressCode(addressCode)) {
    warnings.push(`地址码 ${addressCode} 不在行政区划代码表中（已撤销的旧代码也可能有效），请核对`);
  }
  const sex = Number(number18[16]) % 2 === 1 ? 'M' : 'F';
  return { ok: true, value: { number18, original, legacy15, kind, addressCode, birthDate, sex, warnings } };
};

/** True when `parseIdNumber(raw, { today })` succeeds. */
export const isValidIdNumber = (raw: string, today: LocalDate): boolean => parseIdNumber(raw, { today }).ok;

/**
 * A valid 18-digit number for tests and demo data: sequence code = 2·seq + (M ? 1 : 0), so seq
 * 0–499 gives each sex 500 distinct numbers per address code and birth date. Throws VALIDATION_FAILED
 * for a bad address code, date or seq.
 */
export const makeIdNumber = (addressCode: string, birth: LocalDate, seq: number, sex: 'M' | 'F'): string => {
  if (!/^\d{6}$/.test(addressCode)) throw new AppError('VALIDATION_FAILED', `地址码 "${addressCode}" 应为 6 位数字`);
  const parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birth);
  if (!parts || !isCalendarDate(Number(parts[1]), Number(parts[2]), Number(parts[3]))) {
    throw new AppError('VALIDATION_FAILED', `日期 "${birth}" 无效`);
  }
  if (!Number.isInteger(seq) || seq < 0 || seq > 499) {
    throw new AppError('VALIDATION_FAILED', `顺序号 ${seq} 应为 0–499 的整数`);
  }
  const sequence = String(seq * 2 + (sex === 'M' ? 1 : 0)).padStart(3, '0');
  const first17 = `${addressCode}${parts[1]}${parts[2]}${parts[3]}${sequence}`;
  return first17 + checkChar(first17);
};
