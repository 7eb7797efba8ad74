// The care-delivery module's public surface (ARCHITECTURE.md: other modules import only this file).
// Settlement of home-care visits (issue 8 §6, §8), the visit checks and review sample (§5, §6), the
// scheduling heuristic (§3), the care policy.
export { decimalFraction, greatCircleMeters, isoWeekKey, roundHalfUp, settle, type SettleParams, type SettlePerson, type SettleResult, type SettleVisit, type VisitResult } from './settle.ts';
export { paramsFor, readSettleInput, SettleInputError, type GivenParams, type SettleInput } from './input.ts';
export { ltciOn } from './ltci-params.ts';
export { anomalyScore, checkVisits, drawCallbacks, reviewSample, ANOMALY_CODES, ANOMALY_TEXT, type AnomalyCode, type AnomalyFlag, type AnomalyParams } from './anomaly.ts';
export { schedule, type ScheduleInput, type ScheduleParams, type ScheduleResult } from './schedule.ts';
export { carePolicy, checkCarePolicy, readCarePolicy, type CarePolicy, type CareRules } from './policy.ts';
