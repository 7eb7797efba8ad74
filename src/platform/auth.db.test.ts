// Login, lock-out, idle expiry, cookies and CSRF, against a real database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, DEMO_PASSWORD, type TestPlatform } from '../../test/helpers/platform.ts';

describe('auth', () => {
  let p: TestPlatform;
  let now = new Date('2026-11-29T02:00:00Z').getTime();
  const clock = () => new Date(now);

  beforeAll(async () => {
    p = await startTestPlatform('pglite', { people: 50, clock, env: { YIYANG_LOGIN_RATE_LIMIT: '1000' } });
  });
  afterAll(async () => {
    await p?.close();
  });

  const login = (username: string, password: string, client?: 'api') =>
    p.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password, ...(client ? { client } : {}) } });

  it('a browser login sets an HttpOnly SameSite=Strict cookie; the session answers /me', async () => {
    const r = await login('advisor', DEMO_PASSWORD);
    expect(r.statusCode).toBe(200);
    const cookie = r.cookies.find((c) => c.name === 'yy_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    const me = await p.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { yy_session: cookie.value } });
    expect(me.json().user).toMatchObject({ username: 'advisor', role: 'advisor', regionCode: '310115', regionName: '浦东新区' });
  });

  it('a cookie session must send the CSRF token on changes; a bearer token need not', async () => {
    const r = await login('officer.pudong', DEMO_PASSWORD);
    const { csrfToken } = r.json() as { csrfToken: string };
    const cookie = r.cookies.find((c) => c.name === 'yy_session')!.value;
    const body = { kind: 'data_sharing', granted: true };
    const list = await p.app.inject({ method: 'GET', url: '/api/v1/people?limit=1', cookies: { yy_session: cookie } });
    const id = (list.json() as { items: { id: string }[] }).items[0]!.id;
    const without = await p.app.inject({ method: 'POST', url: `/api/v1/people/${id}/consents`, cookies: { yy_session: cookie }, payload: body });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('AUTH_CSRF_FAILED');
    const wrong = await p.app.inject({ method: 'POST', url: `/api/v1/people/${id}/consents`, cookies: { yy_session: cookie }, headers: { 'x-csrf-token': 'nope' }, payload: body });
    expect(wrong.statusCode).toBe(403);
    const ok = await p.app.inject({ method: 'POST', url: `/api/v1/people/${id}/consents`, cookies: { yy_session: cookie }, headers: { 'x-csrf-token': csrfToken }, payload: body });
    expect(ok.statusCode).toBe(204);
    const token = await p.token('officer.pudong');
    const bearer = await p.app.inject({ method: 'POST', url: `/api/v1/people/${id}/consents`, headers: { authorization: `Bearer ${token}` }, payload: body });
    expect(bearer.statusCode).toBe(204);
  });

  it('five wrong passwords lock the account for 30 minutes, even against the right password', async () => {
    for (let i = 1; i <= 4; i++) {
      const r = await login('insurer', 'wrong-password');
      expect(r.statusCode, `try ${i}`).toBe(401);
      expect(r.json().error.message).toBe('用户名或密码错误');
    }
    const fifth = await login('insurer', 'wrong-password');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.message).toMatch(/锁定/);
    expect((await login('insurer', DEMO_PASSWORD)).statusCode).toBe(423);
    now += 29 * 60_000;
    expect((await login('insurer', DEMO_PASSWORD)).statusCode).toBe(423);
    now += 2 * 60_000;
    expect((await login('insurer', DEMO_PASSWORD)).statusCode).toBe(200);
  });

  it('a user name with a control character is bad input (400), not a server error', async () => {
    const r = await login('advi\u0000sor', DEMO_PASSWORD);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('an unknown user gets the same answer as a wrong password', async () => {
    const r = await login('no-such-user', 'whatever');
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('a session expires after 30 idle minutes, and activity keeps it alive', async () => {
    const token = (await login('auditor', DEMO_PASSWORD, 'api')).json().token as string;
    const me = () => p.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
    now += 20 * 60_000;
    expect((await me()).statusCode).toBe(200);
    now += 20 * 60_000; // 40 minutes after login, 20 after the last request
    expect((await me()).statusCode).toBe(200);
    now += 31 * 60_000;
    const r = await me();
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('AUTH_SESSION_EXPIRED');
    expect((await me()).statusCode).toBe(401);
  });

  it("a caregiver's phone session outlives an offline shift (12 idle hours), and then expires", async () => {
    const token = (await login('caregiver', DEMO_PASSWORD, 'api')).json().token as string;
    const me = () => p.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });
    now += 11 * 60 * 60_000;
    expect((await me()).statusCode).toBe(200);
    now += 12 * 60 * 60_000 + 60_000;
    expect((await me()).json().error.code).toBe('AUTH_SESSION_EXPIRED');
  });

  it('logout ends the session', async () => {
    const token = (await login('provider', DEMO_PASSWORD, 'api')).json().token as string;
    const h = { authorization: `Bearer ${token}` };
    expect((await p.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: h })).statusCode).toBe(204);
    expect((await p.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: h })).statusCode).toBe(401);
  });

  it('rate-limits login attempts per client', async () => {
    const q = await startTestPlatform('pglite', { people: 0, env: { YIYANG_LOGIN_RATE_LIMIT: '3' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await q.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x', password: 'y' } })).statusCode);
      expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
      expect(codes[3]).toBe(429);
    } finally {
      await q.close();
    }
  });
});
