// Times and words of the caregiver phone and the family page: clock times in Shanghai time
// whatever the phone's zone, distances and durations in plain Chinese.
const SHANGHAI = 'Asia/Shanghai';
const MS_PER_HOUR = 3_600_000;
const SHANGHAI_OFFSET_HOURS = 8;

const hm = new Intl.DateTimeFormat('zh-CN', { timeZone: SHANGHAI, hour: '2-digit', minute: '2-digit', hour12: false });
const md = new Intl.DateTimeFormat('zh-CN', { timeZone: SHANGHAI, month: 'long', day: 'numeric', weekday: 'short' });

/** 09:05 */
export const clock = (iso: string | null | undefined): string => (iso ? hm.format(new Date(iso)) : '');

/** 11月2日周一 */
export const dayLabel = (iso: string): string => md.format(new Date(iso)).replace(/\s/g, '');

/** A business date (YYYY-MM-DD) as 11月2日周一. */
export const dateLabel = (date: string): string => dayLabel(`${date}T12:00:00+08:00`);

/** Today in Shanghai (fixed UTC+8, as the server's business dates are written). */
export const shanghaiToday = (now = Date.now()): string => new Date(now + SHANGHAI_OFFSET_HOURS * MS_PER_HOUR).toISOString().slice(0, 10);

/** A date n days from a business date. */
export const addDaysTo = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * 24 * MS_PER_HOUR).toISOString().slice(0, 10);

/** 1.2 公里 / 350 米 */
export function distanceText(m: number): string {
  return m >= 1000 ? `${(m / 1000).toFixed(1)} 公里` : `${Math.round(m)} 米`;
}

/** 60 分钟 / 1 小时 30 分钟 */
export function minutesText(min: number): string {
  if (min < 60) return `${min} 分钟`;
  const h = Math.floor(min / 60);
  const m = min % 60;
  return m ? `${h} 小时 ${m} 分钟` : `${h} 小时`;
}

export const WEEKDAYS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

export const SERVICE_KIND_NAMES: Record<string, string> = { care: '生活照料', nursing: '医疗护理' };

/** The end of a visit that starts at `iso` and lasts `minutes`. */
export const endOf = (iso: string, minutes: number): string => new Date(Date.parse(iso) + minutes * 60_000).toISOString();
