// The care-delivery module's public surface (ARCHITECTURE.md: other modules import only this file).
// So far: LTCI settlement of home-care visits (issue 8 §6, §8).
export { decimalFraction, greatCircleMeters, isoWeekKey, roundHalfUp, settle, type SettleParams, type SettlePerson, type SettleResult, type SettleVisit, type VisitResult } from './settle.ts';
export { paramsFor, readSettleInput, SettleInputError, type GivenParams, type SettleInput } from './input.ts';
