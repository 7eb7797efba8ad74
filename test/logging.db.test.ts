// The logs never contain ID numbers, names or phone numbers — even at debug level, even for
// requests that carry them in the query string or the body, even on errors.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeLogger } from '../src/platform/logger.ts';
import { buildPlatformApp, openPlatform, seedDemo } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';
import { openDatabase } from '../src/platform/db.ts';
import type { AppContext } from '../src/platform/context.ts';
import type { App } from '../src/platform/http.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DEMO_PASSWORD } from './helpers/platform.ts';
import { makeIdNumber } from '../src/core/idnumber.ts';
import type { LocalDate } from '../src/core/dates.ts';

describe('logs', () => {
  const lines: string[] = [];
  let ctx: AppContext;
  let app: App;
  const dir = mkdtempSync(join(tmpdir(), 'yiyang-log-'));

  beforeAll(async () => {
    const sink = new Writable({ write: (chunk, _enc, cb) => { lines.push(String(chunk)); cb(); } });
    const logger = makeLogger('debug', sink);
    const config = loadConfig({ YIYANG_DATA_DIR: dir, YIYANG_SECRET_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'debug' });
    ctx = await openPlatform(config, { logger, db: await openDatabase({ dataDir: null }) });
    await seedDemo(ctx, 20, 1);
    app = await buildPlatformApp(ctx, null);
  });
  afterAll(async () => {
    await app?.close();
    await ctx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('carry route patterns and status, not the personal data of the requests', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'officer.pudong', password: DEMO_PASSWORD, client: 'api' } });
    const h = { authorization: `Bearer ${login.json().token}` };
    const idNumber = makeIdNumber('310115', '1948-08-08' as LocalDate, 123, 'M');
    const other = makeIdNumber('310115', '1948-08-09' as LocalDate, 124, 'F');
    await app.inject({ method: 'GET', url: `/api/v1/people?q=${idNumber}`, headers: h });
    await app.inject({ method: 'GET', url: `/api/v1/people?q=${encodeURIComponent('欧阳娜娜')}`, headers: h });
    await app.inject({ method: 'POST', url: '/api/v1/people', headers: h, payload: { name: '欧阳娜娜', idNumber, regionCode: '310115004', phone: '13912345678', address: '浦东南路 999 弄' } });
    await app.inject({ method: 'POST', url: '/api/v1/people', headers: h, payload: { name: '欧阳娜娜', idNumber: other, regionCode: 'x', phone: '13912345678' } });
    const created = await app.inject({ method: 'GET', url: `/api/v1/people?q=${idNumber}`, headers: h });
    const id = (created.json() as { items: { id: string }[] }).items[0]!.id;
    await app.inject({ method: 'GET', url: `/api/v1/people/${id}`, headers: h });
    await app.inject({ method: 'POST', url: `/api/v1/people/${id}/reveal`, headers: h, payload: { purpose: '核对' } });
    await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'officer.pudong', password: 'wrong-password' } });
    const all = lines.join('');
    expect(lines.length).toBeGreaterThan(5);
    expect(all).toContain('"route":"/api/v1/people/:id"');
    for (const secret of [idNumber, other, '欧阳', '13912345678', '浦东南路', DEMO_PASSWORD, 'wrong-password', login.json().token]) {
      expect(all, secret).not.toContain(secret);
    }
  });
});
