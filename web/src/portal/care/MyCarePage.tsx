// 我的居家照护 (/my/care): for older people and their families (issue 8 §2, §4, §5). After signing
// in (the portal's own form, as on /my/waitlist), each linked person with: the elder's
// confirmation code the caregiver asks for at the door; the care plans (a draft is confirmed
// here; weekly minutes against the LTCI cap, visits by weekday, items); and the visits of the
// last 30 days as they happen — the list is read again every half minute while the page is in
// view, and a visit that starts or ends is announced — each finished one to be rated.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { errorText, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { addDaysTo, clock, shanghaiToday } from '../../carer/format.ts';
import { MyShell } from '../my/MyShell.tsx';
import { servicesApi, type ProxyPerson } from '../services/api.ts';
import { careApi, type FamilyVisit, type PlanView } from './api.ts';
import { ElderCode } from './ElderCode.tsx';
import { PlanCard } from './PlanCard.tsx';
import { VisitItem } from './VisitItem.tsx';
import './care.css';

const POLL_MS = 30_000;
const DAYS_SHOWN = 30;

export function MyCarePage() {
  return (
    <MyShell
      title="我的居家照护"
      lead="长护险居家照护：在这里看照护计划、确认新的计划，随时看到护理员每次上门做了什么，并为服务打分。"
      back={{ to: '/', text: '返回首页' }}
      mainClassName="container check-main my-main care-main"
    >
      <MyCare />
    </MyShell>
  );
}

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; people: ProxyPerson[] };

function MyCare() {
  const { t } = usePrefs();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    servicesApi
      .proxy(null, ctl.signal)
      .then((r) => setLoad({ status: 'ok', people: r.people }))
      .catch((e: unknown) => !isAbort(e) && !ctl.signal.aborted && setLoad({ status: 'error', message: errorText(e, t) }));
    return () => ctl.abort();
    // t changes with the language only
  }, [attempt]);

  if (load.status === 'loading') {
    return (
      <p role="status" className="loading">
        正在读取居家照护信息…
      </p>
    );
  }
  if (load.status === 'error') {
    return (
      <>
        <p className="notice notice-error" role="alert">
          暂时看不到居家照护信息：{load.message}
        </p>
        <button type="button" className="button button-secondary" onClick={() => setAttempt((n) => n + 1)}>
          {t('common.retry')}
        </button>
      </>
    );
  }
  if (load.people.length === 0) {
    return <p className="notice">您的账号还没有关联老人，所以这里没有居家照护信息。请带上身份证，到所在街道的社区事务受理服务中心办理关联。</p>;
  }
  return (
    <>
      {load.people.map((p) => (
        <PersonCare key={p.personId} person={p} />
      ))}
    </>
  );
}

type Data = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; plans: PlanView[]; visits: FamilyVisit[]; at: string };

/** What changed between two reads, in words (a visit started or finished). */
function news(before: FamilyVisit[], after: FamilyVisit[]): string[] {
  const old = new Map(before.map((v) => [v.id, v.status]));
  const out: string[] = [];
  for (const v of after) {
    const was = old.get(v.id);
    if (v.status === 'in_progress' && was === undefined) out.push(`${v.caregiverName} ${clock(v.checkIn)} 已上门签到。`);
    if (v.status === 'done' && was !== 'done') out.push(`${v.caregiverName}的上门服务已完成（${clock(v.checkIn)}–${clock(v.checkOut)}）。`);
  }
  return out;
}

function PersonCare({ person }: { person: ProxyPerson }) {
  const { t } = usePrefs();
  const id = useId();
  const [data, setData] = useState<Data>({ status: 'loading' });
  const [said, setSaid] = useState('');
  const [refreshing, setRefreshing] = useState(false);
  const last = useRef<FamilyVisit[] | null>(null);

  const read = useCallback(
    async (signal?: AbortSignal) => {
      const to = shanghaiToday();
      const from = addDaysTo(to, -(DAYS_SHOWN - 1));
      const [plans, visits] = await Promise.all([careApi.plans(person.personId, signal), careApi.visits(person.personId, from, to, signal)]);
      if (last.current) {
        const n = news(last.current, visits.items);
        if (n.length) setSaid(n.join(''));
      }
      last.current = visits.items;
      setData({ status: 'ok', plans: plans.items, visits: visits.items, at: new Date().toISOString() });
    },
    [person.personId],
  );

  useEffect(() => {
    const ctl = new AbortController();
    read(ctl.signal).catch((e: unknown) => !isAbort(e) && !ctl.signal.aborted && setData({ status: 'error', message: errorText(e, t) }));
    // As they happen: read again while the page is in view.
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') read(ctl.signal).catch(() => undefined);
    }, POLL_MS);
    return () => {
      ctl.abort();
      window.clearInterval(timer);
    };
    // t changes with the language only
  }, [read]);

  const refresh = async () => {
    setRefreshing(true);
    try {
      await read();
    } catch (e) {
      setData({ status: 'error', message: errorText(e, t) });
    } finally {
      setRefreshing(false);
    }
  };

  const replacePlan = (p: PlanView) =>
    setData((d) => (d.status !== 'ok' ? d : { ...d, plans: d.plans.map((x) => (x.id === p.id ? { ...x, ...p } : x.status === 'confirmed' && p.status === 'confirmed' ? { ...x, status: 'ended' } : x)) }));
  const replaceVisit = (v: FamilyVisit) => setData((d) => (d.status !== 'ok' ? d : { ...d, visits: d.visits.map((x) => (x.id === v.id ? v : x)) }));

  const plans = data.status === 'ok' ? data.plans.filter((p) => p.status === 'draft' || p.status === 'confirmed') : [];
  const earlier = data.status === 'ok' ? data.plans.filter((p) => p.status === 'ended' || p.status === 'cancelled') : [];

  return (
    <section className="card section-card care-person" aria-labelledby={`${id}-title`} data-testid="care-person" data-person={person.personId}>
      <h2 id={`${id}-title`}>
        {person.name}（{person.relation}）
      </h2>
      <ElderCode personId={person.personId} />
      <p className="visually-hidden" role="status">
        {said}
      </p>
      {data.status === 'loading' && (
        <p role="status" className="loading">
          正在读取照护计划和上门记录…
        </p>
      )}
      {data.status === 'error' && (
        <p className="notice notice-error" role="alert">
          暂时看不到照护计划和上门记录：{data.message}
        </p>
      )}
      {data.status === 'ok' && (
        <>
          <section aria-labelledby={`${id}-plans`} className="care-section">
            <h3 id={`${id}-plans`}>照护计划</h3>
            {plans.length === 0 && <p>{person.name}现在没有居家照护计划。符合长护险居家照护条件的，可以联系评估时选择的服务机构拟定计划。</p>}
            {plans.map((p) => (
              <PlanCard key={p.id} plan={p} onChanged={replacePlan} />
            ))}
            {earlier.length > 0 && (
              <details className="care-earlier">
                <summary>以前的计划（{earlier.length} 份）</summary>
                {earlier.map((p) => (
                  <PlanCard key={p.id} plan={p} onChanged={replacePlan} />
                ))}
              </details>
            )}
          </section>
          <section aria-labelledby={`${id}-visits`} className="care-section">
            <h3 id={`${id}-visits`}>上门服务记录（近 {DAYS_SHOWN} 天）</h3>
            <div className="care-refresh">
              <p className="muted">每半分钟自动更新，最后更新 {clock(data.at)}。</p>
              <button type="button" className="button button-secondary" aria-disabled={refreshing || undefined} onClick={() => !refreshing && void refresh()}>
                {refreshing ? '正在更新…' : '刷新'}
              </button>
            </div>
            {data.visits.length === 0 ? (
              <p>近 {DAYS_SHOWN} 天还没有上门服务记录。护理员签到后，这里马上就能看到。</p>
            ) : (
              <ol className="care-visits">
                {data.visits.map((v) => (
                  <VisitItem key={v.id} visit={v} onRated={replaceVisit} />
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </section>
  );
}
