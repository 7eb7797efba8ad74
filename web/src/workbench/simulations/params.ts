// How the form edits a parameter and how values read: money is entered in yuan and sent in fen,
// shares in per cent and sent as 0–1, hours, years and grades as they are. Tables (age bands,
// grades, grade × economic status) are edited key by key; only the keys filled in are sent.
import { ECONOMIC_STATUSES, INSURANCE_TYPES } from '../../api.ts';
import type { Lang } from '../../i18n.ts';
import { translateDynamic } from '../../i18n.ts';
import type { ParameterInForce } from './api.ts';
import { simText, simTextDynamic, type SimKey } from './text.ts';

export type NumberUnit = 'fen/month' | 'fen/day' | 'fen/hour' | 'share' | 'hours/week' | 'hours/month' | 'years' | 'grade' | 'days' | 'months';
const NUMBER_UNITS: readonly string[] = ['fen/month', 'fen/day', 'fen/hour', 'share', 'hours/week', 'hours/month', 'years', 'grade', 'days', 'months'];
const MONEY_UNITS: readonly string[] = ['fen/month', 'fen/day', 'fen/hour'];
const isMoney = (unit: string) => MONEY_UNITS.includes(unit);

export type Editor =
  | { kind: 'number'; unit: NumberUnit }
  | { kind: 'table'; unit: NumberUnit; keys: string[] }
  | { kind: 'flag' }
  | { kind: 'choices'; options: readonly string[] };

/** Choice lists the form knows the options of, by parameter name. */
const CHOICE_OPTIONS: Record<string, readonly string[]> = {
  insuredTypes: INSURANCE_TYPES.filter((x) => x !== 'none'),
  economicStatuses: ECONOMIC_STATUSES.filter((x) => x !== 'none'),
};

const isNumberUnit = (u: string): u is NumberUnit => NUMBER_UNITS.includes(u);
const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The editor for a parameter, or null where the form cannot change it (regions, choices, tiers). */
export function editorOf(p: ParameterInForce): Editor | null {
  if (p.unit === 'flag' && typeof p.value === 'boolean') return { kind: 'flag' };
  if (p.unit === 'choice-list' && Array.isArray(p.value) && CHOICE_OPTIONS[p.name]) return { kind: 'choices', options: CHOICE_OPTIONS[p.name]! };
  if (!isNumberUnit(p.unit)) return null;
  if (typeof p.value === 'number') return { kind: 'number', unit: p.unit };
  if (isTable(p.value) && Object.values(p.value).every((v) => typeof v === 'number')) return { kind: 'table', unit: p.unit, keys: Object.keys(p.value) };
  return null;
}

/** Fen to yuan: whole yuan without decimals, otherwise two. */
export function yuanOf(fen: number): string {
  const yuan = fen / 100;
  return Number.isInteger(yuan) ? String(yuan) : yuan.toFixed(2);
}

/** A number of the parameter's unit as the officer enters it (yuan, per cent, hours…). */
export function inputOf(value: number, unit: NumberUnit): string {
  if (isMoney(unit)) return yuanOf(value);
  if (unit === 'share') return String(Math.round(value * 10000) / 100);
  return String(value);
}

const MONEY_RE = /^\d+(\.\d{1,2})?$/;
const DECIMAL_RE = /^\d+(\.\d+)?$/;
const INTEGER_RE = /^\d+$/;
const MAX_YEARS = 150;
const MAX_GRADE = 6;
const PERCENT = 100;

/** The entered text as the value the server takes, or the key of the error to show. */
export function parseInput(raw: string, unit: NumberUnit): { value: number } | { error: SimKey } {
  const s = raw.trim().replace(/[,，\s]/g, '').replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  switch (unit) {
    case 'fen/month':
    case 'fen/day':
    case 'fen/hour':
      return MONEY_RE.test(s) ? { value: Math.round(Number(s) * PERCENT) } : { error: 'sim.form.money.invalid' };
    case 'share': {
      const n = Number(s);
      return DECIMAL_RE.test(s) && n <= PERCENT ? { value: Number((n / PERCENT).toFixed(6)) } : { error: 'sim.form.share.invalid' };
    }
    case 'hours/week':
    case 'hours/month':
      return DECIMAL_RE.test(s) ? { value: Number(s) } : { error: 'sim.form.hours.invalid' };
    case 'days':
    case 'months':
      return INTEGER_RE.test(s) ? { value: Number(s) } : { error: 'sim.form.count.invalid' };
    case 'years':
      return INTEGER_RE.test(s) && Number(s) <= MAX_YEARS ? { value: Number(s) } : { error: 'sim.form.years.invalid' };
    case 'grade':
      return INTEGER_RE.test(s) && Number(s) <= MAX_GRADE ? { value: Number(s) } : { error: 'sim.form.grade.invalid' };
  }
}

export function unitText(lang: Lang, unit: string): string {
  return simTextDynamic(lang, `sim.unit.${unit}`) ?? unit;
}

function choiceText(lang: Lang, v: string): string {
  return translateDynamic(lang, `insurance.${v}`) ?? translateDynamic(lang, `economic.${v}`) ?? v;
}

/** A table key in words: an age band ("70-79", "100+"), a grade ("3"), or grade:status ("1:dibao"). */
export function keyText(lang: Lang, key: string): string {
  return key
    .split(':')
    .map((part) => {
      if (/^\d+$/.test(part) && Number(part) <= MAX_GRADE) return simText(lang, 'sim.key.grade', { n: part });
      if (/^\d+(-\d+|\+)$/.test(part)) return simText(lang, 'sim.key.ages', { band: part });
      return choiceText(lang, part);
    })
    .join('·');
}

/** One number of a unit in words ("每月 180 元", "90%", "每周 5 小时"). */
export function numberText(lang: Lang, value: number, unit: string): string {
  const n = isMoney(unit) ? yuanOf(value) : unit === 'share' ? String(Math.round(value * 10000) / 100) : String(value);
  return simTextDynamic(lang, `sim.value.${unit}`, { n }) ?? n;
}

/** Any parameter value in words, by its unit. */
export function valueText(lang: Lang, value: unknown, unit: string): string {
  if (typeof value === 'boolean') return simText(lang, value ? 'sim.form.flag.true' : 'sim.form.flag.false');
  if (typeof value === 'number') return numberText(lang, value, unit);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? choiceText(lang, v) : String(v))).join('、');
  if (isTable(value)) {
    return Object.entries(value)
      .map(([k, v]) => `${keyText(lang, k)} ${typeof v === 'number' ? numberText(lang, v, unit) : JSON.stringify(v)}`)
      .join('；');
  }
  if (typeof value === 'string') return choiceText(lang, value);
  return JSON.stringify(value);
}

/** The citation in one line: document, 文号, article. */
export function citationText(c: ParameterInForce['citation']): string {
  return [c.document, c.number, c.article].filter(Boolean).join(' ');
}
