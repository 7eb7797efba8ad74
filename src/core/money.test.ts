import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AppError } from './errors.ts';
import { addFen, type Fen, fen, formatFen, mulRate, splitFen, subFen, sumFen, yuanToFen, ZERO_FEN } from './money.ts';

const MAX = Number.MAX_SAFE_INTEGER;

const expectValidation = (f: () => unknown, message?: string): void => {
  try {
    f();
    expect.unreachable();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('VALIDATION_FAILED');
    if (message !== undefined) expect((e as AppError).message).toBe(message);
  }
};

describe('fen', () => {
  it('brands safe integers', () => {
    expect(fen(0)).toBe(0);
    expect(fen(-5)).toBe(-5);
    expect(fen(MAX)).toBe(MAX);
    expect(Object.is(fen(-0), 0)).toBe(true);
    expect(ZERO_FEN).toBe(0);
  });

  it.each([0.5, Number.NaN, Infinity, MAX + 1, -(MAX + 1)])('rejects %s', (n) => {
    expectValidation(() => fen(n));
  });

  it('explains in Chinese', () => {
    expectValidation(() => fen(1.5), '金额 1.5 分不是有效的整数');
  });
});

describe('yuanToFen', () => {
  it.each([
    ['1234.5', 123450],
    ['1234.50', 123450],
    ['1,234.50', 123450],
    ['1,234,567.89', 123456789],
    ['¥12', 1200],
    ['￥12.3', 1230],
    ['  ¥ 1234.05 ', 123405],
    ['- ¥ 5', -500],
    ['0', 0],
    ['0.01', 1],
    ['-0', 0],
    ['-¥1,234.50', -123450],
    ['¥-3.2', -320],
    ['+7', 700],
    ['0.1', 10], // 0.1 + 0.2 style float error cannot happen
    ['0.29', 29], // 0.29 * 100 = 28.999999999999996 in floats
    ['90071992547409.91', MAX],
    ['007', 700],
  ])('%j → %i fen', (s, n) => {
    expect(yuanToFen(s)).toBe(n);
  });

  it.each(['', '¥', 'abc', '1.', '.5', '1,23', '12,34.5', '1,2345', '--1', '-¥-1', '1e3', '1.2.3', '12元', '¥¥1', '1 234', '12 .5', '¥1,234 .50'])(
    'rejects %j as malformed',
    (s) => {
      expectValidation(() => yuanToFen(s), `金额 "${s}" 格式不正确`);
    },
  );

  it('rejects more than two decimals', () => {
    expectValidation(() => yuanToFen('1.234'), '金额 "1.234" 最多保留两位小数');
    expectValidation(() => yuanToFen('0.001'), '金额 "0.001" 最多保留两位小数');
  });

  it('rejects amounts beyond the safe-integer range', () => {
    expectValidation(() => yuanToFen('90071992547409.92'), '金额超出可处理的范围');
    expectValidation(() => yuanToFen('-90071992547409.92'), '金额超出可处理的范围');
  });

  it('round-trips with formatFen (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX, max: MAX }), (n) => {
        expect(yuanToFen(formatFen(fen(n)))).toBe(n === 0 ? 0 : n);
      }),
    );
  });
});

describe('formatFen', () => {
  it.each([
    [123450, '¥1,234.50'],
    [-123450, '-¥1,234.50'],
    [0, '¥0.00'],
    [5, '¥0.05'],
    [-5, '-¥0.05'],
    [100, '¥1.00'],
    [99999, '¥999.99'],
    [100000, '¥1,000.00'],
    [123456789, '¥1,234,567.89'],
    [MAX, '¥90,071,992,547,409.91'],
  ])('%i → %s', (n, s) => {
    expect(formatFen(fen(n))).toBe(s);
  });
});

describe('addFen / subFen / sumFen', () => {
  it('adds and subtracts', () => {
    expect(addFen(fen(150), fen(-50))).toBe(100);
    expect(subFen(fen(150), fen(200))).toBe(-50);
    expect(sumFen([fen(1), fen(2), fen(3)])).toBe(6);
    expect(sumFen([])).toBe(0);
    expect(sumFen(new Set([fen(7), fen(8)]))).toBe(15);
  });

  it('throws on overflow instead of losing precision', () => {
    expectValidation(() => addFen(fen(MAX), fen(1)));
    expectValidation(() => subFen(fen(-MAX), fen(1)));
    expectValidation(() => sumFen([fen(MAX), fen(MAX), fen(-MAX)]));
  });
});

describe('splitFen', () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [100, [1, 1, 1, 1, 1, 1], [17, 17, 17, 17, 16, 16]],
    [-100, [1, 1, 1], [-34, -33, -33]],
    [10, [0.1, 0.2, 0.7], [1, 2, 7]],
    [1000, [0.3, 0.7], [300, 700]],
    [1, [1, 1], [1, 0]], // tie → the earlier share
    [1, [1, 2], [0, 1]], // larger remainder wins over index
    [5, [0, 1, 0], [0, 5, 0]],
    [0, [1, 2, 3], [0, 0, 0]],
    [7, [3], [7]],
    [999, [5000, 3000, 2000], [499, 300, 200]], // 499.5 / 299.7 / 199.8: the 2 left over go to .8 and .7
    [MAX, [1, 1], [4503599627370496, 4503599627370495]],
  ])('splitFen(%i, %j) = %j', (total, shares, parts) => {
    expect(splitFen(fen(total), shares)).toEqual(parts);
  });

  it('never yields −0', () => {
    const parts = splitFen(fen(-1), [1, 1]);
    expect(parts).toEqual([-1, 0]);
    expect(Object.is(parts[1], 0)).toBe(true);
  });

  it.each([
    [[], '分摊比例不能为空'],
    [[1, -1], '分摊比例必须是非负数'],
    [[1, Number.NaN], '分摊比例必须是非负数'],
    [[Infinity], '分摊比例必须是非负数'],
    [[0, 0], '分摊比例不能全为 0'],
  ])('rejects shares %j', (shares, message) => {
    expectValidation(() => splitFen(fen(100), shares), message);
  });

  const arbShares = fc.array(
    fc.oneof(fc.nat({ max: 1_000_000 }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(0)),
    { minLength: 1, maxLength: 12 },
  );
  const arbTotal = fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }).map(fen);

  it('parts always sum to the whole (property)', () => {
    fc.assert(
      fc.property(arbTotal, arbShares, (total, shares) => {
        fc.pre(shares.some((s) => s > 0));
        expect(sumFen(splitFen(total, shares))).toBe(total);
      }),
      { numRuns: 500 },
    );
  });

  it('each part is within 1 fen of its exact share, zero shares get 0 (property)', () => {
    fc.assert(
      fc.property(arbTotal, fc.array(fc.nat({ max: 10_000 }), { minLength: 1, maxLength: 12 }), (total, shares) => {
        const sum = shares.reduce((a, b) => a + b, 0);
        fc.pre(sum > 0);
        splitFen(total, shares).forEach((part, i) => {
          const exact = (BigInt(total) * BigInt(shares[i] ?? 0) * 1000n) / BigInt(sum); // in 1/1000 fen
          const diff = BigInt(part) * 1000n - exact;
          expect(diff > -1000n && diff < 1000n).toBe(true);
          if (shares[i] === 0) expect(part).toBe(0);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('a larger share never gets less (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 1_000_000 }).map(fen), arbShares, (total, shares) => {
        fc.pre(shares.some((s) => s > 0));
        const parts = splitFen(total, shares);
        for (let i = 0; i < shares.length; i += 1) {
          for (let j = 0; j < shares.length; j += 1) {
            if ((shares[i] as number) > (shares[j] as number)) {
              expect(parts[i] as Fen).toBeGreaterThanOrEqual(parts[j] as Fen);
            }
          }
        }
      }),
    );
  });

  it('splitting −total mirrors splitting total (property)', () => {
    fc.assert(
      fc.property(arbTotal, arbShares, (total, shares) => {
        fc.pre(shares.some((s) => s > 0));
        const negated = splitFen(fen(-total), shares).map((p) => (p === 0 ? 0 : -p));
        expect(negated).toEqual(splitFen(total, shares));
      }),
    );
  });
});

describe('mulRate', () => {
  it.each([
    [100, 0.85, 'floor', 85], // 0.85 is taken as 85/100, not 0.8499999…
    [100, 0.85, 'half-up', 85],
    [1000, 0.035, 'floor', 35],
    [15, 0.5, 'half-up', 8],
    [15, 0.5, 'floor', 7],
    [15, 0.5, 'ceil', 8],
    [-15, 0.5, 'half-up', -8], // half away from zero
    [-15, 0.5, 'floor', -8],
    [-15, 0.5, 'ceil', -7],
    [14, 0.5, 'ceil', 7], // exact: no rounding
    [-14, 0.5, 'floor', -7],
    [13, 0.3, 'half-up', 4], // 3.9
    [11, 0.3, 'half-up', 3], // 3.3
    [-11, 0.3, 'half-up', -3],
    [-13, 0.3, 'half-up', -4],
    [10, -0.25, 'half-up', -3], // -2.5
    [12345, 1e-7, 'ceil', 1],
    [12345, 1e-7, 'floor', 0],
    [0, 2e21, 'floor', 0], // exponent notation is read exactly
    [123, 2, 'floor', 246],
    [123, 1.5e3, 'floor', 184500],
    [123, 0, 'ceil', 0],
  ] as const)('%i × %s (%s) = %i', (f, rate, rounding, expected) => {
    expect(mulRate(fen(f), rate, rounding)).toBe(expected);
  });

  it('rejects a non-finite rate and an overflowing result', () => {
    expectValidation(() => mulRate(fen(100), Number.NaN, 'floor'), '费率 NaN 无效');
    expectValidation(() => mulRate(fen(100), Infinity, 'floor'), '费率 Infinity 无效');
    expectValidation(() => mulRate(fen(3), 2e21, 'floor'), '金额超出可处理的范围');
  });

  it('floor ≤ half-up ≤ ceil, all within 1 fen of each other (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }).map(fen),
        fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }),
        (f, rate) => {
          const lo = mulRate(f, rate, 'floor');
          const mid = mulRate(f, rate, 'half-up');
          const hi = mulRate(f, rate, 'ceil');
          expect(lo).toBeLessThanOrEqual(mid);
          expect(mid).toBeLessThanOrEqual(hi);
          expect(hi - lo).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('integer rates are exact (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }).map(fen), fc.integer({ min: -1000, max: 1000 }), (f, r) => {
        expect(mulRate(f, r, 'floor')).toBe(f * r === 0 ? 0 : f * r);
        expect(mulRate(f, r, 'ceil')).toBe(f * r === 0 ? 0 : f * r);
      }),
    );
  });
});

describe('yuanDecimal', () => {
  it('writes fen as plain yuan, optionally without the decimals of a whole amount', async () => {
    const { yuanDecimal } = await import('./money.ts');
    expect(yuanDecimal(123450)).toBe('1234.50');
    expect(yuanDecimal(5)).toBe('0.05');
    expect(yuanDecimal(-15000)).toBe('-150.00');
    expect(yuanDecimal(15000, { trimWhole: true })).toBe('150');
    expect(yuanDecimal(15050, { trimWhole: true })).toBe('150.50');
  });
});
