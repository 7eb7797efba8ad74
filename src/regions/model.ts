// Administrative regions of one jurisdiction as versioned data (GB/T 2260 county-level codes,
// 统计用区划代码 for streets/towns and committees). Pure: the data comes in as values, the
// tree answers questions about it. Nothing here knows which jurisdiction it is serving.
// Facts: shared/domain/identity-and-regions.md §2 (Shanghai), §3 (上虞).

import { AppError, type ErrorDetail } from '../core/errors.ts';
import { isRegionCode, normalizeRegionCode, regionLevel, scopePrefix, type RegionLevel } from '../core/regions.ts';

/**
 * Level of a region (core/regions.ts): `province` 省级 (a province or a municipality such as
 * 上海市), `city` 地级 (绍兴市), `county` 县级 (区/县/县级市; the unit rows carry as
 * `district_code`), `street` 乡级 (街道/镇/乡, 9 digits), `committee` 村级 (居委会/村委会, 12 digits).
 */
export type { RegionLevel };

/** Outermost first; the order `search` ranks by. */
export const REGION_LEVELS: readonly RegionLevel[] = ['province', 'city', 'county', 'street', 'committee'];

export interface Region {
  readonly code: string;
  readonly name: string;
  readonly parentCode: string | null;
  readonly level: RegionLevel;
  /** First day the code applies (`YYYY-MM-DD`), when known. */
  readonly validFrom: string | null;
  /** First day the code no longer applies (exclusive); `null` while the code is current. */
  readonly validTo: string | null;
  /** The code that took over a retired code (itself possibly retired: follow it). */
  readonly successorCode: string | null;
}

// ---- data shapes (the JSON files under policy/jurisdictions/<id>/) ----

export interface CodeName {
  code: string;
  name: string;
}

/** One current region: `[code, name, parentCode]`. */
export type RegionRow = readonly [code: string, name: string, parentCode: string];

/** `regions.json`, written by scripts/gen-regions.ts. */
export interface RegionsData {
  root: CodeName;
  /** Units above the root, outermost first (e.g. 浙江省, 绍兴市 above 上虞区). */
  ancestors?: CodeName[];
  source?: unknown;
  generatedAt?: string;
  regions: RegionRow[];
}

export type Confidence = 'high' | 'medium' | 'low';

export interface RetiredCode {
  code: string;
  name: string;
  validFrom?: string;
  validTo: string;
  successor: string;
  reference: string;
  confidence: Confidence;
  note?: string;
}

/** Aggregate codes (市辖区, 县) that name no single district: they map to a wider scope. */
export interface AggregateCode {
  code: string;
  name: string;
  mapsTo: string;
  reference: string;
  confidence: Confidence;
  note?: string;
}

/** `retired-codes.json`. */
export interface RetiredCodesData {
  description?: string;
  lastCheckedOn?: string;
  codes: RetiredCode[];
  aggregateCodes?: AggregateCode[];
}

export interface LatLon {
  lat: number;
  lon: number;
}

/** A circle inside a district, for placing synthetic addresses. Not a boundary. */
export interface DistrictArea {
  code: string;
  name: string;
  nameEn?: string;
  center: LatLon;
  radiusKm: number;
}

/** `jurisdiction.json`. */
export interface Jurisdiction {
  id: string;
  rootCode: string;
  name: string;
  nameEn: string;
  timezone: string;
  center: LatLon;
  lastCheckedOn?: string;
  districtAreas?: {
    purpose?: string;
    confidence: Confidence;
    reference: string;
    areas: DistrictArea[];
  };
}

// ---- errors ----

export type RegionDataIssue = ErrorDetail;

const ISSUES_IN_MESSAGE = 5;

/** Region data broke an invariant (duplicate code, unknown parent, successor cycle, …). */
export class RegionDataError extends AppError {
  readonly issues: readonly RegionDataIssue[];

  constructor(label: string, issues: readonly RegionDataIssue[]) {
    const shown = issues
      .slice(0, ISSUES_IN_MESSAGE)
      .map((i) => `${i.path}: ${i.message}`)
      .join('; ');
    const more = issues.length > ISSUES_IN_MESSAGE ? `; … ${issues.length - ISSUES_IN_MESSAGE} more` : '';
    super('INTERNAL', `Invalid region data (${label}): ${shown}${more}`, [...issues]);
    this.name = 'RegionDataError';
    this.issues = issues;
  }
}

// ---- codes ----

const CODE_PARTS = /^(\d{6})(?:(\d{3})(\d{3})?)?$/;
const DATE_SHAPE = /^\d{4}-\d{2}-\d{2}$/;

interface CodeParts {
  county: string;
  street: string | null;
  level: RegionLevel;
}

/** `null` unless `code` is a canonical 6/9/12-digit region code (core/regions.ts). */
function parseCode(code: string): CodeParts | null {
  const m = CODE_PARTS.exec(code);
  if (m === null || !isRegionCode(code)) return null;
  const county = m[1] as string;
  return { county, street: m[2] === undefined ? null : county + m[2], level: regionLevel(code) };
}

function liesWithin(code: string, container: string): boolean {
  return code !== container && isRegionCode(container) && code.startsWith(scopePrefix(container));
}

/** Codes that could contain `code`, nearest first (12 → 9 → 6 → city → province). */
function containerCandidates(code: string): string[] {
  const p = parseCode(code) as CodeParts; // callers pass checked codes
  const out: string[] = [];
  if (p.level === 'committee') out.push(p.street as string);
  if (p.level === 'committee' || p.level === 'street') out.push(p.county);
  const city = p.county.replace(/\d\d$/, '00');
  const province = p.county.replace(/\d{4}$/, '0000');
  for (const c of [city, province]) if (c !== code && !out.includes(c)) out.push(c);
  return out;
}

/** NBS zero-padded 12-digit codes to canonical form; `null` for anything that is not a code. */
function canonical(code: string): string | null {
  try {
    return normalizeRegionCode(code);
  } catch {
    return null;
  }
}

function isDate(s: string): boolean {
  if (!DATE_SHAPE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

// ---- validation ----

/**
 * Every broken invariant of a jurisdiction's region data, as `{ path, message }`:
 * malformed or duplicate codes, unknown parents, children outside their parent's code range,
 * parent cycles, successors that are unknown or form a cycle, aggregates that map nowhere.
 */
export function checkRegionData(data: RegionsData, retired: RetiredCodesData): RegionDataIssue[] {
  const issues: RegionDataIssue[] = [];
  const issue = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  const seen = new Map<string, string>();
  const claim = (code: string, path: string): boolean => {
    if (parseCode(code) === null) {
      issue(path, `malformed code "${code}" (expected a 6, 9 or 12-digit region code)`);
      return false;
    }
    const first = seen.get(code);
    if (first !== undefined) {
      issue(path, `duplicate code ${code} (already at ${first})`);
      return false;
    }
    seen.set(code, path);
    return true;
  };

  // Root and the units above it.
  const ancestors = data.ancestors ?? [];
  ancestors.forEach((a, i) => claim(a.code, `ancestors[${i}]`));
  claim(data.root.code, 'root');
  const chain = [...ancestors.map((a) => a.code), data.root.code];
  for (let i = 1; i < chain.length; i++) {
    const inner = chain[i] as string;
    const outer = chain[i - 1] as string;
    if (!liesWithin(inner, outer)) {
      const path = i === chain.length - 1 ? 'root' : `ancestors[${i}]`;
      issue(path, `${inner} does not lie within ${outer}`);
    }
  }

  // Current regions.
  const parentOf = new Map<string, string>();
  const rowOf = new Map<string, number>();
  data.regions.forEach((row, i) => {
    const [code, name, parent] = row;
    if (!claim(code, `regions[${i}]`)) return;
    if (name.trim() === '') issue(`regions[${i}]`, `${code} has no name`);
    parentOf.set(code, parent);
    rowOf.set(code, i);
  });
  data.regions.forEach((row, i) => {
    const [code, , parent] = row;
    if (rowOf.get(code) !== i) return; // a rejected duplicate
    if (parent !== data.root.code && !parentOf.has(parent)) {
      issue(`regions[${i}]`, `${code} has unknown parent ${parent}`);
    } else if (!liesWithin(code, parent)) {
      issue(`regions[${i}]`, `${code} does not lie within its parent ${parent}`);
    }
  });
  for (const start of parentOf.keys()) {
    const path = new Set<string>([start]);
    let at = parentOf.get(start);
    while (at !== undefined && at !== data.root.code) {
      if (path.has(at)) {
        issue(`regions[${rowOf.get(start)}]`, `parent cycle: ${[...path, at].join(' → ')}`);
        break;
      }
      path.add(at);
      at = parentOf.get(at);
    }
  }

  // Retired codes and their successors.
  const current = new Set<string>([...chain, ...parentOf.keys()]);
  const successorOf = new Map<string, string>();
  const retiredRowOf = new Map<string, number>();
  retired.codes.forEach((r, i) => {
    const path = `codes[${i}]`;
    if (!claim(r.code, path)) return;
    successorOf.set(r.code, r.successor);
    retiredRowOf.set(r.code, i);
    if (!isDate(r.validTo)) issue(path, `${r.code}: validTo "${r.validTo}" is not a YYYY-MM-DD date`);
    if (r.validFrom !== undefined) {
      if (!isDate(r.validFrom)) issue(path, `${r.code}: validFrom "${r.validFrom}" is not a YYYY-MM-DD date`);
      else if (r.validFrom >= r.validTo) issue(path, `${r.code}: validFrom ${r.validFrom} is not before validTo ${r.validTo}`);
    }
    if (!containerCandidates(r.code).some((c) => current.has(c))) {
      issue(path, `${r.code} lies outside the jurisdiction's tree (no known unit contains it)`);
    }
  });
  retired.codes.forEach((r, i) => {
    if (retiredRowOf.get(r.code) !== i) return; // a rejected duplicate
    if (!current.has(r.successor) && !successorOf.has(r.successor)) {
      issue(`codes[${i}]`, `${r.code} has unknown successor ${r.successor}`);
      return;
    }
    const path = [r.code];
    let at: string | undefined = r.successor;
    while (at !== undefined) {
      if (path.includes(at)) {
        issue(`codes[${i}]`, `successor cycle: ${[...path, at].join(' → ')}`);
        break;
      }
      path.push(at);
      at = successorOf.get(at);
    }
  });

  (retired.aggregateCodes ?? []).forEach((a, i) => {
    const path = `aggregateCodes[${i}]`;
    if (!claim(a.code, path)) return;
    if (!current.has(a.mapsTo)) issue(path, `${a.code} maps to ${a.mapsTo}, which is not a current region`);
  });

  return issues;
}

// ---- the tree ----

export type ResolveStep =
  /** The input is a known code (current or retired). */
  | { kind: 'matched'; code: string }
  /** An aggregate code (市辖区, 县) was mapped to the wider scope it stands for. */
  | { kind: 'aggregate'; from: string; to: string }
  /** A 9/12-digit code not in the data: its street or county part was used instead. */
  | { kind: 'truncated'; from: string; to: string }
  /** A retired code was replaced by its successor, on `on`. */
  | { kind: 'successor'; from: string; to: string; on: string };

export interface Resolution {
  input: string;
  asOf: string | null;
  region: Region;
  /** How the input became `region`, in order. */
  steps: ResolveStep[];
  /**
   * False when `region` is coarser than the input: an aggregate code, or a street/committee code
   * unknown to the data (e.g. under a retired county, whose streets were renumbered).
   */
  exact: boolean;
}

export interface SearchOptions {
  /** Include retired codes (after current ones). Default false. */
  includeRetired?: boolean;
  level?: RegionLevel;
  limit?: number;
}

export interface RegionTree {
  /** The jurisdiction's root (上海市 310000, 上虞区 330604). */
  readonly root: Region;
  /** A current, retired or ancestor region by its exact code. */
  get(code: string): Region | undefined;
  /** Direct children, by code. Retired ones only when asked. */
  children(code: string, options?: { includeRetired?: boolean }): Region[];
  /** The regions above `code`, outermost first; `[]` for an unknown code. */
  ancestors(code: string): Region[];
  /**
   * The region a possibly retired code stands for: successors are followed transitively
   * (only those retired before `asOf`, when given; all of them otherwise), and a 9/12-digit code
   * not in the data falls back to its street or county part. Accepts surrounding spaces and the
   * NBS 12-digit zero-padded form (310115004000). `asOf` is a `YYYY-MM-DD` local date.
   * `null` when nothing matches.
   */
  resolve(code: string, asOf?: string): Region | null;
  /** `resolve` with the steps taken, for explanations. */
  resolveWithTrace(code: string, asOf?: string): Resolution | null;
  /**
   * A 6-digit code known here as a current or historical address code (province, city,
   * county, retired or aggregate). Unknown codes deserve a warning, not a rejection.
   */
  isKnownAddressCode(code: string): boolean;
  /** The current county-level units of the jurisdiction, by code. */
  districts(): Region[];
  /** Regions whose name contains `fragment` (or whose code starts with it), best matches first. */
  search(fragment: string, options?: SearchOptions): Region[];
  /** `上海市 / 浦东新区 / 潍坊新村街道`; `null` for an unknown code. */
  pathNames(code: string, separator?: string): string | null;
  /** Every region (ancestors, current, retired), by code. */
  all(): Region[];
}

const byCode = (a: Region, b: Region): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

function makeRegion(
  code: string,
  name: string,
  parentCode: string | null,
  dates: { validFrom?: string; validTo?: string; successor?: string } = {},
): Region {
  const parts = parseCode(code) as CodeParts; // shape checked by checkRegionData
  return {
    code,
    name,
    parentCode,
    level: parts.level,
    validFrom: dates.validFrom ?? null,
    validTo: dates.validTo ?? null,
    successorCode: dates.successor ?? null,
  };
}

/**
 * Builds the tree of one jurisdiction from its `regions.json` and `retired-codes.json` data.
 * Throws `RegionDataError` listing every broken invariant.
 */
export function buildRegionTree(
  data: RegionsData,
  retired: RetiredCodesData = { codes: [] },
  label = data.root.code,
): RegionTree {
  const issues = checkRegionData(data, retired);
  if (issues.length > 0) throw new RegionDataError(label, issues);

  const regions = new Map<string, Region>();
  const add = (r: Region): void => {
    regions.set(r.code, r);
  };
  let parent: string | null = null;
  for (const a of data.ancestors ?? []) {
    add(makeRegion(a.code, a.name, parent));
    parent = a.code;
  }
  const root = makeRegion(data.root.code, data.root.name, parent);
  add(root);
  for (const [code, name, parentCode] of data.regions) add(makeRegion(code, name, parentCode));
  const known = new Set(regions.keys());
  for (const r of retired.codes) {
    const container = containerCandidates(r.code).find((c) => known.has(c)) ?? null;
    add(
      makeRegion(r.code, r.name, container, {
        ...(r.validFrom !== undefined ? { validFrom: r.validFrom } : {}),
        validTo: r.validTo,
        successor: r.successor,
      }),
    );
  }
  const aggregates = new Map((retired.aggregateCodes ?? []).map((a) => [a.code, a.mapsTo] as const));
  return new Tree(root, regions, aggregates);
}

const ADDRESS_LEVELS: ReadonlySet<RegionLevel> = new Set<RegionLevel>(['province', 'city', 'county']);

class Tree implements RegionTree {
  private readonly childrenOf = new Map<string, Region[]>();
  private readonly sorted: Region[];
  private readonly districtList: Region[];

  constructor(
    readonly root: Region,
    private readonly regions: ReadonlyMap<string, Region>,
    private readonly aggregates: ReadonlyMap<string, string>,
  ) {
    this.sorted = [...regions.values()].sort(byCode);
    for (const r of this.sorted) {
      if (r.parentCode === null) continue;
      const list = this.childrenOf.get(r.parentCode) ?? [];
      list.push(r);
      this.childrenOf.set(r.parentCode, list);
    }
    this.districtList = this.sorted.filter(
      (r) =>
        r.level === 'county' &&
        r.validTo === null &&
        (r.code === root.code || this.ancestors(r.code).some((a) => a.code === root.code)),
    );
  }

  get(code: string): Region | undefined {
    return this.regions.get(code);
  }

  children(code: string, options: { includeRetired?: boolean } = {}): Region[] {
    const list = this.childrenOf.get(code) ?? [];
    return options.includeRetired === true ? [...list] : list.filter((r) => r.validTo === null);
  }

  ancestors(code: string): Region[] {
    const out: Region[] = [];
    let at = this.regions.get(code)?.parentCode ?? null;
    while (at !== null) {
      const r = this.regions.get(at) as Region; // parents checked by checkRegionData
      out.unshift(r);
      at = r.parentCode;
    }
    return out;
  }

  resolve(code: string, asOf?: string): Region | null {
    return this.resolveWithTrace(code, asOf)?.region ?? null;
  }

  resolveWithTrace(code: string, asOf?: string): Resolution | null {
    const canonicalCode = canonical(code);
    const start = canonicalCode === null ? null : this.locate(canonicalCode);
    if (start === null) return null;
    const steps = start.steps;
    let region = start.region;
    while (
      region.successorCode !== null &&
      region.validTo !== null &&
      (asOf === undefined || region.validTo <= asOf)
    ) {
      const next = this.regions.get(region.successorCode) as Region; // checked: known, acyclic
      steps.push({ kind: 'successor', from: region.code, to: next.code, on: region.validTo });
      region = next;
    }
    const exact = steps.every((s) => s.kind === 'matched' || s.kind === 'successor');
    return { input: code, asOf: asOf ?? null, region, steps, exact };
  }

  /** The region a code names before successors are followed. */
  private locate(code: string): { region: Region; steps: ResolveStep[] } | null {
    const parts = parseCode(code);
    if (parts === null) return null;
    const hit = this.regions.get(code);
    if (hit !== undefined) return { region: hit, steps: [{ kind: 'matched', code }] };
    const target = this.aggregates.get(code);
    if (target !== undefined) {
      return {
        region: this.regions.get(target) as Region, // checked: a current region
        steps: [{ kind: 'aggregate', from: code, to: target }],
      };
    }
    if (parts.level !== 'street' && parts.level !== 'committee') return null;
    const shorter = parts.level === 'committee' ? (parts.street as string) : parts.county;
    const inner = this.locate(shorter);
    if (inner === null) return null;
    return { region: inner.region, steps: [{ kind: 'truncated', from: code, to: shorter }, ...inner.steps] };
  }

  isKnownAddressCode(code: string): boolean {
    const parts = parseCode(code);
    if (parts === null || parts.street !== null) return false;
    const r = this.regions.get(code);
    return (r !== undefined && ADDRESS_LEVELS.has(r.level)) || this.aggregates.has(code);
  }

  districts(): Region[] {
    return [...this.districtList];
  }

  search(fragment: string, options: SearchOptions = {}): Region[] {
    const q = fragment.trim();
    if (q === '') return [];
    const rank = (r: Region): number => {
      if (r.name === q || r.code === q) return 0;
      if (r.name.startsWith(q) || r.code.startsWith(q)) return 1;
      return REGION_LEVELS.length + REGION_LEVELS.indexOf(r.level);
    };
    const hits = this.sorted.filter(
      (r) =>
        (r.name.includes(q) || r.code.startsWith(q)) &&
        (options.includeRetired === true || r.validTo === null) &&
        (options.level === undefined || r.level === options.level),
    );
    hits.sort(
      (a, b) =>
        Number(a.validTo !== null) - Number(b.validTo !== null) ||
        rank(a) - rank(b) ||
        REGION_LEVELS.indexOf(a.level) - REGION_LEVELS.indexOf(b.level) ||
        byCode(a, b),
    );
    return options.limit === undefined ? hits : hits.slice(0, Math.max(0, options.limit));
  }

  pathNames(code: string, separator = ' / '): string | null {
    const r = this.regions.get(code);
    if (r === undefined) return null;
    return [...this.ancestors(code), r].map((x) => x.name).join(separator);
  }

  all(): Region[] {
    return [...this.sorted];
  }
}

// ---- jurisdiction ----

/** Consistency of `jurisdiction.json` with the tree built from the same folder. */
export function checkJurisdiction(jurisdiction: Jurisdiction, tree: RegionTree): RegionDataIssue[] {
  const issues: RegionDataIssue[] = [];
  if (jurisdiction.rootCode !== tree.root.code) {
    issues.push({
      path: 'rootCode',
      message: `rootCode ${jurisdiction.rootCode} differs from the regions' root ${tree.root.code}`,
    });
  }
  if (jurisdiction.name !== tree.root.name) {
    issues.push({ path: 'name', message: `name ${jurisdiction.name} differs from the root's name ${tree.root.name}` });
  }
  const areas = jurisdiction.districtAreas?.areas;
  if (areas !== undefined) {
    const districts = new Set(tree.districts().map((d) => d.code));
    const covered = new Set<string>();
    areas.forEach((a, i) => {
      const path = `districtAreas.areas[${i}]`;
      if (!districts.has(a.code)) issues.push({ path, message: `${a.code} is not a current district of the tree` });
      else if (covered.has(a.code)) issues.push({ path, message: `${a.code} has more than one area` });
      covered.add(a.code);
    });
    for (const d of districts) {
      if (!covered.has(d)) issues.push({ path: 'districtAreas.areas', message: `district ${d} has no area` });
    }
  }
  return issues;
}
