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
  return made;
}
