// The composition root: load the jurisdiction, open the context, build the HTTP app with every
// module's routes, and seed the demo city.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { upsertUser, userIdOf, usersInScope } from './platform/auth.ts';
import type { Config } from './platform/config.ts';
import { createContext, type AppContext } from './platform/context.ts';
import { analyzeDatabase, type Database } from './platform/db.ts';
import { buildApp, type App } from './platform/http.ts';
import { isRole } from './platform/permissions.ts';
import { platformRoutes } from './platform/routes.ts';
import { assessmentNotifier, assessmentRoutes, CareGradeService, gradesInForce, personPort, seedAssessmentDemo, seedDemoAssessments } from './assessment/wiring.ts';
import { createEngine, loadParameters, resolve, type Engine, type Economic, type Insurance, type Living, type PersonFacts } from './entitlements/index.ts';
import { EntitlementService, countEntitlements, personFactsOf, entitlementNotifier, entitlementRecomputer, seedDemoGrants, entitlementRoutes, failInterruptedSimulations, sweep, type FactsOf, type RecomputePorts, type SimulationPorts } from './entitlements/wiring.ts';
import { addYears, ageOn, todayIn, type LocalDate } from './core/dates.ts';
import { AppError } from './core/errors.ts';
import { countAllPeople, countPeople, DEMO_SCALES, elderCountsByStreet, eldersOfDistrict, factsOfPeople, factsPage, homesOf, linksOfUser, linkUser, namesAndIdNumbers, namesOf, notifyPerson, somePersonIn, PeopleService, peopleRoutes, seedDemoPeople, type DemoScale } from './people/index.ts';
import { basicBedFacilities, basicTurnoverSince, basicVacancyEvents, registryStamp, basicVacanciesSince, bedLabel, changeBedsAcross, getFacilities, providerNames, providerOfUser, seedDemoSupply, supplyRoutes, type SupplyPorts } from './supply/wiring.ts';
import { seedDemoWaitlist, waitlistAutoRun, waitlistRoutes, WaitlistService, type ApplicantFacts, type WaitlistPorts } from './waitlist/wiring.ts';
import { careRoutes, makeCareServices, seedDemoCare, type CarePerson, type CarePorts, type CareServices } from './care/wiring.ts';
import { ltciOn } from './care/index.ts';
import { mealsRoutes, seedDemoMeals, type MealPerson, type MealPoint, type MealPorts } from './care/meals-routes.ts';
import { PublicDirectory, RegistryService, type FacilityRow } from './supply/wiring.ts';
import { supplyPolicy } from './supply/index.ts';
import { recordingNotifier } from './platform/notifier.ts';
import { can } from './platform/permissions.ts';
import type { LtciTerms } from './supply/index.ts';
import { DEFAULT_POLICY_DIR, loadJurisdiction, regionRoutes, syncRegions } from './regions/index.ts';

const PAGE_OF_PEOPLE = 5_000;

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const WEB_DIR = join(REPO_ROOT, 'dist', 'web');

export interface StartOptions {
  logger?: Logger;
  clock?: () => Date;
  db?: Database;
  webDir?: string | null;
}

/** Open the platform's context (database migrated, regions loaded). */
export async function openPlatform(config: Config, opts: StartOptions = {}): Promise<AppContext> {
  const { jurisdiction, tree } = await loadJurisdiction(config.jurisdiction);
  const clock = opts.clock ?? (() => new Date());
  // The entitlement parameters are checked before anything starts: a broken policy file stops the platform with its problems listed.
  const engine = createEngine(await loadParameters(), { rootCode: jurisdiction.rootCode });
  // Consumers of domain events; the dispatcher delivers to them while the server runs.
  let waitlist: WaitlistService | null = null;
  const consumers = [assessmentNotifier(clock), entitlementRecomputer(async () => engine, RECOMPUTE_PORTS, clock), entitlementNotifier(clock), waitlistAutoRun(() => waitlist, clock)];
  const ctx = await createContext(config, { jurisdiction, regions: tree, logger: opts.logger, clock, db: opts.db, consumers });
  waitlist = waitlistService(ctx);
  try {
    await ctx.db.tx((q) => syncRegions(q, jurisdiction.id, tree.all()), { asAppRole: false });
  } catch (e) {
    await ctx.close();
    throw e;
  }
  return ctx;
}

/** The entitlement recompute's view of the register and the care grades (whole jurisdiction: it runs as the system). */
export const RECOMPUTE_PORTS: RecomputePorts = {
  facts: (q, ids) => factsOfPeople(q, '*', ids),
  page: (q, f, afterId, limit) => factsPage(q, '*', f, afterId, limit),
  grades: (q, ids, asOf) => gradesInForce(q, ids, asOf),
};

/** A what-if simulation's population: the register in the caller's scope, and care grades. */
export const SIMULATION_PORTS: SimulationPorts = {
  count: (q, scope) => countPeople(q, scope, {}),
  page: (q, scope, afterId, limit) => factsPage(q, scope, {}, afterId, limit),
  grades: (q, ids, asOf) => gradesInForce(q, ids, asOf),
};

/**
 * Keep stored entitlements current in the background: the first computation of everyone who has
 * none (a new database, the demo seed), then every hour the people whose decisions are due (a
 * birthday, a grade's end, a parameter row starting) or came from older parameters.
 */
export function startEntitlementSweeps(ctx: AppContext, o: { everyMs?: number; log?: (s: string) => void } = {}): { stop: () => void; done: Promise<void> } {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const tx = <T>(fn: (q: import('./platform/db.ts').Queryable) => Promise<T>) => ctx.db.tx(fn, { asAppRole: false });
  const once = async (all: boolean) => {
    const engine: Engine = createEngine(await loadParameters(), { rootCode: ctx.jurisdiction.rootCode });
    const t0 = Date.now();
    const r = await sweep(tx, engine, RECOMPUTE_PORTS, ctx.clock, { all });
    if (r.computed > 0) o.log?.(`待遇核定：${r.computed} 人（变化 ${r.changed}），用时 ${((Date.now() - t0) / 1000).toFixed(1)} 秒`);
  };
  const done = (async () => {
    const failed = await ctx.db.tx((q) => failInterruptedSimulations(q, '服务重启，测算中断，请重新运行'), { asAppRole: false });
    if (failed > 0) o.log?.(`${failed} 个未完成的政策测算已标记为中断`);
    const [people, stored] = await Promise.all([countAllPeople(ctx), ctx.db.tx((q) => countEntitlements(q), { asAppRole: false })]);
    if (stored < people) await analyzeDatabase(ctx.db); // a whole-population pass follows
    await once(stored < people);
  })().catch((e: unknown) => ctx.logger.error({ err: e }, 'entitlement sweep failed'));
  const tick = () => {
    if (stopped) return;
    timer = setTimeout(() => void once(false).catch((e: unknown) => ctx.logger.error({ err: e }, 'entitlement sweep failed')).finally(tick), o.everyMs ?? 3_600_000);
    timer.unref();
  };
  void done.then(tick);
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    done,
  };
}

/**
 * Care delivery's daily work while the server runs: every `orderExtensionHours` (and once at
 * start) the confirmed plans' orders are made up to the horizon (idempotent), and any visit
 * whose anomaly flags were not computed (the process stopped just after a sync) is checked.
 */
export function startCareSchedule(ctx: AppContext): { stop: () => void } {
  const { care, visits } = careServices(ctx);
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const MS_PER_HOUR = 3_600_000;
  const run = () => Promise.all([care.extendOrders(), visits.checkPending()]).then(([made, checked]) => {
    if (made > 0 || checked > 0) ctx.logger.info({ made, checked }, 'care orders extended, visit flags checked');
  }).catch((e: unknown) => ctx.logger.error({ err: e }, 'care order extension or visit check failed'));
  const tick = () => {
    if (stopped) return;
    timer = setTimeout(() => void run().finally(tick), care.rules().orderExtensionHours * MS_PER_HOUR);
    timer.unref();
  };
  void run().finally(tick);
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** The waiting list's schedule while the server runs: every `scheduleMinutes`, expire overdue offers and allocate. */
export function startWaitlistSchedule(ctx: AppContext): { stop: () => void } {
  const svc = waitlistService(ctx);
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const MS_PER_MINUTE = 60_000;
  const tick = () => {
    if (stopped) return;
    timer = setTimeout(() => void svc.scheduled().catch((e: unknown) => ctx.logger.error({ err: e }, 'waitlist schedule failed')).finally(tick), svc.rules().scheduleMinutes * MS_PER_MINUTE);
    timer.unref();
  };
  tick();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** Build the HTTP app on an open context. */
export function buildPlatformApp(ctx: AppContext, webDir: string | null = WEB_DIR): Promise<App> {
  return buildApp(ctx, { webDir, modules: [platformRoutes, regionRoutes, peopleRoutes, assessmentRoutes, entitlementRoutes({
    factsOf: entitlementFacts(ctx), sim: SIMULATION_PORTS, namesOf, advisorsIn: (q, scope) => usersInScope(q, 'advisor', scope),
    payments: (c) => ({ facts: RECOMPUTE_PORTS.facts, grades: RECOMPUTE_PORTS.grades, identities: (q, scope, ids) => namesAndIdNumbers(c, q, scope, ids), names: namesOf }),
    vouchers: { names: namesOf, linksOf: linksOfUser },
  }), supplyRoutes(supplyPorts(ctx)), waitlistRoutes(waitlistService), mealsRoutes(mealPorts), careRoutes(careServices)] });
}

const waitlistServices = new WeakMap<AppContext, WaitlistService>();
/** The context's one waiting-list service (routes, the automatic run and the CLI share it). */
export function waitlistService(ctx: AppContext): WaitlistService {
  let s = waitlistServices.get(ctx);
  if (!s) {
    s = new WaitlistService(ctx, waitlistPorts(ctx));
    waitlistServices.set(ctx, s);
  }
  return s;
}

/**
 * What the waiting list needs of the other modules: eligibility and tier by the entitlement rules
 * on the register's facts and the care grade in force (evaluated now, so a new grade counts at
 * once), who may act for a person, the supply registry's basic-guarantee beds and bed writes, and
 * the platform's notifier.
 */
export function waitlistPorts(ctx: AppContext): WaitlistPorts {
  let engine: Promise<Engine> | null = null;
  const eng = () => (engine ??= loadParameters().then((p) => createEngine(p, { rootCode: ctx.jurisdiction.rootCode })));
  return {
    async people(q, ids, asOf) {
      const e = await eng();
      const [rows, names, grades] = await Promise.all([RECOMPUTE_PORTS.facts(q, ids), namesOf(q, '*', ids), gradesInForce(q, ids, asOf)]);
      const nameOf = new Map(names.map((n) => [n.id, n.name]));
      const out = new Map<string, ApplicantFacts>();
      for (const r of rows) {
        if (r.deleted) continue;
        const f = personFactsOf(r, grades.get(r.id));
        const v = e.evaluate(f, asOf);
        let reason: string | null = null;
        if (!v.basicBed.eligible) {
          const refused = e.evaluate(f, asOf, true).explanation?.find((x) => x.scheme === 'basicBed' && !x.passed);
          reason = refused ? `${refused.reason}${refused.hint ? `（${refused.hint}）` : ''}` : '未达到条件';
        }
        out.set(r.id, {
          personId: r.id, name: nameOf.get(r.id) ?? '', districtCode: r.district_code, regionCode: r.region_code, eligible: v.basicBed.eligible, tier: v.basicBed.tier, tierLabel: v.basicBed.tierLabel, reason,
          points: { livingAlone: r.living_arrangement === 'alone', age: ageOn(r.birth_date as LocalDate, asOf), grade: f.careGrade, dementia: false },
        });
      }
      return out;
    },
    async reach(q, caller, personId) {
      if (caller.role === 'citizen') {
        const l = (await linksOfUser(q, caller.userId)).find((x) => x.person_id === personId);
        return l ? (l.relation === 'self' ? '本人' : '家属') : null;
      }
      if (!can(caller.role, 'waitlist.read') && !can(caller.role, 'waitlist.apply')) return null;
      return (await namesOf(q, caller.scope, [personId])).length > 0 ? '代办' : null;
    },
    linked: async (q, userId) => (await linksOfUser(q, userId)).map((l) => l.person_id),
    names: async (q, scope, ids) => new Map((await namesOf(q, scope, ids)).map((n) => [n.id, n.name])),
    stamp: (q) => registryStamp(q),
    async tiers(asOf) {
      const set = (await eng()).set;
      const r = resolve<{ tier: number; label: string }[]>(set, 'basicBed', 'priorityTiers', ctx.jurisdiction.rootCode, asOf);
      return (r?.value ?? []).map((t) => ({ tier: t.tier, label: t.label }));
    },
    facilities: (q) => basicBedFacilities(q),
    async changeBeds(q, actor, items, at) {
      const rows = new Map((await getFacilities(q, items.map((i) => i.facilityId))).map((f) => [f.id, f]));
      if (items.some((i) => !rows.has(i.facilityId))) throw new AppError('NOT_FOUND', '未找到该机构');
      await changeBedsAcross(q, actor, items.map((i) => ({ f: rows.get(i.facilityId)!, changes: i.changes, what: i.what })), at);
    },
    vacanciesSince: (q, since) => basicVacanciesSince(q, since),
    turnover: (q, since) => basicTurnoverSince(q, since),
    vacancyEvents: (q, since) => basicVacancyEvents(q, since),
    async bedLabel(q, bedId) {
      const b = await bedLabel(q, bedId);
      return b ? (b.room_name ? `${b.room_name} ${b.label}` : b.label) : null;
    },
    notifier: recordingNotifier,
  };
}

const careServicesOf = new WeakMap<AppContext, CareServices>();
/** The context's care-delivery services (routes, jobs and the CLI share them). */
export function careServices(ctx: AppContext): CareServices {
  let s = careServicesOf.get(ctx);
  if (!s) {
    s = makeCareServices(ctx, carePorts(ctx));
    careServicesOf.set(ctx, s);
  }
  return s;
}

/**
 * What care delivery needs of the other modules: where people live, their LTCI home-care
 * entitlement by the entitlement rules on the register's facts and the care grade in force, who a
 * citizen account may act for, providers and their staff accounts, the notifier, and the LTCI
 * settlement parameters.
 */
export function carePorts(ctx: AppContext): CarePorts {
  let engine: Promise<Engine> | null = null;
  const eng = () => (engine ??= loadParameters().then((p) => createEngine(p, { rootCode: ctx.jurisdiction.rootCode })));
  return {
    async people(q, scope, ids) {
      const rows = await homesOf(q, scope, ids);
      return new Map(rows.map((r): [string, CarePerson] => [r.id, {
        id: r.id, name: r.name, regionCode: r.region_code, districtCode: r.district_code, address: r.address, home: r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null, diedOn: r.death_date,
        phone: r.phone_enc ? ctx.crypto.decrypt(r.phone_enc) : null,
      }]));
    },
    async ltci(q, ids, asOf) {
      const e = await eng();
      const [rows, grades] = await Promise.all([RECOMPUTE_PORTS.facts(q, ids), gradesInForce(q, ids, asOf)]);
      const out = new Map<string, import('./care/model.ts').LtciEntitlement>();
      for (const r of rows) {
        if (r.deleted) continue;
        const g = grades.get(r.id);
        const f = personFactsOf(r, g);
        const v = e.evaluate(f, asOf);
        let reason: string | null = null;
        if (!v.ltci.eligible) {
          const refused = e.evaluate(f, asOf, true).explanation?.find((x) => x.scheme === 'ltci' && !x.passed);
          reason = refused ? `${refused.reason}${refused.hint ? `（${refused.hint}）` : ''}` : '未达到条件';
        }
        out.set(r.id, {
          eligible: v.ltci.eligible, reason, grade: g?.grade ?? null, gradeValidFrom: g?.validFrom ?? null, gradeValidTo: g?.validUntil ?? null,
          hoursPerWeek: v.ltci.eligible ? v.ltci.homeCareHoursPerWeek : null, fundShareHome: v.ltci.fundShareHome,
        });
      }
      return out;
    },
    linked: async (q, userId) => (await linksOfUser(q, userId)).map((l) => l.person_id),
    providerOfUser: (q, userId) => providerOfUser(q, userId),
    providers: async (q, ids) => new Map((await providerNames(q, ids)).map((p) => [p.id, { id: p.id, name: p.name, regionCode: p.region_code }])),
    notifier: recordingNotifier,
    settleParams: async () => ltciOn(await eng(), ctx.jurisdiction.rootCode),
  };
}

/**
 * What the supply portal needs of the other modules: what long-term-care insurance pays for a
 * grade (the entitlement rules on the facts of a person with that grade and insurance), the
 * people a signed-in caller may search for, and notifications to a registered person.
 */
export function supplyPorts(ctx: AppContext): SupplyPorts {
  const entitlements = new EntitlementService(ctx, null);
  const AGE_FOR_TERMS = 70;
  return {
    async ltciTerms(grade, insurance, districtCode, asOf): Promise<LtciTerms> {
      const day = asOf as LocalDate;
      const v = await entitlements.check({
        birthDate: addYears(day, -AGE_FOR_TERMS), hukouDistrict: districtCode, residenceDistrict: districtCode, insurance, careGrade: grade,
        careGradeValidFrom: day, careGradeValidUntil: addYears(day, 1),
      }, day);
      const scheme = v.schemes.find((s) => s.scheme === 'ltci');
      const citations = new Map<string, { document: string; article: string }>();
      for (const step of v.explanation) {
        const p = step.parameter as { citation?: { document: string; article: string } } | undefined;
        if (step.scheme === 'ltci' && p?.citation) citations.set(`${p.citation.document}|${p.citation.article}`, { document: p.citation.document, article: p.citation.article });
      }
      return {
        eligible: v.ltci.eligible, reason: scheme?.reason ?? '', fundShareHome: v.ltci.fundShareHome, fundShareInstitution: v.ltci.fundShareInstitution,
        institutionDailyLimitFen: v.ltci.institutionDailyLimitFen, homeCareHoursPerWeek: v.ltci.homeCareHoursPerWeek, citations: [...citations.values()],
      };
    },
    async proxyPeople(q, caller, personId) {
      let picked: { id: string; relation: string }[];
      if (caller.role === 'citizen') picked = (await linksOfUser(q, caller.userId)).map((l) => ({ id: l.person_id, relation: l.relation === 'self' ? '本人' : '家属' }));
      else picked = personId ? [{ id: personId.toLowerCase(), relation: '代办' }] : [];
      if (picked.length === 0) return [];
      // A citizen's links were made for them; an advisor reaches only people in their scope.
      const scope = caller.role === 'citizen' ? '*' : caller.scope;
      const ids = picked.map((p) => p.id);
      const [names, facts] = await Promise.all([namesOf(q, scope, ids), factsOfPeople(q, scope, ids)]);
      const grades = await gradesInForce(q, ids, todayIn(ctx.clock));
      return names.map((n) => {
        const f = facts.find((x) => x.id === n.id);
        return {
          personId: n.id, name: n.name, relation: picked.find((p) => p.id === n.id)?.relation ?? '', districtCode: n.district_code, streetCode: n.street_code,
          careGrade: grades.get(n.id)?.grade ?? null, insurance: f?.insurance_type ?? null,
        };
      });
    },
    notifyPerson: (q, n, at) => notifyPerson(q, n, at),
    eldersOf: eldersOfDistrict,
  };
}

/**
 * A registered person's facts for the entitlement rules: the register (birth, hukou, insurance,
 * economic status, living arrangement, death) and the Shanghai care grade in force on the date.
 * Both reads are scoped to the caller and audited by their modules.
 */
export function entitlementFacts(ctx: AppContext): FactsOf {
  const people = new PeopleService(ctx);
  const grades = new CareGradeService(ctx, personPort(ctx));
  return async (caller, personId, asOf) => {
    let p;
    try {
      p = await people.get(caller, personId);
    } catch (e) {
      if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
      throw e;
    }
    if (p.deletedAt) return null;
    const g = (await grades.list(caller, personId, asOf)).current;
    const facts: PersonFacts = {
      birthDate: p.birthDate as LocalDate,
      hukouDistrict: p.hukouDistrictCode,
      residenceDistrict: p.districtCode,
      insurance: (p.insuranceType === 'employee' || p.insuranceType === 'resident' ? p.insuranceType : null) as Insurance,
      careGrade: g?.grade ?? null,
      careGradeValidFrom: (g?.validFrom ?? null) as LocalDate | null,
      careGradeValidUntil: (g?.validUntil ?? null) as LocalDate | null,
      economic: p.economicStatus as Economic,
      deathDate: p.deathDate as LocalDate | null,
      living: p.livingArrangement as Living,
    };
    return { facts, districtCode: p.districtCode };
  };
}

export interface DemoAccount {
  username: string;
  displayName: string;
  role: string;
  regionCode: string;
}

/** The jurisdiction's demo accounts and their shared password (policy/jurisdictions/<id>/demo-accounts.json). */
export function demoAccounts(jurisdiction: string): { password: string; accounts: DemoAccount[] } {
  return JSON.parse(readFileSync(join(DEFAULT_POLICY_DIR, 'jurisdictions', jurisdiction, 'demo-accounts.json'), 'utf8')) as { password: string; accounts: DemoAccount[] };
}

/** Create the demo accounts (idempotent). */
export async function seedDemoUsers(ctx: AppContext): Promise<{ password: string; accounts: DemoAccount[] }> {
  const demo = demoAccounts(ctx.jurisdiction.id);
  for (const a of demo.accounts) {
    if (!isRole(a.role)) throw new Error(`demo account ${a.username}: unknown role ${a.role}`);
    await ctx.db.tx((q) => upsertUser(q, { ...a, role: a.role as never, password: demo.password }), { asAppRole: false });
  }
  return demo;
}

/** The demo's citizen accounts see one person of their region as themselves (their e-voucher balance, …). */
async function linkDemoCitizens(ctx: AppContext, accounts: DemoAccount[]): Promise<void> {
  await ctx.db.tx(async (q) => {
    for (const a of accounts.filter((x) => x.role === 'citizen')) {
      const user = await userIdOf(q, a.username);
      const person = await somePersonIn(q, a.regionCode);
      if (user && person) await linkUser(q, user, person.id, person.district_code, 'self');
    }
  }, { asAppRole: false });
}

/** The demo citizen account is also the family of one person who receives home care (the /my/care page). */
async function linkDemoFamily(ctx: AppContext, accounts: DemoAccount[], personId: string): Promise<void> {
  await ctx.db.tx(async (q) => {
    const person = (await homesOf(q, '*', [personId]))[0];
    for (const a of accounts.filter((x) => x.role === 'citizen')) {
      const user = await userIdOf(q, a.username);
      if (user && person && person.district_code.startsWith(a.regionCode.slice(0, 6))) await linkUser(q, user, person.id, person.district_code, 'family');
    }
  }, { asAppRole: false });
}

/**
 * The demo city's entitlements: everyone decided (the first sweep, done here rather than after
 * start), then grants for most of those who qualify, so the payment, 政策找人 and voucher screens
 * have something to show. Only for the demo city (`serve --demo-if-empty`, `seed --demo`).
 */
export async function seedDemoEntitlements(ctx: AppContext): Promise<{ decided: number; grants: number }> {
  const engine = createEngine(await loadParameters(), { rootCode: ctx.jurisdiction.rootCode });
  const r = await sweep((fn) => ctx.db.tx(fn, { asAppRole: false }), engine, RECOMPUTE_PORTS, ctx.clock, { all: true });
  return { decided: r.computed, grants: await seedDemoGrants(ctx) };
}

/** Seed the demo city: accounts plus a synthetic population of the given scale. */
export async function seedDemo(
  ctx: AppContext,
  scale: DemoScale | number,
  seed: number,
  onProgress?: (done: number, total: number) => void,
  o: { supply?: boolean } = {},
): Promise<{ people: number; accounts: DemoAccount[]; password: string }> {
  const demo = await seedDemoUsers(ctx);
  await seedAssessmentDemo(ctx);
  const count = typeof scale === 'number' ? scale : DEMO_SCALES[scale];
  const people = (await countAllPeople(ctx)) > 0 ? 0 : await seedDemoPeople(ctx, { count, seed, onProgress });
  if (people > 0) await seedDemoAssessments(ctx);
  if (people > 0) await analyzeDatabase(ctx.db);
  await linkDemoCitizens(ctx, demo.accounts);
  const providerUser = demo.accounts.some((a) => a.role === 'provider' && a.username === 'provider') ? await ctx.db.tx((q) => userIdOf(q, 'provider'), { asAppRole: false }) : null;
  if (o.supply !== false) {
    const t0 = Date.now();
    const r = await seedDemoSupply(ctx, elderCountsByStreet, { seed, providerUser });
    if (r.facilities > 0) ctx.logger.info({ ...r, ms: Date.now() - t0 }, 'demo supply seeded');
    const living = async (q: import('./platform/db.ts').Queryable) => {
      const ids: string[] = [];
      for (let after: string | null = null; ;) {
        const page = await factsPage(q, '*', {}, after, PAGE_OF_PEOPLE);
        for (const r of page) if (!r.death_date) ids.push(r.id);
        if (page.length < PAGE_OF_PEOPLE) return ids;
        after = page.at(-1)!.id;
      }
    };
    const applications = await seedDemoWaitlist(ctx, waitlistPorts(ctx), living, seed);
    if (applications > 0) ctx.logger.info({ applications }, 'demo waiting list seeded');
    const caregiverUser = demo.accounts.some((a) => a.role === 'caregiver' && a.username === 'caregiver') ? await ctx.db.tx((q) => userIdOf(q, 'caregiver'), { asAppRole: false }) : null;
    const t1 = Date.now();
    const care = await seedDemoCare(ctx, careServices(ctx), { providerUser, caregiverUser, living, seed });
    if (care.caregivers > 0) ctx.logger.info({ ...care, ms: Date.now() - t1 }, 'demo care delivery seeded');
    if (care.familyOf) await linkDemoFamily(ctx, demo.accounts, care.familyOf);
    const meals = await seedDemoMeals(ctx, mealPorts(ctx), living, seed);
    if (meals.menus > 0) ctx.logger.info(meals, 'demo meals seeded');
  }
  return { people, accounts: demo.accounts, password: demo.password };
}

const mealDirectories = new WeakMap<AppContext, PublicDirectory>();
/**
 * What community meals need of the other modules: the supply registry's meal points (facility
 * types of the catalogue's meals group: the public snapshot for the list, by id for the checks),
 * its change stamp, the provider a provider account acts for, the register's people with the care
 * grade in force on a day, and who may act for a person (a linked citizen; staff with meals.order
 * for people in their scope), as for the waiting list.
 */
export function mealPorts(ctx: AppContext): MealPorts {
  const types = new Map(supplyPolicy().catalogue.facilityTypes.filter((t) => t.group === 'meals').map((t) => [t.code, t.name]));
  const registry = new RegistryService(ctx);
  const MEAL_POINTS_PAGE = 1000;
  const point = (f: FacilityRow): MealPoint => ({
    id: f.id, providerId: f.provider_id, name: f.name, typeCode: f.type_code, typeName: types.get(f.type_code) ?? f.type_code, regionCode: f.region_code, districtCode: f.district_code,
    address: f.address, lon: f.lon, lat: f.lat, phone: f.phone, openingHours: f.opening_hours, capacity: f.meal_capacity, approved: f.status === 'approved',
  });
  const pointsById = async (q: import('./platform/db.ts').Queryable, ids: readonly string[]) => (await getFacilities(q, ids)).filter((f) => types.has(f.type_code)).map(point);
  return {
    async points() {
      let dir = mealDirectories.get(ctx);
      if (!dir) {
        dir = new PublicDirectory(ctx, supplyPorts(ctx));
        mealDirectories.set(ctx, dir);
      }
      const ids: string[] = [];
      for (let page = 1; ; page++) {
        const r = await dir.search({ types: [...types.keys()], page, pageSize: MEAL_POINTS_PAGE });
        ids.push(...r.items.map((i) => i.id));
        if (r.items.length < MEAL_POINTS_PAGE) break;
      }
      return ctx.db.tx((q) => pointsById(q, ids), { asAppRole: false, readOnly: true });
    },
    pointsById,
    stamp: (q) => registryStamp(q),
    providerOf: async (caller) => (await registry.mine(caller)).provider?.id ?? null,
    async people(q, ids, asOf) {
      const out = new Map<string, MealPerson>();
      if (ids.length === 0) return out;
      const [facts, names, grades] = await Promise.all([factsOfPeople(q, '*', ids), namesOf(q, '*', ids), gradesInForce(q, ids, asOf)]);
      const nameOf = new Map(names.map((n) => [n.id, n.name]));
      for (const f of facts) {
        if (f.deleted) continue;
        out.set(f.id, {
          personId: f.id, name: nameOf.get(f.id) ?? '', regionCode: f.region_code, districtCode: f.district_code, birthDate: f.birth_date, economicStatus: f.economic_status,
          careGrade: grades.get(f.id)?.grade ?? null, deceased: f.death_date !== null,
        });
      }
      return out;
    },
    async reach(q, caller, personId) {
      if (caller.role === 'citizen') {
        const l = (await linksOfUser(q, caller.userId)).find((x) => x.person_id === personId);
        return l ? (l.relation === 'self' ? '本人' : '家属') : null;
      }
      if (!can(caller.role, 'meals.order')) return null;
      return (await namesOf(q, caller.scope, [personId])).length > 0 ? '代办' : null;
    },
    linked: async (q, userId) => (await linksOfUser(q, userId)).map((l) => ({ personId: l.person_id, relation: l.relation === 'self' ? '本人' : '家属' })),
  };
}
