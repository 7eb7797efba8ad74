// Property-based fuzzing of every API body and query: whatever arrives, the answer is never a
// 500, and every error has the one error shape with a message.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.ts';

describe('API fuzzing', () => {
  let p: TestPlatform;
  let token: string;
  let personId: string;

  beforeAll(async () => {
    p = await startTestPlatform('pglite', { people: 100 });
    token = await p.token('admin');
    const r = await p.app.inject({ method: 'GET', url: '/api/v1/people?limit=1', headers: { authorization: `Bearer ${token}` } });
    personId = (r.json() as { items: { id: string }[] }).items[0]!.id;
  });
  afterAll(async () => {
    await p?.close();
  });

  const check = (status: number, body: string, label: string) => {
    expect(status, `${label} → ${body.slice(0, 300)}`).toBeLessThan(500);
    if (status >= 400) {
      const j = JSON.parse(body) as { error: { code: string; message: string; details: unknown[] } };
      expect(typeof j.error.code).toBe('string');
      expect(j.error.message.length).toBeGreaterThan(0);
      expect(Array.isArray(j.error.details)).toBe(true);
    }
  };

  it('JSON bodies of every write endpoint: no crash, no 500', async () => {
    const writes = p.app.routeTable.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !r.url.endsWith('/logout') && !r.url.endsWith('/import'));
    expect(writes.length).toBeGreaterThan(5);
    const body = fc.oneof(
      fc.jsonValue(),
      fc.dictionary(fc.constantFrom('name', 'idNumber', 'regionCode', 'version', 'birthDate', 'deathDate', 'phone', 'contacts', 'lat', 'reason', 'purpose', 'username', 'password', 'kind', 'granted', 'role'), fc.jsonValue()),
      fc.record({ name: fc.string(), idNumber: fc.string(), regionCode: fc.constantFrom('310115004', '310101002', '330604001', '31', "'; DROP TABLE x;--"), version: fc.integer() }, { requiredKeys: [] }),
    );
    for (const route of writes) {
      await fc.assert(
        fc.asyncProperty(body, async (b) => {
          const url = route.url.replace(':id', personId);
          const r = await p.app.inject({ method: route.method as 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(b) });
          check(r.statusCode, r.body, `${route.method} ${route.url} ${JSON.stringify(b).slice(0, 200)}`);
        }),
        { numRuns: 60, seed: 42 },
      );
    }
  });

  it('raw bytes where JSON is expected, and query strings of every GET endpoint', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const r = await p.app.inject({ method: 'POST', url: '/api/v1/people', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: Buffer.from(bytes) });
        check(r.statusCode, r.body, 'raw bytes');
      }),
      { numRuns: 100, seed: 7 },
    );
    const gets = p.app.routeTable.filter((r) => r.method === 'GET' && !r.url.includes('openapi'));
    const qs = fc.dictionary(fc.constantFrom('q', 'limit', 'cursor', 'districtCode', 'streetCode', 'ageMin', 'ageMax', 'parent', 'livingArrangement', 'reveal', 'purpose', 'beforeSeq', 'x'), fc.string({ maxLength: 40 }));
    for (const route of gets) {
      await fc.assert(
        fc.asyncProperty(qs, fc.string({ maxLength: 40 }), async (q, seg) => {
          const url = route.url.replace(':id', encodeURIComponent(seg) || 'x').replace(':code', encodeURIComponent(seg) || 'x') + '?' + new URLSearchParams(q).toString();
          const r = await p.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
          if (!url.includes('/export') && !url.includes('template.csv')) check(r.statusCode, r.body, `GET ${url}`);
          else expect(r.statusCode).toBeLessThan(500);
        }),
        { numRuns: 40, seed: 11 },
      );
    }
  });

  it('arbitrary files to the importer: a clear error or a summary, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
          fc.array(fc.array(fc.string({ maxLength: 20 }), { maxLength: 8 }), { maxLength: 20 }).map((rows) => Buffer.from(['姓名,身份证号,居住街道', ...rows.map((r) => r.join(','))].join('\n'))),
          fc.constant(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])),
        ),
        fc.constantFrom('a.csv', 'b.xlsx', '名单.csv'),
        async (file, name) => {
          const r = await p.app.inject({ method: 'POST', url: `/api/v1/people/import?fileName=${encodeURIComponent(name)}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, payload: file });
          check(r.statusCode, r.body, `import ${name}`);
        },
      ),
      { numRuns: 80, seed: 3 },
    );
  });
});
