// Entitlement use cases (issue 5 §7): the advisor's check of a registered person — every scheme,
// eligible or not, why, and what would change it — and the stateless check of facts typed in (the
// advisor's form for someone not yet registered, and the public self-check, which needs no login
// and stores nothing). Parameters are loaded and checked once per process.
import { AppError } from '../core/errors.ts';
import { todayIn, type LocalDate } from '../core/dates.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import { newId } from '../core/ids.ts';
import type { Queryable } from '../platform/db.ts';
import { FactsError, readFacts, stepJson, type EntitleErrorCode } from './batch.ts';
import { compileParameterFiles, loadParameters, ParameterDataError, readParameterFiles } from './loader.ts';
import { factsOf, type FactsRow } from './recompute.ts';
import { Aggregator, applyChanges, ChangeError, type ParameterChange, type SimulationResult } from './simulate.ts';
import * as store from './store.ts';
import { createEngine, SCHEME_NAMES, SCHEMES, type Engine, type Evaluation, type PersonFacts } from './model.ts';
import { CONFIDENCE_LABELS, type Resolved } from './parameters.ts';

/** What the service needs of the register and the care grades (wired in src/app.ts). */
export type FactsOf = (caller: Caller, personId: string, asOf: LocalDate) => Promise<{ facts: PersonFacts; districtCode: string } | null>;

export interface EntitlementsView {
  asOf: string;
  parameterVersion: string;
  age: number;
  allowance: { eligible: boolean; band: string | null; monthlyFen: number };
  ltci: { eligible: boolean; homeCareHoursPerWeek: number; fundShareHome: number | null; fundShareInstitution: number | null; institutionDailyLimitFen: number | null };
  serviceSubsidy: { eligible: boolean; monthlyFen: number };
  basicBed: { eligible: boolean; tier: number | null; tierLabel: string | null };
  visiting: { livingAlone: boolean; advancedAge: boolean; elderlyOnly: boolean };
  /** One summary per scheme, for screens: eligible, a Chinese headline, the reason and the hint of the step that decided. */
  schemes: { scheme: string; name: string; eligible: boolean; headline: string; reason: string; hint: string | null }[];
  explanation: Record<string, unknown>[];
}

const FIELD_OF: Record<EntitleErrorCode, string> = {
  invalid_birth_date: 'birthDate', invalid_death_date: 'deathDate', invalid_hukou_district: 'hukouDistrict',
  invalid_residence_district: 'residenceDistrict', invalid_insurance: 'insurance', invalid_care_grade: 'careGrade',
  invalid_care_grade_valid_until: 'careGradeValidUntil', invalid_care_grade_valid_from: 'careGradeValidFrom',
  invalid_economic: 'economic', invalid_living_arrangement: 'livingArrangement', invalid_flag: 'preferentialCare',
};

const yuan = (fen: number) => (fen / 100).toFixed(fen % 100 === 0 ? 0 : 2);

/** What a simulation needs of other modules: the population in the caller's scope, page by page, and their care grades. */
export interface SimulationPorts {
  count(q: Queryable, scope: string): Promise<number>;
  page(q: Queryable, scope: string, afterId: string | null, limit: number): Promise<FactsRow[]>;
  grades(q: Queryable, ids: readonly string[], asOf: string): Promise<Map<string, { grade: number | null; validFrom: string; validUntil: string }>>;
}

export interface SimulationView {
  id: string;
  name: string;
  asOf: string;
  scopeCode: string;
  changes: ParameterChange[];
  baseVersion: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  statusName: string;
  done: number;
  total: number | null;
  result: SimulationResult | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const SIM_STATUS: Record<SimulationView['status'], string> = { queued: '排队中', running: '测算中', done: '已完成', failed: '失败' };
const SIM_PAGE = 5000;
const SIM_LIST_MAX = 50;

export class EntitlementService {
  private engineP: Promise<Engine> | null = null;
  /** Runs started by this process, for tests and an orderly shutdown. */
  readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly ctx: AppContext,
    private readonly factsOf: FactsOf | null = null,
    private readonly sim: SimulationPorts | null = null,
  ) {}

  /** The engine on the checked parameters (policy/parameters), loaded once. */
  engine(): Promise<Engine> {
    this.engineP ??= loadParameters().then((set) => createEngine(set, { rootCode: this.ctx.jurisdiction.rootCode }));
    return this.engineP;
  }

  private today(): LocalDate {
    return todayIn(this.ctx.clock);
  }

  /** Evaluate facts typed in. Nothing is stored or audited: the facts are not kept. */
  async check(input: Record<string, unknown>, asOf?: LocalDate): Promise<EntitlementsView> {
    const day = asOf ?? this.today();
    let facts: PersonFacts;
    try {
      facts = readFacts(input, day);
    } catch (e) {
      if (e instanceof FactsError) throw new AppError('VALIDATION_FAILED', e.message, [{ path: FIELD_OF[e.code], message: e.message }]);
      throw e;
    }
    return view((await this.engine()).evaluate(facts, day, true), day);
  }

  /** The advisor's check of a registered person (scoped; read-audited). */
  async forPerson(caller: Caller, personId: string, asOf?: LocalDate): Promise<EntitlementsView & { personId: string }> {
    if (!this.factsOf) throw new Error('EntitlementService: no FactsOf port wired');
    const day = asOf ?? this.today();
    const found = await this.factsOf(caller, personId, day);
    if (!found) throw new AppError('NOT_FOUND', '未找到该老人');
    const r = (await this.engine()).evaluate(found.facts, day, true);
    await this.ctx.audit.record({
      actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'entitlements.read',
      entityType: 'person', entityId: personId, districtCode: found.districtCode,
      details: { asOf: day, parameterVersion: r.parameterVersion, eligible: SCHEMES.filter((s) => s !== 'visiting' && (r[s] as { eligible: boolean }).eligible) },
    });
    return { personId, ...view(r, day) };
  }

  /** The parameters in force on a date for a region (default the jurisdiction), with citations: public disclosure. */
  async parameters(region?: string, asOf?: LocalDate): Promise<{ asOf: string; region: string; version: string; schemes: { scheme: string; name: string; parameters: ReturnType<typeof paramJson>[] }[] }> {
    const day = asOf ?? this.today();
    const engine = await this.engine();
    const b = engine.bundle(region ?? this.ctx.jurisdiction.rootCode, day);
    return {
      asOf: day,
      region: b.region,
      version: engine.set.version,
      schemes: SCHEMES.map((s) => ({
        scheme: s,
        name: SCHEME_NAMES[s],
        parameters: Object.values(b[s]).filter((p): p is Resolved => p !== null).map(paramJson),
      })),
    };
  }
}

export interface SimulationServiceInput {
  name: string;
  asOf?: LocalDate;
  changes: ParameterChange[];
}

/** What-if simulations (issue 5 §6); methods of EntitlementService kept together here. */
export class SimulationService {
  constructor(
    private readonly ctx: AppContext,
    private readonly svc: EntitlementService,
    private readonly ports: SimulationPorts,
  ) {}

  /**
   * Copy the parameters, apply the changes (checked like any parameter file: a bad unit or value is
   * refused with the checker's reasons), and run over the caller's population in the background.
   */
  async start(caller: Caller, input: SimulationServiceInput): Promise<SimulationView> {
    const asOf = input.asOf ?? todayIn(this.ctx.clock);
    const base = await this.svc.engine();
    const { files } = await readParameterFiles();
    let alt: Engine;
    try {
      const changed = applyChanges(files, input.changes, asOf, this.ctx.jurisdiction.rootCode, input.name);
      alt = createEngine(compileParameterFiles(changed, (c) => c), { rootCode: this.ctx.jurisdiction.rootCode });
    } catch (e) {
      if (e instanceof ChangeError) throw new AppError('VALIDATION_FAILED', e.message);
      if (e instanceof ParameterDataError) {
        throw new AppError('VALIDATION_FAILED', '修改后的参数不合规：' + e.problems.map((p) => p.message).join('；'), e.problems.map((p) => ({ path: `${p.file} ${p.where}`, message: p.message })));
      }
      throw e;
    }
    const id = newId();
    const scope = caller.scope;
    await this.ctx.db.tx((q) => store.insertSimulation(q, { id, scope_code: scope === '*' ? this.ctx.jurisdiction.rootCode : scope, name: input.name, as_of: asOf, changes: input.changes, base_version: base.set.version, created_by: caller.userId }), { scope, asAppRole: true });
    await this.ctx.audit.record({
      actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'entitlements.simulation.create',
      entityType: 'simulation', entityId: id, details: { name: input.name, asOf, changes: input.changes },
    });
    const run = this.run(id, scope, base, alt, asOf).finally(() => this.svc.running.delete(id));
    this.svc.running.set(id, run);
    return this.get(caller, id, false);
  }

  private async run(id: string, scope: string, base: Engine, alt: Engine, asOf: LocalDate): Promise<void> {
    const system = <T>(fn: (q: Queryable) => Promise<T>) => this.ctx.db.tx(fn, { asAppRole: false });
    try {
      const total = await this.ctx.db.tx((q) => this.ports.count(q, scope), { scope, asAppRole: true });
      await system((q) => store.updateSimulation(q, id, { status: 'running', total }));
      const agg = new Aggregator();
      let after: string | null = null;
      let done = 0;
      for (;;) {
        const cursor = after;
        const { rows, grades } = await this.ctx.db.tx(async (q) => {
          const page = await this.ports.page(q, scope, cursor, SIM_PAGE);
          return { rows: page, grades: await this.ports.grades(q, page.map((r) => r.id), asOf) };
        }, { scope, asAppRole: true });
        if (rows.length === 0) break;
        for (const r of rows) {
          const f = factsOf(r, grades.get(r.id));
          if (f.birthDate > asOf) continue;
          agg.add(r.id, r.district_code, base.evaluate(f, asOf), alt.evaluate(f, asOf));
        }
        done += rows.length;
        after = rows[rows.length - 1]!.id;
        await system((q) => store.updateSimulation(q, id, { done }));
        await new Promise<void>((resolve) => setImmediate(resolve)); // let requests in between pages
      }
      await system((q) => store.updateSimulation(q, id, { status: 'done', done, result: agg.result(), finished: this.ctx.clock() }));
    } catch (e) {
      this.ctx.logger.error({ err: e, simulation: id }, 'simulation failed');
      await system((q) => store.updateSimulation(q, id, { status: 'failed', error: '测算出错，请重试或联系管理员', finished: this.ctx.clock() })).catch(() => undefined);
    }
  }

  async get(caller: Caller, id: string, audit = true): Promise<SimulationView> {
    const row = await this.ctx.db.tx((q) => store.getSimulation(q, caller.scope, id), { scope: caller.scope, asAppRole: true });
    if (!row) throw new AppError('NOT_FOUND', '未找到该测算');
    if (audit) {
      await this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'entitlements.simulation.read', entityType: 'simulation', entityId: id });
    }
    return simView(row);
  }

  async list(caller: Caller): Promise<{ items: SimulationView[] }> {
    const rows = await this.ctx.db.tx((q) => store.listSimulations(q, caller.scope, SIM_LIST_MAX), { scope: caller.scope, asAppRole: true });
    return { items: rows.map(simView) };
  }
}

function simView(r: store.SimulationRow): SimulationView {
  return {
    id: r.id, name: r.name, asOf: r.as_of, scopeCode: r.scope_code, changes: r.changes as ParameterChange[], baseVersion: r.base_version,
    status: r.status, statusName: SIM_STATUS[r.status], done: r.done, total: r.total, result: (r.result ?? null) as SimulationResult | null,
    error: r.error, createdAt: r.created_at, finishedAt: r.finished_at,
  };
}

function paramJson(p: Resolved) {
  return {
    name: p.name, label: p.label, value: p.value, unit: p.unit, scope: p.scope, scopeName: p.scopeName, level: p.level,
    from: p.from, to: p.to, citation: p.citation, confidence: p.confidence, confidenceName: CONFIDENCE_LABELS[p.confidence],
  };
}

function view(r: Evaluation, asOf: LocalDate): EntitlementsView {
  const steps = r.explanation ?? [];
  const summary = (scheme: (typeof SCHEMES)[number], eligible: boolean, headline: string) => {
    const mine = steps.filter((s) => s.scheme === scheme);
    const decisive = eligible ? mine[mine.length - 1] : mine.find((s) => !s.passed);
    return { scheme, name: SCHEME_NAMES[scheme], eligible, headline, reason: decisive?.reason ?? '', hint: decisive?.hint ?? null };
  };
  const flags = [r.visiting.livingAlone && '独居', r.visiting.elderlyOnly && '纯老家庭', r.visiting.advancedAge && '高龄'].filter(Boolean).join('、');
  return {
    asOf,
    parameterVersion: r.parameterVersion,
    age: r.age,
    allowance: r.allowance,
    ltci: r.ltci,
    serviceSubsidy: r.serviceSubsidy,
    basicBed: r.basicBed,
    visiting: r.visiting,
    schemes: [
      summary('allowance', r.allowance.eligible, r.allowance.eligible ? `每月 ${yuan(r.allowance.monthlyFen)} 元（${r.allowance.band} 周岁）` : '不符合条件'),
      summary('ltci', r.ltci.eligible, r.ltci.eligible ? `居家照护每周 ${r.ltci.homeCareHoursPerWeek} 小时` : '不符合条件'),
      summary('serviceSubsidy', r.serviceSubsidy.eligible, r.serviceSubsidy.eligible ? `每月 ${yuan(r.serviceSubsidy.monthlyFen)} 元服务补贴` : '不符合条件'),
      summary('basicBed', r.basicBed.eligible, r.basicBed.eligible ? `可轮候，第 ${r.basicBed.tier} 优先层级` : '不符合条件'),
      summary('visiting', flags !== '', flags ? `列入关爱探访：${flags}` : '暂不列入关爱探访'),
    ],
    explanation: steps.map(stepJson),
  };
}
