// Demo population seeding: generate (demo.ts) → encrypt → bulk insert, streamed in batches so
// memory stays flat from 20 thousand to 5.5 million people.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { todayIn } from '../core/dates.ts';
import { makeIdGenerator } from '../core/ids.ts';
import type { AppContext } from '../platform/context.ts';
import { sql } from '../platform/db.ts';
import { DEFAULT_POLICY_DIR } from '../regions/index.ts';
import { makeDemoGenerator, type DemoParams, type DemoWorld } from './demo.ts';
import { demoWorldFor } from './regions.ts';
import { PeopleService } from './service.ts';
import * as store from './store.ts';

export const DEMO_SCALES = { small: 20_000, district: 300_000, city: 5_500_000 } as const;
export type DemoScale = keyof typeof DEMO_SCALES;

/** The demo world of the deployment's jurisdiction. */
export const demoWorld = (ctx: AppContext): DemoWorld => demoWorldFor(ctx.regions, ctx.jurisdiction);

export interface SeedOptions {
  count: number;
  seed: number;
  batch?: number;
  onProgress?: (done: number, total: number) => void;
}

/** Insert `count` demo people (deterministic in seed). Returns how many were inserted. */
export async function seedDemoPeople(ctx: AppContext, opts: SeedOptions): Promise<number> {
  const params = JSON.parse(readFileSync(join(DEFAULT_POLICY_DIR, 'demo', 'population.json'), 'utf8')) as DemoParams;
  const svc = new PeopleService(ctx);
  const asOf = todayIn(ctx.clock, ctx.jurisdiction.timezone);
  const gen = makeDemoGenerator(params, demoWorld(ctx), opts.seed, asOf);
  const ids = makeIdGenerator(opts.seed);
  const batch = opts.batch ?? 5000;
  const now = ctx.clock();
  let done = 0;
  for (let start = 0; start < opts.count; start += batch) {
    const n = Math.min(batch, opts.count - start);
    const rows: store.NewPersonRow[] = [];
    for (let i = 0; i < n; i++) {
      const d = gen(start + i);
      rows.push(svc.rowFor(d, ids()));
    }
    await ctx.db.tx((q) => store.insertPeople(q, rows, now, { action: 'seed', actorId: null, actorName: '演示数据', reason: `yiyang seed --demo --seed ${opts.seed}` }), { asAppRole: false });
    done += n;
    opts.onProgress?.(done, opts.count);
  }
  return done;
}

/** How many people are registered (any scope); used to seed only an empty register. */
export async function countAllPeople(ctx: AppContext): Promise<number> {
  return (await ctx.db.one<{ n: number }>(sql`SELECT count(*)::int AS n FROM people.person`))?.n ?? 0;
}
