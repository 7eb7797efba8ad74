// GET /api/v1/assessments/:id/report.pdf through app.inject() on the demo data (completed,
// signed assessments made by the real use cases): a PDF with the level and the reasons, the
// masked ID only, a Chinese file name; 409 when not completed; 404 out of scope; audited as a read.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../platform/db.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { skipWithoutCjkFont } from '../../test/helpers/fonts.ts';

/** The PDF's text without white space, or null when poppler-utils is not installed (.ci/run installs it). */
const pdfText = (pdf: Buffer): string | null => {
  try {
    return execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, '');
  } catch {
    return null;
  }
};

interface Item { id: string; personId: string; state: string; levelName: string | null; result: { adjustments: { reason: string }[]; levelName: string } | null }

for (const backend of backends()) {
  // No CJK font on this machine → skipped with the install hint (test/helpers/fonts.ts).
  describe.skipIf(skipWithoutCjkFont)(`assessment report PDF (${backend})`, () => {
    let p: TestPlatform;
    let officer: string;
    let withReasons: Item;
    const get = async (token: string, url: string) => p.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

    beforeAll(async () => {
      p = await startTestPlatform(backend, { people: 300 });
      officer = await p.token('officer.pudong');
      const done = (await get(officer, '/api/v1/assessments?state=completed&limit=200')).json() as { items: Item[] };
      withReasons = done.items.find((i) => (i.result?.adjustments.length ?? 0) > 0)!;
    });
    afterAll(async () => {
      await p?.close();
    });

    it('a completed assessment: a PDF with the level, each adjustment reason and the masked ID number only', async () => {
      expect(withReasons, 'the demo data has a completed result with an adjustment').toBeDefined();
      const r = await get(officer, `/api/v1/assessments/${withReasons.id}/report.pdf`);
      expect(r.statusCode, r.body.slice(0, 200)).toBe(200);
      expect(r.headers['content-type']).toBe('application/pdf');
      const cd = String(r.headers['content-disposition']);
      expect(cd).toMatch(/^attachment; filename="assessment-report-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.pdf"; filename\*=UTF-8''/);
      expect(decodeURIComponent(cd.split("UTF-8''")[1]!)).toMatch(/^老年人能力评估报告-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}\.pdf$/);
      const pdf = r.rawPayload;
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.toString('latin1')).toMatch(/\/FontFile[23]? /);

      const text = pdfText(pdf);
      if (text === null) return;
      expect(text).toContain(withReasons.result!.levelName);
      for (const a of withReasons.result!.adjustments) expect(text).toContain(a.reason.replace(/\s+/g, ''));
      const person = (await get(officer, `/api/v1/people/${withReasons.personId}`)).json() as { name: string; idNumberMasked: string };
      expect(text).toContain(person.name);
      expect(text).toContain(person.idNumberMasked);
      const full = (await p.app.inject({
        method: 'POST', url: `/api/v1/people/${withReasons.personId}/reveal`, headers: { authorization: `Bearer ${officer}` }, payload: { purpose: '测试：报告不含完整身份证号' },
      })).json() as { idNumber: string };
      expect(full.idNumber).toMatch(/^\d{17}[\dX]$/);
      expect(text).not.toContain(full.idNumber);
    });

    it('the assigned assessors may print it; it is audited as a read', async () => {
      const assessor = await p.token('assessor2');
      const own = ((await get(assessor, '/api/v1/assessments?state=completed&limit=1')).json() as { items: Item[] }).items[0]!;
      const before = await p.ctx.db.rows<{ seq: string }>(sql`SELECT seq FROM platform.audit_log WHERE entity_id = ${own.id} AND action = 'assessment.read'`);
      const r = await get(assessor, `/api/v1/assessments/${own.id}/report.pdf`);
      expect(r.statusCode).toBe(200);
      const after = await p.ctx.db.rows<{ seq: string }>(sql`SELECT seq FROM platform.audit_log WHERE entity_id = ${own.id} AND action = 'assessment.read'`);
      expect(after.length).toBe(before.length + 1);
    });

    it('not completed → 409 in Chinese; out of scope → 404; not signed in → 401', async () => {
      const open = ((await get(officer, '/api/v1/assessments?state=assigned&limit=1')).json() as { items: Item[] }).items[0]!;
      const r = await get(officer, `/api/v1/assessments/${open.id}/report.pdf`);
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ error: { code: 'ASSESSMENT_ILLEGAL_TRANSITION', message: expect.stringContaining('评估尚未完成') } });

      const huangpu = await p.token('officer.huangpu');
      const out = await get(huangpu, `/api/v1/assessments/${withReasons.id}/report.pdf`);
      expect(out.statusCode).toBe(404);
      expect((await p.app.inject({ method: 'GET', url: `/api/v1/assessments/${withReasons.id}/report.pdf` })).statusCode).toBe(401);
    });
  });
}
