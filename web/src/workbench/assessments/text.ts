// Words of the assessment pages added after the shared dictionary (web/src/i18n.ts): closing an
// application (不予受理, 撤销). Simplified Chinese first, English second,
// with the same {name} placeholders and the same fallback to Chinese as i18n.ts.
import { usePrefs } from '../../prefs.tsx';
import type { Lang, Vars } from '../../i18n.ts';

const zh = {
  // closing an application
  'close.reject': '不予受理',
  'close.cancel': '撤销申请',
  'close.reject.title': '不予受理该评估申请',
  'close.cancel.title': '撤销该评估申请',
  'close.reject.intro': '不予受理后申请即办结，原因会记入办理记录并告知申请人。只有“已申请”状态可以不予受理。',
  'close.cancel.intro': '撤销后申请即办结，评估员不能再填写评估表。原因会记入办理记录。',
  'close.reason': '原因（必填，请用中文填写）',
  'close.reason.hint': '例如：申请材料不全；老人已入住医院，家属申请撤销。不超过 {max} 字。',
  'close.reason.missing': '请填写原因。',
  'close.reason.notChinese': '请用中文填写原因。',
  'close.reason.tooLong': '原因不能超过 {max} 字。',
  'close.confirm.reject': '确认不予受理',
  'close.confirm.cancel': '确认撤销',
  'close.back': '返回，不作改动',
  'close.done.reject': '已不予受理。',
  'close.done.cancel': '已撤销该申请。',
  'close.actions': '办结申请',
} as const;

export type TextKey = keyof typeof zh;

const en: Record<TextKey, string> = {
  'close.reject': 'Not accepted',
  'close.cancel': 'Withdraw application',
  'close.reject.title': 'Do not accept this application',
  'close.cancel.title': 'Withdraw this application',
  'close.reject.intro': 'The application is closed; the reason is kept in its record and told to the applicant. Only an application in “Applied” can be refused.',
  'close.cancel.intro': 'The application is closed and the assessors can no longer fill in the form. The reason is kept in its record.',
  'close.reason': 'Reason (required, in Chinese)',
  'close.reason.hint': 'For example: 申请材料不全. At most {max} characters.',
  'close.reason.missing': 'Please give a reason.',
  'close.reason.notChinese': 'Please write the reason in Chinese.',
  'close.reason.tooLong': 'The reason may have at most {max} characters.',
  'close.confirm.reject': 'Confirm: not accepted',
  'close.confirm.cancel': 'Confirm withdrawal',
  'close.back': 'Back, change nothing',
  'close.done.reject': 'The application was not accepted.',
  'close.done.cancel': 'The application was withdrawn.',
  'close.actions': 'Close the application',
};

const dictionaries: Record<Lang, Record<TextKey, string>> = { 'zh-CN': zh, en };

export function text(lang: Lang, key: TextKey, vars?: Vars): string {
  const template = dictionaries[lang][key] ?? zh[key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole,
  );
}

/** `x(key, vars)`: this folder's words in the user's language. */
export function useText(): (key: TextKey, vars?: Vars) => string {
  const { lang } = usePrefs();
  return (key, vars) => text(lang, key, vars);
}
