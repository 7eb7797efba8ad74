import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from './errors.ts';
import { addDays, type LocalDate } from './dates.ts';
import {
  checkChar,
  HMT_ADDRESS_CODES,
  ID_CHECK_CHARS,
  ID_WEIGHTS,
  type IdNumberErrorCode,
  type IdNumberResult,
  isValidIdNumber,
  makeIdNumber,
  normalizeIdNumber,
  parseIdNumber,
  type ParsedIdNumber,
  upgradeLegacyIdNumber,
} from './idnumber.ts';

const today = '2025-06-01' as LocalDate;

const parsed = (r: IdNumberResult): ParsedIdNumber => {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value;
};

const errorOf = (r: IdNumberResult): { code: IdNumberErrorCode; message: string } => {
  if (r.ok) throw new Error(`expected an error, got ${r.value.number18}`);
  return r.error;
};

describe('weights and check characters', () => {
  it('weights are 2^(17−i) mod 11', () => {
    expect(ID_WEIGHTS).toEqual(Array.from({ length: 17 }, (_, i) => 2 ** (17 - i) % 11));
    expect(ID_CHECK_CHARS).toBe('10X98765432');
  });
});

describe('normalizeIdNumber', () => {
  it.each([
    ['  11010519491231002x ', '11010519491231002X'],
    ['110105 1949 1231 002X', '11010519491231002X'],
    ['１１０１０５１９４９１２３１００２ｘ', '11010519491231002X'],
    ['１１０１０５１９４９１２３１００２Ｘ', '11010519491231002X'],
    ['\u3000310115195001010012\u00a0', '310115195001010012'],
    ['310115500101001', '310115500101001'],
    ['', ''],
  ])('%j → %j', (raw, n) => {
    expect(normalizeIdNumber(raw)).toBe(n);
  });
});

describe('checkChar', () => {
  it.each([
    ['11010519491231002', 'X'], // S = 167, 167 mod 11 = 2 (the GB 11643 example)
    ['31011519500101001', '2'], // S = 120, mod 11 = 10
    ['44052418800101001', '4'], // S = 195, mod 11 = 8
    ['00000000000000000', '1'], // S = 0
  ])('checkChar(%s) = %s', (first17, c) => {
    expect(checkChar(first17)).toBe(c);
  });

  it.each(['1101051949123100', '110105194912310021', '1101051949123100X', ''])('rejects %j', (s) => {
    expect(() => checkChar(s)).toThrow(AppError);
    expect(() => checkChar(s)).toThrow('计算校验码需要 17 位数字');
  });

  it('every check character occurs (property: S mod 11 covers 0–10)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (s) => {
        const c = checkChar(s);
        expect(ID_CHECK_CHARS).toContain(c);
        seen.add(c);
      }),
      { numRuns: 2000 },
    );
    expect(seen.size).toBe(11);
  });
});

describe('parseIdNumber: valid numbers', () => {
  it('decodes the GB 11643 example 11010519491231002X', () => {
    expect(parsed(parseIdNumber('11010519491231002X', { today }))).toEqual({
      number18: '11010519491231002X',
      original: '11010519491231002X',
      legacy15: false,
      kind: 'resident',
      addressCode: '110105',
      birthDate: '1949-12-31',
      sex: 'F',
      warnings: [],
    });
  });

  it('decodes 310115195001010012 (male, Pudong)', () => {
    const v = parsed(parseIdNumber('310115195001010012', { today }));
    expect(v).toMatchObject({ addressCode: '310115', birthDate: '1950-01-01', sex: 'M', legacy15: false });
  });

  it('normalises before validating (lowercase x, full-width digits, spaces)', () => {
    const v = parsed(parseIdNumber(' 110105 19491231 002x ', { today }));
    expect(v.number18).toBe('11010519491231002X');
    expect(v.original).toBe('11010519491231002X');
  });

  it('upgrades a legacy 15-digit number and keeps the original', () => {
    const v = parsed(parseIdNumber('310115500101001', { today }));
    expect(v).toEqual({
      number18: '310115195001010012',
      original: '310115500101001',
      legacy15: true,
      kind: 'resident',
      addressCode: '310115',
      birthDate: '1950-01-01',
      sex: 'M',
      warnings: [],
    });
    expect(parsed(parseIdNumber('310103450615002', { today })).sex).toBe('F');
  });

  it('accepts a birth date of today and of 1900-01-01', () => {
    expect(parsed(parseIdNumber(makeIdNumber('310115', today, 3, 'F'), { today })).birthDate).toBe(today);
    const oldest = makeIdNumber('310101', '1900-01-01' as LocalDate, 0, 'M');
    expect(parsed(parseIdNumber(oldest, { today })).birthDate).toBe('1900-01-01');
  });

  it('accepts 港澳台居民居住证 (810000/820000/830000) without consulting the code table', () => {
    const lookups: string[] = [];
    const knownAddressCode = (code: string): boolean => {
      lookups.push(code);
      return false;
    };
    for (const code of HMT_ADDRESS_CODES) {
      const n = makeIdNumber(code, '1960-05-04' as LocalDate, 12, 'F');
      const v = parsed(parseIdNumber(n, { today, knownAddressCode }));
      expect(v.kind).toBe('hmt_residence');
      expect(v.addressCode).toBe(code);
      expect(v.warnings).toEqual([]);
    }
    expect(lookups).toEqual([]);
    expect(HMT_ADDRESS_CODES).toEqual(['810000', '820000', '830000']);
  });

  it('accepts a 2023 foreign permanent residence ID (first digit 9) without an address check', () => {
    const n = makeIdNumber('931840', '1955-08-20' as LocalDate, 1, 'M');
    const v = parsed(parseIdNumber(n, { today, knownAddressCode: () => false }));
    expect(v).toMatchObject({ kind: 'foreign_permanent', birthDate: '1955-08-20', sex: 'M', warnings: [] });
  });

  it('warns, never rejects, on an address code missing from the table', () => {
    const knownAddressCode = (code: string): boolean => code === '310115';
    expect(parsed(parseIdNumber('310115195001010012', { today, knownAddressCode })).warnings).toEqual([]);
    // 310103 卢湾区 was retired in 2011 but numbers carrying it stay valid forever.
    const retired = makeIdNumber('310103', '1948-03-03' as LocalDate, 7, 'F');
    const v = parsed(parseIdNumber(retired, { today, knownAddressCode }));
    expect(v.warnings).toEqual(['地址码 310103 不在行政区划代码表中（已撤销的旧代码也可能有效），请核对']);
    // Legacy numbers are checked too.
    expect(parsed(parseIdNumber('310103450615002', { today, knownAddressCode })).warnings).toHaveLength(1);
  });
});

describe('parseIdNumber: rejections', () => {
  it.each([
    ['', 'format', '身份证号码不能为空'],
    ['   ', 'format', '身份证号码不能为空'],
    ['3101151950010100', 'format', '身份证号码应为 18 位（旧版为 15 位），当前为 16 位'],
    ['3101151950010100123', 'format', '身份证号码应为 18 位（旧版为 15 位），当前为 19 位'],
    ['3101151950X1010012', 'format', '身份证号码只有最后一位可以是 X'],
    ['X10115195001010012', 'format', '身份证号码只有最后一位可以是 X'],
    ['31011550010100X', 'format', '15 位旧版身份证号码只能由数字组成'],
    ['31011519500101001-', 'format', '身份证号码只能由数字和最后一位的 X 组成'],
    ['31011519500101001A', 'format', '身份证号码只能由数字和最后一位的 X 组成'],
    ['310115195001010013', 'checksum', '身份证号码校验码不正确，请逐位核对'],
    ['310115195001010021', 'checksum', '身份证号码校验码不正确，请逐位核对'], // two digits swapped
    ['110105194912310021', 'checksum', '身份证号码校验码不正确，请逐位核对'],
    ['440524188001010014', 'too_old', '身份证号码中的出生日期 1880-01-01 早于 1900-01-01，请核对'],
    ['310115500230001', 'birth_date', '身份证号码中的出生日期 19500230 不是有效日期'],
    ['310115501301001', 'birth_date', '身份证号码中的出生日期 19501301 不是有效日期'],
  ])('%j → %s', (raw, code, message) => {
    expect(errorOf(parseIdNumber(raw, { today }))).toEqual({ code, message });
    expect(isValidIdNumber(raw, today)).toBe(false);
  });

  it('rejects an impossible 18-digit birth date with a valid checksum', () => {
    const first17 = '31011519500230001';
    expect(errorOf(parseIdNumber(first17 + checkChar(first17), { today }))).toEqual({
      code: 'birth_date',
      message: '身份证号码中的出生日期 19500230 不是有效日期',
    });
    const year0 = '31011500000101001';
    expect(errorOf(parseIdNumber(year0 + checkChar(year0), { today })).code).toBe('birth_date');
  });

  it('rejects a birth date after today', () => {
    const n = makeIdNumber('310115', addDays(today, 1), 0, 'M');
    expect(errorOf(parseIdNumber(n, { today }))).toEqual({
      code: 'future_birth',
      message: '身份证号码中的出生日期 2025-06-02 晚于今天（2025-06-01）',
    });
    // A legacy number is "future" only relative to a today before 1999.
    expect(errorOf(parseIdNumber('310115500101001', { today: '1949-12-31' as LocalDate })).code).toBe('future_birth');
  });

  it('checks the 1900 cut-off on both sides', () => {
    expect(isValidIdNumber(makeIdNumber('310115', '1900-01-01' as LocalDate, 0, 'M'), today)).toBe(true);
    expect(errorOf(parseIdNumber(makeIdNumber('310115', '1899-12-31' as LocalDate, 0, 'M'), { today })).code).toBe(
      'too_old',
    );
  });

  it('detects every single-digit substitution (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 16 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 0, max: 499 }),
        (pos, delta, seq) => {
          const n = makeIdNumber('310115', '1950-01-01' as LocalDate, seq, 'F');
          const changed = `${n.slice(0, pos)}${(Number(n[pos]) + delta) % 10}${n.slice(pos + 1)}`;
          const r = parseIdNumber(changed, { today });
          // The date check may also catch it; a checksum pass must never happen.
          expect(r.ok).toBe(false);
        },
      ),
    );
  });
});

describe('upgradeLegacyIdNumber', () => {
  it('inserts 19 and appends the check character', () => {
    expect(upgradeLegacyIdNumber('310115500101001')).toBe('310115195001010012');
  });

  it.each(['31011550010100', '31011550010100X', '3101155001010012'])('rejects %j', (s) => {
    expect(() => upgradeLegacyIdNumber(s)).toThrow('旧版身份证号码应为 15 位数字');
  });
});

describe('makeIdNumber', () => {
  it('sets the sequence parity by sex and appends the check character', () => {
    expect(makeIdNumber('310115', '1950-01-01' as LocalDate, 0, 'M')).toBe('310115195001010012');
    expect(makeIdNumber('110105', '1949-12-31' as LocalDate, 1, 'F')).toBe('11010519491231002X');
    expect(makeIdNumber('310115', '1950-01-01' as LocalDate, 0, 'F').slice(14, 17)).toBe('000');
    expect(makeIdNumber('310115', '1950-01-01' as LocalDate, 499, 'M').slice(14, 17)).toBe('999');
  });

  it.each([
    ['31011', '1950-01-01', 0, '地址码 "31011" 应为 6 位数字'],
    ['31011a', '1950-01-01', 0, '地址码 "31011a" 应为 6 位数字'],
    ['310115', '1950-02-30', 0, '日期 "1950-02-30" 无效'],
    ['310115', '19500101', 0, '日期 "19500101" 无效'],
    ['310115', '1950-01-01', -1, '顺序号 -1 应为 0–499 的整数'],
    ['310115', '1950-01-01', 500, '顺序号 500 应为 0–499 的整数'],
    ['310115', '1950-01-01', 1.5, '顺序号 1.5 应为 0–499 的整数'],
  ])('rejects (%j, %j, %s)', (code, birth, seq, message) => {
    expect(() => makeIdNumber(code, birth as LocalDate, seq, 'M')).toThrow(message);
  });

  it('always produces a number that parses back to its inputs (property)', () => {
    const arbBirth = fc
      .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2025, 5, 1)), noInvalidDate: true })
      .map((t) => t.toISOString().slice(0, 10) as LocalDate);
    fc.assert(
      fc.property(
        fc.stringMatching(/^[1-8]\d{5}$/),
        arbBirth,
        fc.integer({ min: 0, max: 499 }),
        fc.constantFrom<'M' | 'F'>('M', 'F'),
        (code, birth, seq, sex) => {
          const n = makeIdNumber(code, birth, seq, sex);
          const v = parsed(parseIdNumber(n, { today }));
          expect(v).toMatchObject({ number18: n, addressCode: code, birthDate: birth, sex, legacy15: false });
          expect(parsed(parseIdNumber(n.toLowerCase(), { today })).number18).toBe(n);
        },
      ),
    );
  });

  it('distinct (seq, sex) give distinct numbers', () => {
    const all = new Set<string>();
    for (let seq = 0; seq < 500; seq += 1) {
      for (const sex of ['M', 'F'] as const) all.add(makeIdNumber('310115', '1950-01-01' as LocalDate, seq, sex));
    }
    expect(all.size).toBe(1000);
  });
});
