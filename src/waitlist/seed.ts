// The demo city's waiting list (issue 7): most people who qualify for a basic-guarantee bed have
// applied over the last two years, with one to five ranked choices mostly in their own district
// (some "any within a few km"), so the queue, positions, estimates and a first allocation run
// have something to show. Deterministic for a seed. Only for `serve --demo-if-empty` and
// `seed --demo`; nothing is seeded when applications exist.
import { todayIn } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { mulberry32 } from '../supply/index.ts';
import type { WaitlistPorts } from './service.ts';
import * as store from './store.ts';

const TAKE_UP = 0.85;
const RADIUS_SHARE = 0.1;
const DAYS_BACK = 720;
const DAY_MS = 86_400_000;
const MAX_CHOICES = 5;
const CROSS_DISTRICT = 0.3; // share who also choose a home in another district
const METERS_PER_KM = 1000;

/** `living` lists the register's living people (the people module's, through the composition root). */
export async function seedDemoWaitlist(ctx: AppContext, ports: WaitlistPorts, living: (q: Queryable) => Promise<string[]>, seed = 1): Promise<number> {
  const sys = <T>(fn: (q: Queryable) => Promise<T>) => ctx.db.tx(fn, { asAppRole: false });
  if ((await sys((q) => store.countApplications(q))) > 0) return 0;
  const rand = mulberry32(seed * 7919 + 17);
  const today = todayIn(ctx.clock);
  const now = ctx.clock();
  return sys(async (q) => {
    const facilities = await ports.facilities(q);
    if (facilities.length === 0) return 0;
    const ids = await living(q);
    const facts = await ports.people(q, ids, today);
    let made = 0;
    for (const f of [...facts.values()].filter((x) => x.eligible && x.tier !== null).sort((a, b) => (a.personId < b.personId ? -1 : 1))) {
      if (rand() >= TAKE_UP) continue;
      const own = facilities.filter((x) => x.district_code === f.districtCode);
      const others = facilities.filter((x) => x.district_code !== f.districtCode);
      const shuffle = <T>(xs: T[]) => xs.map((x) => [rand(), x] as const).sort((a, b) => a[0] - b[0]).map((x) => x[1]);
      const n = 1 + Math.floor(rand() * MAX_CHOICES);
      const picked = [...shuffle(own).slice(0, Math.max(1, n - 1)), ...shuffle(others).slice(0, rand() < CROSS_DISTRICT ? 1 : 0)].slice(0, n);
      const radius = rand() < RADIUS_SHARE && own.length > 0;
      const origin = own[Math.floor(rand() * own.length)];
      const at = new Date(now.getTime() - Math.floor(rand() * DAYS_BACK) * DAY_MS - Math.floor(rand() * DAY_MS));
      const row: store.ApplicationWrite = {
        id: newId(), person_id: f.personId, region_code: f.regionCode, district_code: f.districtCode, status: 'active', mode: radius ? 'radius' : 'choices',
        choices: radius ? [] : picked.map((x) => x.id), radius_m: radius ? (3 + Math.floor(rand() * 5)) * METERS_PER_KM : null,
        origin_lon: radius ? origin!.lon : null, origin_lat: radius ? origin!.lat : null, origin_label: radius ? (ctx.regions.get(origin!.region_code)?.name ?? origin!.name) : null,
        tier: f.tier, tier_label: f.tierLabel, priority_at: at.toISOString(), declines: 0, passed_over: [], paused_until: null, note: null, created_by: null,
      };
      await store.insertApplication(q, row, at);
      await store.insertEvents(q, [{ id: newId(), application_id: row.id, region_code: row.region_code, kind: 'applied', summary: `提交轮候申请（第 ${f.tier} 优先层级：${f.tierLabel ?? ''}）（演示数据）`, details: {}, actor_id: null, actor_role: 'system' }], at);
      made++;
    }
    return made;
  });
}
