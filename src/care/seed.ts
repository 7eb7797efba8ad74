// The demo city's care delivery (issue 8): the demo provider's caregivers (the `caregiver` demo
// account is the first of them), LTCI care plans for people of its district who are entitled to
// home care, their visits of the last weeks (a few of them suspicious: far from home, mock
// location, short, during a hospital stay), today's and the coming two weeks' orders assigned, the
// call-back sample, and last month's claim waiting for the insurer's review. Deterministic for a
// seed. Only for `serve --demo-if-empty` and `seed --demo`; nothing is seeded when caregivers exist.
import { addDays, startOfLocalDay, todayIn, type LocalDate } from '../core/dates.ts';
import { makeIdGenerator, mulberry32, newId } from '../core/ids.ts';
import { makeIdNumber } from '../core/idnumber.ts';
import { scopePrefix } from '../core/regions.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { anomalyScore } from './anomaly.ts';
import { homeCode, newHomeSecret } from './homecode.ts';
import { expandSlots, proposeSlots, type PlanSlot } from './model.ts';
import * as cg from './store/caregivers.ts';
import * as pl from './store/plans.ts';
import * as vs from './store/visits.ts';
import type { CareServices } from './wiring.ts';

const NAMES = ['孙桂英', '王秀兰', '李建国', '张丽华', '刘美玲', '陈志强', '杨淑芬', '赵红梅', '黄国庆', '周晓燕'];
const PEOPLE = 24;
const WEEKS_BACK = 6;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const METERS_PER_DEGREE = 111_000;
const SUSPICIOUS = 0.04; // share of past visits made suspicious
const MISSED = 0.03;
const DEVICE = (i: number) => `demo-phone-${i + 1}`;

export interface CareSeedResult {
  caregivers: number;
  plans: number;
  visits: number;
  claim: boolean;
  /** One person with a plan, for the demo family account. */
  familyOf: string | null;
}

/**
 * Seed care delivery for the demo. `providerOfDemo` is the demo provider account's provider and
 * `caregiverUser` the demo caregiver account; `living` lists the register's living people.
 */
export async function seedDemoCare(ctx: AppContext, s: CareServices, o: { providerUser: string | null; caregiverUser: string | null; living: (q: Queryable) => Promise<string[]>; seed?: number }): Promise<CareSeedResult> {
  const none: CareSeedResult = { caregivers: 0, plans: 0, visits: 0, claim: false, familyOf: null };
  const sys = <T>(fn: (q: Queryable) => Promise<T>) => ctx.db.tx(fn, { asAppRole: false });
  const ports = s.care.ports;
  if (!o.providerUser) return none;
  const providerId = await sys((q) => ports.providerOfUser(q, o.providerUser!));
  if (!providerId) return none;
  if ((await sys((q) => cg.listCaregivers(q, { providerId }, 1, 0))).total > 0) return none;
  const provider = (await sys((q) => ports.providers(q, [providerId]))).get(providerId)!;
  const district = provider.regionCode.slice(0, 6);
  const rand = mulberry32((o.seed ?? 1) * 104_729 + 11);
  const ids = makeIdGenerator((o.seed ?? 1) * 31 + 5);
  const now = ctx.clock();
  const today = todayIn(ctx.clock);
  const rules = s.care.rules(today);
  const jitter = (meters: number) => ((rand() * 2 - 1) * meters) / METERS_PER_DEGREE;

  return sys(async (q) => {
    // Caregivers: one nurse, the rest care workers; the demo account is the first.
    const carers: cg.CaregiverWrite[] = NAMES.map((name, i) => {
      const nurse = i === NAMES.length - 1;
      const id = makeIdNumber(district, `19${70 + i}-0${1 + (i % 9)}-1${i % 9}` as LocalDate, 100 + i, i % 3 === 2 ? 'M' : 'F');
      return {
        id: ids(), region_code: provider.regionCode, district_code: district, provider_id: providerId, user_id: i === 0 ? o.caregiverUser : null, name, gender: i % 3 === 2 ? 'M' : 'F',
        birth_date: `19${70 + i}-0${1 + (i % 9)}-1${i % 9}`, id_number_enc: ctx.crypto.encrypt(id), id_hash: ctx.crypto.blindIndex(id, 'caregiver'), phone_enc: ctx.crypto.encrypt(`139${String(10_000_000 + i * 7_919).slice(0, 8)}`),
        kind: nurse ? 'nurse' : 'caregiver', skill_level: nurse ? null : 2 + (i % 4), qualifications: nurse ? ['nurse_licence'] : ['caregiver_cert', ...(i % 4 === 1 ? ['dementia_training'] : [])],
        training_hours: 80 + i * 12, health_cert_valid_to: i === 7 ? addDays(today, 20) : addDays(today, 200 + i * 10), background_check: 'passed', background_checked_on: addDays(today, -300),
        status: 'active', status_reason: null, shift_start: '08:00', shift_end: '17:00', home_lat: null, home_lon: null,
      };
    });
    for (const c of carers) {
      await cg.insertCaregiver(q, c, now);
      await cg.insertEmployment(q, { id: ids(), caregiver_id: c.id, provider_id: providerId, region_code: provider.regionCode, from_date: addDays(today, -400), to_date: null, end_reason: null });
    }
    const workers = carers.filter((c) => c.kind === 'caregiver');

    // People of the district entitled to LTCI home care, with a home.
    const living = await o.living(q);
    const homes = await ports.people(q, '*', living);
    const local = living.filter((id) => homes.get(id)?.districtCode === district && homes.get(id)?.home).sort();
    const ltci = await ports.ltci(q, local, today);
    const chosen = local.filter((id) => {
      const e = ltci.get(id);
      return e?.eligible && e.hoursPerWeek && e.gradeValidFrom && e.gradeValidFrom <= addDays(today, -WEEKS_BACK * 7);
    }).slice(0, PEOPLE);
    if (chosen.length === 0) return { ...none, caregivers: carers.length };

    const start = addDays(today, -WEEKS_BACK * 7);
    const horizon = addDays(today, rules.planHorizonDays - 1);
    const todayWeekday = ((((Date.parse(`${today}T00:00:00Z`) / DAY_MS + 3) % 7) + 7) % 7) + 1;
    const allOrders: pl.OrderWrite[] = [];
    const regular = new Map<string, cg.CaregiverWrite>();
    const secrets = new Map<string, string>();
    for (const [i, personId] of chosen.entries()) {
      const p = homes.get(personId)!;
      const e = ltci.get(personId)!;
      // Round robin, so that the demo caregiver has visits; her people's visits include today.
      const carer = workers[i % workers.length]!;
      regular.set(personId, carer);
      const startTime = ['08:30', '10:00', '13:30', '15:00'][Math.floor(i / workers.length) % 4]!;
      let slots: PlanSlot[] = proposeSlots(e.hoursPerWeek!, rules.visitMinutes, startTime, 'care');
      if (carer.user_id) slots = slots.map((x) => ({ ...x, weekday: ((x.weekday - 1 + todayWeekday - 1) % 7) + 1 }));
      const items = rules.ltciItems.filter((it) => it.kind === 'care').filter((_, k) => (k + i) % 5 === 0).slice(0, 4);
      const planId = ids();
      await pl.insertPlan(q, {
        id: planId, person_id: personId, region_code: p.regionCode, district_code: p.districtCode, provider_id: providerId, status: 'confirmed', care_grade: e.grade ?? 0,
        weekly_minutes: e.hoursPerWeek! * 60, items, slots, valid_from: start, valid_to: e.gradeValidTo ?? addDays(today, 365), note: '演示数据', drafted_by: null, confirmed_by: null,
        confirmed_at: startOfLocalDay(start).toISOString(),
      }, now);
      for (const d of expandSlots(slots, start, horizon)) {
        allOrders.push({
          id: ids(), person_id: personId, region_code: p.regionCode, district_code: p.districtCode, provider_id: providerId, plan_id: planId, payer: 'ltci', kind: d.kind,
          items: items.map((x) => x.code), starts_at: d.startsAt.toISOString(), minutes: d.minutes, price_fen_per_hour: null, caregiver_id: carer.id, status: 'assigned',
        });
      }
      const secret = newHomeSecret();
      secrets.set(personId, secret);
      await vs.upsertHomeTag(q, personId, p.regionCode, ctx.crypto.encrypt(secret), now);
    }
    // A hospital stay of the second person two weeks ago (visits then will be flagged).
    const hospital = chosen[1];
    if (hospital) await vs.insertAbsence(q, { id: ids(), person_id: hospital, kind: 'hospital', from_date: addDays(today, -16), to_date: addDays(today, -12), source: '医院出院小结（演示数据）', region_code: homes.get(hospital)!.regionCode, recorded_by: null }, now);

    // Past orders become visits (a few missed, a few suspicious); future ones stay assigned.
    const visits: vs.VisitWrite[] = [];
    for (const ord of allOrders) {
      const at = Date.parse(ord.starts_at);
      if (at + ord.minutes * MINUTE_MS > now.getTime()) continue;
      if (rand() < MISSED) {
        ord.status = 'missed';
        continue;
      }
      ord.status = 'done';
      const home = homes.get(ord.person_id)!.home!;
      const suspicious = rand() < SUSPICIOUS;
      const kind = suspicious ? Math.floor(rand() * 3) : -1; // 0 far + mock, 1 short without the home code, 2 mock location at the home
      const checkIn = at + Math.floor((rand() * 15 - 5) * MINUTE_MS);
      const minutes = kind === 1 ? 12 + Math.floor(rand() * 10) : ord.minutes - 3 + Math.floor(rand() * 8);
      const where = kind === 0 ? { lat: home.lat + 0.02, lon: home.lon + 0.01 } : { lat: home.lat + jitter(30), lon: home.lon + jitter(30) };
      const carer = regular.get(ord.person_id)!;
      const code = homeCode(secrets.get(ord.person_id)!, 'tag', checkIn, rules);
      visits.push({
        id: ids(), order_id: ord.id, person_id: ord.person_id, region_code: ord.region_code, district_code: ord.district_code, provider_id: providerId, caregiver_id: carer.id, payer: 'ltci', kind: ord.kind,
        device_id: DEVICE(workers.indexOf(carer)), status: 'done', check_in: new Date(checkIn).toISOString(), check_out: new Date(checkIn + minutes * MINUTE_MS).toISOString(),
        check_in_lat: where.lat, check_in_lon: where.lon, check_in_accuracy: 8 + Math.floor(rand() * 20), check_out_lat: where.lat + jitter(10), check_out_lon: where.lon + jitter(10), check_out_accuracy: 10,
        mock_location: kind === 0 || kind === 2, check_in_location_status: 'ok', check_out_location_status: 'ok', home_proof: kind === 1 ? null : 'tag', home_proof_valid: kind !== 1 && code.length === 6, items: ord.items.slice(0, 1 + Math.floor(rand() * ord.items.length)), note: null,
      });
    }
    await pl.insertOrders(q, allOrders, now);
    for (const v of visits) await vs.insertVisit(q, v, now);
    const stored = await vs.visitsOf(q, visits.map((v) => v.id));
    const flags = await s.visits.flagsOf(q, stored, s.visits.anomalyParams(today));
    await vs.setVisitFlags(q, stored.map((v) => ({ id: v.id, flags: flags.get(v.id) ?? [], score: anomalyScore(flags.get(v.id) ?? []) })));
    return { caregivers: carers.length, plans: chosen.length, visits: visits.length, claim: false, familyOf: chosen.find((id) => regular.get(id)?.user_id) ?? chosen[0] ?? null };
  }).then(async (r) => {
    if (r.visits === 0) return r;
    // Last month's claim, built as the provider would, waiting for the insurer; and call-backs of this month.
    const officer: Caller = { userId: newId(), username: 'demo-seed', displayName: '演示数据', role: 'officer', regionCode: ctx.jurisdiction.rootCode, scope: scopePrefix(ctx.jurisdiction.rootCode), sessionKind: 'bearer', csrfToken: '' };
    const lastMonth = addDays(`${today.slice(0, 7)}-01` as LocalDate, -1).slice(0, 7);
    await s.claims.build(officer, { providerId, month: lastMonth });
    await s.visits.drawCallbacks(officer, { from: startOfLocalDay(`${today.slice(0, 7)}-01` as LocalDate).toISOString(), to: now.toISOString(), seed: (o.seed ?? 1) * 7 });
    return { ...r, claim: true };
  });
}
