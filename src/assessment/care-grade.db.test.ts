// Shanghai care grades end to end through app.inject(), on PGlite and (when TEST_DATABASE_URL is
// set) PostgreSQL: signed records imported by API and by file (CSV, XLSX), bad records rejected
// with a Chinese reason while the rest is kept, idempotent re-imports, history never overwritten,
// the event in the outbox and the audit rows.
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addYears, todayIn, type LocalDate } from '../core/dates.ts';
import { makeIdNumber } from '../core/idnumber.ts';
import { sql } from '../platform/db.ts';
import { signCareGrade, type CareGradeRecord, type SignedCareGrade } from './care-grade.ts';
import { demoAgencyKey } from './service.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

for (const backend of backends()) {
  describe(`care grades (${backend})`, () => {
    let p: TestPlatform;
    let officer: string;
    let advisor: string;
    let auditor: string;
    let huangpuOfficer: string;
    let key: { keyId: string; privateKey: string };
    let fresh: string[];
    let huangpuPerson: string;
    let today: LocalDate;

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Body = Record<string, any>;
    const call = async (token: string, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body }> => {
      const r = await p.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: r.statusCode, body: r.body ? (r.json() as Body) : {} };
    };
    const upload = async (token: string, fileName: string, bytes: Buffer): Promise<{ status: number; body: Body }> => {
      const r = await p.app.inject({
        method: 'POST', url: `/api/v1/care-grades/import?fileName=${encodeURIComponent(fileName)}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, payload: bytes,
      });
      return { status: r.statusCode, body: r.json() as Body };
    };
    const record = (personRef: string, grade: number | null, daysAgo: number): CareGradeRecord => {
      const assessedOn = addDays(today, -daysAgo);
      return { personRef, grade, outcome: grade === null ? 'medical_referral' : 'grade', agencyCode: '310115-A', assessedOn, validUntil: addDays(addYears(assessedOn, 2), -1) };
    };
    const sign = (r: CareGradeRecord): SignedCareGrade => signCareGrade(r, key);

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 300 });
      today = todayIn(p.ctx.clock);
      officer = await p.token('officer.pudong');
      advisor = await p.token('advisor');
      auditor = await p.token('auditor');
      huangpuOfficer = await p.token('officer.huangpu');
      // the demo agency key generated at seed time (private half in the data dir only)
      key = await demoAgencyKey(p.ctx, { code: '310115-A', districtCode: '310115' });
      const admin = await p.token('admin');
      const graded = new Set((await p.ctx.db.rows<{ person_id: string }>(sql`SELECT DISTINCT person_id FROM assessment.care_grade`)).map((r) => r.person_id));
      const pudong = (await call(admin, 'GET', '/api/v1/people?districtCode=310115&limit=200')).body.items as { id: string; deceased: boolean }[];
      fresh = pudong.filter((x) => !graded.has(x.id) && !x.deceased).map((x) => x.id);
      huangpuPerson = ((await call(admin, 'GET', '/api/v1/people?districtCode=310101&limit=1')).body.items as { id: string }[])[0]!.id;
      expect(fresh.length).toBeGreaterThanOrEqual(8);
    });
    afterAll(async () => {
      await p?.close();
    });

    it('the demo has signed grades with history, readable by staff', async () => {
      const rows = await p.ctx.db.rows<{ person_id: string; n: number }>(sql`SELECT person_id, count(*)::int AS n FROM assessment.care_grade GROUP BY person_id ORDER BY n DESC, person_id LIMIT 1`);
      expect(rows[0]!.n).toBe(2);
      const r = await call(officer, 'GET', `/api/v1/care-grades?personId=${rows[0]!.person_id}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.items).toHaveLength(2);
      expect(r.body.items[0].supersededBy).toBe(r.body.items[1].id);
      expect(r.body.current?.id).toBe(r.body.items[1].id);
      expect(r.body.items[1].gradeName).toMatch(/^(正常|照护[一二三四五六]级|建议至医疗机构就诊)$/);
    });

    it('API batch: good records kept; bad signature, unknown key, unknown and out-of-scope people rejected with Chinese reasons', async () => {
      const good = sign(record(fresh[0]!, 3, 40));
      const tampered = { ...sign(record(fresh[1]!, 2, 40)), grade: 5 };
      const unknownKey = { ...sign(record(fresh[1]!, 2, 40)), keyId: 'no-such-key' };
      const outOfScope = sign(record(huangpuPerson, 4, 40));
      const nobody = sign(record(randomUUID(), 1, 40));
      const referral = sign(record(fresh[2]!, null, 10));
      const r = await call(officer, 'POST', '/api/v1/care-grades', { records: [good, tampered, unknownKey, outOfScope, nobody, referral] });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ source: 'api', total: 6, recorded: 2, unchanged: 0, rejected: 4 });
      const byRow = new Map((r.body.errors as { row: number; field: string; message: string }[]).map((e) => [e.row, e]));
      expect(byRow.get(2)).toMatchObject({ field: 'signature', message: expect.stringContaining('签名校验失败') });
      expect(byRow.get(3)).toMatchObject({ field: 'keyId', message: expect.stringContaining('不是平台信任的') });
      expect(byRow.get(4)).toMatchObject({ field: 'personRef', message: expect.stringContaining('不在您的管辖范围') });
      expect(byRow.get(5)).toMatchObject({ field: 'personRef' });
      expect(r.body.items.map((i: Body) => [i.row, i.status])).toEqual([[1, 'recorded'], [6, 'recorded']]);

      const again = await call(officer, 'POST', '/api/v1/care-grades', { records: [good, referral] });
      expect(again.body).toMatchObject({ total: 2, recorded: 0, unchanged: 2, rejected: 0 });
      expect((await p.ctx.db.rows(sql`SELECT id FROM assessment.care_grade WHERE person_id = ${fresh[0]!}::uuid`))).toHaveLength(1);

      const list = await call(officer, 'GET', `/api/v1/care-grades?personId=${fresh[2]}`);
      expect(list.body.current).toMatchObject({ grade: null, outcome: 'medical_referral', gradeName: '建议至医疗机构就诊', source: 'api', keyId: key.keyId });
    });

    it('history is never overwritten: a newer grade supersedes from its first day', async () => {
      const person = fresh[3]!;
      const old = sign(record(person, 2, 300));
      const newer = sign(record(person, 4, 20));
      // imported newer first: the older one is linked to it all the same
      expect((await call(officer, 'POST', '/api/v1/care-grades', { records: [newer] })).body.recorded).toBe(1);
      expect((await call(officer, 'POST', '/api/v1/care-grades', { records: [old] })).body.recorded).toBe(1);
      const r = await call(officer, 'GET', `/api/v1/care-grades?personId=${person}`);
      const [a, b] = r.body.items as Body[];
      expect([a!.grade, b!.grade]).toEqual([2, 4]);
      expect(a!.supersededBy).toBe(b!.id);
      expect(b!.supersededBy).toBeNull();
      expect(a!.validTo).toBe(addDays(a!.validUntil as LocalDate, 1));
      expect(r.body.current.grade).toBe(4);
      const before = await call(officer, 'GET', `/api/v1/care-grades?personId=${person}&asOf=${addDays(today, -21)}`);
      expect(before.body.current.grade).toBe(2);
      const first = await call(officer, 'GET', `/api/v1/care-grades?personId=${person}&asOf=${addDays(today, -20)}`);
      expect(first.body.current.grade).toBe(4);
      expect((await call(officer, 'GET', `/api/v1/care-grades?personId=${person}&asOf=${addDays(today, -301)}`)).body.current).toBeNull();
    });

    it('each recorded grade has its outbox event and audit rows; reads are audited', async () => {
      const person = fresh[0]!;
      const [row] = await p.ctx.db.rows<{ id: string }>(sql`SELECT id FROM assessment.care_grade WHERE person_id = ${person}::uuid`);
      const events = await p.ctx.db.rows<{ payload: Body }>(sql`SELECT payload FROM platform.outbox WHERE topic = 'assessment.care_grade_recorded' AND payload->>'personId' = ${person}`);
      expect(events).toHaveLength(1);
      expect(events[0]!.payload).toMatchObject({ careGradeId: row!.id, grade: 3, outcome: 'grade', agencyCode: '310115-A', districtCode: '310115', source: 'api' });
      const audit = await p.ctx.db.rows<{ action: string; actor_role: string }>(sql`SELECT action, actor_role FROM platform.audit_log WHERE entity_id = ${row!.id}`);
      expect(audit).toEqual([{ action: 'assessment.care_grade.import', actor_role: 'officer' }]);
      const batches = await p.ctx.db.rows<{ details: Body }>(sql`SELECT details FROM platform.audit_log WHERE action = 'assessment.care_grade.import_batch' ORDER BY seq`);
      expect(batches.some((b) => b.details.rejectedRows === 4 && b.details.recorded === 2)).toBe(true);
      await call(auditor, 'GET', `/api/v1/care-grades?personId=${person}`);
      const reads = await p.ctx.db.rows<{ actor_role: string }>(sql`SELECT actor_role FROM platform.audit_log WHERE action = 'assessment.care_grade.read' AND entity_id = ${person}`);
      expect(reads.map((x) => x.actor_role)).toContain('auditor');
    });

    it('file import (CSV): row errors with row, column and reason; good rows kept; idempotent', async () => {
      const g = sign(record(fresh[4]!, 2, 50));
      const bad = { ...sign(record(fresh[5]!, 1, 50)), validUntil: addDays(addYears(addDays(today, -50), 2), -2) };
      const line = (s: SignedCareGrade, gradeCell: string) => [s.personRef, gradeCell, s.agencyCode, s.assessedOn.replace(/-/g, '/'), s.validUntil, s.keyId, s.signature].join(',');
      const csv = '\uFEFF老人编号,照护等级,评估机构代码,评估日期,有效期至,密钥编号,签名\r\n'
        + line(g, '照护二级') + '\r\n'
        + line(sign(record(fresh[5]!, 1, 50)), '七级') + '\r\n'
        + line(bad, '01') + '\r\n';
      const r = await upload(officer, '照护等级.csv', Buffer.from(csv, 'utf8'));
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ source: 'file', fileName: '照护等级.csv', total: 3, recorded: 1, rejected: 2 });
      expect(r.body.errors).toEqual([
        { row: 3, field: '照护等级', message: expect.stringContaining('无法识别') },
        { row: 4, field: '签名', message: expect.stringContaining('签名校验失败') },
      ]);
      const again = await upload(officer, '照护等级.csv', Buffer.from(csv, 'utf8'));
      expect(again.body).toMatchObject({ recorded: 0, unchanged: 1, rejected: 2 });
      const list = await call(officer, 'GET', `/api/v1/care-grades?personId=${fresh[4]}`);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.items[0]).toMatchObject({ grade: 2, gradeCode: '02', gradeName: '照护二级', source: 'file' });
    });

    it('file import (XLSX) and a file without the required columns', async () => {
      const s = sign(record(fresh[5]!, 6, 5));
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('照护等级');
      ws.addRow(['老人编号', '照护等级', '评估结论', '评估机构代码', '评估日期', '有效期至', '密钥编号', '签名']);
      ws.addRow([s.personRef, '06', '', s.agencyCode, s.assessedOn, s.validUntil, s.keyId, s.signature]);
      const r = await upload(officer, 'grades.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ total: 1, recorded: 1, rejected: 0 });
      const missing = await upload(officer, 'm.csv', Buffer.from('老人编号,照护等级\r\n'));
      expect(missing.status).toBe(400);
      expect(missing.body.error).toMatchObject({ code: 'IMPORT_FILE_INVALID', message: expect.stringContaining('缺少必需的列') });
    });

    it('by ID number (身份证号), in a file or the API: resolved through the register\'s blind index, stored masked, idempotent; unknown, invalid and out-of-scope numbers are row errors', async () => {
      const admin = await p.token('admin');
      const reveal = async (id: string) => (await call(admin, 'POST', `/api/v1/people/${id}/reveal`, { purpose: '照护等级导入测试' })).body.idNumber as string;
      const [id6, id7, hp] = [await reveal(fresh[6]!), await reveal(fresh[7]!), await reveal(huangpuPerson)];
      const unregistered = makeIdNumber('310115', '1940-01-01' as LocalDate, 499, 'M');
      const badChecksum = id6.slice(0, 17) + (id6[17] === '1' ? '2' : '1');
      const line = (s: SignedCareGrade, idCell = s.personRef) => [idCell, s.grade ?? '建议就医', s.agencyCode, s.assessedOn, s.validUntil, s.keyId, s.signature].join(',');
      const good = sign(record(id6, 3, 15));
      const csv = '身份证号,照护等级,评估机构代码,评估日期,有效期至,密钥编号,签名\r\n'
        + line(good, id6.toLowerCase()) + '\r\n' // a lower-case x is normalised to the signed form
        + line(sign(record(badChecksum, 3, 15))) + '\r\n'
        + line(sign(record(hp, 2, 15))) + '\r\n'
        + line(sign(record(unregistered, 2, 15))) + '\r\n';
      const r = await upload(officer, '身份证号.csv', Buffer.from(csv, 'utf8'));
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ total: 4, recorded: 1, rejected: 3 });
      expect(r.body.errors).toEqual([
        { row: 3, field: '身份证号', message: '身份证号码校验码不正确，请逐位核对' },
        { row: 4, field: '身份证号', message: '未找到该身份证号的老人，或该老人不在您的管辖范围内' },
        { row: 5, field: '身份证号', message: '未找到该身份证号的老人，或该老人不在您的管辖范围内' },
      ]);
      expect((await upload(officer, '身份证号.csv', Buffer.from(csv, 'utf8'))).body).toMatchObject({ recorded: 0, unchanged: 1 });
      const api = await call(officer, 'POST', '/api/v1/care-grades', { records: [sign(record(id7, null, 4))] });
      expect(api.body).toMatchObject({ recorded: 1, rejected: 0 });

      const list = await call(officer, 'GET', `/api/v1/care-grades?personId=${fresh[6]}`);
      expect(list.body.items).toHaveLength(1);
      expect(list.body.current).toMatchObject({
        grade: 3, personRefKind: 'id_number', signature: { status: 'verified_on_import' },
        record: { personRef: `${id6.slice(0, 6)}********${id6.slice(14)}`, personRefKind: 'id_number' },
      });
      // no plain ID number anywhere the grade left a trace
      for (const n of [id6, id7]) {
        const like = `%${n}%`;
        const hits = await p.ctx.db.one<{ n: number }>(sql`SELECT
          (SELECT count(*) FROM assessment.care_grade WHERE record::text LIKE ${like} OR record_hash LIKE ${like})
          + (SELECT count(*) FROM platform.outbox WHERE payload::text LIKE ${like})
          + (SELECT count(*) FROM platform.audit_log WHERE details::text LIKE ${like}) AS n`);
        expect(Number(hits!.n), 'ID number stored in plain').toBe(0);
      }
    });

    it('the officer\'s list: by ID number, person id or name, by district, in force today; signatures re-checked; scope; paging; audited without the search text', async () => {
      const admin = await p.token('admin');
      const id6 = (await call(admin, 'POST', `/api/v1/people/${fresh[6]}/reveal`, { purpose: '照护等级列表测试' })).body.idNumber as string;
      type Item = { id: string; personId: string; districtCode: string; grade: number | null; status: string; signature: { status: string } };
      const list = async (query: string, token = officer) => {
        const r = await call(token, 'GET', `/api/v1/care-grades/records?${query}`);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        return r.body as { items: Item[]; nextCursor: string | null };
      };
      const byId = await list(`q=${id6}`);
      expect(byId.items.map((i) => [i.personId, i.grade, i.status, i.signature.status])).toEqual([[fresh[6], 3, 'current', 'verified_on_import']]);
      const history = await list(`q=${fresh[3]}`);
      expect(history.items.map((i) => [i.grade, i.status]).sort()).toEqual([[2, 'superseded'], [4, 'current']]);
      expect(history.items.every((i) => i.signature.status === 'verified')).toBe(true);
      expect((await list(`q=${fresh[3]}&current=true`)).items.map((i) => i.grade)).toEqual([4]);
      const name = (await call(officer, 'GET', `/api/v1/people/${fresh[4]}`)).body.name as string;
      expect((await list(`q=${encodeURIComponent(name)}`)).items.map((i) => i.personId)).toContain(fresh[4]);
      expect((await list('q=nobody-by-that-name')).items).toEqual([]);
      const district = await list('districtCode=310115&limit=200');
      expect(district.items.length).toBeGreaterThan(10);
      expect(district.items.every((i) => i.districtCode === '310115')).toBe(true);
      expect((await list('districtCode=310101')).items).toEqual([]);
      expect((await list('districtCode=310115', huangpuOfficer)).items).toEqual([]);
      const first = await list('limit=2');
      expect(first.items).toHaveLength(2);
      const second = await list(`limit=2&cursor=${first.nextCursor}`);
      expect(second.items[0]!.id < first.items[1]!.id).toBe(true);
      expect((await list('limit=5', advisor)).items.length).toBeGreaterThan(0);
      expect((await call(await p.token('assessor'), 'GET', '/api/v1/care-grades/records')).status).toBe(403);
      const audits = await p.ctx.db.rows<{ details: Body }>(sql`SELECT details FROM platform.audit_log WHERE action = 'assessment.care_grade.list'`);
      expect(audits.length).toBeGreaterThan(5);
      expect(JSON.stringify(audits)).not.toContain(id6);
      expect(JSON.stringify(audits)).not.toContain(name);
    });

    it('permissions and scope: advisors cannot import; another district cannot read', async () => {
      expect((await call(advisor, 'POST', '/api/v1/care-grades', { records: [sign(record(fresh[0]!, 1, 3))] })).status).toBe(403);
      expect((await call(huangpuOfficer, 'GET', `/api/v1/care-grades?personId=${fresh[0]}`)).status).toBe(404);
      // an officer of another district importing a Pudong person's grade: rejected, nothing stored
      const r = await call(huangpuOfficer, 'POST', '/api/v1/care-grades', { records: [sign(record(fresh[0]!, 5, 2))] });
      expect(r.body).toMatchObject({ recorded: 0, rejected: 1 });
      expect((await call(advisor, 'GET', `/api/v1/care-grades?personId=${fresh[0]}`)).status).toBe(200);
    });
  });
}
