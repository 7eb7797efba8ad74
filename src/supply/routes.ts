// HTTP surface of the supply module: the public "找服务" portal under /api/v1/services (no login),
// and the registry, review, change feed and planning under /api/v1/supply (staff and providers).
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { isValidLocalDate } from '../core/dates.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import { errorBodySchema, type ZApp } from '../platform/http.ts';
import { can } from '../platform/permissions.ts';
import { BED_KINDS, BED_STATUSES, OWNERSHIPS, PRICE_CATEGORIES, PRICE_UNITS, PROVIDER_KINDS } from './model.ts';
import { districtOutlines } from './policy.ts';
import { CoverageService, PlanningService, PublicDirectory, RegistryService, type SupplyPorts } from './service.ts';

const tags = ['supply'];
const publicTags = ['services'];
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, '无效的编号');
const region = z.string().regex(/^\d{6}(\d{3}){0,2}$/, '应为行政区划代码');
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const note = z.string().trim().max(500).nullable().optional();
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine(isValidLocalDate, '无效的日期');

/** "lon,lat" in degrees. */
const lonLat = z.string().regex(/^-?\d{1,3}(\.\d+)?,-?\d{1,2}(\.\d+)?$/, '位置格式应为“经度,纬度”').transform((s) => {
  const [lon, lat] = s.split(',').map(Number) as [number, number];
  return { lon, lat };
}).refine((p) => Math.abs(p.lon) <= 180 && Math.abs(p.lat) <= 90, '经纬度超出范围');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const yuanFen = z.coerce.number().int('金额以分计，应为整数').min(0);

const bedsView = z.object({ total: z.number(), vacant: z.number(), byKind: z.record(z.string(), z.object({ total: z.number(), vacant: z.number() })), basicVacant: z.number() }).nullable();
const card = z.object({
  id: z.string(), name: z.string(), typeCode: z.string(), typeName: z.string(), districtCode: z.string(), districtName: z.string(), streetName: z.string(), address: z.string(),
  lon: z.number(), lat: z.number(), distanceMeters: z.number().nullable(), walkMinutes: z.number().nullable(), functions: z.array(z.string()), functionNames: z.array(z.string()),
  basicGuarantee: z.boolean(), ownershipName: z.string(), beds: bedsView, vacancyConfirmedAt: z.string().nullable(), vacancyDays: z.number().nullable(), vacancyStale: z.boolean(),
  priceFrom: z.object({ fen: z.number(), unit: z.string(), unitName: z.string(), item: z.string() }).nullable(),
  rating: z.object({ stars: z.number(), ratedOn: z.string(), source: z.string() }).nullable(), phone: z.string(),
});
const price = z.strictObject({
  item: z.string().trim().min(1, '请填写收费项目').max(40),
  category: z.enum(PRICE_CATEGORIES),
  unit: z.enum(PRICE_UNITS),
  fen: z.number().int('金额以分计，应为整数').min(0, '金额不能为负').max(100_000_000),
  grades: z.array(z.number().int().min(1).max(6)).min(1).max(6).optional(),
});
const facilityBody = z.strictObject({
  providerId: uuid.optional(),
  name: z.string().trim().min(2, '请填写设施名称').max(80),
  typeCode: z.string().min(1).max(40),
  ownership: z.enum(OWNERSHIPS),
  basicGuarantee: z.boolean().default(false),
  regionCode: region,
  address: z.string().trim().min(2, '请填写地址').max(200),
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  floorAreaM2: z.number().min(0, '建筑面积不能为负').max(1_000_000).default(0),
  openingHours: z.string().trim().max(200).default(''),
  description: z.string().trim().max(2000).default(''),
  functions: z.array(z.string().max(40)).max(40).default([]),
  prices: z.array(price).max(40).default([]),
  photos: z.array(z.strictObject({ url: z.string().max(500).regex(/^(https:\/\/|\/)/, '照片地址应以 https:// 或 / 开头'), alt: z.string().trim().min(1, '请为照片写一句说明').max(200) })).max(20).default([]),
  phone: z.string().trim().regex(/^[0-9+\-() ]{5,20}$/, '电话号码格式有误'),
  mealCapacity: z.number().int().min(0).max(100_000).default(0),
  openedOn: localDate.nullable().default(null),
});
const providerBody = z.strictObject({
  name: z.string().trim().min(2, '请填写机构名称').max(100),
  uscc: z.string().trim().min(1, '请填写统一社会信用代码').max(30),
  legalRepresentative: z.string().trim().min(1, '请填写法定代表人').max(40),
  kind: z.enum(PROVIDER_KINDS),
  phone: z.string().trim().regex(/^[0-9+\-() ]{5,20}$/, '电话号码格式有误'),
  licences: z.array(z.strictObject({ kind: z.string().trim().min(1).max(60), number: z.string().trim().min(1).max(60), validUntil: localDate.nullable() })).max(20).default([]),
  regionCode: region.optional(),
});
const loose = z.looseObject({ id: z.string() });
/** Answers the service already wrote as JSON text pass through; anything else is written out as it is. */
const plainJson = () => (data: unknown) => (typeof data === 'string' ? data : JSON.stringify(data));

/** Register the supply routes; the ports reach the entitlements and people modules (src/app.ts). */
export function supplyRoutes(ports: SupplyPorts) {
  return (app: ZApp, ctx: AppContext): void => {
    const registry = new RegistryService(ctx);
    const directory = new PublicDirectory(ctx, ports);
    const planning = new PlanningService(ctx);
    const circle = new CoverageService(ctx, ports.eldersOf);
    const caller = (req: { caller: Caller | null }) => {
      if (!req.caller) throw new AppError('AUTH_REQUIRED');
      return req.caller;
    };

    // ----- public portal

    app.get('/api/v1/services/catalogue', {
      config: { auth: 'public' },
      schema: { tags: publicTags, summary: '找服务：设施类型、服务功能（“1+8”）、床位类型、各区、照护等级、空床信息过期天数', response: { 200: z.looseObject({ facilityTypes: z.array(z.looseObject({ code: z.string(), name: z.string() })) }) } },
    }, async () => directory.catalogue());

    app.get('/api/v1/services/outlines', {
      config: { auth: 'public' },
      schema: { tags: publicTags, summary: '各区边界（GeoJSON，地图底图；不依赖外部地图服务）', response: { 200: z.looseObject({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }) } },
    }, async (_req, reply) => {
      reply.header('cache-control', 'public, max-age=86400');
      return districtOutlines(ctx.jurisdiction.id);
    });

    app.get('/api/v1/services/places', {
      config: { auth: 'public' },
      schema: {
        tags: publicTags, summary: '按地址查找：与输入相符的街镇、居（村）委及其位置',
        querystring: z.strictObject({ q: z.string().trim().min(1, '请输入地址或街道名称').max(40) }),
        response: { 200: z.object({ items: z.array(z.object({ code: z.string(), name: z.string(), path: z.string(), lon: z.number(), lat: z.number() })) }), 400: errorBodySchema },
      },
    }, async (req) => directory.places(req.query.q));

    app.get('/api/v1/services/search', {
      config: { auth: 'public' },
      // The hot public route: answers are built by the service to the schema below, so they are
      // written out as they are rather than re-validated field by field (the schema still documents them).
      serializerCompiler: plainJson,
      schema: {
        tags: publicTags,
        summary: '找服务：按位置、区/街镇、类型、功能、空床、价格、保基本查找已备案的养老服务设施',
        description: 'type 可用逗号分隔多个；function 为服务功能或大类代码；价格以分计（住养类为每月床位费+伙食费+护理费，其他为最低单项）；near 为“经度,纬度”。',
        querystring: z.strictObject({
          q: z.string().trim().max(40).optional(), region: region.optional(), type: z.string().max(400).optional(), function: z.string().max(40).optional(),
          vacancy: flag.optional(), basic: flag.optional(), minPrice: yuanFen.optional(), maxPrice: yuanFen.optional(), near: lonLat.optional(), nearLabel: z.string().max(60).optional(),
          sort: z.enum(['distance', 'vacancy', 'price', 'name']).optional(), page: z.coerce.number().int().min(1).max(1000).default(1), pageSize: z.coerce.number().int().min(1).max(100).default(20),
        }),
        response: { 200: z.object({ total: z.number(), page: z.number(), pageSize: z.number(), center: z.object({ lon: z.number(), lat: z.number(), label: z.string() }).nullable(), items: z.array(card) }), 400: errorBodySchema },
      },
    }, async (req, reply) => {
      const s = req.query;
      if (s.minPrice !== undefined && s.maxPrice !== undefined && s.minPrice > s.maxPrice) throw new AppError('VALIDATION_FAILED', '最低价格不能高于最高价格');
      const json = await directory.searchJson({
        q: s.q, region: s.region, types: s.type?.split(',').filter(Boolean), fn: s.function, vacancy: s.vacancy, basic: s.basic, minPrice: s.minPrice, maxPrice: s.maxPrice,
        near: s.near ? { ...s.near, label: s.nearLabel } : undefined, sort: s.sort, page: s.page, pageSize: s.pageSize,
      });
      return reply.type('application/json; charset=utf-8').send(json as never); // the schema's answer, already as JSON text (see plainJson)
    });

    app.get('/api/v1/services/facilities/:id', {
      config: { auth: 'public' },
      schema: {
        tags: publicTags, summary: '找服务：设施详情（空床及最后确认时间、收费、功能、评级、路线提示）',
        params: z.object({ id: uuid }), querystring: z.strictObject({ near: lonLat.optional(), nearLabel: z.string().max(60).optional() }),
        response: {
          200: card.extend({
            providerName: z.string(), openingHours: z.string(), floorAreaM2: z.number(), description: z.string(), residential: z.boolean(), mealCapacity: z.number(),
            prices: z.array(z.object({ item: z.string(), category: z.string(), unit: z.string(), fen: z.number(), grades: z.array(z.number()).optional() })), photos: z.array(z.object({ url: z.string(), alt: z.string() })),
            rooms: z.number(), route: z.object({ meters: z.number(), minutes: z.number(), text: z.string() }).nullable(),
          }),
          400: errorBodySchema, 404: errorBodySchema,
        },
      },
    }, async (req) => directory.detail(req.params.id, req.query.near ? { ...req.query.near, label: req.query.nearLabel } : undefined));

    app.get('/api/v1/services/facilities/:id/own-share', {
      config: { auth: 'public' },
      schema: {
        tags: publicTags, summary: '个人自付测算：按照护等级和医保类型，长期护理保险支付后每月个人负担',
        params: z.object({ id: uuid }),
        querystring: z.strictObject({ grade: z.coerce.number().int().min(1, '照护等级为 1–6 级').max(6, '照护等级为 1–6 级'), insurance: z.enum(['employee', 'resident']).default('employee') }),
        response: {
          200: z.object({
            grade: z.number(), insurance: z.string(), eligible: z.boolean(), reason: z.string(),
            items: z.array(z.object({ item: z.string(), unit: z.string(), unitName: z.string(), category: z.string(), selected: z.boolean(), priceFen: z.number(), insuranceFen: z.number(), ownFen: z.number(), monthlyPriceFen: z.number().nullable(), monthlyInsuranceFen: z.number().nullable(), monthlyOwnFen: z.number().nullable() })),
            monthly: z.object({ priceFen: z.number(), insuranceFen: z.number(), ownFen: z.number() }), notes: z.array(z.string()), citations: z.array(z.object({ document: z.string(), article: z.string() })),
          }),
          400: errorBodySchema, 404: errorBodySchema,
        },
      },
    }, async (req) => directory.ownShare(req.params.id, req.query.grade, req.query.insurance));

    app.post('/api/v1/services/share', {
      config: { auth: 'public', rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: {
        tags: publicTags, summary: '把查询结果发短信（发到一个手机号；已登录的顾问或家属可发给所代办的老人）',
        body: z.strictObject({ facilityIds: z.array(uuid).min(1, '请至少选择一家机构').max(5), phone: z.string().max(20).optional(), personId: uuid.optional() })
          .refine((b) => Boolean(b.phone) !== Boolean(b.personId), { message: '请填写手机号码，或选择代办的老人（二选一）', path: ['phone'] }),
        response: { 200: z.object({ sent: z.boolean(), to: z.string(), text: z.string() }), 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema, 429: errorBodySchema },
      },
    }, async (req) => {
      // Acting for someone needs the signed-in session, and a cookie session its CSRF token (the route itself is public).
      const c = req.body.personId ? caller(req) : req.caller;
      if (c && req.body.personId && c.sessionKind === 'cookie' && req.headers['x-csrf-token'] !== c.csrfToken) throw new AppError('AUTH_CSRF_FAILED');
      if (c && req.body.personId && !can(c.role, 'supply.proxy')) throw new AppError('AUTH_FORBIDDEN');
      return directory.share(c, req.body);
    });

    app.get('/api/v1/services/proxy', {
      config: { auth: 'supply.proxy' },
      schema: {
        tags: publicTags, summary: '代为查找：可以代办的老人（家属：已关联的老人；养老顾问：指定的一位老人），及其位置、照护等级（记审计）',
        querystring: z.strictObject({ personId: uuid.optional() }),
        response: { 200: z.object({ people: z.array(z.object({ personId: z.string(), name: z.string(), relation: z.string(), districtCode: z.string(), streetCode: z.string().nullable(), streetName: z.string().nullable(), careGrade: z.number().nullable(), insurance: z.string().nullable(), center: z.object({ lon: z.number(), lat: z.number(), label: z.string() }).nullable() })) }), ...errors },
      },
    }, async (req) => directory.proxy(caller(req), req.query.personId ?? null));

    // ----- registry (staff and providers)

    const providerView = z.looseObject({ id: z.string(), name: z.string(), uscc: z.string(), filingStatus: z.string() });
    app.get('/api/v1/supply/mine', {
      config: { auth: 'supply.manage' },
      schema: { tags, summary: '本机构（服务机构账号）：机构登记信息及其设施', response: { 200: z.object({ provider: providerView.nullable(), facilities: z.array(loose) }), ...errors } },
    }, async (req) => registry.mine(caller(req)));

    app.post('/api/v1/supply/providers', {
      config: { auth: 'supply.manage' },
      schema: { tags, summary: '登记服务机构（统一社会信用代码校验；机构自行登记为草稿，民政登记直接备案）', body: providerBody, response: { 201: providerView, ...errors } },
    }, async (req, reply) => reply.status(201).send(await registry.registerProvider(caller(req), req.body)));

    app.get('/api/v1/supply/providers', {
      config: { auth: 'supply.read' },
      schema: { tags, summary: '本辖区的服务机构', querystring: z.strictObject({ status: z.enum(['draft', 'submitted', 'approved', 'rejected']).optional(), q: z.string().trim().max(40).optional() }), response: { 200: z.object({ items: z.array(providerView) }), ...errors } },
    }, async (req) => registry.providers(caller(req), req.query));

    app.put('/api/v1/supply/providers/:id', {
      config: { auth: 'supply.manage' },
      schema: { tags, summary: '修改机构信息（记入变更记录）', params: z.object({ id: uuid }), body: providerBody.omit({ uscc: true, regionCode: true }), response: { 200: providerView, ...errors } },
    }, async (req) => registry.updateProvider(caller(req), req.params.id, req.body));

    app.post('/api/v1/supply/providers/:id/:action', {
      config: { auth: 'supply.manage' },
      schema: {
        tags, summary: '机构备案：submit 提交（机构）；approve 通过、reject 退回（民政，退回须写明原因）',
        params: z.object({ id: uuid, action: z.enum(['submit', 'approve', 'reject']) }), body: z.strictObject({ note }).optional(), response: { 200: providerView, ...errors },
      },
    }, async (req) => {
      const to = ({ submit: 'submitted', approve: 'approved', reject: 'rejected' } as const)[req.params.action];
      if (to !== 'submitted' && !['officer', 'admin'].includes(caller(req).role)) throw new AppError('AUTH_FORBIDDEN', '备案由民政部门审核');
      return registry.moveProvider(caller(req), req.params.id, to, req.body?.note ?? null);
    });

    app.get('/api/v1/supply/facilities', {
      config: { auth: 'supply.read' },
      schema: {
        tags, summary: '设施列表（本辖区；服务机构只看本机构的）',
        querystring: z.strictObject({ status: z.enum(['draft', 'submitted', 'approved', 'rejected', 'closed']).optional(), type: z.string().max(40).optional(), q: z.string().trim().max(40).optional(), region: region.optional(), page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(100).default(20) }),
        response: { 200: z.object({ total: z.number(), page: z.number(), pageSize: z.number(), items: z.array(loose) }), ...errors },
      },
    }, async (req) => registry.facilities(caller(req), { status: req.query.status, typeCode: req.query.type, q: req.query.q, region: req.query.region, page: req.query.page, pageSize: req.query.pageSize }));

    app.post('/api/v1/supply/facilities', {
      config: { auth: 'supply.manage' },
      schema: { tags, summary: '新增设施（机构新增为草稿，提交后由民政审核；民政新增直接备案）', body: facilityBody, response: { 201: loose, ...errors } },
    }, async (req, reply) => reply.status(201).send(await registry.createFacility(caller(req), req.body)));

    app.get('/api/v1/supply/facilities/:id', {
      config: { auth: 'supply.read' },
      schema: { tags, summary: '设施详情：房间、床位及状态', params: z.object({ id: uuid }), response: { 200: loose, ...errors } },
    }, async (req) => registry.facility(caller(req), req.params.id));

    app.put('/api/v1/supply/facilities/:id', {
      config: { auth: 'supply.manage' },
      schema: { tags, summary: '修改设施信息（位置、功能、收费等；记入变更记录）', params: z.object({ id: uuid }), body: facilityBody.omit({ providerId: true }), response: { 200: loose, ...errors } },
    }, async (req) => registry.updateFacility(caller(req), req.params.id, req.body));

    app.post('/api/v1/supply/facilities/:id/:action', {
      config: { auth: 'supply.manage' },
      schema: {
        tags, summary: '设施备案：submit 提交；approve 通过、reject 退回（民政）；close 停业（须写明原因）',
        params: z.object({ id: uuid, action: z.enum(['submit', 'approve', 'reject', 'close']) }), body: z.strictObject({ note }).optional(), response: { 200: loose, ...errors },
      },
    }, async (req) => {
      const to = ({ submit: 'submitted', approve: 'approved', reject: 'rejected', close: 'closed' } as const)[req.params.action];
      return registry.moveFacility(caller(req), req.params.id, to, req.body?.note ?? null);
    });

    app.post('/api/v1/supply/facilities/:id/rooms', {
      config: { auth: 'supply.manage' },
      schema: {
        tags, summary: '新增房间及床位（新床位为空闲）', params: z.object({ id: uuid }),
        body: z.strictObject({ name: z.string().trim().min(1, '请填写房间号').max(40), floor: z.number().int().min(-5).max(200).nullable().default(null), beds: z.array(z.strictObject({ label: z.string().trim().min(1).max(40).optional(), kind: z.enum(BED_KINDS), basicGuarantee: z.boolean().default(false) })).min(1, '请至少添加一张床').max(20) }),
        response: { 201: loose, ...errors },
      },
    }, async (req, reply) => reply.status(201).send(await registry.addRoom(caller(req), req.params.id, req.body)));

    app.patch('/api/v1/supply/facilities/:id/beds', {
      config: { auth: 'supply.manage' },
      schema: {
        tags, summary: '更新床位状态（入住、退住、预留、停用；同时确认空床信息），发出 supply.vacancy_changed', params: z.object({ id: uuid }),
        body: z.strictObject({ changes: z.array(z.strictObject({ bedId: uuid, status: z.enum(BED_STATUSES), note })).max(500) }),
        response: { 200: z.object({ changed: z.number(), facility: loose }), ...errors },
      },
    }, async (req) => registry.setBeds(caller(req), req.params.id, req.body.changes));

    app.post('/api/v1/supply/facilities/:id/vacancy/confirm', {
      config: { auth: 'supply.manage' },
      schema: { tags, summary: '确认空床信息（无变化时也应定期确认，否则门户显示“可能已过期”）', params: z.object({ id: uuid }), response: { 200: loose, ...errors } },
    }, async (req) => registry.confirmVacancy(caller(req), req.params.id));

    app.get('/api/v1/supply/facilities/:id/bed-history', {
      config: { auth: 'supply.read' },
      schema: { tags, summary: '床位状态历史', params: z.object({ id: uuid }), querystring: z.strictObject({ bedId: uuid.optional() }), response: { 200: z.object({ items: z.array(loose) }), ...errors } },
    }, async (req) => registry.bedHistory(caller(req), req.params.id, req.query.bedId ?? null));

    app.get('/api/v1/supply/changes', {
      config: { auth: 'supply.read' },
      schema: { tags, summary: '登记变更记录（本辖区；服务机构只看本机构的）', querystring: z.strictObject({ facilityId: uuid.optional(), kind: z.string().max(40).optional() }), response: { 200: z.object({ items: z.array(loose) }), ...errors } },
    }, async (req) => registry.changes(caller(req), req.query));

    app.get('/api/v1/supply/review', {
      config: { auth: 'supply.review' },
      schema: { tags, summary: '待审核的机构与设施备案（本辖区）', response: { 200: z.object({ providers: z.array(providerView), facilities: z.array(loose) }), ...errors } },
    }, async (req) => registry.reviewQueue(caller(req)));

    // ----- planning

    app.get('/api/v1/supply/planning', {
      config: { auth: 'supply.plan' },
      schema: {
        tags, summary: '规划指标：各区（及所选区的街镇）床位、保基本、护理型、设施面积、助餐、利用率与规划目标及差距',
        querystring: z.strictObject({ district: region.optional(), asOf: localDate.optional() }),
        response: { 200: z.looseObject({ asOf: z.string(), districts: z.array(z.unknown()), streets: z.array(z.unknown()) }), ...errors },
      },
    }, async (req) => planning.ratios(caller(req), req.query));

    const fnCode = z.string().min(1, '请选择服务功能').max(40);
    const district = z.string().regex(/^\d{6}$/, '应为 6 位区县代码');
    app.get('/api/v1/supply/coverage', {
      config: { auth: 'supply.plan' },
      schema: {
        tags, summary: '15 分钟服务圈：某区老年人步行到最近的提供某项功能的设施不超过规定时间的比例（按街镇），未覆盖人群的分布（GeoJSON）',
        description: 'function 为服务功能或大类代码（见 /api/v1/services/catalogue）。步行速度、分钟数为政策参数。设施或功能变化后自动重算。',
        querystring: z.strictObject({ district, function: fnCode }),
        response: {
          200: z.object({
            district: z.string(), districtName: z.string(), function: z.string(), functionName: z.string(), minutes: z.number(), walkMetersPerMinute: z.number(),
            covered: z.number(), total: z.number(), share: z.number(), unplaced: z.number(),
            byStreet: z.array(z.object({ code: z.string(), name: z.string(), covered: z.number(), total: z.number(), share: z.number() })),
            gaps: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.object({ type: z.literal('Feature'), properties: z.object({ count: z.number() }), geometry: z.object({ type: z.literal('Point'), coordinates: z.array(z.number()) }) })) }),
            sites: z.array(z.object({ id: z.string(), name: z.string(), lon: z.number(), lat: z.number(), typeName: z.string() })),
            network: z.object({ source: z.string(), nodes: z.number(), edges: z.number(), importedAt: z.string() }), computedAt: z.string(),
          }),
          ...errors,
        },
      },
    }, async (req) => circle.coverage(caller(req), req.query.district, req.query.function));

    app.post('/api/v1/supply/siting', {
      config: { auth: 'supply.plan' },
      schema: {
        tags, summary: '选址建议：在该区再设 k 处提供某项功能的设施，逐一给出能新覆盖最多老年人的位置（贪心最大覆盖）',
        body: z.strictObject({ district, function: fnCode, k: z.number().int().min(1, '至少建议 1 处').max(20, '最多建议 20 处') }),
        response: {
          200: z.object({
            district: z.string(), function: z.string(), functionName: z.string(), k: z.number(), candidates: z.number(), ms: z.number(),
            before: z.object({ covered: z.number(), total: z.number(), share: z.number() }),
            proposals: z.array(z.object({ rank: z.number(), lon: z.number(), lat: z.number(), streetCode: z.string().nullable(), streetName: z.string().nullable(), gain: z.number(), coveredAfter: z.number(), shareAfter: z.number() })),
          }),
          ...errors,
        },
      },
    }, async (req) => circle.siting(caller(req), req.body.district, req.body.function, req.body.k));

    app.get('/api/v1/supply/networks', {
      config: { auth: 'supply.plan' },
      schema: { tags, summary: '已导入的步行路网（各区；来源、节点数、边数、导入时间）', response: { 200: z.object({ items: z.array(z.object({ district: z.string(), districtName: z.string(), source: z.string(), nodes: z.number().nullable(), edges: z.number().nullable(), bytes: z.number(), importedAt: z.string() })) }), ...errors } },
    }, async (req) => circle.networkList(caller(req)));

    app.post('/api/v1/supply/population', {
      config: { auth: 'supply.reference' },
      schema: {
        tags, summary: '导入参考人口（统计/公安户籍数：户籍60+、65+、常住人口），规划指标的分母',
        body: z.strictObject({ rows: z.array(z.strictObject({ regionCode: region, year: z.number().int().min(2000).max(2100), registered60: z.number().int().min(0), registered65: z.number().int().min(0), resident: z.number().int().min(0), source: z.string().trim().min(1, '请注明数据来源').max(200) })).min(1).max(5000) }),
        response: { 200: z.object({ imported: z.number() }), ...errors },
      },
    }, async (req) => planning.importPopulation(caller(req), req.body.rows));
  };
}
