// The demo city's supply (issue 6 §6): providers, facilities of every community type per street,
// institutions and care homes with rooms and beds in proportion to the plans' bed targets (some
// districts short of them so the gaps show), prices, functions, vacancy confirmed at varied
// times, and the reference population the planning ratios divide by. Deterministic for a seed;
// shapes from policy/demo/supply.json. Only for `serve --demo-if-empty` and `seed --demo`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { todayIn } from '../core/dates.ts';
import { newId } from '../core/ids.ts';
import { FEN_PER_YUAN } from '../core/money.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { usccCheckChar, type BedKind, type BedStatus, type Ownership, type PriceCategory, type PriceItem, type PriceUnit } from './model.ts';
import { encodeNetwork, mulberry32, streetSeeds, syntheticNetwork, type OutlineGeometry } from './network.ts';
import * as netStore from './store/network.ts';
import { districtOutlines, supplyPolicy } from './policy.ts';
import * as store from './store/registry.ts';

const DEMO_FILE = fileURLToPath(new URL('../../policy/demo/supply.json', import.meta.url));
const BED_CHUNK = 20_000;
const METERS_PER_DEG_LAT = 111_320;
const DAY_MS = 86_400_000;

type Range = [number, number];
interface Profile { functions: string[]; area: Range; hours: string; prices: [string, PriceCategory, PriceUnit, Range, number[]?][]; meals?: Range }
interface DemoSupply {
  referenceRegistered60: Record<string, number>; referenceNote: Record<string, string>; residentsPerRegistered60: Record<string, number>; bedsPerRegistered60: Record<string, number>; basicShareOfBeds: number;
  nursingShare: number; cognitiveShare: number; occupancy: { occupied: number; reserved: number; outOfService: number }; basicOccupancy: { occupied: number; reserved: number; outOfService: number };
  basicTurnoverPerYear: number; basicRefillDays: number; staleShare: number;
  shortDistricts: Record<string, number>; networkSpacingMeters: number; fullRegister: number; institutionBeds: { min: number; max: number }; careHomeBeds: { min: number; max: number };
  perStreet: { type: string; probability: number; count: Range }[]; profiles: Record<string, Profile>; roads: string[];
}

/** What the demo needs of the register: elders per street. */
export type StreetCounts = (q: Queryable, asOf: string) => Promise<{ district_code: string; street_code: string | null; n60: number; n65: number }[]>;

/** Seed the demo supply when the registry is empty; returns what was made. */
export async function seedDemoSupply(ctx: AppContext, counts: StreetCounts, o: { seed?: number; providerUser?: string | null } = {}): Promise<{ facilities: number; beds: number; providers: number }> {
  const sys = <T>(fn: (q: Queryable) => Promise<T>) => ctx.db.tx(fn, { asAppRole: false });
  if ((await sys((q) => store.countFacilities(q))) > 0) return { facilities: 0, beds: 0, providers: 0 };
  const demo = JSON.parse(readFileSync(DEMO_FILE, 'utf8')) as DemoSupply;
  const types = new Map(supplyPolicy().catalogue.facilityTypes.map((t) => [t.code, t]));
  const rand = mulberry32(o.seed ?? 20_261_129);
  const between = (r: Range) => r[0] + rand() * (r[1] - r[0]);
  const int = (r: Range) => Math.floor(between([r[0], r[1] + 1]));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const now = ctx.clock();
  const today = todayIn(ctx.clock);
  const year = Number(today.slice(0, 4));

  // Reference population: the register's distribution scaled to the city's official total.
  const rows = await sys((q) => counts(q, today));
  const total60 = rows.reduce((a, r) => a + r.n60, 0);
  // A smaller register (tests) stands for a proportionally smaller city, so it gets fewer beds.
  const cityShare = Math.min(1, total60 / demo.fullRegister);
  const jur = ctx.jurisdiction.id;
  const reference = demo.referenceRegistered60[jur];
  if (reference === undefined) return { facilities: 0, beds: 0, providers: 0 }; // no demo figures for this jurisdiction
  const scale = total60 > 0 ? (reference * cityShare) / total60 : 0;
  const pop = new Map<string, { r60: number; r65: number }>();
  const addPop = (code: string, r60: number, r65: number) => {
    const p = pop.get(code) ?? { r60: 0, r65: 0 };
    p.r60 += r60;
    p.r65 += r65;
    pop.set(code, p);
  };
  for (const r of rows) {
    const r60 = Math.round(r.n60 * scale);
    const r65 = Math.round(r.n65 * scale);
    if (r.street_code) addPop(r.street_code, r60, r65);
    addPop(r.district_code, r60, r65);
    if (ctx.jurisdiction.rootCode !== r.district_code) addPop(ctx.jurisdiction.rootCode, r60, r65); // a jurisdiction that is one district (上虞区) counts once
  }
  await sys((q) => store.upsertPopulation(q, [...pop].map(([code, p]) => ({
    region_code: code, year, registered_60: p.r60, registered_65: p.r65, resident: Math.round(p.r60 * (demo.residentsPerRegistered60[jur] ?? 1)), source: demo.referenceNote[jur] ?? '',
  }))));

  const outlines = new Map(districtOutlines(ctx.jurisdiction.id).features.map((f) => [f.properties.code, f.geometry as OutlineGeometry]));
  const providers: Parameters<typeof store.insertProvider>[1][] = [];
  const facilities: (store.FacilityWrite & { rating?: store.FacilityRow['rating'] })[] = [];
  const rooms: Parameters<typeof store.insertRooms>[1][number][] = [];
  const beds: Parameters<typeof store.insertBeds>[1][number][] = [];
  const confirmed = new Map<string, Date>();
  const networks: netStore.SaveNetwork[] = [];
  let orgSerial = 0;
  const uscc = (dept: string, cls: string, district: string) => {
    orgSerial++;
    const body = `${dept}${cls}${district}${String(orgSerial).padStart(8, '0')}${'0123456789ABCDEFGHJKLMNPQRTUWXY'[orgSerial % 31]}`;
    return body + usccCheckChar(body);
  };

  for (const district of ctx.regions.districts()) {
    const streets = ctx.regions.children(district.code);
    const outline = outlines.get(district.code);
    if (streets.length === 0 || !outline) continue;
    const seedList = streetSeeds(outline, streets.map((s) => s.code), (o.seed ?? 1) + Number(district.code));
    const seeds = new Map(seedList.map((s) => [s.code, s]));
    // The district's synthetic walking network, its streets around the same seed points as the facilities.
    const net = syntheticNetwork({ outline, streets: seedList, spacingMeters: demo.networkSpacingMeters, seed: (o.seed ?? 1) + Number(district.code) });
    networks.push({ districtCode: district.code, source: 'synthetic', nodeCount: net.x.length, edgeCount: net.from.length, data: encodeNetwork(net), importedAt: now, importedBy: 'demo' });
    const factor = demo.shortDistricts[district.code] ?? 1 + rand() * 0.15;
    const mk = (name: string, kind: string, dept: string, cls: string) => {
      const p = { id: newId(), region_code: district.code, name, uscc: uscc(dept, cls, district.code), legal_representative: pick(['王建国', '李秀英', '张明华', '陈志强', '刘美凤', '周永福']), kind, phone: `021-5${String(1000000 + providers.length * 7919).slice(-7)}`, licences: [], filing_status: 'approved' as const };
      providers.push(p);
      return p.id;
    };
    const publicOp = mk(`${district.name}社会福利院`, 'public_institution', '1', '2');
    const communityOp = mk(`${district.name}社区养老服务指导中心`, 'social_org', '5', '2');
    const privateOps = [mk(`上海颐康养老服务有限公司（${district.name}）`, 'enterprise', '9', '1'), mk(`${district.name}乐龄居家养老服务社`, 'social_org', '5', '2'), mk(`上海福寿园养老院（${district.name}）`, 'enterprise', '9', '1')];
    let serial = 0;
    const place = (streetCode: string) => {
      const s = seeds.get(streetCode)!;
      const r = 900 * Math.sqrt(rand());
      const a = rand() * 2 * Math.PI;
      return { lon: s.lon + (r * Math.cos(a)) / (METERS_PER_DEG_LAT * Math.cos((s.lat * Math.PI) / 180)), lat: s.lat + (r * Math.sin(a)) / METERS_PER_DEG_LAT };
    };
    const facility = (typeCode: string, streetCode: string, name: string, providerId: string, ownership: Ownership, basic: boolean) => {
      const prof = demo.profiles[typeCode] ?? demo.profiles.doorstep_point!;
      const street = streets.find((s) => s.code === streetCode)!;
      const at = place(streetCode);
      const prices: PriceItem[] = prof.prices.map(([item, category, unit, r, grades]) => ({ item, category, unit, fen: Math.round(between(r) / 10) * 10 * FEN_PER_YUAN, ...(grades ? { grades } : {}) }));
      const id = newId();
      serial++;
      facilities.push({
        id, provider_id: providerId, region_code: streetCode, district_code: district.code, name, type_code: typeCode, ownership, basic_guarantee: basic,
        address: `${district.name}${street.name}${pick(demo.roads)}${int([1, 999])}号`, lon: Math.round(at.lon * 1e6) / 1e6, lat: Math.round(at.lat * 1e6) / 1e6,
        floor_area_m2: Math.round(between(prof.area)), opening_hours: prof.hours,
        description: `${name}（演示数据）。`, functions: [...prof.functions], prices, photos: [], phone: `021-6${String(2000000 + serial * 104_729 + Number(district.code.slice(4)) * 13).slice(-7)}`,
        meal_capacity: prof.meals ? int(prof.meals) : 0, opened_on: `${int([2008, 2025])}-0${int([1, 9])}-1${int([0, 9])}`, status: 'approved',
        // A star rating until supervision (issue: ratings) fills it in: marked as demo data.
        ...(types.get(typeCode)?.residential ? { rating: { stars: int([2, 5]), ratedOn: '2026-06-30', source: '演示数据（等级评定上线前的占位）' } } : {}),
      });
      const stale = rand() < demo.staleShare;
      confirmed.set(id, new Date(now.getTime() - (stale ? int([10, 45]) : int([0, 3])) * DAY_MS - int([0, 36_000]) * 1000));
      return id;
    };
    const roomsMade = new Map<string, number>();
    const addBeds = (facilityId: string, streetCode: string, count: number, basic: boolean, cognitiveUnit: boolean) => {
      let made = 0;
      let roomNo = roomsMade.get(facilityId) ?? 0;
      while (made < count) {
        roomNo++;
        const size = cognitiveUnit ? int([1, 2]) : int([2, 4]);
        const roomId = newId();
        const floor = 1 + Math.floor(roomNo / 12);
        const name = `${floor}${String(roomNo % 12 + 1).padStart(2, '0')}`;
        rooms.push({ id: roomId, facility_id: facilityId, region_code: streetCode, name, floor });
        for (let b = 0; b < size && made < count; b++, made++) {
          const x = rand();
          const kind: BedKind = cognitiveUnit || x < demo.cognitiveShare ? 'cognitive' : x < demo.nursingShare * factor ? 'nursing' : 'general';
          const y = rand();
          const o2 = basic ? demo.basicOccupancy : demo.occupancy;
          const status: BedStatus = y < o2.outOfService ? 'out_of_service' : y < o2.outOfService + o2.reserved ? 'reserved' : y < o2.outOfService + o2.reserved + o2.occupied ? 'occupied' : 'vacant';
          beds.push({ id: newId(), facility_id: facilityId, room_id: roomId, region_code: streetCode, label: `${name}-${b + 1}`, kind, basic_guarantee: basic, status });
        }
      }
      roomsMade.set(facilityId, roomNo);
    };

    // Institutions: beds in proportion to the district's registered elders and the plan ratio.
    const r60 = pop.get(district.code)?.r60 ?? 0;
    let bedsLeft = Math.round(r60 * (demo.bedsPerRegistered60[jur] ?? 0) * factor);
    let basicLeft = Math.round(bedsLeft * demo.basicShareOfBeds * (demo.shortDistricts[district.code] ?? 1));
    let n = 0;
    while (bedsLeft > demo.institutionBeds.min / 2) {
      const size = Math.min(bedsLeft, int([demo.institutionBeds.min, demo.institutionBeds.max]));
      const street = pick(streets).code;
      const basic = n > 0 && basicLeft > 0; // the first is private, so every district has one for the demo provider
      const ownership: Ownership = basic ? pick(['public', 'public_private'] as const) : pick(['inclusive', 'market', 'market'] as const);
      n++;
      const name = basic ? `${district.name}第${n}社会福利院` : `${pick(['颐和', '康乐', '福寿', '松鹤', '长青', '安泰', '仁爱', '同心'])}${ctx.regions.get(street)?.name.replace(/(街道|镇|乡)$/, '') ?? ''}养老院`;
      const id = facility('institution', street, name, basic ? publicOp : pick(privateOps), ownership, basic);
      const cognitive = Math.round(size * demo.cognitiveShare);
      addBeds(id, street, size - cognitive, basic, false);
      if (cognitive > 0) addBeds(id, street, cognitive, basic, true);
      bedsLeft -= size;
      basicLeft -= basic ? size : 0;
    }
    // Community services per street.
    for (const s of streets) {
      const shortBy = demo.shortDistricts[district.code] ?? 1;
      for (const rule of demo.perStreet) {
        if (!types.has(rule.type) || rand() > rule.probability * shortBy) continue;
        const count = int(rule.count);
        for (let i = 0; i < count; i++) {
          const tname = types.get(rule.type)!.name;
          const short = s.name.replace(/(街道|镇|乡)$/, '');
          const name = count > 1 ? `${short}${tname}（${['一', '二', '三', '四'][i]}）` : `${short}${tname}`;
          const op = rule.type === 'home_care_org' || rule.type === 'canteen' ? pick(privateOps) : communityOp;
          const id = facility(rule.type, s.code, name, op, rule.type === 'home_care_org' ? 'market' : 'public_private', false);
          if (rule.type === 'care_home') addBeds(id, s.code, int([demo.careHomeBeds.min, demo.careHomeBeds.max]), false, false);
        }
      }
    }
  }

  // A year of turnover of the basic-guarantee beds: some fell vacant and were taken again (or are
  // still free), so the waiting list has a history to estimate waits and turnover from.
  const history: Parameters<typeof store.insertBedHistory>[1][number][] = [];
  const YEAR_DAYS = 365;
  for (const b of beds) {
    if (!b.basic_guarantee || b.status === 'out_of_service' || rand() >= demo.basicTurnoverPerYear) continue;
    const gap = Math.max(1, Math.round(-Math.log(1 - rand()) * demo.basicRefillDays));
    const lastDay = b.status === 'vacant' ? YEAR_DAYS : YEAR_DAYS - gap;
    if (lastDay <= 1) continue;
    const vacantAt = new Date(now.getTime() - (1 + rand() * (lastDay - 1)) * DAY_MS);
    const ev = (at: Date, from: BedStatus, to: BedStatus, note: string) => ({ id: newId(), bed_id: b.id, facility_id: b.facility_id, region_code: b.region_code, from_status: from, to_status: to, note, actor_id: null, at: at.toISOString() });
    history.push(ev(vacantAt, 'occupied', 'vacant', '演示：退住'));
    if (b.status !== 'vacant') history.push(ev(new Date(vacantAt.getTime() + gap * DAY_MS), 'vacant', 'occupied', '演示：入住'));
  }

  await sys(async (q) => {
    for (const p of providers) await store.insertProvider(q, p, now);
    for (let i = 0; i < facilities.length; i += BED_CHUNK / 10) await store.insertFacilities(q, facilities.slice(i, i + BED_CHUNK / 10), now);
    for (let i = 0; i < rooms.length; i += BED_CHUNK) await store.insertRooms(q, rooms.slice(i, i + BED_CHUNK), now);
    for (let i = 0; i < beds.length; i += BED_CHUNK) await store.insertBeds(q, beds.slice(i, i + BED_CHUNK), now);
    for (let i = 0; i < history.length; i += BED_CHUNK) await store.insertBedHistory(q, history.slice(i, i + BED_CHUNK));
    await store.statusSinceFromHistory(q);
    await store.refreshVacancies(q, now, now);
    await store.setConfirmedTimes(q, [...confirmed]);
    for (const n of networks) if (!(await netStore.loadNetwork(q, n.districtCode))) await netStore.saveNetwork(q, n);
    if (o.providerUser && providers.length) {
      // The demo provider account runs the 浦东 private operator with the most residential facilities (it has beds to manage).
      const residential = (pid: string) => facilities.filter((f) => f.provider_id === pid && types.get(f.type_code)?.residential).length;
      const candidates = providers.filter((p) => p.region_code === '310115' && p.kind !== 'public_institution');
      const pudong = candidates.sort((a, b) => residential(b.id) - residential(a.id))[0] ?? providers[0]!;
      await store.linkProviderUser(q, o.providerUser, pudong.id);
    }
  });
  return { facilities: facilities.length, beds: beds.length, providers: providers.length };
}
