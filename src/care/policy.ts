// The care module's policy files (policy/care/care.json: the LTCI item list, plans, orders, codes
// and scheduling; policy/care/anomaly.json: the visit checks and review samples), read once and
// checked: the only file I/O of the module besides its store.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { checkDatedParameters, parameterOn, type DatedParameter } from '../core/params.ts';
import { checkAnomalyParameters, type AnomalyParameterRow } from './anomaly.ts';

export const CARE_POLICY_DIR = fileURLToPath(new URL('../../policy/care/', import.meta.url));

export const SERVICE_KINDS = ['care', 'nursing'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

export interface LtciItem {
  code: string;
  name: string;
  kind: ServiceKind;
}

const positive = z.number().positive();
const count = z.number().int().min(1);
const CARE_PARAMS = {
  ltciItems: z.array(z.strictObject({ code: z.string().regex(/^[A-Z]\d{2}$/), name: z.string().min(1), kind: z.enum(SERVICE_KINDS) })).min(1),
  visitMinutes: count,
  planHorizonDays: count,
  orderExtensionHours: count,
  maxClockSkewMinutes: z.number().int().min(0),
  homeTagPeriodDays: count,
  elderCodeSeconds: count,
  travelKmh: positive,
  travelBufferMinutes: z.number().min(0),
  continuityBonusMinutes: z.number().min(0),
  maxDailyMinutes: count,
  scheduleWindowMinutes: z.number().int().min(0),
  scheduleImprovementPasses: z.number().int().min(0),
} satisfies Record<string, z.ZodType>;

export type CareRules = { [K in keyof typeof CARE_PARAMS]: z.infer<(typeof CARE_PARAMS)[K]> };

const validators = (schemas: Record<string, z.ZodType>) => Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, (v: unknown) => s.safeParse(v).success]));

interface PolicyFile {
  version: string;
  parameters: DatedParameter[];
}

function readFile(dir: string, file: string): PolicyFile | string {
  try {
    const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Partial<PolicyFile>;
    if (!Array.isArray(raw.parameters)) return `${file}：缺少 parameters 数组`;
    return { version: String(raw.version ?? ''), parameters: raw.parameters };
  } catch (e) {
    return `${file} 无法读取：${(e as Error).message}`;
  }
}

/** The problems of the care policy in a directory (empty when it is fine). */
export function checkCarePolicy(dir = CARE_POLICY_DIR): string[] {
  const f = readFile(dir, 'care.json');
  if (typeof f === 'string') return [f];
  const problems = checkDatedParameters(f.parameters, validators(CARE_PARAMS)).map((p) => `care.json：${p}`);
  const items = f.parameters.filter((p) => p.name === 'ltciItems');
  for (const row of items) {
    const codes = (row.value as LtciItem[]).map((i) => i.code);
    if (new Set(codes).size !== codes.length) problems.push(`care.json：参数 ltciItems（${row.from} 起）项目编码重复`);
  }
  const a = readFile(dir, 'anomaly.json');
  if (typeof a === 'string') problems.push(a);
  else problems.push(...checkAnomalyParameters(a.parameters as AnomalyParameterRow[]).map((p) => `anomaly.json：${p}`));
  return problems;
}

export interface CarePolicy {
  version: string;
  parameters: DatedParameter[];
  /** The visit checks' and review samples' rows (policy/care/anomaly.json). */
  anomaly: AnomalyParameterRow[];
  /** The rules in force on a local date. */
  on(asOf: string): CareRules;
}

/** Read and check the policy (no cache: tests pass their own directory). */
export function readCarePolicy(dir = CARE_POLICY_DIR): CarePolicy {
  const problems = checkCarePolicy(dir);
  if (problems.length) throw new Error(`policy/care 有误：\n${problems.join('\n')}`);
  const f = readFile(dir, 'care.json') as PolicyFile;
  const names = Object.keys(CARE_PARAMS) as (keyof CareRules)[];
  return {
    version: f.version,
    parameters: f.parameters,
    anomaly: (readFile(dir, 'anomaly.json') as PolicyFile).parameters as AnomalyParameterRow[],
    on: (asOf) => Object.fromEntries(names.map((n) => [n, parameterOn(f.parameters, n, asOf)])) as CareRules,
  };
}

let cached: CarePolicy | null = null;
/** The deployment's care policy (memoised). */
export function carePolicy(): CarePolicy {
  cached ??= readCarePolicy();
  return cached;
}
