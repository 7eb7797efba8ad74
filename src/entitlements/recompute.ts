// Recompute on events (issue 5 §3): `assessment.completed`, a care grade recorded, a person's
// change (registered, updated — birth date fix, hukou move, death, economic status —, deleted,
// imported) each recompute only the people concerned, in the dispatcher's transaction, so a
// redelivered event changes nothing twice. A sweep recomputes people whose decisions are due (a
// birthday, a grade's end, a parameter row starting) or came from other parameters. Decisions are
// stored with the parameter version they came from; `entitlements.changed` is emitted when a
// person's figures change (not on their first computation).
import { todayIn, type LocalDate } from '../core/dates.ts';
import type { Queryable } from '../platform/db.ts';
import type { Consumer, DomainEvent } from '../platform/outbox.ts';
import { emit } from '../platform/outbox.ts';
import { dueOn, type Economic, type Engine, type Evaluation, type Insurance, type Living, type PersonFacts } from './model.ts';
import * as store from './store.ts';

/** A person's facts as the register gives them (people module, wired in src/app.ts). */
export interface FactsRow {
  id: string;
  district_code: string;
  region_code: string;
  birth_date: string;
  hukou_district_code: string | null;
  insurance_type: string;
  economic_status: string;
  living_arrangement: string;
  death_date: string | null;
  deleted: boolean;
}

/** What the recompute needs of other modules, all inside the caller's transaction. */
export interface RecomputePorts {
  facts(q: Queryable, ids: readonly string[]): Promise<FactsRow[]>;
  page(q: Queryable, f: { districtCodes?: readonly string[]; updatedAt?: string }, afterId: string | null, limit: number): Promise<FactsRow[]>;
  grades(q: Queryable, ids: readonly string[], asOf: string): Promise<Map<string, { grade: number | null; validFrom: string; validUntil: string }>>;
}

const PAGE = 2000;

export function factsOf(r: FactsRow, g: { grade: number | null; validFrom: string; validUntil: string } | undefined): PersonFacts {
  return {
    birthDate: r.birth_date as LocalDate,
    hukouDistrict: r.hukou_district_code,
    residenceDistrict: r.district_code,
    insurance: (r.insurance_type === 'employee' || r.insurance_type === 'resident' ? r.insurance_type : null) as Insurance,
    careGrade: g?.grade ?? null,
    careGradeValidFrom: (g?.validFrom ?? null) as LocalDate | null,
    careGradeValidUntil: (g?.validUntil ?? null) as LocalDate | null,
    economic: r.economic_status as Economic,
    deathDate: r.death_date as LocalDate | null,
    living: r.living_arrangement as Living,
  };
}

function flagsOf(e: Evaluation): string[] {
  const out: string[] = [];
  if (e.visiting.livingAlone) out.push('living_alone');
  if (e.visiting.elderlyOnly) out.push('elderly_only');
  if (e.visiting.advancedAge) out.push('advanced_age');
  return out;
}

const same = (a: store.Summary, b: store.Summary) =>
  a.district_code === b.district_code && a.allowance_fen === b.allowance_fen && Number(a.ltci_hours) === Number(b.ltci_hours) &&
  a.subsidy_fen === b.subsidy_fen && (a.bed_tier ?? null) === (b.bed_tier ?? null) && a.flags.join() === b.flags.join();

/**
 * Decide and store the given people as of `asOf`. Deleted people lose their row. Emits
 * `entitlements.changed` for each person whose figures changed since their stored row.
 */
export async function recomputeRows(q: Queryable, engine: Engine, ports: RecomputePorts, rows: readonly FactsRow[], asOf: LocalDate, cause: string, now: Date): Promise<{ computed: number; changed: number; removed: number }> {
  // The dead keep their row (eligible for nothing): a late-reported death must show as a change.
  const gone = rows.filter((r) => r.deleted).map((r) => r.id);
  const live = rows.filter((r) => !r.deleted);
  const before = await store.summariesOf(q, rows.map((r) => r.id));
  const grades = await ports.grades(q, live.map((r) => r.id), asOf);
  const out: Omit<store.EntitlementRow, 'decided_at'>[] = [];
  let changed = 0;
  for (const r of live) {
    const facts = factsOf(r, grades.get(r.id));
    const e = engine.evaluate(facts, asOf);
    const b = engine.bundle(e.region, asOf);
    const row: Omit<store.EntitlementRow, 'decided_at'> = {
      district_code: r.district_code,
      person_id: r.id,
      region_code: r.region_code,
      as_of: asOf,
      due_on: dueOn(facts, asOf, e.age, b),
      parameter_version: e.parameterVersion,
      allowance_fen: e.allowance.monthlyFen,
      allowance_band: e.allowance.band,
      ltci_hours: e.ltci.homeCareHoursPerWeek,
      subsidy_fen: e.serviceSubsidy.monthlyFen,
      bed_tier: e.basicBed.tier,
      flags: flagsOf(e),
      decisions: { age: e.age, allowance: e.allowance, ltci: e.ltci, serviceSubsidy: e.serviceSubsidy, basicBed: e.basicBed, visiting: e.visiting },
      cause,
    };
    out.push(row);
    const prev = before.get(r.id);
    if (prev && !same(prev, row)) {
      changed += 1;
      await emit(q, 'entitlements.changed', {
        personId: r.id, districtCode: r.district_code, asOf, cause, parameterVersion: e.parameterVersion,
        before: { allowanceFen: prev.allowance_fen, ltciHours: Number(prev.ltci_hours), subsidyFen: prev.subsidy_fen, bedTier: prev.bed_tier, flags: prev.flags },
        after: { allowanceFen: row.allowance_fen, ltciHours: row.ltci_hours, subsidyFen: row.subsidy_fen, bedTier: row.bed_tier, flags: row.flags },
      }, r.district_code);
    }
  }
  await store.saveEntitlements(q, out, now);
  const removed = gone.filter((id) => before.has(id));
  await store.deleteEntitlements(q, removed);
  for (const id of removed) {
    const prev = before.get(id)!;
    await emit(q, 'entitlements.changed', { personId: id, districtCode: prev.district_code, asOf, cause, removed: true }, prev.district_code);
  }
  return { computed: out.length, changed: changed + removed.length, removed: removed.length };
}

/** The people an event concerns, page by page. */
async function* peopleOf(q: Queryable, ports: RecomputePorts, event: DomainEvent): AsyncGenerator<FactsRow[]> {
  const p = event.payload as { personId?: string; at?: string; districtCodes?: string[] };
  if (event.topic === 'people.imported') {
    if (!p.at || !p.districtCodes) return;
    let after: string | null = null;
    for (;;) {
      const page = await ports.page(q, { districtCodes: p.districtCodes, updatedAt: p.at }, after, PAGE);
      if (page.length === 0) return;
      yield page;
      after = page[page.length - 1]!.id;
    }
  }
  if (p.personId) yield await ports.facts(q, [p.personId]);
}

export const RECOMPUTE_TOPICS = ['people.registered', 'people.updated', 'people.deleted', 'people.imported', 'assessment.completed', 'assessment.care_grade_recorded'];

/** The outbox consumer that keeps stored entitlements in step with the facts. */
export function entitlementRecomputer(engine: () => Promise<Engine>, ports: RecomputePorts, clock: () => Date): Consumer {
  return {
    name: 'entitlements.recompute',
    topics: RECOMPUTE_TOPICS,
    async handle(event, q) {
      const e = await engine();
      const now = clock();
      const asOf = todayIn(() => now);
      for await (const rows of peopleOf(q, ports, event)) await recomputeRows(q, e, ports, rows, asOf, event.topic, now);
    },
  };
}

/**
 * Recompute, in pages (one transaction each), everyone whose decisions are due today or came from
 * other parameters; with `all`, every registered person (the first computation, or `yiyang entitle
 * recompute --all`). Returns the counts.
 */
export async function sweep(
  tx: <T>(fn: (q: Queryable) => Promise<T>) => Promise<T>,
  engine: Engine,
  ports: RecomputePorts,
  clock: () => Date,
  o: { all?: boolean; onPage?: (done: number) => void } = {},
): Promise<{ computed: number; changed: number }> {
  const now = clock();
  const asOf = todayIn(() => now);
  let computed = 0;
  let changed = 0;
  let after: string | null = null;
  for (;;) {
    const r: { n: number; last: string | null; changed: number } = await tx(async (q) => {
      let rows: FactsRow[];
      if (o.all) rows = await ports.page(q, {}, after, PAGE);
      else {
        const ids = await store.dueIds(q, asOf, engine.set.version, after, PAGE);
        rows = ids.length ? await ports.facts(q, ids) : [];
        if (ids.length > 0) {
          // People deleted from the register since: their rows go.
          const seen = new Set(rows.map((x) => x.id));
          const missing = ids.filter((id) => !seen.has(id));
          await store.deleteEntitlements(q, missing);
          return { n: ids.length, last: ids[ids.length - 1]!, changed: (await recomputeRows(q, engine, ports, rows, asOf, 'due', now)).changed + missing.length };
        }
      }
      if (rows.length === 0) return { n: 0, last: null, changed: 0 };
      const res = await recomputeRows(q, engine, ports, rows, asOf, o.all ? 'initial' : 'due', now);
      return { n: rows.length, last: rows[rows.length - 1]!.id, changed: res.changed };
    });
    if (r.n === 0 || r.last === null) break;
    computed += r.n;
    changed += r.changed;
    after = r.last;
    o.onPage?.(computed);
  }
  return { computed, changed };
}
