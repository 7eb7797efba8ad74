// The assessment workflow API (/api/v1/assessments, /api/v1/instruments), as the workbench uses
// it. The server may add fields; the normalisers below read the ones the pages show and accept
// the few spellings the contract left open (assessors as ids or objects, expected dates).
import { query, request } from '../../api.ts';
import type { InstrumentData, ScoreResult } from '../../../../src/assessment/model.ts';

export type { InstrumentData, ScoreResult };

export const INSTRUMENT_ID = 'gbt42195-2022';

export type AssessmentState =
  | 'applied'
  | 'assigned'
  | 'in_progress'
  | 'submitted'
  | 'completed'
  | 'rejected'
  | 'cancelled';

export const ASSESSMENT_STATES: readonly AssessmentState[] = [
  'applied',
  'assigned',
  'in_progress',
  'submitted',
  'completed',
  'rejected',
  'cancelled',
];

export const ACTIVE_STATES: readonly AssessmentState[] = ['applied', 'assigned', 'in_progress', 'submitted'];

export type Reason = 'first' | 'routine' | 'change' | 'review' | 'other';
export type Channel = 'online' | 'centre';
export type Applicant = 'self' | 'family' | 'advisor';

export const REASONS: readonly Reason[] = ['first', 'routine', 'change', 'review', 'other'];

/** The extra facts of the end screen (GB/T 42195-2022 A.5.11, A.4.1, A.2.14). */
export interface Extras {
  coma?: boolean;
  diagnoses?: string[];
  riskEvents30d?: number;
}

/** An application as the server sends it; everything but id and state may be missing. */
export interface Application extends Extras {
  id: string;
  personId: string;
  state: AssessmentState;
  reason?: string;
  channel?: string;
  applicant?: string;
  person?: { id?: string; name?: string; idNumberMasked?: string } | null;
  personName?: string;
  personIdNumberMasked?: string;
  agency?: unknown;
  agencyId?: string | null;
  agencyName?: string | null;
  assessors?: unknown[];
  answers?: Record<string, number>;
  progress?: { answered?: number; total?: number } | null;
  result?: ScoreResult | null;
  /** The instrument version the answers are scored with (fixed by the first answers: the one in force on the visit date). */
  instrument?: { id: string; version: string } | null;
  validUntil?: string | null;
  appealBy?: string | null;
  overdue?: boolean;
  createdAt?: string;
  updatedAt?: string;
  version?: number;
  [field: string]: unknown;
}

/** PUT …/answers: whether this opId was applied now (false: seen before), and the application. */
export interface AnswersReply {
  applied?: boolean;
  assessment?: Application;
  progress?: { answered: number; total: number; missing?: string[] };
  preview?: ScoreResult | null;
}

export interface AnswersOp extends Extras {
  opId: string;
  answers: Record<string, number>;
  /** The tablet's date when the answer was given: the visit date decides the instrument version. */
  visitedOn?: string;
}

const enc = encodeURIComponent;

export const assessmentApi = {
  /** The version an application is scored with, or (none fixed yet) the version in force today. */
  instrument: (signal?: AbortSignal, ref?: { id: string; version: string } | null) =>
    request<InstrumentData>(
      ref ? `/api/v1/instruments/${enc(`${ref.id}@${ref.version}`)}` : `/api/v1/instruments/${INSTRUMENT_ID}${query({ asOf: todayLocal() })}`,
      { signal },
    ),
  list: (params: { state?: string; personId?: string; cursor?: string }, signal?: AbortSignal) =>
    request<{ items: Application[]; nextCursor?: string | null }>(`/api/v1/assessments${query(params)}`, { signal }),
  get: (id: string, signal?: AbortSignal) => request<Application>(`/api/v1/assessments/${enc(id)}`, { signal }),
  create: (body: { personId: string; reason: Reason; channel: Channel; applicant: Applicant }) =>
    request<Application>('/api/v1/assessments', { method: 'POST', json: body }),
  assign: (id: string, body: { agencyId: string; assessorIds: string[] }) =>
    request<Application>(`/api/v1/assessments/${enc(id)}/assign`, { method: 'POST', json: body }),
  answers: (id: string, op: AnswersOp) =>
    request<AnswersReply>(`/api/v1/assessments/${enc(id)}/answers`, { method: 'PUT', json: op }),
  submit: (id: string) => request<Application>(`/api/v1/assessments/${enc(id)}/submit`, { method: 'POST', json: {} }),
  countersign: (id: string) =>
    request<Application>(`/api/v1/assessments/${enc(id)}/countersign`, { method: 'POST', json: {} }),
  /** 不予受理 (officer, from applied) or 撤销 (applied, assigned, in progress); a Chinese reason is required. */
  close: (id: string, action: 'reject' | 'cancel', body: { reason: string; version?: number }) =>
    request<Application>(`/api/v1/assessments/${enc(id)}/${action}`, { method: 'POST', json: body }),
  score: (body: { answers: Record<string, number> } & Extras) =>
    request<ScoreResult>('/api/v1/assessments/score', { method: 'POST', json: body }),
  /** Designated agencies in scope, with their assessors (ids, or objects with a name). */
  agencies: (signal?: AbortSignal) => request<{ items: unknown[] }>('/api/v1/assessments/agencies', { signal }),
};

// ---- normalisers ----

export interface NamedRef {
  id: string;
  name: string;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;
}

export function namedRef(v: unknown): NamedRef | null {
  if (typeof v === 'string' && v) return { id: v, name: v };
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const id = str(o.id) ?? str(o.userId) ?? str(o.username) ?? str(o.code);
    const name = str(o.displayName) ?? str(o.name) ?? str(o.username) ?? id;
    if (id && name) return { id, name };
  }
  return null;
}

/** Assessors in order: the first assessor, then the second (countersigning) one. */
export function assessorsOf(a: Application): (NamedRef & { username?: string })[] {
  const byId = [str(a.assessor1Id), str(a.assessor2Id)];
  if (byId[0] || byId[1]) {
    const names = [str(a.assessor1Name), str(a.assessor2Name)];
    return byId.flatMap((id, i) => (id ? [{ id, name: names[i] ?? `#${id.slice(-8)}` }] : []));
  }
  return (a.assessors ?? []).flatMap((x) => {
    const r = namedRef(x);
    if (!r) return [];
    const username = x && typeof x === 'object' ? str((x as Record<string, unknown>).username) : null;
    return [username ? { ...r, username } : r];
  });
}

export function isAssessor(a: Application, user: { id: string; username: string }, index: 0 | 1): boolean {
  const r = assessorsOf(a)[index];
  return !!r && (r.id === user.id || r.id === user.username || r.username === user.username);
}

export function agencyOf(a: Application, known?: ReadonlyMap<string, string>): NamedRef | null {
  const r = namedRef(a.agency);
  if (r) return r;
  const id = str(a.agencyId);
  return id ? { id, name: str(a.agencyName) ?? known?.get(id) ?? `#${id.slice(-8)}` } : null;
}

export function personNameOf(a: Application, known?: ReadonlyMap<string, { name: string }>): string {
  return str(a.person?.name) ?? str(a.personName) ?? known?.get(a.personId)?.name ?? `#${a.personId.slice(-8)}`;
}

export function personIdMaskedOf(a: Application, known?: ReadonlyMap<string, { idNumberMasked: string }>): string | null {
  return str(a.person?.idNumberMasked) ?? str(a.personIdNumberMasked) ?? known?.get(a.personId)?.idNumberMasked ?? null;
}

function pickDate(a: Application, names: string[]): string | null {
  for (const n of names) {
    const v = str(a[n]);
    if (v) return v;
  }
  const d = a.deadlines ?? a.expected;
  if (d && typeof d === 'object') {
    for (const n of names) {
      const v = str((d as Record<string, unknown>)[n]);
      if (v) return v;
    }
  }
  return null;
}

export function expectedVisitOf(a: Application): string | null {
  return pickDate(a, ['expectedVisitBy', 'expectedVisitDate', 'visitBy', 'visitDue', 'expectedVisit', 'visit']);
}

export function expectedResultOf(a: Application): string | null {
  return pickDate(a, ['expectedResultBy', 'expectedResultDate', 'resultBy', 'resultDue', 'expectedResult', 'result']);
}

/** Overdue as the server says, or: an open application past its expected date. */
export function isOverdue(a: Application, today: string): boolean {
  if (typeof a.overdue === 'boolean') return a.overdue;
  if (!ACTIVE_STATES.includes(a.state)) return false;
  const visit = expectedVisitOf(a);
  const result = expectedResultOf(a);
  const before = (d: string | null) => !!d && d.slice(0, 10) < today;
  if (a.state === 'applied' || a.state === 'assigned') return before(visit) || before(result);
  return before(result);
}

export function todayLocal(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// ---- Shanghai care grades (照护等级): the officer's list, a person's history, the file import ----

export type CareGradeStatus = 'current' | 'superseded' | 'expired' | 'future';
export type SignatureStatus = 'verified' | 'verified_on_import' | 'key_not_trusted' | 'bad_signature';

/** A grade record as the server sends it (src/assessment/service.ts `CareGradeView`). */
export interface CareGrade {
  id: string;
  personId: string;
  districtCode: string;
  grade: number | null;
  gradeCode: string | null;
  gradeName: string;
  outcome: 'grade' | 'medical_referral';
  agencyCode: string;
  assessedOn: string;
  validFrom: string;
  validUntil: string;
  source: 'api' | 'file';
  keyId: string;
  personRefKind: 'id' | 'id_number';
  signature: { status: SignatureStatus; message: string };
  /** In the officer's list only. */
  status?: CareGradeStatus;
}

export interface CareGradeImportSummary {
  source: 'api' | 'file';
  fileName: string | null;
  total: number;
  recorded: number;
  unchanged: number;
  rejected: number;
  errors: { row: number; field: string; message: string }[];
}

/** The grade as staff read it: its name and, for a grade, its code (照护三级（03）). */
export function gradeLabel(g: Pick<CareGrade, 'gradeName' | 'gradeCode' | 'grade'>): string {
  return g.grade === null || g.gradeCode === null ? g.gradeName : `${g.gradeName}（${g.gradeCode}）`;
}

export const careGradeApi = {
  /** `q`: a person id, an ID number (looked up by the register's blind index) or a name prefix. */
  records: (params: { q?: string; districtCode?: string; current?: 'true'; cursor?: string; limit?: number }, signal?: AbortSignal) =>
    request<{ items: CareGrade[]; nextCursor: string | null }>(`/api/v1/care-grades/records${query(params)}`, { signal }),
  ofPerson: (personId: string, signal?: AbortSignal) =>
    request<{ personId: string; asOf: string; current: CareGrade | null; items: CareGrade[] }>(`/api/v1/care-grades${query({ personId })}`, { signal }),
  importFile: (file: File) =>
    request<CareGradeImportSummary>(`/api/v1/care-grades/import${query({ fileName: file.name })}`, {
      method: 'POST',
      body: file,
      contentType: 'application/octet-stream',
    }),
};
