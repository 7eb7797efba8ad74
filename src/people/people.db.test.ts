// The people register end to end through the HTTP API, on PGlite and (when TEST_DATABASE_URL
// is set) on a PostgreSQL server.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChar, makeIdNumber } from '../core/idnumber.ts';
import type { LocalDate } from '../core/dates.ts';
import { upsertUser } from '../platform/auth.ts';
import { sql } from '../platform/db.ts';
import { backends, startTestPlatform, type TestPlatform } from '../../test/helpers/platform.ts';

const HEADER = '姓名,身份证号,居住街道,地址,医保类型,经济状况,居住状况,电话';

function idFor(i: number, district = '310115'): string {
  return makeIdNumber(district, `19${40 + (i % 20)}-0${1 + (i % 9)}-1${i % 10}` as LocalDate, 300 + (i % 190), i % 2 ? 'M' : 'F');
}

describe.each(backends())('people register on %s', (backend) => {
  let p: TestPlatform;
  let pudong: string;
  let huangpu: string;
  const auth = (t: string) => ({ authorization: `Bearer ${t}` });

  beforeAll(async () => {
    p = await startTestPlatform(backend, { people: 400 });
    pudong = await p.token('officer.pudong');
    huangpu = await p.token('officer.huangpu');
  });
  afterAll(async () => {
    await p?.close();
  });

  const get = (url: string, t: string) => p.app.inject({ method: 'GET', url, headers: auth(t) });
  const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, t: string, payload?: unknown) =>
    p.app.inject({ method, url, headers: auth(t), payload: payload as object });

  it('a Pudong officer lists only Pudong people, with masked ID numbers, page by page', async () => {
    const first = await get('/api/v1/people?limit=20', pudong);
    expect(first.statusCode).toBe(200);
    const body = first.json() as { items: { districtCode: string; idNumberMasked: string; id: string }[]; nextCursor: string | null };
    expect(body.items.length).toBe(20);
    for (const it of body.items) {
      expect(it.districtCode).toBe('310115');
      expect(it.idNumberMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    }
    expect(body.nextCursor).not.toBeNull();
    const second = (await get(`/api/v1/people?limit=20&cursor=${body.nextCursor}`, pudong)).json() as { items: { id: string }[] };
    const ids = new Set(body.items.map((x) => x.id));
    expect(second.items.some((x) => ids.has(x.id))).toBe(false);
    expect(second.items[0]!.id > body.items[19]!.id).toBe(true);
  });

  it('a Pudong officer gets 404 for a Huangpu person, the Huangpu officer sees them', async () => {
    const hp = (await get('/api/v1/people?limit=1', huangpu)).json() as { items: { id: string }[] };
    const id = hp.items[0]!.id;
    expect((await get(`/api/v1/people/${id}`, pudong)).statusCode).toBe(404);
    expect((await get(`/api/v1/people/${id}/history`, pudong)).statusCode).toBe(404);
    expect((await get(`/api/v1/people/${id}`, huangpu)).statusCode).toBe(200);
  });

  it('registers, updates with optimistic concurrency, soft-deletes with a reason, and keeps the history', async () => {
    const idNumber = idFor(1);
    const created = await send('POST', '/api/v1/people', pudong, {
      name: '测试老人', idNumber, regionCode: '310115004', insuranceType: 'employee', livingArrangement: 'alone', phone: '13812345678',
      contacts: [{ name: '测试子女', relation: '子女', phone: '13900000000' }],
    });
    expect(created.statusCode).toBe(201);
    const person = created.json() as { id: string; version: number; idNumberMasked: string; phoneMasked: string; streetName: string };
    expect(person.idNumberMasked).toBe(`${idNumber.slice(0, 6)}********${idNumber.slice(14)}`);
    expect(person.phoneMasked).not.toContain('12345678');
    expect(person.streetName).toBe('潍坊新村街道');
    expect(created.body).not.toContain(idNumber);

    const dup = await send('POST', '/api/v1/people', pudong, { name: '重复', idNumber, regionCode: '310115004' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('PEOPLE_DUPLICATE');

    const upd = await send('PATCH', `/api/v1/people/${person.id}`, pudong, { version: 1, economicStatus: 'dibao' });
    expect(upd.statusCode).toBe(200);
    expect(upd.json().version).toBe(2);
    const stale = await send('PATCH', `/api/v1/people/${person.id}`, pudong, { version: 1, economicStatus: 'none' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CONFLICT_VERSION');

    const del = await send('DELETE', `/api/v1/people/${person.id}`, pudong, { version: 2, reason: '迁出本市' });
    expect(del.statusCode).toBe(204);
    const after = (await get(`/api/v1/people/${person.id}`, pudong)).json() as { deletedReason: string; deletedAt: string | null };
    expect(after.deletedReason).toBe('迁出本市');
    expect(after.deletedAt).not.toBeNull();
    const hist = (await get(`/api/v1/people/${person.id}/history`, pudong)).json() as { items: { version: number; action: string; changes: { field: string; from: unknown; to: unknown }[] }[] };
    expect(hist.items.map((h) => h.action)).toEqual(['create', 'update', 'delete']);
    expect(hist.items[1]!.changes).toEqual([{ field: 'economicStatus', from: 'none', to: 'dibao' }]);
    // deleted people leave the default list
    const listed = (await get(`/api/v1/people?q=${idNumber}`, pudong)).json() as { items: unknown[] };
    expect(listed.items).toHaveLength(0);
    const withDeleted = (await get(`/api/v1/people?q=${idNumber}&includeDeleted=true`, pudong)).json() as { items: unknown[] };
    expect(withDeleted.items).toHaveLength(1);
  });

  it('finds a person by ID number however it is typed: spaces, full-width digits, or the old 15-digit form', async () => {
    const n15 = `310115${'480808'}${'123'}`; // legacy 15-digit number of someone born 1948-08-08
    const created = await send('POST', '/api/v1/people', pudong, { name: '旧号老人', idNumber: n15, regionCode: '310115004' });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { id: string }).id;
    const n18 = `310115194808081230`.slice(0, 17);
    const full = n18 + checkChar(n18);
    for (const typed of [n15, full, ` ${full.slice(0, 6)} ${full.slice(6)} `, full.replace(/\d/g, (x) => String.fromCharCode(0xff10 + Number(x)))]) {
      const r = (await get(`/api/v1/people?q=${encodeURIComponent(typed)}`, pudong)).json() as { items: { id: string }[] };
      expect(r.items.map((x) => x.id), typed).toEqual([id]);
    }
  });

  it('refuses to register a person outside the officer\'s region', async () => {
    const r = await send('POST', '/api/v1/people', pudong, { name: '外区老人', idNumber: idFor(2), regionCode: '310101002' });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details[0].path).toBe('regionCode');
  });

  it('reveals a full ID number only with a purpose, and audits it', async () => {
    const one = ((await get('/api/v1/people?limit=1', pudong)).json() as { items: { id: string }[] }).items[0]!;
    const noPurpose = await send('POST', `/api/v1/people/${one.id}/reveal`, pudong, {});
    expect(noPurpose.statusCode).toBe(400);
    const r = await send('POST', `/api/v1/people/${one.id}/reveal`, pudong, { purpose: '核对长护险申请' });
    expect(r.statusCode).toBe(200);
    const n = (r.json() as { idNumber: string }).idNumber;
    expect(n).toMatch(/^\d{17}[\dX]$/);
    expect(checkChar(n.slice(0, 17))).toBe(n[17]);
    const a = await p.ctx.db.one<{ purpose: string }>(sql`SELECT purpose FROM platform.audit_log WHERE action = 'people.reveal_id' AND entity_id = ${one.id}`);
    expect(a?.purpose).toBe('核对长护险申请');
    // an advisor may read but not reveal
    const adv = await p.token('advisor');
    expect((await send('POST', `/api/v1/people/${one.id}/reveal`, adv, { purpose: '核对' })).statusCode).toBe(403);
  });

  it('every read of a person is in the audit log before it is answered', async () => {
    const one = ((await get('/api/v1/people?limit=1', pudong)).json() as { items: { id: string }[] }).items[0]!;
    const before = (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM platform.audit_log WHERE action = 'people.read' AND entity_id = ${one.id}`))!.n;
    await Promise.all([1, 2, 3].map(() => get(`/api/v1/people/${one.id}`, pudong)));
    const after = (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM platform.audit_log WHERE action = 'people.read' AND entity_id = ${one.id}`))!.n;
    expect(after - before).toBe(3);
  });

  describe('bulk import', () => {
    const csv = (rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n';
    const good = [10, 11, 12].map((i) => `导入老人${'甲乙丙'[i - 10]},${idFor(i)},潍坊新村街道,浦东南路${i}号,职工医保,无,独居,1380000000${i % 10}`);
    const badId = idFor(13).slice(0, 17) + (idFor(13)[17] === '0' ? '1' : '0');
    const rows = [...good, `坏号码,${badId},潍坊新村街道,某路1号,职工医保,无,独居,13800000009`, `无此街道,${idFor(14)},不存在街道,某路2号,职工医保,无,独居,13800000008`];
    const upload = (fileName: string, body: Buffer, t = pudong) =>
      p.app.inject({ method: 'POST', url: `/api/v1/people/import?fileName=${encodeURIComponent(fileName)}`, headers: { ...auth(t), 'content-type': 'application/octet-stream' }, payload: body });
    const count = async () => (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM people.person`))!.n;

    it('keeps the good rows, reports each bad row with row number, column and a Chinese reason, and is idempotent', async () => {
      const r1 = await upload('名单.csv', Buffer.from('\uFEFF' + csv(rows)));
      expect(r1.statusCode).toBe(200);
      const s1 = r1.json() as { created: number; rejected: number; unchanged: number; errors: { row: number; field: string; message: string }[] };
      expect(s1.created).toBe(3);
      expect(s1.rejected).toBe(2);
      expect(s1.errors.map((e) => [e.row, e.field])).toEqual([[5, '身份证号'], [6, '居住街道']]);
      expect(s1.errors[0]!.message).toMatch(/校验/);
      const n = await count();
      const r2 = (await upload('名单.csv', Buffer.from('\uFEFF' + csv(rows)))).json() as { created: number; updated: number; unchanged: number };
      expect(r2).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
      expect(await count()).toBe(n);
    });

    it('reads a CSV saved by Excel in GBK', async () => {
      const gbk = iconv.encode(csv([`国标老人,${idFor(20)},潍坊新村街道,浦东南路20号,城乡居民医保,低保,纯老,13800000020`]), 'gbk');
      const r = (await upload('gbk.csv', gbk)).json() as { created: number; encoding: string; errors: unknown[] };
      expect(r.errors).toEqual([]);
      expect(r.created).toBe(1);
      expect(r.encoding).toBe('gbk');
      const found = (await get(`/api/v1/people?q=${idFor(20)}`, pudong)).json() as { items: { name: string; economicStatus: string }[] };
      expect(found.items[0]).toMatchObject({ name: '国标老人', economicStatus: 'dibao' });
    });

    it('reads XLSX, updates a changed row, and rejects a truncated XLSX without changing anything', async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('名单');
      ws.addRow(HEADER.split(','));
      ws.addRow(['导入老人甲', idFor(10), '潍坊新村街道', '浦东南路10号', '职工医保', '低收入', '独居', '13800000000']);
      ws.addRow(['表格老人', idFor(21), '潍坊新村街道', '浦东南路21号', '职工医保', '无', '与子女同住', '13800000021']);
      const buf = Buffer.from(await wb.xlsx.writeBuffer());
      const r = (await upload('名单.xlsx', buf)).json() as { created: number; updated: number; errors: unknown[] };
      expect(r.errors).toEqual([]);
      expect(r).toMatchObject({ created: 1, updated: 1 });
      const n = await count();
      const bad = await upload('坏.xlsx', buf.subarray(0, Math.floor(buf.length / 2)));
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('IMPORT_FILE_INVALID');
      expect(await count()).toBe(n);
    });

    it('rejects path traversal in the file name', async () => {
      const r = await upload('../../etc/passwd.csv', Buffer.from(csv(good)));
      expect(r.statusCode).toBe(400);
      expect(r.json().error.code).toBe('IMPORT_FILE_NAME_INVALID');
    });

    it('leaves the whole batch or none when it fails part-way', async () => {
      const { PeopleService } = await import('./service.ts');
      const svc = new PeopleService(p.ctx);
      const u = (await p.ctx.db.one<{ id: string }>(sql`SELECT id FROM platform.app_user WHERE username = 'officer.pudong'`))!;
      const caller = { userId: u.id, username: 'officer.pudong', displayName: 'x', role: 'officer' as const, regionCode: '310115', scope: '310115', sessionKind: 'bearer' as const, csrfToken: '' };
      const many = Array.from({ length: 7000 }, (_, i) => `批量${String.fromCharCode(0x4e00 + (i % 500))},${makeIdNumber('310115', '1955-05-05' as LocalDate, i % 500, i < 500 ? 'M' : 'F').replace(/^/, '')},潍坊新村街道,某路,职工医保,无,独居,13800000000`).slice(0, 1000);
      const n = await count();
      await expect(svc.importFile(caller, 'crash.csv', Buffer.from(csv(many)), (done) => {
        if (done > 0) throw new Error('injected failure after the first chunk');
      })).rejects.toThrow('injected failure');
      expect(await count()).toBe(n);
    });
  });

  it('exports the filtered list to XLSX with masked ID numbers, and unmasked only with a purpose', async () => {
    const r = await get('/api/v1/people/export?livingArrangement=alone', pudong);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(2).value).toBe('身份证号');
    expect(ws.rowCount).toBeGreaterThan(1);
    expect(String(ws.getRow(2).getCell(2).value)).toMatch(/\*{8}/);
    const full = await get('/api/v1/people/export?livingArrangement=alone&reveal=true&purpose=' + encodeURIComponent('补贴核对'), pudong);
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(full.rawPayload as unknown as ArrayBuffer);
    expect(String(wb2.worksheets[0]!.getRow(2).getCell(2).value)).toMatch(/^\d{17}[\dX]$/);
    const auditor = await p.token('auditor');
    expect((await get('/api/v1/people/export?reveal=true&purpose=' + encodeURIComponent('看看'), auditor)).statusCode).toBe(403);
  });

  it('row-level security hides other regions even from a query without a WHERE clause', async () => {
    const counts = await p.ctx.db.tx(async (q) => q.one<{ n: number; other: number }>(sql`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE district_code <> '310101')::int AS other FROM people.person`), { scope: '310101', asAppRole: true });
    expect(counts!.n).toBeGreaterThan(0);
    expect(counts!.other).toBe(0);
    const none = await p.ctx.db.tx(async (q) => q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM people.person`), { scope: '', asAppRole: true });
    expect(none!.n).toBe(0);
    // and the app role cannot write outside its scope
    await expect(p.ctx.db.tx(async (q) => q.run(sql`UPDATE people.person SET address = 'x' WHERE district_code = '310115'`), { scope: '310101', asAppRole: true }))
      .resolves.toBe(0);
  });

  it('bad input gets a clear error and changes nothing', async () => {
    const n = (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM people.person`))!.n;
    const cases: [string, unknown, number, string][] = [
      ['malformed JSON', '{"name": ', 400, 'BODY_MALFORMED'],
      ['unknown field', { name: '甲', idNumber: idFor(30), regionCode: '310115004', isAdmin: true }, 400, 'VALIDATION_FAILED'],
      ['wrong type', { name: 12, idNumber: idFor(31), regionCode: '310115004' }, 400, 'VALIDATION_FAILED'],
      ['bad ID number', { name: '甲', idNumber: '310115195001010013', regionCode: '310115004' }, 400, 'VALIDATION_FAILED'],
      ['date out of range', { name: '甲', idNumber: idFor(32), regionCode: '310115004', deathDate: '2999-01-01' }, 400, 'VALIDATION_FAILED'],
      ['SQL-looking name', { name: "x'); DROP TABLE people.person;--", idNumber: idFor(33), regionCode: '310115004' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [label, payload, status, code] of cases) {
      const r = await p.app.inject({ method: 'POST', url: '/api/v1/people', headers: { ...auth(pudong), 'content-type': 'application/json' }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });
      expect(r.statusCode, label).toBe(status);
      expect(r.json().error.code, label).toBe(code);
      expect(r.json().error.message, label).toMatch(/[\u4e00-\u9fff]/);
    }
    const big = await p.app.inject({ method: 'POST', url: '/api/v1/people', headers: { ...auth(pudong), 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(2_000_000) }) });
    expect(big.statusCode).toBe(413);
    expect((await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM people.person`))!.n).toBe(n);
  });

  describe('citizen accounts linked to a person (关联居民账号)', () => {
    let advisor: string;
    let living: string;
    let other: string;
    let deceased: string;
    let huangpuPerson: string;
    const users: Record<string, string> = {};
    const PASSWORD = 'Yiyang-demo-2026';
    const link = (personId: string, body: unknown, t = advisor) => send('POST', `/api/v1/people/${personId}/links`, t, body);
    const listed = async (personId: string, t = advisor) =>
      ((await get(`/api/v1/people/${personId}/links`, t)).json() as { items: { userId: string; username: string; relation: string; relationName: string; linkedBy: string | null; linkedAt: string }[] }).items;
    const rowsOf = async (personId: string) => (await p.ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM people.user_link WHERE person_id = ${personId}::uuid`))!.n;
    const audits = async (action: string, personId: string) =>
      p.ctx.db.rows<{ actor_role: string; details: { userId?: string; relation?: string } }>(sql`SELECT actor_role, details FROM platform.audit_log WHERE action = ${action} AND entity_id = ${personId} ORDER BY seq`);

    beforeAll(async () => {
      advisor = await p.token('advisor');
      for (const u of ['link.self1', 'link.self2', 'link.off']) {
        users[u] = await upsertUser(p.ctx.db, { username: u, displayName: `测试居民 ${u}`, role: 'citizen', regionCode: '310115', password: PASSWORD });
      }
      await p.ctx.db.run(sql`UPDATE platform.app_user SET disabled_at = now() WHERE username = 'link.off'`);
      const register = async (i: number, extra: object = {}) => {
        const r = await send('POST', '/api/v1/people', pudong, { name: `关联老人${'甲乙丙'[i - 50]}`, idNumber: idFor(i), regionCode: '310115004', ...extra });
        expect(r.statusCode, r.body).toBe(201);
        return (r.json() as { id: string }).id;
      };
      living = await register(50);
      other = await register(51);
      deceased = await register(52, { deathDate: '2024-01-01' });
      huangpuPerson = ((await get('/api/v1/people?limit=1', huangpu)).json() as { items: { id: string }[] }).items[0]!.id;
    });

    it('an advisor links a citizen account as 本人; the same request again answers the existing link and writes nothing', async () => {
      const first = await link(living, { username: 'link.self1', relation: 'self' });
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({ userId: users['link.self1'], username: 'link.self1', displayName: '测试居民 link.self1', relation: 'self', relationName: '本人', disabled: false, linkedBy: '养老顾问 张老师' });
      const again = await link(living, { username: ' link.self1 ', relation: 'self' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(first.json());
      expect(await rowsOf(living)).toBe(1);
      const items = await listed(living);
      expect(items.map((x) => [x.username, x.relationName, x.linkedBy])).toEqual([['link.self1', '本人', '养老顾问 张老师']]);
      // One change, one audit entry, with ids and the relation only; the list is an audited read.
      const logged = await audits('people.link', living);
      expect(logged).toEqual([{ actor_role: 'advisor', details: { userId: users['link.self1'], relation: 'self' } }]);
      expect((await audits('people.links', living)).length).toBeGreaterThan(0);
    });

    it('the linked citizen sees the person among their own (/api/v1/me/vouchers)', async () => {
      const mine = (await get('/api/v1/me/vouchers', await p.token('link.self1'))).json() as { people: { personId: string; name: string; relationName: string }[] };
      expect(mine.people).toEqual([expect.objectContaining({ personId: living, name: '关联老人甲', relationName: '本人' })]);
    });

    it('refuses, in Chinese, what may not be linked, and writes nothing', async () => {
      const before = { living: await rowsOf(living), other: await rowsOf(other), deceased: await rowsOf(deceased) };
      const cases: [string, string, unknown, number, RegExp][] = [
        ['a deceased person', deceased, { username: 'link.self2', relation: 'family' }, 409, /^该人员已故，不能关联账号$/],
        ['an unknown account', living, { username: 'no.such.user', relation: 'family' }, 404, /^未找到该居民账号$/],
        ['a staff account', living, { username: 'advisor', relation: 'family' }, 409, /^只能关联居民账号$/],
        ['a disabled account', living, { username: 'link.off', relation: 'family' }, 409, /^该账号已停用$/],
        ['a second 本人 of a person', living, { username: 'link.self2', relation: 'self' }, 409, /该人员已关联本人账号（link\.self1）/],
        ['an account already 本人 of another person', other, { username: 'link.self1', relation: 'self' }, 409, /该账号已是另一位老人的本人账号/],
        ['the same pair as another relation', living, { username: 'link.self1', relation: 'family' }, 409, /已作为本人关联此人员.*请先解除关联/],
        ['a relation that is neither', living, { username: 'link.self2', relation: 'friend' }, 400, /[\u4e00-\u9fff]/],
        ['a control character in the account', living, { username: 'link\u0000self2', relation: 'family' }, 400, /[\u4e00-\u9fff]/],
      ];
      for (const [label, personId, body, status, message] of cases) {
        const r = await link(personId, body);
        expect(r.statusCode, `${label}: ${r.body}`).toBe(status);
        expect(r.json().error.message, label).toMatch(message);
      }
      expect({ living: await rowsOf(living), other: await rowsOf(other), deceased: await rowsOf(deceased) }).toEqual(before);
    });

    it('an account that is one person\'s 本人 may be another\'s 家属, listed 本人 first', async () => {
      const r = await link(other, { username: 'link.self1', relation: 'family' }, pudong);
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json()).toMatchObject({ relationName: '家属', linkedBy: '浦东新区民政局 李老师' });
      const mine = (await get('/api/v1/me/vouchers', await p.token('link.self1'))).json() as { people: { personId: string; relationName: string }[] };
      expect(mine.people.map((x) => [x.personId, x.relationName])).toEqual([[living, '本人'], [other, '家属']]);
    });

    it('another region\'s officer gets 404 for every link route of a person outside it, and row-level security agrees', async () => {
      const huangpuOfficer = huangpu;
      expect((await get(`/api/v1/people/${living}/links`, huangpuOfficer)).statusCode).toBe(404);
      expect((await link(living, { username: 'link.self2', relation: 'family' }, huangpuOfficer)).statusCode).toBe(404);
      expect((await send('DELETE', `/api/v1/people/${living}/links/${users['link.self1']}`, huangpuOfficer)).statusCode).toBe(404);
      // and the Pudong advisor cannot reach a Huangpu person's links
      expect((await get(`/api/v1/people/${huangpuPerson}/links`, advisor)).statusCode).toBe(404);
      expect((await link(huangpuPerson, { username: 'link.self2', relation: 'family' })).statusCode).toBe(404);
      expect(await rowsOf(living)).toBe(1);
      const seen = await p.ctx.db.tx((q) => q.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM people.user_link WHERE person_id = ${living}::uuid`), { scope: '310101', asAppRole: true });
      expect(seen!.n).toBe(0);
      const removed = await p.ctx.db.tx((q) => q.run(sql`DELETE FROM people.user_link WHERE person_id = ${living}::uuid`), { scope: '310101', asAppRole: true });
      expect(removed).toBe(0);
      expect(await rowsOf(living)).toBe(1);
    });

    it('unlinks (audited); a second unlink is 404; the place of 本人 is free again', async () => {
      const r = await send('DELETE', `/api/v1/people/${living}/links/${users['link.self1']}`, advisor);
      expect(r.statusCode, r.body).toBe(204);
      expect(await listed(living)).toEqual([]);
      const again = await send('DELETE', `/api/v1/people/${living}/links/${users['link.self1']}`, advisor);
      expect(again.statusCode).toBe(404);
      expect(again.json().error.message).toBe('该账号未关联此人员');
      expect(await audits('people.unlink', living)).toEqual([{ actor_role: 'advisor', details: { userId: users['link.self1'], relation: 'self' } }]);
      const mine = (await get('/api/v1/me/vouchers', await p.token('link.self1'))).json() as { people: { personId: string }[] };
      expect(mine.people.map((x) => x.personId)).toEqual([other]);
      expect((await link(living, { username: 'link.self2', relation: 'self' })).statusCode).toBe(201);
      // an auditor reads the list but may not change it
      const auditor = await p.token('auditor');
      expect((await get(`/api/v1/people/${living}/links`, auditor)).statusCode).toBe(200);
      expect((await send('DELETE', `/api/v1/people/${living}/links/${users['link.self2']}`, auditor)).statusCode).toBe(403);
    });
  });
});
