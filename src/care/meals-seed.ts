// The demo city's community meals (issue 8 §7): every approved meal point publishes lunch (and, at
// canteens and 晚晴餐厅, dinner) for today and the coming week; a sample of points — all of 浦东,
// a share elsewhere — also has the past week's menus and orders by people living nearby, priced
// by the rules in force (subsidy and its explanation), so the portal, the point's day and the
// officers' daily counts have something to show: past days served, delivered or cancelled, today
// and the next days open. Deterministic for a seed. Only for `serve --demo-if-empty` and
// `seed --demo`; nothing is seeded when a menu exists.
import { addDays, ageOn, todayIn, type LocalDate } from '../core/dates.ts';
import { mulberry32, newId } from '../core/ids.ts';
import { maskPhone } from '../core/mask.ts';
import type { AppContext } from '../platform/context.ts';
import type { Queryable } from '../platform/db.ts';
import { maskAddress, priceOrder, type Meal, type Mode, type OrderStatus } from './meals.ts';
import { mealsPolicy, type MealPerson, type MealPoint, type MealPorts } from './meals-service.ts';
import * as store from './store/meals.ts';

const DAYS_AHEAD = 6;
const DAYS_BACK = 7;
const SHOWCASE_DISTRICT = '310115'; // 浦东: where the demo accounts work
const SAMPLE_ELSEWHERE = 0.15;
const ORDERS_PER_DAY: [number, number] = [2, 7];
const DELIVERY_SHARE = 0.3;
const CANCELLED_SHARE = 0.08;
const DINNER_TYPES = new Set(['canteen', 'evening_canteen']);
const LUNCH_FEN: [number, number] = [15, 20]; // yuan, whole
const DINNER_FEN: [number, number] = [12, 18];
const FEE_FEN: [number, number] = [2, 5];
const FEN = 100;

const MEAT = ['红烧肉', '清蒸鲈鱼', '糖醋小排', '土豆烧牛肉', '白斩鸡', '红烧带鱼', '宫保鸡丁', '鱼香肉丝', '梅干菜烧肉', '清炖狮子头'];
const HALF = ['番茄炒蛋', '肉末豆腐', '青椒肉丝', '虾仁炒蛋', '茭白肉丝', '咸菜毛豆'];
const GREENS = ['清炒青菜', '蒜蓉西兰花', '香菇菜心', '炒三丝', '醋溜白菜', '清炒鸡毛菜'];
const SOUPS = ['紫菜蛋花汤', '冬瓜排骨汤', '番茄蛋汤', '罗宋汤', '榨菜肉丝汤'];
const STAPLES = ['米饭', '二米饭', '米饭或花卷'];
const ROADS = ['长寿路', '东方路', '张杨路', '崂山路', '浦东南路', '潍坊路', '南泉路', '峨山路'];

/** `living` lists the register's living people (the people module's, through the composition root). */
export async function seedDemoMeals(ctx: AppContext, ports: MealPorts, living: (q: Queryable) => Promise<string[]>, seed = 1): Promise<{ menus: number; orders: number }> {
  const sys = <T>(fn: (q: Queryable) => Promise<T>) => ctx.db.tx(fn, { asAppRole: false });
  if ((await sys((q) => store.countMenus(q))) > 0) return { menus: 0, orders: 0 };
  const points = (await ports.points()).sort((a, b) => (a.id < b.id ? -1 : 1));
  if (points.length === 0) return { menus: 0, orders: 0 };
  const rand = mulberry32(seed * 7907 + 29);
  const int = (r: [number, number]) => r[0] + Math.floor(rand() * (r[1] - r[0] + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const policy = mealsPolicy();
  const now = ctx.clock();
  const today = todayIn(ctx.clock);

  return sys(async (q) => {
    const people = [...(await ports.people(q, await living(q), today)).values()].filter((p) => !p.deceased).sort((a, b) => (a.personId < b.personId ? -1 : 1));
    const byStreet = new Map<string, MealPerson[]>();
    const byDistrict = new Map<string, MealPerson[]>();
    for (const p of people) {
      const street = p.regionCode.slice(0, 9);
      byStreet.set(street, [...(byStreet.get(street) ?? []), p]);
      byDistrict.set(p.districtCode, [...(byDistrict.get(p.districtCode) ?? []), p]);
    }
    const menus: store.MenuWrite[] = [];
    const orders: store.OrderWrite[] = [];
    const taken = new Set<string>(); // person|date|meal
    const subsidised = new Map<string, number>(); // person|date
    const menu = (p: MealPoint, date: LocalDate, meal: Meal): store.MenuWrite => {
      const delivery = p.typeCode !== 'meal_point' || rand() < 1 / 2;
      return {
        id: newId(), facility_id: p.id, region_code: p.regionCode, district_code: p.districtCode, meal_date: date, meal,
        dishes: [pick(MEAT), pick(HALF), pick(GREENS), pick(SOUPS), pick(STAPLES)].map((name) => ({ name, note: null })),
        price_fen: int(meal === 'lunch' ? LUNCH_FEN : DINNER_FEN) * FEN, delivery, delivery_fee_fen: delivery ? int(FEE_FEN) * FEN : 0,
        note: '演示数据', published_by: null, published_role: 'provider',
      };
    };
    for (const p of points) {
      const sampled = p.districtCode === SHOWCASE_DISTRICT || rand() < SAMPLE_ELSEWHERE;
      const meals: Meal[] = DINNER_TYPES.has(p.typeCode) ? ['lunch', 'dinner'] : ['lunch'];
      const neighbours = byStreet.get(p.regionCode.slice(0, 9))?.length ? byStreet.get(p.regionCode.slice(0, 9))! : byDistrict.get(p.districtCode) ?? [];
      for (let day = addDays(today, sampled ? -DAYS_BACK : 0); day <= addDays(today, DAYS_AHEAD); day = addDays(day, 1)) {
        const dayMenus = meals.map((m) => menu(p, day, m));
        menus.push(...dayMenus);
        // Orders: the sampled points, from a week ago to the day after tomorrow.
        if (!sampled || neighbours.length === 0 || day > addDays(today, 2)) continue;
        const r = policy.on(day);
        const n = Math.min(int(ORDERS_PER_DAY), p.capacity);
        for (let i = 0; i < n; i++) {
          const m = pick(dayMenus);
          const who = pick(neighbours);
          const key = `${who.personId}|${day}|${m.meal}`;
          if (taken.has(key)) continue;
          taken.add(key);
          const mode: Mode = m.delivery && rand() < DELIVERY_SHARE * ((who.careGrade ?? 0) >= 2 ? 2 : 1) ? 'delivery' : 'dine_in';
          const cancelled = day < today && rand() < CANCELLED_SHARE;
          const status: OrderStatus = cancelled ? 'cancelled' : day < today ? (mode === 'dine_in' ? 'served' : 'delivered') : 'ordered';
          const dayKey = `${who.personId}|${day}`;
          const pricing = priceOrder(r, { age: ageOn(who.birthDate as LocalDate, day), careGrade: who.careGrade, economicStatus: who.economicStatus }, { meal: m.meal, mode, mealFen: m.price_fen, deliveryFeeFen: m.delivery_fee_fen }, subsidised.get(dayKey) ?? 0);
          if (pricing.subsidyFen > 0 && !cancelled) subsidised.set(dayKey, (subsidised.get(dayKey) ?? 0) + 1);
          const address = `${ctx.regions.get(p.regionCode)?.name ?? ''}${pick(ROADS)} ${int([10, 999])} 弄 ${int([1, 60])} 号 ${int([1, 6])}0${int([1, 4])} 室`;
          const phone = `139${String(Math.floor(rand() * 1e8)).padStart(8, '0')}`;
          const self = rand() < 1 / 2;
          orders.push({
            id: newId(), menu_id: m.id, facility_id: p.id, region_code: p.regionCode, district_code: p.districtCode, person_id: who.personId, person_region_code: who.regionCode,
            person_district_code: who.districtCode, meal_date: day, meal: m.meal, mode, quantity: 1, status, meal_fen: pricing.mealFen, delivery_fee_fen: pricing.deliveryFeeFen,
            price_fen: pricing.priceFen, subsidy_fen: pricing.subsidyFen, pays_fen: pricing.paysFen, subsidy_group: pricing.group, figures: pricing.figures, parameter_version: policy.version,
            delivery_address_enc: mode === 'delivery' ? ctx.crypto.encrypt(address) : null, delivery_address_masked: mode === 'delivery' ? maskAddress(address) : null,
            contact_phone_enc: mode === 'delivery' ? ctx.crypto.encrypt(phone) : null, contact_phone_masked: mode === 'delivery' ? maskPhone(phone) : null,
            note: null, ordered_by: null, ordered_role: self ? 'citizen' : 'advisor', relation: self ? '本人' : '代办',
          });
        }
      }
    }
    await store.insertMenus(q, menus, now);
    await store.insertOrders(q, orders, now);
    return { menus: menus.length, orders: orders.length };
  });
}
