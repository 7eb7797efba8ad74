// 政策调整测算 (/workbench/simulations, officer and admin: entitlements.simulate). The form, the run
// shown (?run=id: progress, then the result), and the runs kept, two of which can be compared
// (?a=id&b=id). The parameters in force (public list, for the officer's region and the chosen
// date) give the form its choices and the changes their labels.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { todayLocalDate } from '../../components/EntitlementResult.tsx';
import { errorText, isAbort } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useDistricts } from '../assessments/names.ts';
import { useUser } from '../auth.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { simulationApi, type ParametersInForce, type Simulation } from './api.ts';
import { CompareView } from './CompareView.tsx';
import { RunView } from './RunView.tsx';
import { SimulationForm } from './SimulationForm.tsx';
import { SimulationList } from './SimulationList.tsx';
import { useSimText } from './text.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { useItemsLoad } from '../../components/useItemsLoad.ts';

/** The roles the server grants entitlements.simulate (src/platform/permissions.ts). */
const SIMULATORS = ['officer', 'admin'];

type Params = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; data: ParametersInForce };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function SimulationsPage() {
  const user = useUser();
  if (!SIMULATORS.includes(user.role)) return <NotFoundPage home="/workbench" />;
  return <SimulationsBody />;
}

function SimulationsBody() {
  const { t } = usePrefs();
  const x = useSimText();
  const user = useUser();
  usePageTitle(x('sim.title'));
  const [sp, setSp] = useSearchParams();
  const run = sp.get('run');
  const cmpA = sp.get('a');
  const cmpB = sp.get('b');

  const [asOf, setAsOf] = useState(todayLocalDate);
  const [params, setParams] = useState<Params>({ status: 'loading' });
  const [listAttempt, setListAttempt] = useState(0);
  const [selected, setSelected] = useState<string[]>([]);
  const runHeading = useRef<HTMLHeadingElement>(null);
  const compareHeading = useRef<HTMLHeadingElement>(null);
  const focusNext = useRef<'run' | 'compare' | null>(null);
  const districts = useDistricts(user.regionCode);
  const districtName = (code: string) => districts.find((d) => d.code === code)?.name ?? code;

  useEffect(() => {
    if (!DATE_RE.test(asOf)) return;
    const ctl = new AbortController();
    setParams({ status: 'loading' });
    simulationApi
      .parameters({ asOf, region: user.regionCode }, ctl.signal)
      .then((data) => setParams({ status: 'ok', data }))
      .catch((e: unknown) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setParams({ status: 'error', message: errorText(e, t) });
      });
    return () => ctl.abort();
  }, [asOf, user.regionCode]);

  const [list, setList] = useItemsLoad(simulationApi.list, listAttempt);

  // Focus follows what the officer asked for: the run started or viewed, or the comparison.
  useEffect(() => {
    const target = focusNext.current === 'run' ? runHeading.current : focusNext.current === 'compare' ? compareHeading.current : null;
    if (!target) return;
    focusNext.current = null;
    target.focus();
    target.scrollIntoView({ block: 'start' });
  });

  const refresh = useCallback(() => setListAttempt((n) => n + 1), []);

  const onStarted = (sim: Simulation) => {
    setList((l) => (l.status === 'ok' ? { status: 'ok', items: [sim, ...l.items.filter((s) => s.id !== sim.id)] } : l));
    focusNext.current = 'run';
    setSp({ run: sim.id });
  };

  /** A run seen finished: its row in the list shows the same (no need to ask for the list again). */
  const onFinished = useCallback((sim: Simulation) => {
    setList((l) => {
      if (l.status !== 'ok' || !l.items.some((s) => s.id === sim.id && s.status !== sim.status)) return l;
      return { status: 'ok', items: l.items.map((s) => (s.id === sim.id ? sim : s)) };
    });
  }, []);

  const items = list.status === 'ok' ? list.items : [];
  const a = items.find((s) => s.id === cmpA && s.status === 'done');
  const b = items.find((s) => s.id === cmpB && s.status === 'done');

  const onCompare = () => {
    // Oldest first, so that the difference reads as "the later run minus the earlier".
    const picked = items.filter((s) => selected.includes(s.id) && s.status === 'done').reverse();
    if (picked.length !== 2) return;
    focusNext.current = 'compare';
    const next: Record<string, string> = { a: picked[0]!.id, b: picked[1]!.id };
    if (run) next.run = run;
    setSp(next);
  };

  const closeCompare = () => {
    focusNext.current = 'run';
    setSp(run ? { run } : {});
  };

  return (
    <>
      <h1>{x('sim.title')}</h1>
      <p>{x('sim.intro')}</p>
      <SimulationForm params={params} asOf={asOf} onAsOf={setAsOf} onStarted={onStarted} />
      <RunView
        id={run}
        params={params.status === 'ok' ? params.data : null}
        headingRef={runHeading}
        districtName={districtName}
        onFinished={onFinished}
      />
      {cmpA && cmpB && list.status === 'ok' && (a && b ? (
        <CompareView a={a} b={b} params={params.status === 'ok' ? params.data : null} headingRef={compareHeading} onClose={closeCompare} />
      ) : (
        <p className="notice notice-error" role="alert">
          {x('sim.cmp.missing')}
        </p>
      ))}
      <LoadStatus load={list} loadingText={x('sim.list.loading')} onRetry={refresh} />
      {list.status === 'ok' && (
        <SimulationList
          items={list.items}
          viewing={run}
          selected={selected}
          onSelect={(id, on) => setSelected((s) => (on ? [...s.filter((v) => v !== id), id] : s.filter((v) => v !== id)))}
          onCompare={onCompare}
          onView={() => {
            focusNext.current = 'run';
          }}
          onRefresh={refresh}
        />
      )}
    </>
  );
}
