// Reads assessment instruments from policy/instruments/ and checks them. The only file of the
// module that touches the file system for instruments; every decision is in model.ts.
//
// Files: `<id>.json` holds the current version of an instrument; when a new version is published,
// the old file is kept as `<id>@<version>.json`, so a result can always be re-scored with the
// version it names (issue 4 §1: "re-scoring an old result with its own version gives the same
// answer forever"). Which version applies on a date is the data's own `effectiveFrom` /
// `effectiveTo` (`loadInstrumentOn`, decided by `versionInForce` in model.ts), never a date in code.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError } from '../core/index.ts';
import {
  checkVersionPeriods, compileInstrument, InstrumentDataError, periodOf, versionInForce, type Instrument, type InstrumentData, type InstrumentRef,
} from './model.ts';

/** `<repo>/policy/instruments`. */
export const DEFAULT_INSTRUMENTS_DIR = fileURLToPath(new URL('../../policy/instruments', import.meta.url));

const ID = /^[a-z0-9][a-z0-9.-]*$/;
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.-]*$/;
const SPEC = /^([a-z0-9][a-z0-9.-]*)(?:@([0-9A-Za-z][0-9A-Za-z.-]*))?$/;
const FILE = /^([a-z0-9][a-z0-9.-]*?)(?:@([0-9A-Za-z][0-9A-Za-z.-]*))?\.json$/;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const cited = {
  reference: z.string().min(1),
  confidence: z.enum(['high', 'medium', 'low']),
  note: z.string().min(1).optional(),
};
const paramRef = z.strictObject({ param: z.string().min(1) });
const valued = <T extends z.ZodType>(t: T) => z.union([t, paramRef]);
const paramValue = z.union([z.string(), z.number(), z.boolean()]);
const count = z.number().int().nonnegative();

const inputSchema = z.discriminatedUnion('type', [
  z.strictObject({ name: z.string().min(1), label: z.string().min(1), type: z.literal('flag'), ...cited }),
  z.strictObject({ name: z.string().min(1), label: z.string().min(1), type: z.literal('codes'), codeSystem: z.literal('ICD-10'), ...cited }),
  z.strictObject({
    name: z.string().min(1),
    label: z.string().min(1),
    type: z.literal('eventCount'),
    eventTypes: z.array(z.strictObject({ code: z.string().min(1), name: z.string().min(1) })).min(1),
    counting: valued(z.enum(['sum', 'maxPerType'])),
    ...cited,
  }),
]);

const conditionSchema = z.discriminatedUnion('test', [
  z.strictObject({ test: z.literal('flag'), input: z.string().min(1) }),
  z.strictObject({
    test: z.literal('codeInRanges'),
    input: z.string().min(1),
    ranges: z.array(z.strictObject({ from: z.string(), to: z.string(), label: z.string().min(1).optional() })),
  }),
  z.strictObject({ test: z.literal('atLeast'), input: z.string().min(1), value: valued(count) }),
]);

const instrumentSchema = z.strictObject({
  id: z.string().regex(ID),
  version: z.string().regex(VERSION),
  name: z.string().min(1),
  nameEn: z.string().min(1).optional(),
  standard: z.string().min(1).optional(),
  effectiveFrom: date,
  effectiveTo: date.optional(),
  lastCheckedOn: date,
  ...cited,
  parameters: z.record(
    z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
    z.strictObject({ description: z.string().min(1), value: paramValue, allowed: z.array(paramValue).min(1).optional(), ...cited }),
  ),
  raiseStacking: valued(z.enum(['single', 'cumulative'])),
  dimensions: z.array(z.strictObject({ code: z.string().min(1), name: z.string().min(1), annex: z.string().min(1).optional(), max: count, ...cited })).min(1),
  maxTotal: z.strictObject({ value: count, ...cited }),
  items: z.array(
    z.strictObject({
      key: z.string().min(1),
      code: z.string().min(1),
      annex: z.string().min(1),
      dimension: z.string().min(1),
      name: z.string().min(1),
      definition: z.string().min(1).optional(),
      options: z.array(z.strictObject({ score: count, label: z.string().min(1) })),
      ...cited,
    }),
  ),
  levels: z.array(
    z.strictObject({
      level: count,
      code: z.string().min(1),
      name: z.string().min(1),
      standardName: z.string().min(1).optional(),
      minTotal: count,
      maxTotal: count,
      ...cited,
    }),
  ),
  inputs: z.array(inputSchema),
  adjustments: z.array(
    z.strictObject({
      code: z.string().min(1),
      clause: z.string().min(1).optional(),
      when: conditionSchema,
      effect: z.union([z.strictObject({ setLevel: valued(count) }), z.strictObject({ raise: valued(count) })]),
      reason: z.string().min(1),
      ...cited,
    }),
  ),
});

/** Check parsed instrument JSON (shape, then the invariants of model.ts) and compile it. */
export function instrumentFromJson(json: unknown, label: string): Instrument {
  const parsed = instrumentSchema.safeParse(json);
  if (!parsed.success) {
    throw new InstrumentDataError(
      label,
      parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message })),
    );
  }
  return compileInstrument(parsed.data as InstrumentData);
}

/** `gbt42195-2022` or `gbt42195-2022@1.0.0` → id and optional version. */
export function parseInstrumentSpec(spec: string): { id: string; version: string | null } {
  const m = SPEC.exec(spec.trim());
  if (!m) throw new AppError('VALIDATION_FAILED', `评估量表 "${spec}" 的写法有误，应为 <id> 或 <id>@<version>`);
  return { id: m[1]!, version: m[2] ?? null };
}

async function readJson(file: string): Promise<unknown | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InstrumentDataError(file, [{ path: '(file)', message: `not JSON: ${(e as Error).message}` }]);
  }
}

async function loadFile(dir: string, name: string, expect: { id: string; version: string | null }): Promise<Instrument | undefined> {
  const json = await readJson(join(dir, name));
  if (json === undefined) return undefined;
  const instrument = instrumentFromJson(json, name);
  const { id, version } = instrument.ref;
  if (id !== expect.id) throw new InstrumentDataError(name, [{ path: 'id', message: `file ${name} holds instrument ${id}` }]);
  if (expect.version !== null && name.includes('@') && version !== expect.version) {
    throw new InstrumentDataError(name, [{ path: 'version', message: `file ${name} holds version ${version}` }]);
  }
  return instrument;
}

/**
 * Load an instrument by `id` (its current version) or `id@version` (that version, current or
 * archived). Unknown id or version → AppError NOT_FOUND; broken data → InstrumentDataError.
 */
export async function loadInstrument(spec: string, dir: string = DEFAULT_INSTRUMENTS_DIR): Promise<Instrument> {
  const want = parseInstrumentSpec(spec);
  const current = await loadFile(dir, `${want.id}.json`, want);
  if (current && (want.version === null || current.ref.version === want.version)) return current;
  if (want.version !== null) {
    const archived = await loadFile(dir, `${want.id}@${want.version}.json`, want);
    if (archived) return archived;
    if (current || (await listInstrumentVersions(dir)).some((r) => r.id === want.id)) {
      throw new AppError('NOT_FOUND', `评估量表 ${want.id} 没有版本 ${want.version}`);
    }
  }
  throw new AppError('NOT_FOUND', `评估量表 ${want.id} 不存在`);
}

/** Every instrument version on file (current and archived), as named by the file names. */
export async function listInstrumentVersions(dir: string = DEFAULT_INSTRUMENTS_DIR): Promise<InstrumentRef[]> {
  const out: InstrumentRef[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const m = FILE.exec(name);
    if (!m) continue;
    const instrument = await loadFile(dir, name, { id: m[1]!, version: m[2] ?? null });
    if (instrument) out.push(instrument.ref);
  }
  return out;
}

/** Every version on file of one instrument (current and archived), checked as a sequence of periods (`checkVersionPeriods`). */
export async function loadInstrumentVersions(id: string, dir: string = DEFAULT_INSTRUMENTS_DIR): Promise<Instrument[]> {
  if (!ID.test(id)) throw new AppError('VALIDATION_FAILED', `评估量表编号 "${id}" 的写法有误`);
  const out: Instrument[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const m = FILE.exec(name);
    if (!m || m[1] !== id) continue;
    const instrument = await loadFile(dir, name, { id, version: m[2] ?? null });
    if (instrument) out.push(instrument);
  }
  const issues = checkVersionPeriods(out.map((i) => periodOf(i.data)));
  if (issues.length > 0) throw new InstrumentDataError(`${id} (versions)`, issues);
  return out;
}

/**
 * The version of instrument `id` in force on `asOf` (YYYY-MM-DD), by the versions'
 * `effectiveFrom` / `effectiveTo`. Unknown id, or no version in force that day → AppError
 * NOT_FOUND with a Chinese message.
 */
export async function loadInstrumentOn(id: string, asOf: string, dir: string = DEFAULT_INSTRUMENTS_DIR): Promise<Instrument> {
  return instrumentOn(await loadInstrumentVersions(id, dir), id, asOf);
}

/** Pick, among loaded versions, the one in force on `asOf`. */
export function instrumentOn(versions: readonly Instrument[], id: string, asOf: string): Instrument {
  if (versions.length === 0) throw new AppError('NOT_FOUND', `评估量表 ${id} 不存在`);
  const r = versionInForce(versions.map((v) => periodOf(v.data)), asOf);
  if (!r.ok) throw new AppError('NOT_FOUND', r.error.message);
  return versions.find((v) => v.ref.version === r.value.ref.version)!;
}
