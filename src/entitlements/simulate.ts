// What-if simulation (issue 5 §6), the pure parts: apply an officer's changes to a copy of the
// parameter files, and fold (baseline, changed) decisions of many people into figures per scheme
// and district — people gaining, losing, unchanged, monthly and yearly cost, example people.
import type { LocalDate } from '../core/dates.ts';
import type { Evaluation } from './model.ts';
import type { ParameterFile } from './parameters.ts';

/** One change: the value of `scheme.name` at `scope` (default the jurisdiction's root) from the simulation date on. A table value is merged into the table in force. */
export interface ParameterChange {
  scheme: string;
  name: string;
  value: unknown;
  scope?: string;
}

export class ChangeError extends Error {}

const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A copy of `files` with `changes` applied as of `asOf`: the row in force at the change's scope
 * gets the new value (a table is merged key by key); where no row is in force at that scope (a
 * district's own top-up), a row is added from `asOf` on. Added or changed rows are marked as
 * simulated (citation and confidence), so nothing simulated can pass for policy.
 */
export function applyChanges(files: readonly { file: string; data: unknown }[], changes: readonly ParameterChange[], asOf: LocalDate, rootCode: string, label: string): { file: string; data: unknown }[] {
  const copy = structuredClone(files) as { file: string; data: ParameterFile }[];
  for (const c of changes) {
    const f = copy.find((x) => x.data.scheme === c.scheme);
    if (!f) throw new ChangeError(`没有名为 "${c.scheme}" 的项目`);
    const def = f.data.parameters.find((p) => p.name === c.name);
    if (!def) throw new ChangeError(`项目 ${f.data.name} 没有名为 "${c.name}" 的参数`);
    const scope = c.scope ?? rootCode;
    const simulated = { document: `模拟方案：${label}`, number: null, article: '测算用，未生效' };
    const row = def.rows.find((r) => r.scope === scope && r.from <= asOf && (r.to === null || r.to >= asOf));
    if (row) {
      row.value = isTable(row.value) && isTable(c.value) ? { ...row.value, ...c.value } : c.value;
      row.citation = simulated;
      row.confidence = 'unverified';
    } else {
      const base = def.rows.find((r) => r.from <= asOf && (r.to === null || r.to >= asOf));
      def.rows.push({
        scope, from: asOf, to: null, unit: def.unit,
        value: base && isTable(base.value) && isTable(c.value) ? { ...base.value, ...c.value } : c.value,
        citation: simulated, confidence: 'unverified',
      });
    }
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------

export const MONEY_SCHEMES = ['allowance', 'serviceSubsidy'] as const;
export const SIM_SCHEMES = ['allowance', 'ltci', 'serviceSubsidy', 'basicBed'] as const;
export type SimScheme = (typeof SIM_SCHEMES)[number];
export type ChangeKind = 'gaining' | 'losing' | 'changed' | 'unchanged';

export interface SchemeFigures {
  eligibleBefore: number;
  eligibleAfter: number;
  gaining: number;
  losing: number;
  /** Eligible before and after, with a different amount, hours or tier. */
  changed: number;
  unchanged: number;
  /** allowance and serviceSubsidy: fen per month; ltci: hours per week; basicBed: unused (0). */
  amountBefore: number;
  amountAfter: number;
}

export interface Example {
  personId: string;
  districtCode: string;
  age: number;
  before: number | null;
  after: number | null;
}

export interface SimulationResult {
  people: number;
  schemes: Record<SimScheme, SchemeFigures & { monthlyFenDelta: number | null; yearlyFenDelta: number | null; examples: Record<Exclude<ChangeKind, 'unchanged'>, Example[]> }>;
  districts: Record<string, { people: number; schemes: Record<SimScheme, SchemeFigures & { monthlyFenDelta: number | null; yearlyFenDelta: number | null }> }>;
}

const MONTHS = 12;
export const EXAMPLES_PER_KIND = 5;

const emptyFigures = (): SchemeFigures => ({ eligibleBefore: 0, eligibleAfter: 0, gaining: 0, losing: 0, changed: 0, unchanged: 0, amountBefore: 0, amountAfter: 0 });
const amountOf = (e: Evaluation, s: SimScheme): number =>
  s === 'allowance' ? e.allowance.monthlyFen : s === 'serviceSubsidy' ? e.serviceSubsidy.monthlyFen : s === 'ltci' ? e.ltci.homeCareHoursPerWeek : (e.basicBed.tier ?? 0);
const eligibleOf = (e: Evaluation, s: SimScheme): boolean => e[s].eligible;

/** Folds people's (baseline, changed) decisions into the figures. */
export class Aggregator {
  private people = 0;
  private readonly total = Object.fromEntries(SIM_SCHEMES.map((s) => [s, emptyFigures()])) as Record<SimScheme, SchemeFigures>;
  private readonly examples = Object.fromEntries(SIM_SCHEMES.map((s) => [s, { gaining: [] as Example[], losing: [] as Example[], changed: [] as Example[] }])) as Record<SimScheme, Record<Exclude<ChangeKind, 'unchanged'>, Example[]>>;
  private readonly byDistrict = new Map<string, { people: number; schemes: Record<SimScheme, SchemeFigures> }>();

  add(personId: string, districtCode: string, before: Evaluation, after: Evaluation): void {
    this.people += 1;
    let d = this.byDistrict.get(districtCode);
    if (!d) {
      d = { people: 0, schemes: Object.fromEntries(SIM_SCHEMES.map((s) => [s, emptyFigures()])) as Record<SimScheme, SchemeFigures> };
      this.byDistrict.set(districtCode, d);
    }
    d.people += 1;
    for (const s of SIM_SCHEMES) {
      const eb = eligibleOf(before, s);
      const ea = eligibleOf(after, s);
      const ab = amountOf(before, s);
      const aa = amountOf(after, s);
      const kind: ChangeKind = !eb && ea ? 'gaining' : eb && !ea ? 'losing' : eb && ea && ab !== aa ? 'changed' : 'unchanged';
      for (const f of [this.total[s], d.schemes[s]]) {
        if (eb) f.eligibleBefore += 1;
        if (ea) f.eligibleAfter += 1;
        f[kind] += 1;
        if (eb) f.amountBefore += ab;
        if (ea) f.amountAfter += aa;
      }
      if (kind !== 'unchanged') {
        const list = this.examples[s][kind];
        if (list.length < EXAMPLES_PER_KIND) list.push({ personId, districtCode, age: after.age, before: eb ? ab : null, after: ea ? aa : null });
      }
    }
  }

  result(): SimulationResult {
    const money = (s: SimScheme, f: SchemeFigures) => {
      const monthly = (MONEY_SCHEMES as readonly string[]).includes(s) ? f.amountAfter - f.amountBefore : null;
      return { ...f, monthlyFenDelta: monthly, yearlyFenDelta: monthly === null ? null : monthly * MONTHS };
    };
    return {
      people: this.people,
      schemes: Object.fromEntries(SIM_SCHEMES.map((s) => [s, { ...money(s, this.total[s]), examples: this.examples[s] }])) as SimulationResult['schemes'],
      districts: Object.fromEntries(
        [...this.byDistrict.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, d]) => [
          code,
          { people: d.people, schemes: Object.fromEntries(SIM_SCHEMES.map((s) => [s, money(s, d.schemes[s])])) as SimulationResult['districts'][string]['schemes'] },
        ]),
      ),
    };
  }
}
