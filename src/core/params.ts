// Dated policy parameters (ARCHITECTURE "Data": every policy number lives in policy/ with its
// effective dates and source). A parameter file is a list of rows
// `{name, label, unit, value, from, to, source, confidence, note?}`; several rows of one name
// must not overlap in time. Pure: the files are read by each module's policy.ts.
import { isValidLocalDate } from './dates.ts';

export type Confidence = 'high' | 'medium' | 'low';

export interface DatedParameter<V = unknown> {
  name: string;
  label: string;
  unit: string;
  value: V;
  from: string;
  to: string | null;
  source: string;
  confidence: Confidence;
  note?: string;
}

const CONFIDENCES: readonly string[] = ['high', 'medium', 'low'];

/**
 * The problems of a parameter list (Chinese, one line each; empty when fine): rows without a
 * label, unit, source or valid dates, unknown names, values a validator refuses (false, or what
 * the value should be), overlapping rows of one name, and required names with no row at all.
 */
export function checkDatedParameters(rows: readonly DatedParameter[], validators: Readonly<Record<string, (v: unknown) => boolean | string>>): string[] {
  const problems: string[] = [];
  const byName = new Map<string, DatedParameter[]>();
  for (const p of rows) {
    const name = typeof p?.name === 'string' ? p.name : '?';
    if (!p || typeof p.label !== 'string' || !p.label || typeof p.unit !== 'string' || !p.unit || typeof p.source !== 'string' || !p.source) problems.push(`参数 ${name}：缺少名称说明、单位或来源`);
    if (!isValidLocalDate(p?.from)) problems.push(`参数 ${name}：起始日期无效`);
    if (p?.to !== null && (!isValidLocalDate(p?.to) || p.to < p.from)) problems.push(`参数 ${name}：截止日期无效`);
    if (!CONFIDENCES.includes(p?.confidence)) problems.push(`参数 ${name}：可信度应为 high、medium 或 low`);
    const check = validators[name];
    const verdict = check ? check(p.value) : false;
    if (!check) problems.push(`未知参数 ${name}`);
    else if (verdict === false) problems.push(`参数 ${name}：取值 ${JSON.stringify(p.value)} 无效`);
    else if (typeof verdict === 'string') problems.push(`参数 ${name}：${verdict}`);
    const list = byName.get(name) ?? [];
    list.push(p);
    byName.set(name, list);
  }
  for (const [name, list] of byName) {
    const sorted = [...list].sort((a, b) => (a.from < b.from ? -1 : 1));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      if (prev.to === null || prev.to >= sorted[i]!.from) problems.push(`参数 ${name}：${prev.from} 起与 ${sorted[i]!.from} 起的两行时间重叠`);
    }
  }
  for (const name of Object.keys(validators)) if (!byName.has(name)) problems.push(`缺少参数 ${name}`);
  return problems;
}

/** The row of a parameter in force on a local date, or null. */
export function parameterRowOn<V>(rows: readonly DatedParameter[], name: string, asOf: string): DatedParameter<V> | null {
  return (rows.find((p) => p.name === name && p.from <= asOf && (p.to === null || p.to >= asOf)) as DatedParameter<V> | undefined) ?? null;
}

/** The value of a parameter in force on a local date; throws when there is none (a policy file error). */
export function parameterOn<V>(rows: readonly DatedParameter[], name: string, asOf: string): V {
  const row = parameterRowOn<V>(rows, name, asOf);
  if (!row) throw new Error(`参数 ${name} 在 ${asOf} 没有生效的取值`);
  return row.value;
}
