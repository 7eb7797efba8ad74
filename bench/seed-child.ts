// (c) Demo generation in its own process, so its peak RSS is its own: first the generator alone
// (the baseline), then generate + encrypt + write to the embedded database.
import { openPlatform, seedDemo } from '../src/app.ts';
import { todayIn } from '../src/core/dates.ts';
import { loadConfig } from '../src/platform/config.ts';
import { makeLogger } from '../src/platform/logger.ts';
import { DEMO_SCALES, type DemoScale } from '../src/people/index.ts';

const scale = process.argv[2] as DemoScale;
const count = DEMO_SCALES[scale];
const ctx = await openPlatform(loadConfig(), { logger: makeLogger('silent') });
try {
  const { makeDemoGenerator } = await import('../src/people/demo.ts');
  const { demoWorld } = await import('../src/people/seed.ts');
  const { readFileSync } = await import('node:fs');
  const params = JSON.parse(readFileSync('policy/demo/population.json', 'utf8'));
  const gen = makeDemoGenerator(params, demoWorld(ctx), 1, todayIn(ctx.clock));
  let t0 = performance.now();
  for (let i = 0; i < count; i++) gen(i);
  const genOnly = count / ((performance.now() - t0) / 1000);
  const rssBefore = process.memoryUsage().rss;
  t0 = performance.now();
  const r = await seedDemo(ctx, scale, 1);
  const secs = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({
    people: r.people, seconds: Math.round(secs * 10) / 10, peoplePerS: Math.round(r.people / secs), generatorOnlyPeoplePerS: Math.round(genOnly),
    rssAfterOpenMiB: Math.round(rssBefore / 2 ** 20), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n');
} finally {
  await ctx.close();
}
