// The monthly LTCI claim and the insurer's review (issue 8 §6). Per provider and month: every
// finished LTCI visit checked in that month is settled by the same rules as `yiyang settle`
// (settle.ts: eligibility, check-in distance, overlaps, the weekly cap, the dated prices and the
// fund's share), its anomaly flags recomputed on the month with a lead-in, and a review sample
// drawn: every line whose anomaly score is above the threshold plus a random share of the rest
// (anomaly.ts `reviewSample`, the seed drawn by the server and kept with the claim). The insurer
// approves or rejects sampled lines with reasons, closes the review (the unsampled lines are
// approved as settled), the provider may appeal a rejected line, the insurer decides it; the claim
// exports to Excel. Money in integer fen; each line carries its explanation.
import { randomInt } from 'node:crypto';
import ExcelJS from 'exceljs';
import { AppError } from '../core/errors.ts';
import { addDays, addMonths, startOfLocalDay, todayIn, type LocalDate } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import { yuanDecimal } from '../core/money.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { ANOMALY_TEXT, anomalyScore, reviewSample, type AnomalyFlag } from './anomaly.ts';
import type { CareService } from './service.ts';
import { settle, shanghaiDay, type SettleParams, type SettlePerson, type SettleVisit, type VisitResult } from './settle.ts';
import * as cl from './store/claims.ts';
import * as cg from './store/caregivers.ts';
import * as vs from './store/visits.ts';
import type { VisitService } from './visit-service.ts';

const DAYS_PER_WEEK = 7;
const SEED_RANGE = 2 ** 31 - 1;
/** A denied call-back weighs as much as the worst anomaly: the line is always in the sample. */
const CALLBACK_DENIED_WEIGHT = 100;

export const REASON_TEXT: Record<string, string> = {
  not_eligible: '照护等级低于二级或服务当日不在等级有效期内',
  too_far: '签到位置超出住址允许范围',
  overlap: '同一护理员此前已有与之重叠的服务',
  over_cap: '超出本周长护险服务时长上限',
  no_location: '签到未定位，无法确认在老人家中服务',
};

/** What the claim pays for a line, in words (Chinese), every figure shown. */
export function explainLine(r: VisitResult, minutes: number, fenPerHour: number | undefined, fundShare: number | undefined): string {
  if (r.status === 'rejected') return `不予支付：${REASON_TEXT[r.reason ?? ''] ?? r.reason}（服务 ${minutes} 分钟）`;
  const price = fenPerHour === undefined ? '' : `${r.billedMinutes} 分钟 × ${yuanDecimal(fenPerHour)} 元/小时 = ${yuanDecimal(r.amountFen)} 元`;
  const share = fundShare === undefined ? '' : `；基金支付 ${Math.round(fundShare * 1000) / 10}% = ${yuanDecimal(r.fundFen)} 元，个人自付 ${yuanDecimal(r.copayFen)} 元`;
  const part = r.status === 'partial' ? `（服务 ${minutes} 分钟，超出本周上限部分 ${minutes - r.billedMinutes} 分钟不予支付）` : '';
  return `${price}${share}${part}`;
}

const monthRe = /^\d{4}-(0[1-9]|1[0-2])$/;

export class ClaimService {
  constructor(private readonly ctx: AppContext, private readonly care: CareService, private readonly visits: VisitService) {}

  private ownClaim = async (q: Queryable, caller: Caller, id: string, forUpdate = false): Promise<cl.ClaimRow> => {
    const c = await cl.getClaim(q, id, forUpdate);
    if (!c) throw new AppError('NOT_FOUND', '未找到该结算申报');
    if (caller.role === 'provider' && c.provider_id !== (await this.care.providerOf(q, caller))) throw new AppError('NOT_FOUND', '未找到该结算申报');
    return c;
  };

  /**
   * Build and submit the month's claim of a provider from its visits (once per provider and
   * month). The grade and home of each person are those in force at the month's end.
   */
  async build(caller: Caller, f: { providerId?: string; month: string }) {
    if (!monthRe.test(f.month)) throw new AppError('VALIDATION_FAILED', '月份格式应为 YYYY-MM');
    const first = `${f.month}-01` as LocalDate;
    const next = addMonths(first, 1);
    const last = addDays(next, -1);
    const today = todayIn(this.ctx.clock);
    if (next > today) throw new AppError('CARE_ILLEGAL_TRANSITION', '该月尚未结束，不能申报');
    const now = this.ctx.clock();
    const settleOn = await this.care.ports.settleParams();
    const id = await this.care.scoped(caller, async (q) => {
      const providerId = await this.care.providerOf(q, caller, f.providerId);
      if (!providerId) throw new AppError('VALIDATION_FAILED', '请选择服务机构');
      const provider = (await this.care.ports.providers(q, [providerId])).get(providerId);
      if (!provider) throw new AppError('NOT_FOUND', '未找到该服务机构');
      if (await cl.claimOf(q, providerId, f.month)) throw new AppError('CARE_CLAIM_EXISTS');
      const P = this.visits.anomalyParams(last);
      // The month, plus a lead-in so that the cap-shift check has its baseline weeks.
      const leadIn = startOfLocalDay(addDays(first, -P.capShiftLookbackWeeks * DAYS_PER_WEEK)).toISOString();
      const all = (await vs.listVisits(q, { providerId, from: leadIn, to: startOfLocalDay(next).toISOString() })).filter((v) => v.status !== 'cancelled');
      const monthStart = startOfLocalDay(first).getTime();
      const inMonth = all.filter((v) => v.status === 'done' && v.payer === 'ltci' && Date.parse(v.check_in) >= monthStart);
      const claimed = await cl.claimedVisits(q, inMonth.map((v) => v.id));
      const visits = inMonth.filter((v) => !claimed.has(v.id));
      const personIds = [...new Set(visits.map((v) => v.person_id))];
      const [people, ltci, callbacks] = await Promise.all([this.care.ports.people(q, '*', personIds), this.care.ports.ltci(q, personIds, (last < today ? last : today) as LocalDate), vs.callbacksOf(q, { visitIds: visits.map((v) => v.id) })]);
      const flags = await this.visits.flagsOf(q, all, P);
      const denied = new Set(callbacks.filter((c) => c.outcome === 'denied').map((c) => c.visit_id));

      // Settlement: the same rules as the CLI contract.
      const settlePeople: SettlePerson[] = personIds.map((id) => {
        const e = ltci.get(id);
        const home = people.get(id)?.home;
        return { id, careGrade: e?.grade ?? null, gradeValidFrom: e?.gradeValidFrom ?? null, gradeValidTo: e?.gradeValidTo ?? null, home: home ?? { lat: 0, lon: 0 } };
      });
      const noLocation = new Set(visits.filter((v) => v.check_in_lat === null || v.check_in_lon === null || !people.get(v.person_id)?.home).map((v) => v.id));
      const settleVisits: SettleVisit[] = visits.filter((v) => !noLocation.has(v.id)).map((v) => ({
        id: v.id, person: v.person_id, caregiver: v.caregiver_id, kind: v.kind, checkIn: Date.parse(v.check_in), checkOut: Date.parse(v.check_out!), checkInAt: { lat: v.check_in_lat!, lon: v.check_in_lon! },
      }));
      const paramsOn = (day: string): SettleParams => settleOn(day) as SettleParams;
      const settled = new Map(settle(settlePeople, settleVisits, paramsOn).visits.map((r) => [r.id, r]));
      const lines = visits.map((v) => {
        const minutes = Math.floor((Date.parse(v.check_out!) - Date.parse(v.check_in)) / 60_000);
        const r: VisitResult = settled.get(v.id) ?? { id: v.id, status: 'rejected', reason: 'no_location' as never, billedMinutes: 0, amountFen: 0, fundFen: 0, copayFen: 0 };
        const fl: (AnomalyFlag | vs.StoredFlag)[] = [...(flags.get(v.id) ?? [])];
        if (denied.has(v.id)) fl.push({ code: 'callback_denied', weight: CALLBACK_DENIED_WEIGHT, explanation: '电话回访时老人或家属否认接受了这次服务', related: [] });
        return {
          claim_id: '', visit_id: v.id, region_code: v.region_code, person_id: v.person_id, caregiver_id: v.caregiver_id, kind: v.kind, check_in: v.check_in, minutes, status: r.status, reason: r.reason,
          billed_minutes: r.billedMinutes, amount_fen: r.amountFen, fund_fen: r.fundFen, copay_fen: r.copayFen, anomaly_score: anomalyScore(fl as AnomalyFlag[]), flags: fl as vs.StoredFlag[],
          sample: null as 'risk' | 'random' | null, decision: r.status === 'rejected' ? ('rejected' as const) : null, decision_reason: r.status === 'rejected' ? `结算规则：${REASON_TEXT[r.reason ?? ''] ?? r.reason}` : null,
        };
      });
      const seed = randomInt(SEED_RANGE);
      const sample = reviewSample(lines.filter((l) => l.status !== 'rejected').map((l) => ({ id: l.visit_id, score: l.anomaly_score })), { randomShare: P.reviewRandomShare, scoreThreshold: P.reviewScoreThreshold }, seed);
      for (const l of lines) l.sample = sample.get(l.visit_id) ?? null;
      const id = newId();
      const totals = this.totals(lines);
      await cl.insertClaim(q, {
        id, provider_id: providerId, region_code: provider.regionCode.slice(0, 6), month: f.month, status: 'in_review', params: { asOf: last, ...settleOn(last) }, totals,
        sample: { seed, randomShare: P.reviewRandomShare, scoreThreshold: P.reviewScoreThreshold, risk: [...sample.values()].filter((s) => s === 'risk').length, random: [...sample.values()].filter((s) => s === 'random').length },
        created_by: caller.userId,
      }, lines.map((l) => ({ ...l, claim_id: id })), now);
      await this.care.audit(q, caller, 'care.claim.build', id, provider.regionCode.slice(0, 6), { month: f.month, lines: lines.length, claimedFen: totals.claimedFen, sampled: sample.size }, now);
      return id;
    });
    return this.claim(caller, id);
  }

  private totals(lines: readonly { billed_minutes: number; amount_fen: number; fund_fen: number; copay_fen: number; decision: string | null; sample: string | null; status: string }[]): cl.ClaimTotals {
    const t: cl.ClaimTotals = { lines: lines.length, claimedMinutes: 0, claimedFen: 0, fundFen: 0, copayFen: 0, approvedFen: 0, approvedFundFen: 0, rejectedLines: 0, sampled: 0 };
    for (const l of lines) {
      t.claimedMinutes += l.billed_minutes;
      t.claimedFen += l.amount_fen;
      t.fundFen += l.fund_fen;
      t.copayFen += l.copay_fen;
      if (l.decision === 'approved') {
        t.approvedFen += l.amount_fen;
        t.approvedFundFen += l.fund_fen;
      }
      if (l.decision === 'rejected') t.rejectedLines++;
      if (l.sample) t.sampled++;
    }
    return t;
  }

  private async lineViews(q: Queryable, c: cl.ClaimRow, lines: readonly cl.LineRow[]) {
    const people = await this.care.ports.people(q, '*', [...new Set(lines.map((l) => l.person_id))]);
    const carers = new Map((await cg.caregiversOf(q, [...new Set(lines.map((l) => l.caregiver_id))])).map((x) => [x.id, x.name]));
    const P = c.params as { fenPerHour?: Record<string, number>; fundShare?: number };
    return lines.map((l) => ({
      visitId: l.visit_id, personId: l.person_id, personName: people.get(l.person_id)?.name ?? '', caregiverName: carers.get(l.caregiver_id) ?? '', kind: l.kind, checkIn: l.check_in, minutes: l.minutes,
      status: l.status, reason: l.reason, reasonText: l.reason ? REASON_TEXT[l.reason] ?? l.reason : null, billedMinutes: l.billed_minutes, amountFen: l.amount_fen, fundFen: l.fund_fen, copayFen: l.copay_fen,
      explanation: explainLine({ id: l.visit_id, status: l.status as VisitResult['status'], reason: l.reason as VisitResult['reason'], billedMinutes: l.billed_minutes, amountFen: l.amount_fen, fundFen: l.fund_fen, copayFen: l.copay_fen }, l.minutes, P.fenPerHour?.[l.kind], P.fundShare),
      anomalyScore: l.anomaly_score, flags: l.flags.map((x) => ({ ...x, name: ANOMALY_TEXT[x.code as keyof typeof ANOMALY_TEXT] ?? (x.code === 'callback_denied' ? '回访否认' : x.code) })),
      sample: l.sample, decision: l.decision, decisionReason: l.decision_reason, decidedAt: l.decided_at, appeal: l.appeal, appealedAt: l.appealed_at, appealDecision: l.appeal_decision, appealNote: l.appeal_note,
    }));
  }

  /** One claim with its lines, sampled lines first (audited: the lines name people). */
  async claim(caller: Caller, id: string, f: { sampledOnly?: boolean } = {}) {
    const out = await this.care.scoped(caller, async (q) => {
      const c = await this.ownClaim(q, caller, id);
      const lines = await cl.linesOf(q, id, f);
      const provider = (await this.care.ports.providers(q, [c.provider_id])).get(c.provider_id);
      return {
        id: c.id, providerId: c.provider_id, providerName: provider?.name ?? '', month: c.month, status: c.status, totals: c.totals, sample: c.sample, params: c.params,
        createdAt: c.created_at, decidedAt: c.decided_at, lines: await this.lineViews(q, c, lines), districtCode: c.region_code,
        undecidedSampled: lines.filter((l) => l.sample && !l.decision).length, openAppeals: lines.filter((l) => l.appeal && !l.appeal_decision).length,
      };
    });
    await this.care.auditRead(caller, 'care.claim.read', id, out.districtCode, { lines: out.lines.length });
    return out;
  }

  async claims(caller: Caller, f: { month?: string; providerId?: string; status?: cl.ClaimStatus }) {
    return this.care.scoped(caller, async (q) => {
      const providerId = (await this.care.providerOf(q, caller, f.providerId)) ?? undefined;
      const rows = await cl.listClaims(q, { providerId, month: f.month, status: f.status });
      const providers = await this.care.ports.providers(q, [...new Set(rows.map((r) => r.provider_id))]);
      return { items: rows.map((c) => ({ id: c.id, providerId: c.provider_id, providerName: providers.get(c.provider_id)?.name ?? '', month: c.month, status: c.status, totals: c.totals, sample: c.sample, createdAt: c.created_at, decidedAt: c.decided_at })) };
    });
  }

  /** The insurer decides lines (a rejection needs a reason). */
  async decide(caller: Caller, id: string, items: readonly { visitId: string; decision: 'approved' | 'rejected'; reason?: string | null }[]) {
    const now = this.ctx.clock();
    for (const i of items) if (i.decision === 'rejected' && !i.reason?.trim()) throw new AppError('VALIDATION_FAILED', '拒付须填写理由', [{ path: `items.${i.visitId}.reason`, message: '请填写理由' }]);
    await this.care.scoped(caller, async (q) => {
      const c = await this.ownClaim(q, caller, id, true);
      if (c.status !== 'in_review') throw new AppError('CARE_ILLEGAL_TRANSITION', '该申报不在审核中');
      const lines = new Map((await cl.linesOf(q, id, { visitIds: items.map((i) => i.visitId) })).map((l) => [l.visit_id, l]));
      for (const i of items) {
        const l = lines.get(i.visitId);
        if (!l) throw new AppError('NOT_FOUND', '未找到该结算明细');
        if (l.status === 'rejected' && i.decision === 'approved') throw new AppError('CARE_ILLEGAL_TRANSITION', '结算规则已拒付的明细不能核准（可由机构申诉）');
      }
      await cl.decideLines(q, id, items.map((i) => ({ visitId: i.visitId, decision: i.decision, reason: i.reason?.trim() || null })), caller.userId, now);
      await this.refreshTotals(q, id, { status: 'in_review' });
      await this.care.audit(q, caller, 'care.claim.decide', id, c.region_code, { approved: items.filter((i) => i.decision === 'approved').length, rejected: items.filter((i) => i.decision === 'rejected').length }, now);
    });
    return this.claim(caller, id, { sampledOnly: true });
  }

  private async refreshTotals(q: Queryable, id: string, s: { status: cl.ClaimStatus; decidedBy?: string; decidedAt?: string }) {
    await cl.setClaim(q, id, { status: s.status, totals: this.totals(await cl.linesOf(q, id)), decided_by: s.decidedBy, decided_at: s.decidedAt });
  }

  /** Close the review: every sampled line must be decided; the rest are approved as settled. */
  async finish(caller: Caller, id: string) {
    const now = this.ctx.clock();
    await this.care.scoped(caller, async (q) => {
      const c = await this.ownClaim(q, caller, id, true);
      if (c.status !== 'in_review') throw new AppError('CARE_ILLEGAL_TRANSITION', '该申报不在审核中');
      const open = (await cl.linesOf(q, id, { sampledOnly: true })).filter((l) => !l.decision);
      if (open.length) throw new AppError('CARE_ILLEGAL_TRANSITION', `还有 ${open.length} 条抽查明细未审核`);
      await cl.approveRest(q, id, '未抽中，按结算结果核准', caller.userId, now);
      await this.refreshTotals(q, id, { status: 'decided', decidedBy: caller.userId, decidedAt: now.toISOString() });
      await this.care.audit(q, caller, 'care.claim.finish', id, c.region_code, {}, now);
    });
    return this.claim(caller, id);
  }

  /** The provider appeals a rejected line, once, with its reasons. */
  async appeal(caller: Caller, id: string, visitId: string, text: string) {
    const now = this.ctx.clock();
    await this.care.scoped(caller, async (q) => {
      const c = await this.ownClaim(q, caller, id, true);
      if (c.status !== 'decided') throw new AppError('CARE_ILLEGAL_TRANSITION', '审核结束后才能申诉');
      if ((await cl.appealLine(q, id, visitId, text, now)) === 0) throw new AppError('CARE_ILLEGAL_TRANSITION', '只有被拒付且尚未申诉的明细可以申诉');
      await this.care.audit(q, caller, 'care.claim.appeal', id, c.region_code, { visitId }, now);
    });
    return this.claim(caller, id);
  }

  /** The insurer decides an appeal: upheld (stays rejected) or overturned (approved). */
  async decideAppeal(caller: Caller, id: string, visitId: string, d: { decision: 'upheld' | 'overturned'; note: string }) {
    const now = this.ctx.clock();
    await this.care.scoped(caller, async (q) => {
      const c = await this.ownClaim(q, caller, id, true);
      if ((await cl.decideAppeal(q, id, visitId, d, caller.userId, now)) === 0) throw new AppError('CARE_ILLEGAL_TRANSITION', '该明细没有待处理的申诉');
      await this.refreshTotals(q, id, { status: c.status });
      await this.care.audit(q, caller, 'care.claim.appeal.decide', id, c.region_code, { visitId, decision: d.decision }, now);
    });
    return this.claim(caller, id);
  }

  /** The claim as an Excel file: a summary sheet and every line with its explanation and decision. */
  async export(caller: Caller, id: string): Promise<{ fileName: string; body: Buffer; contentType: string }> {
    const c = await this.claim(caller, id);
    const wb = new ExcelJS.Workbook();
    wb.creator = 'Yiyang 颐养';
    const sum = wb.addWorksheet('汇总');
    sum.addRows([
      ['服务机构', c.providerName], ['结算月份', c.month], ['状态', c.status], ['明细条数', c.totals.lines], ['申报时长（分钟）', c.totals.claimedMinutes],
      ['申报金额（元）', Number(yuanDecimal(c.totals.claimedFen))], ['其中基金支付（元）', Number(yuanDecimal(c.totals.fundFen))], ['个人自付（元）', Number(yuanDecimal(c.totals.copayFen))],
      ['核准金额（元）', Number(yuanDecimal(c.totals.approvedFen))], ['核准基金支付（元）', Number(yuanDecimal(c.totals.approvedFundFen))], ['拒付条数', c.totals.rejectedLines],
      ['抽查条数', c.totals.sampled], ['抽样种子', c.sample.seed], ['随机抽样比例', c.sample.randomShare], ['风险分阈值', c.sample.scoreThreshold],
    ]);
    sum.getColumn(1).width = 22;
    sum.getColumn(2).width = 36;
    const ws = wb.addWorksheet('结算明细');
    ws.columns = [
      { header: '服务记录', key: 'visit', width: 38 }, { header: '老人', key: 'person', width: 10 }, { header: '护理员', key: 'carer', width: 10 }, { header: '类别', key: 'kind', width: 8 },
      { header: '签到时间', key: 'checkIn', width: 22 }, { header: '服务分钟', key: 'minutes', width: 10 }, { header: '结算分钟', key: 'billed', width: 10 }, { header: '金额（元）', key: 'amount', width: 11 },
      { header: '基金支付（元）', key: 'fund', width: 13 }, { header: '个人自付（元）', key: 'copay', width: 13 }, { header: '结算说明', key: 'explain', width: 50 }, { header: '风险分', key: 'score', width: 8 },
      { header: '异常', key: 'flags', width: 40 }, { header: '抽查', key: 'sample', width: 8 }, { header: '审核结果', key: 'decision', width: 10 }, { header: '审核理由', key: 'reason', width: 30 },
      { header: '申诉', key: 'appeal', width: 30 }, { header: '申诉结果', key: 'appealDecision', width: 10 },
    ];
    ws.getRow(1).font = { bold: true };
    for (const l of c.lines) {
      ws.addRow({
        visit: l.visitId, person: l.personName, carer: l.caregiverName, kind: l.kind === 'nursing' ? '医疗护理' : '生活照料', checkIn: shanghaiTime(l.checkIn), minutes: l.minutes, billed: l.billedMinutes,
        amount: Number(yuanDecimal(l.amountFen)), fund: Number(yuanDecimal(l.fundFen)), copay: Number(yuanDecimal(l.copayFen)), explain: l.explanation, score: l.anomalyScore,
        flags: l.flags.map((x) => x.name).join('；'), sample: l.sample === 'risk' ? '风险' : l.sample === 'random' ? '随机' : '', decision: l.decision === 'approved' ? '核准' : l.decision === 'rejected' ? '拒付' : '待审',
        reason: l.decisionReason ?? '', appeal: l.appeal ?? '', appealDecision: l.appealDecision === 'overturned' ? '改判核准' : l.appealDecision === 'upheld' ? '维持拒付' : '',
      });
    }
    for (const k of ['amount', 'fund', 'copay']) ws.getColumn(k).numFmt = '0.00';
    await this.care.system((q) => this.care.audit(q, caller, 'care.claim.export', id, c.districtCode, { lines: c.lines.length }, this.ctx.clock()));
    return { fileName: `长护险结算-${c.providerName}-${c.month}.xlsx`, body: Buffer.from(await wb.xlsx.writeBuffer()), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' };
  }
}

/** An instant as Shanghai local time YYYY-MM-DD HH:MM. */
function shanghaiTime(iso: string): string {
  const t = Date.parse(iso);
  const day = shanghaiDay(t);
  const minutes = Math.floor(((t + 8 * 3_600_000) % 86_400_000) / 60_000);
  return `${day} ${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
