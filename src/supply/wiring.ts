// The supply module's server-side wiring, imported by the composition root (src/app.ts) only:
// HTTP routes and the services behind them. Everything else goes through index.ts.
export { supplyRoutes } from './routes.ts';
export { PlanningService, PublicDirectory, RegistryService, type SupplyPorts } from './service.ts';
export { seedDemoSupply } from './seed.ts';
export { listNetworks, saveNetwork, type NetworkSource } from './store/network.ts';
export { changeBedsAcross, changeBedsIn, type BedActor } from './service.ts';
export { basicBedFacilities, basicTurnoverSince, basicVacancyEvents, registryStamp, basicVacanciesSince, bedLabel, getFacilities, getFacility, providerNames, providerOfUser, type BasicFacilityRow, type FacilityRow } from './store/registry.ts';
