// The HTTP server: Fastify with zod as the single source of validation, types and OpenAPI.
// buildApp() builds it without listening (tests use inject()); `yiyang serve` listens.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, {
  LogController,
  type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest,
  type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault,
} from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode, type ErrorKind } from '../core/errors.ts';
import type { Caller } from './auth.ts';
import { sql } from './db.ts';
import type { AppContext } from './context.ts';
import { httpMetrics, metricsText } from './metrics.ts';
import { can, type RouteAuth } from './permissions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
}

export const SESSION_COOKIE = 'yy_session';

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported: 415,
  locked: 423,
  rate_limited: 429,
  internal: 500,
};

/** The one mapping from error code to HTTP status (CONVENTIONS §20). */
export const statusOf = (code: ErrorCode): number => STATUS[ERROR_CODES[code].kind];

export interface RouteInfo {
  method: string;
  url: string;
  auth: RouteAuth;
}

export type App = FastifyInstance;
export type ZApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
});

function sendError(reply: FastifyReply, e: AppError): FastifyReply {
  return reply.status(statusOf(e.code)).type('application/json').send(e.toBody());
}

function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    return new AppError(
      'VALIDATION_FAILED',
      undefined,
      err.validation.map((v) => ({
        path: `${v.instancePath.replace(/^\//, '').replace(/\//g, '.')}`,
        message: zhIssue({ code: v.keyword, message: v.message ?? '', keys: (v.params as { keys?: string[] }).keys }),
      })),
    );
  }
  const e = err as { code?: string; statusCode?: number; validation?: unknown };
  switch (e.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('BODY_MALFORMED');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('BODY_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('MEDIA_TYPE_UNSUPPORTED');
    default:
  }
  if (e.statusCode === 429) return new AppError('RATE_LIMITED');
  if (e.statusCode === 400 || e.validation) return new AppError('VALIDATION_FAILED');
  if (e.statusCode === 404) return new AppError('ROUTE_NOT_FOUND');
  return null;
}

/** A short Chinese message for a zod issue: the schema's own message when it is Chinese, else one by the issue's code. */
export function zhIssue(issue: { code: string; message: string; keys?: string[] } | undefined): string {
  if (issue && /\p{Script=Han}/u.test(issue.message)) return issue.message;
  switch (issue?.code) {
    case 'invalid_type':
      return '类型不正确或缺少该字段';
    case 'unrecognized_keys':
      return `不允许的字段：${(issue.keys ?? []).join('、')}`;
    case 'too_small':
      return '值太小或太短';
    case 'too_big':
      return '值太大或太长';
    case 'invalid_format':
    case 'invalid_string':
      return '格式不正确';
    case 'invalid_value':
    case 'invalid_enum_value':
      return '不是允许的取值';
    default:
      return issue?.message ?? '取值无效';
  }
}

function tokenOf(req: FastifyRequest): { token: string; kind: 'cookie' | 'bearer' } | null {
  const h = req.headers.authorization;
  if (h && /^Bearer\s+/i.test(h)) return { token: h.replace(/^Bearer\s+/i, '').trim(), kind: 'bearer' };
  const c = req.cookies?.[SESSION_COOKIE];
  return c ? { token: c, kind: 'cookie' } : null;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type ModulePlugin = (app: ZApp, ctx: AppContext) => Promise<void> | void;

export interface BuildOptions {
  /** Folder of the built web front end; omitted = no static files. */
  webDir?: string | null;
  modules: ModulePlugin[];
}

/** Build the Fastify app (not listening). */
export async function buildApp(ctx: AppContext, opts: BuildOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: ctx.config.bodyLimitBytes,
    trustProxy: false,
    genReqId: () => Math.random().toString(36).slice(2, 10),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('caller', null);

  // Every /api route declares how it is protected; a route without a rule cannot start.
  const routes: RouteInfo[] = [];
  app.decorate('routeTable', routes);
  app.addHook('onRoute', (r) => {
    if (!r.url.startsWith('/api/')) return;
    const auth = (r.config as { auth?: RouteAuth } | undefined)?.auth;
    if (!auth) throw new Error(`route ${String(r.method)} ${r.url} declares no auth rule`);
    for (const m of [r.method].flat()) if (m !== 'HEAD') routes.push({ method: m, url: r.url, auth });
  });

  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Yiyang 颐养 API',
        version: '1',
        description: '城市社会养老服务体系平台接口。错误返回 { "error": { "code", "message", "details" } }。',
      },
      components: {
        securitySchemes: {
          cookie: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ cookie: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const auth = req.routeOptions.config?.auth;
    if (!auth) return; // unknown route: the not-found handler answers
    const t = tokenOf(req);
    if (t) {
      try {
        req.caller = await ctx.auth.authenticate(t.token);
      } catch (e) {
        if (auth !== 'public') throw e;
      }
    }
    if (auth === 'public') return;
    if (!req.caller) throw new AppError('AUTH_REQUIRED');
    if (req.caller.sessionKind === 'cookie' && !SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== req.caller.csrfToken) throw new AppError('AUTH_CSRF_FAILED');
    }
    if (auth !== 'user' && !can(req.caller.role, auth)) throw new AppError('AUTH_FORBIDDEN');
  });

  const metrics = httpMetrics();
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unknown';
    metrics.observe(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    // Log the route pattern, never the URL: query strings can hold names and ID numbers.
    req.log.info({ method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler((err, req, reply) => {
    const known = toAppError(err);
    if (known) return sendError(reply, known);
    req.log.error({ err: { message: (err as Error).message, code: (err as { code?: string }).code, stack: (err as Error).stack } }, 'unhandled error');
    return sendError(reply, new AppError('INTERNAL'));
  });

  const zapp = app.withTypeProvider<ZodTypeProvider>();
  zapp.get('/api/v1/health', {
    config: { auth: 'public' },
    schema: { tags: ['platform'], summary: '健康检查', response: { 200: z.object({ status: z.literal('ok') }) } },
  }, async () => {
    await ctx.db.one(sql`SELECT 1`);
    return { status: 'ok' as const };
  });
  app.get('/metrics', async (_req, reply) => {
    const m = await metricsText();
    return reply.type(m.contentType).send(m.body);
  });
  app.get('/api/v1/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  for (const m of opts.modules) await m(zapp, ctx);

  const webDir = opts.webDir;
  const hasWeb = webDir ? existsSync(join(webDir, 'index.html')) : false;
  if (hasWeb && webDir) {
    await app.register(fastifyStatic, { root: webDir, wildcard: true, index: ['index.html'] });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (hasWeb && req.method === 'GET' && !path.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(path)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendError(reply, new AppError('ROUTE_NOT_FOUND'));
  });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteInfo[];
  }
}
