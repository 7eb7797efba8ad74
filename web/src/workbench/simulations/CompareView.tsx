// 比较两次测算: the same figures side by side — one table per scheme, a column per run and the
// difference (second minus first), signed in words; the dates and the changes of each above.
import { useId, type RefObject } from 'react';
import type { ParametersInForce, Simulation } from './api.ts';
import { SIM_SCHEMES } from './api.ts';
import { FIGURE_KEYS, FIGURE_LABELS, figureValue, useFigureFormat } from './figures.ts';
import { ChangesList, schemeKey } from './RunView.tsx';
import { useSimText } from './text.ts';

export function CompareView({
  a,
  b,
  params,
  headingRef,
  onClose,
}: {
  a: Simulation;
  b: Simulation;
  params: ParametersInForce | null;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onClose: () => void;
}) {
  const x = useSimText();
  const { text, count } = useFigureFormat();
  const titleId = useId();
  const ra = a.result;
  const rb = b.result;
  if (!ra || !rb) return null;
  const diffHead = x('sim.cmp.diff', { a: a.name, b: b.name });
  const generalCaption = x('sim.cmp.general');

  return (
    <section aria-labelledby={titleId} className="card section-card sim-compare" data-testid="sim-compare">
      <h2 id={titleId} ref={headingRef} tabIndex={-1}>
        {x('sim.cmp.title')}
      </h2>
      <p>{x('sim.cmp.intro')}</p>
      <div className="table-scroll" role="region" aria-label={generalCaption} tabIndex={0}>
        <table className="data-table" data-testid="sim-compare-general">
          <caption>{generalCaption}</caption>
          <thead>
            <tr>
              <th scope="col">{x('sim.cmp.figure')}</th>
              <th scope="col">{a.name}</th>
              <th scope="col">{b.name}</th>
              <th scope="col">{diffHead}</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">{x('sim.cmp.asOf')}</th>
              <td>{a.asOf}</td>
              <td>{b.asOf}</td>
              <td>—</td>
            </tr>
            <tr>
              <th scope="row">{x('sim.cmp.changes')}</th>
              <td className="wrap">
                <ChangesList sim={a} params={params} />
              </td>
              <td className="wrap">
                <ChangesList sim={b} params={params} />
              </td>
              <td>—</td>
            </tr>
            <tr>
              <th scope="row">{x('sim.fig.people')}</th>
              <td className="num">{count(ra.people)}</td>
              <td className="num">{count(rb.people)}</td>
              <td className="num">{text('allowance', 'gaining', rb.people - ra.people, true)}</td>
            </tr>
          </tbody>
        </table>
      </div>
      {SIM_SCHEMES.map((s) => {
        const caption = x('sim.cmp.caption', { scheme: x(schemeKey(s)) });
        return (
          <div className="table-scroll" role="region" aria-label={caption} tabIndex={0} key={s}>
            <table className="data-table" data-testid={`sim-compare-${s}`}>
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{x('sim.cmp.figure')}</th>
                  <th scope="col" className="num">
                    {a.name}
                  </th>
                  <th scope="col" className="num">
                    {b.name}
                  </th>
                  <th scope="col" className="num">
                    {diffHead}
                  </th>
                </tr>
              </thead>
              <tbody>
                {FIGURE_KEYS.map((k) => {
                  const va = figureValue(s, ra.schemes[s], k);
                  const vb = figureValue(s, rb.schemes[s], k);
                  return (
                    <tr key={k} data-figure={k}>
                      <th scope="row">{x(FIGURE_LABELS[k])}</th>
                      <td className="num">{text(s, k, va)}</td>
                      <td className="num">{text(s, k, vb)}</td>
                      <td className="num" data-diff>
                        {text(s, k, va === null || vb === null ? null : vb - va, true)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        );
      })}
      <div className="button-row">
        <button type="button" className="button button-secondary" onClick={onClose}>
          {x('sim.cmp.close')}
        </button>
      </div>
    </section>
  );
}
