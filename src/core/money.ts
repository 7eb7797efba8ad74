// Money is an integer number of fen (分, 1/100 yuan) in a branded type (CONVENTIONS §14).
// Every operation stays in safe integers; every rounding is named by the caller. Parsing,
// splitting and rate multiplication are done exactly (BigInt), never with float cents.

import { AppError } from './errors.ts';

/** An integer amount of fen (分); build it with `fen`, `yuanToFen` or the arithmetic below. */
export type Fen = number & { readonly __brand: 'Fen' };

/** How `mulRate` rounds: half-up = half away from zero (四舍五入); floor = toward −∞; ceil = toward +∞. */
export type Rounding = 'half-up' | 'floor' | 'ceil';

const invalid = (message: string): AppError => new AppError('VALIDATION_FAILED', message);

/** Brands `n` as Fen; throws VALIDATION_FAILED unless it is a safe integer (−0 becomes 0). */
export const fen = (n: number): Fen => {
  if (!Number.isSafeInteger(n)) throw invalid(`金额 ${n} 分不是有效的整数`);
  return (n === 0 ? 0 : n) as Fen;
};

/** Zero fen. */
export const ZERO_FEN = fen(0);

const fromBig = (n: bigint): Fen => {
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw invalid('金额超出可处理的范围');
  }
  return fen(Number(n));
};

// Optional sign, optional ¥/￥, integer part (plain or with well-formed thousands separators),
// optional 1–2 decimals. A third decimal is matched separately to give a precise message.
// Spaces are allowed only around the sign and the currency symbol, never inside the number.
const YUAN_RE = /^([+-]?)\s*[¥￥]?\s*([+-]?)(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$/;

/** Parses a yuan amount ("1234.5", "1,234.50", "¥12", "-¥3.20") exactly into fen; VALIDATION_FAILED otherwise. */
export const yuanToFen = (s: string): Fen => {
  const m = YUAN_RE.exec(s.trim());
  if (!m || (m[1] && m[2])) throw invalid(`金额 "${s.slice(0, 40)}" 格式不正确`);
  const decimals = m[4] ?? '';
  if (decimals.length > 2) throw invalid(`金额 "${s.slice(0, 40)}" 最多保留两位小数`);
  const negative = (m[1] || m[2]) === '-';
  const digits = (m[3] as string).replaceAll(',', '') + decimals.padEnd(2, '0');
  const value = BigInt(digits);
  return fromBig(negative ? -value : value);
};

const groupThousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** 1 yuan = 100 fen (a unit, not a policy number). */
export const FEN_PER_YUAN = 100;

/** Formats fen as yuan: 123450 → `¥1,234.50`, −123450 → `-¥1,234.50`. */
export const formatFen = (f: Fen): string => {
  const abs = Math.abs(f);
  const yuan = Math.floor(abs / FEN_PER_YUAN);
  const cents = abs - yuan * FEN_PER_YUAN;
  return `${f < 0 ? '-' : ''}¥${groupThousands(String(yuan))}.${String(cents).padStart(2, '0')}`;
};

/**
 * Fen as a plain decimal amount of yuan, without sign or grouping: 123450 → `1234.50` (the
 * layout of bank files and of amounts followed by 元 in messages). With `trimWhole`, a whole
 * amount drops its decimals: 15000 → `150`.
 */
export const yuanDecimal = (f: number, o: { trimWhole?: boolean } = {}): string => {
  const abs = Math.abs(Math.round(f));
  const yuan = Math.floor(abs / FEN_PER_YUAN);
  const cents = abs - yuan * FEN_PER_YUAN;
  const body = o.trimWhole && cents === 0 ? String(yuan) : `${yuan}.${String(cents).padStart(2, '0')}`;
  return f < 0 ? `-${body}` : body;
};

/** `a + b`; throws VALIDATION_FAILED if the result leaves the safe-integer range. */
export const addFen = (a: Fen, b: Fen): Fen => fen(a + b);

/** `a − b`; throws VALIDATION_FAILED if the result leaves the safe-integer range. */
export const subFen = (a: Fen, b: Fen): Fen => fen(a - b);

/** Sum of amounts (0 for none); throws VALIDATION_FAILED on overflow. */
export const sumFen = (items: Iterable<Fen>): Fen => {
  let total = ZERO_FEN;
  for (const f of items) total = addFen(total, f);
  return total;
};

// A finite double is exactly m · 2^-k with integer m; returns [m, k] so ratios stay exact.
const toDyadic = (x: number): [bigint, number] => {
  let k = 0;
  let v = x;
  while (!Number.isInteger(v)) {
    v *= 2;
    k += 1;
  }
  return [BigInt(v), k];
};

/**
 * Splits `total` in proportion to `shares` by the largest-remainder method: the parts always sum
 * to `total`, each is within 1 fen of its exact share, a zero share gets 0, ties go to the earlier
 * share. Shares are finite, non-negative, not all zero (VALIDATION_FAILED otherwise); a negative
 * total is split as its absolute value and negated.
 */
export const splitFen = (total: Fen, shares: readonly number[]): Fen[] => {
  if (shares.length === 0) throw invalid('分摊比例不能为空');
  if (shares.some((s) => !Number.isFinite(s) || s < 0)) throw invalid('分摊比例必须是非负数');
  const dyadic = shares.map(toDyadic);
  const scale = dyadic.reduce((k, [, ki]) => Math.max(k, ki), 0);
  const weights = dyadic.map(([m, k]) => m << BigInt(scale - k));
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw invalid('分摊比例不能全为 0');
  const sign = total < 0 ? -1n : 1n;
  const whole = BigInt(total) * sign;
  const items = weights.map((w, index) => ({ index, part: (whole * w) / sum, rem: (whole * w) % sum }));
  const left = whole - items.reduce((a, it) => a + it.part, 0n);
  const byRemainder = [...items].sort((x, y) =>
    x.rem === y.rem ? x.index - y.index : x.rem > y.rem ? -1 : 1,
  );
  // Fewer than shares.length units are left over, and only items with a remainder get one.
  for (const it of byRemainder.slice(0, Number(left))) it.part += 1n;
  return items.map((it) => fromBig(it.part * sign));
};

// The shortest decimal that round-trips `rate` (what the author wrote: 0.85, 1e-7) as num / 10^k.
const toDecimal = (rate: number): [bigint, bigint] => {
  const [mantissa = '', exponent = '0'] = String(rate).toLowerCase().split('e');
  const [intPart = '', fracPart = ''] = mantissa.split('.');
  const shift = Number(exponent) - fracPart.length;
  const num = BigInt(intPart + fracPart);
  return shift >= 0 ? [num * 10n ** BigInt(shift), 1n] : [num, 10n ** BigInt(-shift)];
};

const divRound = (n: bigint, d: bigint, rounding: Rounding): bigint => {
  const q = n / d; // truncates toward zero; d > 0
  const r = n % d;
  if (r === 0n) return q;
  if (rounding === 'floor') return n < 0n ? q - 1n : q;
  if (rounding === 'ceil') return n > 0n ? q + 1n : q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice < d) return q;
  return n < 0n ? q - 1n : q + 1n;
};

/**
 * `f × rate`, rounded as named. The rate is taken as the decimal it prints as (0.85 is exactly
 * 85/100, so 100 fen × 0.85 = 85 fen, not 84.999…). Throws VALIDATION_FAILED for a non-finite rate.
 */
export const mulRate = (f: Fen, rate: number, rounding: Rounding): Fen => {
  if (!Number.isFinite(rate)) throw invalid(`费率 ${rate} 无效`);
  const [num, den] = toDecimal(rate);
  return fromBig(divRound(BigInt(f) * num, den, rounding));
};
