import { usePrefs } from '../prefs.tsx';

/**
 * What a list or page says while its data loads (role="status") and when loading failed: the
 * message in an alert and a 重试 button. Nothing once the data is there.
 */
export function LoadStatus({
  load,
  loadingText,
  failedTitle,
  onRetry,
}: {
  load: { status: string; message?: string };
  /** What to say while loading; 加载中 unless told. */
  loadingText?: string;
  /** Title of the alert when loading failed; none unless told. */
  failedTitle?: string;
  onRetry: () => void;
}) {
  const { t } = usePrefs();
  return (
    <>
      {load.status === 'loading' && (
        <p role="status" className="loading">
          {loadingText ?? t('common.loading')}
        </p>
      )}
      {load.status === 'error' && (
        <>
          <div className="notice notice-error" role="alert">
            {failedTitle !== undefined && <p className="notice-title">{failedTitle}</p>}
            <p>{load.message}</p>
          </div>
          <button type="button" className="button button-secondary" onClick={onRetry}>
            {t('common.retry')}
          </button>
        </>
      )}
    </>
  );
}
