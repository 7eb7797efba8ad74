// The supply module's public surface (ARCHITECTURE.md: other modules import only this file).
// So far: the 15-minute service circle's pure computation (issue 6 §3, §5).
export { coverage, distancesFrom, readCoverageInput, CoverageInputError, type CoverageInput, type CoverageResult, type Network } from './coverage.ts';
