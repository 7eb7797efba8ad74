// Public read-only region tree and jurisdiction of this deployment.
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { AppContext } from '../platform/context.ts';
import { errorBodySchema, type ZApp } from '../platform/http.ts';

const region = z.object({ code: z.string(), name: z.string(), level: z.string(), parentCode: z.string().nullable() });

export function regionRoutes(app: ZApp, ctx: AppContext): void {
  const t = ctx.regions;
  app.get('/api/v1/jurisdiction', {
    config: { auth: 'public' },
    schema: {
      tags: ['regions'], summary: '本平台的辖区',
      response: { 200: z.object({ id: z.string(), name: z.string(), nameEn: z.string(), rootCode: z.string(), timezone: z.string() }) },
    },
  }, async () => {
    const j = ctx.jurisdiction;
    return { id: j.id, name: j.name, nameEn: j.nameEn, rootCode: j.rootCode, timezone: j.timezone };
  });

  app.get('/api/v1/regions', {
    config: { auth: 'public' },
    schema: {
      tags: ['regions'], summary: '下级行政区划（不带 parent 时为辖区的下一级）',
      querystring: z.strictObject({ parent: z.string().regex(/^\d{6,12}$/).optional(), q: z.string().max(30).optional() }),
      response: { 200: z.object({ items: z.array(region) }), 404: errorBodySchema },
    },
  }, async (req) => {
    const view = (r: { code: string; name: string; level: string; parentCode: string | null }) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parentCode });
    if (req.query.q) return { items: t.search(req.query.q, { limit: 30 }).filter((r) => !r.validTo).map(view) };
    const parent = req.query.parent ?? t.root.code;
    if (!t.get(parent)) throw new AppError('NOT_FOUND', '未找到该行政区划');
    const kids = t.children(parent);
    return { items: (kids.length === 0 && parent === t.root.code ? [t.root] : kids).map(view) };
  });

  app.get('/api/v1/regions/:code', {
    config: { auth: 'public' },
    schema: {
      tags: ['regions'], summary: '行政区划（旧代码解析到现行代码）',
      params: z.object({ code: z.string().regex(/^\d{6,12}$/) }),
      response: { 200: region.extend({ path: z.string().nullable(), resolvedFrom: z.string().nullable() }), 404: errorBodySchema },
    },
  }, async (req) => {
    const r = t.resolve(req.params.code);
    if (!r) throw new AppError('NOT_FOUND', '未找到该行政区划');
    return { code: r.code, name: r.name, level: r.level, parentCode: r.parentCode, path: t.pathNames(r.code), resolvedFrom: r.code === req.params.code ? null : req.params.code };
  });
}
