// Pure helpers on administrative division codes (GB/T 2260 for 6 digits; the National Bureau of
// Statistics 统计用区划代码 for streets/towns and committees/villages). No data lives here:
// the code tables are loaded by src/regions. Canonical forms used by the platform:
//
// | level       | digits | example        | scope prefix   |
// |-------------|--------|----------------|----------------|
// | `province`  | 6      | 310000         | `31`           |
// | `city`      | 6      | 330600         | `3306`         |
// | `county`    | 6      | 330604         | `330604`       |
// | `street`    | 9      | 310115005      | `310115005`    |
// | `committee` | 12     | 310115005001   | `310115005001` |
//
// The NBS publishes every level as 12 digits padded with zeros (310115005000 is a street);
// `normalizeRegionCode` turns those into the canonical form above. Remember that the address
// code inside an ID number is not a residence: scope comes from the registered address (§2.2).

import { AppError } from './errors.ts';

/** Level of an administrative division code. */
export type RegionLevel = 'province' | 'city' | 'county' | 'street' | 'committee';

// 6 digits not starting with 0; 9 digits not ending 000; 12 digits whose last two groups are not 000.
const REGION_RE = /^[1-9]\d{5}(?:(?!000)\d{3}(?:(?!000)\d{3})?)?$/;

/** True for a canonical 6-, 9- or 12-digit code (see the table above). */
export const isRegionCode = (s: string): boolean => REGION_RE.test(s);

const requireRegionCode = (code: string): void => {
  if (!isRegionCode(code)) {
    throw new AppError('VALIDATION_FAILED', `行政区划代码 "${code.slice(0, 20)}" 格式不正确`);
  }
};

/** Canonical form of a code: trims, and strips NBS zero padding (310115005000 → 310115005, 310115000000 → 310115); throws VALIDATION_FAILED if invalid. */
export const normalizeRegionCode = (s: string): string => {
  let code = s.trim();
  if (/^\d{12}$/.test(code)) {
    if (code.endsWith('000000')) code = code.slice(0, 6);
    else if (code.endsWith('000')) code = code.slice(0, 9);
  }
  requireRegionCode(code);
  return code;
};

/** Level of a canonical code: 6 digits ending 0000 province, ending 00 city, else county; 9 street; 12 committee. */
export const regionLevel = (code: string): RegionLevel => {
  requireRegionCode(code);
  if (code.length === 12) return 'committee';
  if (code.length === 9) return 'street';
  if (code.endsWith('0000')) return 'province';
  return code.endsWith('00') ? 'city' : 'county';
};

/** The prefix every descendant starts with: 310000 → 31, 330600 → 3306, 330604 → 330604, 9/12 digits → itself. */
export const scopePrefix = (code: string): string => {
  const level = regionLevel(code);
  if (level === 'province') return code.slice(0, 2);
  return level === 'city' ? code.slice(0, 4) : code;
};

/**
 * True when `code` is `scopeCode` or lies under it (310000 contains 310115 and 310115005001).
 * An invalid `code` is outside every scope (false: default deny); an invalid `scopeCode` is a
 * configuration error and throws VALIDATION_FAILED.
 */
export const isWithin = (code: string, scopeCode: string): boolean => {
  const prefix = scopePrefix(scopeCode);
  return isRegionCode(code) && code.startsWith(prefix);
};

/**
 * The county-level code of a code: its first 6 digits (310115005001 → 310115; a county → itself).
 * For a province or city code that is the code itself — an unknown district maps to the wider
 * scope (§2.2). Throws VALIDATION_FAILED for an invalid code.
 */
export const districtOf = (code: string): string => {
  requireRegionCode(code);
  return code.slice(0, 6);
};

/** The four municipalities directly under the central government (直辖市), by province prefix (GB/T 2260). */
const MUNICIPALITY_PREFIXES = new Set(['11', '12', '31', '50']);

/** True for a code of 北京, 天津, 上海 or 重庆 at province level: their "province" is a city (市级). */
export const isMunicipality = (code: string): boolean => isRegionCode(code) && code.endsWith('0000') && MUNICIPALITY_PREFIXES.has(code.slice(0, 2));
