// Display preferences (language, large text, high contrast), remembered in localStorage and
// applied to <html> so that the whole page, including the skip link, follows them.
// 适老化 norms: font size adjustable in the app, high contrast available (standards.md §1).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { loadLang, saveLang, translate, translateDynamic, type Lang, type MessageKey, type Vars } from './i18n.ts';

const LARGE_TEXT_KEY = 'yiyang.largeText';
const HIGH_CONTRAST_KEY = 'yiyang.highContrast';

function loadFlag(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

function saveFlag(key: string, on: boolean): void {
  try {
    localStorage.setItem(key, on ? '1' : '0');
  } catch {
    // storage unavailable: the choice lasts for this page only
  }
}

export interface Prefs {
  lang: Lang;
  largeText: boolean;
  highContrast: boolean;
}

export function loadPrefs(): Prefs {
  return { lang: loadLang(), largeText: loadFlag(LARGE_TEXT_KEY), highContrast: loadFlag(HIGH_CONTRAST_KEY) };
}

/** Applied before the first render too (main.tsx), so the page never flashes small text. */
export function applyPrefs(p: Prefs): void {
  const html = document.documentElement;
  html.lang = p.lang;
  html.dataset.textSize = p.largeText ? 'large' : 'normal';
  html.dataset.contrast = p.highContrast ? 'high' : 'normal';
}

interface PrefsContextValue extends Prefs {
  setLang(lang: Lang): void;
  setLargeText(on: boolean): void;
  setHighContrast(on: boolean): void;
  t(key: MessageKey, vars?: Vars): string;
  /** For keys built from data (enum values); falls back to the raw value. */
  td(key: string, fallback: string, vars?: Vars): string;
}

const PrefsContext = createContext<PrefsContextValue | null>(null);

export function PrefsProvider({ children }: { children: ReactNode }) {
  const [prefs, setPrefs] = useState<Prefs>(loadPrefs);

  useEffect(() => {
    applyPrefs(prefs);
  }, [prefs]);

  const setLang = useCallback((lang: Lang) => {
    saveLang(lang);
    setPrefs((p) => ({ ...p, lang }));
  }, []);
  const setLargeText = useCallback((largeText: boolean) => {
    saveFlag(LARGE_TEXT_KEY, largeText);
    setPrefs((p) => ({ ...p, largeText }));
  }, []);
  const setHighContrast = useCallback((highContrast: boolean) => {
    saveFlag(HIGH_CONTRAST_KEY, highContrast);
    setPrefs((p) => ({ ...p, highContrast }));
  }, []);

  const value = useMemo<PrefsContextValue>(
    () => ({
      ...prefs,
      setLang,
      setLargeText,
      setHighContrast,
      t: (key, vars) => translate(prefs.lang, key, vars),
      td: (key, fallback, vars) => translateDynamic(prefs.lang, key, vars) ?? fallback,
    }),
    [prefs, setLang, setLargeText, setHighContrast],
  );

  return <PrefsContext.Provider value={value}>{children}</PrefsContext.Provider>;
}

export function usePrefs(): PrefsContextValue {
  const ctx = useContext(PrefsContext);
  if (!ctx) throw new Error('usePrefs outside PrefsProvider');
  return ctx;
}

/** Sets document.title; every page has its own title (WCAG 2.4.2). */
export function usePageTitle(title: string): void {
  const { t } = usePrefs();
  const app = t('app.name');
  useEffect(() => {
    document.title = title.includes(app) ? title : `${title} - ${app}`;
  }, [title, app]);
}
