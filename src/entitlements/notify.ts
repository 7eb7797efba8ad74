// Telling the person (issue 5: "pays it … the person and family see"): a consumer of
// `entitlements.granted` writes a notification on the person's record — what they now receive,
// from when, how much, and where to ask — once per event, however often it is delivered.
import type { Consumer, DomainEvent } from '../platform/outbox.ts';
import { notifyPerson } from '../people/index.ts';
import { yuanDecimal } from '../core/money.ts';
import { SCHEME_NAMES, type SchemeId } from './model.ts';
import * as store from './store.ts';

interface GrantedPayload {
  scheme: SchemeId;
  channel: 'application' | 'no_application';
  grantId: string;
  personId: string;
  date: string;
}

const zhMonth = (d: string) => `${d.slice(0, 4)}年${Number(d.slice(5, 7))}月`;
const yuan = (fen: number) => `${yuanDecimal(fen)} 元`;  

/** The Chinese message of a grant, from the stored decision it was made on. */
export function grantedMessage(p: GrantedPayload, decisions: Record<string, unknown> | null): { title: string; body: string } {
  const name = SCHEME_NAMES[p.scheme] ?? p.scheme;
  const how = p.channel === 'no_application' ? '经民政部门核对，您无需申请即可享受（免申即享）' : '您的申请已核准';
  const d = (decisions?.[p.scheme] ?? {}) as { monthlyFen?: number; band?: string; homeCareHoursPerWeek?: number; tier?: number; tierLabel?: string };
  const what =
    p.scheme === 'allowance' ? `自${zhMonth(p.date)}起按月发放至您的社保卡，每月 ${yuan(d.monthlyFen ?? 0)}（${d.band ?? ''} 周岁段）。`
    : p.scheme === 'serviceSubsidy' ? `自${zhMonth(p.date)}起每月 ${yuan(d.monthlyFen ?? 0)} 以电子券形式计入您的账户，可在您选择的服务机构使用。`
    : p.scheme === 'ltci' ? `可享社区居家照护每周 ${d.homeCareHoursPerWeek ?? 0} 小时。`
    : `已列入保基本养老床位轮候（第 ${d.tier ?? ''} 优先层级）。`;
  return { title: `${name}：${p.channel === 'no_application' ? '已为您办理' : '已核准'}`, body: `${how}。${what}如有疑问，请咨询所在街道（镇）社区事务受理服务中心或养老顾问。` };
}

export const entitlementNotifier = (clock: () => Date): Consumer => ({
  name: 'entitlements.notify-person',
  topics: ['entitlements.granted'],
  async handle(event: DomainEvent, q) {
    const p = event.payload as unknown as GrantedPayload;
    if (!p.personId) return;
    const row = (await store.entitlementsOf(q, '*', [p.personId])).get(p.personId);
    const { title, body } = grantedMessage(p, (row?.decisions as Record<string, unknown> | undefined) ?? null);
    await notifyPerson(q, {
      personId: p.personId, districtCode: event.districtCode ?? row?.district_code ?? '', kind: 'entitlements.granted', title, body,
      data: { scheme: p.scheme, grantId: p.grantId, channel: p.channel }, sourceEvent: event.id,
    }, clock());
  },
});
