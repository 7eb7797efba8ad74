// Reads the workflow's parameters (policy/assessment/workflow.json) and picks the value in force
// on a date. The only file that reads that policy file; the rules are in workflow.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { LocalDate } from '../core/dates.ts';
import type { WorkflowParams } from './workflow.ts';

export const WORKFLOW_POLICY_FILE = fileURLToPath(new URL('../../policy/assessment/workflow.json', import.meta.url));

const dated = z.strictObject({ value: z.number().int().positive(), reference: z.string().min(1), confidence: z.enum(['high', 'medium', 'low']), note: z.string().optional() });
const param = z.strictObject({ description: z.string().min(1), unit: z.string().min(1), values: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), dated) });
const fileSchema = z.strictObject({
  description: z.string(),
  lastCheckedOn: z.string(),
  /** The instrument new assessments are scored with: the version in force on the visit date (its files' effectiveFrom / effectiveTo), fixed by the first answers. */
  instrument: z.string().min(1),
  parameters: z.strictObject({
    validityYears: param, minAge: param, daysToVisit: param, daysToResult: param, appealWindowDays: param, expiringSoonDays: param,
  }),
});
export type WorkflowPolicy = z.infer<typeof fileSchema>;

let cached: WorkflowPolicy | null = null;

/** The policy file, checked (shape, at least one dated value per parameter). */
export function loadWorkflowPolicy(file: string = WORKFLOW_POLICY_FILE): WorkflowPolicy {
  if (file === WORKFLOW_POLICY_FILE && cached) return cached;
  const policy = fileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  for (const [name, p] of Object.entries(policy.parameters)) {
    if (Object.keys(p.values).length === 0) throw new Error(`${file}: parameter ${name} has no value`);
  }
  if (file === WORKFLOW_POLICY_FILE) cached = policy;
  return policy;
}

/** The parameters in force on `asOf`: for each, the latest value dated on or before it. A date before the first value is an error, never a silent default. */
export function workflowParams(asOf: LocalDate, policy: WorkflowPolicy = loadWorkflowPolicy()): WorkflowParams {
  const pick = (name: keyof WorkflowPolicy['parameters']): number => {
    const dates = Object.keys(policy.parameters[name].values).filter((d) => d <= asOf).sort();
    const last = dates[dates.length - 1];
    if (last === undefined) throw new Error(`workflow parameter ${name} has no value on ${asOf}`);
    return policy.parameters[name].values[last]!.value;
  };
  return {
    validityYears: pick('validityYears'), minAge: pick('minAge'), daysToVisit: pick('daysToVisit'), daysToResult: pick('daysToResult'),
    appealWindowDays: pick('appealWindowDays'), expiringSoonDays: pick('expiringSoonDays'),
  };
}
