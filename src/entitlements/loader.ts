// Reads policy/parameters/*.json (one scheme per file) and compiles them after checking them
// against what the rules need. The only file of the module that touches the file system for
// parameters; every decision is in parameters.ts and model.ts.

import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalJson } from '../core/index.ts';
import { REQUIRED_PARAMETERS } from './model.ts';
import { checkParameterFiles, compileParameters, type ParameterSet, type Problem } from './parameters.ts';

/** `<repo>/policy/parameters`. */
export const DEFAULT_PARAMETERS_DIR = fileURLToPath(new URL('../../policy/parameters', import.meta.url));
const JURISDICTIONS_DIR = fileURLToPath(new URL('../../policy/jurisdictions', import.meta.url));
const VERSION_HEX = 12;

export class ParameterDataError extends Error {
  constructor(readonly problems: Problem[]) {
    super(`政策参数有误（${problems.length} 处）：\n` + problems.map((p) => `  ${p.file} ${p.where}: ${p.message}`).join('\n'));
    this.name = 'ParameterDataError';
  }
}

export interface ParameterFileText {
  file: string;
  data: unknown;
}

/** Read every `*.json` of `dir`; a file that is not JSON is a problem, not an exception. */
export async function readParameterFiles(dir = DEFAULT_PARAMETERS_DIR): Promise<{ files: ParameterFileText[]; problems: Problem[] }> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  const files: ParameterFileText[] = [];
  const problems: Problem[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), 'utf8');
    try {
      files.push({ file: name, data: JSON.parse(text) });
    } catch (e) {
      problems.push({ file: name, where: '(文件)', message: `不是有效的 JSON：${(e as Error).message}` });
    }
  }
  return { files, problems };
}

/** `yiyang policy check`: every problem of the parameter files, none when they are sound. */
export async function checkParameters(dir = DEFAULT_PARAMETERS_DIR): Promise<{ files: number; problems: Problem[] }> {
  const { files, problems } = await readParameterFiles(dir);
  return { files: files.length + problems.length, problems: [...problems, ...checkParameterFiles(files, REQUIRED_PARAMETERS)] };
}

/** The version of a set of files: a hash of their canonical content. */
export const parameterVersion = (files: ParameterFileText[]): string =>
  createHash('sha256')
    .update(canonicalJson(files.map((f) => [f.file, f.data])))
    .digest('hex')
    .slice(0, VERSION_HEX);

let names: Map<string, string> | null = null;
/** Names of region codes (roots and all regions of every jurisdiction), for explanations. */
async function regionNames(): Promise<Map<string, string>> {
  if (names) return names;
  const out = new Map<string, string>();
  for (const e of await readdir(JURISDICTIONS_DIR, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    try {
      const data = JSON.parse(await readFile(join(JURISDICTIONS_DIR, e.name, 'regions.json'), 'utf8')) as { root: { code: string; name: string }; regions: [string, string, string][] };
      out.set(data.root.code, data.root.name);
      for (const [code, name] of data.regions) if (code.length === data.root.code.length) out.set(code, name);
    } catch {
      // A jurisdiction without regions.json names nothing; codes are shown as they are.
    }
  }
  names = out;
  return out;
}

const loaded = new Map<string, Promise<ParameterSet>>();

/** Load, check and compile the parameters (once per directory and process). Throws ParameterDataError listing every problem. */
export function loadParameters(dir = DEFAULT_PARAMETERS_DIR): Promise<ParameterSet> {
  let p = loaded.get(dir);
  if (!p) {
    p = loadParametersUncached(dir);
    p.catch(() => loaded.delete(dir));
    loaded.set(dir, p);
  }
  return p;
}

const snapshots = new Map<string, Promise<ParameterFileText[]>>();

/** The checked files behind `loadParameters(dir)` (what-if copies start from these). */
export function loadParameterFiles(dir = DEFAULT_PARAMETERS_DIR): Promise<ParameterFileText[]> {
  let p = snapshots.get(dir);
  if (!p) {
    p = loadParameters(dir).then(() => snapshots.get(dir)!);
  }
  return p;
}

async function loadParametersUncached(dir: string): Promise<ParameterSet> {
  const { files, problems } = await readParameterFiles(dir);
  snapshots.set(dir, Promise.resolve(files));
  const all = [...problems, ...checkParameterFiles(files, REQUIRED_PARAMETERS)];
  if (all.length > 0) throw new ParameterDataError(all);
  const n = await regionNames();
  return compileParameters(files, parameterVersion(files), (code) => n.get(code) ?? code);
}

/** Compile files given in memory (what-if copies, tests); throws ParameterDataError. */
export function compileParameterFiles(files: ParameterFileText[], scopeName?: (code: string) => string): ParameterSet {
  const problems = checkParameterFiles(files, REQUIRED_PARAMETERS);
  if (problems.length > 0) throw new ParameterDataError(problems);
  return compileParameters(files, parameterVersion(files), scopeName);
}

/** The root region code of a jurisdiction (policy/jurisdictions/<id>/jurisdiction.json). */
export async function jurisdictionRoot(id: string): Promise<string> {
  if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`"${id}" 不是辖区标识`);
  let text: string;
  try {
    text = await readFile(join(JURISDICTIONS_DIR, id, 'jurisdiction.json'), 'utf8');
  } catch {
    throw new Error(`没有名为 "${id}" 的辖区（policy/jurisdictions/${id}/jurisdiction.json）`);
  }
  return (JSON.parse(text) as { rootCode: string }).rootCode;
}
