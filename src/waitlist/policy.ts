// The waiting list's policy file (policy/waitlist/waitlist.json), read once and checked: the only
// file I/O of the module.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkWaitlistParameters, rulesOn, type WaitlistParameter, type WaitlistRules } from './model.ts';

export const WAITLIST_POLICY_DIR = fileURLToPath(new URL('../../policy/waitlist/', import.meta.url));

export interface WaitlistPolicy {
  version: string;
  parameters: WaitlistParameter[];
  /** The rules in force on a day (ISO date). */
  on(asOf: string): WaitlistRules;
}

/** The problems of the waiting-list policy in a directory (empty when it is fine). */
export function checkWaitlistPolicy(dir = WAITLIST_POLICY_DIR): string[] {
  let raw: { version?: unknown; parameters?: unknown };
  try {
    raw = JSON.parse(readFileSync(join(dir, 'waitlist.json'), 'utf8')) as typeof raw;
  } catch (e) {
    return [`waitlist.json 无法读取：${(e as Error).message}`];
  }
  if (!Array.isArray(raw.parameters)) return ['waitlist.json：缺少 parameters 数组'];
  return checkWaitlistParameters(raw.parameters as WaitlistParameter[]);
}

/** Read and check the policy (no cache: tests pass their own directory). */
export function readWaitlistPolicy(dir = WAITLIST_POLICY_DIR): WaitlistPolicy {
  const problems = checkWaitlistPolicy(dir);
  if (problems.length) throw new Error(`policy/waitlist 有误：\n${problems.join('\n')}`);
  const raw = JSON.parse(readFileSync(join(dir, 'waitlist.json'), 'utf8')) as { version: string; parameters: WaitlistParameter[] };
  return { version: raw.version, parameters: raw.parameters, on: (asOf) => rulesOn(raw.parameters, asOf) };
}

let cached: WaitlistPolicy | null = null;
/** The deployment's waiting-list policy (memoised). */
export function waitlistPolicy(): WaitlistPolicy {
  cached ??= readWaitlistPolicy();
  return cached;
}
