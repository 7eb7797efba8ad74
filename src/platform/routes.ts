// Platform HTTP routes: login/logout/me, the audit log (read is itself audited), users.
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { appendAudit, verifyAudit } from './audit.ts';
import type { Caller } from './auth.ts';
import { listUsers, upsertUser } from './auth.ts';
import type { AppContext } from './context.ts';
import { sql } from './db.ts';
import { errorBodySchema, SESSION_COOKIE, type ZApp } from './http.ts';
import { listMessages } from './notifier.ts';
import { ROLES, ROLE_NAMES } from './permissions.ts';

const MESSAGE_LIMIT = 200;

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 423: errorBodySchema, 429: errorBodySchema };

const userSchema = z.object({
  id: z.string(), username: z.string(), displayName: z.string(), role: z.enum(ROLES), roleName: z.string(),
  regionCode: z.string(), regionName: z.string().nullable(),
});

function need(c: Caller | null): Caller {
  if (!c) throw new AppError('AUTH_REQUIRED');
  return c;
}

export function platformRoutes(app: ZApp, ctx: AppContext): void {
  const userView = (c: Caller) => ({
    id: c.userId, username: c.username, displayName: c.displayName, role: c.role, roleName: ROLE_NAMES[c.role],
    regionCode: c.regionCode, regionName: ctx.regions.get(c.regionCode)?.name ?? null,
  });
  const audit = (c: Caller | null, action: string, details: Record<string, unknown> = {}) =>
    ctx.audit.record({ actorId: c?.userId ?? null, actorRole: c?.role ?? null, actorScope: c?.regionCode ?? null, action, details });

  app.post('/api/v1/auth/login', {
    config: { auth: 'public', rateLimit: { max: ctx.config.loginRateLimitPerMinute, timeWindow: 60_000 } },
    schema: {
      tags: ['auth'], summary: '登录（浏览器获得 HttpOnly Cookie；API 客户端使用返回的 token 作为 Bearer）',
      // No control characters (a NUL byte cannot even reach PostgreSQL): refused as bad input, not a server error.
      body: z.strictObject({ username: z.string().min(1).max(64).regex(/^[^\p{Cc}]+$/u), password: z.string().min(1).max(256), client: z.enum(['browser', 'api']).optional() }),
      response: { 200: z.object({ user: userSchema, csrfToken: z.string(), token: z.string() }), ...errors },
    },
  }, async (req, reply) => {
    const kind = req.body.client === 'api' ? 'bearer' : 'cookie';
    try {
      const { caller, token } = await ctx.auth.login(req.body.username, req.body.password, kind);
      await audit(caller, 'auth.login');
      if (kind === 'cookie') {
        reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.protocol === 'https' });
      }
      return { user: userView(caller), csrfToken: caller.csrfToken, token };
    } catch (e) {
      if (e instanceof AppError) await audit(null, 'auth.login_failed', { username: req.body.username, code: e.code });
      throw e;
    }
  });

  app.post('/api/v1/auth/logout', {
    config: { auth: 'user' },
    schema: { tags: ['auth'], summary: '退出登录', response: { 204: z.null(), ...errors } },
  }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE] ?? req.headers.authorization?.replace(/^Bearer\s+/i, '');
    if (token) await ctx.auth.logout(token);
    await audit(req.caller, 'auth.logout');
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/v1/auth/me', {
    config: { auth: 'user' },
    schema: { tags: ['auth'], summary: '当前用户', response: { 200: z.object({ user: userSchema, csrfToken: z.string() }), ...errors } },
  }, async (req) => {
    const c = need(req.caller);
    return { user: userView(c), csrfToken: c.csrfToken };
  });

  const auditRow = z.object({
    seq: z.number(), at: z.string(), actorId: z.string().nullable(), actorRole: z.string().nullable(), actorScope: z.string().nullable(),
    action: z.string(), entityType: z.string().nullable(), entityId: z.string().nullable(), districtCode: z.string().nullable(),
    purpose: z.string().nullable(), details: z.unknown(), hash: z.string(),
  });
  app.get('/api/v1/audit', {
    config: { auth: 'audit.read' },
    schema: {
      tags: ['audit'], summary: '审计日志（读取本身也记入审计）',
      querystring: z.strictObject({
        entityId: z.string().max(64).optional(), actorId: z.string().uuid().optional(), action: z.string().max(64).optional(),
        beforeSeq: z.coerce.number().int().min(1).optional(), limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: { 200: z.object({ items: z.array(auditRow) }), ...errors },
    },
  }, async (req) => {
    const c = need(req.caller);
    const q = req.query;
    // Auditors see entries of their own region's people, and of staff within it.
    const scopeCond = c.scope === '*' || c.regionCode === ctx.regions.root.code
      ? sql`TRUE`
      : sql`(district_code LIKE ${c.scope.slice(0, 6) + '%'} OR actor_scope LIKE ${c.scope + '%'})`;
    const rows = await ctx.db.tx(async (tx) => {
      const r = await tx.rows<Record<string, unknown>>(sql`
        SELECT * FROM platform.audit_log
        WHERE ${scopeCond}
          ${q.entityId ? sql`AND entity_id = ${q.entityId}` : sql``}
          ${q.actorId ? sql`AND actor_id = ${q.actorId}::uuid` : sql``}
          ${q.action ? sql`AND action = ${q.action}` : sql``}
          ${q.beforeSeq ? sql`AND seq < ${q.beforeSeq}` : sql``}
        ORDER BY seq DESC LIMIT ${q.limit}`);
      await appendAudit(tx, [{ actorId: c.userId, actorRole: c.role, actorScope: c.regionCode, action: 'audit.read', details: { filters: q, count: r.length } }], ctx.clock());
      return r;
    }, { asAppRole: true, scope: c.scope });
    return {
      items: rows.map((r) => ({
        seq: Number(r.seq), at: new Date(r.at as string).toISOString(), actorId: r.actor_id as string | null, actorRole: r.actor_role as string | null,
        actorScope: r.actor_scope as string | null, action: r.action as string, entityType: r.entity_type as string | null,
        entityId: r.entity_id as string | null, districtCode: r.district_code as string | null, purpose: r.purpose as string | null,
        details: r.details, hash: r.hash as string,
      })),
    };
  });

  app.get('/api/v1/audit/verify', {
    config: { auth: 'audit.read' },
    schema: {
      tags: ['audit'], summary: '校验审计日志哈希链',
      response: { 200: z.object({ ok: z.boolean(), checked: z.number(), lastSeq: z.number(), problems: z.array(z.object({ seq: z.number(), kind: z.string(), message: z.string() })) }), ...errors },
    },
  }, async (req) => {
    const c = need(req.caller);
    const result = await verifyAudit(ctx.db);
    await audit(c, 'audit.verify', { ok: result.ok, checked: result.checked });
    return result;
  });

  app.get('/api/v1/messages', {
    config: { auth: 'messages.read' },
    schema: {
      tags: ['messages'], summary: '消息记录：平台通知老年人及家属的每一条消息（默认只记录；配置短信网关后同时发送）',
      querystring: z.strictObject({ personId: z.string().uuid().optional(), kind: z.string().regex(/^[a-z._]{1,40}$/).optional() }),
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), personId: z.string().nullable(), districtCode: z.string(), channel: z.string(), toMask: z.string().nullable(), kind: z.string(), title: z.string(), body: z.string(), status: z.string(), createdAt: z.string() })) }), ...errors },
    },
  }, async (req) => {
    const c = need(req.caller);
    const rows = await ctx.db.tx((q) => listMessages(q, req.query, MESSAGE_LIMIT), { scope: c.scope, asAppRole: true });
    await audit(c, 'messages.list', { count: rows.length });
    return { items: rows.map((m) => ({ id: m.id, personId: m.person_id, districtCode: m.district_code, channel: m.channel, toMask: m.to_mask, kind: m.kind, title: m.title, body: m.body, status: m.status, createdAt: m.created_at })) };
  });

  app.get('/api/v1/users', {
    config: { auth: 'users.manage' },
    schema: {
      tags: ['users'], summary: '用户列表',
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.string(), regionCode: z.string(), locked: z.boolean() })) }), ...errors },
    },
  }, async (req) => {
    const rows = await listUsers(ctx.db);
    await audit(req.caller, 'users.list');
    const now = ctx.clock();
    return { items: rows.map((u) => ({ id: u.id, username: u.username, displayName: u.display_name, role: u.role, regionCode: u.region_code, locked: Boolean(u.locked_until && new Date(u.locked_until) > now) })) };
  });

  app.post('/api/v1/users', {
    config: { auth: 'users.manage' },
    schema: {
      tags: ['users'], summary: '创建或更新用户',
      body: z.strictObject({
        username: z.string().regex(/^[a-z0-9._-]{3,64}$/), displayName: z.string().min(1).max(50), role: z.enum(ROLES),
        regionCode: z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/), password: z.string().min(10).max(256),
      }),
      response: { 201: z.object({ id: z.string() }), ...errors },
    },
  }, async (req, reply) => {
    const c = need(req.caller);
    if (!ctx.regions.get(req.body.regionCode)) throw new AppError('REGION_UNKNOWN', undefined, [{ path: 'regionCode', message: '行政区划代码不存在' }]);
    const id = await ctx.db.tx(async (q) => {
      const uid = await upsertUser(q, req.body);
      await appendAudit(q, [{ actorId: c.userId, actorRole: c.role, actorScope: c.regionCode, action: 'users.upsert', entityType: 'user', entityId: uid, details: { username: req.body.username, role: req.body.role, regionCode: req.body.regionCode } }], ctx.clock());
      return uid;
    });
    return reply.status(201).send({ id });
  });
}
