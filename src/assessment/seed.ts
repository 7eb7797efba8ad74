// Demo data of the workflow: the jurisdiction's designated agencies
// (policy/jurisdictions/<id>/assessment-agencies.json) and the demo assessors' agencies.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { newId } from '../core/ids.ts';
import type { AppContext } from '../platform/context.ts';
import { sql } from '../platform/db.ts';
import { scopePrefix } from '../core/regions.ts';
import type { Caller } from '../platform/auth.ts';
import { PeopleService } from '../people/index.ts';
import { loadInstrument } from './instruments.ts';
import { personPort } from './people-port.ts';
import { AssessmentService } from './service.ts';
import * as store from './store.ts';
import { loadWorkflowPolicy } from './workflow-params.ts';

const JURISDICTIONS_DIR = fileURLToPath(new URL('../../policy/jurisdictions', import.meta.url));

const fileSchema = z.object({
  agencies: z.array(z.strictObject({
    code: z.string().min(1), districtCode: z.string().regex(/^\d{6}$/), regionCode: z.string().regex(/^\d{6,12}$/), name: z.string().min(1),
    daysToVisit: z.number().int().positive().optional(), daysToResult: z.number().int().positive().optional(),
  })),
  /** Demo account username → agency code. */
  demoAssessors: z.record(z.string(), z.string()).default({}),
});

/** Seed agencies and link demo assessors (idempotent). Returns the number of agencies. */
export async function seedAssessmentDemo(ctx: AppContext): Promise<number> {
  const file = join(JURISDICTIONS_DIR, ctx.jurisdiction.id, 'assessment-agencies.json');
  let data: z.infer<typeof fileSchema>;
  try {
    data = fileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  await ctx.db.tx(async (q) => {
    await store.upsertAgencies(q, data.agencies.map((a) => ({
      district_code: a.districtCode, id: newId(), code: a.code, name: a.name, region_code: a.regionCode,
      days_to_visit: a.daysToVisit ?? null, days_to_result: a.daysToResult ?? null,
    })));
    for (const [username, code] of Object.entries(data.demoAssessors)) {
      const agency = await store.agencyIdByCode(q, code);
      const user = await q.one<{ id: string }>(sql`SELECT id FROM platform.app_user WHERE username = ${username}`);
      if (!agency || !user) throw new Error(`demo assessor ${username} → agency ${code}: unknown user or agency`);
      await store.upsertAssessor(q, { district_code: agency.district_code, user_id: user.id, agency_id: agency.id });
    }
  }, { asAppRole: false });
  return data.agencies.length;
}

/** Days before today each demo assessment was completed: the oldest ones fall in the expiring-soon window. */
const DEMO_COMPLETED_DAYS_AGO = [700, 680, 400, 200, 90, 30];
/** People (in list order) who get an open application instead: one assigned (for the tablet), one applied. */
const DEMO_OPEN: ('assigned' | 'applied')[] = ['assigned', 'applied'];
const DAY_MS = 86_400_000;

/**
 * A few realistic assessment histories for the demo, made through the real use cases with the
 * demo accounts (admin applies and assigns, `assessor` records and submits, `assessor2`
 * countersigns), back-dated by running the service on a shifted clock. Only when the demo
 * assessors exist and their district has people aged 60 and over. Returns how many were made.
 */
export async function seedDemoAssessments(ctx: AppContext): Promise<number> {
  const users = await ctx.db.rows<{ id: string; username: string; display_name: string; role: string; region_code: string }>(
    sql`SELECT id, username, display_name, role, region_code FROM platform.app_user WHERE username IN ('admin', 'assessor', 'assessor2')`);
  const callerOf = (username: string): Caller | null => {
    const u = users.find((x) => x.username === username);
    return u ? {
      userId: u.id, username: u.username, displayName: u.display_name, role: u.role as Caller['role'], regionCode: u.region_code,
      scope: scopePrefix(u.region_code), sessionKind: 'bearer', csrfToken: '',
    } : null;
  };
  const admin = callerOf('admin');
  const first = callerOf('assessor');
  const second = callerOf('assessor2');
  if (!admin || !first || !second) return 0;
  const agencies = await ctx.db.tx((q) => store.listAgencies(q, '*'), { asAppRole: false });
  const assessorRows = await ctx.db.rows<{ user_id: string; agency_id: string }>(sql`SELECT user_id, agency_id FROM assessment.assessor WHERE user_id = ${first.userId}::uuid`);
  const agency = agencies.find((a) => a.id === assessorRows[0]?.agency_id);
  if (!agency) return 0;
  const people = new PeopleService(ctx);
  const list = await people.list(admin, { districtCode: agency.district_code, ageMin: 62 }, 40, null);
  const candidates = list.items.filter((p) => !p.deceased).slice(-(DEMO_COMPLETED_DAYS_AGO.length + DEMO_OPEN.length));
  const instrument = await loadInstrument(loadWorkflowPolicy().instrument);
  const at = (daysAgo: number, hours: number) => new Date(ctx.clock().getTime() - daysAgo * DAY_MS + hours * 3_600_000);
  const svcAt = (date: Date) => new AssessmentService({ ...ctx, clock: () => date }, personPort(ctx));
  let made = 0;
  for (const [i, person] of candidates.entries()) {
    const daysAgo = DEMO_COMPLETED_DAYS_AGO[i];
    const open = daysAgo === undefined ? DEMO_OPEN[i - DEMO_COMPLETED_DAYS_AGO.length]! : null;
    const start = daysAgo ?? 2;
    const applied = await svcAt(at(start + 5, 0)).apply(admin, { personId: person.id, reason: i === 0 ? 'first' : 'routine', channel: i % 2 ? 'online' : 'centre', applicant: i % 3 === 0 ? 'self' : 'family' });
    made++;
    if (applied.state !== 'applied' || open === 'applied') continue;
    await svcAt(at(start + 4, 0)).assign(admin, applied.id, { agencyId: agency.id, assessorIds: [first.userId, second.userId] });
    if (open === 'assigned') continue;
    // deterministic answers: a spread of abilities over the demo people
    const answers = Object.fromEntries(instrument.data.items.map((item, k) => {
      const scores = item.options.map((o) => o.score).sort((x, y) => y - x);
      return [item.key, scores[Math.min(scores.length - 1, (i * 7 + k * 3) % (i + 2))]!];
    }));
    await svcAt(at(start + 1, 0)).recordAnswers(first, applied.id, { opId: randomUUID(), answers, ...(i === 3 ? { diagnoses: ['F03.9'] } : {}), riskEvents30d: i % 4 });
    await svcAt(at(start + 1, 1)).submit(first, applied.id);
    await svcAt(at(start, 0)).countersign(second, applied.id);
  }
  made += await seedQualityDemo(ctx, admin, agency, first.userId);
  made += await seedCareGradeDemo(ctx, admin, agency.district_code);
  return made;
}

// ---- quality-control demo history (issue 4 §5) ----
// Imports of this block are kept here so the block stays one contiguous addition.
import { addDays as addLocalDays, mulberry32, todayIn as todayOf } from '../core/index.ts';
import { loadSigningKey } from '../platform/crypto.ts';
import { score as scoreAnswers } from './model.ts';
import { signResult } from './signing.ts';
import { validity } from './workflow.ts';
import { workflowParams } from './workflow-params.ts';

/**
 * How many past results each agency of the demo district gets, and the share reviewed by the other
 * agency. Kept small: with the demo's 8 other applications the district stays within the first
 * page (50) of the workbench's assessment list, which lists oldest first.
 */
const QC_DEMO = { perAgency: [16, 12], reviewedShare: 0.25, days: 360, seed: 20261129 } as const;
/** Target level shares per agency: the first like a district's typical spread, the second skewed to severe (so its figures stand out). */
const QC_LEVEL_WEIGHTS = [[0.15, 0.3, 0.25, 0.2, 0.1], [0.04, 0.1, 0.2, 0.3, 0.36]] as const;
/** Minutes from the first answer to submit: [least, spread]; the second agency is quick. */
const QC_VISIT_MINUTES = [[35, 50], [9, 8]] as const;
const LEVEL_TOTALS = [90, 78, 56, 38, 15]; // a total inside each GB/T 42195 level band (C.3), to aim the generated answers
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * A year of completed results for the demo assessors' district, so the quality-control screen has
 * figures: two agencies (the second gets two demo assessors without a login, `qc.<code>.1/2`),
 * results aimed at each agency's level shares, visit times, and about one in four results
 * reviewed (复核) by the other agency — reviews of the second agency's results often find a lower
 * level. Rows are written directly (scored with the instrument and signed with the deployment key,
 * like a countersigned result), in one transaction, so the first start stays fast. Deterministic.
 */
export async function seedQualityDemo(ctx: AppContext, admin: Caller, first: store.AgencyRow, firstAssessorId: string): Promise<number> {
  const agencies = (await ctx.db.tx((q) => store.listAgencies(q, '*', first.district_code), { asAppRole: false })).filter((a) => a.active);
  const second = agencies.find((a) => a.id !== first.id);
  if (!second) return 0;
  // people without an assessment yet, so the histories made above (expiring soon, open) stay as they are
  const assessed = new Set((await ctx.db.rows<{ person_id: string }>(sql`SELECT DISTINCT person_id FROM assessment.application WHERE district_code = ${first.district_code}`)).map((r) => r.person_id));
  const people = (await new PeopleService(ctx).list(admin, { districtCode: first.district_code, ageMin: 62 }, 200, null)).items.filter((p) => !p.deceased && !assessed.has(p.id));
  if (people.length === 0) return 0;
  const instrument = await loadInstrument(loadWorkflowPolicy().instrument);
  const key = new AssessmentService(ctx, personPort(ctx)).keys().keys[0]!;
  const { privateKey } = loadSigningKey(ctx.config.signingKey, ctx.config.dataDir);
  const rand = mulberry32(QC_DEMO.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const now = ctx.clock().getTime();
  let made = 0;
  await ctx.db.tx(async (q) => {
    // assessors of each agency: the demo accounts for the first; two login-less demo assessors for the second
    const staff: string[][] = [await store.assessorsOfAgency(q, '*', first.id), await store.assessorsOfAgency(q, '*', second.id)];
    if (staff[1]!.length < 2) {
      for (const [n, name] of ['评估员 王老师（演示）', '评估员 赵老师（演示）'].entries()) {
        const username = `qc.${second.code.toLowerCase()}.${n + 1}`;
        const row = await q.one<{ id: string }>(sql`INSERT INTO platform.app_user (id, username, display_name, role, region_code, password_hash, disabled_at)
          VALUES (${newId()}, ${username}, ${name}, 'assessor', ${second.district_code}, ${'!'}, now())
          ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name RETURNING id`);
        await store.upsertAssessor(q, { district_code: second.district_code, user_id: row!.id, agency_id: second.id });
      }
      staff[1] = await store.assessorsOfAgency(q, '*', second.id);
    }
    if (staff.some((s) => s.length < 2)) return;
    const maxTotal = instrument.data.items.reduce((sum, item) => sum + Math.max(...item.options.map((o) => o.score)), 0);
    const answersFor = (level: number) => {
      const target = LEVEL_TOTALS[level]! / maxTotal;
      return Object.fromEntries(instrument.data.items.map((item) => {
        const max = Math.max(...item.options.map((o) => o.score));
        const want = max * Math.min(1, Math.max(0, target + (rand() - 0.5) * 0.2));
        const best = item.options.reduce((b, o) => (Math.abs(o.score - want) < Math.abs(b.score - want) ? o : b));
        return [item.key, best.score];
      }));
    };
    const levelFor = (weights: readonly number[]) => {
      let x = rand();
      for (const [l, w] of weights.entries()) if ((x -= w) < 0) return l;
      return weights.length - 1;
    };
    const insert = async (o: { agencyIdx: number; person: (typeof people)[number]; completedDaysAgo: number; level: number; reviewOf: string | null }) => {
      const agency = [first, second][o.agencyIdx]!;
      // the demo account `assessor` always first (its task list shows only what it records)
      const [a1, a2] = [...staff[o.agencyIdx]!].sort((x, y) => Number(y === firstAssessorId) - Number(x === firstAssessorId) || x.localeCompare(y));
      const request = { answers: answersFor(o.level) };
      const r = scoreAnswers(instrument, request);
      if (!r.ok) return null;
      const completedAt = new Date(now - o.completedDaysAgo * DAY_MS - Math.floor(rand() * 8) * HOUR_MS);
      const [least, spread] = QC_VISIT_MINUTES[o.agencyIdx]!;
      const submittedAt = new Date(completedAt.getTime() - (1 + Math.floor(rand() * 48)) * HOUR_MS);
      const startedAt = new Date(submittedAt.getTime() - (least + Math.floor(rand() * spread)) * MINUTE_MS);
      const appliedAt = new Date(startedAt.getTime() - (2 + Math.floor(rand() * 10)) * DAY_MS);
      const appliedOn = todayOf(() => appliedAt);
      const completedOn = todayOf(() => completedAt);
      const id = newId();
      await store.insertApplication(q, {
        district_code: agency.district_code, id, person_id: o.person.id, region_code: o.person.streetCode ?? o.person.districtCode,
        reason: o.reviewOf ? 'review' : pick(['first', 'routine', 'change'] as const), channel: pick(['online', 'centre'] as const),
        applicant: pick(['self', 'family', 'advisor'] as const), state: 'completed', state_reasons: [], applied_on: appliedOn,
        agency_id: agency.id, review_of: o.reviewOf, expected_visit_by: addLocalDays(appliedOn, agency.days_to_visit ?? workflowParams(appliedOn).daysToVisit),
        expected_result_by: addLocalDays(appliedOn, agency.days_to_result ?? workflowParams(appliedOn).daysToResult), created_by: admin.userId,
      }, appliedAt);
      const doc = signResult({
        instrument, issuer: { regionCode: agency.district_code, name: agency.name }, issuedAt: completedAt.toISOString(), subject: id, request, result: r.value,
      }, { keyId: key.keyId, privateKey });
      const { instrument: _i, ...result } = r.value;
      const v = validity(completedOn, workflowParams(completedOn));
      await store.updateApplication(q, '*', id, 1, {
        assessor1_id: a1!, assessor2_id: a2!, answers: request.answers, instrument_id: instrument.ref.id, instrument_version: instrument.ref.version,
        result, level: r.value.level, valid_from: v.validFrom, valid_until: v.validUntil, signed_document: doc,
        assigned_at: new Date(appliedAt.getTime() + HOUR_MS), started_at: startedAt, submitted_at: submittedAt, completed_at: completedAt,
      }, completedAt);
      made++;
      return { id, level: r.value.level, completedDaysAgo: o.completedDaysAgo, person: o.person };
    };
    for (const [agencyIdx, count] of QC_DEMO.perAgency.entries()) {
      for (let i = 0; i < count; i++) {
        const daysAgo = 3 + Math.floor(rand() * (QC_DEMO.days - 3));
        const done = await insert({ agencyIdx, person: pick(people), completedDaysAgo: daysAgo, level: levelFor(QC_LEVEL_WEIGHTS[agencyIdx]!), reviewOf: null });
        if (!done || rand() >= QC_DEMO.reviewedShare || done.completedDaysAgo < 20) continue;
        // 复核 by the other agency about two weeks later: a second agency's result is often found a level lower
        const lower = agencyIdx === 1 && rand() < 0.6 ? Math.max(0, done.level - 1) : rand() < 0.15 ? Math.min(instrument.data.levels.length - 1, done.level + 1) : done.level;
        await insert({ agencyIdx: 1 - agencyIdx, person: done.person, completedDaysAgo: done.completedDaysAgo - 14, level: lower, reviewOf: done.id });
      }
    }
  }, { asAppRole: false });
  return made;
}

// ---- Shanghai care grade demo (issue 4 item 1) ----
// Imports of this block are kept here so the block stays one contiguous addition.
import { CareGradeService, demoAgencyKey } from './service.ts';
import { signCareGrade, type CareGradeRecord } from './care-grade.ts';
import { addYears as addLocalYears } from '../core/dates.ts';

/** How many demo people get a care grade; every fifth also an older, expired one (history). */
const CARE_GRADE_DEMO_PEOPLE = 30;

/**
 * Demo care grades: a key pair per agency of the district (generated at seed time: private key in
 * the data dir, public key registered), then signed grade records of up to 30 people of the
 * district imported through the real use case (API source), so the history, events and audit rows
 * are those of a real import. Returns how many grades were recorded.
 */
export async function seedCareGradeDemo(ctx: AppContext, admin: Caller, districtCode: string): Promise<number> {
  const agencies = (await ctx.db.tx((q) => store.listAgencies(q, '*', districtCode), { asAppRole: false })).filter((a) => a.active);
  if (agencies.length === 0) return 0;
  const keys: { code: string; keyId: string; privateKey: string }[] = [];
  for (const a of agencies) keys.push({ code: a.code, ...(await demoAgencyKey(ctx, { code: a.code, districtCode: a.district_code })) });
  const people = (await new PeopleService(ctx).list(admin, { districtCode, ageMin: 65 }, CARE_GRADE_DEMO_PEOPLE, null)).items.filter((p) => !p.deceased);
  const today = todayOf(ctx.clock);
  const records = people.flatMap((p, i) => {
    const key = keys[i % keys.length]!;
    const grade = (at: number, g: number | null): CareGradeRecord => {
      const assessedOn = addLocalDays(today, -at);
      return {
        personRef: p.id, grade: g, outcome: g === null ? 'medical_referral' : 'grade', agencyCode: key.code,
        assessedOn, validUntil: addLocalDays(addLocalYears(assessedOn, 2), -1),
      };
    };
    const current = grade(20 + ((i * 37) % 600), i % 10 === 9 ? null : (i * 3) % 7);
    const older = i % 5 === 0 ? [grade(900 + i, Math.max(0, ((i * 3) % 7) - 1))] : [];
    return [...older, current].map((r) => signCareGrade(r, key));
  });
  if (records.length === 0) return 0;
  const summary = await new CareGradeService(ctx, personPort(ctx)).importRecords(admin, records, 'api');
  return summary.recorded;
}
