// Demo data for the entitlement screens (the demo city only — tests start without it): most
// people who qualify already receive what they are owed, as in a city that has run the schemes for
// years, so 政策找人 shows the rest; grants start two months back, so this month's payment run has
// arrears to show. Deterministic (by person id).
import { addMonths, todayIn } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import type { AppContext } from '../platform/context.ts';
import * as store from './store.ts';

/** Share of the eligible who already receive each scheme in the demo (not policy: demo data). */
const DEMO_TAKE_UP: Record<store.ClaimScheme, number> = { allowance: 0.8, ltci: 0.6, serviceSubsidy: 0.5, basicBed: 0 };
const HEX = 16;
const BUCKETS = 256;
const MONTHS_BACK = 2;

/** A stable number in [0, 1) from a uuid's last two hex digits. */
const bucket = (id: string) => parseInt(id.slice(-2), HEX) / BUCKETS;

export async function seedDemoGrants(ctx: AppContext): Promise<number> {
  const now = ctx.clock();
  const start = addMonths(todayIn(() => now), -MONTHS_BACK);
  const from = `${start.slice(0, 7)}-01`;
  let n = 0;
  await ctx.db.tx(async (q) => {
    for (const scheme of store.CLAIM_SCHEMES) {
      const share = DEMO_TAKE_UP[scheme];
      if (share <= 0) continue;
      const rows = (await store.eligibleRows(q, scheme)).filter((r) => bucket(r.person_id) < share);
      await store.insertGrants(q, rows.map((r) => ({
        district_code: r.district_code, id: newId(), person_id: r.person_id, region_code: r.region_code, scheme, status: 'granted' as const, channel: 'application' as const,
        applied_on: from, granted_from: from, basis: { asOf: r.as_of, parameterVersion: r.parameter_version, decision: (r.decisions as Record<string, unknown>)[scheme] ?? null, demo: true },
        created_by: null,
      })), now);
      n += rows.length;
    }
  }, { asAppRole: false });
  return n;
}
