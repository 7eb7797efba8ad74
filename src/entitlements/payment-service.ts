// The monthly payment run's use cases (issue 5 §4): compute a batch per scheme, district and month
// (idempotent: a draft is recomputed, months paid elsewhere are not paid again), approval by a
// second officer, the bank's file (CSV or XLSX, full ID numbers — an audited hand-over), the list
// of recoveries, and reconciliation of the bank's returns (a returned payment is paid again by a
// later run as arrears). Pure rules in payments.ts; SQL in store.ts.
import ExcelJS from 'exceljs';
import { AppError } from '../core/errors.ts';
import { todayIn, type LocalDate } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import { yuanDecimal } from '../core/money.ts';
import { appendAudit } from '../platform/audit.ts';
import { displayNames, type Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { emit } from '../platform/outbox.ts';
import { SCHEME_NAMES } from './model.ts';
import { LINE_KIND_NAMES, lastDay, linesFor, monthOf, totalsOf, type Month, type PaymentLine, type RunRules } from './payments.ts';
import { factsOf, type FactsRow } from './recompute.ts';
import type { EntitlementService } from './service.ts';
import * as store from './store.ts';

/** What the run needs of other modules (wired in src/app.ts). */
export interface PaymentPorts {
  facts(q: Queryable, ids: readonly string[]): Promise<FactsRow[]>;
  grades(q: Queryable, ids: readonly string[], asOf: string): Promise<Map<string, { grade: number | null; validFrom: string; validUntil: string }>>;
  /** Names and full ID numbers for the bank's file. */
  identities(q: Queryable, scope: string, ids: readonly string[]): Promise<Map<string, { name: string; idNumber: string }>>;
  names(q: Queryable, scope: string, ids: readonly string[]): Promise<{ id: string; name: string }[]>;
}

/** Schemes the monthly run pays: the allowance in cash through the bank, 养老服务补贴 as e-voucher credit. */
export const CASH_SCHEMES = ['allowance', 'serviceSubsidy'] as const;
export type CashScheme = (typeof CASH_SCHEMES)[number];
const VOUCHER_SCHEMES: readonly string[] = ['serviceSubsidy'];
export const paidAsVoucher = (scheme: string): boolean => VOUCHER_SCHEMES.includes(scheme);

export interface BatchView {
  id: string;
  scheme: string;
  schemeName: string;
  districtCode: string;
  districtName: string;
  month: string;
  status: store.BatchRow['status'];
  statusName: string;
  parameterVersion: string;
  rules: Record<string, unknown>;
  people: number;
  lines: number;
  regularFen: number;
  arrearsFen: number;
  recoveryFen: number;
  netFen: number;
  createdBy: string | null;
  createdByName: string | null;
  computedAt: string;
  approvedBy: string | null;
  approvedByName: string | null;
  approvedAt: string | null;
  exportedAt: string | null;
  reconciledAt: string | null;
}

const LINE_STATUS_NAMES: Record<store.LineRow['status'], string> = { pending: '待发放', paid: '已发放', returned: '银行退回' };
const STATUS_NAMES: Record<store.BatchRow['status'], string> = { draft: '待审批', approved: '已审批', exported: '已报送银行', reconciled: '已对账' };
const LIST_MAX = 100;

export class PaymentService {
  constructor(
    private readonly ctx: AppContext,
    private readonly svc: EntitlementService,
    private readonly ports: PaymentPorts,
  ) {}

  private view(b: store.BatchRow, names: ReadonlyMap<string, string> = new Map()): BatchView {
    return {
      id: b.id, scheme: b.scheme, schemeName: SCHEME_NAMES[b.scheme as CashScheme] ?? b.scheme, districtCode: b.district_code,
      districtName: this.ctx.regions.get(b.district_code)?.name ?? b.district_code, month: b.month, status: b.status,
      statusName: paidAsVoucher(b.scheme) && b.status === 'reconciled' ? '已计入电子券' : STATUS_NAMES[b.status],
      parameterVersion: b.parameter_version, rules: b.rules, people: b.people, lines: b.lines, regularFen: Number(b.regular_fen), arrearsFen: Number(b.arrears_fen),
      recoveryFen: Number(b.recovery_fen), netFen: Number(b.net_fen), createdBy: b.created_by, createdByName: b.created_by ? names.get(b.created_by) ?? null : null,
      computedAt: b.computed_at, approvedBy: b.approved_by, approvedByName: b.approved_by ? names.get(b.approved_by) ?? null : null,
      approvedAt: b.approved_at, exportedAt: b.exported_at, reconciledAt: b.reconciled_at,
    };
  }

  private inScope(caller: Caller, district: string): boolean {
    return caller.scope === '*' || district.startsWith(caller.scope);
  }

  private audit(q: Queryable, caller: Caller, action: string, b: { id: string; district_code: string }, details: Record<string, unknown>, purpose: string | null = null) {
    return appendAudit(q, [{ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action, entityType: 'payment_batch', entityId: b.id, districtCode: b.district_code, purpose, details }], this.ctx.clock());
  }

  /** Compute (or recompute, while a draft) the batch of a scheme, district and month. */
  async run(caller: Caller, input: { scheme: CashScheme; districtCode: string; month: Month }): Promise<BatchView> {
    const today = todayIn(this.ctx.clock);
    if (input.month > monthOf(today)) throw new AppError('VALIDATION_FAILED', `不能计算未来月份 ${input.month} 的发放`, [{ path: 'month', message: '不能计算未来月份的发放' }]);
    if (!this.inScope(caller, input.districtCode) || !this.ctx.regions.get(input.districtCode)) throw new AppError('REGION_OUT_OF_SCOPE', '该区不在您的管辖范围内');
    const engine = await this.svc.engine();
    const ref = lastDay(input.month);
    const P = engine.bundle(input.districtCode, ref)[input.scheme];
    const rules: RunRules = {
      scheme: input.scheme,
      bandStart: (P.paymentBandStart?.value as RunRules['bandStart'] | undefined) ?? 'month_after_birthday',
      paidForDeathMonth: P.paidForDeathMonth?.value === true,
      lookbackMonths: (P.arrearsLookbackMonths?.value as number | undefined) ?? 0,
    };
    const now = this.ctx.clock();
    const saved = await this.ctx.db.tx(async (q) => {
      const existing = await store.batchFor(q, input.districtCode, input.scheme, input.month);
      if (existing && existing.status !== 'draft') throw new AppError('ENTITLEMENT_CONFLICT', `${input.month} 的发放批次已${STATUS_NAMES[existing.status]}，不能重新计算`);
      const id = existing?.id ?? newId();
      const grants = await store.grantsForRun(q, input.scheme, input.districtCode);
      const ids = grants.map((g) => g.person_id);
      const facts = new Map((await this.ports.facts(q, ids)).map((r) => [r.id, r]));
      const grades = await this.ports.grades(q, ids, today);
      const paid = await store.paidByMonth(q, input.scheme, ids, id);
      const lines: (PaymentLine & { region: string })[] = [];
      for (const g of grants) {
        const r = facts.get(g.person_id);
        if (!r || r.deleted) continue;
        for (const l of linesFor(engine, {
          personId: g.person_id, facts: factsOf(r, grades.get(g.person_id)), appliedOn: g.applied_on as LocalDate | null,
          grantedFrom: g.granted_from as LocalDate, stoppedOn: g.stopped_on as LocalDate | null, paid: paid.get(g.person_id) ?? new Map(),
        }, input.month, rules)) lines.push({ ...l, region: r.region_code });
      }
      const t = totalsOf(lines);
      const batch = {
        district_code: input.districtCode, id, scheme: input.scheme, month: input.month, status: 'draft' as const, parameter_version: engine.set.version,
        rules: { ...rules }, people: t.people, lines: t.lines, regular_fen: t.regularFen, arrears_fen: t.arrearsFen, recovery_fen: t.recoveryFen, net_fen: t.netFen,
        created_by: existing?.created_by ?? caller.userId,
      };
      await store.saveBatch(q, batch, now);
      await store.replaceLines(q, input.districtCode, id, lines.map((l, i) => ({
        district_code: input.districtCode, id: newId(), batch_id: id, seq: i + 1, person_id: l.personId, region_code: l.region, scheme: input.scheme,
        for_month: l.forMonth, kind: l.kind, amount_fen: l.amountFen, band: l.band, reason: l.reason,
      })));
      await this.audit(q, caller, existing ? 'entitlements.payment.recompute' : 'entitlements.payment.compute', batch, { scheme: input.scheme, month: input.month, ...t });
      await emit(q, 'entitlements.payment_computed', { batchId: id, scheme: input.scheme, month: input.month, ...t }, input.districtCode);
      return store.getBatch(q, caller.scope, id);
    }, { scope: caller.scope, asAppRole: true });
    return this.view(saved!);
  }

  async get(caller: Caller, id: string): Promise<BatchView & { items: { seq: number; personId: string; name: string; forMonth: string; kind: string; kindName: string; amountFen: number; reason: string; status: string; statusName: string; returnReason: string | null }[] }> {
    const r = await this.ctx.db.tx(async (q) => {
      const b = await store.getBatch(q, caller.scope, id);
      if (!b) throw new AppError('NOT_FOUND', '未找到该发放批次');
      const lines = await store.linesOf(q, caller.scope, id);
      const names = new Map((await this.ports.names(q, caller.scope, [...new Set(lines.map((l) => l.person_id))])).map((n) => [n.id, n.name]));
      const staff = await displayNames(q, [b.created_by, b.approved_by].filter((x): x is string => x !== null));
      return { b, lines, names, staff };
    }, { scope: caller.scope, asAppRole: true });
    await this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'entitlements.payment.read', entityType: 'payment_batch', entityId: id, districtCode: r.b.district_code });
    return {
      ...this.view(r.b, r.staff),
      items: r.lines.map((l) => ({
        seq: l.seq, personId: l.person_id, name: r.names.get(l.person_id) ?? '', forMonth: l.for_month, kind: l.kind, kindName: LINE_KIND_NAMES[l.kind],
        amountFen: l.amount_fen, reason: l.reason, status: l.status, statusName: LINE_STATUS_NAMES[l.status], returnReason: l.return_reason,
      })),
    };
  }

  async list(caller: Caller, f: { scheme?: string; districtCode?: string }): Promise<{ items: BatchView[] }> {
    const { rows, staff } = await this.ctx.db.tx(async (q) => {
      const rows = await store.listBatches(q, caller.scope, f, LIST_MAX);
      return { rows, staff: await displayNames(q, [...new Set(rows.flatMap((b) => [b.created_by, b.approved_by]).filter((x): x is string => x !== null))]) };
    }, { scope: caller.scope, asAppRole: true });
    return { items: rows.map((b) => this.view(b, staff)) };
  }

  private async move(caller: Caller, id: string, from: store.BatchRow['status'][], to: store.BatchRow['status'], check?: (b: store.BatchRow) => void, extra?: (q: Queryable, b: store.BatchRow) => Promise<Record<string, unknown>>, purpose: string | null = null): Promise<store.BatchRow> {
    const now = this.ctx.clock();
    return this.ctx.db.tx(async (q) => {
      const b = await store.getBatch(q, caller.scope, id);
      if (!b) throw new AppError('NOT_FOUND', '未找到该发放批次');
      check?.(b);
      if (!(await store.setBatchStatus(q, b.district_code, id, from, to, caller.userId, now))) {
        throw new AppError('ENTITLEMENT_CONFLICT', `该批次当前为“${STATUS_NAMES[b.status]}”，不能${to === 'approved' ? '审批' : to === 'exported' ? '报送银行' : '对账'}`);
      }
      const details = extra ? await extra(q, b) : {};
      await this.audit(q, caller, `entitlements.payment.${to}`, b, { month: b.month, scheme: b.scheme, ...details }, purpose);
      await emit(q, `entitlements.payment_${to}`, { batchId: id, scheme: b.scheme, month: b.month, ...details }, b.district_code);
      return (await store.getBatch(q, caller.scope, id))!;
    }, { scope: caller.scope, asAppRole: true });
  }

  /**
   * Approve a draft: by another officer than the one who computed it (four eyes). A service
   * subsidy batch is then credited to the people's e-voucher balances at once (a reversal takes
   * back no more than the balance holds) and needs no bank file.
   */
  async approve(caller: Caller, id: string): Promise<BatchView> {
    const fourEyes = (b: store.BatchRow) => {
      if (b.created_by === caller.userId) throw new AppError('ENTITLEMENT_CONFLICT', '审批人不能是计算该批次的人（双人复核）');
    };
    const approved = await this.move(caller, id, ['draft'], 'approved', fourEyes);
    if (!paidAsVoucher(approved.scheme)) return this.view(approved);
    return this.view(await this.move(caller, id, ['approved'], 'reconciled', undefined, async (q, b) => this.credit(q, b)));
  }

  private async credit(q: Queryable, b: store.BatchRow): Promise<Record<string, unknown>> {
    const now = this.ctx.clock();
    let credited = 0;
    let reversed = 0;
    let shortfall = 0;
    for (const l of await store.linesOf(q, '*', b.id)) {
      const balance = await store.lockAccount(q, l.district_code, l.person_id, l.region_code, now);
      const amount = l.amount_fen > 0 ? l.amount_fen : -Math.min(balance, -l.amount_fen);
      if (l.amount_fen < 0) shortfall += -l.amount_fen + amount;
      if (amount === 0) continue;
      await store.addEntry(q, {
        district_code: l.district_code, id: newId(), person_id: l.person_id, region_code: l.region_code, kind: amount > 0 ? 'credit' : 'reverse',
        amount_fen: amount, balance_after: balance + amount, for_month: l.for_month, batch_id: b.id,
        note: amount > 0 ? `${l.for_month} 养老服务补贴${l.kind === 'arrears' ? '（补记）' : ''}` : `${l.for_month} 冲减：${l.reason}`,
      }, now);
      if (amount > 0) credited += amount;
      else reversed += amount;
    }
    await store.reconcileLines(q, b.district_code, b.id, []);
    return { creditedFen: credited, reversedFen: reversed, uncollectedFen: shortfall };
  }

  /**
   * The bank's file of an approved batch: one row per payment line (序号 is the key of the
   * bank's return file), full ID numbers — an audited hand-over for the purpose 银行代发.
   * Recoveries (negative lines) are not in it: they are collected, and listed in the batch's lines. The batch becomes 已报送银行.
   */
  async bankFile(caller: Caller, id: string, format: 'csv' | 'xlsx'): Promise<{ fileName: string; body: Buffer; contentType: string }> {
    const head = await this.ctx.db.tx((q) => store.getBatch(q, caller.scope, id), { scope: caller.scope, asAppRole: true });
    if (head && paidAsVoucher(head.scheme)) throw new AppError('ENTITLEMENT_CONFLICT', '养老服务补贴以电子券形式计入个人账户，不生成银行代发文件');
    let rows: { seq: number; name: string; idNumber: string; yuan: string; month: string; kind: string; reason: string }[] = [];
    const b = await this.move(caller, id, ['approved', 'exported'], 'exported', undefined, async (q, batch) => {
      const lines = await store.linesOf(q, caller.scope, id, 'payments');
      const who = await this.ports.identities(q, caller.scope, [...new Set(lines.map((l) => l.person_id))]);
      rows = lines.map((l) => ({
        seq: l.seq, name: who.get(l.person_id)?.name ?? '', idNumber: who.get(l.person_id)?.idNumber ?? '', yuan: yuanDecimal(l.amount_fen),  
        month: l.for_month, kind: LINE_KIND_NAMES[l.kind], reason: l.reason,
      }));
      return { format, rows: rows.length, totalFen: lines.reduce((s, l) => s + l.amount_fen, 0), batch: batch.id };
    }, '银行代发');
    const header = ['序号', '姓名', '身份证号', '金额（元）', '发放月份', '类型', '备注'];
    const base = `${SCHEME_NAMES[b.scheme as CashScheme] ?? b.scheme}-${b.district_code}-${b.month}`;
    if (format === 'csv') {
      const esc = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
      const text = '\uFEFF' + [header, ...rows.map((r) => [String(r.seq), r.name, r.idNumber, r.yuan, r.month, r.kind, r.reason])].map((cols) => cols.map(esc).join(',')).join('\r\n') + '\r\n';
      return { fileName: `${base}.csv`, body: Buffer.from(text, 'utf8'), contentType: 'text/csv; charset=utf-8' };
    }
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Yiyang 颐养';
    const ws = wb.addWorksheet('代发明细');
    ws.columns = [
      { header: header[0], key: 'seq', width: 8 }, { header: header[1], key: 'name', width: 12 }, { header: header[2], key: 'idNumber', width: 22 },
      { header: header[3], key: 'amount', width: 12 }, { header: header[4], key: 'month', width: 10 }, { header: header[5], key: 'kind', width: 10 }, { header: header[6], key: 'reason', width: 40 },
    ];
    ws.getRow(1).font = { bold: true };
    for (const r of rows) ws.addRow({ seq: r.seq, name: r.name, idNumber: r.idNumber, amount: Number(r.yuan), month: r.month, kind: r.kind, reason: r.reason });
    ws.getColumn('amount').numFmt = '0.00';
    ws.getColumn('idNumber').numFmt = '@';
    return { fileName: `${base}.xlsx`, body: Buffer.from(await wb.xlsx.writeBuffer()), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  }

  /** Reconcile an exported batch with the bank's returns: listed 序号 returned (paid again by a later run), the rest paid. */
  async reconcile(caller: Caller, id: string, returned: { seq: number; reason: string }[]): Promise<BatchView & { paid: number; returned: number }> {
    let counts = { paid: 0, returned: 0 };
    const b = await this.move(caller, id, ['exported'], 'reconciled', undefined, async (q, batch) => {
      counts = await store.reconcileLines(q, batch.district_code, id, returned);
      if (counts.returned !== returned.length) throw new AppError('VALIDATION_FAILED', `退回清单中有 ${returned.length - counts.returned} 个序号不是本批次的发放记录`);
      return counts;
    });
    return { ...this.view(b), ...counts };
  }
}
