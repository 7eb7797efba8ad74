// The supply module's public surface (ARCHITECTURE.md: other modules import only this file).
// The 15-minute service circle's pure computation (issue 6 §3, §5), the registry's rules and
// catalogue, and its events.
export { coverage, distancesFrom, readCoverageInput, CoverageInputError, type CoverageInput, type CoverageResult, type Network } from './coverage.ts';
export { checkUscc, usccCheckChar, summariseBeds, haversineMeters, BED_KINDS, BED_STATUSES, type BedKind, type BedStatus, type Vacancy, type LtciTerms } from './model.ts';
export { supplyPolicy, readSupplyPolicy, checkSupplyPolicy, districtOutlines, type SupplyPolicy } from './policy.ts';

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

// The walking network (issue 6 §3): readers for OpenStreetMap extracts and GeoJSON, the demo's
// synthetic grid, the compact binary, the service circle over a network and greedy siting.
export {
  networkFromGeoJSON, networkFromOsmPbf, syntheticNetwork, streetSeeds, encodeNetwork, decodeNetwork, toGraph, nearestNodeIndex, toLonLat,
  networkStats, mulberry32, NetworkInputError, type RoadNetwork, type OutlineGeometry, type NetworkStats,
} from './network.ts';
export { circleCoverage, withinReach, type CircleResult } from './circle.ts';
export { proposeSites, candidateNodes, type ProposedSite } from './siting.ts';
