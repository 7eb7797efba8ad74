// Words of 我的养老服务补贴 (/my/vouchers), for older people and their families: plain, short
// sentences. Simplified Chinese first, English second, with the same {name} placeholders and
// fallback to Chinese as i18n.ts.
import { usePrefs } from '../../prefs.tsx';
import type { Lang, Vars } from '../../i18n.ts';

const zh = {
  'my.link': '我的养老服务补贴',
  'my.title': '我的养老服务补贴',
  'my.lead': '养老服务补贴每月存到电子券里，可以在服务机构用来付助餐、助浴等服务的钱。这里能看到还剩多少钱，以及每一笔存入和花费。',
  'my.back': '返回首页',

  // sign-in
  'my.login.title': '请先登录',
  'my.login.intro': '请用您的颐养账号登录。家人也可以用自己的账号登录，查看关联老人的补贴。',
  'my.login.noAccount': '还没有账号？请带上身份证，到所在街道的社区事务受理服务中心办理。',
  'my.login.username': '用户名',
  'my.login.password': '密码',
  'my.login.submit': '登录',
  'my.login.submitting': '正在登录…',
  'my.login.needUsername': '请填写用户名。',
  'my.login.needPassword': '请填写密码。',
  'my.login.failed': '没有登录成功',
  'my.login.invalid': '用户名或密码不对，请再试一次。',
  'my.login.locked': '密码错误次数太多，账号暂时锁定了。请过一会儿再试，或打电话给社区。',
  'my.login.rateLimited': '试得太频繁了，请过一会儿再试。',
  'my.signedIn': '{name}，您好',
  'my.logout': '退出登录',

  // the accounts
  'my.loading': '正在读取补贴信息…',
  'my.failed': '暂时看不到补贴信息：{message}',
  'my.none': '您的账号还没有关联老人，所以这里没有补贴信息。请带上身份证，到所在街道的社区事务受理服务中心办理关联。',
  'my.person': '{name}（{relation}）',
  'my.relation.self': '本人',
  'my.relation.family': '家属',
  'my.balance': '电子券现在还有',
  'my.entries': '每一笔记录（最新的在最上面）',
  'my.entries.caption': '{name}的电子券记录',
  'my.noEntries': '还没有记录。补贴存入后会显示在这里。',
  'my.kind.credit': '存入',
  'my.kind.redeem': '花费',
  'my.kind.reverse': '扣回',
  'my.credit.detail': '{month}的养老服务补贴',
  'my.credit.plain': '养老服务补贴',
  'my.redeem.detail': '{provider}：{service}',
  'my.reverse.detail': '补贴多存了，扣回',
  'my.after': '之后还剩 {balance}',
};

export type MyKey = keyof typeof zh;

const en: Record<MyKey, string> = {
  'my.link': 'My care subsidy',
  'my.title': 'My care subsidy',
  'my.lead':
    'The elderly-care service subsidy is put on an e-voucher every month. You can pay service providers with it, for example for meals or bathing. Here you see how much is left, and every payment in and out.',
  'my.back': 'Back to the home page',

  'my.login.title': 'Please log in first',
  'my.login.intro': 'Log in with your Yiyang account. Family members can log in with their own account to see the subsidy of the older person they are linked to.',
  'my.login.noAccount': 'No account yet? Bring your ID card to the community service centre of your street.',
  'my.login.username': 'Username',
  'my.login.password': 'Password',
  'my.login.submit': 'Log in',
  'my.login.submitting': 'Logging in…',
  'my.login.needUsername': 'Please enter your username.',
  'my.login.needPassword': 'Please enter your password.',
  'my.login.failed': 'Not logged in',
  'my.login.invalid': 'Wrong username or password. Please try again.',
  'my.login.locked': 'Too many wrong passwords: the account is locked for a while. Try again later or call your community centre.',
  'my.login.rateLimited': 'Too many tries. Please wait a moment.',
  'my.signedIn': 'Hello, {name}',
  'my.logout': 'Log out',

  'my.loading': 'Reading your subsidy…',
  'my.failed': 'Cannot show your subsidy right now: {message}',
  'my.none':
    'Your account is not linked to an older person yet, so there is no subsidy to show. Bring your ID card to the community service centre of your street to link it.',
  'my.person': '{name} ({relation})',
  'my.relation.self': 'yourself',
  'my.relation.family': 'family',
  'my.balance': 'Left on the e-voucher',
  'my.entries': 'Every entry (newest first)',
  'my.entries.caption': 'E-voucher entries of {name}',
  'my.noEntries': 'No entries yet. The subsidy shows here once it is paid in.',
  'my.kind.credit': 'Paid in',
  'my.kind.redeem': 'Spent',
  'my.kind.reverse': 'Taken back',
  'my.credit.detail': 'Care subsidy for {month}',
  'my.credit.plain': 'Care subsidy',
  'my.redeem.detail': '{provider}: {service}',
  'my.reverse.detail': 'Too much subsidy was paid in; taken back',
  'my.after': '{balance} left after this',
};

const dictionaries: Record<Lang, Record<MyKey, string>> = { 'zh-CN': zh, en };

export function myText(lang: Lang, key: MyKey, vars?: Vars): string {
  const template = dictionaries[lang][key] ?? zh[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole,
  );
}

/** `m(key, vars)`: the portal account pages' words in the user's language. */
export function useMyText(): (key: MyKey, vars?: Vars) => string {
  const { lang } = usePrefs();
  return (key, vars) => myText(lang, key, vars);
}
