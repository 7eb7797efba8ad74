// HTTP surface of entitlements under /api/v1/entitlements and /api/v1/people/:id/entitlements.
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import { isValidLocalDate, type LocalDate } from '../core/dates.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import { errorBodySchema, type ZApp } from '../platform/http.ts';
import { ECONOMIC_STATUSES, LIVING } from './model.ts';
import { EntitlementService, SimulationService, type FactsOf, type SimulationPorts } from './service.ts';
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
export function entitlementRoutes(ports: { factsOf: FactsOf; sim: SimulationPorts }) {
  return (app: ZApp, ctx: AppContext): void => {
    const svc = new EntitlementService(ctx, ports.factsOf);
    const sims = new SimulationService(ctx, svc, ports.sim);
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

    app.get('/api/v1/entitlements/simulations/:id', {
      config: { auth: 'entitlements.simulate' },
      schema: { tags, summary: '一次测算的进度与结果', params: z.object({ id: uuid }), response: { 200: simulationView, ...errors } },
    }, async (req) => sims.get(caller(req), req.params.id));
  };
}
