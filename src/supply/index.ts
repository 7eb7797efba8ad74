// The supply module's public surface (ARCHITECTURE.md: other modules import only this file).
// The 15-minute service circle's pure computation (issue 6 §3, §5), the registry's rules and
// catalogue, and its events.
export { coverage, distancesFrom, readCoverageInput, CoverageInputError, type CoverageInput, type CoverageResult, type Network } from './coverage.ts';
export { checkUscc, summariseBeds, BED_KINDS, BED_STATUSES, type BedKind, type BedStatus, type Vacancy, type LtciTerms } from './model.ts';
export { supplyPolicy, readSupplyPolicy, districtOutlines, type SupplyPolicy } from './policy.ts';

/** The event a bed status change emits (outbox topic `supply.vacancy_changed`): the waiting list consumes it. */
export const VACANCY_CHANGED = 'supply.vacancy_changed';
export interface VacancyChanged {
  facilityId: string;
  regionCode: string;
  basicGuarantee: boolean;
  total: number;
  vacant: number;
  basicVacant: number;
  byKind: Record<'general' | 'nursing' | 'cognitive', { total: number; vacant: number }>;
  confirmedAt: string;
}
