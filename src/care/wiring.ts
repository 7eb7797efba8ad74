// Care delivery's server-side wiring, imported by the composition root (src/app.ts) and the CLI
// only: HTTP routes and the services behind them.
import type { AppContext } from '../platform/context.ts';
import { ClaimService } from './claim-service.ts';
import { CareService, type CarePorts } from './service.ts';
import { VisitService } from './visit-service.ts';

export { careRoutes } from './routes.ts';
export { CareService, type CarePerson, type CarePorts } from './service.ts';
export { VisitService } from './visit-service.ts';
export { ClaimService } from './claim-service.ts';
export { seedDemoCare, type CareSeedResult } from './seed.ts';

export interface CareServices {
  care: CareService;
  visits: VisitService;
  claims: ClaimService;
}

/** The three services of care delivery on one context. */
export function makeCareServices(ctx: AppContext, ports: CarePorts): CareServices {
  const care = new CareService(ctx, ports);
  const visits = new VisitService(ctx, care);
  return { care, visits, claims: new ClaimService(ctx, care, visits) };
}
