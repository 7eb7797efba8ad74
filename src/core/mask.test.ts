import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { COMPOUND_SURNAMES, maskIdNumber, maskName, maskPhone } from './mask.ts';

describe('maskIdNumber', () => {
  it.each([
    ['310115195001010012', 'staff', '310115********0012'],
    ['11010519491231002X', 'staff', '110105********002X'],
    ['11010519491231002x', 'staff', '110105********002X'], // normalised first
    [' 3101 1519 5001 0100 12 ', 'staff', '310115********0012'],
    ['310115500101001', 'staff', '310115*****1001'],
    ['310115195001010012', 'public', '3****************2'],
    ['310115500101001', 'public', '3*************1'],
    ['E12345678', 'staff', 'E*******8'], // not an ID number: first 1 + last 1
    ['E12345678', 'public', 'E*******8'],
    ['ABC', 'staff', 'A*C'],
    ['AB', 'staff', '**'],
    ['A', 'public', '*'],
    ['', 'staff', ''],
  ] as const)('maskIdNumber(%j, %s) = %s', (n, level, masked) => {
    expect(maskIdNumber(n, level)).toBe(masked);
  });

  it('defaults to the staff view', () => {
    expect(maskIdNumber('310115195001010012')).toBe('310115********0012');
  });

  it('keeps the length and hides the birth date and sequence (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dX]$/), fc.constantFrom('staff' as const, 'public' as const), (n, level) => {
        const m = maskIdNumber(n, level);
        expect(m).toHaveLength(18);
        expect(m.slice(6, 14)).toBe('********');
        expect(m[0]).toBe(n[0]);
        expect(m[17]).toBe(n[17]);
      }),
    );
  });
});

describe('maskName', () => {
  it.each([
    ['张三', '张*'],
    ['王小明', '王**'],
    ['欧阳娜娜', '欧阳**'],
    ['欧阳修', '欧阳*'],
    ['司马相如', '司马**'],
    ['欧阳', '欧*'], // two characters: surname 欧 + given name 阳
    ['张', '*'],
    ['', ''],
    ['  李四 ', '李*'],
    ['阿卜杜拉·买买提', '阿*******'],
    ['𠀀明', '𠀀*'], // a supplementary-plane character counts as one
  ])('maskName(%j) = %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });

  it('lists only two-character surnames', () => {
    for (const s of COMPOUND_SURNAMES) expect([...s]).toHaveLength(2);
    expect(new Set(COMPOUND_SURNAMES).size).toBe(COMPOUND_SURNAMES.length);
  });

  it('never reveals more than the first two characters (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 2, maxLength: 8, unit: 'grapheme-ascii' }), (name) => {
        const chars = [...name.trim()];
        fc.pre(chars.length >= 2);
        const m = [...maskName(name)];
        expect(m).toHaveLength(chars.length);
        expect(m.slice(1)).toEqual(Array(chars.length - 1).fill('*'));
      }),
    );
  });
});

describe('maskPhone', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['138 1234 5678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['+86 13812345678', '+86 138****5678'],
    ['008613812345678', '0086 138****5678'],
    ['021-62345678', '021****5678'],
    ['62345678', '623*5678'],
    ['1234567', '*****67'],
    ['110', '*10'],
    ['12', '**'],
    ['', ''],
  ])('maskPhone(%j) = %j', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });

  it('shows at most 7 digits of a mobile number (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^1\d{10}$/), (n) => {
        const m = maskPhone(n);
        expect(m).toBe(`${n.slice(0, 3)}****${n.slice(7)}`);
      }),
    );
  });
});
