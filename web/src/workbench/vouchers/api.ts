// 养老服务补贴电子券 (e-vouchers) as the pages use them: a provider redeems service and reads its
// monthly statement, an officer reads the monthly settlement per provider, staff read a person's
// balance, a citizen reads their own and their family's. Shapes are the server's
// (src/entitlements/routes.ts, voucher-service.ts). Money arrives and is sent in fen.
import { query, request } from '../../api.ts';
import type { Lang } from '../../i18n.ts';

export interface VoucherEntry {
  id: string;
  kind: 'credit' | 'reverse' | 'redeem';
  /** 补贴入账 / 冲减 / 服务消费 */
  kindName: string;
  /** Negative for a use or a reversal. */
  amountFen: number;
  balanceAfterFen: number;
  forMonth: string | null;
  providerName: string | null;
  service: string | null;
  note: string | null;
  at: string;
}

export interface VoucherAccount {
  personId: string;
  name: string;
  balanceFen: number;
  entries: VoucherEntry[];
}

export interface MyVoucherAccount extends VoucherAccount {
  relation: 'self' | 'family' | string;
  /** 本人 / 家属 */
  relationName: string;
}

export interface Redeemed {
  entry: VoucherEntry;
  balanceFen: number;
  repeated: boolean;
}

export interface Statement {
  month: string;
  totalFen: number;
  count: number;
  entries: VoucherEntry[];
}

export interface Settlement {
  month: string;
  totalFen: number;
  providers: { providerId: string; providerName: string; redemptions: number; people: number; totalFen: number }[];
}

const enc = encodeURIComponent;

export const voucherApi = {
  mine: (signal?: AbortSignal) => request<{ people: MyVoucherAccount[] }>('/api/v1/me/vouchers', { signal }),
  ofPerson: (personId: string, signal?: AbortSignal) => request<VoucherAccount>(`/api/v1/people/${enc(personId)}/vouchers`, { signal }),
  /** requestKey: one per submission, the same when the submission is retried (kept once). */
  redeem: (body: { personId: string; amountFen: number; service: string; requestKey: string }) =>
    request<Redeemed>('/api/v1/vouchers/redeem', { method: 'POST', json: body }),
  statement: (month: string, signal?: AbortSignal) => request<Statement>(`/api/v1/vouchers/statement${query({ month })}`, { signal }),
  settlements: (month: string, signal?: AbortSignal) => request<Settlement>(`/api/v1/vouchers/settlements${query({ month })}`, { signal }),
};

/** Fen as yuan with two decimals, e.g. ¥1,036.00 (a use: −¥50.00). */
export function yuan(fen: number, lang: Lang = 'zh-CN'): string {
  const f = new Intl.NumberFormat(lang === 'en' ? 'en' : 'zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const s = `¥${f.format(Math.abs(fen) / 100)}`;
  return fen < 0 ? `−${s}` : s;
}

/** Yuan as typed ("50", "50.5", "1,036.00", "５０") to fen; null when it is not an amount. */
export function parseYuan(text: string): number | null {
  const s = text
    .normalize('NFKC')
    .replace(/[\s,，¥￥元]/g, '')
    .replace('。', '.');
  const m = /^(\d{1,7})(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** 老人编号 as typed or pasted (spaces, full-width characters) to the platform id, or null. */
export function parsePersonId(text: string): string | null {
  const s = text.normalize('NFKC').replace(/\s/g, '').toLowerCase();
  return UUID_RE.test(s) ? s : null;
}

/** A new key for one submission: crypto.randomUUID where there is one. */
export function newRequestKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** This month in Shanghai, YYYY-MM. */
export function thisMonth(now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}`;
}

/** This month and the `count − 1` before it, newest first. */
export function recentMonths(count: number, from = thisMonth()): string[] {
  const [y, m] = from.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const total = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

/** 2026-11 → 2026年11月 (zh) or November 2026 (en). */
export function monthName(month: string, lang: Lang): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  if (lang === 'en') return new Date(Date.UTC(y, m - 1, 1)).toLocaleDateString('en-GB', { year: 'numeric', month: 'long', timeZone: 'UTC' });
  return `${y}年${m}月`;
}

/** An instant as a Shanghai date, 2026-11-29. */
export function shanghaiDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

/** An instant as Shanghai date and time, 2026-11-29 14:05. */
export function shanghaiDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}
