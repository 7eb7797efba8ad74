// Visits (issue 8 §4, §5): the caregiver's day on the phone, the offline operations it syncs
// (client-made ids, idempotent, conflict rules in model.ts `decideOp`), the evidence from the
// elder's side (home tag and elder-phone codes checked at the recorded time), photos, anomaly
// flags recomputed on every change, the family's view and rating, call-backs and hospital stays.
import { AppError } from '../core/errors.ts';
import { addDays, startOfLocalDay, todayIn, type LocalDate } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import { maskPhone } from '../core/mask.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { anomalyParamsOn, anomalyScore, ANOMALY_TEXT, checkVisits, drawCallbacks, type AnomalyParams, type PersonFacts, type VisitFacts } from './anomaly.ts';
import { checkHomeCode, codeValidUntil, homeCode, newHomeSecret, tagPayload } from './homecode.ts';
import { decideOp, LOCATION_STATUS_TEXT, type LocationStatus, type OpOutcome, type SyncOp } from './model.ts';
import type { CareService } from './service.ts';
import { greatCircleMeters } from './settle.ts';
import * as cg from './store/caregivers.ts';
import * as pl from './store/plans.ts';
import * as vs from './store/visits.ts';

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;
const DAYS_PER_WEEK = 7;
const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
/** Visits whose flags are computed together, and how long after a sync the computation starts. */
const CHECK_BATCH = 2_000;
const CHECK_DELAY_MS = 300;

/** The answer to an operation sent again: an applied one is a `duplicate`; a refused one stays `rejected`, marked `duplicate`. */
const repeated = (opId: string, first: Omit<SyncResult, 'opId'>): SyncResult =>
  first.status === 'rejected' ? { opId, ...first, duplicate: true } : { opId, ...first, status: 'duplicate' };

export type SyncResult = {
  opId: string;
  status: 'applied' | 'duplicate' | 'rejected';
  code?: string;
  message?: string;
  /** A refusal the phone should keep and send again later (the check-in it depends on has not arrived). */
  retry?: boolean;
  /** The operation was sent before: this is its first answer. */
  duplicate?: boolean;
};

export class VisitService {
  constructor(private readonly ctx: AppContext, private readonly care: CareService) {}

  private get ports() {
    return this.care.ports;
  }

  anomalyParams(asOf: string): AnomalyParams {
    return anomalyParamsOn(this.care.policy.anomaly, asOf);
  }

  /** The caregiver record of a caregiver account. */
  private async me(q: Queryable, caller: Caller, forUpdate = false): Promise<cg.CaregiverRow> {
    const c = await cg.caregiverOfUser(q, caller.userId, forUpdate);
    if (!c) throw new AppError('CARE_NO_CAREGIVER_RECORD');
    return c;
  }

  /**
   * The caregiver's visits of a day (default today), in time order, with the home, the items to
   * do, the distance from the previous home (a route hint), what is already recorded, and the
   * item list and parameters the phone needs to work offline all day.
   */
  async myDay(caller: Caller, date?: string) {
    const day = (date ?? todayIn(this.ctx.clock)) as LocalDate;
    const rules = this.care.rules(day);
    const from = startOfLocalDay(day);
    const to = startOfLocalDay(addDays(day, 1));
    // Assignment decides what a caregiver sees (the visits may be in several districts).
    const out = await this.care.system(async (q) => {
      const me = await this.me(q, caller);
      const orders = (await pl.listOrders(q, { caregiverId: me.id, from: from.toISOString(), to: to.toISOString() })).filter((o) => o.status !== 'cancelled');
      const [people, visits] = await Promise.all([this.ports.people(q, '*', [...new Set(orders.map((o) => o.person_id))]), vs.visitsOfOrders(q, orders.map((o) => o.id))]);
      const visitOf = new Map(visits.map((v) => [v.order_id, v]));
      let prev: { lat: number; lon: number } | null = me.home_lat !== null && me.home_lon !== null ? { lat: me.home_lat, lon: me.home_lon } : null;
      const items = orders.map((o) => {
        const p = people.get(o.person_id);
        const home = p?.home ?? null;
        const meters = prev && home ? Math.round(greatCircleMeters(prev, home)) : null;
        if (home) prev = home;
        const v = visitOf.get(o.id);
        return {
          orderId: o.id, personId: o.person_id, personName: p?.name ?? '', address: p?.address ?? null, home, startsAt: o.starts_at, minutes: o.minutes, kind: o.kind, payer: o.payer,
          items: o.items, status: o.status, fromPreviousMeters: meters,
          travelMinutes: meters === null ? null : Math.ceil((meters / 1000 / rules.travelKmh) * 60 + rules.travelBufferMinutes),
          visit: v ? { id: v.id, status: v.status, checkIn: v.check_in, checkOut: v.check_out, items: v.items, note: v.note, homeProofValid: v.home_proof_valid, photoCount: v.photo_count } : null,
        };
      });
      return { caregiver: { id: me.id, name: me.name, providerId: me.provider_id }, items };
    });
    await this.care.auditRead(caller, 'care.visit.day', out.caregiver.id, null, { date: day, visits: out.items.length });
    return { date: day, serverTime: this.ctx.clock().toISOString(), ...out, catalogue: rules.ltciItems, maxClockSkewMinutes: rules.maxClockSkewMinutes };
  }

  /**
   * Apply the phone's operations in order, each once. One transaction: a dropped connection
   * either committed all of the batch or none of it, and the phone sends it again — operations
   * already applied come back as `duplicate` with their first result. A refusal that depends on
   * an operation not yet received (`retry`) is not recorded, so it is applied when it comes again.
   */
  async sync(caller: Caller, deviceId: string, ops: readonly SyncOp[]): Promise<{ results: SyncResult[]; serverTime: string }> {
    const now = this.ctx.clock();
    const rules = this.care.rules(todayIn(this.ctx.clock));
    const itemCodes = new Set(rules.ltciItems.map((i) => i.code));
    const results = await this.care.system(async (q) => {
      // One caregiver's syncs one at a time (a retry racing its first attempt waits for it).
      const me = await this.me(q, caller, true);
      // Everything the batch touches, read once and locked; then decided in order in memory and
      // written with one statement per table.
      const done = new Map((await vs.syncOpsOf(q, ops.map((o) => o.id))).map((r) => [r.id, r]));
      const fresh = ops.filter((o) => !done.has(o.id));
      const visits = new Map((await vs.visitsOf(q, [...new Set(fresh.map((o) => o.visitId))], true)).map((v) => [v.id, v]));
      const orderIds = new Set([...fresh.flatMap((o) => (o.kind === 'check_in' ? [o.orderId] : [])), ...[...visits.values()].flatMap((v) => (v.order_id ? [v.order_id] : []))]);
      const orders = new Map((await pl.ordersOf(q, [...orderIds], true)).map((o) => [o.id, o]));
      const visitOfOrder = new Map((await vs.visitsOfOrders(q, [...orderIds])).map((v) => [v.order_id!, v.id]));
      const checkInPeople = [...new Set(fresh.flatMap((o) => (o.kind === 'check_in' && o.proof ? [orders.get(o.orderId)?.person_id ?? ''] : [])).filter(Boolean))];
      const secrets = new Map((await vs.homeTagsOf(q, checkInPeople)).map((t) => [t.person_id, this.ctx.crypto.decrypt(t.secret_enc)]));

      const out: SyncResult[] = [];
      const created = new Map<string, vs.VisitWrite>();
      const closes = new Map<string, vs.VisitClose>();
      const orderStatus = new Map<string, pl.OrderStatus>();
      const records: (vs.SyncOpRow & { region_code: string })[] = [];
      const seen = new Map<string, Omit<SyncResult, 'opId'>>();
      const touched = new Set<string>();
      const stateOf = (visitId: string) => {
        const v = created.get(visitId) ?? visits.get(visitId);
        if (!v) return null;
        const c = closes.get(visitId);
        return { id: v.id, orderId: v.order_id, caregiverId: v.caregiver_id, status: c?.status ?? v.status, checkIn: Date.parse(v.check_in), checkOut: c?.check_out ? Date.parse(c.check_out) : v.check_out ? Date.parse(v.check_out) : null, items: v.items, note: v.note };
      };
      for (const op of ops) {
        const prior = done.get(op.id);
        if (prior) {
          if (prior.caregiver_id !== me.id) out.push({ opId: op.id, status: 'rejected', code: 'foreign_op', message: '操作编号已被使用' });
          else out.push(repeated(op.id, prior.result as Omit<SyncResult, 'opId'>));
          continue;
        }
        const again = seen.get(op.id);
        if (again) {
          out.push(repeated(op.id, again));
          continue;
        }
        const visit = stateOf(op.visitId);
        const orderId = op.kind === 'check_in' ? op.orderId : visit?.orderId ?? null;
        const order = orderId ? orders.get(orderId) ?? null : null;
        // A self-paid service's own items count as done items too.
        const codes = order?.payer === 'self' ? new Set([...itemCodes, ...order.items]) : itemCodes;
        const decided: OpOutcome = decideOp(op, me.id, visit,
          order ? { id: order.id, caregiverId: order.caregiver_id, status: orderStatus.get(order.id) ?? order.status, visitId: visitOfOrder.get(order.id) ?? null } : null,
          now.getTime(), rules.maxClockSkewMinutes, codes);
        const region = visits.get(op.visitId)?.region_code ?? created.get(op.visitId)?.region_code ?? order?.region_code ?? me.region_code;
        if (decided.status === 'rejected') {
          out.push({ opId: op.id, status: 'rejected', code: decided.code, message: decided.message, retry: decided.retry });
          if (!decided.retry) {
            const result = { status: 'rejected' as const, code: decided.code, message: decided.message };
            records.push({ id: op.id, caregiver_id: me.id, visit_id: op.visitId, kind: op.kind, result, region_code: region });
            seen.set(op.id, result);
          }
          continue;
        }
        if (op.kind === 'check_in') {
          const o = order!;
          const secret = secrets.get(o.person_id);
          created.set(op.visitId, {
            id: op.visitId, order_id: o.id, person_id: o.person_id, region_code: o.region_code, district_code: o.district_code, provider_id: o.provider_id, caregiver_id: me.id, payer: o.payer,
            kind: o.kind, device_id: deviceId, status: 'in_progress', check_in: new Date(op.at).toISOString(), check_out: null, check_in_lat: op.location?.lat ?? null, check_in_lon: op.location?.lon ?? null,
            check_in_accuracy: op.location?.accuracy ?? null, check_out_lat: null, check_out_lon: null, check_out_accuracy: null, mock_location: op.mockLocation,
            check_in_location_status: op.locationStatus ?? (op.location ? 'ok' : null), check_out_location_status: null, home_proof: op.proof?.kind ?? null,
            home_proof_valid: Boolean(op.proof && secret && checkHomeCode(secret, op.proof.kind, op.proof.code, Date.parse(op.at), rules)), items: [], note: null,
          });
          visitOfOrder.set(o.id, op.visitId);
          orderStatus.set(o.id, 'in_progress');
        } else if (op.kind === 'check_out') {
          closes.set(op.visitId, {
            id: op.visitId, status: 'done', check_out: new Date(op.at).toISOString(), lat: op.location?.lat ?? null, lon: op.location?.lon ?? null, accuracy: op.location?.accuracy ?? null,
            location_status: op.locationStatus ?? (op.location ? 'ok' : null), mock: op.mockLocation, items: op.items, note: op.note,
          });
          if (order) orderStatus.set(order.id, 'done');
        } else {
          closes.set(op.visitId, { id: op.visitId, status: 'cancelled', check_out: null, lat: null, lon: null, accuracy: null, location_status: null, mock: false, items: [], note: op.note });
          if (order) orderStatus.set(order.id, 'assigned');
        }
        records.push({ id: op.id, caregiver_id: me.id, visit_id: op.visitId, kind: op.kind, result: { status: 'applied' }, region_code: region });
        seen.set(op.id, { status: 'applied' });
        touched.add(op.visitId);
        out.push({ opId: op.id, status: 'applied' });
      }
      // A visit made and closed in this batch is written closed.
      for (const [id, c] of closes) {
        const v = created.get(id);
        if (!v) continue;
        created.set(id, {
          ...v, status: c.status, check_out: c.check_out, check_out_lat: c.lat, check_out_lon: c.lon, check_out_accuracy: c.accuracy, check_out_location_status: c.location_status,
          mock_location: v.mock_location || c.mock, items: c.items, note: c.note ?? v.note,
        });
        closes.delete(id);
      }
      await vs.insertVisits(q, [...created.values()], now);
      await vs.closeVisits(q, [...closes.values()], now);
      await pl.setOrderStatuses(q, orderStatus, now);
      await vs.insertSyncOps(q, records, now);
      if (touched.size) await this.care.audit(q, caller, 'care.visit.sync', me.id, me.district_code, { ops: ops.length, applied: out.filter((r) => r.status === 'applied').length, deviceId }, now);
      return out;
    });
    if (results.some((r) => r.status === 'applied')) this.checkSoon();
    return { results, serverTime: now.toISOString() };
  }

  private async secretOf(q: Queryable, personId: string): Promise<string | null> {
    const t = await vs.homeTagOf(q, personId);
    return t ? this.ctx.crypto.decrypt(t.secret_enc) : null;
  }

  /**
   * Recompute the anomaly flags of visits with their context: the caregivers' and devices' visits
   * of the days around them (overlap, travel, repeated points, sharing), the people's visits of
   * their weeks and the weeks before (cap shifts), hospital stays and deaths. Every visit of the
   * context gets its flags stored and is marked checked.
   */
  async refreshFlags(q: Queryable, visitIds: readonly string[]): Promise<void> {
    await this.refreshRows(q, await vs.visitFactsOf(q, visitIds));
  }

  private async refreshRows(q: Queryable, seed: readonly vs.VisitCheckRow[], readAt: Date | null = null): Promise<number> {
    if (seed.length === 0) return 0;
    const times = seed.map((v) => Date.parse(v.check_in));
    const [first, last] = [Math.min(...times), Math.max(...times)];
    const P = this.anomalyParams(todayIn(() => new Date(last)));
    const context = await vs.visitContext(q, {
      ids: seed.map((v) => v.id), caregiverIds: [...new Set(seed.map((v) => v.caregiver_id))], personIds: [...new Set(seed.map((v) => v.person_id))],
      deviceIds: [...new Set(seed.map((v) => v.device_id).filter((x): x is string => Boolean(x)))],
      near: { from: new Date(first - MS_PER_DAY).toISOString(), to: new Date(last + MS_PER_DAY).toISOString() },
      wide: { from: new Date(first - (P.capShiftLookbackWeeks + 1) * DAYS_PER_WEEK * MS_PER_DAY).toISOString(), to: new Date(last + DAYS_PER_WEEK * MS_PER_DAY).toISOString() },
    });
    const flags = await this.flagsOf(q, context, P);
    // Written only where something changed (or the visit was not checked yet): most of the context keeps its flags.
    const changed = context.flatMap((v) => {
      const f = flags.get(v.id) ?? [];
      const score = anomalyScore(f);
      return !v.flags_checked || score !== v.anomaly_score || vs.flagsDigest(f) !== v.flags_digest ? [{ id: v.id, flags: f, score }] : [];
    });
    await vs.setVisitFlags(q, changed, readAt);
    return context.length;
  }

  /**
   * Compute the flags of every visit written since its flags were last computed, a batch at a
   * time. A sync does not wait for this (its answer is the phone's receipt); the batch runs just
   * after it, coalescing the syncs of the moment, and a staff read of visits runs it first.
   * The state is in the database (`flags_checked`), so nothing is lost if the process stops.
   */
  async checkPending(): Promise<number> {
    if (this.checking) return this.checking;
    this.checking = (async () => {
      let n = 0;
      try {
        for (;;) {
          // Not one transaction: each read and the final write are statements of their own, so
          // that syncs go on between them (an embedded database runs one statement at a time); a
          // visit written after the reads stays unchecked for the next round.
          const readAt = this.ctx.clock();
          const done = await this.refreshRows(this.ctx.db, await vs.uncheckedVisits(this.ctx.db, CHECK_BATCH), readAt);
          n += done;
          if (done === 0) return n;
        }
      } finally {
        this.checking = null;
      }
    })();
    return this.checking;
  }

  private checking: Promise<number> | null = null;
  private pendingTimer: NodeJS.Timeout | null = null;

  /** Check the pending visits shortly (one run for the syncs of the moment). */
  private checkSoon(): void {
    if (this.pendingTimer) return;
    this.pendingTimer = setTimeout(() => {
      this.pendingTimer = null;
      void this.checkPending().catch((e: unknown) => this.ctx.logger.error({ err: e }, 'visit anomaly check failed'));
    }, CHECK_DELAY_MS);
    this.pendingTimer.unref();
  }

  /** The anomaly flags of a set of visits (the claim builder uses it on a whole month). */
  async flagsOf(q: Queryable, visits: readonly vs.VisitCheckFacts[], P: AnomalyParams) {
    const personIds = [...new Set(visits.map((v) => v.person_id))];
    const orderIds = [...new Set(visits.map((v) => v.order_id).filter((x): x is string => Boolean(x)))];
    const [people, absences, planned] = await Promise.all([this.ports.people(q, '*', personIds), vs.absencesOf(q, personIds), pl.plannedMinutes(q, orderIds)]);
    const asOf = todayIn(this.ctx.clock);
    const ltci = await this.ports.ltci(q, personIds, asOf);
    const facts = new Map<string, PersonFacts>();
    for (const id of personIds) {
      const p = people.get(id);
      const e = ltci.get(id);
      facts.set(id, {
        id, home: p?.home ?? { lat: NaN, lon: NaN }, weeklyCapMinutes: e?.eligible && e.hoursPerWeek ? e.hoursPerWeek * 60 : null,
        hospitalStays: absences.filter((a) => a.person_id === id).map((a) => ({ from: a.from_date, to: a.to_date })), diedOn: p?.diedOn ?? null,
      });
    }
    const input: VisitFacts[] = visits.map((v) => ({
      id: v.id, personId: v.person_id, caregiverId: v.caregiver_id, deviceId: v.device_id, checkIn: Date.parse(v.check_in), checkOut: v.check_out ? Date.parse(v.check_out) : null,
      checkInAt: v.check_in_lat !== null && v.check_in_lon !== null ? { lat: v.check_in_lat, lon: v.check_in_lon, accuracyM: v.check_in_accuracy } : null,
      checkOutAt: v.check_out_lat !== null && v.check_out_lon !== null ? { lat: v.check_out_lat, lon: v.check_out_lon, accuracyM: v.check_out_accuracy } : null,
      mockLocation: v.mock_location, homeProof: v.home_proof, homeProofValid: v.home_proof_valid, plannedMinutes: v.order_id ? planned.get(v.order_id) ?? null : null,
    }));
    const flags = checkVisits(input, facts, P);
    // What the phone said about a missing position goes into the explanation.
    for (const v of visits) {
      const why = [v.check_in_location_status, v.check_out_location_status].filter((x): x is LocationStatus => Boolean(x) && x !== 'ok').map((x) => LOCATION_STATUS_TEXT[x] ?? x);
      const f = why.length ? flags.get(v.id)?.find((x) => x.code === 'no_location') : undefined;
      if (f) f.explanation = `${f.explanation}（手机报告：${[...new Set(why)].join('、')}）`;
    }
    return flags;
  }

  /** A photo taken on the visit (sent separately from the operations; idempotent by its id). */
  async addPhoto(caller: Caller, visitId: string, p: { id: string; mime: string; dataBase64: string; takenAt: string }) {
    const bytes = Buffer.from(p.dataBase64, 'base64');
    if (bytes.length === 0 || bytes.length > MAX_PHOTO_BYTES) throw new AppError('VALIDATION_FAILED', '照片应小于 2 MB');
    const now = this.ctx.clock();
    return this.care.system(async (q) => {
      const me = await this.me(q, caller);
      const v = await vs.getVisit(q, visitId, true);
      if (!v || v.caregiver_id !== me.id) throw new AppError('NOT_FOUND', '未找到该服务记录');
      const added = await vs.insertPhoto(q, { id: p.id, visit_id: visitId, region_code: v.region_code, mime: p.mime, bytes, taken_at: p.takenAt });
      if (added) {
        await vs.incrementPhotos(q, visitId);
        await this.care.audit(q, caller, 'care.visit.photo', visitId, v.district_code, { bytes: bytes.length }, now);
      }
      return { id: p.id, status: added ? 'applied' : 'duplicate' };
    });
  }

  private visitView(v: vs.VisitRow, names: Map<string, string>, carers: Map<string, string>, ratings: Map<string, vs.RatingRow>, staff: boolean, itemNames: Map<string, string>) {
    const r = ratings.get(v.id);
    return {
      id: v.id, orderId: v.order_id, personId: v.person_id, personName: names.get(v.person_id) ?? '', caregiverId: v.caregiver_id, caregiverName: carers.get(v.caregiver_id) ?? '',
      providerId: v.provider_id, payer: v.payer, kind: v.kind, status: v.status, checkIn: v.check_in, checkOut: v.check_out,
      minutes: v.check_out ? Math.floor((Date.parse(v.check_out) - Date.parse(v.check_in)) / MS_PER_MINUTE) : null,
      items: v.items.map((c) => ({ code: c, name: itemNames.get(c) ?? c })), note: v.note, photoCount: v.photo_count, homeProof: v.home_proof, homeProofValid: v.home_proof_valid,
      rating: r ? { stars: r.stars, comment: r.comment, ratedAt: r.rated_at } : null,
      ...(staff ? { flags: v.flags.map((f) => ({ ...f, name: ANOMALY_TEXT[f.code as keyof typeof ANOMALY_TEXT] ?? f.code })), anomalyScore: v.anomaly_score, checkInAt: v.check_in_lat !== null ? { lat: v.check_in_lat, lon: v.check_in_lon } : null, mockLocation: v.mock_location, deviceId: v.device_id } : {}),
      districtCode: v.district_code,
    };
  }

  /**
   * Visits in a period: the family sees their linked people's visits as they happen (no anomaly
   * flags); providers their own; officers and the insurer in scope with the flags.
   */
  async visits(caller: Caller, f: { from: string; to: string; personId?: string; providerId?: string; caregiverId?: string; flagged?: boolean }) {
    const staff = caller.role !== 'citizen';
    if (staff && (await this.care.system((q) => vs.anyUnchecked(q)))) await this.checkPending();
    const itemNames = new Map(this.care.rules().ltciItems.map((i) => [i.code, i.name]));
    const out = await this.care.scoped(caller, async (q) => {
      const providerId = (await this.care.providerOf(q, caller, f.providerId)) ?? undefined;
      const reach = await this.care.reachable(q, caller);
      let personIds = reach ?? (f.personId ? [f.personId] : undefined);
      if (reach && f.personId) personIds = reach.filter((x) => x === f.personId);
      let rows = await vs.listVisits(q, { from: f.from, to: f.to, providerId, personIds, caregiverIds: f.caregiverId ? [f.caregiverId] : undefined }, 5000);
      if (f.flagged) rows = rows.filter((v) => v.anomaly_score > 0);
      const [people, carers, ratings] = await Promise.all([
        this.ports.people(q, '*', [...new Set(rows.map((v) => v.person_id))]), cg.caregiversOf(q, [...new Set(rows.map((v) => v.caregiver_id))]), vs.ratingsOf(q, rows.map((v) => v.id)),
      ]);
      // A family sees the caregiver's name; the register's other data stay with staff.
      const carerNames = new Map(carers.map((c) => [c.id, c.name]));
      if (carers.length < new Set(rows.map((v) => v.caregiver_id)).size) {
        const missing = [...new Set(rows.map((v) => v.caregiver_id))].filter((id) => !carerNames.has(id));
        const more = await this.care.system((s) => cg.caregiversOf(s, missing));
        for (const c of more) carerNames.set(c.id, c.name);
      }
      return { items: rows.map((v) => this.visitView(v, new Map([...people].map(([k, p]) => [k, p.name])), carerNames, new Map(ratings.map((r) => [r.visit_id, r])), staff, itemNames)).reverse() };
    });
    await this.care.auditRead(caller, 'care.visit.list', 'visits', null, { total: out.items.length, from: f.from, to: f.to });
    return out;
  }

  /** The family rates a finished visit (1–5 stars, a comment); rating again replaces it. */
  async rate(caller: Caller, visitId: string, r: { stars: number; comment?: string | null }) {
    const now = this.ctx.clock();
    await this.care.scoped(caller, async (q) => {
      const v = await vs.getVisit(q, visitId);
      const linked = await this.ports.linked(q, caller.userId);
      if (!v || !linked.includes(v.person_id)) throw new AppError('NOT_FOUND', '未找到该服务记录');
      if (v.status !== 'done') throw new AppError('CARE_ILLEGAL_TRANSITION', '服务结束后才能评价');
      await vs.upsertRating(q, { visit_id: v.id, region_code: v.region_code, stars: r.stars, comment: r.comment ?? null, rated_by: caller.userId }, now);
      await this.care.audit(q, caller, 'care.visit.rate', v.id, v.district_code, { stars: r.stars }, now);
    });
    return { visitId, stars: r.stars };
  }

  /**
   * The elder's own confirmation code, shown on the elder's or family's phone: the caregiver
   * types it in at check-in. The home's secret is made on first use.
   */
  async elderCode(caller: Caller, personId: string) {
    const c = await this.currentCode(caller, personId, 'elder_phone');
    return { personId, name: c.name, code: c.code, validUntil: c.validUntil };
  }

  /** The printable home tag: its QR content and code for the current period (staff print it; a new period needs a new print). */
  async homeTag(caller: Caller, personId: string) {
    const c = await this.currentCode(caller, personId, 'tag');
    return { personId, name: c.name, address: c.address, code: c.code, payload: tagPayload(personId, c.code), validUntil: c.validUntil };
  }

  /** A home's current code of a kind, for a person the caller may act for (audited). */
  private async currentCode(caller: Caller, personId: string, kind: 'tag' | 'elder_phone') {
    const now = this.ctx.clock();
    const rules = this.care.rules();
    const out = await this.care.scoped(caller, async (q) => {
      const p = await this.care.person(q, caller, personId);
      return { p, secret: await this.ensureSecret(q, p.id, p.regionCode, now) };
    });
    await this.care.auditRead(caller, kind === 'tag' ? 'care.home.tag' : 'care.home.code', personId, out.p.districtCode, {});
    const at = now.getTime();
    return { name: out.p.name, address: out.p.address, code: homeCode(out.secret, kind, at, rules), validUntil: new Date(codeValidUntil(kind, at, rules)).toISOString() };
  }

  private async ensureSecret(q: Queryable, personId: string, regionCode: string, at: Date): Promise<string> {
    const s = await this.secretOf(q, personId);
    if (s) return s;
    const fresh = newHomeSecret();
    await vs.upsertHomeTag(q, personId, regionCode, this.ctx.crypto.encrypt(fresh), at);
    return fresh;
  }

  /** Record a hospital stay (from the hospital's discharge data or the family); visits in it are flagged. */
  async recordAbsence(caller: Caller, a: { personId: string; from: string; to: string | null; source: string }) {
    const now = this.ctx.clock();
    const id = newId();
    await this.care.scoped(caller, async (q) => {
      const p = await this.care.person(q, caller, a.personId);
      await vs.insertAbsence(q, { id, person_id: p.id, kind: 'hospital', from_date: a.from, to_date: a.to, source: a.source, region_code: p.regionCode, recorded_by: caller.userId }, now);
      const during = await vs.listVisits(q, { personIds: [p.id], from: startOfLocalDay(a.from as LocalDate).toISOString(), to: startOfLocalDay(addDays((a.to ?? todayIn(this.ctx.clock)) as LocalDate, 1)).toISOString() });
      await this.refreshFlags(q, during.map((v) => v.id));
      await this.care.audit(q, caller, 'care.absence.record', id, p.districtCode, { from: a.from, to: a.to }, now);
    });
    return { id };
  }

  /** Draw the call-back sample of finished visits in a period (a visit is drawn once; the seed is recorded in the audit log). */
  async drawCallbacks(caller: Caller, f: { from: string; to: string; seed: number }) {
    const now = this.ctx.clock();
    return this.care.scoped(caller, async (q) => {
      const P = this.anomalyParams(todayIn(this.ctx.clock));
      const done = await vs.listVisits(q, { from: f.from, to: f.to, status: 'done' });
      const drawn = drawCallbacks(done.map((v) => v.id), P.callbackShare, f.seed);
      const rows = done.filter((v) => drawn.has(v.id)).map((v) => ({ id: newId(), visit_id: v.id, region_code: v.region_code }));
      const n = await vs.insertCallbacks(q, rows, now);
      await this.care.audit(q, caller, 'care.callback.draw', 'callbacks', null, { from: f.from, to: f.to, seed: f.seed, share: P.callbackShare, visits: done.length, drawn: n }, now);
      return { visits: done.length, drawn: n, share: P.callbackShare };
    });
  }

  async callbacks(caller: Caller, open: boolean) {
    const out = await this.care.scoped(caller, async (q) => {
      const rows = await vs.callbacksOf(q, { open });
      const visits = new Map((await vs.visitsOf(q, rows.map((r) => r.visit_id))).map((v) => [v.id, v]));
      const people = await this.ports.people(q, '*', [...new Set([...visits.values()].map((v) => v.person_id))]);
      const carers = new Map((await cg.caregiversOf(q, [...new Set([...visits.values()].map((v) => v.caregiver_id))])).map((c) => [c.id, c.name]));
      return {
        items: rows.map((r) => {
          const v = visits.get(r.visit_id);
          const p = v ? people.get(v.person_id) : undefined;
          return {
            id: r.id, visitId: r.visit_id, personId: v?.person_id ?? null, personName: p?.name ?? '', phone: p?.phone ? maskPhone(p.phone) : null, address: p?.address ?? null,
            caregiverName: v ? carers.get(v.caregiver_id) ?? '' : '', checkIn: v?.check_in ?? null, checkOut: v?.check_out ?? null, outcome: r.outcome, answer: r.answer, calledAt: r.called_at, drawnAt: r.drawn_at,
          };
        }),
      };
    });
    await this.care.auditRead(caller, 'care.callback.list', 'callbacks', null, { total: out.items.length });
    return out;
  }

  /** Record the call-back's answer; a denial flags the visit for review. */
  async answerCallback(caller: Caller, id: string, a: { outcome: 'confirmed' | 'denied' | 'unreached'; answer?: string | null }) {
    const now = this.ctx.clock();
    await this.care.scoped(caller, async (q) => {
      const n = await vs.recordCallback(q, id, { outcome: a.outcome, answer: a.answer ?? null, called_by: caller.userId }, now);
      if (n === 0) throw new AppError('NOT_FOUND', '未找到该回访');
      await this.care.audit(q, caller, 'care.callback.answer', id, null, { outcome: a.outcome }, now);
    });
    return { id, outcome: a.outcome };
  }
}

/** Shanghai midnight of a local date, as an ISO instant (the day filters of the routes). */
export const dayStartIso = (d: string): string => startOfLocalDay(d as LocalDate).toISOString();
