// The person's Shanghai care grade (照护等级) in force today, on the person page: the agency's
// signed grade, its validity and agency, and a link to all the person's records.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { formatDate, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { careGradeApi, gradeLabel, type CareGrade } from './api.ts';
import { useAgencyByCode } from './names.ts';
import { useText } from './text.ts';

type Load = { status: 'loading' } | { status: 'hidden' } | { status: 'ok'; current: CareGrade | null };

export function CurrentCareGrade({ personId }: { personId: string }) {
  const x = useText();
  const { t } = usePrefs();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const agencies = useAgencyByCode();

  useEffect(() => {
    const ctl = new AbortController();
    careGradeApi
      .ofPerson(personId, ctl.signal)
      .then((r) => setLoad({ status: 'ok', current: r.current }))
      .catch((e: unknown) => {
        // not allowed or not reachable: the page shows the rest of the person
        if (!isAbort(e) && !ctl.signal.aborted) setLoad({ status: 'hidden' });
      });
    return () => ctl.abort();
  }, [personId]);

  if (load.status === 'hidden') return null;
  const g = load.status === 'ok' ? load.current : null;
  return (
    <section aria-labelledby="care-grade-title" className="card section-card" data-testid="current-care-grade">
      <h2 id="care-grade-title">{x('cg.person.current')}</h2>
      {load.status === 'loading' ? (
        <p className="loading">{t('common.loading')}</p>
      ) : g ? (
        <>
          <p>
            <strong>{gradeLabel(g)}</strong>
          </p>
          <p>{x('cg.person.validity', { from: formatDate(g.validFrom), until: formatDate(g.validUntil), agency: agencies.get(g.agencyCode) ?? g.agencyCode })}</p>
        </>
      ) : (
        <p className="empty">{x('cg.person.none')}</p>
      )}
      <p>
        <Link to={`/workbench/assessments/care-grades?person=${encodeURIComponent(personId)}`}>{x('cg.person.all')}</Link>
      </p>
    </section>
  );
}
