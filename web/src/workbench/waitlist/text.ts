// Words of 床位轮候 in the workbench (Chinese only, like 服务供给): tab names, how a run was
// started, and the fairness check's result in a sentence.
import type { RunHead } from '../../portal/waitlist/api.ts';

export type Tab = '' | 'applications' | 'runs' | 'report' | 'simulate' | 'messages';

export const TAB_NAMES: Record<Tab, string> = { '': '概况', applications: '申请', runs: '分配', report: '报告', simulate: '规则模拟', messages: '消息记录' };

const TRIGGERS: Record<string, string> = { manual: '手动发起', vacancy: '床位空出时自动', schedule: '定时' };

export function runKind(r: Pick<RunHead, 'dryRun' | 'trigger'>): string {
  return `${r.dryRun ? '试算' : '正式分配'}（${TRIGGERS[r.trigger] ?? r.trigger}）`;
}

export function fairnessText(ok: boolean): string {
  return ok ? '公平性检查通过：没有排序在前的申请人被跳过' : '公平性检查没有通过：有排序在前的申请人被跳过，请联系系统管理员核查';
}
