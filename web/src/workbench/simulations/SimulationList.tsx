// 以往的测算: name, dates, status (with progress), the main figures of the schemes each changed,
// a link to view it, and tick boxes to pick two finished runs to compare side by side.
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { formatDateTime } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import type { Simulation } from './api.ts';
import { figureValue, useFigureFormat } from './figures.ts';
import { changedSchemes, schemeKey } from './RunView.tsx';
import { useSimText } from './text.ts';

export function SimulationList({
  items,
  viewing,
  selected,
  onSelect,
  onCompare,
  onView,
  onRefresh,
}: {
  items: Simulation[];
  viewing: string | null;
  selected: string[];
  onSelect: (id: string, on: boolean) => void;
  onCompare: () => void;
  onView: () => void;
  onRefresh: () => void;
}) {
  const { lang } = usePrefs();
  const x = useSimText();
  const { text, count } = useFigureFormat();
  const ids = { title: useId(), error: useId() };
  const [error, setError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const done = selected.filter((id) => items.some((s) => s.id === id && s.status === 'done'));
    if (done.length !== 2) {
      setError(x('sim.list.compareNeedTwo', { n: done.length }));
      return;
    }
    setError(null);
    onCompare();
  };

  const headline = (s: Simulation) => {
    if (s.status !== 'done' || !s.result) return null;
    const schemes = changedSchemes(s);
    return (
      <ul className="sim-headline">
        <li>{x('sim.list.people', { n: count(s.result.people) })}</li>
        {schemes.map((sc) => {
          const f = s.result!.schemes[sc];
          const money = sc === 'ltci' ? x('sim.list.hours', { n: count(f.changed) }) : sc === 'basicBed' ? x('sim.fig.notMoney') : x('sim.list.monthly', { money: text(sc, 'monthly', figureValue(sc, f, 'monthly')) });
          return (
            <li key={sc}>
              {x('sim.list.headlineLine', { scheme: x(schemeKey(sc)), gaining: count(f.gaining), losing: count(f.losing), money })}
            </li>
          );
        })}
      </ul>
    );
  };

  return (
    <section aria-labelledby={ids.title} className="section-card">
      <h2 id={ids.title}>{x('sim.list.title')}</h2>
      <p>{x('sim.list.intro')}</p>
      {items.length === 0 ? (
        <p className="empty">{x('sim.list.empty')}</p>
      ) : (
        <form onSubmit={submit} noValidate className="stack">
          <div className="table-scroll" role="region" aria-labelledby={ids.title} tabIndex={0}>
            <table className="data-table" data-testid="sim-list">
              <caption className="visually-hidden">{x('sim.list.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{x('sim.list.select')}</th>
                  <th scope="col">{x('sim.list.name')}</th>
                  <th scope="col">{x('sim.list.date')}</th>
                  <th scope="col">{x('sim.list.status')}</th>
                  <th scope="col">{x('sim.list.headline')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.id} data-id={s.id}>
                    <td>
                      {s.status === 'done' ? (
                        <label className="sim-pick">
                          <input type="checkbox" checked={selected.includes(s.id)} onChange={(e) => onSelect(s.id, e.target.checked)} />
                          <span className="visually-hidden">{x('sim.list.selectOne', { name: s.name })}</span>
                        </label>
                      ) : (
                        '—'
                      )}
                    </td>
                    <th scope="row" className="wrap">
                      <span className="sim-list-name">{s.name}</span>
                      {viewing === s.id ? (
                        <span className="tag tag-muted">{x('sim.list.viewing')}</span>
                      ) : (
                        <Link to={`?run=${encodeURIComponent(s.id)}`} onClick={onView} aria-label={x('sim.list.viewOne', { name: s.name })}>
                          {x('sim.list.view')}
                        </Link>
                      )}
                    </th>
                    <td>
                      {s.asOf}
                      <br />
                      <span className="muted">{formatDateTime(s.createdAt, lang)}</span>
                    </td>
                    <td>
                      {lang === 'zh-CN' ? s.statusName : x(`sim.status.${s.status}`)}
                      {s.status === 'failed' && s.error && (
                        <>
                          <br />
                          <span className="field-error">{s.error}</span>
                        </>
                      )}
                      {(s.status === 'running' || s.status === 'queued') && s.total ? (
                        <>
                          <br />
                          {x('sim.list.progress', { done: count(s.done), total: count(s.total) })}
                        </>
                      ) : null}
                    </td>
                    <td className="wrap">{headline(s)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {error && (
            <p id={ids.error} className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="button-row">
            <button type="submit" className="button button-primary">
              {x('sim.list.compare')}
            </button>
            <button type="button" className="button button-secondary" onClick={onRefresh}>
              {x('sim.list.refresh')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
