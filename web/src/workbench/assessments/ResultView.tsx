// A score result explained (issue 4 item 6): dimension scores out of their maxima, the total, the
// preliminary level from the total, each adjustment that changed it with its Chinese reason, and
// the final level. State is in words, never colour alone.
import { usePrefs } from '../../prefs.tsx';
import type { InstrumentData, ScoreResult } from './api.ts';

export function levelName(data: InstrumentData | null, level: number): string {
  return data?.levels.find((l) => l.level === level)?.name ?? String(level);
}

export function ResultView({
  result,
  instrument,
  headingId,
  headingLevel = 2,
  title,
}: {
  result: ScoreResult;
  instrument: InstrumentData | null;
  headingId: string;
  headingLevel?: 2 | 3;
  title: string;
}) {
  const { t, td } = usePrefs();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  const dims = instrument?.dimensions ?? Object.keys(result.dimensions).map((code) => ({ code, name: code, max: NaN }));
  const maxTotal = instrument?.maxTotal.value;
  const changed = result.level !== result.preliminaryLevel || result.adjustments.length > 0;
  return (
    <section aria-labelledby={headingId} className="card section-card result-card" data-testid="assessment-result">
      <H id={headingId}>{title}</H>
      <p className="result-level">
        <span className="result-level-label">{t('asmt.result.level')}</span>
        <span className="level-badge" data-level={result.level}>
          {t('asmt.result.levelValue', { level: result.level, name: result.levelName || levelName(instrument, result.level) })}
        </span>
      </p>
      <dl className="field-list">
        {dims.map((d) => (
          <div className="field-row" key={d.code}>
            <dt>{td(`asmt.dim.${d.code}`, d.name)}</dt>
            <dd>
              {Number.isFinite(d.max)
                ? t('asmt.result.outOf', { score: result.dimensions[d.code] ?? 0, max: d.max })
                : String(result.dimensions[d.code] ?? 0)}
            </dd>
          </div>
        ))}
        <div className="field-row">
          <dt>{t('asmt.result.total')}</dt>
          <dd>
            <strong>
              {maxTotal !== undefined ? t('asmt.result.outOf', { score: result.total, max: maxTotal }) : result.total}
            </strong>
          </dd>
        </div>
        <div className="field-row">
          <dt>{t('asmt.result.preliminary')}</dt>
          <dd>
            {t('asmt.result.levelValue', {
              level: result.preliminaryLevel,
              name: levelName(instrument, result.preliminaryLevel),
            })}
          </dd>
        </div>
      </dl>
      <Sub className="h-small">{t('asmt.result.adjustments')}</Sub>
      {result.adjustments.length === 0 ? (
        <p className="empty">{t('asmt.result.noAdjustments')}</p>
      ) : (
        <ul className="adjustment-list">
          {result.adjustments.map((a) => (
            <li key={a.code}>
              <span className="adjustment-code">{td(`asmt.adj.${a.code}`, a.code)}</span>
              {'：'}
              {a.reason}
            </li>
          ))}
        </ul>
      )}
      {changed && (
        <p className="muted">
          {t('asmt.result.changed', {
            from: levelName(instrument, result.preliminaryLevel),
            to: result.levelName || levelName(instrument, result.level),
          })}
        </p>
      )}
    </section>
  );
}
