// The entitlements module's server-side wiring, imported by the composition root (src/app.ts)
// only: HTTP routes and the service behind them. Everything else goes through index.ts.
export { entitlementRoutes } from './routes.ts';
export { EntitlementService, type EntitlementsView, type FactsOf } from './service.ts';
