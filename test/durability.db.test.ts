// Durability: a stream of acknowledged writes, the server killed with SIGKILL in the middle,
// a restart — and every acknowledged write is there. On PGlite and on the PostgreSQL server.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../src/core/idnumber.ts';
import { addDays, type LocalDate } from '../src/core/dates.ts';
import { backends, createServerDatabase, DEMO_PASSWORD } from './helpers/platform.ts';

const run = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startServer(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/yiyang.js', 'serve', '--no-web-build', '--port', String(port), '--host', '127.0.0.1'], { env, stdio: 'ignore' });
  for (let i = 0; i < 120; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (r.ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

describe.each(backends())('durability on %s', (backend) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('every acknowledged write survives SIGKILL and restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'yiyang-dur-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let url = '';
    if (backend === 'pg') {
      const d = await createServerDatabase();
      url = d.url;
      cleanups.push(d.drop);
    }
    const env = { ...process.env, YIYANG_DATA_DIR: dir, DATABASE_URL: url, LOG_LEVEL: 'silent', YIYANG_LOGIN_RATE_LIMIT: '1000' };
    await run(process.execPath, ['bin/yiyang.js', 'seed', '--demo', '--count', '10'], { env });
    const port = await freePort();
    let server = await startServer(env, port);
    cleanups.push(() => void server.kill('SIGKILL'));
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'officer.pudong', password: DEMO_PASSWORD, client: 'api' }) });
    const { token } = (await login.json()) as { token: string };
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

    const acked: string[] = [];
    let n = 0;
    let stop = false;
    const writer = async () => {
      while (!stop) {
        const i = n++;
        const idNumber = makeIdNumber('310115', addDays('1945-01-01' as LocalDate, i % 3000), Math.floor(i / 3000) % 500, 'M');
        try {
          const r = await fetch(`${base}/api/v1/people`, { method: 'POST', headers, body: JSON.stringify({ name: '持久测试', idNumber, regionCode: '310115004' }) });
          if (r.status === 201) acked.push(((await r.json()) as { id: string }).id);
        } catch {
          return; // connection reset by the kill: not acknowledged
        }
      }
    };
    const writers = [writer(), writer(), writer(), writer()];
    await new Promise((r) => setTimeout(r, 2500));
    server.kill('SIGKILL');
    stop = true;
    await Promise.all(writers);
    expect(acked.length).toBeGreaterThan(10);

    server = await startServer(env, port);
    const relogin = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'officer.pudong', password: DEMO_PASSWORD, client: 'api' }) });
    const t2 = ((await relogin.json()) as { token: string }).token;
    const missing: string[] = [];
    for (const id of acked) {
      const r = await fetch(`${base}/api/v1/people/${id}`, { headers: { authorization: `Bearer ${t2}` } });
      if (r.status !== 200) missing.push(id);
    }
    expect(missing, `${missing.length} of ${acked.length} acknowledged writes lost`).toEqual([]);
    server.kill('SIGKILL');
  });
});
