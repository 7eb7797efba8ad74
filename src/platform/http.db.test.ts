// The HTTP surface of the platform itself: health, metrics, the OpenAPI document (every API
// route is in it), the docs page, and the one error shape for unknown routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

describe('platform HTTP', () => {
  let p: TestPlatform;
  beforeAll(async () => {
    p = await startTestPlatform('pglite', { people: 10 });
  });
  afterAll(async () => {
    await p?.close();
  });

  it('answers health', async () => {
    const r = await p.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok' });
  });

  it('exposes Prometheus metrics with route patterns, not URLs', async () => {
    const token = await p.token('officer');
    const list = await p.app.inject({ method: 'GET', url: '/api/v1/people?limit=1', headers: { authorization: `Bearer ${token}` } });
    const id = (list.json() as { items: { id: string }[] }).items[0]!.id;
    await p.app.inject({ method: 'GET', url: `/api/v1/people/${id}`, headers: { authorization: `Bearer ${token}` } });
    const r = await p.app.inject({ method: 'GET', url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('yiyang_http_request_duration_seconds_bucket');
    expect(r.body).toContain('route="/api/v1/people/:id"');
    expect(r.body).not.toContain(id);
    expect(r.body).toContain('process_cpu_user_seconds_total');
  });

  it('documents every API route in OpenAPI 3, browsable at /docs', async () => {
    const doc = (await p.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`)));
    const missing = p.app.routeTable.filter((r) => r.url !== '/api/v1/openapi.json').map((r) => `${r.method} ${r.url}`).filter((k) => !documented.has(k));
    expect(missing).toEqual([]);
    const person = doc.paths['/api/v1/people/{id}'] as { get: { responses: Record<string, unknown> } };
    expect(Object.keys(person.get.responses)).toEqual(expect.arrayContaining(['200', '404']));
    const ui = await p.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('answers an unknown API route with the error shape in Chinese', async () => {
    const r = await p.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: { code: 'ROUTE_NOT_FOUND', message: '未找到该接口', details: [] } });
  });
});
