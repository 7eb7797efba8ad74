import { ApiError, NETWORK_ERROR } from './api.ts';
import type { Lang, MessageKey, Vars } from './i18n.ts';

type T = (key: MessageKey, vars?: Vars) => string;

/** The server's Chinese message when there is one; otherwise a plain sentence of our own. */
export function errorText(e: unknown, t: T): string {
  if (e instanceof ApiError) {
    if (e.code === NETWORK_ERROR) return t('common.networkError');
    if (e.message) return e.message;
  }
  return t('common.unknownError');
}

export function isAbort(e: unknown): boolean {
  return e instanceof DOMException && e.name === 'AbortError';
}

const dateTimeFormats = new Map<Lang, Intl.DateTimeFormat>();

/** Instants in the viewer's local time, e.g. 2025-03-01 14:05. */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  let f = dateTimeFormats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    });
    dateTimeFormats.set(lang, f);
  }
  return f.format(d);
}

/** Business dates (YYYY-MM-DD) are shown as they are: no time-zone shift. */
export function formatDate(date: string | null | undefined): string {
  return date ?? '';
}
