// The monthly payment run over HTTP, on PGlite and (when TEST_DATABASE_URL is set) PostgreSQL:
// arrears for grants found late, idempotent recomputation of a draft, approval by a second
// officer, the bank's CSV and XLSX with full ID numbers (audited), reconciliation of returns
// (repaid by the next run), and a late-reported death recovered (追回).
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIn } from '../core/dates.ts';
import { sql } from '../platform/db.ts';
import { startEntitlementSweeps } from '../app.ts';
import { addMonth, monthOf, type Month } from './payments.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

for (const backend of backends()) {
  describe(`payment run (${backend})`, () => {
    let p: TestPlatform;
    let pudong: string;
    let city: string;
    let people: { id: string; fen: number }[];
    let thisMonth: Month;
    let lastMonth: Month;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    type Body = Record<string, any>;
    const call = async (token: string, method: string, url: string, payload?: unknown): Promise<{ status: number; body: Body; raw: Buffer; headers: Record<string, unknown> }> => {
      const r = await p.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as object } : {}) });
      const json = (r.headers['content-type'] ?? '').toString().startsWith('application/json');
      return { status: r.statusCode, body: json && r.body ? (r.json() as Body) : {}, raw: r.rawPayload, headers: r.headers };
    };

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 200 });
      await startEntitlementSweeps(p.ctx, { everyMs: 3_600_000 }).done;
      pudong = await p.token('officer.pudong');
      city = await p.token('officer');
      const today = todayIn(p.ctx.clock);
      thisMonth = monthOf(today);
      lastMonth = addMonth(thisMonth, -1);
      // Three people who qualify (aged 70–79 today and three months ago), granted at the counter three months ago.
      const rows = await p.ctx.db.rows<{ person_id: string; allowance_fen: number }>(sql`SELECT person_id, allowance_fen FROM entitlements.person_entitlement
        WHERE region_code LIKE '310115%' AND allowance_band = '70-79' AND (decisions->>'age')::int BETWEEN 71 AND 78 ORDER BY person_id LIMIT 3`);
      people = rows.map((r) => ({ id: r.person_id, fen: r.allowance_fen }));
      expect(people).toHaveLength(3);
      const back = `${addMonth(thisMonth, -3)}-01`;
      for (const x of people) {
        const r = await call(pudong, 'POST', `/api/v1/people/${x.id}/grants`, { scheme: 'allowance', status: 'granted', date: back });
        expect(r.status).toBe(201);
      }
    });
    afterAll(async () => {
      await p?.close();
    });

    let batchId: string;
    it('last month: arrears for the two months before, this run pays last month; a draft recomputes to the same batch', async () => {
      const r = await call(pudong, 'POST', '/api/v1/entitlements/payments', { scheme: 'allowance', districtCode: '310115', month: lastMonth });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const total = people.reduce((s, x) => s + x.fen, 0);
      expect(r.body).toMatchObject({ status: 'draft', statusName: '待审批', people: 3, lines: 9, regularFen: total, arrearsFen: 2 * total, recoveryFen: 0, netFen: 3 * total });
      batchId = r.body.id;
      const again = await call(pudong, 'POST', '/api/v1/entitlements/payments', { scheme: 'allowance', districtCode: '310115', month: lastMonth });
      expect(again.body).toMatchObject({ id: batchId, lines: 9, netFen: 3 * total });
      const detail = await call(pudong, 'GET', `/api/v1/entitlements/payments/${batchId}`);
      expect(detail.body.items.map((l: Body) => l.kindName).sort()).toEqual([...Array(6).fill('补发'), ...Array(3).fill('当月发放')].sort());
      expect(detail.body.items.every((l: Body) => l.name.length > 0)).toBe(true);
      // A future month cannot be computed; another district is refused.
      expect((await call(pudong, 'POST', '/api/v1/entitlements/payments', { scheme: 'allowance', districtCode: '310115', month: addMonth(thisMonth, 1) })).status).toBe(400);
      expect((await call(pudong, 'POST', '/api/v1/entitlements/payments', { scheme: 'allowance', districtCode: '310101', month: lastMonth })).status).toBe(404);
    });

    it('approval needs a second officer; an approved batch is not recomputed; the bank file carries full ID numbers (audited)', async () => {
      const self = await call(pudong, 'POST', `/api/v1/entitlements/payments/${batchId}/approve`);
      expect(self.status).toBe(409);
      expect(self.body.error.message).toBe('审批人不能是计算该批次的人（双人复核）');
      const ok = await call(city, 'POST', `/api/v1/entitlements/payments/${batchId}/approve`);
      expect(ok.body).toMatchObject({ status: 'approved', statusName: '已审批' });
      const listed = (await call(pudong, 'GET', '/api/v1/entitlements/payments')).body.items.find((b: Body) => b.id === batchId);
      expect(listed).toMatchObject({ createdByName: expect.stringMatching(/浦东/), approvedByName: expect.any(String) });
      expect(listed.createdByName).not.toBe(listed.approvedByName);
      expect((await call(pudong, 'POST', '/api/v1/entitlements/payments', { scheme: 'allowance', districtCode: '310115', month: lastMonth })).status).toBe(409);

      const csv = await call(pudong, 'POST', `/api/v1/entitlements/payments/${batchId}/export?format=csv`);
      expect(csv.status).toBe(200);
      const text = csv.raw.toString('utf8');
      expect(text.startsWith('\uFEFF序号,姓名,身份证号,金额（元）,发放月份,类型,备注\r\n')).toBe(true);
      const rows = text.trim().split('\r\n').slice(1).map((l) => l.split(','));
      expect(rows).toHaveLength(9);
      expect(rows.every((c) => /^\d{17}[\dX]$/.test(c[2]!))).toBe(true);
      expect(rows.reduce((s, c) => s + Math.round(Number(c[3]) * 100), 0)).toBe(3 * people.reduce((s, x) => s + x.fen, 0));
      const audit = await p.ctx.db.one<{ purpose: string }>(sql`SELECT purpose FROM platform.audit_log WHERE action = 'entitlements.payment.exported' AND entity_id = ${batchId}`);
      expect(audit?.purpose).toBe('银行代发');
      expect((await call(pudong, 'GET', `/api/v1/entitlements/payments/${batchId}`)).body.status).toBe('exported');

      const xlsx = await call(pudong, 'POST', `/api/v1/entitlements/payments/${batchId}/export?format=xlsx`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.raw as unknown as ArrayBuffer);
      const ws = wb.worksheets[0]!;
      expect(ws.rowCount).toBe(10);
      expect(String(ws.getRow(2).getCell(3).value)).toMatch(/^\d{17}[\dX]$/);
    });

    it('reconciliation: a returned payment is paid again by the next run; months paid are not paid twice', async () => {
      const detail = (await call(pudong, 'GET', `/api/v1/entitlements/payments/${batchId}`)).body;
      const returned = detail.items.find((l: Body) => l.personId === people[0]!.id && l.kind === 'regular');
      const r = await call(pudong, 'POST', `/api/v1/entitlements/payments/${batchId}/reconcile`, { returned: [{ seq: returned.seq, reason: '账户已销户' }] });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({ status: 'reconciled', paid: 8, returned: 1 });
      const back = (await call(pudong, 'GET', `/api/v1/entitlements/payments/${batchId}`)).body.items.find((l: Body) => l.seq === returned.seq);
      expect(back).toMatchObject({ status: 'returned', statusName: '银行退回', returnReason: '账户已销户' });
      const next = await call(pudong, 'POST', '/api/v1/entitlements/payments', { scheme: 'allowance', districtCode: '310115', month: thisMonth });
      const total = people.reduce((s, x) => s + x.fen, 0);
      expect(next.body).toMatchObject({ people: 3, regularFen: total, arrearsFen: people[0]!.fen, recoveryFen: 0 });
      const lines = (await call(pudong, 'GET', `/api/v1/entitlements/payments/${next.body.id}`)).body.items;
      expect(lines.find((l: Body) => l.kind === 'arrears')).toMatchObject({ personId: people[0]!.id, forMonth: lastMonth });
    });

    it('a death reported late: the month after the death month is recovered (追回), nothing more is paid', async () => {
      const who = people[1]!.id;
      const person = (await call(pudong, 'GET', `/api/v1/people/${who}`)).body;
      const deathDate = `${addMonth(thisMonth, -2)}-10`;
      const upd = await call(pudong, 'PATCH', `/api/v1/people/${who}`, { version: person.version, deathDate });
      expect(upd.status, JSON.stringify(upd.body)).toBe(200);
      const next = await call(pudong, 'POST', '/api/v1/entitlements/payments', { scheme: 'allowance', districtCode: '310115', month: thisMonth });
      const lines = (await call(pudong, 'GET', `/api/v1/entitlements/payments/${next.body.id}`)).body.items.filter((l: Body) => l.personId === who);
      expect(lines.map((l: Body) => `${l.forMonth} ${l.kind} ${l.amountFen}`)).toEqual([`${lastMonth} recovery ${-people[1]!.fen}`]);
      expect(lines[0].reason).toMatch(new RegExp(`已于 ${deathDate} 去世`));
      expect(next.body.recoveryFen).toBe(-people[1]!.fen);
    });

    it('scope: 黄浦 cannot see 浦东 batches; an advisor may not run payments', async () => {
      const hp = await p.token('officer.huangpu');
      expect((await call(hp, 'GET', `/api/v1/entitlements/payments/${batchId}`)).status).toBe(404);
      expect((await call(hp, 'GET', '/api/v1/entitlements/payments')).body.items).toEqual([]);
      expect((await call(await p.token('advisor'), 'GET', '/api/v1/entitlements/payments')).status).toBe(403);
    });
  });
}
