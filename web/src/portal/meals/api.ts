// Community meals (老年助餐, /api/v1/meals/*): the rules and the meal points with their menus
// (public), orders of linked people and their quote and cancellation (citizens, advisors), a
// point's menus, day, delivery sheet and serving (its staff, officers), and the daily counts
// (officers). Shapes follow src/care/meals-routes.ts and MealsService.
import { yuanDecimal } from '../../../../src/core/money.ts';
import { query, request, type Role } from '../../api.ts';

export type Meal = 'breakfast' | 'lunch' | 'dinner';
export type Mode = 'dine_in' | 'delivery';
export type OrderStatus = 'ordered' | 'served' | 'delivered' | 'cancelled';

export const MEAL_NAMES: Record<Meal, string> = { breakfast: '早餐', lunch: '午餐', dinner: '晚餐' };
export const MODE_NAMES: Record<Mode, string> = { dine_in: '堂食', delivery: '送餐上门' };

export const MEALS_ORDER: readonly Role[] = ['citizen', 'advisor', 'officer', 'admin'];
export const MEALS_MANAGE: readonly Role[] = ['provider', 'officer', 'admin'];
export const MEALS_READ: readonly Role[] = ['officer', 'auditor', 'admin'];

export interface MealParameter { name: string; label: string; unit: string; value: unknown; from: string; to: string | null; source: string; confidence: string }

export interface MealRulesText {
  asOf: string;
  version: string;
  dineIn: string[];
  delivery: string[];
  conditions: string[];
  cutoffs: { meal: Meal; mealName: string; text: string }[];
  parameters: MealParameter[];
}

export interface Dish { name: string; note: string | null }

export interface MenuView {
  id: string;
  date: string;
  meal: Meal;
  mealName: string;
  dishes: Dish[];
  priceFen: number;
  delivery: boolean;
  deliveryFeeFen: number;
  note: string | null;
  cutoff: string;
  cutoffText: string;
  /** Orders still taken (before the cut-off). */
  open: boolean;
}

export interface PointCard {
  id: string;
  name: string;
  typeCode: string;
  typeName: string;
  districtCode: string;
  districtName: string;
  streetName: string;
  address: string;
  phone: string;
  openingHours: string;
  lon: number;
  lat: number;
  capacity: number;
  distanceM: number | null;
}

export interface PointListItem extends PointCard {
  left: number;
  menus: MenuView[];
}

export interface PointList {
  date: string;
  total: number;
  page: number;
  pageSize: number;
  items: PointListItem[];
}

export interface PointDetail extends PointCard {
  days: { date: string; taken: number; left: number; menus: MenuView[] }[];
}

export interface Figure {
  figure: 'price' | 'subsidy' | 'pays';
  fen: number;
  text: string;
  parameters: { name: string; from: string; source: string; confidence: string }[];
}

export interface Figures {
  mealFen: number;
  deliveryFeeFen: number;
  priceFen: number;
  subsidyFen: number;
  paysFen: number;
  subsidyGroup: string | null;
  figures: Figure[];
}

export interface OrderView extends Figures {
  id: string;
  personId: string;
  personName: string;
  relation: string;
  facilityId: string;
  facilityName: string;
  facilityAddress: string;
  facilityPhone: string;
  date: string;
  meal: Meal;
  mealName: string;
  mode: Mode;
  modeName: string;
  status: OrderStatus;
  statusName: string;
  deliveryAddressMasked: string | null;
  contactPhoneMasked: string | null;
  note: string | null;
  createdAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  servedAt: string | null;
  cutoff: string;
  cutoffText: string;
  canCancel: boolean;
}

export interface Quote extends Figures {
  personName: string;
  facilityName: string;
  date: string;
  mealName: string;
  modeName: string;
  leftAfter: number;
  cutoffText: string;
}

export interface MealPersonView {
  personId: string;
  name: string;
  relation: string;
  districtName: string;
  age: number;
  careGrade: number | null;
  lowIncome: boolean;
  facts: string;
  subsidy: { dineIn: { fen: number; label: string } | null; delivery: { fen: number; label: string } | null };
}

export interface OrderInput {
  personId: string;
  facilityId: string;
  date: string;
  meal: Meal;
  mode: Mode;
  deliveryAddress?: string | null;
  contactPhone?: string | null;
  note?: string | null;
}

export interface ManagedPoint extends PointCard {
  todayOrdered: number;
  todayMeals: string[];
}

export interface DayOrder {
  id: string;
  personNameMasked: string;
  meal: Meal;
  mealName: string;
  mode: Mode;
  modeName: string;
  status: OrderStatus;
  statusName: string;
  paysFen: number;
  subsidyFen: number;
  note: string | null;
  addressMasked: string | null;
  phoneMasked: string | null;
  canServe: boolean;
}

export interface DayCounts { ordered: number; dineIn: number; delivery: number; served: number; delivered: number; cancelled: number }

export interface PointDay {
  point: PointCard;
  date: string;
  capacity: number;
  taken: number;
  left: number;
  counts: DayCounts;
  meals: { meal: Meal; mealName: string; menu: MenuView | null; counts: DayCounts; orders: DayOrder[] }[];
  delivery: DayOrder[];
}

export interface DeliverySheet {
  date: string;
  purpose: string;
  items: { id: string; mealName: string; statusName: string; personName: string; address: string; phone: string | null; note: string | null; paysFen: number }[];
}

export interface MenuInput {
  dishes: { name: string; note?: string | null }[];
  priceFen: number;
  delivery: boolean;
  deliveryFeeFen?: number;
  note?: string | null;
}

export interface DailyCountItem {
  date: string;
  facilityId: string;
  facilityName: string;
  districtCode: string;
  districtName: string;
  streetName: string;
  capacity: number;
  ordered: number;
  dineIn: number;
  delivery: number;
  served: number;
  dineInServed: number;
  delivered: number;
  open: number;
  cancelled: number;
  subsidyFen: number;
  paysFen: number;
}

export interface DailyCounts {
  from: string;
  to: string;
  district: string | null;
  items: DailyCountItem[];
  days: { date: string; points: number; ordered: number; served: number; delivered: number; cancelled: number; subsidyFen: number }[];
  totals: { ordered: number; served: number; delivered: number; cancelled: number; subsidyFen: number };
}

const json = (method: 'POST' | 'PUT', body: unknown) => ({ method, json: body });

export const mealsApi = {
  rules: (signal?: AbortSignal) => request<MealRulesText>('/api/v1/meals/rules', { signal, handleUnauthorized: false }),
  points: (params: Record<string, string | number | null | undefined>, signal?: AbortSignal) =>
    request<PointList>(`/api/v1/meals/points${query(params)}`, { signal, handleUnauthorized: false }),
  point: (id: string, signal?: AbortSignal) => request<PointDetail>(`/api/v1/meals/points/${encodeURIComponent(id)}`, { signal, handleUnauthorized: false }),
  mine: (signal?: AbortSignal) => request<{ people: MealPersonView[]; orders: OrderView[] }>('/api/v1/meals/mine', { signal }),
  ordersOf: (personId: string, signal?: AbortSignal) =>
    request<{ person: MealPersonView; orders: OrderView[] }>(`/api/v1/meals/orders${query({ personId })}`, { signal }),
  quote: (input: OrderInput) => request<Quote>('/api/v1/meals/quote', json('POST', input)),
  order: (input: OrderInput) => request<OrderView>('/api/v1/meals/orders', json('POST', input)),
  cancel: (id: string, reason: string | null) => request<OrderView>(`/api/v1/meals/orders/${encodeURIComponent(id)}/cancel`, json('POST', { reason })),
  serve: (id: string) => request<{ id: string; status: OrderStatus; statusName: string }>(`/api/v1/meals/orders/${encodeURIComponent(id)}/serve`, { method: 'POST' }),
  managed: (params: Record<string, string>, signal?: AbortSignal) =>
    request<{ date: string; total: number; items: ManagedPoint[] }>(`/api/v1/meals/manage/points${query(params)}`, { signal }),
  publish: (pointId: string, date: string, meal: Meal, input: MenuInput) =>
    request<PointDay>(`/api/v1/meals/points/${encodeURIComponent(pointId)}/menus/${date}/${meal}`, json('PUT', input)),
  day: (pointId: string, date: string, signal?: AbortSignal) =>
    request<PointDay>(`/api/v1/meals/points/${encodeURIComponent(pointId)}/day${query({ date })}`, { signal }),
  deliverySheet: (pointId: string, date: string, purpose: string) =>
    request<DeliverySheet>(`/api/v1/meals/points/${encodeURIComponent(pointId)}/delivery-sheet`, json('POST', { date, purpose })),
  dailyCounts: (params: { from: string; to: string; district?: string }, signal?: AbortSignal) =>
    request<DailyCounts>(`/api/v1/meals/daily-counts${query(params)}`, { signal }),
};

/** 15.00 元 (src/core/money.ts writes the amount; nothing here divides by 100). */
export const yuan = (fen: number): string => `${yuanDecimal(fen)} 元`;

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** 12月3日（星期四） — a business date in words, without time-zone shifts. */
export function dayText(date: string, today?: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wd = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  const rel = today === date ? '今天，' : '';
  return `${m}月${d}日（${rel}星期${wd}）`;
}

/** 08:59 on a date, in Shanghai time (the business time zone; fixed UTC+8). */
export function shanghaiClock(iso: string): string {
  const t = new Date(new Date(iso).getTime() + 8 * 3_600_000);
  return `${t.getUTCMonth() + 1}月${t.getUTCDate()}日 ${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
}

export function distanceText(m: number | null): string | null {
  if (m === null) return null;
  return m < 1000 ? `约 ${Math.max(10, Math.round(m / 10) * 10)} 米` : `约 ${(m / 1000).toFixed(1)} 公里`;
}
