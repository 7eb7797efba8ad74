// Another jurisdiction by configuration only: 绍兴市上虞区 (330604), seed 004.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './helpers/platform.ts';

describe('a deployment for 上虞区 (YIYANG_JURISDICTION=shangyu)', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform('pglite', { people: 200, env: { YIYANG_JURISDICTION: 'shangyu' } });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('serves its own root, regions and demo population', async () => {
    const j = (await p.app.inject({ method: 'GET', url: '/api/v1/jurisdiction' })).json();
    expect(j).toMatchObject({ id: 'shangyu', rootCode: '330604', name: '上虞区' });
    const towns = (await p.app.inject({ method: 'GET', url: '/api/v1/regions' })).json() as { items: { code: string; name: string }[] };
    expect(towns.items.length).toBeGreaterThanOrEqual(15);
    expect(towns.items.every((t) => t.code.startsWith('330604'))).toBe(true);
    expect(towns.items.map((t) => t.name)).toContain('百官街道');
    const token = await p.token('officer');
    const people = (await p.app.inject({ method: 'GET', url: '/api/v1/people?limit=200', headers: { authorization: `Bearer ${token}` } })).json() as { items: { districtCode: string; streetCode: string }[] };
    expect(people.items.length).toBe(200);
    expect(people.items.every((x) => x.districtCode === '330604' && x.streetCode.startsWith('330604'))).toBe(true);
  });

  it('resolves the retired code 330682 上虞市 to 330604, and knows nothing of Shanghai', async () => {
    const r = (await p.app.inject({ method: 'GET', url: '/api/v1/regions/330682' })).json();
    expect(r).toMatchObject({ code: '330604', resolvedFrom: '330682' });
    expect((await p.app.inject({ method: 'GET', url: '/api/v1/regions/310115' })).statusCode).toBe(404);
    const token = await p.token('officer');
    const bad = await p.app.inject({ method: 'POST', url: '/api/v1/people', headers: { authorization: `Bearer ${token}` }, payload: { name: '上海老人', idNumber: '310115195001010012', regionCode: '310115004' } });
    expect(bad.statusCode).toBe(400);
  });
});
