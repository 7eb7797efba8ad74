// Entitlement use cases (issue 5 §7): the advisor's check of a registered person — every scheme,
// eligible or not, why, and what would change it — and the stateless check of facts typed in (the
// advisor's form for someone not yet registered, and the public self-check, which needs no login
// and stores nothing). Parameters are loaded and checked once per process.
import { AppError } from '../core/errors.ts';
import { todayIn, type LocalDate } from '../core/dates.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import { newId } from '../core/ids.ts';
import { yuanDecimal } from '../core/money.ts';
import { analyzeDatabase, type Queryable } from '../platform/db.ts';
import { appendAudit } from '../platform/audit.ts';
import { emit } from '../platform/outbox.ts';
import { FactsError, readFacts, stepJson, type EntitleErrorCode } from './batch.ts';
import { compileParameterFiles, loadParameterFiles, loadParameters, ParameterDataError } from './loader.ts';
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

const yuan = (fen: number) => yuanDecimal(fen, { trimWhole: true });

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
    const where = region ?? this.ctx.jurisdiction.rootCode;
    const b = engine.bundle(where, day);
    return {
      asOf: day,
      region: where,
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
    // The same files the running engine was built from (not the disk now, which may have changed since start).
    const files = await loadParameterFiles();
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
      await analyzeDatabase(this.ctx.db);
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
    // Polling a run in progress is not audited each time; reading its figures (with example people) is.
    if (audit && (row.status === 'done' || row.status === 'failed')) {
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

// ---------------------------------------------------------------------------------------------
// 政策找人 / 免申即享 (issue 5 §5)

/** Names and places of people by id in scope (people module, wired in src/app.ts). */
export type NamesOf = (q: Queryable, scope: string, ids: readonly string[]) => Promise<{ id: string; name: string; birth_date: string; district_code: string; street_code: string | null; committee_code: string | null }[]>;
/** Active advisors within a scope (platform users, wired in src/app.ts). */
export type AdvisorsIn = (q: Queryable, scope: string) => Promise<{ id: string; username: string; display_name: string; region_code: string }[]>;

export interface UnclaimedItem {
  personId: string;
  name: string;
  age: number | null;
  districtCode: string;
  regionCode: string;
  regionName: string;
  reason: string;
  outreach: { id: string; advisorId: string; advisorName: string | null } | null;
}

const UNCLAIMED_MAX = 200;
const BULK_MAX = 5000;

/** Why a stored decision makes someone eligible, in Chinese. */
export function qualifyText(scheme: store.ClaimScheme, d: Record<string, unknown>): string {
  const fen = (n: unknown) => `¥${yuanDecimal(Number(n))}`;
  const a = d.allowance as { band?: string; monthlyFen?: number } | undefined;
  const l = d.ltci as { homeCareHoursPerWeek?: number } | undefined;
  const s = d.serviceSubsidy as { monthlyFen?: number } | undefined;
  const b = d.basicBed as { tier?: number; tierLabel?: string } | undefined;
  switch (scheme) {
    case 'allowance':
      return `本市户籍，${d.age} 周岁（${a?.band} 周岁段），每月 ${fen(a?.monthlyFen)}`;
    case 'ltci':
      return `已参保，照护等级有效，可享社区居家照护每周 ${l?.homeCareHoursPerWeek} 小时`;
    case 'serviceSubsidy':
      return `低保或低收入家庭，照护等级有效，每月 ${fen(s?.monthlyFen)} 服务补贴`;
    case 'basicBed':
      return `符合第 ${b?.tier} 优先层级：${b?.tierLabel}`;
  }
}

export class OutreachService {
  constructor(
    private readonly ctx: AppContext,
    private readonly svc: EntitlementService,
    private readonly namesOf: NamesOf,
    private readonly advisorsIn: AdvisorsIn,
  ) {}

  private today(): LocalDate {
    return todayIn(this.ctx.clock);
  }

  private regionName(code: string): string {
    const parts: string[] = [];
    for (const c of [code.slice(0, 6), code.length >= 9 ? code.slice(0, 9) : null, code.length === 12 ? code : null]) {
      if (!c) continue;
      const r = this.ctx.regions.get(c);
      if (r) parts.push(r.name);
    }
    return parts.join(' ') || code;
  }

  /** Whether the scheme may be granted without an application (免申即享) in a region today. */
  async noApplicationGrant(scheme: store.ClaimScheme, region: string): Promise<boolean> {
    const b = (await this.svc.engine()).bundle(region, this.today());
    return b[scheme].noApplicationGrant?.value === true;
  }

  /** Per street, the people who qualify but neither receive nor have applied, with why (read-audited). */
  async unclaimed(caller: Caller, f: { scheme: store.ClaimScheme; region?: string; limit?: number; cursor?: string }) {
    const limit = Math.min(f.limit ?? 50, UNCLAIMED_MAX);  
    const region = f.region ?? null;
    const { rows, byStreet, names, advisors } = await this.ctx.db.tx(async (q) => {
      const rows = await store.unclaimed(q, caller.scope, f.scheme, region, f.cursor ?? null, limit + 1);
      const page = rows.slice(0, limit);
      return {
        rows,
        byStreet: await store.unclaimedByStreet(q, caller.scope, f.scheme, region),
        names: new Map((await this.namesOf(q, caller.scope, page.map((r) => r.person_id))).map((n) => [n.id, n])),
        advisors: new Map((await this.advisorsIn(q, '*')).map((a) => [a.id, a.display_name])),
      };
    }, { scope: caller.scope, asAppRole: true });
    const page = rows.slice(0, limit);
    await this.ctx.audit.record({
      actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'entitlements.unclaimed.list',
      entityType: 'person', details: { scheme: f.scheme, region, count: page.length },
    });
    const items: UnclaimedItem[] = page.map((r) => {
      const n = names.get(r.person_id);
      return {
        personId: r.person_id,
        name: n?.name ?? '',
        age: typeof r.decisions.age === 'number' ? r.decisions.age : null,
        districtCode: r.district_code,
        regionCode: r.region_code,
        regionName: this.regionName(r.region_code),
        reason: qualifyText(f.scheme, r.decisions),
        outreach: r.outreach_id ? { id: r.outreach_id, advisorId: r.advisor_id!, advisorName: advisors.get(r.advisor_id!) ?? null } : null,
      };
    });
    return {
      scheme: f.scheme,
      schemeName: SCHEME_NAMES[f.scheme],
      noApplicationGrant: await this.noApplicationGrant(f.scheme, region ?? (caller.scope === '*' ? this.ctx.jurisdiction.rootCode : caller.regionCode)),
      total: byStreet.reduce((s, x) => s + x.n, 0),
      byStreet: byStreet.map((x) => ({ streetCode: x.street_code, streetName: this.regionName(x.street_code), count: x.n })),
      items,
      nextCursor: rows.length > limit ? page[page.length - 1]!.person_id : null,
    };
  }

  /**
   * 免申即享: grant a scheme to people without an application, where its parameters allow it.
   * Each person is re-checked (stored decision eligible, no open grant); the others are listed
   * as skipped with the reason.
   */
  async bulkGrant(caller: Caller, input: { scheme: store.ClaimScheme; personIds: string[] }) {
    if (input.personIds.length > BULK_MAX) throw new AppError('VALIDATION_FAILED', `一次最多 ${BULK_MAX} 人`);
    const today = this.today();
    const engine = await this.svc.engine();
    const now = this.ctx.clock();
    const ids = [...new Set(input.personIds.map((x) => x.toLowerCase()))];
    const result = await this.ctx.db.tx(async (q) => {
      const stored = await store.entitlementsOf(q, caller.scope, ids);
      const open = await store.openGrantPeople(q, ids, input.scheme);
      const skipped: { personId: string; reason: string }[] = [];
      const rows: Parameters<typeof store.insertGrants>[1][number][] = [];
      for (const id of ids) {
        const e = stored.get(id);
        if (!e) {
          skipped.push({ personId: id, reason: '不在本辖区或尚无待遇核定结果' });
          continue;
        }
        const eligible = input.scheme === 'allowance' ? e.allowance_fen > 0 : input.scheme === 'ltci' ? e.ltci_hours > 0 : input.scheme === 'serviceSubsidy' ? e.subsidy_fen > 0 : e.bed_tier !== null;
        if (!eligible) {
          skipped.push({ personId: id, reason: `按 ${e.as_of} 的核定结果不符合${SCHEME_NAMES[input.scheme]}条件` });
          continue;
        }
        if (open.has(id)) {
          skipped.push({ personId: id, reason: '已申请或已在享受' });
          continue;
        }
        if (engine.bundle(e.district_code, today)[input.scheme].noApplicationGrant?.value !== true) {
          skipped.push({ personId: id, reason: `${SCHEME_NAMES[input.scheme]}在该区须本人申请，不能免申发放` });
          continue;
        }
        rows.push({
          district_code: e.district_code, id: newId(), person_id: id, region_code: e.region_code, scheme: input.scheme, status: 'granted', channel: 'no_application',
          applied_on: null, granted_from: today, basis: { asOf: e.as_of, parameterVersion: e.parameter_version, decision: (e.decisions as Record<string, unknown>)[input.scheme] ?? null }, created_by: caller.userId,
        });
      }
      await store.insertGrants(q, rows, now);
      for (const r of rows) {
        await emit(q, 'entitlements.granted', { scheme: input.scheme, channel: 'no_application', grantId: r.id, personId: r.person_id, date: today }, r.district_code);
      }
      await appendAudit(q, [{
        actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'entitlements.grant.bulk', entityType: 'grant',
        details: { scheme: input.scheme, granted: rows.length, skipped: skipped.length, personIds: rows.map((r) => r.person_id) },
      }], now);
      return { granted: rows.length, skipped };
    }, { scope: caller.scope, asAppRole: true });
    void this.ctx.dispatcher.wake().catch(() => undefined);
    return { scheme: input.scheme, grantedFrom: today, ...result };
  }

  /** Advisors the caller may assign visits to. */
  async advisors(caller: Caller) {
    const rows = await this.ctx.db.tx((q) => this.advisorsIn(q, caller.scope), { asAppRole: false });
    return { items: rows.map((a) => ({ id: a.id, username: a.username, displayName: a.display_name, regionCode: a.region_code })) };
  }

  /** Ask an advisor to visit people who qualify but have not applied. */
  async assign(caller: Caller, input: { scheme: store.ClaimScheme; personIds: string[]; advisorId: string }) {
    if (input.personIds.length > BULK_MAX) throw new AppError('VALIDATION_FAILED', `一次最多 ${BULK_MAX} 人`);
    const advisor = (await this.advisors(caller)).items.find((a) => a.id === input.advisorId.toLowerCase());
    if (!advisor) throw new AppError('VALIDATION_FAILED', '该养老顾问不存在或不在本辖区', [{ path: 'advisorId', message: '该养老顾问不存在或不在本辖区' }]);
    const ids = [...new Set(input.personIds.map((x) => x.toLowerCase()))];
    const now = this.ctx.clock();
    const r = await this.ctx.db.tx(async (q) => {
      const stored = await store.entitlementsOf(q, caller.scope, ids);
      const skipped: { personId: string; reason: string }[] = [];
      const rows: Parameters<typeof store.insertOutreach>[1][number][] = [];
      for (const id of ids) {
        const e = stored.get(id);
        if (!e) skipped.push({ personId: id, reason: '不在本辖区或尚无待遇核定结果' });
        else if (!e.region_code.startsWith(advisor.regionCode)) skipped.push({ personId: id, reason: `不在该养老顾问的服务范围（${advisor.regionCode}）` });
        else rows.push({ district_code: e.district_code, id: newId(), person_id: id, region_code: e.region_code, scheme: input.scheme, advisor_id: advisor.id });
      }
      const assigned = await store.insertOutreach(q, rows, caller.userId, now);
      await appendAudit(q, [{
        actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'entitlements.outreach.assign', entityType: 'outreach',
        details: { scheme: input.scheme, advisorId: advisor.id, assigned, alreadyAssigned: rows.length - assigned, skipped: skipped.length },
      }], now);
      return { assigned, alreadyAssigned: rows.length - assigned, skipped };
    }, { scope: caller.scope, asAppRole: true });
    return { scheme: input.scheme, advisorId: advisor.id, ...r };
  }

  /** Visit tasks: an advisor sees their own; others see those in scope (read-audited). */
  async tasks(caller: Caller, status?: store.OutreachRow['status']) {
    const rows = await this.ctx.db.tx(async (q) => {
      const list = await store.listOutreach(q, caller.scope, { advisorId: caller.role === 'advisor' ? caller.userId : undefined, status }, UNCLAIMED_MAX);
      const names = new Map((await this.namesOf(q, caller.scope, list.map((r) => r.person_id))).map((n) => [n.id, n]));
      return list.map((r) => ({ r, n: names.get(r.person_id) }));
    }, { scope: caller.scope, asAppRole: true });
    await this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'entitlements.outreach.list', entityType: 'outreach', details: { status: status ?? null, count: rows.length } });
    return {
      items: rows.map(({ r, n }) => ({
        id: r.id, personId: r.person_id, name: n?.name ?? '', regionCode: r.region_code, regionName: this.regionName(r.region_code), scheme: r.scheme,
        schemeName: SCHEME_NAMES[r.scheme as store.ClaimScheme] ?? r.scheme, advisorId: r.advisor_id, status: r.status, note: r.note, createdAt: r.created_at, updatedAt: r.updated_at,
      })),
    };
  }

  /** Close a visit task (done or cancelled) with a note. */
  async closeTask(caller: Caller, id: string, input: { status: 'done' | 'cancelled'; note?: string }) {
    const now = this.ctx.clock();
    await this.ctx.db.tx(async (q) => {
      const t = await store.getOutreach(q, caller.scope, id);
      if (!t || (caller.role === 'advisor' && t.advisor_id !== caller.userId)) throw new AppError('NOT_FOUND', '未找到该探访任务');
      if (!(await store.closeOutreach(q, caller.scope, id, input.status, input.note ?? null, now))) throw new AppError('ENTITLEMENT_CONFLICT', '该探访任务已关闭');
      await appendAudit(q, [{ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'entitlements.outreach.close', entityType: 'outreach', entityId: id, districtCode: t.district_code, details: { status: input.status } }], now);
    }, { scope: caller.scope, asAppRole: true });
    return { id, status: input.status };
  }

  /** Record an application (or a grant made at the counter) for a person; refused when one is open. */
  async record(caller: Caller, input: { personId: string; scheme: store.ClaimScheme; status: 'applied' | 'granted'; date?: LocalDate }) {
    const day = input.date ?? this.today();
    const now = this.ctx.clock();
    const id = newId();
    await this.ctx.db.tx(async (q) => {
      const e = (await store.entitlementsOf(q, caller.scope, [input.personId])).get(input.personId.toLowerCase());
      if (!e) throw new AppError('NOT_FOUND', '未找到该老人或尚无待遇核定结果');
      if ((await store.openGrantPeople(q, [e.person_id], input.scheme)).size > 0) throw new AppError('ENTITLEMENT_CONFLICT', `该老人已申请或正在享受${SCHEME_NAMES[input.scheme]}`);
      await store.insertGrants(q, [{
        district_code: e.district_code, id, person_id: e.person_id, region_code: e.region_code, scheme: input.scheme, status: input.status, channel: 'application',
        applied_on: day, granted_from: input.status === 'granted' ? day : null, basis: { asOf: e.as_of, parameterVersion: e.parameter_version, decision: (e.decisions as Record<string, unknown>)[input.scheme] ?? null }, created_by: caller.userId,
      }], now);
      await emit(q, input.status === 'granted' ? 'entitlements.granted' : 'entitlements.applied', { scheme: input.scheme, channel: 'application', grantId: id, personId: e.person_id, date: day }, e.district_code);
      await appendAudit(q, [{ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: `entitlements.grant.${input.status}`, entityType: 'person', entityId: e.person_id, districtCode: e.district_code, details: { scheme: input.scheme, grantId: id } }], now);
    }, { scope: caller.scope, asAppRole: true });
    return (await this.grants(caller, input.personId, false)).items.find((g) => g.id === id)!;
  }

  /** A person's grants and applications, every scheme (read-audited). */
  async grants(caller: Caller, personId: string, audit = true) {
    const rows = await this.ctx.db.tx(async (q) => {
      if ((await this.namesOf(q, caller.scope, [personId])).length === 0) throw new AppError('NOT_FOUND', '未找到该老人');
      return store.grantsOfPerson(q, caller.scope, personId);
    }, { scope: caller.scope, asAppRole: true });
    if (audit) await this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'entitlements.grant.read', entityType: 'person', entityId: personId, details: { count: rows.length } });
    return {
      items: rows.map((g) => ({
        id: g.id, scheme: g.scheme, schemeName: SCHEME_NAMES[g.scheme as store.ClaimScheme] ?? g.scheme, status: g.status, statusName: GRANT_STATUS[g.status], channel: g.channel,
        appliedOn: g.applied_on, grantedFrom: g.granted_from, stoppedOn: g.stopped_on, reason: g.reason, createdAt: g.created_at,
      })),
    };
  }
}

const GRANT_STATUS: Record<store.GrantRow['status'], string> = { applied: '已申请', granted: '享受中', refused: '未通过', stopped: '已停发' };
