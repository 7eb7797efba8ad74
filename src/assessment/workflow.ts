// The assessment workflow's rules (issue 4 §2), pure: no I/O, no clock. Every function takes
// the date it decides for and the parameters (policy/assessment/workflow.json) it uses.
//
//   applied ─assign─▶ assigned ─record─▶ in_progress ─submit─▶ submitted ─countersign─▶ completed
//      │                  │                   │
//      ├─reject─▶ rejected (ineligible)       │
//      └──────────cancel──┴───────────────────┴─▶ cancelled
//
// An illegal move is a value, not an exception: a coded error naming the current state
// (CONVENTIONS §23).
import { addDays, addYears, ageOn, type LocalDate } from '../core/dates.ts';
import { err, ok, type Result } from '../core/errors.ts';

export const STATES = ['applied', 'assigned', 'in_progress', 'submitted', 'completed', 'rejected', 'cancelled'] as const;
export type State = (typeof STATES)[number];

export const STATE_NAMES: Record<State, string> = {
  applied: '已申请',
  assigned: '已派单',
  in_progress: '评估中',
  submitted: '已提交待复核签字',
  completed: '已完成',
  rejected: '不予受理',
  cancelled: '已撤销',
};

/** 评估原因 (GB/T 42195 A.1): 首次 / 常规 / 即时（状况变化）/ 复评（对结果有疑问）/ 其他. */
export const REASONS = ['first', 'routine', 'change', 'review', 'other'] as const;
export type Reason = (typeof REASONS)[number];
export const REASON_NAMES: Record<Reason, string> = { first: '首次评估', routine: '常规评估', change: '即时评估（状况变化）', review: '复评（复核）', other: '其他' };
export const CHANNELS = ['online', 'centre'] as const;
export const APPLICANTS = ['self', 'family', 'advisor'] as const;

export const ACTIONS = ['assign', 'record', 'submit', 'countersign', 'reject', 'cancel'] as const;
export type Action = (typeof ACTIONS)[number];
export const ACTION_NAMES: Record<Action, string> = {
  assign: '派单', record: '录入评估答案', submit: '提交', countersign: '复核签字', reject: '不予受理', cancel: '撤销',
};

/** Which states each action may start from, and where it leads. */
const MOVES: Record<Action, { from: readonly State[]; to: State }> = {
  assign: { from: ['applied'], to: 'assigned' },
  record: { from: ['assigned', 'in_progress'], to: 'in_progress' },
  submit: { from: ['in_progress'], to: 'submitted' },
  countersign: { from: ['submitted'], to: 'completed' },
  reject: { from: ['applied'], to: 'rejected' },
  cancel: { from: ['applied', 'assigned', 'in_progress'], to: 'cancelled' },
};

export const OPEN_STATES: readonly State[] = ['applied', 'assigned', 'in_progress', 'submitted'];

export type WorkflowErrorCode =
  | 'ASSESSMENT_ILLEGAL_TRANSITION'
  | 'ASSESSMENT_NOT_ASSIGNED_ASSESSOR'
  | 'ASSESSMENT_COUNTERSIGN_NOT_ALLOWED'
  | 'ASSESSMENT_ASSIGNMENT_INVALID'
  | 'ASSESSMENT_APPEAL_NOT_ALLOWED'
  | 'ASSESSMENT_NO_OTHER_AGENCY'
  | 'ASSESSMENT_ANSWERS_INVALID';

export interface WorkflowError {
  code: WorkflowErrorCode;
  /** Chinese, shown to staff. */
  message: string;
  /** The state the application is in. */
  state?: State;
}

/** The pure transition function: where `action` leads from `state`, or a coded error naming the state. */
export function transition(state: State, action: Action): Result<State, WorkflowError> {
  const move = MOVES[action];
  if (move.from.includes(state)) return ok(move.to);
  return err({
    code: 'ASSESSMENT_ILLEGAL_TRANSITION',
    message: `评估申请当前状态为“${STATE_NAMES[state]}”（${state}），不能${ACTION_NAMES[action]}`,
    state,
  });
}

/** The moves by which staff close an application before the visit's result: 不予受理 and 撤销. */
export const CLOSING_ACTIONS = ['reject', 'cancel'] as const satisfies readonly Action[];
export type ClosingAction = (typeof CLOSING_ACTIONS)[number];

export interface StateReason {
  code: string;
  /** Chinese, shown to staff and told to the applicant. */
  message: string;
}

/**
 * Why staff closed an application: the reason as written, kept on the application
 * (`stateReasons`, shown with the state) and in the audit entry. Codes: `not_accepted`
 * (不予受理), `withdrawn` (撤销).
 */
export function closingReason(action: ClosingAction, text: string): StateReason {
  return { code: action === 'reject' ? 'not_accepted' : 'withdrawn', message: text.trim() };
}

export interface Assignment {
  assessor1Id: string | null;
  assessor2Id: string | null;
}

/** May this user record answers? Either assigned assessor (they visit together). */
export function mayRecord(a: Assignment, userId: string): Result<true, WorkflowError> {
  if (userId === a.assessor1Id || userId === a.assessor2Id) return ok(true);
  return err({ code: 'ASSESSMENT_NOT_ASSIGNED_ASSESSOR', message: '您不是该评估的指派评估员' });
}

/** May this user submit? Only the first (lead) assessor. */
export function maySubmit(a: Assignment, userId: string): Result<true, WorkflowError> {
  if (userId === a.assessor1Id) return ok(true);
  return err({ code: 'ASSESSMENT_NOT_ASSIGNED_ASSESSOR', message: '只有第一评估员可以提交评估' });
}

/** Who may countersign: the second assigned assessor, never the first (two signatures, GB/T 42195 C.5). */
export function mayCountersign(a: Assignment, userId: string): Result<true, WorkflowError> {
  if (a.assessor2Id !== null && userId === a.assessor2Id && userId !== a.assessor1Id) return ok(true);
  return err({
    code: 'ASSESSMENT_COUNTERSIGN_NOT_ALLOWED',
    message: userId === a.assessor1Id ? '第一评估员不能为自己的评估复核签字，须由第二评估员签字' : '只有指派的第二评估员可以复核签字',
  });
}

/** An assignment is two different assessors of the chosen agency, and not the excluded agency (review). */
export function checkAssignment(input: {
  agencyId: string;
  agencyDistrict: string | null;
  applicationDistrict: string;
  assessor1Id: string;
  assessor2Id: string;
  /** Assessor user ids of the chosen agency. */
  agencyAssessors: readonly string[];
  /** For a review (复核): the original's agency, which may not review its own result. */
  excludedAgencyId: string | null;
}): Result<true, WorkflowError> {
  const bad = (message: string) => err<WorkflowError>({ code: 'ASSESSMENT_ASSIGNMENT_INVALID', message });
  if (input.agencyDistrict === null) return bad('评估机构不存在');
  if (input.agencyDistrict !== input.applicationDistrict) return bad('评估机构不属于申请人所在的区');
  if (input.excludedAgencyId !== null && input.agencyId === input.excludedAgencyId) return bad('复核评估须由另一家评估机构进行，不能由原评估机构复核');
  if (input.assessor1Id === input.assessor2Id) return bad('须指派两名不同的评估员');
  for (const id of [input.assessor1Id, input.assessor2Id]) {
    if (!input.agencyAssessors.includes(id)) return bad('指派的评估员不属于该评估机构');
  }
  return ok(true);
}

export interface WorkflowParams {
  validityYears: number;
  minAge: number;
  daysToVisit: number;
  daysToResult: number;
  appealWindowDays: number;
  expiringSoonDays: number;
}

export interface EligibilityReason {
  code: 'deceased' | 'under_age' | 'open_application';
  message: string;
}

/**
 * May this person apply on `asOf`? Base case: yes. Named exceptions, in order: deceased,
 * under the minimum age, an application still open. Every reason is returned.
 */
export function checkEligibility(input: {
  birthDate: LocalDate;
  deathDate: LocalDate | null;
  openApplications: number;
  asOf: LocalDate;
  params: Pick<WorkflowParams, 'minAge'>;
}): { eligible: true } | { eligible: false; reasons: EligibilityReason[] } {
  const reasons: EligibilityReason[] = [];
  if (input.deathDate !== null && input.deathDate <= input.asOf) reasons.push({ code: 'deceased', message: `该老人已于 ${input.deathDate} 去世` });
  const age = ageOn(input.birthDate, input.asOf);
  if (age < input.params.minAge) reasons.push({ code: 'under_age', message: `申请日年龄 ${age} 周岁，未满 ${input.params.minAge} 周岁` });
  if (input.openApplications > 0) reasons.push({ code: 'open_application', message: '该老人已有尚未办结的评估申请' });
  return reasons.length === 0 ? { eligible: true } : { eligible: false, reasons };
}

/** Expected dates told to the applicant: the agency's own deadlines, else the defaults. */
export function expectedDates(
  appliedOn: LocalDate,
  agency: { daysToVisit: number | null; daysToResult: number | null } | null,
  params: Pick<WorkflowParams, 'daysToVisit' | 'daysToResult'>,
): { visitBy: LocalDate; resultBy: LocalDate } {
  return {
    visitBy: addDays(appliedOn, agency?.daysToVisit ?? params.daysToVisit),
    resultBy: addDays(appliedOn, agency?.daysToResult ?? params.daysToResult),
  };
}

/** A result is valid from the completion date for `validityYears`, up to the day before the anniversary. */
export function validity(completedOn: LocalDate, params: Pick<WorkflowParams, 'validityYears'>): { validFrom: LocalDate; validUntil: LocalDate } {
  return { validFrom: completedOn, validUntil: addDays(addYears(completedOn, params.validityYears), -1) };
}

/** The last day the applicant may ask for a review. */
export const appealBy = (completedOn: LocalDate, params: Pick<WorkflowParams, 'appealWindowDays'>): LocalDate =>
  addDays(completedOn, params.appealWindowDays);

/** Is an open application past its deadline on `asOf`? The visit deadline until the visit starts, then the result deadline. */
export function isOverdue(a: { state: State; expectedVisitBy: LocalDate | null; expectedResultBy: LocalDate | null }, asOf: LocalDate): boolean {
  if (!OPEN_STATES.includes(a.state)) return false;
  if ((a.state === 'applied' || a.state === 'assigned') && a.expectedVisitBy !== null && a.expectedVisitBy < asOf) return true;
  return a.expectedResultBy !== null && a.expectedResultBy < asOf;
}

/**
 * May the applicant appeal (复核评估) on `asOf`, and which agency reviews? The original must be
 * completed, the window open, and another active agency of the district must exist; the first
 * such agency (in the order given) reviews.
 */
export function planAppeal(input: {
  original: { state: State; completedOn: LocalDate | null; agencyId: string | null };
  asOf: LocalDate;
  agencies: readonly { id: string; active: boolean }[];
  params: Pick<WorkflowParams, 'appealWindowDays'>;
}): Result<{ agencyId: string }, WorkflowError> {
  const { original } = input;
  if (original.state !== 'completed' || original.completedOn === null) {
    return err({ code: 'ASSESSMENT_ILLEGAL_TRANSITION', message: `评估申请当前状态为“${STATE_NAMES[original.state]}”（${original.state}），只有已完成的评估可以申请复核`, state: original.state });
  }
  const last = appealBy(original.completedOn, input.params);
  if (input.asOf > last) return err({ code: 'ASSESSMENT_APPEAL_NOT_ALLOWED', message: `申请复核的期限已于 ${last} 届满` });
  const other = input.agencies.find((a) => a.active && a.id !== original.agencyId);
  if (!other) return err({ code: 'ASSESSMENT_NO_OTHER_AGENCY', message: '本区没有另一家评估机构可以进行复核' });
  return ok({ agencyId: other.id });
}

/** How far the answers are: answered item keys of the instrument's. */
export function progress(answers: Record<string, unknown>, itemKeys: readonly string[]): { answered: number; total: number; missing: string[] } {
  const missing = itemKeys.filter((k) => answers[k] === undefined);
  return { answered: itemKeys.length - missing.length, total: itemKeys.length, missing };
}

/**
 * The date of the home visit, which decides the instrument version (the one in force that day):
 * the tablet's date of the first answers, else today. It cannot be before the application nor
 * after today.
 */
export function visitDate(input: { visitedOn: LocalDate | undefined; appliedOn: LocalDate; today: LocalDate }): Result<LocalDate, WorkflowError> {
  const on = input.visitedOn ?? input.today;
  if (on > input.today) return err({ code: 'ASSESSMENT_ANSWERS_INVALID', message: `评估日期 ${on} 晚于今天（${input.today}）` });
  if (on < input.appliedOn) return err({ code: 'ASSESSMENT_ANSWERS_INVALID', message: `评估日期 ${on} 早于申请日期 ${input.appliedOn}` });
  return ok(on);
}
