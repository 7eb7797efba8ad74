// The entitlements module's server-side wiring, imported by the composition root (src/app.ts)
// only: HTTP routes and the service behind them. Everything else goes through index.ts.
export { entitlementRoutes } from './routes.ts';
export { EntitlementService, OutreachService, SimulationService, type EntitlementsView, type FactsOf, type SimulationPorts, type SimulationView } from './service.ts';
export { entitlementRecomputer, factsOf as personFactsOf, sweep, RECOMPUTE_TOPICS, type FactsRow, type RecomputePorts } from './recompute.ts';
export { countEntitlements, failInterruptedSimulations } from './store.ts';
export { entitlementNotifier, grantedMessage } from './notify.ts';
export { seedDemoGrants } from './seed.ts';
