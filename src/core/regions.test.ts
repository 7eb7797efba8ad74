import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from './errors.ts';
import { districtOf, isRegionCode, isWithin, normalizeRegionCode, regionLevel, scopePrefix } from './regions.ts';

describe('isRegionCode', () => {
  it.each(['310000', '310100', '310115', '330604', '441900', '310115005', '310115005001', '441900003201'])(
    'accepts %s',
    (s) => {
      expect(isRegionCode(s)).toBe(true);
    },
  );

  it.each([
    '',
    '31011',
    '3101150',
    '31011500',
    '3101150051',
    '31011500500',
    '3101150050011',
    '010115', // no province starts with 0
    '000000',
    '310115000', // NBS padding, not a canonical street
    '310115005000', // NBS padding of a street
    '310115000001',
    '31011a',
    ' 310115',
    '３１０１１５',
  ])('rejects %j', (s) => {
    expect(isRegionCode(s)).toBe(false);
  });
});

describe('normalizeRegionCode', () => {
  it.each([
    ['310115', '310115'],
    [' 310115005 ', '310115005'],
    ['310115005001', '310115005001'],
    ['310115005000', '310115005'],
    ['310115000000', '310115'],
    ['310000000000', '310000'],
  ])('%j → %s', (s, code) => {
    expect(normalizeRegionCode(s)).toBe(code);
  });

  it.each(['', '31011', '000000000000', '310115000001', 'abc'])('rejects %j', (s) => {
    expect(() => normalizeRegionCode(s)).toThrow(AppError);
  });
});

describe('regionLevel / scopePrefix', () => {
  it.each([
    ['310000', 'province', '31'],
    ['330000', 'province', '33'],
    ['330600', 'city', '3306'],
    ['310100', 'city', '3101'],
    ['330604', 'county', '330604'],
    ['310115', 'county', '310115'],
    ['310115005', 'street', '310115005'],
    ['310115005001', 'committee', '310115005001'],
  ])('%s is a %s with prefix %j', (code, level, prefix) => {
    expect(regionLevel(code)).toBe(level);
    expect(scopePrefix(code)).toBe(prefix);
  });

  it('rejects a malformed code with a Chinese message', () => {
    expect(() => regionLevel('31011')).toThrow('行政区划代码 "31011" 格式不正确');
    expect(() => scopePrefix('')).toThrow(AppError);
  });
});

describe('isWithin', () => {
  it.each([
    ['310115', '310000', true],
    ['310115005001', '310000', true],
    ['310000', '310000', true],
    ['310115', '310100', true],
    ['310115005', '310115', true],
    ['310115005001', '310115005', true],
    ['310115005001', '310115005001', true],
    ['330604001', '330600', true],
    ['330604', '330000', true],
    ['320115', '310000', false],
    ['310112', '310115', false],
    ['310115006', '310115005', false],
    ['310115005002', '310115005001', false],
    ['310115', '310115005', false], // a parent is not within its child
    ['310000', '310115', false],
    ['330602', '330604', false],
    ['3101150', '310000', false], // invalid code: default deny
    ['', '310000', false],
  ])('isWithin(%s, %s) = %s', (code, scope, within) => {
    expect(isWithin(code, scope)).toBe(within);
  });

  it('throws on an invalid scope instead of guessing', () => {
    expect(() => isWithin('310115', '31')).toThrow(AppError);
  });

  it('every descendant of a county is within it and its province (property)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[1-8]\d{3}(?:0[1-9]|[1-9]\d)$/),
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 1, max: 999 }),
        (county, street, committee) => {
          const s = `${county}${String(street).padStart(3, '0')}`;
          const c = `${s}${String(committee).padStart(3, '0')}`;
          const province = `${county.slice(0, 2)}0000`;
          for (const code of [county, s, c]) {
            expect(isWithin(code, county)).toBe(true);
            expect(isWithin(code, province)).toBe(true);
            expect(districtOf(code)).toBe(county);
          }
          expect(isWithin(county, s)).toBe(false);
        },
      ),
    );
  });
});

describe('districtOf', () => {
  it.each([
    ['310115005001', '310115'],
    ['310115005', '310115'],
    ['310115', '310115'],
    ['441900003', '441900'], // 东莞: towns directly under a prefecture city
    ['310000', '310000'], // unknown district: the wider scope itself
  ])('districtOf(%s) = %s', (code, district) => {
    expect(districtOf(code)).toBe(district);
  });

  it('rejects a malformed code', () => {
    expect(() => districtOf('3101150')).toThrow(AppError);
  });
});
