// HTTP surface of care delivery (issue 8): the caregiver register, care plans and orders,
// assignment, the caregiver's phone (day, sync, photos), the family's view and rating, the
// elder's confirmation code and home tag, call-backs, hospital stays, and the monthly LTCI claim
// with the insurer's review and export.
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { isValidLocalDate } from '../core/dates.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import { errorBodySchema, type ZApp } from '../platform/http.ts';
import { CAREGIVER_KINDS, CAREGIVER_STATUSES, LOCATION_STATUSES, QUALIFICATIONS } from './model.ts';
import { SERVICE_KINDS } from './policy.ts';
import type { CareServices } from './wiring.ts';
import { dayStartIso } from './visit-service.ts';

const tags = ['care'];
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, '无效的编号').transform((s) => s.toLowerCase());
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const loose = z.looseObject({});
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine(isValidLocalDate, '无效的日期');
const instant = z.string().datetime({ offset: true, message: '时间应为带时区的 ISO 8601 格式' });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '时间格式应为 HH:MM');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
const reason = z.string().trim().min(1, '请填写理由').max(500);
const point = z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), accuracy: z.number().min(0).max(100_000).nullable().optional() });
const itemCode = z.string().regex(/^[A-Z]\d{2}$/, '无效的服务项目编码');

const caregiverFields = {
  phone: z.string().regex(/^1\d{10}$/, '手机号码应为 11 位').nullable().optional(),
  kind: z.enum(CAREGIVER_KINDS),
  skillLevel: z.number().int().min(1).max(5).nullable().optional(),
  qualifications: z.array(z.enum(QUALIFICATIONS)).max(10).optional(),
  trainingHours: z.number().int().min(0).max(100_000).optional(),
  healthCertValidTo: localDate.nullable().optional(),
  backgroundCheck: z.enum(['pending', 'passed', 'failed']).optional(),
  backgroundCheckedOn: localDate.nullable().optional(),
  shiftStart: hhmm.optional(),
  shiftEnd: hhmm.optional(),
};
const slot = z.strictObject({ weekday: z.number().int().min(1).max(7), start: hhmm, minutes: z.number().int().min(10).max(480), kind: z.enum(SERVICE_KINDS) });
const planBody = { items: z.array(itemCode).min(1, '请至少选择一项服务项目').max(60), slots: z.array(slot).min(1, '请至少安排一次上门服务').max(21), validFrom: localDate, validTo: localDate.nullable().optional(), note: z.string().trim().max(500).nullable().optional() };
const syncOp = z.discriminatedUnion('kind', [
  z.strictObject({ id: uuid, kind: z.literal('check_in'), visitId: uuid, orderId: uuid, at: instant, location: point.nullable(), locationStatus: z.enum(LOCATION_STATUSES).optional(), mockLocation: z.boolean(), proof: z.strictObject({ kind: z.enum(['tag', 'elder_phone', 'card']), code: z.string().max(80) }).nullable() }),
  z.strictObject({ id: uuid, kind: z.literal('check_out'), visitId: uuid, at: instant, location: point.nullable(), locationStatus: z.enum(LOCATION_STATUSES).optional(), mockLocation: z.boolean(), items: z.array(z.string().trim().min(1).max(40)).max(60), note: z.string().max(1000).nullable() }),
  z.strictObject({ id: uuid, kind: z.literal('cancel'), visitId: uuid, at: instant, note: z.string().max(1000).nullable() }),
]);
const range = { from: localDate, to: localDate };

export function careRoutes(services: (ctx: AppContext) => CareServices) {
  return (app: ZApp, ctx: AppContext): void => {
    const { care, visits, claims } = services(ctx);
    const caller = (req: { caller: Caller | null }) => {
      if (!req.caller) throw new AppError('AUTH_REQUIRED');
      return req.caller;
    };
    const period = (q: { from: string; to: string }) => {
      if (q.to < q.from) throw new AppError('VALIDATION_FAILED', '结束日期早于开始日期');
      const end = new Date(Date.parse(dayStartIso(q.to)) + 86_400_000).toISOString();
      return { from: dayStartIso(q.from), to: end };
    };

    // ---------------------------------------------------------------- caregivers
    app.get('/api/v1/care/caregivers', {
      config: { auth: 'care.caregivers.read' },
      schema: {
        tags, summary: '护理员信息库检索（全市统一、可查询；机构只见本机构）：姓名、身份证号、资质、等级、状态',
        querystring: z.strictObject({ q: z.string().trim().max(20).optional(), idNumber: z.string().trim().max(20).optional(), status: z.enum(CAREGIVER_STATUSES).optional(), kind: z.enum(CAREGIVER_KINDS).optional(), qualification: z.enum(QUALIFICATIONS).optional(), minLevel: z.coerce.number().int().min(1).max(5).optional(), district: z.string().regex(/^\d{6}$/).optional(), providerId: uuid.optional(), page: z.coerce.number().int().min(1).max(10_000).optional(), pageSize: z.coerce.number().int().min(1).max(500).optional() }),
        response: { 200: z.looseObject({ total: z.number(), items: z.array(loose) }), ...errors },
      },
    }, async (req) => care.caregivers(caller(req), req.query));

    app.get('/api/v1/care/caregivers/stats', {
      config: { auth: 'care.caregivers.read' },
      schema: { tags, summary: '护理员统计（按区、类别、等级、状态；不含个人信息）', response: { 200: z.object({ items: z.array(loose) }), ...errors } },
    }, async (req) => care.caregiverStats(caller(req)));

    app.post('/api/v1/care/caregivers', {
      config: { auth: 'care.caregivers.manage' },
      schema: { tags, summary: '登记护理员（同一身份证号全市一条记录；已在他处登记的转入本机构）', body: z.strictObject({ providerId: uuid.optional(), name: z.string().trim().min(1, '请填写姓名').max(40), idNumber: z.string().trim().min(15).max(20), ...caregiverFields }), response: { 201: loose, ...errors } },
    }, async (req, reply) => {
      reply.code(201);
      return care.hire(caller(req), req.body);
    });

    app.get('/api/v1/care/caregivers/:id', {
      config: { auth: 'care.caregivers.read' },
      schema: { tags, summary: '一名护理员：资质、等级、培训、健康证、背景审查、任职经历', params: z.object({ id: uuid }), response: { 200: loose, ...errors } },
    }, async (req) => care.caregiver(caller(req), req.params.id));

    app.patch('/api/v1/care/caregivers/:id', {
      config: { auth: 'care.caregivers.manage' },
      schema: { tags, summary: '修改护理员资质、等级、培训、证件、工作时间或状态（离职则结束任职）', params: z.object({ id: uuid }), body: z.strictObject({ ...caregiverFields, kind: z.enum(CAREGIVER_KINDS).optional(), status: z.enum(CAREGIVER_STATUSES).optional(), statusReason: z.string().trim().max(200).nullable().optional() }), response: { 200: loose, ...errors } },
    }, async (req) => care.updateCaregiver(caller(req), req.params.id, req.body));

    app.post('/api/v1/care/caregivers/:id/account', {
      config: { auth: 'care.caregivers.manage' },
      schema: { tags, summary: '关联护理员的登录账号（手机端用此账号登录）', params: z.object({ id: uuid }), body: z.strictObject({ username: z.string().trim().min(1).max(64) }), response: { 200: loose, ...errors } },
    }, async (req) => care.linkAccount(caller(req), req.params.id, req.body.username));

    // ---------------------------------------------------------------- plans and orders
    app.get('/api/v1/care/entitlement/:personId', {
      config: { auth: 'care.read' },
      schema: { tags, summary: '老人的长护险居家照护待遇（每周时长、等级有效期）与建议的上门安排、服务项目清单', params: z.object({ personId: uuid }), response: { 200: loose, ...errors } },
    }, async (req) => care.entitlement(caller(req), req.params.personId));

    app.get('/api/v1/care/plans', {
      config: { auth: 'care.read' },
      schema: { tags, summary: '照护计划（家属：关联的老人；机构：本机构）', querystring: z.strictObject({ personId: uuid.optional(), providerId: uuid.optional(), status: z.enum(['draft', 'confirmed', 'ended', 'cancelled']).optional() }), response: { 200: z.object({ items: z.array(loose) }), ...errors } },
    }, async (req) => care.plans(caller(req), req.query));

    app.post('/api/v1/care/plans', {
      config: { auth: 'care.manage' },
      schema: { tags, summary: '机构拟定照护计划（按长护险待遇核对每周时长与服务项目）', body: z.strictObject({ personId: uuid, providerId: uuid.optional(), ...planBody }), response: { 201: loose, ...errors } },
    }, async (req, reply) => {
      reply.code(201);
      return care.draftPlan(caller(req), req.body);
    });

    app.get('/api/v1/care/plans/:id', {
      config: { auth: 'care.read' },
      schema: { tags, summary: '一份照护计划', params: z.object({ id: uuid }), response: { 200: loose, ...errors } },
    }, async (req) => care.plan(caller(req), req.params.id));

    app.put('/api/v1/care/plans/:id', {
      config: { auth: 'care.manage' },
      schema: { tags, summary: '修改草稿计划', params: z.object({ id: uuid }), body: z.strictObject(planBody), response: { 200: loose, ...errors } },
    }, async (req) => care.updatePlan(caller(req), req.params.id, req.body));

    app.post('/api/v1/care/plans/:id/confirm', {
      config: { auth: 'care.confirm' },
      schema: { tags, summary: '老人或家属确认照护计划（顾问、工作人员可代为登记）：计划生效并生成上门工单', params: z.object({ id: uuid }), response: { 200: loose, ...errors } },
    }, async (req) => care.confirmPlan(caller(req), req.params.id));

    app.post('/api/v1/care/plans/:id/end', {
      config: { auth: 'care.manage' },
      schema: { tags, summary: '结束照护计划（取消未开始的工单）', params: z.object({ id: uuid }), body: z.strictObject({ reason }), response: { 200: loose, ...errors } },
    }, async (req) => care.endPlan(caller(req), req.params.id, req.body.reason));

    app.get('/api/v1/care/orders', {
      config: { auth: 'care.read' },
      schema: { tags, summary: '上门工单（按日期范围；机构：本机构）', querystring: z.strictObject({ ...range, providerId: uuid.optional(), caregiverId: uuid.optional(), personId: uuid.optional() }), response: { 200: z.object({ items: z.array(loose) }), ...errors } },
    }, async (req) => care.orders(caller(req), { ...req.query, ...period(req.query) }));

    app.post('/api/v1/care/orders', {
      config: { auth: 'care.manage' },
      schema: { tags, summary: '自费服务工单（与长护险工单同一模型，不纳入长护险结算）', body: z.strictObject({ personId: uuid, providerId: uuid.optional(), kind: z.string().trim().min(1).max(40), items: z.array(z.string().max(40)).max(20), startsAt: instant, minutes: z.number().int().min(10).max(480), priceFenPerHour: z.number().int().min(0).max(1_000_000) }), response: { 201: loose, ...errors } },
    }, async (req, reply) => {
      reply.code(201);
      return care.createOrder(caller(req), req.body);
    });

    app.post('/api/v1/care/orders/assign', {
      config: { auth: 'care.manage' },
      schema: { tags, summary: '派单（可改时间；null 为撤回）：核对护理员在岗、证件与资质，并通知相关护理员', body: z.strictObject({ items: z.array(z.strictObject({ orderId: uuid, caregiverId: uuid.nullable(), startsAt: instant.optional() })).min(1).max(2000) }), response: { 200: loose, ...errors } },
    }, async (req) => care.assign(caller(req), req.body.items));

    app.post('/api/v1/care/orders/schedule', {
      config: { auth: 'care.manage' },
      schema: { tags, summary: '自动排班：把某日未开始的工单派给本机构在岗护理员（资质、工作时间、路途），说明每个安排，并给出每护理小时路途分钟', body: z.strictObject({ date: localDate, providerId: uuid.optional() }), response: { 200: loose, ...errors } },
    }, async (req) => care.autoSchedule(caller(req), req.body));

    // ---------------------------------------------------------------- the caregiver's phone
    app.get('/api/v1/care/my/day', {
      config: { auth: 'care.visit' },
      schema: { tags, summary: '护理员手机：某日（默认今天）的上门服务、路线提示、已记录内容及离线所需清单', querystring: z.strictObject({ date: localDate.optional() }), response: { 200: loose, ...errors } },
    }, async (req) => visits.myDay(caller(req), req.query.date));

    app.post('/api/v1/care/sync', {
      config: { auth: 'care.visit' },
      schema: { tags, summary: '同步手机离线记录（签到、签退、取消）：客户端生成编号，按顺序幂等执行，重复提交返回首次结果', body: z.strictObject({ deviceId: z.string().trim().min(1).max(100), ops: z.array(syncOp).max(500) }), response: { 200: z.object({ results: z.array(loose), serverTime: z.string() }), ...errors } },
    }, async (req) => visits.sync(caller(req), req.body.deviceId, req.body.ops));

    app.post('/api/v1/care/visits/:id/photos', {
      config: { auth: 'care.visit' },
      schema: { tags, summary: '上传服务照片（客户端生成编号，重复上传不重复保存）', params: z.object({ id: uuid }), body: z.strictObject({ id: uuid, mime: z.enum(['image/jpeg', 'image/png', 'image/webp']), dataBase64: z.string().min(1).max(3_000_000), takenAt: instant }), response: { 200: loose, ...errors } },
    }, async (req) => visits.addPhoto(caller(req), req.params.id, req.body));

    // ---------------------------------------------------------------- visits, family, evidence
    app.get('/api/v1/care/visits', {
      config: { auth: 'care.read' },
      schema: { tags, summary: '上门服务记录（家属：关联老人的实时记录；工作人员与医保：含异常标记）', querystring: z.strictObject({ ...range, personId: uuid.optional(), providerId: uuid.optional(), caregiverId: uuid.optional(), flagged: z.enum(['true', 'false']).optional() }), response: { 200: z.object({ items: z.array(loose) }), ...errors } },
    }, async (req) => visits.visits(caller(req), { ...req.query, ...period(req.query), flagged: req.query.flagged === 'true' }));

    app.post('/api/v1/care/visits/:id/rating', {
      config: { auth: 'care.family' },
      schema: { tags, summary: '家属为一次服务评价（1–5 星）', params: z.object({ id: uuid }), body: z.strictObject({ stars: z.number().int().min(1, '请选择 1–5 星').max(5), comment: z.string().trim().max(500).nullable().optional() }), response: { 200: loose, ...errors } },
    }, async (req) => visits.rate(caller(req), req.params.id, req.body));

    app.get('/api/v1/care/elder-code/:personId', {
      config: { auth: 'care.family' },
      schema: { tags, summary: '老人手机上的服务确认码（护理员签到时输入）', params: z.object({ personId: uuid }), response: { 200: loose, ...errors } },
    }, async (req) => visits.elderCode(caller(req), req.params.personId));

    app.get('/api/v1/care/home-tag/:personId', {
      config: { auth: 'care.manage' },
      schema: { tags, summary: '打印入户码（二维码内容与本期号码；到期须重新打印张贴）', params: z.object({ personId: uuid }), response: { 200: loose, ...errors } },
    }, async (req) => visits.homeTag(caller(req), req.params.personId));

    app.post('/api/v1/care/absences', {
      config: { auth: 'care.verify' },
      schema: { tags, summary: '登记住院期间（期间的上门记录将被标记）', body: z.strictObject({ personId: uuid, from: localDate, to: localDate.nullable(), source: z.string().trim().min(1).max(100) }), response: { 201: loose, ...errors } },
    }, async (req, reply) => {
      reply.code(201);
      return visits.recordAbsence(caller(req), req.body);
    });

    app.post('/api/v1/care/callbacks/draw', {
      config: { auth: 'care.verify' },
      schema: { tags, summary: '按比例随机抽取已完成的服务进行电话回访（种子记入审计日志）', body: z.strictObject({ ...range, seed: z.number().int().min(0).max(2 ** 31 - 1) }), response: { 200: loose, ...errors } },
    }, async (req) => visits.drawCallbacks(caller(req), { ...period(req.body), seed: req.body.seed }));

    app.get('/api/v1/care/callbacks', {
      config: { auth: 'care.verify.read' },
      schema: { tags, summary: '回访清单', querystring: z.strictObject({ open: z.enum(['true', 'false']).optional() }), response: { 200: z.object({ items: z.array(loose) }), ...errors } },
    }, async (req) => visits.callbacks(caller(req), req.query.open !== 'false'));

    app.post('/api/v1/care/callbacks/:id', {
      config: { auth: 'care.verify' },
      schema: { tags, summary: '记录回访结果（确认、否认、未接通）', params: z.object({ id: uuid }), body: z.strictObject({ outcome: z.enum(['confirmed', 'denied', 'unreached']), answer: z.string().trim().max(500).nullable().optional() }), response: { 200: loose, ...errors } },
    }, async (req) => visits.answerCallback(caller(req), req.params.id, req.body));

    // ---------------------------------------------------------------- claims
    app.get('/api/v1/care/claims', {
      config: { auth: 'care.claims.read' },
      schema: { tags, summary: '长护险月度结算申报', querystring: z.strictObject({ month: month.optional(), providerId: uuid.optional(), status: z.enum(['submitted', 'in_review', 'decided', 'closed']).optional() }), response: { 200: z.object({ items: z.array(loose) }), ...errors } },
    }, async (req) => claims.claims(caller(req), req.query));

    app.post('/api/v1/care/claims', {
      config: { auth: 'care.claims.submit' },
      schema: { tags, summary: '生成并提交某机构某月的长护险结算申报（由服务记录按结算规则计算，并抽取审核样本）', body: z.strictObject({ providerId: uuid.optional(), month }), response: { 201: loose, ...errors } },
    }, async (req, reply) => {
      reply.code(201);
      return claims.build(caller(req), req.body);
    });

    app.get('/api/v1/care/claims/:id', {
      config: { auth: 'care.claims.read' },
      schema: { tags, summary: '一份结算申报及明细（抽查明细在前），每个数字附说明', params: z.object({ id: uuid }), querystring: z.strictObject({ sampled: z.enum(['true', 'false']).optional() }), response: { 200: loose, ...errors } },
    }, async (req) => claims.claim(caller(req), req.params.id, { sampledOnly: req.query.sampled === 'true' }));

    app.post('/api/v1/care/claims/:id/decisions', {
      config: { auth: 'care.claims.review' },
      schema: { tags, summary: '医保审核：核准或拒付明细（拒付须填写理由）', params: z.object({ id: uuid }), body: z.strictObject({ items: z.array(z.strictObject({ visitId: uuid, decision: z.enum(['approved', 'rejected']), reason: z.string().trim().max(500).nullable().optional() })).min(1).max(5000) }), response: { 200: loose, ...errors } },
    }, async (req) => claims.decide(caller(req), req.params.id, req.body.items));

    app.post('/api/v1/care/claims/:id/finish', {
      config: { auth: 'care.claims.review' },
      schema: { tags, summary: '结束审核：抽查明细须全部审核，其余按结算结果核准', params: z.object({ id: uuid }), response: { 200: loose, ...errors } },
    }, async (req) => claims.finish(caller(req), req.params.id));

    app.post('/api/v1/care/claims/:id/appeals', {
      config: { auth: 'care.claims.submit' },
      schema: { tags, summary: '机构对拒付明细申诉', params: z.object({ id: uuid }), body: z.strictObject({ visitId: uuid, text: reason }), response: { 200: loose, ...errors } },
    }, async (req) => claims.appeal(caller(req), req.params.id, req.body.visitId, req.body.text));

    app.post('/api/v1/care/claims/:id/appeals/decide', {
      config: { auth: 'care.claims.review' },
      schema: { tags, summary: '医保处理申诉：维持拒付或改判核准', params: z.object({ id: uuid }), body: z.strictObject({ visitId: uuid, decision: z.enum(['upheld', 'overturned']), note: reason }), response: { 200: loose, ...errors } },
    }, async (req) => claims.decideAppeal(caller(req), req.params.id, req.body.visitId, req.body));

    app.get('/api/v1/care/claims/:id/export', {
      config: { auth: 'care.claims.read' },
      schema: { tags, summary: '导出结算申报（Excel：汇总与明细）', params: z.object({ id: uuid }) },
    }, async (req, reply) => {
      const f = await claims.export(caller(req), req.params.id);
      return reply.type(f.contentType).header('content-disposition', `attachment; filename="claim.xlsx"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`).send(f.body);
    });
  };
}
