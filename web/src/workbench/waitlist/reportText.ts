// Words of 报告 and 规则模拟 (Chinese only, like the rest of 床位轮候 in the workbench): figures
// and days as text, differences in words (多 3 人 / 少 12 天 — never colour alone), the offers'
// outcomes in a sentence, the fairness line, and the rule presets of the simulation with the
// order they give in words.
import type { OfferOutcome, PointsRule, PriorityKey, SimulationBody, WaitlistReport } from './reportApi.ts';
import { PRIORITY_KEY_TEXT } from '../../../../src/waitlist/model.ts';

const NUM = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 1 });

/** A count or a number of days (one decimal at most); null is 无数据 (the table shows a dash). */
export function figure(n: number | null | undefined): string | null {
  return n === null || n === undefined || !Number.isFinite(n) ? null : NUM.format(n);
}

/** A difference in words: 多 3 人, 少 12 天, 不变; null when either side has no data. */
export function diffText(base: number | null, variant: number | null, unit: '人' | '天'): string | null {
  if (base === null || variant === null) return null;
  const d = Math.round((variant - base) * 10) / 10;
  if (d === 0) return '不变';
  return `${d > 0 ? '多' : '少'} ${NUM.format(Math.abs(d))} ${unit}`;
}

export function periodText(from: string, to: string, months: number): string {
  return `${from} 至 ${to}（近 ${months} 个月）`;
}

export function fairnessLine(f: WaitlistReport['fairness']): string {
  if (f.runs === 0) return '本期没有正式分配，因此没有公平性检查。';
  if (f.passed === f.runs) return `本期 ${f.runs} 次正式分配，全部通过公平性检查。`;
  return `本期 ${f.runs} 次正式分配，其中 ${f.runs - f.passed} 次没有通过公平性检查（${f.passed} 次通过），请联系系统管理员核查。`;
}

const OUTCOME_ORDER: [OfferOutcome, string][] = [
  ['accepted', '已接受（入住）'],
  ['declined', '已放弃'],
  ['expired', '逾期未答复'],
  ['cancelled', '已取消'],
  ['open', '待答复'],
];

/** What became of the period's offers, in one sentence. */
export function offersText(offers: WaitlistReport['offers']): string {
  const total = OUTCOME_ORDER.reduce((s, [k]) => s + (offers[k] ?? 0), 0);
  if (total === 0) return '本期没有发出入住通知。';
  const parts = OUTCOME_ORDER.filter(([k]) => (offers[k] ?? 0) > 0).map(([k, name]) => `${name} ${offers[k]} 份`);
  const decided = (offers.accepted ?? 0) + (offers.declined ?? 0) + (offers.expired ?? 0);
  const share = decided > 0 ? `已答复或逾期的 ${decided} 份中，接受 ${Math.round(((offers.accepted ?? 0) / decided) * 100)}%。` : '';
  return `本期发出入住通知 ${total} 份：${parts.join('，')}。${share}`;
}

/** Every month of the period, oldest first, with the admissions (0 where the server lists none). */
export function monthsOf(since: string, asOf: string, rows: { month: string; admissions: number }[]): { month: string; admissions: number }[] {
  const by = new Map(rows.map((r) => [r.month, r.admissions]));
  const out: { month: string; admissions: number }[] = [];
  let [y, m] = since.slice(0, 7).split('-').map(Number) as [number, number];
  const end = asOf.slice(0, 7);
  for (let i = 0; i < 240; i++) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    out.push({ month: key, admissions: by.get(key) ?? 0 });
    by.delete(key);
    if (key >= end) break;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  // A month outside the period (should not happen) is still shown rather than lost.
  for (const [month, admissions] of by) out.push({ month, admissions });
  return out.sort((a, b) => (a.month < b.month ? -1 : 1));
}

export function monthText(month: string): string {
  const [y, m] = month.split('-');
  return `${y} 年 ${Number(m)} 月`;
}

// ----- the simulation's rules

const KEY_TEXT = PRIORITY_KEY_TEXT;

const FACT_TEXT: Record<PointsRule['fact'], string> = { livingAlone: '独居', age80: '80 岁及以上', dementia: '认知障碍', grade: '照护等级' };

/** The order in words, one line per key; the server adds 申请编号 last when it is missing. */
export function orderLines(order: readonly PriorityKey[], points: readonly PointsRule[]): string[] {
  const full = order.includes('id') ? order : [...order, 'id' as const];
  const lines = full.map((k) => KEY_TEXT[k]);
  if (full.includes('points')) {
    if (points.length === 0) lines.push('积分：没有加分规则，积分均为 0');
    for (const p of points) lines.push(`积分：${p.label || FACT_TEXT[p.fact]} 加 ${NUM.format(p.points)} 分`);
  }
  return lines;
}

export type PresetKey = 'current' | 'livingAlone' | 'noLocal' | 'appliedAt';

export interface Preset {
  key: PresetKey;
  label: string;
  /** The order sent (null: the rule in force); 'id' is appended by the server. */
  order: PriorityKey[] | null;
  usesPoints: boolean;
}

export const PRESETS: Preset[] = [
  { key: 'current', label: '现行规则', order: null, usesPoints: false },
  { key: 'livingAlone', label: '独居老人加分（积分排在就近之前）', order: ['tier', 'points', 'local', 'appliedAt'], usesPoints: true },
  { key: 'noLocal', label: '不区分本区外区', order: ['tier', 'appliedAt'], usesPoints: false },
  { key: 'appliedAt', label: '只按申请时间', order: ['appliedAt'], usesPoints: false },
];

export const LIVING_ALONE_LABEL = '独居';

/** The request for a preset (and the 独居 points where it uses them), without the new facility. */
export function presetBody(key: PresetKey, livingAlonePoints: number): SimulationBody {
  const p = PRESETS.find((x) => x.key === key) ?? PRESETS[0]!;
  if (!p.order) return {};
  return {
    order: [...p.order],
    points: p.usesPoints ? [{ fact: 'livingAlone', equals: true, points: livingAlonePoints, label: LIVING_ALONE_LABEL }] : [],
  };
}
