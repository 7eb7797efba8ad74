// HTTP surface of community meals (老年助餐, issue 8 §7): the rules and the meal points with their
// menus (public); orders and their quote, cancel, the orders of linked people or of one person
// (citizens for linked people, advisors and officers in scope); a point's menus, day, delivery
// sheet and serving (its provider's staff, officers in scope); the daily counts per point
// (officers). Every body and query is checked by zod and described in the OpenAPI document.
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { isValidLocalDate } from '../core/dates.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import { errorBodySchema, type ZApp } from '../platform/http.ts';
import { MEALS, MODES } from './meals.ts';
import { MealsService, type MealPorts } from './meals-service.ts';

const tags = ['meals'];
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, '无效的编号');
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const loose = z.looseObject({});
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine(isValidLocalDate, '无效的日期');
const meal = z.enum(MEALS);
const mode = z.enum(MODES);
const regionPrefix = z.string().regex(/^\d{6}(\d{3})?$/, '应为区或街镇代码');
const MAX_FEN = 100_000; // 1,000 元: far above any meal; a typo guard, not a policy
const orderBody = z.strictObject({
  personId: uuid,
  facilityId: uuid,
  date: localDate,
  meal,
  mode,
  deliveryAddress: z.string().trim().max(120, '地址太长').nullable().optional(),
  contactPhone: z.string().trim().regex(/^[\d\s+-]{7,20}$/, '电话号码格式不正确').nullable().optional(),
  note: z.string().trim().max(200).nullable().optional(),
});
const orderView = z.looseObject({ id: z.string(), status: z.string(), priceFen: z.number(), subsidyFen: z.number(), paysFen: z.number(), figures: z.array(z.unknown()) });

export function mealsRoutes(ports: (ctx: AppContext) => MealPorts) {
  return (app: ZApp, ctx: AppContext): void => {
    const svc = new MealsService(ctx, ports(ctx));
    const caller = (req: { caller: Caller | null }) => {
      if (!req.caller) throw new AppError('AUTH_REQUIRED');
      return req.caller;
    };

    app.get('/api/v1/meals/rules', {
      config: { auth: 'public' },
      schema: { tags, summary: '助餐规则：谁有补贴、补贴多少、订餐和退订截止时间（由现行参数生成，附参数及出处）', response: { 200: z.looseObject({ dineIn: z.array(z.string()), delivery: z.array(z.string()), cutoffs: z.array(z.unknown()) }) } },
    }, async () => svc.publishedRules());

    app.get('/api/v1/meals/points', {
      config: { auth: 'public' },
      schema: {
        tags, summary: '助餐点：附近（按距离）或某区、街镇的长者食堂和助餐点，当天菜单和剩余份数',
        querystring: z.strictObject({
          lon: z.coerce.number().min(-180).max(180).optional(), lat: z.coerce.number().min(-90).max(90).optional(), region: regionPrefix.optional(),
          q: z.string().trim().max(40).optional(), date: localDate.optional(), withMenu: z.enum(['true', 'false']).optional(),
          page: z.coerce.number().int().min(1).max(1000).optional(), pageSize: z.coerce.number().int().min(1).max(50).optional(),
        }),
        response: { 200: z.looseObject({ total: z.number(), items: z.array(loose) }), ...errors },
      },
    }, async (req) => {
      const { lon, lat, withMenu, ...rest } = req.query;
      if ((lon === undefined) !== (lat === undefined)) throw new AppError('VALIDATION_FAILED', '经度和纬度要一起给出');
      return svc.points({ ...rest, near: lon !== undefined && lat !== undefined ? { lon, lat } : undefined, withMenu: withMenu === 'true' });
    });

    app.get('/api/v1/meals/points/:id', {
      config: { auth: 'public' },
      schema: { tags, summary: '一个助餐点：地址、电话、供餐能力，今天起可预订各天的菜单和剩余份数', params: z.object({ id: uuid }), response: { 200: z.looseObject({ id: z.string(), days: z.array(loose) }), ...errors } },
    }, async (req) => svc.point(req.params.id));

    app.post('/api/v1/meals/quote', {
      config: { auth: 'meals.order' },
      schema: { tags, summary: '订餐试算：餐费、补贴和自付金额及其说明（不下单）', body: orderBody, response: { 200: z.looseObject({ priceFen: z.number(), subsidyFen: z.number(), paysFen: z.number(), figures: z.array(z.unknown()) }), ...errors } },
    }, async (req) => svc.quote(caller(req), req.body));

    app.post('/api/v1/meals/orders', {
      config: { auth: 'meals.order' },
      schema: { tags, summary: '订餐（本人、家属或养老顾问代订）：一份堂食或送餐上门；占用助餐点当天的供餐能力，按用餐日的参数计算补贴', body: orderBody, response: { 201: orderView, ...errors } },
    }, async (req, reply) => {
      reply.code(201);
      return svc.order(caller(req), req.body);
    });

    app.get('/api/v1/meals/orders', {
      config: { auth: 'meals.order' },
      schema: {
        tags, summary: '一位老人近 30 天和今后的订餐（家属：关联的老人；工作人员：辖区内）', querystring: z.strictObject({ personId: uuid }),
        response: { 200: z.looseObject({ person: loose, orders: z.array(orderView) }), ...errors },
      },
    }, async (req) => svc.ordersOf(caller(req), req.query.personId));

    app.get('/api/v1/meals/mine', {
      config: { auth: 'meals.order' },
      schema: { tags, summary: '我的订餐：本人及关联家属、各自可享受的补贴、近 30 天和今后的订单', response: { 200: z.looseObject({ people: z.array(loose), orders: z.array(orderView) }), ...errors } },
    }, async (req) => svc.mine(caller(req)));

    app.post('/api/v1/meals/orders/:id/cancel', {
      config: { auth: 'meals.order' },
      schema: { tags, summary: '退订（截止时间前）', params: z.object({ id: uuid }), body: z.strictObject({ reason: z.string().trim().max(200).nullable().optional() }), response: { 200: orderView, ...errors } },
    }, async (req) => svc.cancel(caller(req), req.params.id, req.body.reason ?? null));

    app.post('/api/v1/meals/orders/:id/serve', {
      config: { auth: 'meals.manage' },
      schema: { tags, summary: '登记已就餐（堂食）或已送达（送餐）', params: z.object({ id: uuid }), response: { 200: z.looseObject({ id: z.string(), status: z.string() }), ...errors } },
    }, async (req) => svc.serve(caller(req), req.params.id));

    app.get('/api/v1/meals/manage/points', {
      config: { auth: 'meals.manage' },
      schema: {
        tags, summary: '我管理的助餐点（服务机构：本机构的；民政：辖区内的），今天的订餐数和已发布的菜单',
        querystring: z.strictObject({ q: z.string().trim().max(40).optional(), region: regionPrefix.optional() }),
        response: { 200: z.looseObject({ total: z.number(), items: z.array(loose) }), ...errors },
      },
    }, async (req) => svc.managed(caller(req), req.query));

    app.put('/api/v1/meals/points/:id/menus/:date/:meal', {
      config: { auth: 'meals.manage' },
      schema: {
        tags, summary: '发布或修改某天某一餐的菜单：菜品、价格（分）、是否送餐及送餐费（已下的订单保留原价格）',
        params: z.object({ id: uuid, date: localDate, meal }),
        body: z.strictObject({
          dishes: z.array(z.strictObject({ name: z.string().trim().min(1, '请填写菜名').max(40), note: z.string().trim().max(80).nullable().optional() })).min(1, '请至少填写一道菜').max(12),
          priceFen: z.number().int('金额以分为单位，应为整数').min(0).max(MAX_FEN),
          delivery: z.boolean(),
          deliveryFeeFen: z.number().int('金额以分为单位，应为整数').min(0).max(MAX_FEN).optional(),
          note: z.string().trim().max(200).nullable().optional(),
        }),
        response: { 200: z.looseObject({ date: z.string(), meals: z.array(loose) }), ...errors },
      },
    }, async (req) => svc.publishMenu(caller(req), req.params.id, req.params.date, req.params.meal, req.body));

    app.get('/api/v1/meals/points/:id/day', {
      config: { auth: 'meals.manage' },
      schema: {
        tags, summary: '助餐点某一天：各餐菜单和订单（姓名脱敏）、堂食与送餐份数、送餐名单（地址脱敏）',
        params: z.object({ id: uuid }), querystring: z.strictObject({ date: localDate }),
        response: { 200: z.looseObject({ date: z.string(), capacity: z.number(), taken: z.number(), meals: z.array(loose), delivery: z.array(loose) }), ...errors },
      },
    }, async (req) => svc.day(caller(req), req.params.id, req.query.date));

    app.post('/api/v1/meals/points/:id/delivery-sheet', {
      config: { auth: 'meals.manage' },
      schema: {
        tags, summary: '送餐单：某天送餐老人的姓名、完整地址和电话（须说明用途，记入审计日志）',
        params: z.object({ id: uuid }), body: z.strictObject({ date: localDate, purpose: z.string().trim().min(2, '请说明用途').max(100) }),
        response: { 200: z.looseObject({ items: z.array(loose) }), ...errors },
      },
    }, async (req) => svc.deliverySheet(caller(req), req.params.id, req.body.date, req.body.purpose));

    app.get('/api/v1/meals/daily-counts', {
      config: { auth: 'meals.read' },
      schema: {
        tags, summary: '每日助餐统计：辖区内各助餐点每天的订餐、堂食、送餐、已就餐（含送达）、退订份数和补贴金额（指标的来源）',
        querystring: z.strictObject({ from: localDate, to: localDate, district: regionPrefix.optional() }),
        response: { 200: z.looseObject({ items: z.array(loose), days: z.array(loose), totals: loose }), ...errors },
      },
    }, async (req) => svc.dailyCounts(caller(req), req.query));
  };
}

export { MealsService, type MealPorts, type MealPoint, type MealPerson } from './meals-service.ts';
export { seedDemoMeals } from './meals-seed.ts';
