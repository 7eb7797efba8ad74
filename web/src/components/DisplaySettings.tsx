import { usePrefs } from '../prefs.tsx';

/** Large text, high contrast and language, on every page (standards.md §1: font size
 *  adjustable in the application). Toggle state is shown by a tick as well as colour. */
export function DisplaySettings() {
  const { t, lang, setLang, largeText, setLargeText, highContrast, setHighContrast } = usePrefs();
  const other = lang === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <div className="display-settings" role="group" aria-label={t('display.label')}>
      <button
        type="button"
        className="toggle"
        aria-pressed={largeText}
        onClick={() => setLargeText(!largeText)}
      >
        <span className="toggle-box" aria-hidden="true" />
        {t('display.largeText')}
      </button>
      <button
        type="button"
        className="toggle"
        aria-pressed={highContrast}
        onClick={() => setHighContrast(!highContrast)}
      >
        <span className="toggle-box" aria-hidden="true" />
        {t('display.highContrast')}
      </button>
      <button
        type="button"
        className="toggle lang-switch"
        lang={other}
        title={t('display.languageName')}
        onClick={() => setLang(other)}
      >
        {t('display.language')}
      </button>
    </div>
  );
}
