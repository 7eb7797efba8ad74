// The person is told the result: completing an assessment emits assessment.completed; the
// dispatcher delivers it to the notifier, which records one Chinese notification on the
// person's record — once, however often the event is delivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../platform/db.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';
import { completedMessage } from './notify.ts';

describe.each(backends())('notifying the person on %s', (backend) => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform(backend, { people: 300 });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('writes one notification per completed assessment, with the level, validity and how to appeal', async () => {
    const officer = await p.token('officer.pudong');
    const get = (url: string) => p.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${officer}` } });
    const done = (await get('/api/v1/assessments?state=completed&limit=200')).json() as { items: { personId: string; reviewOf: string | null }[] };
    const first = done.items.find((a) => !a.reviewOf)!;
    expect(first).toBeDefined();
    expect((await get(`/api/v1/people/${first.personId}/notifications`)).json().items).toEqual([]);

    while ((await p.ctx.dispatcher.runOnce()) > 0);
    const items = ((await get(`/api/v1/people/${first.personId}/notifications`)).json() as { items: { kind: string; title: string; body: string }[] }).items;
    const mine = items.filter((n) => n.kind === 'assessment.completed');
    expect(mine.length).toBeGreaterThanOrEqual(1);
    expect(mine[0]!.title).toMatch(/评估结果已出/);
    expect(mine[0]!.body).toMatch(/评估结论：.+（\d 级）。结果有效期 \d{4}年\d+月\d+日 至 \d{4}年\d+月\d+日。/);
    expect(mine[0]!.body).toMatch(/前（含当日）.*申请复核/);

    const before = (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM people.notification`))!.n;
    expect(before).toBeGreaterThan(0);
    await p.ctx.db.run(sql`UPDATE platform.outbox SET dispatched_at = NULL, next_attempt_at = now() WHERE topic = 'assessment.completed'`);
    while ((await p.ctx.dispatcher.runOnce()) > 0);
    expect((await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM people.notification`))!.n).toBe(before);

    const huangpu = await p.token('officer.huangpu');
    const out = await p.app.inject({ method: 'GET', url: `/api/v1/people/${first.personId}/notifications`, headers: { authorization: `Bearer ${huangpu}` } });
    expect(out.statusCode).toBe(404);
  });

  it('a review says it is the reviewed result, without a new appeal invitation', () => {
    const m = completedMessage({ applicationId: 'a', personId: 'p', districtCode: '310115', reviewOf: 'x', level: 2, levelName: '中度失能', validFrom: '2026-11-29', validUntil: '2028-11-28', appealBy: '2026-12-29' });
    expect(m.title).toBe('您的老年人能力复核评估结果已出');
    expect(m.body).toBe('评估结论：中度失能（2 级）。结果有效期 2026年11月29日 至 2028年11月28日。这是复核后的结果。');
  });
});
