// The waiting-list module's public surface (ARCHITECTURE.md: other modules import only this file).
// So far: the allocation of basic-guarantee beds by deferred acceptance (issue 7 §3, §7).
export { allocate, parseInstant, ranksBefore, readAllocationInput, AllocationInputError, type AllocationResult, type Applicant, type Facility } from './allocate.ts';
