// Reads one jurisdiction's region data from policy/jurisdictions/<id>/ and checks it.
// The only file of the module that does I/O; everything it decides is in model.ts.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  buildRegionTree,
  checkJurisdiction,
  RegionDataError,
  type Jurisdiction,
  type RegionDataIssue,
  type RegionsData,
  type RegionTree,
  type RetiredCodesData,
} from './model.ts';

/** `<repo>/policy`. */
export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('../../policy', import.meta.url));

const JURISDICTION_ID = /^[a-z][a-z0-9-]*$/;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const confidence = z.enum(['high', 'medium', 'low']);
const latLon = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });
const codeName = z.object({ code: z.string(), name: z.string().min(1) });

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const jurisdictionSchema = z.object({
  id: z.string().regex(JURISDICTION_ID),
  rootCode: z.string(),
  name: z.string().min(1),
  nameEn: z.string().min(1),
  timezone: z.string().refine(isTimeZone, 'not an IANA time zone'),
  center: latLon,
  lastCheckedOn: date.optional(),
  districtAreas: z
    .object({
      purpose: z.string().optional(),
      confidence,
      reference: z.string().min(1),
      areas: z.array(
        z.object({
          code: z.string(),
          name: z.string().min(1),
          nameEn: z.string().optional(),
          center: latLon,
          radiusKm: z.number().positive(),
        }),
      ),
    })
    .optional(),
});

const regionsSchema = z.object({
  root: codeName,
  ancestors: z.array(codeName).optional(),
  source: z.unknown().optional(),
  generatedAt: z.string().optional(),
  regions: z.array(z.tuple([z.string(), z.string(), z.string()])),
});

const retiredSchema = z.object({
  description: z.string().optional(),
  lastCheckedOn: date.optional(),
  codes: z.array(
    z.object({
      code: z.string(),
      name: z.string().min(1),
      validFrom: date.optional(),
      validTo: date,
      successor: z.string(),
      reference: z.string().min(1),
      confidence,
      note: z.string().optional(),
    }),
  ),
  aggregateCodes: z
    .array(
      z.object({
        code: z.string(),
        name: z.string().min(1),
        mapsTo: z.string(),
        reference: z.string().min(1),
        confidence,
        note: z.string().optional(),
      }),
    )
    .optional(),
});

export interface LoadedJurisdiction {
  jurisdiction: Jurisdiction;
  tree: RegionTree;
}

async function readJson<T>(
  file: string,
  label: string,
  schema: z.ZodType<T>,
  ifMissing?: T,
): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (ifMissing !== undefined && (e as NodeJS.ErrnoException).code === 'ENOENT') return ifMissing;
    throw new RegionDataError(label, [{ path: label, message: `cannot read: ${(e as Error).message}` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RegionDataError(label, [{ path: label, message: `not valid JSON: ${(e as Error).message}` }]);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new RegionDataError(
      label,
      parsed.error.issues.map((i) => ({ path: `${label}:${i.path.join('.')}`, message: i.message })),
    );
  }
  return parsed.data;
}

const prefixed = (label: string, issues: RegionDataIssue[]): RegionDataIssue[] =>
  issues.map((i) => ({ path: `${label}:${i.path}`, message: i.message }));

/**
 * Loads `policy/jurisdictions/<id>/{jurisdiction,regions,retired-codes}.json` (the last one is
 * optional) and builds its region tree. Throws `RegionDataError` naming the file and entry of
 * every problem: malformed JSON or fields, duplicate codes, unknown parents, successor cycles,
 * a jurisdiction.json that disagrees with its regions.
 */
export async function loadJurisdiction(id: string, policyDir = DEFAULT_POLICY_DIR): Promise<LoadedJurisdiction> {
  if (!JURISDICTION_ID.test(id)) {
    throw new RegionDataError(id, [{ path: 'id', message: `"${id}" is not a jurisdiction id (a-z, 0-9, -)` }]);
  }
  const dir = join(policyDir, 'jurisdictions', id);
  const label = (file: string): string => `jurisdictions/${id}/${file}`;
  const jurisdiction: Jurisdiction = await readJson(
    join(dir, 'jurisdiction.json'),
    label('jurisdiction.json'),
    jurisdictionSchema,
  );
  const regions: RegionsData = await readJson(join(dir, 'regions.json'), label('regions.json'), regionsSchema);
  const retired: RetiredCodesData = await readJson(
    join(dir, 'retired-codes.json'),
    label('retired-codes.json'),
    retiredSchema,
    { codes: [] },
  );

  let tree: RegionTree;
  try {
    tree = buildRegionTree(regions, retired, id);
  } catch (e) {
    if (!(e instanceof RegionDataError)) throw e;
    // checkRegionData's paths name entries of either file; say which.
    const issues = e.issues.map((i) => ({
      path: `${/^(codes|aggregateCodes)\[/.test(i.path) ? label('retired-codes.json') : label('regions.json')}:${i.path}`,
      message: i.message,
    }));
    throw new RegionDataError(id, issues);
  }

  const issues = prefixed(label('jurisdiction.json'), checkJurisdiction(jurisdiction, tree));
  if (jurisdiction.id !== id) {
    issues.unshift({ path: `${label('jurisdiction.json')}:id`, message: `id "${jurisdiction.id}" differs from its folder "${id}"` });
  }
  if (issues.length > 0) throw new RegionDataError(id, issues);
  return { jurisdiction, tree };
}

/** Ids of the jurisdictions under `policy/jurisdictions/` (folders with a jurisdiction.json). */
export async function listJurisdictions(policyDir = DEFAULT_POLICY_DIR): Promise<string[]> {
  const root = join(policyDir, 'jurisdictions');
  const entries = await readdir(root, { withFileTypes: true });
  const ids: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || !JURISDICTION_ID.test(e.name)) continue;
    const files = await readdir(join(root, e.name));
    if (files.includes('jurisdiction.json')) ids.push(e.name);
  }
  return ids.sort();
}
