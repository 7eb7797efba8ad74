// Words of 养老服务补贴电子券 in the workbench: the provider's 电子券核销 and monthly statement, the
// officer's 电子券结算 per provider, and the voucher card on the person page. Simplified Chinese
// first, English second, with the same {name} placeholders and fallback to Chinese as i18n.ts.
import { usePrefs } from '../../prefs.tsx';
import type { Lang, Vars } from '../../i18n.ts';

const zh = {
  'vch.nav.redeem': '电子券核销',
  'vch.nav.settle': '电子券结算',

  // 电子券核销 (provider)
  'vch.redeem.title': '电子券核销',
  'vch.redeem.intro':
    '老人用养老服务补贴电子券支付服务后，在这里登记这次服务，金额从老人的电子券余额中扣除。金额不能超过余额；同一次提交即使重复点击或重试，也只扣一次。',
  'vch.form.title': '登记一次服务',
  'vch.form.person': '老人编号',
  'vch.form.person.hint':
    '写在老人的服务卡或补贴告知书上，由 32 个字母或数字和 4 个短横线组成，例如 1f0e3c2a-5b7d-4c1e-9a2b-3c4d5e6f7a8b。目前不能按姓名查找老人。',
  'vch.form.person.missing': '请填写老人编号。',
  'vch.form.person.invalid': '老人编号应为 32 个字母或数字和 4 个短横线，请核对后重新填写。',
  'vch.form.amount': '金额（元）',
  'vch.form.amount.hint': '这次服务要从电子券中扣除的金额，例如 50 或 37.5。',
  'vch.form.amount.missing': '请填写金额。',
  'vch.form.amount.invalid': '请填写大于 0 的金额（元），最多两位小数，例如 50 或 37.5。',
  'vch.form.service': '服务项目',
  'vch.form.service.choose': '请选择',
  'vch.form.service.other': '其他（自己填写）',
  'vch.form.service.missing': '请选择服务项目。',
  'vch.form.serviceText': '服务内容',
  'vch.form.serviceText.hint': '用几个字写明服务，例如：理发、陪同就医。不超过 100 字。',
  'vch.form.serviceText.missing': '请填写服务内容。',
  'vch.form.serviceText.tooLong': '服务内容不能超过 100 字。',
  'vch.form.next': '下一步：核对',
  'vch.form.fix': '请先改正下面标出的内容。',

  'vch.confirm.title': '请核对这次核销',
  'vch.confirm.intro': '确认后将从老人的电子券余额中扣除这笔金额。',
  'vch.confirm.person': '老人编号',
  'vch.confirm.amount': '金额',
  'vch.confirm.service': '服务',
  'vch.confirm.ok': '确认核销',
  'vch.confirm.busy': '正在核销…',
  'vch.confirm.back': '返回修改',
  'vch.confirm.retryHint': '再次点击“确认核销”会按同一次提交重试，不会重复扣款。',

  'vch.done.title': '核销成功',
  'vch.done.body': '已扣除 {amount}（{service}）。',
  'vch.done.repeated': '这次提交之前已经核销过，没有重复扣款。',
  'vch.done.balance': '该老人电子券余额',
  'vch.failed.title': '没有核销',
  'vch.short.title': '余额不足，没有核销',
  'vch.short.hint': '请与老人商量减少本次金额，或改用其他方式支付差额。',

  // statement
  'vch.st.title.this': '本月核销明细',
  'vch.st.title.month': '{month}核销明细',
  'vch.st.month': '月份',
  'vch.st.loading': '正在读取核销明细…',
  'vch.st.failed': '无法读取核销明细：{message}',
  'vch.st.summary': '{month}共核销 {count} 笔，合计 {total}。',
  'vch.st.empty': '{month}还没有核销记录。',
  'vch.st.caption': '{month}核销明细',
  'vch.st.at': '时间',
  'vch.st.service': '服务内容',
  'vch.st.amount': '金额',

  // 电子券结算 (officer)
  'vch.settle.title': '电子券结算',
  'vch.settle.intro':
    '本辖区各服务机构某月核销养老服务补贴电子券的笔数、服务老人数和金额，作为按月与服务机构结算的依据。',
  'vch.settle.loading': '正在读取结算数据…',
  'vch.settle.failed': '无法读取结算数据：{message}',
  'vch.settle.total': '合计金额',
  'vch.settle.count': '核销笔数',
  'vch.settle.providers': '服务机构数',
  'vch.settle.empty': '{month}本辖区没有核销记录。',
  'vch.settle.caption': '{month}各服务机构核销合计',
  'vch.settle.provider': '服务机构',
  'vch.settle.redemptions': '核销笔数',
  'vch.settle.people': '服务老人（人）',
  'vch.settle.amount': '金额',
  'vch.settle.sum': '合计',
  'vch.settle.shown': '正在显示 {month}。',

  // person card
  'vch.card.title': '养老服务补贴电子券',
  'vch.card.loading': '正在读取电子券…',
  'vch.card.failed': '无法读取电子券：{message}',
  'vch.card.balance': '余额',
  'vch.card.empty': '还没有电子券记录。',
  'vch.card.recent': '最近 {shown} 笔，共 {count} 笔',
  'vch.card.all': '共 {count} 笔',
  'vch.card.caption': '电子券最近收支',
  'vch.card.date': '日期',
  'vch.card.kind': '类别',
  'vch.card.amount': '金额',
  'vch.card.detail': '说明',
  'vch.card.after': '之后余额',
  'vch.card.forMonth': '{month}补贴',
};

export type VchKey = keyof typeof zh;

const en: Record<VchKey, string> = {
  'vch.nav.redeem': 'Redeem e-vouchers',
  'vch.nav.settle': 'E-voucher settlement',

  'vch.redeem.title': 'Redeem e-vouchers',
  'vch.redeem.intro':
    "After an older person pays for a service with their care-subsidy e-voucher, record the service here; the amount is taken from their balance. It cannot exceed the balance; one submission is kept once even when clicked twice or retried.",
  'vch.form.title': 'Record a service',
  'vch.form.person': 'Person number',
  'vch.form.person.hint':
    "On the person's service card or subsidy letter: 32 letters or digits and 4 hyphens, e.g. 1f0e3c2a-5b7d-4c1e-9a2b-3c4d5e6f7a8b. Finding a person by name is not possible yet.",
  'vch.form.person.missing': 'Please enter the person number.',
  'vch.form.person.invalid': 'A person number has 32 letters or digits and 4 hyphens. Please check it.',
  'vch.form.amount': 'Amount (yuan)',
  'vch.form.amount.hint': 'What this service takes from the e-voucher, e.g. 50 or 37.5.',
  'vch.form.amount.missing': 'Please enter the amount.',
  'vch.form.amount.invalid': 'Enter an amount above 0 in yuan, at most two decimals, e.g. 50 or 37.5.',
  'vch.form.service': 'Service',
  'vch.form.service.choose': 'Choose',
  'vch.form.service.other': 'Other (type it)',
  'vch.form.service.missing': 'Please choose the service.',
  'vch.form.serviceText': 'What service',
  'vch.form.serviceText.hint': 'A few words, e.g. haircut, escort to hospital. At most 100 characters.',
  'vch.form.serviceText.missing': 'Please say what service.',
  'vch.form.serviceText.tooLong': 'At most 100 characters.',
  'vch.form.next': 'Next: check',
  'vch.form.fix': 'Please correct what is marked below.',

  'vch.confirm.title': 'Check this redemption',
  'vch.confirm.intro': "On confirming, the amount is taken from the person's e-voucher balance.",
  'vch.confirm.person': 'Person number',
  'vch.confirm.amount': 'Amount',
  'vch.confirm.service': 'Service',
  'vch.confirm.ok': 'Confirm',
  'vch.confirm.busy': 'Redeeming…',
  'vch.confirm.back': 'Go back and change',
  'vch.confirm.retryHint': 'Pressing Confirm again retries the same submission; nothing is taken twice.',

  'vch.done.title': 'Redeemed',
  'vch.done.body': '{amount} taken ({service}).',
  'vch.done.repeated': 'This submission had already been redeemed; nothing was taken twice.',
  'vch.done.balance': "The person's e-voucher balance",
  'vch.failed.title': 'Not redeemed',
  'vch.short.title': 'Balance too low: not redeemed',
  'vch.short.hint': 'Agree a smaller amount with the person, or let them pay the rest another way.',

  'vch.st.title.this': 'This month’s redemptions',
  'vch.st.title.month': 'Redemptions, {month}',
  'vch.st.month': 'Month',
  'vch.st.loading': 'Reading the redemptions…',
  'vch.st.failed': 'Cannot read the redemptions: {message}',
  'vch.st.summary': '{month}: {count} redemptions, {total} in all.',
  'vch.st.empty': 'No redemptions in {month}.',
  'vch.st.caption': 'Redemptions, {month}',
  'vch.st.at': 'Time',
  'vch.st.service': 'Service',
  'vch.st.amount': 'Amount',

  'vch.settle.title': 'E-voucher settlement',
  'vch.settle.intro':
    'For each service provider in your area: the care-subsidy e-vouchers it redeemed in a month — how many, for how many people and how much — the basis of the monthly settlement.',
  'vch.settle.loading': 'Reading the settlement…',
  'vch.settle.failed': 'Cannot read the settlement: {message}',
  'vch.settle.total': 'Total',
  'vch.settle.count': 'Redemptions',
  'vch.settle.providers': 'Providers',
  'vch.settle.empty': 'No redemptions in your area in {month}.',
  'vch.settle.caption': 'Redemptions per provider, {month}',
  'vch.settle.provider': 'Provider',
  'vch.settle.redemptions': 'Redemptions',
  'vch.settle.people': 'People served',
  'vch.settle.amount': 'Amount',
  'vch.settle.sum': 'Total',
  'vch.settle.shown': 'Showing {month}.',

  'vch.card.title': 'Care-subsidy e-voucher',
  'vch.card.loading': 'Reading the e-voucher…',
  'vch.card.failed': 'Cannot read the e-voucher: {message}',
  'vch.card.balance': 'Balance',
  'vch.card.empty': 'No e-voucher entries yet.',
  'vch.card.recent': 'Latest {shown} of {count} entries',
  'vch.card.all': '{count} entries',
  'vch.card.caption': 'Latest e-voucher entries',
  'vch.card.date': 'Date',
  'vch.card.kind': 'Kind',
  'vch.card.amount': 'Amount',
  'vch.card.detail': 'Details',
  'vch.card.after': 'Balance after',
  'vch.card.forMonth': 'Subsidy for {month}',
};

const dictionaries: Record<Lang, Record<VchKey, string>> = { 'zh-CN': zh, en };

export function vchText(lang: Lang, key: VchKey, vars?: Vars): string {
  const template = dictionaries[lang][key] ?? zh[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole,
  );
}

/** `x(key, vars)`: this folder's words in the user's language. */
export function useVchText(): (key: VchKey, vars?: Vars) => string {
  const { lang } = usePrefs();
  return (key, vars) => vchText(lang, key, vars);
}

/** Common services a provider picks from (stored in Chinese, as the person reads them); anything
 *  else is typed in. */
export const COMMON_SERVICES: readonly { value: string; en: string }[] = [
  { value: '助餐', en: 'Meals' },
  { value: '助浴', en: 'Bathing' },
  { value: '助洁', en: 'Cleaning' },
  { value: '居家照护', en: 'Home care' },
  { value: '康复护理', en: 'Rehabilitation' },
  { value: '日间照料', en: 'Day care' },
];
