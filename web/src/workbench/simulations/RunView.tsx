// One simulation: its progress while queued or running (polled every second, told in a polite
// live region in steps of a tenth so a screen reader is not flooded), then the result — a table
// of the schemes, a table of the districts for a chosen scheme, and example people linking to
// their record.
import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';
import { Link } from 'react-router';
import { errorText, formatDateTime, isAbort } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { shortRef } from '../assessments/names.ts';
import { isActive, simulationApi, SIM_SCHEMES, type ParametersInForce, type SimScheme, type Simulation, type SimulationResult } from './api.ts';
import { FIGURE_KEYS, FIGURE_LABELS, figureValue, useExampleValue, useFigureFormat } from './figures.ts';
import { valueText } from './params.ts';
import { useSimText, type SimKey } from './text.ts';

const POLL_MS = 1000;
const RETRY_MS = 3000;
const TENTHS = 10;

type Load = { status: 'idle' } | { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; sim: Simulation };

export const schemeKey = (s: SimScheme): SimKey => `sim.scheme.${s}`;

/** The live sentence for a simulation's state; progress in tenths. */
export function useLiveText(): (sim: Simulation) => string {
  const { lang } = usePrefs();
  const x = useSimText();
  const num = new Intl.NumberFormat(lang === 'en' ? 'en' : 'zh-CN');
  const pct = new Intl.NumberFormat(lang === 'en' ? 'en' : 'zh-CN', { style: 'percent' });
  return (sim) => {
    if (sim.status === 'queued') return x('sim.live.queued', { name: sim.name });
    if (sim.status === 'failed') return x('sim.live.failed', { name: sim.name, error: sim.error ?? x('sim.run.failedDefault') });
    if (sim.status === 'done') return x('sim.live.done', { name: sim.name, people: num.format(sim.result?.people ?? sim.done) });
    if (!sim.total) return x('sim.live.runningUnknown', { name: sim.name, done: num.format(sim.done) });
    const tenth = Math.floor((sim.done / sim.total) * TENTHS) / TENTHS;
    return x('sim.live.running', { name: sim.name, done: num.format(sim.done), total: num.format(sim.total), pct: pct.format(tenth) });
  };
}

/** 调整内容 in words: scheme · parameter: new value. */
export function ChangesList({ sim, params }: { sim: Simulation; params: ParametersInForce | null }) {
  const { lang } = usePrefs();
  return (
    <ul className="sim-changes">
      {sim.changes.map((c, i) => {
        const scheme = params?.schemes.find((s) => s.scheme === c.scheme);
        const p = scheme?.parameters.find((q) => q.name === c.name);
        return (
          <li key={`${c.scheme}.${c.name}.${i}`}>
            {scheme?.name ?? c.scheme} · {p?.label ?? c.name}：{p ? valueText(lang, c.value, p.unit) : JSON.stringify(c.value)}
          </li>
        );
      })}
    </ul>
  );
}

export function RunView({
  id,
  params,
  headingRef,
  districtName,
  onFinished,
}: {
  id: string | null;
  params: ParametersInForce | null;
  headingRef: RefObject<HTMLHeadingElement | null>;
  districtName: (code: string) => string;
  onFinished: (sim: Simulation) => void;
}) {
  const { t, lang } = usePrefs();
  const x = useSimText();
  const live = useLiveText();
  const titleId = useId();
  const [load, setLoad] = useState<Load>({ status: 'idle' });
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    if (!id) {
      setLoad({ status: 'idle' });
      return;
    }
    const ctl = new AbortController();
    let timer: number | undefined;
    let wasActive = false;
    const tick = () => {
      simulationApi
        .get(id, ctl.signal)
        .then((sim) => {
          if (ctl.signal.aborted) return;
          setLoad({ status: 'ok', sim });
          if (isActive(sim)) {
            wasActive = true;
            timer = window.setTimeout(tick, POLL_MS);
          } else {
            finished.current(sim);
          }
        })
        .catch((e: unknown) => {
          if (isAbort(e) || ctl.signal.aborted) return;
          // A run in progress keeps being asked for: a dropped request is not the end of it.
          if (wasActive) timer = window.setTimeout(tick, RETRY_MS);
          else setLoad({ status: 'error', message: errorText(e, t) });
        });
    };
    setLoad({ status: 'loading' });
    tick();
    return () => {
      ctl.abort();
      window.clearTimeout(timer);
    };
    // t changes with the language only
  }, [id]);

  const sim = load.status === 'ok' ? load.sim : null;
  return (
    <section aria-labelledby={titleId} className="card section-card sim-run" data-testid="sim-run">
      <h2 id={titleId} ref={headingRef} tabIndex={-1}>
        {x('sim.run.title')}
      </h2>
      {/* Always in the page, so that screen readers hear each change of state. */}
      <div role="status" aria-live="polite" className="sim-live" data-testid="sim-live">
        {load.status === 'loading' && <p className="loading">{x('sim.run.loading')}</p>}
        {sim && <p className={sim.status === 'failed' ? 'field-error' : undefined}>{live(sim)}</p>}
      </div>
      {load.status === 'idle' && <p className="muted">{x('sim.run.none')}</p>}
      {load.status === 'error' && (
        <div className="notice notice-error" role="alert">
          <p>{load.message}</p>
        </div>
      )}
      {sim && (
        <>
          <h3 className="sim-run-name">{x('sim.run.name', { name: sim.name })}</h3>
          <p className="muted">{x('sim.run.facts', { asOf: sim.asOf, createdAt: formatDateTime(sim.createdAt, lang) })}</p>
          <p className="sim-changes-title">{x('sim.run.changes')}</p>
          <ChangesList sim={sim} params={params} />
          {isActive(sim) && (
            <div className="sim-progress">
              <label htmlFor={`${titleId}-progress`}>{x('sim.run.progressLabel')}</label>
              <progress id={`${titleId}-progress`} max={sim.total ?? undefined} value={sim.total ? sim.done : undefined} />
            </div>
          )}
          {sim.status === 'done' && sim.result && <ResultView result={sim.result} changed={changedSchemes(sim)} districtName={districtName} />}
        </>
      )}
    </section>
  );
}

/** The schemes a simulation changed a parameter of, in the page's order (the others follow). */
export function changedSchemes(sim: Simulation): SimScheme[] {
  return SIM_SCHEMES.filter((s) => sim.changes.some((c) => c.scheme === s));
}

function ResultView({ result, changed, districtName }: { result: SimulationResult; changed: SimScheme[]; districtName: (code: string) => string }) {
  const x = useSimText();
  const { text, count } = useFigureFormat();
  const ids = { district: useId(), examples: useId(), select: useId() };
  const [districtScheme, setDistrictScheme] = useState<SimScheme>(changed[0] ?? 'allowance');
  const districts = Object.entries(result.districts);
  const districtCaption = x('sim.district.caption', { scheme: x(schemeKey(districtScheme)) });

  return (
    <div className="sim-result" data-testid="sim-result">
      <p>{x('sim.run.people', { n: count(result.people) })}</p>
      <div className="table-scroll" role="region" aria-label={x('sim.fig.caption')} tabIndex={0}>
        <table className="data-table" data-testid="sim-schemes">
          <caption>{x('sim.fig.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{x('sim.fig.scheme')}</th>
              {FIGURE_KEYS.map((k) => (
                <th scope="col" className="num" key={k}>
                  {x(FIGURE_LABELS[k])}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {SIM_SCHEMES.map((s) => (
              <tr key={s} data-scheme={s}>
                <th scope="row">{x(schemeKey(s))}</th>
                {FIGURE_KEYS.map((k) => (
                  <td className="num" key={k} data-figure={k}>
                    {text(s, k, figureValue(s, result.schemes[s], k))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ul className="sim-notes">
        <li>{x('sim.fig.hoursNote')}</li>
        <li>{x('sim.fig.bedNote')}</li>
      </ul>

      <section aria-labelledby={ids.district}>
        <h3 id={ids.district}>{x('sim.district.title')}</h3>
        <div className="field sim-district-pick">
          <label htmlFor={ids.select}>{x('sim.district.scheme')}</label>
          <select id={ids.select} value={districtScheme} onChange={(e) => setDistrictScheme(e.target.value as SimScheme)}>
            {SIM_SCHEMES.map((s) => (
              <option key={s} value={s}>
                {x(schemeKey(s))}
              </option>
            ))}
          </select>
        </div>
        {districts.length === 0 ? (
          <p className="empty">{x('sim.district.empty')}</p>
        ) : (
          <div className="table-scroll" role="region" aria-label={districtCaption} tabIndex={0}>
            <table className="data-table" data-testid="sim-districts">
              <caption>{districtCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{x('sim.district.col')}</th>
                  <th scope="col" className="num">
                    {x('sim.fig.people')}
                  </th>
                  {FIGURE_KEYS.map((k) => (
                    <th scope="col" className="num" key={k}>
                      {x(FIGURE_LABELS[k])}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {districts.map(([code, d]) => (
                  <tr key={code} data-district={code}>
                    <th scope="row">{districtName(code)}</th>
                    <td className="num">{count(d.people)}</td>
                    {FIGURE_KEYS.map((k) => (
                      <td className="num" key={k} data-figure={k}>
                        {text(districtScheme, k, figureValue(districtScheme, d.schemes[districtScheme], k))}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby={ids.examples}>
        <h3 id={ids.examples}>{x('sim.examples.title')}</h3>
        <p className="muted">{x('sim.examples.intro')}</p>
        {[...changed, ...SIM_SCHEMES.filter((s) => !changed.includes(s))].map((s) => (
          <Examples key={s} scheme={s} result={result} districtName={districtName} open={s === changed[0]} />
        ))}
      </section>
    </div>
  );
}

const KINDS = ['gaining', 'losing', 'changed'] as const;

function Examples({ scheme, result, districtName, open }: { scheme: SimScheme; result: SimulationResult; districtName: (code: string) => string; open: boolean }) {
  const x = useSimText();
  const value = useExampleValue();
  const ex = result.schemes[scheme].examples;
  const n = KINDS.reduce((sum, k) => sum + ex[k].length, 0);
  const body: ReactNode =
    n === 0 ? (
      <p className="empty">{x('sim.examples.none')}</p>
    ) : (
      KINDS.filter((k) => ex[k].length > 0).map((k) => (
        <div key={k} className="sim-example-group">
          <h4>{x(`sim.fig.${k}`)}</h4>
          <ul>
            {ex[k].map((e) => (
              <li key={e.personId}>
                <Link to={`/workbench/people/${encodeURIComponent(e.personId)}`}>{x('sim.examples.person', { ref: shortRef(e.personId) })}</Link>
                {x('sim.examples.facts', { district: districtName(e.districtCode), age: e.age, before: value(scheme, e.before), after: value(scheme, e.after) })}
              </li>
            ))}
          </ul>
        </div>
      ))
    );
  return (
    <details className="ent-basis sim-examples" open={open || undefined}>
      <summary>{x('sim.examples.summary', { scheme: x(schemeKey(scheme)), n })}</summary>
      {body}
    </details>
  );
}
