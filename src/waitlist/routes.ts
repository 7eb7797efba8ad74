// HTTP surface of the waiting list (issue 7): the published rules and choosable facilities
// (public), applications and offers (citizens for linked people, advisors and officers in scope),
// the officer's overview, runs and dry runs.
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { isValidLocalDate } from '../core/dates.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import { errorBodySchema, type ZApp } from '../platform/http.ts';
import { APPLICATION_STATUSES, PRIORITY_KEYS } from './model.ts';
import type { PriorityKey } from './allocate.ts';
import { WaitlistService, type WaitlistPorts } from './service.ts';

const tags = ['waitlist'];
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, '无效的编号');
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const loose = z.looseObject({ id: z.string() });
const reason = z.string().trim().min(1, '请填写原因').max(200);
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine(isValidLocalDate, '无效的日期');
const choicesBody = {
  mode: z.enum(['choices', 'radius']),
  choices: z.array(uuid).max(20).optional(),
  radiusKm: z.number().positive('距离应大于 0').max(100).optional(),
  origin: z.strictObject({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90), label: z.string().trim().min(1).max(80) }).optional(),
  note: z.string().trim().max(500).nullable().optional(),
};

export function waitlistRoutes(service: (ctx: AppContext) => WaitlistService) {
  return (app: ZApp, ctx: AppContext): void => {
    const svc = service(ctx);
    const caller = (req: { caller: Caller | null }) => {
      if (!req.caller) throw new AppError('AUTH_REQUIRED');
      return req.caller;
    };

    app.get('/api/v1/waitlist/rules', {
      config: { auth: 'public' },
      schema: { tags, summary: '保基本养老床位轮候规则（由现行参数生成的公开文本、优先层级、参数及出处）', response: { 200: z.looseObject({ order: z.array(z.string()), tiers: z.array(z.string()), offers: z.array(z.string()) }) } },
    }, async () => svc.publishedRules());

    app.get('/api/v1/waitlist/facilities', {
      config: { auth: 'public' },
      schema: { tags, summary: '可选择的保基本床位机构：床位数、当前空床、轮候人数', response: { 200: z.object({ items: z.array(z.looseObject({ id: z.string(), name: z.string() })) }) } },
    }, async () => svc.choosable());

    app.post('/api/v1/waitlist/applications', {
      config: { auth: 'waitlist.apply' },
      schema: { tags, summary: '申请轮候（本人、家属或养老顾问代办）：最多若干家机构排序，或某地址一定距离内均可', body: z.strictObject({ personId: uuid, ...choicesBody }), response: { 201: loose, ...errors } },
    }, async (req, reply) => {
      reply.code(201);
      return svc.apply(caller(req), req.body);
    });

    app.get('/api/v1/waitlist/applications', {
      config: { auth: 'waitlist.read' },
      schema: {
        tags, summary: '本辖区轮候申请（按排序）',
        querystring: z.strictObject({ status: z.enum(APPLICATION_STATUSES).optional(), district: z.string().regex(/^\d{6}$/).optional(), tier: z.coerce.number().int().min(1).max(9).optional(), facilityId: uuid.optional(), personId: uuid.optional(), page: z.coerce.number().int().min(1).max(10_000).optional() }),
        response: { 200: z.looseObject({ total: z.number(), items: z.array(loose) }), ...errors },
      },
    }, async (req) => svc.list(caller(req), req.query));

    app.get('/api/v1/waitlist/mine', {
      config: { auth: 'waitlist.apply' },
      schema: { tags, summary: '我的轮候：本人及关联家属的申请、各志愿的排位、入住通知；以及关联的老人是否符合轮候条件', response: { 200: z.object({ items: z.array(loose), people: z.array(z.looseObject({ personId: z.string(), eligible: z.boolean() })) }), ...errors } },
    }, async (req) => svc.mine(caller(req)));

    app.get('/api/v1/waitlist/applications/:id', {
      config: { auth: 'waitlist.view' },
      schema: { tags, summary: '一份轮候申请：各志愿的排位、前面的人数（按层级）、预计等待、通知与历史', params: z.object({ id: uuid }), response: { 200: loose, ...errors } },
    }, async (req) => svc.get(caller(req), req.params.id));

    app.put('/api/v1/waitlist/applications/:id', {
      config: { auth: 'waitlist.apply' },
      schema: { tags, summary: '修改志愿（排序时间不变）', params: z.object({ id: uuid }), body: z.strictObject(choicesBody), response: { 200: loose, ...errors } },
    }, async (req) => svc.change(caller(req), req.params.id, req.body));

    app.post('/api/v1/waitlist/applications/:id/pause', {
      config: { auth: 'waitlist.apply' },
      schema: { tags, summary: '暂停轮候（如住院），可设恢复日期；暂停期间不参与分配，排序保留', params: z.object({ id: uuid }), body: z.strictObject({ reason, until: localDate.nullable().optional() }), response: { 200: loose, ...errors } },
    }, async (req) => svc.pause(caller(req), req.params.id, req.body.until ?? null, req.body.reason));

    app.post('/api/v1/waitlist/applications/:id/resume', {
      config: { auth: 'waitlist.apply' },
      schema: { tags, summary: '恢复轮候', params: z.object({ id: uuid }), response: { 200: loose, ...errors } },
    }, async (req) => svc.resume(caller(req), req.params.id));

    app.post('/api/v1/waitlist/applications/:id/withdraw', {
      config: { auth: 'waitlist.apply' },
      schema: { tags, summary: '撤回申请（有待答复的入住通知时一并取消，床位退回）', params: z.object({ id: uuid }), body: z.strictObject({ reason }), response: { 200: loose, ...errors } },
    }, async (req) => svc.withdraw(caller(req), req.params.id, req.body.reason));

    app.post('/api/v1/waitlist/offers/:id/accept', {
      config: { auth: 'waitlist.apply' },
      schema: { tags, summary: '接受入住通知：床位由预留转为入住', params: z.object({ id: uuid }), response: { 200: loose, ...errors } },
    }, async (req) => svc.accept(caller(req), req.params.id));

    app.post('/api/v1/waitlist/offers/:id/decline', {
      config: { auth: 'waitlist.apply' },
      schema: { tags, summary: '放弃入住通知：床位退回下一次分配；放弃次数按规则计算', params: z.object({ id: uuid }), body: z.strictObject({ reason }), response: { 200: loose, ...errors } },
    }, async (req) => svc.decline(caller(req), req.params.id, req.body.reason));

    app.get('/api/v1/waitlist/overview', {
      config: { auth: 'waitlist.read' },
      schema: { tags, summary: '轮候概况：各区、各层级人数，最近的分配及其公平性检查', response: { 200: z.looseObject({ queue: z.array(z.unknown()), runs: z.array(z.unknown()) }), ...errors } },
    }, async (req) => svc.overview(caller(req)));

    app.get('/api/v1/waitlist/report', {
      config: { auth: 'waitlist.read' },
      schema: {
        tags, summary: '轮候报告：按层级、按区的等待时间（仍在等待/已入住），每月入住，通知结果，床位周转（空出到再次入住的天数），有人等待却空着的床位，分配的公平性检查',
        response: { 200: z.looseObject({ byTier: z.array(z.unknown()), byDistrict: z.array(z.unknown()), turnover: z.looseObject({}), idle: z.array(z.unknown()) }), ...errors },
      },
    }, async (req) => svc.report(caller(req)));

    app.post('/api/v1/waitlist/simulations', {
      config: { auth: 'waitlist.run' },
      schema: {
        tags, summary: '规则模拟：用过去一年实际空出的床位重放轮候，比较现行规则与改动后（排序、积分、新增机构）各层级、各区的入住与等待',
        body: z.strictObject({
          order: z.array(z.enum(PRIORITY_KEYS as unknown as [PriorityKey, ...PriorityKey[]])).min(1).max(5).optional(),
          points: z.array(z.strictObject({ fact: z.enum(['livingAlone', 'age80', 'dementia', 'grade']), equals: z.union([z.boolean(), z.number()]).optional(), atLeast: z.number().optional(), points: z.number().min(-100).max(100), label: z.string().trim().min(1).max(40) })).max(10).optional(),
          newFacility: z.strictObject({ name: z.string().trim().min(1).max(60), districtCode: z.string().regex(/^\d{6}$/, '应为区代码'), beds: z.number().int().min(1).max(5000), turnoverPerYear: z.number().min(0).max(5) }).optional(),
        }),
        response: { 200: z.looseObject({ applicants: z.number(), byTier: z.array(z.unknown()), byDistrict: z.array(z.unknown()) }), ...errors },
      },
    }, async (req) => svc.simulate(caller(req), req.body));

    app.post('/api/v1/waitlist/runs', {
      config: { auth: 'waitlist.run' },
      schema: { tags, summary: '发起分配（延迟接受算法）；dryRun 为试算，只记录不通知、不预留', body: z.strictObject({ dryRun: z.boolean() }), response: { 201: loose, ...errors } },
    }, async (req, reply) => {
      reply.code(201);
      return svc.startRun(caller(req), req.body.dryRun);
    });

    app.get('/api/v1/waitlist/runs/:id', {
      config: { auth: 'waitlist.read' },
      schema: { tags, summary: '一次分配：规则、人数、公平性检查结果、本辖区相关的入住通知', params: z.object({ id: z.string().regex(/^(\d{1,12}|[0-9a-f-]{36})$/i, '无效的编号') }), response: { 200: loose, ...errors } },
    }, async (req) => svc.run(caller(req), req.params.id));
  };
}

export type { WaitlistPorts };
