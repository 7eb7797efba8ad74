// Shanghai care grade 0–6 (照护等级): pure rules for a grade record signed by a designated
// assessment agency (issue 4 item 1; shared/domain/assessment.md §2, §2.1). The platform never
// computes this grade: it checks the agency's record and signature and keeps the history.
//
// Signed record format `yiyang.care-grade/1`: the agency signs, with Ed25519, the UTF-8 bytes of
//   canonicalJson({ format, personRef, grade, outcome, agencyCode, assessedOn, validUntil })
// and sends those members plus `keyId` and `signature` (base64url). `personRef` is the platform
// person id (the id on the assessment referral the agency received) or the person's 18-character
// resident ID number (身份证号, as the agency knows the person). A record that names the person by
// ID number is verified as received, then stored with the number masked: the register holds a
// plain ID number only in its encrypted column (README "Shanghai care grade").
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical.ts';
import { addDays, addYears, tryParseLocalDate, type LocalDate } from '../core/dates.ts';
import { parseIdNumber } from '../core/idnumber.ts';
import { isUuid } from '../core/ids.ts';
import { maskIdNumber } from '../core/mask.ts';
import { ed25519Sign, ed25519Verify } from '../platform/crypto.ts';

export const CARE_GRADE_FORMAT = 'yiyang.care-grade/1';
export const CARE_GRADE_OUTCOMES = ['grade', 'medical_referral'] as const;
export type CareGradeOutcome = (typeof CARE_GRADE_OUTCOMES)[number];
export const MIN_CARE_GRADE = 0;
export const MAX_CARE_GRADE = 6;

/** How a record names the person: the platform person id, or the resident ID number. */
export type PersonRefKind = 'id' | 'id_number';

/** The members the agency signs (besides `format`). */
export interface CareGradeRecord {
  /** Platform person id (UUID, lower case) or 18-character resident ID number (upper-case X). */
  personRef: string;
  /** 0 (正常) … 6 (照护六级); null with outcome `medical_referral` (建议至医疗机构就诊). */
  grade: number | null;
  outcome: CareGradeOutcome;
  agencyCode: string;
  assessedOn: LocalDate;
  /** Last valid day (inclusive), as decided by the agency. */
  validUntil: LocalDate;
}

/** A record as sent by an agency: the signed members, the key id and the signature. */
export interface SignedCareGrade extends CareGradeRecord {
  format: typeof CARE_GRADE_FORMAT;
  keyId: string;
  /** base64url Ed25519 signature of `careGradeMessage(record)`. */
  signature: string;
}

/** A public key the platform trusts for one agency's records. */
export interface AgencyKey {
  keyId: string;
  agencyCode: string;
  districtCode: string;
  /** base64 DER SPKI. */
  publicKey: string;
}

export type CareGradeProblemCode =
  | 'malformed' | 'unknown_format' | 'invalid_person' | 'invalid_grade' | 'invalid_outcome' | 'invalid_agency'
  | 'invalid_date' | 'future_date' | 'invalid_validity' | 'unknown_key' | 'wrong_agency' | 'bad_signature';

export interface CareGradeProblem {
  code: CareGradeProblemCode;
  /** The member of the record (`grade`, `signature`, …). */
  field: string;
  /** Chinese reason. */
  message: string;
}

export interface CheckedCareGrade {
  record: CareGradeRecord;
  personRefKind: PersonRefKind;
  keyId: string;
  signature: string;
  /**
   * SHA-256 (hex) of the signed message and the key id: the same record twice has the same hash.
   * Null for a record naming the person by ID number: an unkeyed hash of a message holding an ID
   * number could be reversed by trying numbers, so its hash is taken once the person is known
   * (`careGradeHash` with the platform person id).
   */
  hash: string | null;
  key: AgencyKey;
}

export interface CheckOptions {
  keys: readonly AgencyKey[];
  /** Today in the business time zone: an assessment cannot be dated later. */
  today: LocalDate;
  /** Longest plausible validity in years (validUntil at most the day before that anniversary). */
  maxYears: number;
}

/** The exact bytes an agency signs. */
export function careGradeMessage(r: CareGradeRecord): Buffer {
  return Buffer.from(canonicalJson({
    format: CARE_GRADE_FORMAT, personRef: r.personRef, grade: r.grade, outcome: r.outcome,
    agencyCode: r.agencyCode, assessedOn: r.assessedOn, validUntil: r.validUntil,
  }), 'utf8');
}

/** Sign a record with an agency's private key (base64 PKCS#8 DER). Used by tests, the demo and agencies' tools. */
export function signCareGrade(r: CareGradeRecord, key: { keyId: string; privateKey: string }): SignedCareGrade {
  const record: CareGradeRecord = {
    personRef: r.personRef, grade: r.grade, outcome: r.outcome, agencyCode: r.agencyCode, assessedOn: r.assessedOn, validUntil: r.validUntil,
  };
  return { format: CARE_GRADE_FORMAT, ...record, keyId: key.keyId, signature: ed25519Sign(key.privateKey, careGradeMessage(record)) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const SIGNED_MEMBERS = new Set(['format', 'personRef', 'grade', 'outcome', 'agencyCode', 'assessedOn', 'validUntil', 'keyId', 'signature']);

/**
 * Check a received record: shape, values, the key (known, and of the agency named) and the
 * signature. Every problem is listed (Chinese), in the order of the members; the signature is
 * checked only when the rest is well-formed.
 */
export function checkCareGrade(input: unknown, opts: CheckOptions): { ok: true; value: CheckedCareGrade } | { ok: false; problems: CareGradeProblem[] } {
  if (!isObject(input)) return { ok: false, problems: [{ code: 'malformed', field: '', message: '照护等级记录不是 JSON 对象' }] };
  const problems: CareGradeProblem[] = [];
  const add = (code: CareGradeProblemCode, field: string, message: string) => problems.push({ code, field, message });
  for (const k of Object.keys(input)) if (!SIGNED_MEMBERS.has(k)) add('malformed', k, `未知字段 ${k}`);
  if (input.format !== CARE_GRADE_FORMAT) add('unknown_format', 'format', `格式应为 ${CARE_GRADE_FORMAT}`);
  const personRef = input.personRef;
  let personRefKind: PersonRefKind = 'id';
  if (typeof personRef !== 'string' || personRef === '') add('invalid_person', 'personRef', '缺少老人编号或身份证号');
  else if (!isUuid(personRef)) {
    const parsed = parseIdNumber(personRef, { today: opts.today });
    if (!parsed.ok) add('invalid_person', 'personRef', /^[0-9a-f-]{30,}$/i.test(personRef) ? '老人编号格式不正确（应为平台的老人编号 UUID）' : parsed.error.message);
    else if (parsed.value.number18 !== personRef) add('invalid_person', 'personRef', '身份证号应为 18 位（末位 X 大写），与签名时一致');
    else personRefKind = 'id_number';
  }
  const outcome = input.outcome;
  const grade = input.grade;
  if (outcome !== 'grade' && outcome !== 'medical_referral') add('invalid_outcome', 'outcome', '评估结论应为 grade（照护等级）或 medical_referral（建议至医疗机构就诊）');
  else if (outcome === 'grade') {
    if (typeof grade !== 'number' || !Number.isInteger(grade) || grade < MIN_CARE_GRADE || grade > MAX_CARE_GRADE) {
      add('invalid_grade', 'grade', `照护等级应为 ${MIN_CARE_GRADE}–${MAX_CARE_GRADE} 的整数`);
    }
  } else if (grade !== null) add('invalid_grade', 'grade', '建议至医疗机构就诊的记录不应有照护等级');
  const agencyCode = input.agencyCode;
  if (typeof agencyCode !== 'string' || agencyCode.trim() === '' || agencyCode.length > 64) add('invalid_agency', 'agencyCode', '评估机构代码不能为空');
  const date = (field: 'assessedOn' | 'validUntil', label: string): LocalDate | null => {
    const v = input[field];
    const d = typeof v === 'string' ? tryParseLocalDate(v) : null;
    if (!d || d !== v) {
      add('invalid_date', field, `${label}应为有效日期 YYYY-MM-DD`);
      return null;
    }
    return d;
  };
  const assessedOn = date('assessedOn', '评估日期');
  const validUntil = date('validUntil', '有效期截止日');
  if (assessedOn && assessedOn > opts.today) add('future_date', 'assessedOn', `评估日期 ${assessedOn} 晚于今天`);
  if (assessedOn && validUntil) {
    if (validUntil < assessedOn) add('invalid_validity', 'validUntil', `有效期截止日 ${validUntil} 早于评估日期 ${assessedOn}`);
    else {
      const longest = addDays(addYears(assessedOn, opts.maxYears), -1);
      if (validUntil > longest) add('invalid_validity', 'validUntil', `有效期截止日 ${validUntil} 超过评估日期起 ${opts.maxYears} 年（最晚 ${longest}）`);
    }
  }
  const keyId = input.keyId;
  const signature = input.signature;
  if (typeof keyId !== 'string' || keyId === '') add('unknown_key', 'keyId', '缺少签名密钥编号');
  if (typeof signature !== 'string' || !/^[A-Za-z0-9_-]{20,200}$/.test(signature)) add('bad_signature', 'signature', '缺少签名或签名格式不正确（base64url）');
  if (problems.length > 0) return { ok: false, problems };

  const record: CareGradeRecord = {
    personRef: personRefKind === 'id' ? (personRef as string).toLowerCase() : (personRef as string), grade: outcome === 'grade' ? (grade as number) : null, outcome: outcome as CareGradeOutcome,
    agencyCode: agencyCode as string, assessedOn: assessedOn!, validUntil: validUntil!,
  };
  const key = opts.keys.find((k) => k.keyId === keyId);
  if (!key) return { ok: false, problems: [{ code: 'unknown_key', field: 'keyId', message: `签名密钥 ${String(keyId)} 不是平台信任的评估机构密钥` }] };
  if (key.agencyCode !== record.agencyCode) {
    return { ok: false, problems: [{ code: 'wrong_agency', field: 'agencyCode', message: `密钥 ${key.keyId} 属于评估机构 ${key.agencyCode}，不能为 ${record.agencyCode} 签名` }] };
  }
  // Verify over what was received (personRef as sent), so a case change is a changed record.
  const message = careGradeMessage({ ...record, personRef: personRef as string });
  if (!ed25519Verify(key.publicKey, message, signature as string)) {
    return { ok: false, problems: [{ code: 'bad_signature', field: 'signature', message: '签名校验失败：记录内容被改动，或不是该机构的密钥所签' }] };
  }
  const hash = personRefKind === 'id' ? careGradeHash({ ...record, personRef: personRef as string }, keyId as string, 'id') : null;
  return { ok: true, value: { record, personRefKind, keyId: keyId as string, signature: signature as string, hash, key } };
}

/**
 * The idempotency hash of a record: SHA-256 (hex) of its signed message and the key id. For a
 * record that named the person by ID number, `record.personRef` must be the platform person id it
 * resolved to (and the kind is part of the hash), so no stored hash depends on an ID number.
 */
export function careGradeHash(record: CareGradeRecord, keyId: string, kind: PersonRefKind): string {
  const h = createHash('sha256').update(careGradeMessage(record)).update('\n').update(keyId);
  if (kind === 'id_number') h.update('\nid_number');
  return h.digest('hex');
}

/**
 * The record as stored: as received for a platform person id; for an ID number, its members with the number
 * masked (`310115********123X`) and `personRefKind: "id_number"` added — so its signature was
 * verified on import and cannot be re-checked from the stored copy.
 */
export function storedCareGrade(c: CheckedCareGrade, received: unknown): unknown {
  if (c.personRefKind === 'id') return received;
  return { format: CARE_GRADE_FORMAT, ...c.record, personRef: maskIdNumber(c.record.personRef, 'staff'), personRefKind: 'id_number', keyId: c.keyId, signature: c.signature };
}

export type SignatureStatus = 'verified' | 'verified_on_import' | 'key_not_trusted' | 'bad_signature';

/**
 * Re-check a stored record's signature with the keys trusted now: `verified`; `key_not_trusted`
 * (its key is no longer trusted for its agency); `bad_signature` (the stored copy was changed);
 * `verified_on_import` for a record that named the person by ID number (stored masked).
 */
export function recheckSignature(stored: Record<string, unknown>, keys: readonly AgencyKey[]): SignatureStatus {
  if (stored.personRefKind === 'id_number') return 'verified_on_import';
  const key = keys.find((k) => k.keyId === stored.keyId && k.agencyCode === stored.agencyCode);
  if (!key || typeof stored.signature !== 'string') return 'key_not_trusted';
  const message = careGradeMessage({
    personRef: String(stored.personRef), grade: (stored.grade ?? null) as number | null, outcome: stored.outcome as CareGradeOutcome,
    agencyCode: String(stored.agencyCode), assessedOn: String(stored.assessedOn) as LocalDate, validUntil: String(stored.validUntil) as LocalDate,
  });
  return ed25519Verify(key.publicKey, message, stored.signature) ? 'verified' : 'bad_signature';
}

/** One grade of a person's history, as `careGradeOn` needs it. */
export interface CareGradeSpan {
  validFrom: LocalDate | string;
  /** Last valid day (inclusive); the span is [validFrom, validUntil + 1 day). */
  validUntil: LocalDate | string;
  /** Tie-break between grades starting the same day: the later import wins. */
  importedAt?: Date | string;
}

/**
 * The grade in force on `asOf`: among grades with validFrom ≤ asOf ≤ validUntil, the one that
 * started last (a newer grade supersedes an older one from its first day; on the same first day
 * the later import). Null when none is in force. A medical-referral outcome is returned like a
 * grade: the caller sees `outcome` and that `grade` is null.
 */
export function careGradeOn<T extends CareGradeSpan>(grades: readonly T[], asOf: LocalDate | string): T | null {
  let best: T | null = null;
  for (const g of grades) {
    if (g.validFrom > asOf || g.validUntil < asOf) continue;
    if (!best || g.validFrom > best.validFrom || (g.validFrom === best.validFrom && stamp(g.importedAt) > stamp(best.importedAt))) best = g;
  }
  return best;
}

const stamp = (d: Date | string | undefined): number => (d === undefined ? 0 : new Date(d).getTime());

/** Grade names and codes (policy/assessment/care-grade.json), for reading a file's cells. */
export interface CareGradeNames {
  grades: readonly { grade: number; code: string; name: string }[];
  outcomes: { medical_referral: { name: string; shortName: string } };
}

/**
 * A file's grade cell → grade and outcome: `3`, `03`, `照护三级`, `正常`, or the referral outcome
 * (`建议就医`, `建议至医疗机构就诊`, `medical_referral`). Null when not understood.
 */
export function gradeFromText(text: string, names: CareGradeNames): { grade: number | null; outcome: CareGradeOutcome } | null {
  const t = text.trim();
  if (t === '') return null;
  const ref = names.outcomes.medical_referral;
  if (t === ref.name || t === ref.shortName || t === 'medical_referral') return { grade: null, outcome: 'medical_referral' };
  for (const g of names.grades) {
    if (t === g.code || t === g.name || t === String(g.grade)) return { grade: g.grade, outcome: 'grade' };
  }
  return null;
}

/** The display name of a grade record: `照护三级`, `正常`, or the referral outcome's name. */
export function careGradeName(g: { grade: number | null; outcome: CareGradeOutcome }, names: CareGradeNames): string {
  if (g.outcome === 'medical_referral' || g.grade === null) return names.outcomes.medical_referral.name;
  return names.grades.find((x) => x.grade === g.grade)?.name ?? String(g.grade);
}
