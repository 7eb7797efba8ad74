// The supply module's policy files (policy/supply/): the catalogue, the planning targets and the
// registry/portal parameters, read once and checked. The only file I/O of the module besides the
// jurisdiction's district outlines.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCatalogue, type Catalogue, type PlanningIndicator, type PlanningTarget } from './model.ts';

export const SUPPLY_POLICY_DIR = fileURLToPath(new URL('../../policy/supply/', import.meta.url));
const JURISDICTIONS_DIR = fileURLToPath(new URL('../../policy/jurisdictions/', import.meta.url));

export interface SupplyParameter { name: string; label: string; unit: string; value: number; from: string; to: string | null; source: string; confidence: string }
export interface SupplyPolicy {
  catalogue: Catalogue;
  indicators: PlanningIndicator[];
  targets: PlanningTarget[];
  parameters: SupplyParameter[];
  tileUrl: string | null;
  /** A parameter's value on a date (ISO day); throws when none is in force — a policy file error. */
  param(name: string, asOf: string): number;
}

const read = <T>(dir: string, f: string): T => JSON.parse(readFileSync(join(dir, f), 'utf8')) as T;

/** The problems of the supply policy files in a directory (empty when they are fine). */
export function checkSupplyPolicy(dir = SUPPLY_POLICY_DIR): string[] {
  try {
    readSupplyPolicy(dir);
    return [];
  } catch (e) {
    return (e as Error).message.split('\n').slice(1).filter(Boolean).concat((e as Error).message.includes('\n') ? [] : [(e as Error).message]);
  }
}

/** Read and check the policy files (no cache: tests pass their own directory). */
export function readSupplyPolicy(dir = SUPPLY_POLICY_DIR): SupplyPolicy {
  const catalogue = read<Catalogue>(dir, 'catalogue.json');
  const problems = checkCatalogue(catalogue);
  const planning = read<{ indicators: PlanningIndicator[]; targets: PlanningTarget[] }>(dir, 'planning.json');
  const codes = new Set(planning.indicators.map((i) => i.code));
  for (const t of planning.targets) {
    if (!codes.has(t.code)) problems.push(`planning target for unknown indicator ${t.code}`);
    if (!t.citation?.document || !t.citation.article) problems.push(`planning target ${t.code} ${t.scope} ${t.from}: citation missing`);
    if (t.to !== null && t.to < t.from) problems.push(`planning target ${t.code} ${t.scope}: ends before it starts`);
  }
  const supply = read<{ parameters: SupplyParameter[]; tileUrl: string | null }>(dir, 'supply.json');
  for (const p of supply.parameters) if (!p.source || !p.from) problems.push(`parameter ${p.name}: source or start date missing`);
  if (problems.length) throw new Error(`policy/supply 有误：\n${problems.join('\n')}`);
  return {
    catalogue, indicators: planning.indicators, targets: planning.targets, parameters: supply.parameters, tileUrl: supply.tileUrl,
    param(name, asOf) {
      const p = supply.parameters.find((x) => x.name === name && x.from <= asOf && (x.to === null || x.to >= asOf));
      if (!p) throw new Error(`policy/supply/supply.json: no value of ${name} in force on ${asOf}`);
      return p.value;
    },
  };
}

let cached: SupplyPolicy | null = null;
/** The deployment's supply policy (memoised). */
export function supplyPolicy(): SupplyPolicy {
  cached ??= readSupplyPolicy();
  return cached;
}

export interface Outline { type: 'Feature'; properties: { code: string; name: string }; geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: number[][][] | number[][][][] } }

/** The jurisdiction's district outlines (GeoJSON), or an empty collection when it has none. */
export function districtOutlines(jurisdiction: string): { type: 'FeatureCollection'; features: Outline[] } {
  const f = join(JURISDICTIONS_DIR, jurisdiction, 'district-outlines.geojson');
  if (!existsSync(f)) return { type: 'FeatureCollection', features: [] };
  return JSON.parse(readFileSync(f, 'utf8')) as { type: 'FeatureCollection'; features: Outline[] };
}
