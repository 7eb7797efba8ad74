// Use cases of the assessment workflow: load → decide (workflow.ts, model.ts) → save + audit +
// event, in one transaction under the caller's scope.
import { AppError, type ErrorCode, type ErrorDetail } from '../core/errors.ts';
import { addDays, diffDays, todayIn, type LocalDate } from '../core/dates.ts';
import { isUuid, newId } from '../core/ids.ts';
import { appendAudit, type AuditEntry } from '../platform/audit.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import { loadSigningKey, sha256, type SigningKeyPair } from '../platform/crypto.ts';
import type { Queryable } from '../platform/db.ts';
import { emit } from '../platform/outbox.ts';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { scoreLine } from './batch.ts';
import { DEFAULT_INSTRUMENTS_DIR, instrumentOn, loadInstrument, loadInstrumentOn, loadInstrumentVersions } from './instruments.ts';
import { score, type Instrument, type ScoreRequest, type ScoreResult } from './model.ts';
import { signResult, verifyResultDocument, type TrustedKey, type Verdict } from './signing.ts';
import {
  qualityParams, qualityReport, QUALITY_PARAM_NAMES, type AgencyFigures, type AssessorFigures, type QualityPolicy, type QualityRecord, type QualityReport,
} from './quality.ts';
import * as store from './store.ts';
import type { ApplicationRow } from './store.ts';
import {
  appealBy, checkAssignment, checkEligibility, closingReason, expectedDates, visitDate, isOverdue, mayCountersign, mayRecord, maySubmit, planAppeal, progress,
  STATE_NAMES, transition, validity, type Action, type ClosingAction, type Reason, type State, type WorkflowError, type WorkflowParams,
} from './workflow.ts';
import { loadWorkflowPolicy, workflowParams } from './workflow-params.ts';

/** What the workflow needs to know of a person (a port; wired to the people register in routes.ts). */
export interface PersonFacts {
  id: string;
  districtCode: string;
  /** Most specific residence region (committee, street or district). */
  regionCode: string;
  birthDate: LocalDate;
  deathDate: LocalDate | null;
}
export type PersonOf = (caller: Caller, personId: string) => Promise<PersonFacts | null>;
/** The person with this resident ID number in the caller's scope (the register's blind index), or null. */
export type PersonByIdNumber = (caller: Caller, idNumber: string) => Promise<PersonFacts | null>;
/** Ids of the people in the caller's scope matching a search (ID number by blind index, or a name prefix), at most `limit`. */
export type FindPeople = (caller: Caller, q: string, limit: number) => Promise<string[]>;

export interface AssessmentView {
  id: string;
  personId: string;
  districtCode: string;
  regionCode: string;
  reason: string;
  channel: string;
  applicant: string;
  state: State;
  stateName: string;
  stateReasons: { code: string; message: string }[];
  appliedOn: string;
  agencyId: string | null;
  assessor1Id: string | null;
  assessor2Id: string | null;
  answers: Record<string, number>;
  coma: boolean | null;
  diagnoses: string[];
  riskEvents30d: unknown;
  progress: { answered: number; total: number };
  instrument: { id: string; version: string } | null;
  result: Record<string, unknown> | null;
  level: number | null;
  levelName: string | null;
  validFrom: string | null;
  validUntil: string | null;
  appealBy: string | null;
  signedDocument: Record<string, unknown> | null;
  reviewOf: string | null;
  expectedVisitBy: string | null;
  expectedResultBy: string | null;
  overdue: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export interface ApplyInput {
  personId: string;
  reason: Reason;
  channel: 'online' | 'centre';
  applicant: 'self' | 'family' | 'advisor';
}

export interface AnswersInput {
  opId: string;
  answers: Record<string, number>;
  coma?: boolean;
  diagnoses?: string[];
  riskEvents30d?: unknown;
  /** The tablet's date of the visit (the first answers); decides the instrument version. Default: today. */
  visitedOn?: LocalDate;
}

const PAGE_MAX = 200;

const fail = (e: WorkflowError): never => {
  throw new AppError(e.code as ErrorCode, e.message, e.state ? [{ path: 'state', message: e.state }] : []);
};

export class AssessmentService {
  private signing: SigningKeyPair | null = null;
  /** Instruments are immutable data per version: read each file once. */
  private readonly instruments = new Map<string, Promise<Instrument>>();
  /** Every version of an instrument, by id, for picking the one in force on a date. */
  private readonly versions = new Map<string, Promise<Instrument[]>>();

  constructor(private readonly ctx: AppContext, private readonly personOf: PersonOf, private readonly instrumentsDir: string = DEFAULT_INSTRUMENTS_DIR) {}

  private today(): LocalDate {
    return todayIn(this.ctx.clock);
  }
  private params(asOf: LocalDate = this.today()): WorkflowParams {
    return workflowParams(asOf);
  }
  private auditOf(caller: Caller, action: string, row: { id: string; district_code: string }, details: Record<string, unknown> = {}): AuditEntry {
    return {
      actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action,
      entityType: 'assessment', entityId: row.id, districtCode: row.district_code, details,
    };
  }
  private withScope<T>(caller: Caller, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.ctx.db.tx(fn, { scope: caller.scope, asAppRole: true });
  }

  /** The deployment's signing key and its id (`<root region>-<fingerprint>`); the key signs for the whole deployment. */
  private key(): { keyId: string; pair: SigningKeyPair; trusted: TrustedKey } {
    this.signing ??= loadSigningKey(this.ctx.config.signingKey, this.ctx.config.dataDir);
    const root = this.ctx.jurisdiction.rootCode;
    const keyId = `${root}-${sha256(this.signing.publicKey).slice(0, 12)}`;
    return { keyId, pair: this.signing, trusted: { keyId, regionCode: root, publicKey: this.signing.publicKey } };
  }

  /** Public keys another city needs to verify this deployment's results offline. */
  keys(): { keys: TrustedKey[] } {
    return { keys: [this.key().trusted] };
  }

  /** Load an application in scope (an assessor: only those assigned to them), or 404. */
  private async load(q: Queryable, caller: Caller, id: string, forUpdate = false): Promise<ApplicationRow> {
    const row = await store.getApplication(q, caller.scope, id, forUpdate);
    if (!row) throw new AppError('NOT_FOUND');
    if (caller.role === 'assessor' && row.assessor1_id !== caller.userId && row.assessor2_id !== caller.userId) throw new AppError('NOT_FOUND');
    return row;
  }

  private instrument(spec: string): Promise<Instrument> {
    let p = this.instruments.get(spec);
    if (!p) {
      p = loadInstrument(spec, this.instrumentsDir);
      p.catch(() => this.instruments.delete(spec));
      this.instruments.set(spec, p);
    }
    return p;
  }

  /** The version of the workflow's instrument (`instrument` of workflow.json) in force on `asOf`, by the versions' effectiveFrom / effectiveTo. */
  private async instrumentOn(asOf: LocalDate): Promise<Instrument> {
    const id = loadWorkflowPolicy().instrument;
    let p = this.versions.get(id);
    if (!p) {
      p = loadInstrumentVersions(id, this.instrumentsDir);
      p.catch(() => this.versions.delete(id));
      this.versions.set(id, p);
    }
    return instrumentOn(await p, id, asOf);
  }

  /** The version an application is scored with: the one recorded on it, else the one in force on `asOf` (the visit date). */
  private instrumentOf(row: ApplicationRow, asOf: LocalDate = this.today()): Promise<Instrument> {
    if (row.instrument_id && row.instrument_version) return this.instrument(`${row.instrument_id}@${row.instrument_version}`);
    return this.instrumentOn(asOf);
  }

  private itemKeys(instrument: Instrument): string[] {
    return instrument.data.items.map((i) => i.key);
  }

  private view(row: ApplicationRow, itemCount: number): AssessmentView {
    const today = this.today();
    const state = row.state as State;
    const completedOn = row.completed_at ? todayIn(() => row.completed_at!) : null;
    const result = row.result;
    return {
      id: row.id, personId: row.person_id, districtCode: row.district_code, regionCode: row.region_code,
      reason: row.reason, channel: row.channel, applicant: row.applicant, state, stateName: STATE_NAMES[state],
      stateReasons: row.state_reasons, appliedOn: row.applied_on, agencyId: row.agency_id,
      assessor1Id: row.assessor1_id, assessor2Id: row.assessor2_id, answers: row.answers, coma: row.coma, diagnoses: row.diagnoses,
      riskEvents30d: row.risk_events_30d ?? null,
      progress: { answered: Object.keys(row.answers).length, total: itemCount },
      instrument: row.instrument_id && row.instrument_version ? { id: row.instrument_id, version: row.instrument_version } : null,
      result, level: row.level, levelName: result ? String(result.levelName) : null,
      validFrom: row.valid_from, validUntil: row.valid_until,
      appealBy: completedOn && state === 'completed' ? appealBy(completedOn, this.params(completedOn)) : null,
      signedDocument: row.signed_document, reviewOf: row.review_of,
      expectedVisitBy: row.expected_visit_by, expectedResultBy: row.expected_result_by,
      overdue: isOverdue({ state, expectedVisitBy: row.expected_visit_by as LocalDate | null, expectedResultBy: row.expected_result_by as LocalDate | null }, today),
      version: row.version, createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
      completedAt: row.completed_at ? row.completed_at.toISOString() : null,
    };
  }

  private async itemCount(): Promise<number> {
    return this.itemKeys(await this.instrumentOn(this.today())).length;
  }

  private async save(q: Queryable, caller: Caller, row: ApplicationRow, change: store.ApplicationChange, now: Date): Promise<ApplicationRow> {
    const done = await store.updateApplication(q, caller.scope, row.id, row.version, change, now);
    if (!done) throw new AppError('CONFLICT_VERSION');
    return (await store.getApplication(q, caller.scope, row.id))!;
  }

  private move(row: ApplicationRow, action: Action, version?: number): State {
    if (version !== undefined && version !== row.version) throw new AppError('CONFLICT_VERSION');
    const t = transition(row.state as State, action);
    if (!t.ok) fail(t.error);
    return (t as { ok: true; value: State }).value;
  }

  /** Apply for an assessment. An ineligible person (deceased, under age) is recorded as rejected with the reasons; an open application is a conflict. */
  async apply(caller: Caller, input: ApplyInput): Promise<AssessmentView> {
    const person = await this.personOf(caller, input.personId);
    if (!person) throw new AppError('NOT_FOUND', '未找到该老人');
    const now = this.ctx.clock();
    const today = this.today();
    const params = this.params(today);
    const row = await this.withScope(caller, async (q) => {
      const open = await store.countOpenApplications(q, caller.scope, person.id);
      const decision = checkEligibility({ birthDate: person.birthDate, deathDate: person.deathDate, openApplications: open, asOf: today, params });
      if (!decision.eligible && decision.reasons.some((r) => r.code === 'open_application')) {
        throw new AppError('ASSESSMENT_OPEN_APPLICATION', undefined, decision.reasons.map((r) => ({ path: 'personId', message: r.message })));
      }
      const dates = expectedDates(today, null, params);
      const id = newId();
      const state: State = decision.eligible ? 'applied' : 'rejected';
      await store.insertApplication(q, {
        district_code: person.districtCode, id, person_id: person.id, region_code: person.regionCode, reason: input.reason,
        channel: input.channel, applicant: input.applicant, state, state_reasons: decision.eligible ? [] : decision.reasons,
        applied_on: today, agency_id: null, review_of: null,
        expected_visit_by: decision.eligible ? dates.visitBy : null, expected_result_by: decision.eligible ? dates.resultBy : null,
        created_by: caller.userId,
      }, now);
      const created = (await store.getApplication(q, caller.scope, id))!;
      await appendAudit(q, [this.auditOf(caller, 'assessment.apply', created, { state, reason: input.reason, channel: input.channel, applicant: input.applicant, reasons: decision.eligible ? [] : decision.reasons })], now);
      await emit(q, 'assessment.applied', { applicationId: id, personId: person.id, state }, person.districtCode);
      return created;
    });
    return this.view(row, await this.itemCount());
  }

  async list(caller: Caller, f: { state?: State; personId?: string; overdue?: boolean }, limit: number, cursor: string | null): Promise<{ items: AssessmentView[]; nextCursor: string | null }> {
    const filter: store.ApplicationFilter = {
      state: f.state, personId: f.personId, overdueOn: f.overdue ? this.today() : undefined,
      assignedTo: caller.role === 'assessor' ? caller.userId : undefined,
    };
    return this.page(caller, filter, limit, cursor, 'assessment.list', f);
  }

  /** Open applications past their deadline (the officer's list). */
  overdue(caller: Caller, limit: number, cursor: string | null) {
    return this.page(caller, { overdueOn: this.today() }, limit, cursor, 'assessment.list_overdue', {});
  }

  /** Completed results whose validity ends within `days` (default: the parameter), for 期末评估 reminders. */
  expiring(caller: Caller, days: number | undefined, limit: number, cursor: string | null) {
    const today = this.today();
    const window = days ?? this.params(today).expiringSoonDays;
    return this.page(caller, { expiringBetween: { from: today, to: addDays(today, window) } }, limit, cursor, 'assessment.list_expiring', { days: window });
  }

  private async page(caller: Caller, filter: store.ApplicationFilter, limit: number, cursor: string | null, action: string, details: Record<string, unknown>) {
    const n = Math.min(limit, PAGE_MAX);
    const rows = await this.withScope(caller, (q) => store.listApplications(q, caller.scope, filter, n + 1, cursor));
    const items = rows.slice(0, n);
    await this.ctx.audit.record({ actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action, entityType: 'assessment', details: { ...details, count: items.length } });
    const count = await this.itemCount();
    return { items: items.map((r) => this.view(r, count)), nextCursor: rows.length > n ? items[items.length - 1]!.id : null };
  }

  async get(caller: Caller, id: string): Promise<AssessmentView> {
    const row = await this.withScope(caller, (q) => this.load(q, caller, id));
    await this.ctx.audit.record(this.auditOf(caller, 'assessment.read', row));
    return this.view(row, await this.itemCount());
  }

  /** Agencies in scope with their assessors (for assignment). */
  async agencies(caller: Caller): Promise<{ items: { id: string; code: string; name: string; districtCode: string; regionCode: string; daysToVisit: number; daysToResult: number; assessors: string[] }[] }> {
    const params = this.params();
    const rows = await this.withScope(caller, async (q) => {
      const list = await store.listAgencies(q, caller.scope);
      return Promise.all(list.filter((a) => a.active).map(async (a) => ({ a, assessors: await store.assessorsOfAgency(q, caller.scope, a.id) })));
    });
    return {
      items: rows.map(({ a, assessors }) => ({
        id: a.id, code: a.code, name: a.name, districtCode: a.district_code, regionCode: a.region_code,
        daysToVisit: a.days_to_visit ?? params.daysToVisit, daysToResult: a.days_to_result ?? params.daysToResult, assessors,
      })),
    };
  }

  /** Assign an agency and two assessors; the expected dates follow the agency's deadlines. */
  async assign(caller: Caller, id: string, input: { agencyId: string; assessorIds: [string, string]; version?: number }): Promise<AssessmentView> {
    const now = this.ctx.clock();
    const row = await this.withScope(caller, async (q) => {
      const app = await this.load(q, caller, id, true);
      const to = this.move(app, 'assign', input.version);
      const agency = await store.getAgency(q, caller.scope, input.agencyId);
      const assessors = agency ? await store.assessorsOfAgency(q, caller.scope, agency.id) : [];
      const original = app.review_of ? await store.getApplication(q, caller.scope, app.review_of) : null;
      const [a1, a2] = input.assessorIds;
      const check = checkAssignment({
        agencyId: input.agencyId, agencyDistrict: agency && agency.active ? agency.district_code : null, applicationDistrict: app.district_code,
        assessor1Id: a1, assessor2Id: a2, agencyAssessors: assessors, excludedAgencyId: original?.agency_id ?? null,
      });
      if (!check.ok) fail(check.error);
      const dates = expectedDates(app.applied_on as LocalDate, { daysToVisit: agency!.days_to_visit, daysToResult: agency!.days_to_result }, this.params(app.applied_on as LocalDate));
      const saved = await this.save(q, caller, app, {
        state: to, agency_id: agency!.id, assessor1_id: a1, assessor2_id: a2, assigned_at: now,
        expected_visit_by: dates.visitBy, expected_result_by: dates.resultBy,
      }, now);
      await appendAudit(q, [this.auditOf(caller, 'assessment.assign', saved, { from: app.state, to, agencyId: agency!.id, assessorIds: [a1, a2] })], now);
      await emit(q, 'assessment.assigned', { applicationId: saved.id, agencyId: agency!.id, assessorIds: [a1, a2] }, saved.district_code);
      return saved;
    });
    return this.view(row, await this.itemCount());
  }

  /**
   * Record answers from the tablet (partial batches; later answers replace earlier ones per
   * item). Idempotent on the client-made opId: a re-sent batch changes nothing. Returns progress,
   * and the running preview score once every item is answered.
   */
  async recordAnswers(caller: Caller, id: string, input: AnswersInput): Promise<{
    applied: boolean; assessment: AssessmentView; progress: { answered: number; total: number; missing: string[] };
    preview: Omit<ScoreResult, 'instrument'> | null; previewError: { code: string; message: string; path: string } | null;
  }> {
    const now = this.ctx.clock();
    return this.withScope(caller, async (q) => {
      let app = await this.load(q, caller, id, true);
      const to = this.move(app, 'record');
      const who = mayRecord({ assessor1Id: app.assessor1_id, assessor2Id: app.assessor2_id }, caller.userId);
      if (!who.ok) fail(who.error);
      const visited = visitDate({ visitedOn: input.visitedOn, appliedOn: app.applied_on as LocalDate, today: this.today() });
      if (!visited.ok) throw new AppError('ASSESSMENT_ANSWERS_INVALID', visited.error.message, [{ path: 'visitedOn', message: visited.error.message }]);
      // The first answers fix the version: the one in force on the visit date (later batches keep it).
      const fixing = !app.instrument_id;
      const instrument = await this.instrumentOf(app, visited.value);
      const applied = await store.claimAnswerOp(q, { district_code: app.district_code, application_id: app.id, client_op_id: input.opId, actor_id: caller.userId }, now);
      if (applied) {
        checkAnswers(instrument, input);
        const from = app.state;
        const answers = { ...app.answers, ...input.answers };
        app = await this.save(q, caller, app, {
          state: to, answers,
          ...(input.coma !== undefined ? { coma: input.coma } : {}),
          ...(input.diagnoses !== undefined ? { diagnoses: input.diagnoses } : {}),
          ...(input.riskEvents30d !== undefined ? { risk_events_30d: input.riskEvents30d } : {}),
          instrument_id: instrument.ref.id, instrument_version: instrument.ref.version,
          ...(app.state === 'assigned' ? { started_at: now } : {}),
        }, now);
        await appendAudit(q, [this.auditOf(caller, 'assessment.record_answers', app, {
          opId: input.opId, items: Object.keys(input.answers), from, to,
          ...(fixing ? { instrument: instrument.ref, visitedOn: visited.value } : {}),
        })], now);
      }
      const keys = this.itemKeys(instrument);
      const prog = progress(app.answers, keys);
      let preview: Omit<ScoreResult, 'instrument'> | null = null;
      let previewError: { code: string; message: string; path: string } | null = null;
      if (prog.missing.length === 0) {
        const r = score(instrument, requestOf(app));
        if (r.ok) {
          const { instrument: _i, ...rest } = r.value;
          preview = rest;
        } else previewError = r.error;
      }
      return { applied, assessment: this.view(app, keys.length), progress: prog, preview, previewError };
    });
  }

  /** The first assessor submits complete answers for countersigning. */
  async submit(caller: Caller, id: string, version?: number): Promise<AssessmentView> {
    const now = this.ctx.clock();
    const row = await this.withScope(caller, async (q) => {
      const app = await this.load(q, caller, id, true);
      const to = this.move(app, 'submit', version);
      const who = maySubmit({ assessor1Id: app.assessor1_id, assessor2Id: app.assessor2_id }, caller.userId);
      if (!who.ok) fail(who.error);
      const instrument = await this.instrumentOf(app);
      const prog = progress(app.answers, this.itemKeys(instrument));
      if (prog.missing.length > 0) {
        throw new AppError('ASSESSMENT_INCOMPLETE', `尚有 ${prog.missing.length} 项未填写：${prog.missing.join('、')}`, prog.missing.map((k) => ({ path: `answers.${k}`, message: '未填写' })));
      }
      const r = score(instrument, requestOf(app));
      if (!r.ok) throw new AppError('ASSESSMENT_ANSWERS_INVALID', r.error.message, [{ path: r.error.path, message: r.error.message }]);
      const saved = await this.save(q, caller, app, { state: to, submitted_at: now }, now);
      await appendAudit(q, [this.auditOf(caller, 'assessment.submit', saved, { from: app.state, to, total: r.value.total, level: r.value.level })], now);
      return saved;
    });
    return this.view(row, await this.itemCount());
  }

  /**
   * The second assessor countersigns: the answers are scored with the recorded instrument
   * version, the result signed with the deployment's key, validity set, and
   * `assessment.completed` emitted — all in one transaction.
   */
  async countersign(caller: Caller, id: string, version?: number): Promise<AssessmentView> {
    const now = this.ctx.clock();
    const today = this.today();
    const params = this.params(today);
    const { keyId, pair } = this.key();
    const row = await this.withScope(caller, async (q) => {
      const app = await this.load(q, caller, id, true);
      const to = this.move(app, 'countersign', version);
      const who = mayCountersign({ assessor1Id: app.assessor1_id, assessor2Id: app.assessor2_id }, caller.userId);
      if (!who.ok) fail(who.error);
      const instrument = await this.instrumentOf(app);
      const request = requestOf(app);
      const r = score(instrument, request);
      if (!r.ok) throw new AppError('ASSESSMENT_ANSWERS_INVALID', r.error.message, [{ path: r.error.path, message: r.error.message }]);
      const agency = app.agency_id ? await store.getAgency(q, caller.scope, app.agency_id) : null;
      const doc = signResult({
        instrument, issuer: { regionCode: app.district_code, ...(agency ? { name: agency.name } : {}) }, issuedAt: now.toISOString(),
        subject: app.id, request, result: r.value,
      }, { keyId, privateKey: pair.privateKey });
      const { instrument: _i, ...result } = r.value;
      const v = validity(today, params);
      const saved = await this.save(q, caller, app, {
        state: to, result, level: r.value.level, valid_from: v.validFrom, valid_until: v.validUntil, signed_document: doc, completed_at: now,
      }, now);
      await appendAudit(q, [this.auditOf(caller, 'assessment.countersign', saved, {
        from: app.state, to, level: r.value.level, total: r.value.total, instrument: instrument.ref, keyId, validUntil: v.validUntil,
      })], now);
      await emit(q, 'assessment.completed', {
        applicationId: saved.id, personId: saved.person_id, districtCode: saved.district_code, reason: saved.reason, reviewOf: saved.review_of,
        instrument: instrument.ref, level: r.value.level, levelName: r.value.levelName, total: r.value.total,
        validFrom: v.validFrom, validUntil: v.validUntil, appealBy: appealBy(today, params),
      }, saved.district_code);
      return saved;
    });
    void this.ctx.dispatcher.wake().catch(() => undefined);
    return this.view(row, await this.itemCount());
  }

  /**
   * Close an open application before its result: `reject` (不予受理, an officer's decision, only
   * from `applied`) or `cancel` (撤销, on the applicant's request, until the first assessor
   * submits). The reason is kept on the application (`stateReasons`) and in the audit entry;
   * `assessment.rejected` / `assessment.cancelled` is emitted in the same transaction.
   */
  async close(caller: Caller, id: string, action: ClosingAction, input: { reason: string; version?: number }): Promise<AssessmentView> {
    const now = this.ctx.clock();
    const row = await this.withScope(caller, async (q) => {
      const app = await this.load(q, caller, id, true);
      const to = this.move(app, action, input.version);
      const why = closingReason(action, input.reason);
      const saved = await this.save(q, caller, app, { state: to, state_reasons: [why] }, now);
      await appendAudit(q, [this.auditOf(caller, `assessment.${action}`, saved, { from: app.state, to, reason: why })], now);
      await emit(q, action === 'reject' ? 'assessment.rejected' : 'assessment.cancelled', {
        applicationId: saved.id, personId: saved.person_id, districtCode: saved.district_code, from: app.state, to, code: why.code,
      }, saved.district_code);
      return saved;
    });
    return this.view(row, await this.itemCount());
  }

  /** Appeal (复核): a review application linked to the original, given to a different agency of the district. */
  async appeal(caller: Caller, id: string, input: { channel: 'online' | 'centre'; applicant: 'self' | 'family' | 'advisor'; note?: string }): Promise<AssessmentView> {
    const now = this.ctx.clock();
    const today = this.today();
    const params = this.params(today);
    const row = await this.withScope(caller, async (q) => {
      const original = await this.load(q, caller, id, true);
      const agencies = await store.listAgencies(q, caller.scope, original.district_code);
      const plan = planAppeal({
        original: { state: original.state as State, completedOn: original.completed_at ? todayIn(() => original.completed_at!) : null, agencyId: original.agency_id },
        asOf: today, agencies, params,
      });
      if (!plan.ok) fail(plan.error);
      const agencyId = (plan as { ok: true; value: { agencyId: string } }).value.agencyId;
      if ((await store.countOpenApplications(q, caller.scope, original.person_id)) > 0) throw new AppError('ASSESSMENT_OPEN_APPLICATION');
      const agency = agencies.find((a) => a.id === agencyId)!;
      const dates = expectedDates(today, { daysToVisit: agency.days_to_visit, daysToResult: agency.days_to_result }, params);
      const newIdValue = newId();
      await store.insertApplication(q, {
        district_code: original.district_code, id: newIdValue, person_id: original.person_id, region_code: original.region_code,
        reason: 'review', channel: input.channel, applicant: input.applicant, state: 'applied', state_reasons: [], applied_on: today,
        agency_id: agencyId, review_of: original.id, expected_visit_by: dates.visitBy, expected_result_by: dates.resultBy, created_by: caller.userId,
      }, now);
      const created = (await store.getApplication(q, caller.scope, newIdValue))!;
      await appendAudit(q, [
        this.auditOf(caller, 'assessment.appeal', original, { reviewId: newIdValue, reviewAgencyId: agencyId, note: input.note ?? null }),
        this.auditOf(caller, 'assessment.apply', created, { state: 'applied', reason: 'review', reviewOf: original.id }),
      ], now);
      await emit(q, 'assessment.appealed', { applicationId: newIdValue, reviewOf: original.id, agencyId }, original.district_code);
      return created;
    });
    return this.view(row, await this.itemCount());
  }

  /** Verify a signed result document against this deployment's key. */
  async verify(doc: unknown): Promise<Verdict> {
    return verifyResultDocument(JSON.stringify(doc ?? null), {
      keys: [this.key().trusted],
      loadInstrument: (ref) => this.instrument(`${ref.id}@${ref.version}`),
    });
  }

  /** Stateless scoring: one CLI line in, one CLI line out. */
  async scoreOne(line: unknown, instrumentSpec: string | undefined): Promise<{ ok: boolean; body: Record<string, unknown> }> {
    const instrument = instrumentSpec ? await this.instrument(instrumentSpec) : await this.instrumentOn(this.today());
    // Over HTTP the id is optional (one request, one answer); the CLI line needs one.
    const anonymous = typeof line === 'object' && line !== null && !Array.isArray(line) && !('id' in line);
    const r = scoreLine(instrument, JSON.stringify(anonymous ? { ...(line as object), id: '-' } : line ?? null), 1);
    const body = JSON.parse(r.line) as Record<string, unknown>;
    if (anonymous) delete body.id;
    if (!r.ok) (body.error as Record<string, unknown>).details = [];
    return { ok: r.ok, body };
  }
}

/** The score request stored on an application. */
function requestOf(app: ApplicationRow): ScoreRequest {
  return {
    answers: app.answers,
    ...(app.coma !== null ? { coma: app.coma } : {}),
    ...(app.diagnoses.length > 0 ? { diagnoses: app.diagnoses } : {}),
    ...(app.risk_events_30d !== null && app.risk_events_30d !== undefined ? { riskEvents30d: app.risk_events_30d } : {}),
  };
}

/**
 * Check a partial batch: every key an item of the instrument and every value one of its options;
 * the other inputs checked by scoring them beside a complete set of valid answers (the generic
 * interpreter is the one place that knows what an input accepts).
 */
function checkAnswers(instrument: Instrument, input: AnswersInput): void {
  const details: ErrorDetail[] = [];
  const items = new Map(instrument.data.items.map((i) => [i.key, new Set(i.options.map((o) => o.score))]));
  for (const [k, v] of Object.entries(input.answers)) {
    const options = items.get(k);
    if (!options) details.push({ path: `answers.${k}`, message: `项目 ${k} 不是该量表的项目` });
    else if (!options.has(v)) details.push({ path: `answers.${k}`, message: `项目 ${k} 的分值 ${v} 不是该项目的选项` });
  }
  if (details.length > 0) throw new AppError('ASSESSMENT_ANSWERS_INVALID', details[0]!.message, details);
  const full = Object.fromEntries(instrument.data.items.map((i) => [i.key, i.options[0]!.score]));
  const r = score(instrument, {
    answers: full,
    ...(input.coma !== undefined ? { coma: input.coma } : {}),
    ...(input.diagnoses !== undefined ? { diagnoses: input.diagnoses } : {}),
    ...(input.riskEvents30d !== undefined ? { riskEvents30d: input.riskEvents30d } : {}),
  });
  if (!r.ok) throw new AppError('ASSESSMENT_ANSWERS_INVALID', r.error.message, [{ path: r.error.path, message: r.error.message }]);
}

// ---- printable report (issue 4 §6): the PDF of a completed assessment ----
// Imports of this block are kept here so the block stays one contiguous addition.
import { listUsers } from '../platform/auth.ts';
import { renderPdf } from '../platform/pdf.ts';
import { PeopleService } from '../people/index.ts';
import { buildAssessmentReport, reportFileName, signatureOf, type ReportInput, type ReportPerson } from './report.ts';

/**
 * The printable report (评估报告, GB/T 42195-2022 Annex C) of a completed assessment: PDF bytes
 * and the download names. Read through `AssessmentService.get`, so the scope, the assessor's
 * own-assignments rule and the `assessment.read` audit entry are those of reading the
 * assessment; the person's record is read (and audited) through the people register. 409
 * `ASSESSMENT_ILLEGAL_TRANSITION` when the assessment is not completed.
 */
export async function assessmentReportPdf(ctx: AppContext, svc: AssessmentService, caller: Caller, id: string): Promise<{ pdf: Buffer; fileName: { utf8: string; ascii: string } }> {
  const view = await svc.get(caller, id);
  if (view.state !== 'completed' || !view.result || !view.instrument || !view.validFrom || !view.validUntil) {
    throw new AppError('ASSESSMENT_ILLEGAL_TRANSITION', `评估尚未完成（当前状态：${view.stateName}），还没有评估报告`, [{ path: 'state', message: view.state }]);
  }
  const instrument = await loadInstrument(`${view.instrument.id}@${view.instrument.version}`);
  const person = await reportPerson(ctx, caller, view.personId);
  const agencyId = view.agencyId;
  const agency = agencyId ? await ctx.db.tx((q) => store.getAgency(q, caller.scope, agencyId), { scope: caller.scope, asAppRole: true }) : null;
  const users = new Map((await listUsers(ctx.db)).map((u) => [u.id, u.display_name]));
  const nameOf = (userId: string | null) => (userId ? users.get(userId) ?? null : null);
  const signature = signatureOf(view.signedDocument);
  const issuerCode = signature?.issuerRegionCode || view.districtCode;
  const input: ReportInput = {
    assessmentId: view.id, reason: view.reason, reviewOf: view.reviewOf, person,
    agencyName: agency?.name ?? signature?.issuerName ?? null,
    assessors: [nameOf(view.assessor1Id), nameOf(view.assessor2Id)],
    appliedOn: view.appliedOn, completedOn: view.validFrom, validFrom: view.validFrom, validUntil: view.validUntil, appealBy: view.appealBy,
    result: view.result as unknown as ReportInput['result'],
    instrument: instrument.data, signature,
    issuerRegionName: ctx.regions.pathNames(issuerCode, ''),
    printedOn: todayIn(ctx.clock),
  };
  return { pdf: await renderPdf(buildAssessmentReport(input)), fileName: reportFileName(input) };
}

/** The person as printed on the report (the masked ID number only); null when the record cannot be read. */
async function reportPerson(ctx: AppContext, caller: Caller, personId: string): Promise<ReportPerson | null> {
  try {
    const p = await new PeopleService(ctx).get(caller, personId);
    return { name: p.name, idNumberMasked: p.idNumberMasked, sex: p.sex, birthDate: p.birthDate, residence: p.regionPath };
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
    throw e;
  }
}

// ---- quality control (issue 4 §5): figures per agency and assessor for the officer ----

export const QUALITY_POLICY_FILE = fileURLToPath(new URL('../../policy/assessment/quality.json', import.meta.url));
const qualityDated = z.strictObject({ value: z.number().nonnegative(), reference: z.string().min(1), confidence: z.enum(['high', 'medium', 'low']), note: z.string().optional() });
const qualityParamSchema = z.strictObject({
  description: z.string().min(1), unit: z.string().min(1), values: z.record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/), qualityDated),
});
const qualityPolicySchema = z.strictObject({ description: z.string(), lastCheckedOn: z.string(), parameters: z.record(z.string(), qualityParamSchema) })
  .superRefine((p, c) => {
    const names: readonly string[] = QUALITY_PARAM_NAMES;
    for (const n of names) if (!p.parameters[n] || Object.keys(p.parameters[n].values).length === 0) c.addIssue({ code: 'custom', path: ['parameters', n], message: 'missing parameter or value' });
    for (const n of Object.keys(p.parameters)) if (!names.includes(n)) c.addIssue({ code: 'custom', path: ['parameters', n], message: 'unknown parameter' });
  });
let qualityPolicyCache: QualityPolicy | null = null;

/** policy/assessment/quality.json, checked (shape, reference and confidence per value). */
export function loadQualityPolicy(): QualityPolicy {
  qualityPolicyCache ??= qualityPolicySchema.parse(JSON.parse(readFileSync(QUALITY_POLICY_FILE, 'utf8'))) as QualityPolicy;
  return qualityPolicyCache;
}

/** Default period when none is asked: the year up to today. */
const QUALITY_DEFAULT_DAYS = 364;
/** Longest period one report covers (about three years). */
const QUALITY_MAX_DAYS = 1100;

export interface QualityQuery {
  from?: LocalDate;
  to?: LocalDate;
  districtCode?: string;
  /** Override of the sample share parameter (0–1). */
  sampleShare?: number;
}

type Named<T> = T & { name: string };
export type QualityView = Omit<QualityReport, 'agencies' | 'assessors' | 'outliers'> & {
  districtCode: string | null;
  levels: { level: number; name: string }[];
  agencies: Named<AgencyFigures & { code: string }>[];
  assessors: Named<AssessorFigures>[];
  outliers: Named<QualityReport['outliers'][number]>[];
};

/** The quality report of the caller's scope (officer: their district; auditor read-only), read-audited. */
export async function qualityOverview(ctx: AppContext, caller: Caller, query: QualityQuery): Promise<QualityView> {
  const today = todayIn(ctx.clock);
  const to = query.to ?? today;
  const from = query.from ?? addDays(to, -QUALITY_DEFAULT_DAYS);
  if (from > to) throw new AppError('VALIDATION_FAILED', '开始日期不能晚于结束日期', [{ path: 'from', message: '开始日期不能晚于结束日期' }]);
  if (diffDays(to, from) > QUALITY_MAX_DAYS) throw new AppError('VALIDATION_FAILED', '统计期间最长约三年', [{ path: 'from', message: '统计期间最长约三年' }]);
  const params = { ...qualityParams(loadQualityPolicy(), to), ...(query.sampleShare !== undefined ? { sampleShare: query.sampleShare } : {}) };
  // Level names for the report: the version in force at the period's end; a period ending before
  // the first version (no results can be in it) is labelled with the latest version's names.
  const instrumentId = loadWorkflowPolicy().instrument;
  const instrument = await loadInstrumentOn(instrumentId, to).catch((e: unknown) => {
    if (e instanceof AppError && e.code === 'NOT_FOUND') return loadInstrument(instrumentId);
    throw e;
  });
  const { rows, agencies, names } = await ctx.db.tx(async (q) => {
    const rows = await store.listQualityRows(q, caller.scope, { from, to, districtCode: query.districtCode });
    const agencies = await store.listAgencies(q, caller.scope, query.districtCode);
    const names = await store.userNames(q, [...new Set(rows.flatMap((r) => [r.assessor1_id, r.assessor2_id]).filter((x): x is string => !!x))]);
    return { rows, agencies, names };
  }, { scope: caller.scope, asAppRole: true });
  const records: QualityRecord[] = rows.map((r) => ({
    id: r.id, districtCode: r.district_code, agencyId: r.agency_id, assessorIds: [r.assessor1_id, r.assessor2_id].filter((x): x is string => !!x),
    level: r.level, reason: r.reason, appliedOn: r.applied_on as LocalDate, completedOn: r.completed_on as LocalDate,
    minutesVisitToSubmit: r.minutes_visit_to_submit === null ? null : Number(r.minutes_visit_to_submit),
    review: r.review_id !== null && r.review_level !== null ? { id: r.review_id, level: r.review_level } : null,
  }));
  const report = qualityReport({ from, to, levelCount: instrument.data.levels.length, records, params });
  await ctx.audit.record({
    actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'assessment.quality', entityType: 'assessment',
    details: { from, to, districtCode: query.districtCode ?? null, results: records.length, outliers: report.outliers.length },
  });
  const agencyById = new Map(agencies.map((a) => [a.id, a]));
  const agencyName = (id: string) => agencyById.get(id)?.name ?? `#${id.slice(-8)}`;
  const userName = (id: string) => names.get(id) ?? `#${id.slice(-8)}`;
  return {
    ...report,
    districtCode: query.districtCode ?? null,
    levels: instrument.data.levels.map((l) => ({ level: l.level, name: l.name })),
    agencies: report.agencies.map((a) => ({ ...a, code: agencyById.get(a.agencyId)?.code ?? '', name: agencyName(a.agencyId) })),
    assessors: report.assessors.map((a) => ({ ...a, name: userName(a.assessorId) })),
    outliers: report.outliers.map((o) => ({ ...o, name: o.kind === 'agency' ? agencyName(o.id) : userName(o.id) })),
  };
}

// ---- Shanghai care grade 0–6 (issue 4 item 1): signed records imported by API or file ----
// Imports of this block are kept here so the block stays one contiguous addition.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { generateEd25519 } from '../platform/crypto.ts';
import { checkFileName, normaliseDate, readSheet } from '../people/index.ts';
import {
  careGradeHash, careGradeName, careGradeOn, checkCareGrade, gradeFromText, recheckSignature, storedCareGrade, CARE_GRADE_FORMAT,
  type AgencyKey, type CareGradeNames, type CareGradeOutcome, type CheckedCareGrade, type PersonRefKind, type SignatureStatus,
} from './care-grade.ts';
import { normalizeIdNumber } from '../core/idnumber.ts';

export const CARE_GRADE_POLICY_FILE = fileURLToPath(new URL('../../policy/assessment/care-grade.json', import.meta.url));
const cited = { reference: z.string().min(1), confidence: z.enum(['high', 'medium', 'low']), note: z.string().optional() };
const careGradePolicySchema = z.strictObject({
  description: z.string(), lastCheckedOn: z.string(), format: z.literal(CARE_GRADE_FORMAT), ...cited,
  grades: z.array(z.strictObject({ grade: z.number().int().min(0).max(6), code: z.string().regex(/^\d{2}$/), name: z.string().min(1), ...cited })).length(7)
    .refine((g) => g.every((x, i) => x.grade === i), 'grades must be 0…6 in order'),
  outcomes: z.strictObject({ medical_referral: z.strictObject({ name: z.string().min(1), shortName: z.string().min(1), description: z.string(), ...cited }) }),
  validity: z.strictObject({ maxYears: z.number().int().min(1).max(10), ...cited }),
  trustedKeys: z.array(z.strictObject({ keyId: z.string().min(1), agencyCode: z.string().min(1), districtCode: z.string().regex(/^\d{6}$/), publicKey: z.string().min(40) })),
  trustedKeysNote: z.string(),
});
export type CareGradePolicy = z.infer<typeof careGradePolicySchema>;
let careGradePolicyCache: CareGradePolicy | null = null;

/** policy/assessment/care-grade.json, checked (shape, grades 0…6, references). */
export function loadCareGradePolicy(): CareGradePolicy {
  careGradePolicyCache ??= careGradePolicySchema.parse(JSON.parse(readFileSync(CARE_GRADE_POLICY_FILE, 'utf8')));
  return careGradePolicyCache;
}

export interface CareGradeView {
  id: string;
  personId: string;
  districtCode: string;
  regionCode: string;
  grade: number | null;
  gradeCode: string | null;
  gradeName: string;
  outcome: CareGradeOutcome;
  agencyCode: string;
  assessedOn: string;
  validFrom: string;
  /** Last valid day (inclusive), as signed. */
  validUntil: string;
  /** Half-open end: validUntil + 1 day. */
  validTo: string;
  source: 'api' | 'file';
  keyId: string;
  record: Record<string, unknown>;
  importedBy: string | null;
  importedAt: string;
  supersededBy: string | null;
  /** How the agency named the person: platform id, or ID number (stored masked). */
  personRefKind: PersonRefKind;
  /** The signature re-checked with the keys trusted now (`verified_on_import` for ID-number records). */
  signature: { status: SignatureStatus; message: string };
}

const SIGNATURE_MESSAGES: Record<SignatureStatus, string> = {
  verified: '签名有效（已用平台信任的评估机构密钥核验）',
  verified_on_import: '导入时已核验签名（记录以身份证号标识老人，存档时已隐去身份证号，不能再次核验）',
  key_not_trusted: '签名密钥已不再受平台信任',
  bad_signature: '签名与存档记录不符',
};

/** A record in the officer's list: the grade, and whether it is the person's grade in force today. */
export interface CareGradeListItem extends CareGradeView {
  status: 'current' | 'superseded' | 'expired' | 'future';
}

export interface CareGradeImportSummary {
  source: 'api' | 'file';
  fileName: string | null;
  total: number;
  recorded: number;
  unchanged: number;
  rejected: number;
  /** `row`: the spreadsheet row (file) or the 1-based position in `records` (API). */
  errors: { row: number; field: string; message: string }[];
  items: { row: number; id: string | null; status: 'recorded' | 'unchanged' }[];
}

/** File columns of a signed grade record, Chinese first. */
export const CARE_GRADE_COLUMNS = {
  personRef: ['老人编号', '人员编号', 'personRef', 'personId'],
  idNumber: ['身份证号', '身份证号码', 'idNumber'],
  grade: ['照护等级', '评估等级', 'grade'],
  outcome: ['评估结论', 'outcome'],
  agencyCode: ['评估机构代码', '评估机构', 'agencyCode'],
  assessedOn: ['评估日期', 'assessedOn'],
  validUntil: ['有效期至', '有效期截止日', 'validUntil'],
  keyId: ['密钥编号', 'keyId'],
  signature: ['签名', 'signature'],
} as const;
type CareGradeColumn = keyof typeof CARE_GRADE_COLUMNS;
/** Besides one of 老人编号 / 身份证号. */
const REQUIRED_COLUMNS: CareGradeColumn[] = ['grade', 'agencyCode', 'assessedOn', 'validUntil', 'keyId', 'signature'];
const CARE_GRADE_BATCH_MAX = 5000;
/** How many people a name search may match for the list (a name prefix can be common). */
const CARE_GRADE_SEARCH_PEOPLE = 200;

/**
 * Care grades: import of agencies' signed records (API batch or CSV/XLSX file) and reading a
 * person's history. A record with a problem is rejected with a Chinese reason and the rest of the
 * batch is kept; the same record twice changes nothing. Good records are stored in one
 * transaction under the caller's scope with an audit entry and an outbox event
 * `assessment.care_grade_recorded` each.
 */
export class CareGradeService {
  constructor(
    private readonly ctx: AppContext,
    private readonly personOf: PersonOf,
    /** Resolves records that name the person by ID number; without it they are rejected. */
    private readonly personByIdNumber: PersonByIdNumber | null = null,
    private readonly findPeople: FindPeople | null = null,
  ) {}

  private names(): CareGradeNames {
    return loadCareGradePolicy();
  }

  /** Trusted agency keys: the policy file's plus those registered in assessment.agency_key (public material, read deployment-wide). */
  async trustedKeys(): Promise<AgencyKey[]> {
    const rows = await this.ctx.db.tx((q) => store.listAgencyKeys(q, '*'), { asAppRole: false });
    return [
      ...loadCareGradePolicy().trustedKeys,
      ...rows.map((r) => ({ keyId: r.key_id, agencyCode: r.agency_code, districtCode: r.district_code, publicKey: r.public_key })),
    ];
  }

  view(row: store.CareGradeRow, keys: readonly AgencyKey[]): CareGradeView {
    const names = this.names();
    const status = recheckSignature(row.record, keys);
    return {
      id: row.id, personId: row.person_id, districtCode: row.district_code, regionCode: row.region_code,
      grade: row.grade, gradeCode: row.grade === null ? null : names.grades.find((g) => g.grade === row.grade)?.code ?? null,
      gradeName: careGradeName(row, names), outcome: row.outcome, agencyCode: row.agency_code, assessedOn: row.assessed_on,
      validFrom: row.valid_from, validUntil: row.valid_until, validTo: row.valid_to, source: row.source, keyId: row.key_id, record: row.record,
      importedBy: row.imported_by, importedAt: row.imported_at.toISOString(), supersededBy: row.superseded_by,
      personRefKind: row.record.personRefKind === 'id_number' ? 'id_number' : 'id', signature: { status, message: SIGNATURE_MESSAGES[status] },
    };
  }

  /** Import a batch of signed records (JSON). `rows` gives each record's row number for errors (default: position, from 1). */
  async importRecords(caller: Caller, records: readonly unknown[], source: 'api' | 'file' = 'api', rows?: readonly number[], fileName: string | null = null,
    preErrors: CareGradeImportSummary['errors'] = []): Promise<CareGradeImportSummary> {
    if (records.length > CARE_GRADE_BATCH_MAX) throw new AppError('VALIDATION_FAILED', `一次最多导入 ${CARE_GRADE_BATCH_MAX} 条记录`, [{ path: 'records', message: `最多 ${CARE_GRADE_BATCH_MAX} 条` }]);
    const now = this.ctx.clock();
    const today = todayIn(this.ctx.clock);
    const keys = await this.trustedKeys();
    const maxYears = loadCareGradePolicy().validity.maxYears;
    const errors = [...preErrors];
    const good: { row: number; checked: CheckedCareGrade; person: PersonFacts; raw: unknown }[] = [];
    const persons = new Map<string, PersonFacts | null>();
    for (const [i, raw] of records.entries()) {
      const row = rows?.[i] ?? i + 1;
      const c = checkCareGrade(raw, { keys, today, maxYears });
      if (!c.ok) {
        errors.push(...c.problems.map((p) => ({ row, field: p.field, message: p.message })));
        continue;
      }
      const ref = c.value.record.personRef;
      const byIdNumber = c.value.personRefKind === 'id_number';
      const cacheKey = `${c.value.personRefKind}:${ref}`;
      if (!persons.has(cacheKey)) {
        persons.set(cacheKey, byIdNumber ? (this.personByIdNumber ? await this.personByIdNumber(caller, ref) : null) : await this.personOf(caller, ref));
      }
      const person = persons.get(cacheKey)!;
      if (!person) {
        errors.push({ row, field: 'personRef', message: byIdNumber ? '未找到该身份证号的老人，或该老人不在您的管辖范围内' : '未找到该老人，或该老人不在您的管辖范围内' });
        continue;
      }
      good.push({ row, checked: c.value, person, raw });
    }
    const items: CareGradeImportSummary['items'] = [];
    const batchId = newId();
    await this.ctx.db.tx(async (q) => {
      const audits: AuditEntry[] = [];
      for (const g of good) {
        const r = g.checked.record;
        const id = newId();
        const inserted = await store.insertCareGrade(q, caller.scope, {
          district_code: g.person.districtCode, id, person_id: g.person.id, region_code: g.person.regionCode, grade: r.grade, outcome: r.outcome,
          agency_code: r.agencyCode, assessed_on: r.assessedOn, valid_from: r.assessedOn, valid_until: r.validUntil, source,
          record: storedCareGrade(g.checked, g.raw),
          record_hash: g.checked.hash ?? careGradeHash({ ...r, personRef: g.person.id }, g.checked.keyId, g.checked.personRefKind),
          key_id: g.checked.keyId, imported_by: caller.userId,
        }, now);
        items.push({ row: g.row, id: inserted ? id : null, status: inserted ? 'recorded' : 'unchanged' });
        if (!inserted) continue;
        audits.push({
          actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'assessment.care_grade.import',
          entityType: 'care_grade', entityId: id, districtCode: g.person.districtCode,
          details: {
            batchId, personId: g.person.id, personRefKind: g.checked.personRefKind, grade: r.grade, outcome: r.outcome, agencyCode: r.agencyCode,
            assessedOn: r.assessedOn, validUntil: r.validUntil, keyId: g.checked.keyId, signatureVerified: true, source,
          },
        });
        await emit(q, 'assessment.care_grade_recorded', {
          careGradeId: id, personId: g.person.id, districtCode: g.person.districtCode, grade: r.grade, outcome: r.outcome,
          agencyCode: r.agencyCode, assessedOn: r.assessedOn, validFrom: r.assessedOn, validUntil: r.validUntil, source,
        }, g.person.districtCode);
      }
      const recorded = items.filter((x) => x.status === 'recorded').length;
      audits.push({
        actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'assessment.care_grade.import_batch',
        entityType: 'care_grade_batch', entityId: batchId,
        details: { source, fileName, total: records.length, recorded, unchanged: items.length - recorded, rejectedRows: [...new Set(errors.map((e) => e.row))].length },
      });
      await appendAudit(q, audits, now);
    }, { scope: caller.scope, asAppRole: true });
    if (items.some((x) => x.status === 'recorded')) void this.ctx.dispatcher.wake().catch(() => undefined);
    const recorded = items.filter((x) => x.status === 'recorded').length;
    return {
      source, fileName, total: records.length, recorded, unchanged: items.length - recorded,
      rejected: new Set(errors.map((e) => e.row)).size, errors: errors.sort((a, b) => a.row - b.row), items,
    };
  }

  /** Import a CSV/XLSX file of signed records (columns: CARE_GRADE_COLUMNS); row errors name the spreadsheet row and column. */
  async importFile(caller: Caller, fileName: string, bytes: Buffer): Promise<CareGradeImportSummary> {
    const kind = checkFileName(fileName);
    const sheet = await readSheet(bytes, kind);
    const index: Partial<Record<CareGradeColumn, number>> = {};
    sheet.headers.forEach((h, i) => {
      const col = (Object.keys(CARE_GRADE_COLUMNS) as CareGradeColumn[]).find((c) => (CARE_GRADE_COLUMNS[c] as readonly string[]).some((a) => a.toLowerCase() === h.toLowerCase()));
      if (col && index[col] === undefined) index[col] = i;
    });
    const missing = REQUIRED_COLUMNS.filter((c) => index[c] === undefined).map((c) => CARE_GRADE_COLUMNS[c][0] as string);
    if (index.personRef === undefined && index.idNumber === undefined) missing.unshift(`${CARE_GRADE_COLUMNS.personRef[0]}或${CARE_GRADE_COLUMNS.idNumber[0]}`);
    if (missing.length) throw new AppError('IMPORT_FILE_INVALID', `缺少必需的列：${missing.join('、')}`, missing.map((m) => ({ path: m, message: '缺少该列' })));
    const header = (c: CareGradeColumn | string): string => {
      const i = index[c as CareGradeColumn];
      return i === undefined ? c : sheet.headers[i] ?? c;
    };
    const names = this.names();
    const records: unknown[] = [];
    const rowNos: number[] = [];
    const preErrors: CareGradeImportSummary['errors'] = [];
    /** Rows that name the person by ID number: their `personRef` errors belong to that column. */
    const byIdNumber = new Set<number>();
    sheet.rows.forEach((cells, i) => {
      const row = i + 2;
      if (cells.every((c) => c.trim() === '')) return;
      const get = (c: CareGradeColumn) => (index[c] === undefined ? '' : (cells[index[c]!] ?? '').trim());
      const g = gradeFromText(get('grade'), names);
      if (!g) {
        preErrors.push({ row, field: header('grade'), message: `照护等级“${get('grade')}”无法识别：应为 0–6、00–06、正常、照护一级…照护六级或建议就医` });
        return;
      }
      const outcomeCell = get('outcome');
      if (outcomeCell && gradeFromText(outcomeCell, names)?.outcome !== g.outcome && outcomeCell !== g.outcome) {
        preErrors.push({ row, field: header('outcome'), message: `评估结论“${outcomeCell}”与照护等级不一致` });
        return;
      }
      // 老人编号 when given, else the ID number (normalised: the agency signs the 18-character form, X upper case)
      const personRef = get('personRef') || normalizeIdNumber(get('idNumber'));
      if (!get('personRef') && get('idNumber')) byIdNumber.add(row);
      records.push({
        format: CARE_GRADE_FORMAT, personRef, grade: g.grade, outcome: g.outcome, agencyCode: get('agencyCode'),
        assessedOn: normaliseDate(get('assessedOn')) ?? '', validUntil: normaliseDate(get('validUntil')) ?? '', keyId: get('keyId'), signature: get('signature'),
      });
      rowNos.push(row);
    });
    const summary = await this.importRecords(caller, records, 'file', rowNos, fileName.trim(), preErrors);
    summary.total = records.length + new Set(preErrors.map((e) => e.row)).size;
    summary.errors = summary.errors.map((e) => {
      const col = e.field === 'personRef' && byIdNumber.has(e.row) ? 'idNumber' : e.field;
      return { ...e, field: col in CARE_GRADE_COLUMNS ? header(col) : e.field };
    });
    return summary;
  }

  /** A person's grades (history, oldest first) and the one in force on `asOf` (default today); read-audited. An assessor sees only people assigned to them. */
  async list(caller: Caller, personId: string, asOf?: LocalDate): Promise<{ personId: string; asOf: string; current: CareGradeView | null; items: CareGradeView[] }> {
    const person = await this.personOf(caller, personId);
    if (!person) throw new AppError('NOT_FOUND', '未找到该老人');
    const day = asOf ?? todayIn(this.ctx.clock);
    const rows = await this.ctx.db.tx(async (q) => {
      if (caller.role === 'assessor') {
        const mine = await store.listApplications(q, caller.scope, { personId, assignedTo: caller.userId }, 1, null);
        if (mine.length === 0) throw new AppError('NOT_FOUND', '未找到该老人');
      }
      return store.listCareGrades(q, caller.scope, personId);
    }, { scope: caller.scope, asAppRole: true });
    await this.ctx.audit.record({
      actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'assessment.care_grade.read',
      entityType: 'person', entityId: personId, districtCode: person.districtCode, details: { count: rows.length, asOf: day },
    });
    const keys = await this.trustedKeys();
    const items = rows.map((r) => this.view(r, keys));
    return { personId, asOf: day, current: careGradeOn(items, day), items };
  }

  /**
   * The officer's list of grade records in scope, newest import first: by person (`q`: platform
   * id, ID number — through the register's blind index — or a name prefix), by district, or only
   * those in force today. Each item says whether it is the person's grade in force today. Read-audited
   * (the search text is not written: it may be an ID number).
   */
  async records(caller: Caller, f: { q?: string; districtCode?: string; current?: boolean }, limit: number, cursor: string | null): Promise<{ items: CareGradeListItem[]; nextCursor: string | null }> {
    const today = todayIn(this.ctx.clock);
    const q = f.q?.trim();
    let personIds: string[] | undefined;
    if (q) {
      if (isUuid(q)) personIds = [q.toLowerCase()];
      else personIds = this.findPeople ? await this.findPeople(caller, q, CARE_GRADE_SEARCH_PEOPLE) : [];
    }
    const n = Math.min(limit, PAGE_MAX);
    const rows = personIds && personIds.length === 0 ? [] : await this.ctx.db.tx(
      (tx) => store.listCareGradeRecords(tx, caller.scope, { personIds, districtCode: f.districtCode, currentOn: f.current ? today : undefined }, today, n + 1, cursor),
      { scope: caller.scope, asAppRole: true },
    );
    const page = rows.slice(0, n);
    await this.ctx.audit.record({
      actorId: caller.userId, actorRole: caller.role, actorScope: caller.regionCode, action: 'assessment.care_grade.list',
      entityType: 'care_grade', details: { searched: Boolean(q), districtCode: f.districtCode ?? null, current: Boolean(f.current), count: page.length },
    });
    const keys = await this.trustedKeys();
    const statusOf = (r: store.CareGradeRow & { in_force: boolean }): CareGradeListItem['status'] =>
      r.in_force ? 'current' : r.valid_from > today ? 'future' : r.valid_until < today ? 'expired' : 'superseded';
    return {
      items: page.map((r) => ({ ...this.view(r, keys), status: statusOf(r) })),
      nextCursor: rows.length > n ? page[page.length - 1]!.id : null,
    };
  }
}

/** Register an agency's public key (deployment configuration, or the demo seed). */
export async function registerAgencyKey(ctx: AppContext, key: AgencyKey, source: 'config' | 'demo' = 'config'): Promise<void> {
  await ctx.db.tx((q) => store.upsertAgencyKey(q, {
    district_code: key.districtCode, key_id: key.keyId, agency_code: key.agencyCode, public_key: key.publicKey, source,
  }), { asAppRole: false });
}

/**
 * The demo agency key of `agencyCode`: `<dataDir>/demo-agency-keys/<code>.key` (base64 PKCS#8,
 * mode 0600), created on first use, its public half registered (source 'demo'). Never a file in
 * the repository; a production deployment registers its agencies' real public keys instead.
 */
export async function demoAgencyKey(ctx: AppContext, agency: { code: string; districtCode: string }): Promise<{ keyId: string; privateKey: string; publicKey: string }> {
  const dir = joinPath(ctx.config.dataDir, 'demo-agency-keys');
  const file = joinPath(dir, `${agency.code.replace(/[^0-9A-Za-z_-]/g, '_')}.key`);
  let pair: { privateKey: string; publicKey: string };
  if (existsSync(file)) {
    const loaded = loadSigningKey(readFileSync(file, 'utf8').trim(), ctx.config.dataDir);
    pair = { privateKey: loaded.privateKey, publicKey: loaded.publicKey };
  } else {
    pair = generateEd25519();
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(file, pair.privateKey + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const keyId = `demo-${agency.code}-${sha256(pair.publicKey).slice(0, 8)}`;
  await registerAgencyKey(ctx, { keyId, agencyCode: agency.code, districtCode: agency.districtCode, publicKey: pair.publicKey }, 'demo');
  return { keyId, ...pair };
}
