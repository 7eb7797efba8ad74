// 养老服务补贴 as an e-voucher (issue 5 §4): balances credited by approved monthly batches
// (payment-service.ts), service redeemed by a provider of the person's choosing (idempotent by the
// provider's request key, never below zero), each provider's monthly statement and the officer's
// settlement per provider, and the balance and every use for the person and their family.
import { AppError } from '../core/errors.ts';
import { todayIn } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import { yuanDecimal } from '../core/money.ts';
import { appendAudit } from '../platform/audit.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { emit } from '../platform/outbox.ts';
import { monthOf } from './payments.ts';
import * as store from './store.ts';

/** What vouchers need of the register (wired in src/app.ts). */
export interface VoucherPorts {
  names(q: Queryable, scope: string, ids: readonly string[]): Promise<{ id: string; name: string; district_code: string; street_code: string | null; committee_code: string | null }[]>;
  linksOf(q: Queryable, userId: string): Promise<{ person_id: string; relation: 'self' | 'family'; district_code: string; name: string }[]>;
}

const KIND_NAMES: Record<store.VoucherEntryRow['kind'], string> = { credit: '补贴入账', reverse: '冲减', redeem: '服务消费' };

export interface VoucherEntryView {
  id: string;
  kind: store.VoucherEntryRow['kind'];
  kindName: string;
  amountFen: number;
  balanceAfterFen: number;
  forMonth: string | null;
  providerName: string | null;
  service: string | null;
  note: string | null;
  at: string;
}
const entryView = (e: store.VoucherEntryRow): VoucherEntryView => ({
  id: e.id, kind: e.kind, kindName: KIND_NAMES[e.kind], amountFen: Number(e.amount_fen), balanceAfterFen: Number(e.balance_after), forMonth: e.for_month,
  providerName: e.provider_name, service: e.service, note: e.note, at: e.created_at,
});

export class VoucherService {
  constructor(
    private readonly ctx: AppContext,
    private readonly ports: VoucherPorts,
  ) {}

  /** A person's balance and every entry (staff, in scope; read-audited). */
  async account(caller: Caller, personId: string) {
    const r = await this.ctx.db.tx(async (q) => {
      const who = await this.ports.names(q, caller.scope, [personId]);
      if (who.length === 0) throw new AppError('NOT_FOUND', '未找到该老人');
      return { who: who[0]!, ...(await store.accountOf(q, caller.scope, personId)) };
    }, { scope: caller.scope, asAppRole: true });
    await this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'vouchers.read', entityType: 'person', entityId: personId, districtCode: r.who.district_code });
    return { personId, name: r.who.name, balanceFen: r.balance, entries: r.entries.map(entryView) };
  }

  /** The balances and uses of the people a citizen account is linked to (self or family). */
  async mine(caller: Caller) {
    const links = await this.ctx.db.tx((q) => this.ports.linksOf(q, caller.userId), { asAppRole: false });
    const people = await this.ctx.db.tx(async (q) => Promise.all(links.map(async (l) => ({ l, acc: await store.accountOf(q, '*', l.person_id) }))), { asAppRole: false });
    await this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'vouchers.read_own', entityType: 'user', entityId: caller.userId, details: { people: links.length } });
    return {
      people: people.map(({ l, acc }) => ({ personId: l.person_id, name: l.name, relation: l.relation, relationName: l.relation === 'self' ? '本人' : '家属', balanceFen: acc.balance, entries: acc.entries.map(entryView) })),
    };
  }

  /**
   * A provider redeems service against a person's balance. The same request key from the same
   * provider is kept once (a retry returns the first result); the balance never goes below zero.
   */
  async redeem(caller: Caller, input: { personId: string; amountFen: number; service: string; requestKey: string }) {
    const now = this.ctx.clock();
    return this.ctx.db.tx(async (q) => {
      const prior = await store.entryByKey(q, caller.userId, input.requestKey);
      if (prior) {
        if (prior.person_id !== input.personId.toLowerCase() || -Number(prior.amount_fen) !== input.amountFen) throw new AppError('ENTITLEMENT_CONFLICT', '该请求编号已用于另一笔消费');
        return { entry: entryView(prior), balanceFen: Number(prior.balance_after), repeated: true };
      }
      const who = (await this.ports.names(q, caller.scope, [input.personId]))[0];
      if (!who) throw new AppError('NOT_FOUND', '未找到该老人，或不在本机构服务范围内');
      const region = who.committee_code ?? who.street_code ?? who.district_code;
      const balance = await store.lockAccount(q, who.district_code, who.id, region, now);
      if (balance < input.amountFen) throw new AppError('ENTITLEMENT_CONFLICT', `电子券余额不足：余额 ¥${yuanDecimal(balance)}，本次 ¥${yuanDecimal(input.amountFen)}`);  
      const id = newId();
      await store.addEntry(q, {
        district_code: who.district_code, id, person_id: who.id, region_code: region, kind: 'redeem', amount_fen: -input.amountFen, balance_after: balance - input.amountFen,
        provider_id: caller.userId, provider_name: caller.displayName, service: input.service, idempotency_key: input.requestKey,
      }, now);
      await appendAudit(q, [{ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'vouchers.redeem', entityType: 'person', entityId: who.id, districtCode: who.district_code, details: { amountFen: input.amountFen, entryId: id } }], now);
      await emit(q, 'vouchers.redeemed', { entryId: id, personId: who.id, providerId: caller.userId, amountFen: input.amountFen }, who.district_code);
      const saved = (await store.entryByKey(q, caller.userId, input.requestKey))!;
      return { entry: entryView(saved), balanceFen: balance - input.amountFen, repeated: false };
    }, { scope: caller.scope, asAppRole: true });
  }

  /** A provider's own redemptions of a month: what it will be paid. */
  async statement(caller: Caller, month?: string) {
    const m = month ?? monthOf(todayIn(this.ctx.clock));
    const rows = await this.ctx.db.tx((q) => store.providerRedemptions(q, caller.userId, m), { asAppRole: false });
    return { month: m, totalFen: rows.reduce((s, r) => s - Number(r.amount_fen), 0), count: rows.length, entries: rows.map(entryView) };
  }

  /** The officer's monthly settlement: per provider, what was redeemed in scope (audited). */
  async settlements(caller: Caller, month?: string) {
    const m = month ?? monthOf(todayIn(this.ctx.clock));
    const rows = await this.ctx.db.tx((q) => store.redemptionsByProvider(q, caller.scope, m, null), { scope: caller.scope, asAppRole: true });
    await this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'vouchers.settlements', entityType: 'voucher', details: { month: m, providers: rows.length } });
    return {
      month: m,
      totalFen: rows.reduce((s, r) => s + Number(r.total_fen), 0),
      providers: rows.map((r) => ({ providerId: r.provider_id, providerName: r.provider_name, redemptions: r.redemptions, people: r.people, totalFen: Number(r.total_fen) })),
    };
  }
}
