// The frame of the public 老年助餐 pages (/meals, /meals/points/:id): the portal header with the
// page's navigation, the main landmark (Chinese only: said in lang, whatever the display
// language) and the footer.
import type { ReactNode } from 'react';
import { PortalFooter } from '../../components/PortalFooter.tsx';
import { PortalHeader } from '../../components/PortalHeader.tsx';
import { MAIN_ID, SkipLink } from '../../components/SkipLink.tsx';
import { usePrefs } from '../../prefs.tsx';

export function MealsFrame({ nav, children }: { nav?: ReactNode; children: ReactNode }) {
  const { t } = usePrefs();
  return (
    <div className="portal">
      <SkipLink />
      <PortalHeader>
        {nav && (
          <nav aria-label={t('portal.nav')} className="header-nav">
            {nav}
          </nav>
        )}
      </PortalHeader>
      <main id={MAIN_ID} tabIndex={-1} className="container check-main meals-main" lang="zh-CN">
        {children}
      </main>
      <PortalFooter />
    </div>
  );
}
