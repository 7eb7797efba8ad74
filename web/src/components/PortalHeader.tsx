import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { usePrefs } from '../prefs.tsx';
import { DisplaySettings } from './DisplaySettings.tsx';

/** The portal pages' header: the brand (a link home), the display settings, then what the page adds (navigation, who is signed in). */
export function PortalHeader({ children }: { children?: ReactNode }) {
  const { t } = usePrefs();
  return (
    <header className="site-header">
      <div className="container header-row">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            颐
          </span>
          <span className="brand-text">
            <span className="brand-name">{t('app.name')}</span>
            <span className="brand-tagline">{t('app.tagline')}</span>
          </span>
        </Link>
        <DisplaySettings />
        {children}
      </div>
    </header>
  );
}
