// The regions module's public surface (ARCHITECTURE.md: other modules import only this file).
export {
  buildRegionTree,
  checkJurisdiction,
  checkRegionData,
  REGION_LEVELS,
  RegionDataError,
  type AggregateCode,
  type CodeName,
  type Confidence,
  type DistrictArea,
  type Jurisdiction,
  type LatLon,
  type Region,
  type RegionDataIssue,
  type RegionLevel,
  type RegionRow,
  type RegionsData,
  type RegionTree,
  type Resolution,
  type ResolveStep,
  type RetiredCode,
  type RetiredCodesData,
  type SearchOptions,
} from './model.ts';
export { DEFAULT_POLICY_DIR, listJurisdictions, loadJurisdiction, type LoadedJurisdiction } from './load.ts';
export { regionRoutes } from './routes.ts';
export { syncRegions } from './store.ts';
