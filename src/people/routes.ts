// HTTP surface of the people register under /api/v1/people. zod schemas here are the single
// source of validation, types and the OpenAPI document.
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { AppContext } from '../platform/context.ts';
import { errorBodySchema, type ZApp } from '../platform/http.ts';
import { ECONOMIC_STATUSES, INSURANCE_TYPES, LIVING_ARRANGEMENTS, SEXES } from './model.ts';
import { TEMPLATE_HEADERS } from './importer.ts';
import { PeopleService } from './service.ts';

const tags = ['people'];
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, '无效的编号');
const regionCode = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, '行政区划代码应为 6、9 或 12 位数字');
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

const summary = z.object({
  id: z.string(), name: z.string(), idNumberMasked: z.string(), sex: z.enum(SEXES), birthDate: z.string(), age: z.number().int(),
  districtCode: z.string(), districtName: z.string().nullable(), streetCode: z.string().nullable(), streetName: z.string().nullable(),
  livingArrangement: z.string(), economicStatus: z.string(), insuranceType: z.string(), deceased: z.boolean(), version: z.number().int(),
});
const detail = summary.extend({
  hukouDistrictCode: z.string().nullable(), hukouDistrictName: z.string().nullable(), committeeCode: z.string().nullable(),
  committeeName: z.string().nullable(), regionPath: z.string().nullable(), address: z.string().nullable(), lat: z.number().nullable(),
  lon: z.number().nullable(), phoneMasked: z.string().nullable(), disability: z.string().nullable(),
  contacts: z.array(z.object({ name: z.string(), relation: z.string(), phoneMasked: z.string() })),
  consents: z.array(z.object({ kind: z.string(), granted: z.boolean(), at: z.string() })),
  deathDate: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(), deletedAt: z.string().nullable(), deletedReason: z.string().nullable(),
});

const contact = z.strictObject({ name: z.string().max(50), relation: z.string().max(20), phone: z.string().max(20) });
const personFields = {
  name: z.string().min(1).max(50),
  idNumber: z.string().min(15).max(20),
  birthDate: z.string().max(10).nullable().optional(),
  sex: z.enum(SEXES).nullable().optional(),
  hukouDistrictCode: z.string().regex(/^\d{6}$/).nullable().optional(),
  regionCode,
  address: z.string().max(200).nullable().optional(),
  lat: z.number().min(-90).max(90).nullable().optional(),
  lon: z.number().min(-180).max(180).nullable().optional(),
  insuranceType: z.enum(INSURANCE_TYPES).nullable().optional(),
  economicStatus: z.enum(ECONOMIC_STATUSES).nullable().optional(),
  livingArrangement: z.enum(LIVING_ARRANGEMENTS).nullable().optional(),
  disability: z.string().max(200).nullable().optional(),
  phone: z.string().max(20).nullable().optional(),
  contacts: z.array(contact).max(10).optional(),
  deathDate: z.string().max(10).nullable().optional(),
};
const createBody = z.strictObject(personFields);
const updateBody = z.strictObject({ version: z.number().int().min(1), ...Object.fromEntries(Object.entries(personFields).map(([k, v]) => [k, v.optional()])) } as { version: z.ZodNumber } & { [K in keyof typeof personFields]: z.ZodOptional<(typeof personFields)[K]> });

const filters = {
  q: z.string().max(50).optional(),
  districtCode: z.string().regex(/^\d{6}$/).optional(),
  streetCode: z.string().regex(/^\d{9}$/).optional(),
  insuranceType: z.enum(INSURANCE_TYPES).optional(),
  economicStatus: z.enum(ECONOMIC_STATUSES).optional(),
  livingArrangement: z.enum(LIVING_ARRANGEMENTS).optional(),
  ageMin: z.coerce.number().int().min(0).max(150).optional(),
  ageMax: z.coerce.number().int().min(0).max(150).optional(),
  includeDeleted: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
};

const personLink = z.object({
  userId: z.string(), username: z.string(), displayName: z.string(), relation: z.enum(['self', 'family']), relationName: z.string(),
  disabled: z.boolean(), linkedAt: z.string(), linkedBy: z.string().nullable(),
});

/** Register the people routes. */
export function peopleRoutes(app: ZApp, ctx: AppContext): void {
  const svc = new PeopleService(ctx);
  registerRawUpload(app);
  const caller = (req: { caller: import('../platform/auth.ts').Caller | null }) => {
    if (!req.caller) throw new AppError('AUTH_REQUIRED');
    return req.caller;
  };

  app.get('/api/v1/people', {
    config: { auth: 'people.read' },
    schema: {
      tags, summary: '查询人员名册（键集分页）',
      querystring: z.strictObject({ ...filters, limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(100).optional() }),
      response: { 200: z.object({ items: z.array(summary), nextCursor: z.string().nullable() }), ...errors },
    },
  }, async (req) => {
    const { limit, cursor, ...q } = req.query;
    return svc.list(caller(req), q, limit, cursor ?? null);
  });

  app.post('/api/v1/people', {
    config: { auth: 'people.write' },
    schema: { tags, summary: '登记人员', body: createBody, response: { 201: detail, ...errors } },
  }, async (req, reply) => reply.status(201).send(await svc.create(caller(req), req.body)));

  app.get('/api/v1/people/import/template.csv', {
    config: { auth: 'people.import' },
    schema: { tags, summary: '导入模板（CSV，UTF-8 带 BOM）' },
  }, async (_req, reply) => {
    const example = ['张三', '310115195001010012', '男', '1950-01-01', '浦东新区', '浦东新区', '潍坊新村街道', '', '示例路 1 号', '职工医保', '无', '独居', '', '13800000000', ''];
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="people-template.csv"; filename*=UTF-8''${encodeURIComponent('人员导入模板.csv')}`)
      .send('\uFEFF' + TEMPLATE_HEADERS.join(',') + '\r\n' + example.join(',') + '\r\n');
  });

  app.post('/api/v1/people/import', {
    config: { auth: 'people.import' },
    bodyLimit: ctx.config.importLimitBytes,
    schema: {
      tags, summary: '批量导入（CSV 或 XLSX，请求体为文件原始内容）',
      querystring: z.strictObject({ fileName: z.string().min(1).max(200) }),
      response: {
        200: z.object({
          batchId: z.string(), fileName: z.string(), encoding: z.string(), total: z.number(), created: z.number(), updated: z.number(),
          unchanged: z.number(), rejected: z.number(),
          errors: z.array(z.object({ row: z.number(), field: z.string(), message: z.string() })),
          warnings: z.array(z.object({ row: z.number(), field: z.string(), message: z.string() })),
        }),
        ...errors,
      },
    },
  }, async (req) => {
    if (!Buffer.isBuffer(req.body)) throw new AppError('MEDIA_TYPE_UNSUPPORTED', '请以 application/octet-stream 上传文件内容');
    return svc.importFile(caller(req), req.query.fileName, req.body);
  });

  app.get('/api/v1/people/export', {
    config: { auth: 'people.export' },
    schema: {
      tags, summary: '导出筛选结果为 XLSX（身份证号默认脱敏）',
      querystring: z.strictObject({ ...filters, reveal: z.enum(['true', 'false']).optional(), purpose: z.string().min(2).max(200).optional() }),
    },
  }, async (req, reply) => {
    const { reveal, purpose, ...q } = req.query;
    if (reveal === 'true' && !purpose) throw new AppError('VALIDATION_FAILED', '导出完整身份证号须填写用途', [{ path: 'purpose', message: '请填写用途' }]);
    const buf = await svc.exportXlsx(caller(req), q, reveal === 'true' ? { purpose: purpose! } : null);
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="people.xlsx"; filename*=UTF-8''${encodeURIComponent('人员名册.xlsx')}`)
      .send(buf);
  });

  app.get('/api/v1/people/:id', {
    config: { auth: 'people.read' },
    schema: { tags, summary: '人员详情', params: z.object({ id: uuid }), response: { 200: detail, ...errors } },
  }, async (req) => svc.get(caller(req), req.params.id));

  app.patch('/api/v1/people/:id', {
    config: { auth: 'people.write' },
    schema: { tags, summary: '修改人员信息（乐观并发：须带 version）', params: z.object({ id: uuid }), body: updateBody, response: { 200: detail, ...errors } },
  }, async (req) => {
    const { version, ...input } = req.body;
    return svc.update(caller(req), req.params.id, version, input);
  });

  app.delete('/api/v1/people/:id', {
    config: { auth: 'people.delete' },
    schema: {
      tags, summary: '注销人员记录（软删除，须说明原因）', params: z.object({ id: uuid }),
      body: z.strictObject({ version: z.number().int().min(1), reason: z.string().min(2).max(200) }),
      response: { 204: z.null(), ...errors },
    },
  }, async (req, reply) => {
    await svc.remove(caller(req), req.params.id, req.body.version, req.body.reason);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/people/:id/history', {
    config: { auth: 'people.read' },
    schema: {
      tags, summary: '变更历史', params: z.object({ id: uuid }),
      response: { 200: z.object({ items: z.array(z.object({ version: z.number(), at: z.string(), actor: z.string().nullable(), action: z.string(), reason: z.string().nullable(), changes: z.unknown() })) }), ...errors },
    },
  }, async (req) => svc.history(caller(req), req.params.id));

  app.post('/api/v1/people/:id/reveal', {
    config: { auth: 'people.reveal' },
    schema: {
      tags, summary: '查看完整身份证号（须说明用途，记入审计）', params: z.object({ id: uuid }),
      body: z.strictObject({ purpose: z.string().min(2).max(200) }), response: { 200: z.object({ idNumber: z.string() }), ...errors },
    },
  }, async (req) => svc.reveal(caller(req), req.params.id, req.body.purpose));

  app.get('/api/v1/people/:id/notifications', {
    config: { auth: 'people.read' },
    schema: {
      tags, summary: '已发给本人的通知（评估结果等）', params: z.object({ id: uuid }),
      response: {
        200: z.object({ items: z.array(z.object({ id: z.string(), kind: z.string(), title: z.string(), body: z.string(), createdAt: z.string(), readAt: z.string().nullable() })) }),
        ...errors,
      },
    },
  }, async (req) => svc.notifications(caller(req), req.params.id));

  app.post('/api/v1/people/:id/consents', {
    config: { auth: 'people.write' },
    schema: {
      tags, summary: '记录授权同意', params: z.object({ id: uuid }),
      body: z.strictObject({ kind: z.string().min(1).max(50), granted: z.boolean() }), response: { 204: z.null(), ...errors },
    },
  }, async (req, reply) => {
    await svc.addConsent(caller(req), req.params.id, req.body.kind, req.body.granted);
    return reply.status(204).send(null);
  });

  app.get('/api/v1/people/:id/links', {
    config: { auth: 'people.read' },
    schema: {
      tags, summary: '关联的居民账号（本人或家属；记入审计）', params: z.object({ id: uuid }),
      response: { 200: z.object({ items: z.array(personLink) }), ...errors },
    },
  }, async (req) => svc.links(caller(req), req.params.id));

  app.post('/api/v1/people/:id/links', {
    config: { auth: 'people.write' },
    schema: {
      tags, summary: '关联居民账号（核实关系后由社区顾问或民政工作人员办理；同一账号再次关联返回已有关联）', params: z.object({ id: uuid }),
      body: z.strictObject({
        username: z.string().trim().min(1, '请填写居民账号').max(100, '居民账号过长').regex(/^\P{Cc}*$/u, '居民账号含有不允许的字符'),
        relation: z.enum(['self', 'family'], { message: '关系应为本人（self）或家属（family）' }),
      }),
      response: { 201: personLink, 200: personLink, ...errors },
    },
  }, async (req, reply) => {
    const r = await svc.link(caller(req), req.params.id, req.body);
    return reply.status(r.created ? 201 : 200).send(r.link);
  });

  app.delete('/api/v1/people/:id/links/:userId', {
    config: { auth: 'people.write' },
    schema: {
      tags, summary: '解除居民账号的关联', params: z.object({ id: uuid, userId: uuid }),
      response: { 204: z.null(), ...errors },
    },
  }, async (req, reply) => {
    await svc.unlink(caller(req), req.params.id, req.params.userId.toLowerCase());
    return reply.status(204).send(null);
  });
}

/** Content-type parser for raw file uploads (CSV/XLSX bodies). */
export function registerRawUpload(app: ZApp): void {
  app.addContentTypeParser(['application/octet-stream', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}

export { PeopleService };
