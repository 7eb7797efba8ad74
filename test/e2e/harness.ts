// The server the browser tests drive: the real platform, built web front end, demo accounts
// and a small demo population, listening on a free loopback port.
import { existsSync } from 'node:fs';
import { ensureWebBuilt } from '../../src/cli/web.ts';
import { startEntitlementSweeps, WEB_DIR } from '../../src/app.ts';
import { startTestPlatform } from '../helpers/platform.ts';

export function chromeAvailable(): boolean {
  return existsSync(process.env.CHROME_PATH ?? '/usr/bin/chromium');
}

export interface ServerOptions {
  /** Run the entitlement sweeps once before listening (grants, 免申即享 candidates), and stop them on stop(). */
  sweeps?: boolean;
  /** Seed the demo supply (services, beds, walking networks; ≈ 6 s): for the pages that show it. */
  supply?: boolean;
}

export async function startServer(opts: ServerOptions = {}): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  ensureWebBuilt();
  const p = await startTestPlatform('pglite', { people: 2000, webDir: WEB_DIR, supply: opts.supply ?? false });
  const sweeps = opts.sweeps ? startEntitlementSweeps(p.ctx, { everyMs: 3_600_000 }) : undefined;
  await sweeps?.done;
  await p.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = p.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: async () => {
      sweeps?.stop();
      await p.close();
    },
  };
}
