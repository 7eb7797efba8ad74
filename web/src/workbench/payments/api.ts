// 待遇发放 (/api/v1/entitlements/payments, officer and admin: entitlements.pay), as the page uses it.
// Shapes are the server's (src/entitlements/routes.ts); money in fen.
import type { BatchView } from '../../../../src/entitlements/payment-service.ts';
import { ApiError, api, fileNameFromDisposition, NETWORK_ERROR, request } from '../../api.ts';

export type BatchStatus = 'draft' | 'approved' | 'exported' | 'reconciled';
export const BATCH_STATUSES: readonly BatchStatus[] = ['draft', 'approved', 'exported', 'reconciled'];

/** A payment batch as the server returns it (one type with the server's view). */
export type Batch = BatchView;

export type LineKind = 'regular' | 'arrears' | 'recovery';
export type LineStatus = 'pending' | 'paid' | 'returned';

export interface PaymentLine {
  seq: number;
  personId: string;
  name: string;
  forMonth: string;
  kind: LineKind | string;
  kindName: string;
  amountFen: number;
  reason: string;
  status: LineStatus | string;
  returnReason: string | null;
}

export type BatchDetail = Batch & { items: PaymentLine[] };

/**
 * The schemes the monthly run pays (CASH_SCHEMES of src/entitlements/payment-service.ts): the
 * allowance in cash through the bank; 养老服务补贴 as e-voucher credit, at approval, with no bank file.
 */
export const CASH_SCHEMES = ['allowance', 'serviceSubsidy'] as const;
export type CashScheme = (typeof CASH_SCHEMES)[number];
export const paidAsVoucher = (scheme: string): boolean => scheme === 'serviceSubsidy';

const enc = encodeURIComponent;

export const paymentApi = {
  run: (body: { scheme: CashScheme; districtCode: string; month: string }) =>
    request<Batch>('/api/v1/entitlements/payments', { method: 'POST', json: body }),
  list: (signal?: AbortSignal) => request<{ items: Batch[] }>('/api/v1/entitlements/payments', { signal }),
  get: (id: string, signal?: AbortSignal) => request<BatchDetail>(`/api/v1/entitlements/payments/${enc(id)}`, { signal }),
  approve: (id: string) => request<Batch>(`/api/v1/entitlements/payments/${enc(id)}/approve`, { method: 'POST' }),
  reconcile: (id: string, returned: { seq: number; reason: string }[]) =>
    request<Batch & { paid: number; returned: number }>(`/api/v1/entitlements/payments/${enc(id)}/reconcile`, { method: 'POST', json: { returned } }),
  /**
   * The bank file. The export is a POST (it marks the batch 已报送银行), which api.ts's download()
   * cannot send, and its CSRF token is private there: the session probe returns the same token.
   */
  exportFile: async (id: string, format: 'csv' | 'xlsx'): Promise<{ blob: Blob; fileName: string }> => {
    const { csrfToken } = await api.me();
    let res: Response;
    try {
      res = await fetch(`/api/v1/entitlements/payments/${enc(id)}/export?format=${format}`, {
        method: 'POST',
        headers: { accept: '*/*', 'x-csrf-token': csrfToken },
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, NETWORK_ERROR, '');
    }
    if (!res.ok) {
      let code = `HTTP_${res.status}`;
      let message = '';
      try {
        const data = (await res.json()) as { error?: { code?: string; message?: string } };
        code = data.error?.code ?? code;
        message = data.error?.message ?? '';
      } catch {
        // not JSON: keep the status only
      }
      throw new ApiError(res.status, code, message);
    }
    return { blob: await res.blob(), fileName: fileNameFromDisposition(res.headers.get('content-disposition')) ?? `payment.${format}` };
  },
};

/** Saves a blob under its name through a temporary link (the browser's own download). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** This month in Shanghai, YYYY-MM. */
export function thisMonth(timeZone = 'Asia/Shanghai'): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(new Date());
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}`;
}

/** ¥1,234.50; negative amounts (追回) as −¥12.00, the sign written out. */
export function yuan(fen: number, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  const f = new Intl.NumberFormat(lang === 'en' ? 'en' : 'zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const s = `¥${f.format(Math.abs(fen) / 100)}`;
  return fen < 0 ? `−${s}` : s;
}
