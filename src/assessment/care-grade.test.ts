// Pure rules of the Shanghai care grade record: validation, the agency's signature, and the grade
// in force on a date (boundaries of the half-open validity).
import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../core/dates.ts';
import { makeIdNumber } from '../core/idnumber.ts';
import { generateEd25519 } from '../platform/crypto.ts';
import {
  careGradeHash, careGradeName, careGradeOn, checkCareGrade, gradeFromText, recheckSignature, signCareGrade, storedCareGrade, CARE_GRADE_FORMAT,
  type AgencyKey, type CareGradeNames, type CareGradeRecord,
} from './care-grade.ts';
import { loadCareGradePolicy } from './service.ts';

const pair = generateEd25519();
const other = generateEd25519();
const KEY = { keyId: 'test-310115-A', privateKey: pair.privateKey };
const keys: AgencyKey[] = [
  { keyId: 'test-310115-A', agencyCode: '310115-A', districtCode: '310115', publicKey: pair.publicKey },
  { keyId: 'test-310115-B', agencyCode: '310115-B', districtCode: '310115', publicKey: other.publicKey },
];
const opts = { keys, today: '2026-11-29' as LocalDate, maxYears: 2 };
const PERSON = '0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b';
const base: CareGradeRecord = {
  personRef: PERSON, grade: 3, outcome: 'grade', agencyCode: '310115-A', assessedOn: '2026-10-01' as LocalDate, validUntil: '2028-09-30' as LocalDate,
};

describe('care grade record', () => {
  it('accepts a well-formed record signed by the agency key', () => {
    const r = checkCareGrade(signCareGrade(base, KEY), opts);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value).toMatchObject({ record: base, keyId: 'test-310115-A' });
  });

  it('accepts the medical-referral outcome without a grade, and grades 0 and 6', () => {
    expect(checkCareGrade(signCareGrade({ ...base, grade: null, outcome: 'medical_referral' }, KEY), opts).ok).toBe(true);
    expect(checkCareGrade(signCareGrade({ ...base, grade: 0 }, KEY), opts).ok).toBe(true);
    expect(checkCareGrade(signCareGrade({ ...base, grade: 6 }, KEY), opts).ok).toBe(true);
  });

  it('the same record has the same hash (idempotency), another record another one', () => {
    const a = checkCareGrade(signCareGrade(base, KEY), opts);
    const b = checkCareGrade(signCareGrade(base, KEY), opts);
    const c = checkCareGrade(signCareGrade({ ...base, grade: 4 }, KEY), opts);
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (a.ok && b.ok && c.ok) {
      expect(a.value.hash).toBe(b.value.hash);
      expect(a.value.hash).not.toBe(c.value.hash);
    }
  });

  it.each([
    [{ grade: 7 }, 'invalid_grade', 'grade'],
    [{ grade: -1 }, 'invalid_grade', 'grade'],
    [{ grade: 2.5 }, 'invalid_grade', 'grade'],
    [{ grade: 2, outcome: 'medical_referral' }, 'invalid_grade', 'grade'],
    [{ outcome: 'other' }, 'invalid_outcome', 'outcome'],
    [{ personRef: 'P-0001' }, 'invalid_person', 'personRef'],
    [{ agencyCode: '' }, 'invalid_agency', 'agencyCode'],
    [{ assessedOn: '2026-02-30' }, 'invalid_date', 'assessedOn'],
    [{ assessedOn: '2026-12-01', validUntil: '2027-01-01' }, 'future_date', 'assessedOn'],
    [{ validUntil: '2026-09-30' }, 'invalid_validity', 'validUntil'],
    [{ validUntil: '2028-10-01' }, 'invalid_validity', 'validUntil'],
    [{ format: 'yiyang.care-grade/9' }, 'unknown_format', 'format'],
    [{ extra: 1 }, 'malformed', 'extra'],
  ])('rejects %j with %s on %s (Chinese reason)', (change, code, field) => {
    const r = checkCareGrade({ ...signCareGrade(base, KEY), ...change }, opts);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toContainEqual(expect.objectContaining({ code, field }));
      expect(r.problems[0]!.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('the last day of a 2-year validity is accepted', () => {
    expect(checkCareGrade(signCareGrade({ ...base, validUntil: '2028-09-30' as LocalDate }, KEY), opts).ok).toBe(true);
  });

  it('rejects a tampered record, an unknown key and a key of another agency', () => {
    const tampered = { ...signCareGrade(base, KEY), grade: 5 };
    const t = checkCareGrade(tampered, opts);
    expect(t).toMatchObject({ ok: false, problems: [{ code: 'bad_signature', field: 'signature' }] });
    if (!t.ok) expect(t.problems[0]!.message).toContain('签名校验失败');
    const unknown = checkCareGrade({ ...signCareGrade(base, KEY), keyId: 'nobody' }, opts);
    expect(unknown).toMatchObject({ ok: false, problems: [{ code: 'unknown_key' }] });
    const wrong = checkCareGrade(signCareGrade({ ...base, agencyCode: '310115-B' }, KEY), opts);
    expect(wrong).toMatchObject({ ok: false, problems: [{ code: 'wrong_agency' }] });
    const otherKey = checkCareGrade({ ...signCareGrade(base, KEY), keyId: 'test-310115-B', agencyCode: '310115-A' }, { ...opts, keys: [{ ...keys[1]!, agencyCode: '310115-A' }] });
    expect(otherKey).toMatchObject({ ok: false, problems: [{ code: 'bad_signature' }] });
    expect(checkCareGrade('nope', opts)).toMatchObject({ ok: false, problems: [{ code: 'malformed' }] });
  });

  it('signs exactly the documented canonical JSON', () => {
    const s = signCareGrade(base, KEY);
    expect(s.format).toBe(CARE_GRADE_FORMAT);
    expect(Object.keys(s).sort()).toEqual(['agencyCode', 'assessedOn', 'format', 'grade', 'keyId', 'outcome', 'personRef', 'signature', 'validUntil']);
  });
});

describe('a record naming the person by resident ID number (身份证号)', () => {
  const idNumber = makeIdNumber('310115', '1945-03-08' as LocalDate, 21, 'F');
  const byId = { ...base, personRef: idNumber };

  it('is accepted when it is the 18-character form, signed as such; it has no hash until the person is known', () => {
    const r = checkCareGrade(signCareGrade(byId, KEY), opts);
    expect(r).toMatchObject({ ok: true, value: { personRefKind: 'id_number', hash: null, record: { personRef: idNumber } } });
    const plain = checkCareGrade(signCareGrade(base, KEY), opts);
    expect(plain).toMatchObject({ ok: true, value: { personRefKind: 'id' } });
  });

  it.each([
    [idNumber.slice(0, 17) + (idNumber[17] === '0' ? '1' : '0'), '身份证号码校验码不正确'],
    [idNumber.toLowerCase().replace('x', 'x') + ' ', '身份证号应为 18 位'],
    ['0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2', '老人编号格式不正确'],
    ['', '缺少老人编号或身份证号'],
  ])('rejects %j (%s)', (personRef, message) => {
    const r = checkCareGrade({ ...signCareGrade(byId, KEY), personRef }, opts);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toContainEqual(expect.objectContaining({ code: 'invalid_person', field: 'personRef', message: expect.stringContaining(message) }));
  });

  it('is stored with the number masked and re-checks as verified on import; its hash is taken with the platform person id', () => {
    const signed = signCareGrade(byId, KEY);
    const c = checkCareGrade(signed, opts);
    if (!c.ok) throw new Error('expected a valid record');
    const stored = storedCareGrade(c.value, signed) as Record<string, unknown>;
    expect(JSON.stringify(stored)).not.toContain(idNumber);
    expect(stored).toMatchObject({ personRef: `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`, personRefKind: 'id_number', grade: 3, keyId: KEY.keyId });
    expect(recheckSignature(stored, keys)).toBe('verified_on_import');
    const h = careGradeHash({ ...c.value.record, personRef: PERSON }, KEY.keyId, 'id_number');
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toBe(careGradeHash({ ...c.value.record, personRef: PERSON }, KEY.keyId, 'id'));
  });

  it('a record naming the platform id is stored as received and re-checked with the keys trusted now', () => {
    const signed = signCareGrade(base, KEY);
    const c = checkCareGrade(signed, opts);
    if (!c.ok) throw new Error('expected a valid record');
    expect(storedCareGrade(c.value, signed)).toBe(signed);
    expect(c.value.hash).toBe(careGradeHash(base, KEY.keyId, 'id'));
    const stored = signed as unknown as Record<string, unknown>;
    expect(recheckSignature(stored, keys)).toBe('verified');
    expect(recheckSignature(stored, keys.slice(1))).toBe('key_not_trusted');
    expect(recheckSignature({ ...stored, grade: 5 }, keys)).toBe('bad_signature');
    expect(recheckSignature({ ...stored, signature: 1 }, keys)).toBe('key_not_trusted');
    expect(recheckSignature({ ...stored, grade: undefined, outcome: 'medical_referral' }, keys)).toBe('bad_signature');
  });
});

describe('careGradeOn', () => {
  const g1 = { id: 'g1', validFrom: '2024-03-01', validUntil: '2026-02-28', importedAt: '2024-03-02T00:00:00Z' };
  const g2 = { id: 'g2', validFrom: '2025-06-10', validUntil: '2027-06-09', importedAt: '2025-06-11T00:00:00Z' };

  it('boundaries: the day before validFrom, validFrom, the last valid day, the day after', () => {
    expect(careGradeOn([g1], '2024-02-29')).toBeNull();
    expect(careGradeOn([g1], '2024-03-01')?.id).toBe('g1');
    expect(careGradeOn([g1], '2026-02-28')?.id).toBe('g1');
    expect(careGradeOn([g1], '2026-03-01')).toBeNull();
  });

  it('a newer grade supersedes from its first day; the older one stays in force before it', () => {
    expect(careGradeOn([g2, g1], '2025-06-09')?.id).toBe('g1');
    expect(careGradeOn([g1, g2], '2025-06-10')?.id).toBe('g2');
    expect(careGradeOn([g1, g2], '2027-06-09')?.id).toBe('g2');
    expect(careGradeOn([g1, g2], '2027-06-10')).toBeNull();
  });

  it('on the same first day the later import wins', () => {
    const a = { id: 'a', validFrom: '2025-01-01', validUntil: '2026-12-31', importedAt: '2025-01-02T00:00:00Z' };
    const b = { id: 'b', validFrom: '2025-01-01', validUntil: '2026-12-31', importedAt: '2025-01-05T00:00:00Z' };
    expect(careGradeOn([b, a], '2025-03-01')?.id).toBe('b');
    expect(careGradeOn([], '2025-03-01')).toBeNull();
  });
});

describe('grade names (policy/assessment/care-grade.json)', () => {
  const names: CareGradeNames = loadCareGradePolicy();
  it('reads codes, numbers, names and the referral outcome', () => {
    expect(gradeFromText('03', names)).toEqual({ grade: 3, outcome: 'grade' });
    expect(gradeFromText('3', names)).toEqual({ grade: 3, outcome: 'grade' });
    expect(gradeFromText('照护六级', names)).toEqual({ grade: 6, outcome: 'grade' });
    expect(gradeFromText('正常', names)).toEqual({ grade: 0, outcome: 'grade' });
    expect(gradeFromText('建议就医', names)).toEqual({ grade: null, outcome: 'medical_referral' });
    expect(gradeFromText('建议至医疗机构就诊', names)).toEqual({ grade: null, outcome: 'medical_referral' });
    expect(gradeFromText('七级', names)).toBeNull();
    expect(gradeFromText('', names)).toBeNull();
  });
  it('names a record', () => {
    expect(careGradeName({ grade: 0, outcome: 'grade' }, names)).toBe('正常');
    expect(careGradeName({ grade: 2, outcome: 'grade' }, names)).toBe('照护二级');
    expect(careGradeName({ grade: null, outcome: 'medical_referral' }, names)).toBe('建议至医疗机构就诊');
  });
  it('the policy cites the domain file and marks validity UNVERIFIED; no private key, no trusted key in the repository', () => {
    const p = loadCareGradePolicy();
    expect(p.grades.map((g) => g.code)).toEqual(['00', '01', '02', '03', '04', '05', '06']);
    expect(p.validity.note).toContain('UNVERIFIED');
    expect(p.grades.every((g) => g.reference.includes('assessment.md §2'))).toBe(true);
    expect(p.trustedKeys).toEqual([]);
  });
});
