// The waiting-list module's public surface (ARCHITECTURE.md: other modules import only this file).
// So far: the allocation of basic-guarantee beds by deferred acceptance (issue 7 §3, §7), its
// straightforward reference version, the fairness check of an allocation and the queues.
export {
  allocate, DEFAULT_RULE, parseInstant, ranksBefore, readAllocationInput, AllocationInputError,
  type AllocationResult, type Applicant, type Facility, type PriorityKey, type PriorityRule,
} from './allocate.ts';
export { allocateReference } from './reference.ts';
export { allQueues, checkFairness, queuePositions, type FairnessReport, type FairnessViolation, type FairnessViolationKind, type QueuePosition } from './fairness.ts';
export { checkWaitlistPolicy, readWaitlistPolicy, waitlistPolicy, type WaitlistPolicy } from './policy.ts';
