// Masking (脱敏) for display. There is no mandatory national format; these are the project's
// conventions from shared/domain/identity-and-regions.md §1.4 (PIPL art. 28, 51):
// staff screens keep the address code (needed for scope) and the last 4; public views keep only
// the first and last character. Masks keep the input's length, so columns line up.

import { normalizeIdNumber } from './idnumber.ts';

/** Who will see the masked value: staff screens, or public lists and exported statistics. */
export type MaskLevel = 'staff' | 'public';

const stars = (n: number): string => '*'.repeat(Math.max(0, n));

// Keeps `head` leading and `tail` trailing characters when at least one character is hidden.
const keepEnds = (chars: string[], head: number, tail: number): string =>
  chars.length > head + tail
    ? chars.slice(0, head).join('') + stars(chars.length - head - tail) + chars.slice(chars.length - tail).join('')
    : stars(chars.length);

/**
 * Masks an identity number: staff `310115********0012` (first 6 + last 4; 15-digit legacy
 * `310115*****0012`), public `3****************2` (first 1 + last 1). Any other length keeps
 * first 1 + last 1; 1–2 characters become all stars. Same length as the normalised input.
 */
export const maskIdNumber = (n: string, level: MaskLevel = 'staff'): string => {
  const chars = [...normalizeIdNumber(n)];
  if (level === 'staff' && (chars.length === 18 || chars.length === 15)) return keepEnds(chars, 6, 4);
  return keepEnds(chars, 1, 1);
};

/** Two-character surnames (复姓) whose both characters are kept, so 欧阳娜娜 → 欧阳**. */
export const COMPOUND_SURNAMES: readonly string[] = [
  '欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒',
  '夏侯', '轩辕', '令狐', '钟离', '闻人', '澹台', '南宫', '西门', '端木', '独孤', '呼延', '万俟',
  '申屠', '太史', '赫连', '拓跋', '司空', '百里', '东郭', '公羊', '濮阳', '淳于', '单于', '第五',
];

/**
 * Masks a person's name, keeping the surname: 张三 → 张*, 王小明 → 王**, 欧阳娜娜 → 欧阳**.
 * A known compound surname is kept whole when at least one given-name character follows it;
 * a one-character name becomes `*`. One star per hidden character.
 */
export const maskName = (name: string): string => {
  const chars = [...name.trim()];
  if (chars.length <= 1) return stars(chars.length);
  const keep = chars.length >= 3 && COMPOUND_SURNAMES.includes(chars.slice(0, 2).join('')) ? 2 : 1;
  return keepEnds(chars, keep, 0);
};

/**
 * Masks a phone number: 13812345678 → 138****5678 (first 3 + last 4); `+86`/`0086` is kept in
 * front (`+86 138****5678`); spaces and hyphens are dropped. Numbers of 3–7 characters keep only the last 2.
 */
export const maskPhone = (phone: string): string => {
  const compact = phone.replace(/[\s-]+/g, '');
  const m = /^(\+86|0086)?(.*)$/.exec(compact) as RegExpExecArray;
  const prefix = m[1] ?? '';
  const chars = [...(m[2] as string)];
  const masked = chars.length >= 8 ? keepEnds(chars, 3, 4) : keepEnds(chars, 0, 2);
  return prefix ? `${prefix} ${masked}` : masked;
};
