// The assessment module's public surface (ARCHITECTURE.md: other modules import only this file).
// Pure parts only, so the `assess` CLI starts fast; the HTTP routes and demo seeding that the
// composition root wires in are in wiring.ts.
export {
  checkInstrument,
  checkVersionPeriods,
  compileInstrument,
  instrumentLabel,
  InstrumentDataError,
  periodOf,
  score,
  versionInForce,
  type Adjustment,
  type AdjustmentRule,
  type Cited,
  type Condition,
  type Confidence,
  type Effect,
  type EventCounting,
  type InputSpec,
  type Instrument,
  type InstrumentData,
  type InstrumentDimension,
  type InstrumentIssue,
  type InstrumentItem,
  type InstrumentLevel,
  type InstrumentOption,
  type InstrumentParameter,
  type InstrumentPeriod,
  type InstrumentRef,
  type ParamRef,
  type ParamValue,
  type ScoreError,
  type ScoreErrorCode,
  type ScoreRequest,
  type ScoreResult,
  type StackingMode,
  type Valued,
} from './model.ts';
export {
  DEFAULT_INSTRUMENTS_DIR, instrumentFromJson, listInstrumentVersions, loadInstrument, loadInstrumentOn, loadInstrumentVersions, parseInstrumentSpec,
} from './instruments.ts';
export { scoreLine, type LineErrorCode, type LineOutcome } from './batch.ts';
export {
  canonicalJson,
  generateSigningKey,
  RESULT_FORMAT,
  signResult,
  verifyResultDocument,
  type ResultPayload,
  type SignedResult,
  type SigningKey,
  type TrustedKey,
  type Verdict,
  type VerifyProblem,
  type VerifyProblemCode,
} from './signing.ts';
export { loadWorkflowPolicy, workflowParams } from './workflow-params.ts';
export {
  appealBy, checkAssignment, checkEligibility, closingReason, expectedDates, isOverdue, mayCountersign, mayRecord, maySubmit, planAppeal, progress,
  transition, validity, visitDate, STATES, STATE_NAMES, REASONS, type Action, type State, type WorkflowError, type WorkflowParams,
} from './workflow.ts';
export {
  careGradeMessage, careGradeName, careGradeOn, checkCareGrade, gradeFromText, signCareGrade, CARE_GRADE_FORMAT, CARE_GRADE_OUTCOMES,
  type AgencyKey, type CareGradeNames, type CareGradeOutcome, type CareGradeProblem, type CareGradeRecord, type CareGradeSpan, type SignedCareGrade,
} from './care-grade.ts';
