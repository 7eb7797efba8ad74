// The entitlements module's public surface (ARCHITECTURE.md: other modules import only this file).
// Pure rules and parameter handling; the store, service and routes are reached through wiring.ts.
export {
  SCHEMES,
  SCHEME_NAMES,
  REQUIRED_PARAMETERS,
  ECONOMIC_STATUSES,
  INSURANCE_TYPES,
  LIVING,
  createEngine,
  paramRegion,
  validGrade,
  levelText,
  type Decisions,
  type Economic,
  type Insurance,
  type Living,
  type Engine,
  type Evaluation,
  type PersonFacts,
  type SchemeId,
  type Step,
} from './model.ts';
export { checkParameterFiles, compileParameters, parseAgeBand, resolve, type ParameterSet, type Problem, type Resolved } from './parameters.ts';
export { DEFAULT_PARAMETERS_DIR, ParameterDataError, checkParameters, compileParameterFiles, jurisdictionRoot, loadParameterFiles, loadParameters, readParameterFiles } from './loader.ts';
export { entitleLine, readFacts, stepJson, FactsError, type EntitleErrorCode } from './batch.ts';
