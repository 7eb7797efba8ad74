// One error family for the whole platform (CONVENTIONS §4). Codes are stable and namespaced;
// only platform/http maps a code's kind to an HTTP status. Messages are Simplified Chinese,
// because citizens and street-office staff read them.

export type ErrorKind =
  | 'invalid' // 400: the request is malformed or fails validation
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404 (also: exists but outside the caller's scope)
  | 'conflict' // 409: version mismatch, duplicate
  | 'too_large' // 413
  | 'unsupported' // 415
  | 'locked' // 423: account locked
  | 'rate_limited' // 429
  | 'internal'; // 500

export interface ErrorDetail {
  /** Field path, e.g. `birthDate` or `rows[3].idNumber`. */
  path: string;
  message: string;
}

export interface ErrorSpec {
  kind: ErrorKind;
  /** Default Chinese message. */
  message: string;
}

/** The catalogue of error codes. `docs/errors.md` is generated from this table. */
export const ERROR_CODES = {
  VALIDATION_FAILED: { kind: 'invalid', message: '提交的数据有误，请检查后重试' },
  BODY_MALFORMED: { kind: 'invalid', message: '请求内容不是有效的 JSON' },
  BODY_TOO_LARGE: { kind: 'too_large', message: '提交的内容过大' },
  MEDIA_TYPE_UNSUPPORTED: { kind: 'unsupported', message: '不支持的内容类型' },
  NOT_FOUND: { kind: 'not_found', message: '未找到该记录' },
  ROUTE_NOT_FOUND: { kind: 'not_found', message: '未找到该接口' },
  AUTH_REQUIRED: { kind: 'unauthenticated', message: '请先登录' },
  AUTH_INVALID_CREDENTIALS: { kind: 'unauthenticated', message: '用户名或密码错误' },
  AUTH_ACCOUNT_LOCKED: { kind: 'locked', message: '密码错误次数过多，账户已锁定 30 分钟' },
  AUTH_SESSION_EXPIRED: { kind: 'unauthenticated', message: '登录已超时，请重新登录' },
  AUTH_CSRF_FAILED: { kind: 'forbidden', message: '安全校验失败，请刷新页面后重试' },
  AUTH_FORBIDDEN: { kind: 'forbidden', message: '您没有权限进行此操作' },
  RATE_LIMITED: { kind: 'rate_limited', message: '操作过于频繁，请稍后再试' },
  CONFLICT_VERSION: { kind: 'conflict', message: '该记录已被他人修改，请刷新后重试' },
  PEOPLE_ID_NUMBER_INVALID: { kind: 'invalid', message: '身份证号码无效' },
  PEOPLE_DUPLICATE: { kind: 'conflict', message: '该身份证号码已登记' },
  PEOPLE_ALREADY_DELETED: { kind: 'conflict', message: '该记录已注销' },
  PEOPLE_LINK_REFUSED: { kind: 'conflict', message: '不能关联该账号' },
  IMPORT_FILE_INVALID: { kind: 'invalid', message: '文件无法读取，请确认是 CSV 或 XLSX 文件' },
  IMPORT_FILE_NAME_INVALID: { kind: 'invalid', message: '文件名不合法' },
  REGION_UNKNOWN: { kind: 'invalid', message: '行政区划代码不存在' },
  REGION_OUT_OF_SCOPE: { kind: 'not_found', message: '未找到该记录' },
  ASSESSMENT_ILLEGAL_TRANSITION: { kind: 'conflict', message: '评估申请当前状态不允许此操作' },
  ASSESSMENT_NOT_ASSIGNED_ASSESSOR: { kind: 'forbidden', message: '您不是该评估的指派评估员' },
  ASSESSMENT_COUNTERSIGN_NOT_ALLOWED: { kind: 'forbidden', message: '只有指派的第二评估员可以复核签字' },
  ASSESSMENT_ASSIGNMENT_INVALID: { kind: 'invalid', message: '派单信息有误' },
  ASSESSMENT_APPEAL_NOT_ALLOWED: { kind: 'conflict', message: '不能申请复核' },
  ASSESSMENT_NO_OTHER_AGENCY: { kind: 'conflict', message: '本区没有另一家评估机构可以进行复核' },
  ASSESSMENT_OPEN_APPLICATION: { kind: 'conflict', message: '该老人已有尚未办结的评估申请' },
  ENTITLEMENT_CONFLICT: { kind: 'conflict', message: '该事项当前状态不允许此操作' },
  ASSESSMENT_ANSWERS_INVALID: { kind: 'invalid', message: '评估答案有误' },
  ASSESSMENT_INCOMPLETE: { kind: 'invalid', message: '评估答案尚未填写完整' },
  SUPPLY_USCC_INVALID: { kind: 'invalid', message: '统一社会信用代码无效' },
  SUPPLY_PROVIDER_EXISTS: { kind: 'conflict', message: '该统一社会信用代码已登记' },
  SUPPLY_NOT_YOUR_FACILITY: { kind: 'forbidden', message: '只能管理本机构的设施' },
  SUPPLY_ILLEGAL_TRANSITION: { kind: 'conflict', message: '当前状态不允许此操作' },
  SUPPLY_NO_PROVIDER: { kind: 'conflict', message: '请先登记本机构信息' },
  CARE_NOT_ELIGIBLE: { kind: 'conflict', message: '不符合长期护理保险居家照护待遇条件' },
  CARE_PLAN_INVALID: { kind: 'invalid', message: '照护计划有误' },
  CARE_ILLEGAL_TRANSITION: { kind: 'conflict', message: '当前状态不允许此操作' },
  CARE_CAREGIVER_EXISTS: { kind: 'conflict', message: '该护理员已在本机构登记' },
  CARE_CAREGIVER_UNFIT: { kind: 'conflict', message: '该护理员目前不能派单' },
  CARE_NOT_YOUR_PROVIDER: { kind: 'forbidden', message: '只能管理本机构的记录' },
  CARE_NO_CAREGIVER_RECORD: { kind: 'forbidden', message: '您的账号尚未关联护理员登记信息' },
  CARE_CLAIM_EXISTS: { kind: 'conflict', message: '该机构本月的结算申报已生成' },
  WAITLIST_NOT_ELIGIBLE: { kind: 'conflict', message: '不符合保基本养老床位轮候条件' },
  WAITLIST_ALREADY_OPEN: { kind: 'conflict', message: '该老人已有正在轮候的申请' },
  WAITLIST_ILLEGAL_TRANSITION: { kind: 'conflict', message: '轮候申请当前状态不允许此操作' },
  WAITLIST_OFFER_CLOSED: { kind: 'conflict', message: '该入住通知已答复或已过期' },
  WAITLIST_RUN_CITY_ONLY: { kind: 'forbidden', message: '正式分配由市级民政部门发起；区、街镇可以试算' },
  MEALS_NO_MENU: { kind: 'conflict', message: '该助餐点这一餐尚未发布菜单' },
  MEALS_NO_DELIVERY: { kind: 'conflict', message: '这一餐不提供送餐上门' },
  MEALS_FULL: { kind: 'conflict', message: '该助餐点当天已订满' },
  MEALS_ALREADY_ORDERED: { kind: 'conflict', message: '这位老人这一餐已经订过了' },
  MEALS_ORDER_CLOSED: { kind: 'conflict', message: '已过订餐或退订的截止时间' },
  MEALS_PERSON_INACTIVE: { kind: 'conflict', message: '该老人的登记已注销或已故，不能订餐' },
  MEALS_ILLEGAL_TRANSITION: { kind: 'conflict', message: '订单当前状态不允许此操作' },
  MEALS_NOT_YOUR_POINT: { kind: 'forbidden', message: '只能管理本机构的助餐点' },
  AUDIT_CHAIN_BROKEN: { kind: 'internal', message: '审计日志校验失败' },
  INTERNAL: { kind: 'internal', message: '系统繁忙，请稍后再试' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message?: string, details: ErrorDetail[] = []) {
    const spec: ErrorSpec = ERROR_CODES[code];
    super(message ?? spec.message);
    this.name = 'AppError';
    this.code = code;
    this.kind = spec.kind;
    this.details = details;
  }

  toBody(): { error: { code: string; message: string; details: ErrorDetail[] } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Expected outcomes are values, not exceptions (CONVENTIONS §22). */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
