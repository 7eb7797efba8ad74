import { Link } from 'react-router';
import { usePageTitle, usePrefs } from '../prefs.tsx';

export function NotFoundPage({ home }: { home: string }) {
  const { t } = usePrefs();
  usePageTitle(t('common.notFoundTitle'));
  return (
    <>
      <h1>{t('common.notFoundTitle')}</h1>
      <p>{t('common.notFoundBody')}</p>
      <p>
        <Link to={home} className="button button-secondary">
          {t('common.backHome')}
        </Link>
      </p>
    </>
  );
}
