import { usePrefs } from '../prefs.tsx';

/** The portal pages' footer. */
export function PortalFooter() {
  const { t } = usePrefs();
  return (
    <footer className="site-footer">
      <div className="container">
        <p>{t('portal.footer')}</p>
      </div>
    </footer>
  );
}
