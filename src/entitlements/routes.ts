// HTTP surface of entitlements under /api/v1/entitlements and /api/v1/people/:id/entitlements.
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { isValidLocalDate, type LocalDate } from '../core/dates.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import { errorBodySchema, type ZApp } from '../platform/http.ts';
import { ECONOMIC_STATUSES, LIVING } from './model.ts';
import { EntitlementService, OutreachService, SimulationService, type AdvisorsIn, type FactsOf, type NamesOf, type SimulationPorts } from './service.ts';
import { CLAIM_SCHEMES } from './store.ts';
import { CASH_SCHEMES, PaymentService, type PaymentPorts } from './payment-service.ts';
import { isMonth, type Month } from './payments.ts';
import { VoucherService, type VoucherPorts } from './voucher-service.ts';
import { SIM_SCHEMES } from './simulate.ts';

const tags = ['entitlements'];
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, '无效的编号');
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine(isValidLocalDate, '无效的日期');
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const district = z.string().regex(/^\d{6}(\d{3}){0,2}$/, '应为 6 位行政区划代码');

/** The facts of a check: the `yiyang entitle` input line without its id. */
const factsBody = z.strictObject({
  asOf: localDate.optional(),
  birthDate: z.string().max(20),
  hukouDistrict: district.nullable().optional(),
  residenceDistrict: district.nullable().optional(),
  insurance: z.enum(['employee', 'resident', 'none']).nullable().optional(),
  careGrade: z.number().int().min(0).max(6).nullable().optional(),
  careGradeValidFrom: localDate.nullable().optional(),
  careGradeValidUntil: localDate.nullable().optional(),
  economic: z.enum(ECONOMIC_STATUSES).nullable().optional(),
  deathDate: localDate.nullable().optional(),
  livingArrangement: z.enum(LIVING).nullable().optional(),
  preferentialCare: z.boolean().optional(),
  familyPlanningSpecial: z.boolean().optional(),
});

const view = z.object({
  asOf: z.string(), parameterVersion: z.string(), age: z.number(),
  allowance: z.object({ eligible: z.boolean(), band: z.string().nullable(), monthlyFen: z.number() }),
  ltci: z.object({ eligible: z.boolean(), homeCareHoursPerWeek: z.number(), fundShareHome: z.number().nullable(), fundShareInstitution: z.number().nullable(), institutionDailyLimitFen: z.number().nullable() }),
  serviceSubsidy: z.object({ eligible: z.boolean(), monthlyFen: z.number() }),
  basicBed: z.object({ eligible: z.boolean(), tier: z.number().nullable(), tierLabel: z.string().nullable() }),
  visiting: z.object({ livingAlone: z.boolean(), advancedAge: z.boolean(), elderlyOnly: z.boolean() }),
  schemes: z.array(z.object({ scheme: z.string(), name: z.string(), eligible: z.boolean(), headline: z.string(), reason: z.string(), hint: z.string().nullable() })),
  explanation: z.array(z.record(z.string(), z.unknown())),
});

const figures = z.object({
  eligibleBefore: z.number(), eligibleAfter: z.number(), gaining: z.number(), losing: z.number(), changed: z.number(), unchanged: z.number(),
  amountBefore: z.number(), amountAfter: z.number(), monthlyFenDelta: z.number().nullable(), yearlyFenDelta: z.number().nullable(),
});
const example = z.object({ personId: z.string(), districtCode: z.string(), age: z.number(), before: z.number().nullable(), after: z.number().nullable() });
const simulationView = z.object({
  id: z.string(), name: z.string(), asOf: z.string(), scopeCode: z.string(),
  changes: z.array(z.object({ scheme: z.string(), name: z.string(), value: z.unknown(), scope: z.string().optional() })),
  baseVersion: z.string(), status: z.enum(['queued', 'running', 'done', 'failed']), statusName: z.string(), done: z.number(), total: z.number().nullable(),
  result: z.object({
    people: z.number(),
    schemes: z.record(z.string(), figures.extend({ examples: z.record(z.string(), z.array(example)) })),
    districts: z.record(z.string(), z.object({ people: z.number(), schemes: z.record(z.string(), figures) })),
  }).nullable(),
  error: z.string().nullable(), createdAt: z.string(), finishedAt: z.string().nullable(),
});
const simulationBody = z.strictObject({
  name: z.string().trim().min(1, '请填写测算名称').max(100),
  asOf: localDate.optional(),
  changes: z.array(z.strictObject({
    scheme: z.string().min(1).max(40),
    name: z.string().min(1).max(60),
    value: z.union([z.number(), z.string().max(200), z.boolean(), z.array(z.string().max(40)).max(20), z.record(z.string().max(20), z.number())]),
    scope: district.optional(),
  })).min(1, '请至少修改一个参数').max(20),
});

/** Register the entitlement routes; the ports read a registered person's facts and a population (src/app.ts). */
export function entitlementRoutes(ports: { factsOf: FactsOf; sim: SimulationPorts; namesOf: NamesOf; advisorsIn: AdvisorsIn; payments: (ctx: AppContext) => PaymentPorts; vouchers: VoucherPorts }) {
  return (app: ZApp, ctx: AppContext): void => {
    const svc = new EntitlementService(ctx, ports.factsOf);
    const sims = new SimulationService(ctx, svc, ports.sim);
    const outreach = new OutreachService(ctx, svc, ports.namesOf, ports.advisorsIn);
    const pay = new PaymentService(ctx, svc, ports.payments(ctx));
    const vouchers = new VoucherService(ctx, ports.vouchers);
    const caller = (req: { caller: Caller | null }) => {
      if (!req.caller) throw new AppError('AUTH_REQUIRED');
      return req.caller;
    };

    app.post('/api/v1/entitlements/check', {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: '待遇自助测算：按填写的情况核对各项政策（无需登录，不保存任何信息）',
        description: '与 `yiyang entitle` 的输入相同（不含 id）。返回每个项目是否符合、原因、改变结果的条件，以及逐条引用的政策参数。',
        body: factsBody,
        response: { 200: view, 400: errorBodySchema },
      },
    }, async (req) => {
      const { asOf, ...facts } = req.body;
      return svc.check(facts, asOf as LocalDate | undefined);
    });

    app.get('/api/v1/entitlements/parameters', {
      config: { auth: 'public' },
      schema: {
        tags,
        summary: '某日、某区生效的政策参数及出处（公开）',
        querystring: z.strictObject({ asOf: localDate.optional(), region: district.optional() }),
        response: { 200: z.object({ asOf: z.string(), region: z.string(), version: z.string(), schemes: z.array(z.object({ scheme: z.string(), name: z.string(), parameters: z.array(z.record(z.string(), z.unknown())) })) }), 400: errorBodySchema },
      },
    }, async (req) => svc.parameters(req.query.region, req.query.asOf as LocalDate | undefined));

    app.get('/api/v1/people/:id/entitlements', {
      config: { auth: 'entitlements.read' },
      schema: {
        tags,
        summary: '养老顾问核对：某位老人在某日的全部待遇、原因及改变结果的条件（记审计）',
        params: z.object({ id: uuid }),
        querystring: z.strictObject({ asOf: localDate.optional() }),
        response: { 200: view.extend({ personId: z.string() }), ...errors },
      },
    }, async (req) => svc.forPerson(caller(req), req.params.id, req.query.asOf as LocalDate | undefined));

    app.post('/api/v1/entitlements/simulations', {
      config: { auth: 'entitlements.simulate' },
      schema: {
        tags,
        summary: '政策调整测算：复制现行参数、修改部分参数，在后台对本辖区全部人口测算增减人数与费用（结果保留，可比较）',
        description: `changes[].value 为新值；表格参数（如各年龄段津贴）只需给出要改的键。测算项目：${SIM_SCHEMES.join('、')}。`,
        body: simulationBody,
        response: { 202: simulationView, ...errors },
      },
    }, async (req, reply) => reply.status(202).send(await sims.start(caller(req), { ...req.body, asOf: req.body.asOf as LocalDate | undefined })));

    app.get('/api/v1/entitlements/simulations', {
      config: { auth: 'entitlements.simulate' },
      schema: { tags, summary: '本辖区的政策调整测算（最近 50 次）', response: { 200: z.object({ items: z.array(simulationView) }), ...errors } },
    }, async (req) => sims.list(caller(req)));

    const scheme = z.enum(CLAIM_SCHEMES);
    const ids = z.array(uuid).min(1, '请至少选择一人').max(5000, '一次最多 5000 人');
    const skipped = z.array(z.object({ personId: z.string(), reason: z.string() }));

    app.get('/api/v1/entitlements/unclaimed', {
      config: { auth: 'entitlements.outreach' },
      schema: {
        tags,
        summary: '政策找人：符合条件但既未享受也未申请的老人（按街镇统计，附符合原因；记审计）',
        querystring: z.strictObject({ scheme, region: z.string().regex(/^\d{6}(\d{3}){0,2}$/, '应为行政区划代码').optional(), limit: z.coerce.number().int().min(1).max(200).default(50), cursor: uuid.optional() }),
        response: {
          200: z.object({
            scheme: z.string(), schemeName: z.string(), noApplicationGrant: z.boolean(), total: z.number(),
            byStreet: z.array(z.object({ streetCode: z.string(), streetName: z.string(), count: z.number() })),
            items: z.array(z.object({
              personId: z.string(), name: z.string(), age: z.number().nullable(), districtCode: z.string(), regionCode: z.string(), regionName: z.string(), reason: z.string(),
              outreach: z.object({ id: z.string(), advisorId: z.string(), advisorName: z.string().nullable() }).nullable(),
            })),
            nextCursor: z.string().nullable(),
          }),
          ...errors,
        },
      },
    }, async (req) => outreach.unclaimed(caller(req), req.query));

    app.post('/api/v1/entitlements/grants/bulk', {
      config: { auth: 'entitlements.outreach' },
      schema: {
        tags,
        summary: '免申即享：为符合条件的老人批量发放（仅限参数允许免申的项目；逐人复核，不符合的列出原因）',
        body: z.strictObject({ scheme, personIds: ids }),
        response: { 200: z.object({ scheme: z.string(), grantedFrom: z.string(), granted: z.number(), skipped }), ...errors },
      },
    }, async (req) => outreach.bulkGrant(caller(req), req.body));

    app.get('/api/v1/entitlements/advisors', {
      config: { auth: 'entitlements.outreach' },
      schema: { tags, summary: '本辖区的养老顾问（派发探访任务用）', response: { 200: z.object({ items: z.array(z.object({ id: z.string(), username: z.string(), displayName: z.string(), regionCode: z.string() })) }), ...errors } },
    }, async (req) => outreach.advisors(caller(req)));

    app.post('/api/v1/entitlements/outreach', {
      config: { auth: 'entitlements.outreach' },
      schema: {
        tags,
        summary: '派养老顾问上门：为符合条件但未申请的老人建立探访任务',
        body: z.strictObject({ scheme, personIds: ids, advisorId: uuid }),
        response: { 200: z.object({ scheme: z.string(), advisorId: z.string(), assigned: z.number(), alreadyAssigned: z.number(), skipped }), ...errors },
      },
    }, async (req) => outreach.assign(caller(req), req.body));

    const task = z.object({
      id: z.string(), personId: z.string(), name: z.string(), regionCode: z.string(), regionName: z.string(), scheme: z.string(), schemeName: z.string(),
      advisorId: z.string(), status: z.enum(['assigned', 'done', 'cancelled']), note: z.string().nullable(), createdAt: z.string(), updatedAt: z.string(),
    });
    app.get('/api/v1/entitlements/outreach', {
      config: { auth: 'entitlements.read' },
      schema: {
        tags, summary: '探访任务（养老顾问看自己的；其他人看本辖区的）',
        querystring: z.strictObject({ status: z.enum(['assigned', 'done', 'cancelled']).optional() }),
        response: { 200: z.object({ items: z.array(task) }), ...errors },
      },
    }, async (req) => outreach.tasks(caller(req), req.query.status));

    app.post('/api/v1/entitlements/outreach/:id/close', {
      config: { auth: 'entitlements.apply' },
      schema: {
        tags, summary: '完成或取消探访任务',
        params: z.object({ id: uuid }),
        body: z.strictObject({ status: z.enum(['done', 'cancelled']), note: z.string().max(500).optional() }),
        response: { 200: z.object({ id: z.string(), status: z.string() }), ...errors, 409: errorBodySchema },
      },
    }, async (req) => outreach.closeTask(caller(req), req.params.id, req.body));

    const grant = z.object({
      id: z.string(), scheme: z.string(), schemeName: z.string(), status: z.string(), statusName: z.string(), channel: z.string(),
      appliedOn: z.string().nullable(), grantedFrom: z.string().nullable(), stoppedOn: z.string().nullable(), reason: z.string().nullable(), createdAt: z.string(),
    });
    app.post('/api/v1/people/:id/grants', {
      config: { auth: 'entitlements.apply' },
      schema: {
        tags, summary: '登记申请（或窗口当场核准）：该项目已有申请或正在享受时拒绝',
        params: z.object({ id: uuid }),
        body: z.strictObject({ scheme, status: z.enum(['applied', 'granted']), date: localDate.optional() }),
        response: { 201: grant, ...errors, 409: errorBodySchema },
      },
    }, async (req, reply) => reply.status(201).send(await outreach.record(caller(req), { personId: req.params.id, scheme: req.body.scheme, status: req.body.status, date: req.body.date as LocalDate | undefined })));

    app.get('/api/v1/people/:id/grants', {
      config: { auth: 'entitlements.read' },
      schema: { tags, summary: '某位老人的待遇申请与享受记录', params: z.object({ id: uuid }), response: { 200: z.object({ items: z.array(grant) }), ...errors } },
    }, async (req) => outreach.grants(caller(req), req.params.id));

    const batch = z.object({
      id: z.string(), scheme: z.string(), schemeName: z.string(), districtCode: z.string(), districtName: z.string(), month: z.string(),
      status: z.enum(['draft', 'approved', 'exported', 'reconciled']), statusName: z.string(), parameterVersion: z.string(), rules: z.record(z.string(), z.unknown()),
      people: z.number(), lines: z.number(), regularFen: z.number(), arrearsFen: z.number(), recoveryFen: z.number(), netFen: z.number(),
      createdBy: z.string().nullable(), createdByName: z.string().nullable(), computedAt: z.string(), approvedBy: z.string().nullable(), approvedByName: z.string().nullable(),
      approvedAt: z.string().nullable(), exportedAt: z.string().nullable(), reconciledAt: z.string().nullable(),
    });
    const month = z.string().refine(isMonth, '月份格式应为 YYYY-MM');
    const batchId = z.object({ id: uuid });

    app.post('/api/v1/entitlements/payments', {
      config: { auth: 'entitlements.pay' },
      schema: {
        tags,
        summary: '按月发放：计算某项目、某区、某月的发放批次（当月、补发、追回；待审批的批次可重算，已发月份不重复发）',
        body: z.strictObject({ scheme: z.enum(CASH_SCHEMES), districtCode: z.string().regex(/^\d{6}$/, '应为 6 位区代码'), month }),
        response: { 200: batch, ...errors, 409: errorBodySchema },
      },
    }, async (req) => pay.run(caller(req), { ...req.body, month: req.body.month as Month }));

    app.get('/api/v1/entitlements/payments', {
      config: { auth: 'entitlements.pay' },
      schema: { tags, summary: '发放批次（本辖区，按月份倒序）', querystring: z.strictObject({ scheme: z.string().max(40).optional(), districtCode: z.string().regex(/^\d{6}$/).optional() }), response: { 200: z.object({ items: z.array(batch) }), ...errors } },
    }, async (req) => pay.list(caller(req), req.query));

    app.get('/api/v1/entitlements/payments/:id', {
      config: { auth: 'entitlements.pay' },
      schema: {
        tags, summary: '一个发放批次及其明细（记审计）', params: batchId,
        response: { 200: batch.extend({ items: z.array(z.object({ seq: z.number(), personId: z.string(), name: z.string(), forMonth: z.string(), kind: z.string(), kindName: z.string(), amountFen: z.number(), reason: z.string(), status: z.string(), statusName: z.string(), returnReason: z.string().nullable() })) }), ...errors },
      },
    }, async (req) => pay.get(caller(req), req.params.id));

    app.post('/api/v1/entitlements/payments/:id/approve', {
      config: { auth: 'entitlements.pay' },
      schema: { tags, summary: '审批发放批次（审批人须不同于计算人）', params: batchId, response: { 200: batch, ...errors, 409: errorBodySchema } },
    }, async (req) => pay.approve(caller(req), req.params.id));

    app.post('/api/v1/entitlements/payments/:id/export', {
      config: { auth: 'entitlements.pay' },
      schema: {
        tags, summary: '生成银行代发文件（CSV 或 XLSX，含完整身份证号，记审计；批次标记为已报送银行）', params: batchId,
        querystring: z.strictObject({ format: z.enum(['csv', 'xlsx']).default('xlsx') }),
      },
    }, async (req, reply) => {
      const f = await pay.bankFile(caller(req), req.params.id, req.query.format);
      return reply
        .type(f.contentType)
        .header('content-disposition', `attachment; filename="payment.${req.query.format}"; filename*=UTF-8''${encodeURIComponent(f.fileName)}`)
        .header('cache-control', 'no-store')
        .send(f.body);
    });

    app.post('/api/v1/entitlements/payments/:id/reconcile', {
      config: { auth: 'entitlements.pay' },
      schema: {
        tags, summary: '对账：登记银行退回的序号及原因，其余记为已发放；退回的款项由下月批次补发', params: batchId,
        body: z.strictObject({ returned: z.array(z.strictObject({ seq: z.number().int().min(1), reason: z.string().trim().min(1, '请填写退回原因').max(200) })).max(100000) }),
        response: { 200: batch.extend({ paid: z.number(), returned: z.number() }), ...errors, 409: errorBodySchema },
      },
    }, async (req) => pay.reconcile(caller(req), req.params.id, req.body.returned));

    const entry = z.object({
      id: z.string(), kind: z.enum(['credit', 'reverse', 'redeem']), kindName: z.string(), amountFen: z.number(), balanceAfterFen: z.number(),
      forMonth: z.string().nullable(), providerName: z.string().nullable(), service: z.string().nullable(), note: z.string().nullable(), at: z.string(),
    });
    app.get('/api/v1/people/:id/vouchers', {
      config: { auth: 'entitlements.read' },
      schema: { tags, summary: '某位老人的养老服务补贴电子券余额与每笔收支（记审计）', params: z.object({ id: uuid }), response: { 200: z.object({ personId: z.string(), name: z.string(), balanceFen: z.number(), entries: z.array(entry) }), ...errors } },
    }, async (req) => vouchers.account(caller(req), req.params.id));

    app.get('/api/v1/me/vouchers', {
      config: { auth: 'user' },
      schema: {
        tags, summary: '我（及家人）的养老服务补贴电子券：余额与每笔收支',
        response: { 200: z.object({ people: z.array(z.object({ personId: z.string(), name: z.string(), relation: z.string(), relationName: z.string(), balanceFen: z.number(), entries: z.array(entry) })) }), ...errors },
      },
    }, async (req) => vouchers.mine(caller(req)));

    app.post('/api/v1/vouchers/redeem', {
      config: { auth: 'vouchers.redeem' },
      schema: {
        tags, summary: '服务机构核销电子券：按老人自主选择的服务扣减余额（同一请求编号只记一次；余额不足拒绝）',
        body: z.strictObject({
          personId: uuid, amountFen: z.number().int().min(1, '金额须大于 0').max(10_000_000), service: z.string().trim().min(1, '请填写服务内容').max(100),
          requestKey: z.string().trim().min(8, '请求编号至少 8 个字符').max(64),
        }),
        response: { 201: z.object({ entry, balanceFen: z.number(), repeated: z.boolean() }), 200: z.object({ entry, balanceFen: z.number(), repeated: z.boolean() }), ...errors, 409: errorBodySchema },
      },
    }, async (req, reply) => {
      const r = await vouchers.redeem(caller(req), req.body);
      return reply.status(r.repeated ? 200 : 201).send(r);
    });

    app.get('/api/v1/vouchers/statement', {
      config: { auth: 'vouchers.redeem' },
      schema: { tags, summary: '本机构某月核销明细与合计（按月结算的依据）', querystring: z.strictObject({ month: month.optional() }), response: { 200: z.object({ month: z.string(), totalFen: z.number(), count: z.number(), entries: z.array(entry) }), ...errors } },
    }, async (req) => vouchers.statement(caller(req), req.query.month));

    app.get('/api/v1/vouchers/settlements', {
      config: { auth: 'vouchers.settle' },
      schema: {
        tags, summary: '电子券月度结算：本辖区各服务机构当月核销合计（记审计）', querystring: z.strictObject({ month: month.optional() }),
        response: { 200: z.object({ month: z.string(), totalFen: z.number(), providers: z.array(z.object({ providerId: z.string(), providerName: z.string(), redemptions: z.number(), people: z.number(), totalFen: z.number() })) }), ...errors },
      },
    }, async (req) => vouchers.settlements(caller(req), req.query.month));

    app.get('/api/v1/entitlements/simulations/:id', {
      config: { auth: 'entitlements.simulate' },
      schema: { tags, summary: '一次测算的进度与结果', params: z.object({ id: uuid }), response: { 200: simulationView, ...errors } },
    }, async (req) => sims.get(caller(req), req.params.id));
  };
}
