// HTTP surface of the assessment workflow under /api/v1/assessments and /api/v1/instruments.
// zod schemas here are the single source of validation, types and the OpenAPI document; the
// shapes are listed in README.md "HTTP API".
import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import { errorBodySchema, type ZApp } from '../platform/http.ts';
import { loadInstrument, loadInstrumentOn, parseInstrumentSpec } from './instruments.ts';
import { findPeoplePort, personByIdNumberPort, personPort } from './people-port.ts';
import { AssessmentService } from './service.ts';
import { APPLICANTS, CHANNELS, REASONS, STATES } from './workflow.ts';

const tags = ['assessment'];
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, '无效的编号');
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const MAX_ITEM_KEY = 8;
const MAX_SCORE = 100;

const view = z.object({
  id: z.string(), personId: z.string(), districtCode: z.string(), regionCode: z.string(),
  reason: z.string(), channel: z.string(), applicant: z.string(), state: z.enum(STATES), stateName: z.string(),
  stateReasons: z.array(z.object({ code: z.string(), message: z.string() })), appliedOn: z.string(),
  agencyId: z.string().nullable(), assessor1Id: z.string().nullable(), assessor2Id: z.string().nullable(),
  answers: z.record(z.string(), z.number()), coma: z.boolean().nullable(), diagnoses: z.array(z.string()), riskEvents30d: z.unknown(),
  progress: z.object({ answered: z.number(), total: z.number() }),
  instrument: z.object({ id: z.string(), version: z.string() }).nullable(),
  result: z.record(z.string(), z.unknown()).nullable(), level: z.number().nullable(), levelName: z.string().nullable(),
  validFrom: z.string().nullable(), validUntil: z.string().nullable(), appealBy: z.string().nullable(),
  signedDocument: z.record(z.string(), z.unknown()).nullable(), reviewOf: z.string().nullable(),
  expectedVisitBy: z.string().nullable(), expectedResultBy: z.string().nullable(), overdue: z.boolean(),
  version: z.number(), createdAt: z.string(), updatedAt: z.string(), completedAt: z.string().nullable(),
});
const page = z.object({ items: z.array(view), nextCursor: z.string().nullable() });
const paging = { limit: z.coerce.number().int().min(1).max(200).default(50), cursor: uuid.optional() };
const scoreResult = z.object({
  dimensions: z.record(z.string(), z.number()), total: z.number(), preliminaryLevel: z.number(), level: z.number(), levelName: z.string(),
  adjustments: z.array(z.object({ code: z.string(), reason: z.string() })),
});
const riskEvents = z.union([z.number().int().min(0).max(MAX_SCORE), z.record(z.string().max(20), z.number().int().min(0).max(MAX_SCORE))]);
const CLOSING_REASON_MAX = 500;
/** A closing reason: required, in Chinese (it is told to the applicant), at most 500 characters. */
const closingReasonText = z.string().superRefine((v, c) => {
  const text = v.trim();
  if (text.length === 0) c.addIssue({ code: 'custom', message: '请填写原因' });
  else if (text.length > CLOSING_REASON_MAX) c.addIssue({ code: 'custom', message: `原因不能超过 ${CLOSING_REASON_MAX} 字` });
  else if (!/\p{Script=Han}/u.test(text)) c.addIssue({ code: 'custom', message: '请用中文填写原因' });
});
const versionBody = z.strictObject({ version: z.number().int().min(1).optional() }).optional();

/** Register the assessment routes. */
export function assessmentRoutes(app: ZApp, ctx: AppContext): void {
  const svc = new AssessmentService(ctx, personPort(ctx));
  const caller = (req: { caller: Caller | null }) => {
    if (!req.caller) throw new AppError('AUTH_REQUIRED');
    return req.caller;
  };
  const idParams = z.object({ id: uuid });

  app.post('/api/v1/assessments', {
    config: { auth: 'assessment.apply' },
    schema: {
      tags, summary: '申请评估（不符合条件的记为“不予受理”并说明原因）',
      body: z.strictObject({ personId: uuid, reason: z.enum(REASONS).default('first'), channel: z.enum(CHANNELS), applicant: z.enum(APPLICANTS) }),
      response: { 201: view, ...errors },
    },
  }, async (req, reply) => reply.status(201).send(await svc.apply(caller(req), req.body)));

  app.get('/api/v1/assessments', {
    config: { auth: 'assessment.read' },
    schema: {
      tags, summary: '评估申请列表（评估员只见指派给自己的）',
      querystring: z.strictObject({ state: z.enum(STATES).optional(), personId: uuid.optional(), overdue: z.enum(['true', 'false']).optional(), ...paging }),
      response: { 200: page, ...errors },
    },
  }, async (req) => {
    const { limit, cursor, overdue, ...f } = req.query;
    return svc.list(caller(req), { ...f, overdue: overdue === 'true' }, limit, cursor ?? null);
  });

  app.get('/api/v1/assessments/overdue', {
    config: { auth: 'assessment.oversee' },
    schema: { tags, summary: '超期未办结的评估申请', querystring: z.strictObject(paging), response: { 200: page, ...errors } },
  }, async (req) => svc.overdue(caller(req), req.query.limit, req.query.cursor ?? null));

  app.get('/api/v1/assessments/expiring', {
    config: { auth: 'assessment.oversee' },
    schema: {
      tags, summary: '即将到期的评估结果（期末评估提醒）',
      querystring: z.strictObject({ days: z.coerce.number().int().min(1).max(366).optional(), ...paging }),
      response: { 200: page, ...errors },
    },
  }, async (req) => svc.expiring(caller(req), req.query.days, req.query.limit, req.query.cursor ?? null));

  app.get('/api/v1/assessments/agencies', {
    config: { auth: 'assessment.read' },
    schema: {
      tags, summary: '定点评估机构及其评估员（派单用）',
      response: {
        200: z.object({ items: z.array(z.object({
          id: z.string(), code: z.string(), name: z.string(), districtCode: z.string(), regionCode: z.string(),
          daysToVisit: z.number(), daysToResult: z.number(), assessors: z.array(z.string()),
        })) }),
        ...errors,
      },
    },
  }, async (req) => svc.agencies(caller(req)));

  app.get('/api/v1/assessments/keys', {
    config: { auth: 'public' },
    schema: {
      tags, summary: '本平台签发评估结果的公钥（供异地离线校验）',
      response: { 200: z.object({ keys: z.array(z.object({ keyId: z.string(), regionCode: z.string(), publicKey: z.string() })) }) },
    },
  }, async () => svc.keys());

  app.post('/api/v1/assessments/verify', {
    config: { auth: 'public' },
    schema: {
      tags, summary: '校验签名的评估结果文件（有效 / 无效及原因）',
      body: z.unknown(),
      response: {
        200: z.object({
          valid: z.boolean(), summary: z.string(),
          problems: z.array(z.object({ code: z.string(), message: z.string(), path: z.string().optional() })),
          instrument: z.object({ id: z.string(), version: z.string() }).optional(), keyId: z.string().optional(),
        }),
        ...errors,
      },
    },
  }, async (req) => svc.verify(req.body));

  app.post('/api/v1/assessments/score', {
    config: { auth: 'assessment.score' },
    schema: {
      tags, summary: '无状态评分（与 yiyang assess score 的一行相同）',
      querystring: z.strictObject({ instrument: z.string().min(1).max(80).regex(/^[a-z0-9][a-z0-9.-]*(@[0-9A-Za-z][0-9A-Za-z.-]*)?$/).optional() }),
      body: z.unknown(),
    },
  }, async (req, reply) => {
    const r = await svc.scoreOne(req.body, req.query.instrument);
    return reply.status(r.ok ? 200 : 400).send(r.body);
  });

  app.get('/api/v1/instruments/:id', {
    config: { auth: 'public' },
    schema: {
      tags, summary: '评估量表（平板表单用；id@version 为该版本，id 为 asOf 日（默认今天）生效的版本）',
      params: z.object({ id: z.string().min(1).max(80).regex(/^[a-z0-9][a-z0-9.-]*(@[0-9A-Za-z][0-9A-Za-z.-]*)?$/, '无效的量表编号') }),
      querystring: z.strictObject({ asOf: localDate.optional() }),
    },
  }, async (req) => {
    const { id, version } = parseInstrumentSpec(req.params.id);
    if (version !== null) return (await loadInstrument(req.params.id)).data;
    return (await loadInstrumentOn(id, req.query.asOf ?? todayIn(ctx.clock))).data;
  });

  app.get('/api/v1/assessments/:id', {
    config: { auth: 'assessment.read' },
    schema: { tags, summary: '评估申请详情', params: idParams, response: { 200: view, ...errors } },
  }, async (req) => svc.get(caller(req), req.params.id));

  app.post('/api/v1/assessments/:id/assign', {
    config: { auth: 'assessment.assign' },
    schema: {
      tags, summary: '派单：评估机构和两名评估员',
      params: idParams,
      body: z.strictObject({ agencyId: uuid, assessorIds: z.tuple([uuid, uuid]), version: z.number().int().min(1).optional() }),
      response: { 200: view, ...errors },
    },
  }, async (req) => svc.assign(caller(req), req.params.id, req.body));

  app.put('/api/v1/assessments/:id/answers', {
    config: { auth: 'assessment.record' },
    schema: {
      tags, summary: '录入评估答案（可分批、离线同步；按 opId 幂等）',
      params: idParams,
      body: z.strictObject({
        opId: uuid,
        answers: z.record(z.string().min(1).max(MAX_ITEM_KEY), z.number().int().min(0).max(MAX_SCORE)),
        coma: z.boolean().optional(),
        diagnoses: z.array(z.string().min(1).max(20)).max(50).optional(),
        riskEvents30d: riskEvents.optional(),
        visitedOn: localDate.optional(),
      }),
      response: {
        200: z.object({
          applied: z.boolean(), assessment: view,
          progress: z.object({ answered: z.number(), total: z.number(), missing: z.array(z.string()) }),
          preview: scoreResult.nullable(),
          previewError: z.object({ code: z.string(), message: z.string(), path: z.string() }).nullable(),
        }),
        ...errors,
      },
    },
  }, async (req) => svc.recordAnswers(caller(req), req.params.id, { ...req.body, visitedOn: req.body.visitedOn as LocalDate | undefined }));

  app.post('/api/v1/assessments/:id/submit', {
    config: { auth: 'assessment.record' },
    schema: { tags, summary: '第一评估员提交', params: idParams, body: versionBody, response: { 200: view, ...errors } },
  }, async (req) => svc.submit(caller(req), req.params.id, req.body?.version));

  app.post('/api/v1/assessments/:id/countersign', {
    config: { auth: 'assessment.record' },
    schema: { tags, summary: '第二评估员复核签字：评分、签名、生效', params: idParams, body: versionBody, response: { 200: view, ...errors } },
  }, async (req) => svc.countersign(caller(req), req.params.id, req.body?.version));

  app.post('/api/v1/assessments/:id/appeal', {
    config: { auth: 'assessment.apply' },
    schema: {
      tags, summary: '对评估结果申请复核（由另一家评估机构评估）',
      params: idParams,
      body: z.strictObject({ channel: z.enum(CHANNELS), applicant: z.enum(APPLICANTS), note: z.string().max(500).optional() }),
      response: { 201: view, ...errors },
    },
  }, async (req, reply) => reply.status(201).send(await svc.appeal(caller(req), req.params.id, req.body)));

  // 不予受理 (officer) and 撤销 (on the applicant's request): a reason in Chinese is required.
  const closeBody = z.strictObject({ reason: closingReasonText, version: z.number().int().min(1).optional() });
  app.post('/api/v1/assessments/:id/reject', {
    config: { auth: 'assessment.assign' },
    schema: {
      tags, summary: '不予受理（仅“已申请”状态；须填写原因）',
      params: idParams, body: closeBody, response: { 200: view, ...errors },
    },
  }, async (req) => svc.close(caller(req), req.params.id, 'reject', req.body));

  app.post('/api/v1/assessments/:id/cancel', {
    config: { auth: 'assessment.apply' },
    schema: {
      tags, summary: '撤销评估申请（已申请、已派单、评估中；须填写原因）',
      params: idParams, body: closeBody, response: { 200: view, ...errors },
    },
  }, async (req) => svc.close(caller(req), req.params.id, 'cancel', req.body));

  assessmentReportRoutes(app, svc, ctx);
  assessmentQualityRoutes(app, ctx);
  careGradeRoutes(app, ctx);
}

// ---- printable report (issue 4 §6) ----
// Imports of this block are kept here so the block stays one contiguous addition.
import { assessmentReportPdf } from './service.ts';

/** `GET /api/v1/assessments/:id/report.pdf`: the 评估报告 of a completed assessment (read permission and scope of the assessment). */
function assessmentReportRoutes(app: ZApp, svc: AssessmentService, ctx: AppContext): void {
  app.get('/api/v1/assessments/:id/report.pdf', {
    config: { auth: 'assessment.read' },
    schema: {
      tags, summary: '评估报告（PDF，可打印；仅已完成的评估）',
      params: z.object({ id: uuid }),
    },
  }, async (req, reply) => {
    if (!req.caller) throw new AppError('AUTH_REQUIRED');
    const { pdf, fileName } = await assessmentReportPdf(ctx, svc, req.caller, req.params.id);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${fileName.ascii}"; filename*=UTF-8''${encodeURIComponent(fileName.utf8)}`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });
}

// ---- quality control (issue 4 §5) ----
// Imports of this block are kept here so the block stays one contiguous addition.
import { qualityOverview } from './service.ts';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD').refine(isValidLocalDate, '无效的日期');
const figureSummary = z.object({ mean: z.number(), median: z.number() }).nullable();
const flag = z.object({ code: z.string(), message: z.string() });
const unitFigures = {
  districtCode: z.string(), name: z.string(), results: z.number(), distribution: z.array(z.number()), shares: z.array(z.number()),
  distance: z.number().nullable(), daysToResult: figureSummary, minutesVisitToSubmit: figureSummary,
  reviewed: z.number(), changedOnReview: z.number(), changedOnReviewShare: z.number().nullable(), kappa: z.number().nullable(), pairs: z.number(),
  flags: z.array(flag),
};
const qualityView = z.object({
  from: z.string(), to: z.string(), districtCode: z.string().nullable(), levelCount: z.number(),
  levels: z.array(z.object({ level: z.number(), name: z.string() })),
  params: z.record(z.string(), z.number()),
  districts: z.array(z.object({ districtCode: z.string(), results: z.number(), distribution: z.array(z.number()), shares: z.array(z.number()) })),
  agencies: z.array(z.object({ agencyId: z.string(), code: z.string(), sample: z.array(z.string()), ...unitFigures })),
  assessors: z.array(z.object({ assessorId: z.string(), agencyIds: z.array(z.string()), ...unitFigures })),
  outliers: z.array(z.object({ kind: z.enum(['agency', 'assessor']), id: z.string(), name: z.string(), districtCode: z.string(), flags: z.array(flag) })),
  sample: z.object({ share: z.number(), applicationIds: z.array(z.string()) }),
});

/** `GET /api/v1/assessments/quality`: quality figures of the caller's scope (officer, auditor read-only, admin). */
function assessmentQualityRoutes(app: ZApp, ctx: AppContext): void {
  app.get('/api/v1/assessments/quality', {
    config: { auth: 'assessment.oversee' },
    schema: {
      tags, summary: '评估质量控制：各机构、评估员的等级分布、用时、复核改变率、抽查复评样本与加权 kappa、异常提示',
      querystring: z.strictObject({
        from: localDate.optional(), to: localDate.optional(), districtCode: z.string().regex(/^\d{6}$/, '区县代码为 6 位数字').optional(),
        sampleShare: z.coerce.number().min(0).max(1).optional(),
      }),
      response: { 200: qualityView, ...errors },
    },
  }, async (req) => {
    if (!req.caller) throw new AppError('AUTH_REQUIRED');
    const { from, to, districtCode, sampleShare } = req.query;
    return qualityOverview(ctx, req.caller, { from: from as LocalDate | undefined, to: to as LocalDate | undefined, districtCode, sampleShare });
  });
}
import { isValidLocalDate, todayIn, type LocalDate } from '../core/dates.ts';

// ---- Shanghai care grade 0–6 (issue 4 item 1) ----
// Imports of this block are kept here so the block stays one contiguous addition.
import { CareGradeService } from './service.ts';
import { CARE_GRADE_OUTCOMES } from './care-grade.ts';

const careGradeView = z.object({
  id: z.string(), personId: z.string(), districtCode: z.string(), regionCode: z.string(),
  grade: z.number().nullable(), gradeCode: z.string().nullable(), gradeName: z.string(), outcome: z.enum(CARE_GRADE_OUTCOMES),
  agencyCode: z.string(), assessedOn: z.string(), validFrom: z.string(), validUntil: z.string(), validTo: z.string(),
  source: z.enum(['api', 'file']), keyId: z.string(), record: z.record(z.string(), z.unknown()),
  importedBy: z.string().nullable(), importedAt: z.string(), supersededBy: z.string().nullable(),
  personRefKind: z.enum(['id', 'id_number']),
  signature: z.object({ status: z.enum(['verified', 'verified_on_import', 'key_not_trusted', 'bad_signature']), message: z.string() }),
});
const careGradeImportSummary = z.object({
  source: z.enum(['api', 'file']), fileName: z.string().nullable(), total: z.number(), recorded: z.number(), unchanged: z.number(), rejected: z.number(),
  errors: z.array(z.object({ row: z.number(), field: z.string(), message: z.string() })),
  items: z.array(z.object({ row: z.number(), id: z.string().nullable(), status: z.enum(['recorded', 'unchanged']) })),
});

/** `POST /api/v1/care-grades`, `POST /api/v1/care-grades/import`, `GET /api/v1/care-grades?personId=`. */
function careGradeRoutes(app: ZApp, ctx: AppContext): void {
  const svc = new CareGradeService(ctx, personPort(ctx), personByIdNumberPort(ctx), findPeoplePort(ctx));
  const callerOf = (req: { caller: Caller | null }) => {
    if (!req.caller) throw new AppError('AUTH_REQUIRED');
    return req.caller;
  };

  app.post('/api/v1/care-grades', {
    config: { auth: 'assessment.grade.import' },
    schema: {
      tags, summary: '导入评估机构签名的照护等级记录（JSON 批量；有问题的记录单独拒绝并说明原因）',
      // Records are checked one by one in the service, so one bad record never fails the batch.
      body: z.strictObject({ records: z.array(z.unknown()).min(1).max(1000) }),
      response: { 200: careGradeImportSummary, ...errors },
    },
  }, async (req) => svc.importRecords(callerOf(req), req.body.records, 'api'));

  app.post('/api/v1/care-grades/import', {
    config: { auth: 'assessment.grade.import' },
    bodyLimit: ctx.config.importLimitBytes,
    schema: {
      tags, summary: '从文件导入照护等级（CSV 或 XLSX，请求体为文件原始内容）',
      querystring: z.strictObject({ fileName: z.string().min(1).max(200) }),
      response: { 200: careGradeImportSummary, ...errors },
    },
  }, async (req) => {
    const body = req.body;
    if (!Buffer.isBuffer(body)) throw new AppError('MEDIA_TYPE_UNSUPPORTED', '请以 application/octet-stream 上传文件内容');
    return svc.importFile(callerOf(req), req.query.fileName, body);
  });

  app.get('/api/v1/care-grades/records', {
    config: { auth: 'assessment.oversee' },
    schema: {
      tags, summary: '照护等级记录列表（按老人：编号、身份证号或姓名；按区；只看当前有效的）',
      querystring: z.strictObject({
        q: z.string().max(60).optional(), districtCode: z.string().regex(/^\d{6}$/, '区县代码为 6 位数字').optional(),
        current: z.enum(['true', 'false']).optional(), ...paging,
      }),
      response: {
        200: z.object({ items: z.array(careGradeView.extend({ status: z.enum(['current', 'superseded', 'expired', 'future']) })), nextCursor: z.string().nullable() }),
        ...errors,
      },
    },
  }, async (req) => {
    const { q, districtCode, current, limit, cursor } = req.query;
    return svc.records(callerOf(req), { q, districtCode, current: current === 'true' }, limit, cursor ?? null);
  });

  app.get('/api/v1/care-grades', {
    config: { auth: 'assessment.read' },
    schema: {
      tags, summary: '老人的照护等级历史及某日有效的等级',
      querystring: z.strictObject({ personId: uuid, asOf: localDate.optional() }),
      response: { 200: z.object({ personId: z.string(), asOf: z.string(), current: careGradeView.nullable(), items: z.array(careGradeView) }), ...errors },
    },
  }, async (req) => svc.list(callerOf(req), req.query.personId, req.query.asOf as LocalDate | undefined));
}
