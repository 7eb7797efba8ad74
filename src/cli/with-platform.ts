// The platform for a CLI command that reads or writes the database (`yiyang network`, `yiyang
// allocate replay`): opened on demand, closed afterwards, so pure commands start fast.
import type { AppContext } from '../platform/context.ts';

export async function withPlatform<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const [{ openPlatform }, { loadConfig }, { makeLogger }] = await Promise.all([import('../app.ts'), import('../platform/config.ts'), import('../platform/logger.ts')]);
  const ctx = await openPlatform(loadConfig(), { logger: makeLogger(process.env.LOG_LEVEL ?? 'warn') });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}
