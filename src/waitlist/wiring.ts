// The waiting list's server-side wiring, imported by the composition root (src/app.ts) and the
// CLI only: HTTP routes, the service behind them and the automatic run.
export { waitlistRoutes } from './routes.ts';
export { WaitlistService, type ApplicantFacts, type BasicFacility, type WaitlistPorts } from './service.ts';
export { waitlistAutoRun } from './consumer.ts';
export { getRun, type RunRow } from './store.ts';
export { replayRun, type Replay, type StoredRun } from './replay.ts';
export { seedDemoWaitlist } from './seed.ts';
