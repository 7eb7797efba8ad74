// How 找服务 writes numbers for older readers: yuan without needless decimals, distances in 米 or
// 公里, "3 天前" instead of a timestamp, and the price units in words.

import { yuanDecimal, yuanToFen as exactYuanToFen } from '../../../../src/core/money.ts';

const YUAN = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });

/** 3,500 元, 12.5 元 (fen in, words out; the fen → yuan step is the platform's one, src/core/money.ts). */
export function yuanText(fen: number): string {
  return `${YUAN.format(Number(yuanDecimal(fen)))} 元`;
}

const UNIT: Record<string, string> = { month: '月', day: '天', hour: '小时', meal: '餐', time: '次' };

/** month → 月; a server's unit name (月, 次) passes through. */
export function unitText(unit: string): string {
  return UNIT[unit] ?? unit;
}

/** 3500 元/月 */
export function priceText(fen: number, unit: string): string {
  return `${yuanText(fen)}/${unitText(unit)}`;
}

const METERS_PER_KM = 1000;

export function distanceText(meters: number): string {
  if (meters < METERS_PER_KM) return `约 ${Math.max(10, Math.round(meters / 10) * 10)} 米`;
  return `约 ${(meters / METERS_PER_KM).toFixed(1)} 公里`;
}

const DAY_MS = 86_400_000;

/** Whole days between an instant (or a YYYY-MM-DD date) and now, never negative. */
export function daysSince(iso: string, now: Date = new Date()): number {
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return 0;
  return Math.max(0, Math.floor((now.getTime() - t) / DAY_MS));
}

export function daysAgoText(iso: string): string {
  const d = daysSince(iso);
  if (d === 0) return '今天';
  if (d === 1) return '昨天';
  return `${d} 天前`;
}

/** "2026-03-01" from an ISO instant or date (local date in Shanghai is close enough for display). */
export function dateText(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const f = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' });
  return f.format(d);
}

/** 1+1 mainland mobile: 11 digits starting with 1[3-9]. Spaces and dashes are ignored. */
export function normalisePhone(text: string): string {
  return text.replace(/[\s-]/g, '').replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

export function isMobile(text: string): boolean {
  return /^1[3-9]\d{9}$/.test(normalisePhone(text));
}

/** Yuan as typed to fen; null when empty or not a number. */
export function yuanToFen(text: string): number | null {
  const s = text.trim().replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  if (!s || !/^\d+(\.\d{1,2})?$/.test(s)) return null;
  return exactYuanToFen(s);
}

export const INSURANCE_NAMES: Record<string, string> = { employee: '职工医保', resident: '城乡居民医保' };

/** 3 星: written, with the stars as decoration only. */
export function starsText(stars: number): string {
  return `${'★'.repeat(stars)}${'☆'.repeat(Math.max(0, 5 - stars))}`;
}
