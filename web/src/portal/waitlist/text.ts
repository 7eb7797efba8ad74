// Words of 保基本养老床位轮候 (/waitlist, /my/waitlist and the shared application view and form):
// plain, short sentences for older people and their families. Simplified Chinese first; English
// where written, otherwise the Chinese (the same fallback and {name} placeholders as i18n.ts).
import type { Lang, Vars } from '../../i18n.ts';
import { usePrefs } from '../../prefs.tsx';

const zh = {
  'wl.title': '保基本养老床位轮候',
  'wl.lead':
    '保基本养老床位由政府保障，收住特困、低保低收入失能老人、高龄独居老人和经评估达到照护等级的老人。符合条件的老人可以选择想去的养老机构并排出先后，有空床时平台按公开的规则分配，随时可以查看排在第几位、大约还要等多久。',
  'wl.back': '返回首页',
  'wl.mine.link': '我的轮候',
  'wl.mine.linkHint': '查看或申请轮候、答复入住通知，请进入“我的轮候”（需要登录）。',
  'wl.rules.title': '轮候规则',
  'wl.rules.asOf': '以下规则按 {asOf} 施行的参数生成（参数版本 {version}）。',
  'wl.rules.order': '谁先轮到：机构按下面的顺序比较申请人',
  'wl.rules.tiers': '优先层级',
  'wl.rules.offers': '入住通知、放弃和暂停',
  'wl.rules.parameters': '规则参数及出处',
  'wl.rules.loading': '正在读取轮候规则…',
  'wl.rules.failed': '暂时读不到轮候规则',
  'wl.fac.title': '可以选择的机构',
  'wl.fac.intro': '下面是提供保基本床位的养老机构：保基本床位数、现在的空床数，以及把它选作志愿、正在轮候的人数。',
  'wl.fac.district': '按区查看',
  'wl.fac.all': '全部区',
  'wl.fac.count': '共 {n} 家机构',
  'wl.fac.caption': '提供保基本床位的机构',
  'wl.fac.name': '机构',
  'wl.fac.districtCol': '所在区',
  'wl.fac.beds': '保基本床位',
  'wl.fac.vacant': '现有空床',
  'wl.fac.waiting': '轮候人数',
  'wl.fac.loading': '正在读取机构…',
  'wl.fac.failed': '暂时读不到机构列表',
  'wl.fac.none': '这个区还没有提供保基本床位的机构。',

  // /my/waitlist
  'wl.my.title': '我的轮候',
  'wl.my.lead': '这里能看到您和家人的保基本养老床位轮候：排在第几位、大约还要等多久，以及入住通知。没有申请的，可以在这里申请。',
  'wl.my.rulesLink': '查看轮候规则和可选机构',
  'wl.my.loading': '正在读取轮候信息…',
  'wl.my.failed': '暂时看不到轮候信息：{message}',
  'wl.my.none': '您的账号还没有关联老人，所以这里没有轮候信息。请带上身份证，到所在街道的社区事务受理服务中心办理关联。',
  'wl.my.person': '{name}（{relation}）',
  'wl.my.noOpen': '{name}现在没有正在轮候的申请。',
  'wl.my.earlier': '以前的申请',

  // the application view
  'wl.app.status': '状态',
  'wl.app.tier': '优先层级',
  'wl.app.tierValue': '第 {tier} 层级：{label}',
  'wl.app.tierNone': '暂无（目前不符合条件）',
  'wl.app.appliedAt': '申请时间',
  'wl.app.priorityAt': '排序时间',
  'wl.app.declines': '已放弃次数',
  'wl.app.declinesValue': '{n} 次（不超过 {max} 次保留原排序）',
  'wl.app.pausedUntil': '暂停到 {date}，之后自动恢复轮候。',
  'wl.app.pausedOpen': '暂停中，恢复前不参与分配，原来的排序保留。',
  'wl.app.notEligible': '按现在的情况，这位老人已不符合保基本床位的条件，分配时会暂时跳过。如情况有误，请联系养老顾问。',
  'wl.app.radius': '{label}附近 {km} 公里内的机构均可（由近到远）',
  'wl.app.choices': '志愿和排位',
  'wl.app.noChoices': '现在没有可分配的机构（可能已放弃过，或机构不再提供保基本床位）。请修改志愿。',
  'wl.choice.head': '第 {rank} 志愿：{name}',
  'wl.choice.district': '{district}{local}',
  'wl.choice.local': '（本区）',
  'wl.choice.position': '排在第 {n} 位',
  'wl.choice.aheadNone': '前面没有人。',
  'wl.choice.ahead': '前面有 {n} 人：{parts}。',
  'wl.choice.aheadPart': '第 {tier} 层级 {n} 人',
  'wl.choice.estimate': '预计还要等 {low} 到 {high} 个月（根据这家机构过去 {basisMonths} 个月空出的 {basis} 张床位估算，只是估计）。',
  'wl.choice.estimateSoon': '预计 {high} 个月内（根据这家机构过去 {basisMonths} 个月空出的 {basis} 张床位估算，只是估计）。',
  'wl.choice.noEstimate': '暂无足够数据估算等待时间。',
  'wl.choice.vacant': '现有空床 {vacant} 张（保基本床位共 {beds} 张）',

  'wl.offer.title': '入住通知：有床位了',
  'wl.offer.where': '机构',
  'wl.offer.bed': '床位',
  'wl.offer.rank': '这是您的第 {rank} 志愿。',
  'wl.offer.deadline': '请在 {deadline} 前答复',
  'wl.offer.accept': '接受入住',
  'wl.offer.decline': '放弃',
  'wl.offer.confirmAccept': '确认接受入住{name}吗？接受后床位为您保留，机构会联系您办理入住手续。',
  'wl.offer.confirmYes': '确认接受',
  'wl.offer.back': '返回',
  'wl.offer.accepting': '正在提交…',
  'wl.offer.declineTitle': '放弃这次入住通知',
  'wl.offer.declineIntro':
    '放弃后，床位会分给下一位老人，这家机构以后不再分配给您。您已放弃 {n} 次：放弃不超过 {max} 次的，保留原来的排序；超过 {max} 次后，排序时间改为放弃的那一天，排到同层级的后面。',
  'wl.offer.declineConfirm': '确认放弃',
  'wl.offer.reason': '原因',
  'wl.offer.reasonHint': '必填，不超过 200 字，例如：离家太远。会记入轮候记录。',
  'wl.offer.past': '以前的入住通知',
  'wl.offer.pastItem': '{facility}（第 {rank} 志愿）：{status}',
  'wl.admitted': '已确认入住{name}。机构会联系您办理入住手续。',

  'wl.act.title': '暂停、恢复或撤回',
  'wl.act.pause': '暂停轮候',
  'wl.act.pauseIntro': '住院等原因可以暂停轮候：暂停期间不参与分配，原来的排序保留。',
  'wl.act.pauseReason': '暂停原因',
  'wl.act.pauseReasonHint': '必填，例如：住院治疗。',
  'wl.act.pauseUntil': '恢复日期（可不填）',
  'wl.act.pauseUntilHint': '到这一天后自动恢复轮候；不填的话，需要时再按“恢复轮候”。',
  'wl.act.pauseSubmit': '确认暂停',
  'wl.act.resume': '恢复轮候',
  'wl.act.withdraw': '撤回申请',
  'wl.act.withdrawTitle': '撤回轮候申请',
  'wl.act.withdrawIntro': '撤回后本次轮候结束，有入住通知的一并取消，床位退回。以后仍可以重新申请，但排序时间从新申请算起。',
  'wl.act.withdrawConfirm': '确认撤回',
  'wl.act.change': '修改志愿',
  'wl.act.changeTitle': '修改志愿（排序时间不变）',
  'wl.act.cancel': '返回',
  'wl.act.needReason': '请写明原因。',
  'wl.act.failed': '没有完成',
  'wl.act.busy': '正在提交…',
  'wl.act.paused': '已暂停轮候。',
  'wl.act.resumed': '已恢复轮候，原来的排序不变。',
  'wl.act.withdrawn': '已撤回申请。',
  'wl.act.declined': '已放弃这次入住通知。',
  'wl.act.changed': '已修改志愿，排序时间不变。',

  'wl.history': '轮候记录',
  'wl.history.empty': '还没有记录。',

  // the apply form
  'wl.form.title': '申请轮候',
  'wl.form.intro': '请选择想去的养老机构并排出先后（最多 {max} 家），或者选“某地址附近一定距离内均可”。排在前面的志愿先考虑；把真正最想去的放在第一位不会吃亏。',
  'wl.form.mode': '怎样选择机构',
  'wl.form.mode.choices': '选择机构并排出先后（最多 {max} 家）',
  'wl.form.mode.radius': '某地址附近 N 公里内均可',
  'wl.form.district': '先选区',
  'wl.form.facility': '机构',
  'wl.form.facility.option': '{name}（空床 {vacant} 张，轮候 {waiting} 人）',
  'wl.form.facility.choose': '请选择机构',
  'wl.form.add': '加入志愿',
  'wl.form.chosen': '已选的志愿（按先后）',
  'wl.form.chosenNone': '还没有选择机构。',
  'wl.form.chosenItem': '第 {rank} 志愿：{name}',
  'wl.form.up': '上移',
  'wl.form.down': '下移',
  'wl.form.remove': '移除',
  'wl.form.upLabel': '上移：{name}',
  'wl.form.downLabel': '下移：{name}',
  'wl.form.removeLabel': '移除：{name}',
  'wl.form.added': '已加入第 {rank} 志愿：{name}。',
  'wl.form.moved': '{name} 现在是第 {rank} 志愿。',
  'wl.form.removed': '已移除 {name}。',
  'wl.form.full': '最多选择 {max} 家机构。',
  'wl.form.needFacility': '请先在上面选择一家机构。',
  'wl.form.needChoices': '请至少选择一家机构。',
  'wl.form.km': '距离（公里）',
  'wl.form.kmHint': '填 1 到 {max} 之间的数字，例如 3。',
  'wl.form.kmInvalid': '请填 1 到 {max} 之间的公里数。',
  'wl.form.needPlace': '请输入地址，并从列表里选一个地点。',
  'wl.form.submit': '提交申请',
  'wl.form.submitChange': '保存志愿',
  'wl.form.submitting': '正在提交…',
  'wl.form.failed': '没有申请成功',
  'wl.form.fix': '请先改正下面标出的内容。',
  'wl.form.loading': '正在读取可选的机构…',
  'wl.form.applied': '已提交轮候申请。',
};

export type WlKey = keyof typeof zh;

const en: Partial<Record<WlKey, string>> = {
  'wl.title': 'Waiting list for basic-guarantee care-home beds',
  'wl.back': 'Back to the home page',
  'wl.mine.link': 'My waiting list',
  'wl.rules.title': 'The rules',
  'wl.fac.title': 'Facilities you can choose',
  'wl.my.title': 'My waiting list',
  'wl.offer.accept': 'Accept the place',
  'wl.offer.decline': 'Decline',
  'wl.form.title': 'Apply',
  'wl.form.submit': 'Apply',
  'wl.history': 'History',
};

const dictionaries: Record<Lang, Partial<Record<WlKey, string>>> = { 'zh-CN': zh, en };

export function wlText(lang: Lang, key: WlKey, vars?: Vars): string {
  const template = dictionaries[lang][key] ?? zh[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole));
}

export type WlText = (key: WlKey, vars?: Vars) => string;

/** `w(key, vars)`: the waiting list's words in the user's language. */
export function useWlText(): WlText {
  const { lang } = usePrefs();
  return (key, vars) => wlText(lang, key, vars);
}

/** 2026年12月3日 (the Shanghai calendar day of an instant). */
export function shanghaiDay(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(d);
  const v = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${v('year')}年${v('month')}月${v('day')}日`;
}

/** 2026年12月3日 14:05 (Shanghai time). */
export function shanghaiTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hm = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
  return `${shanghaiDay(iso)} ${hm}`;
}

/** "前面有 3 人：第 1 层级 1 人，第 2 层级 2 人。" or "前面没有人。" */
export function aheadText(w: WlText, ahead: number, byTier: Record<string, number>): string {
  if (ahead === 0) return w('wl.choice.aheadNone');
  const parts = Object.entries(byTier)
    .filter(([, n]) => n > 0)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([tier, n]) => w('wl.choice.aheadPart', { tier: tier === String(Number.MAX_SAFE_INTEGER) ? '—' : tier, n }));
  return w('wl.choice.ahead', { n: ahead, parts: parts.join('，') });
}

const months = (x: number) => (Math.round(x * 10) / 10).toString();

/** The estimated wait as a range of months in words, or that there is too little to go on. */
export function estimateText(w: WlText, e: { low: number; high: number; basis: number; basisMonths: number } | null): string {
  if (!e) return w('wl.choice.noEstimate');
  const low = Math.floor(e.low * 10) / 10;
  const high = Math.max(Math.ceil(e.high * 10) / 10, 0.1);
  if (low < 0.5) return w('wl.choice.estimateSoon', { high: months(high), basis: e.basis, basisMonths: e.basisMonths });
  return w('wl.choice.estimate', { low: months(low), high: months(high), basis: e.basis, basisMonths: e.basisMonths });
}
