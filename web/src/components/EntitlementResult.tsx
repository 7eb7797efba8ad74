// One result card per scheme (名称, 符合 or 不符合 in words, the headline, the reason, what would
// change it) with an expandable 依据 list: every check the rules made, with the parameter, its
// source (document, 文号, article) and how sure we are of it. Shared by the public self-check
// (/check) and the advisor's card on the person page, so both read the same way.
import type { EntitlementsResult, ExplanationStep, SchemeSummary, StepParameter } from '../api.ts';
import type { MessageKey } from '../i18n.ts';
import { usePrefs } from '../prefs.tsx';

type T = ReturnType<typeof usePrefs>['t'];
type TD = ReturnType<typeof usePrefs>['td'];

/** Today in Shanghai (the platform's business dates are Asia/Shanghai), as YYYY-MM-DD. */
export function todayLocalDate(timeZone = 'Asia/Shanghai'): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Fen to yuan: whole yuan without decimals, otherwise two. */
export function yuanText(fen: number): string {
  const yuan = fen / 100;
  return Number.isInteger(yuan) ? String(yuan) : yuan.toFixed(2);
}

/** Monthly amount in yuan for the schemes that pay money, when eligible. */
function monthlyFenOf(result: EntitlementsResult, scheme: string): number | null {
  if (scheme === 'allowance' && result.allowance.eligible) return result.allowance.monthlyFen;
  if (scheme === 'serviceSubsidy' && result.serviceSubsidy.eligible) return result.serviceSubsidy.monthlyFen;
  return null;
}

export function EntitlementResults({ result, headingLevel = 3 }: { result: EntitlementsResult; headingLevel?: 2 | 3 }) {
  return (
    <ul className="ent-list" role="list">
      {result.schemes.map((s) => (
        <SchemeCard
          key={s.scheme}
          summary={s}
          monthlyFen={monthlyFenOf(result, s.scheme)}
          steps={result.explanation.filter((e) => e.scheme === s.scheme)}
          headingLevel={headingLevel}
        />
      ))}
    </ul>
  );
}

function SchemeCard({
  summary: s,
  monthlyFen,
  steps,
  headingLevel,
}: {
  summary: SchemeSummary;
  monthlyFen: number | null;
  steps: ExplanationStep[];
  headingLevel: 2 | 3;
}) {
  const { t } = usePrefs();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <li className="card ent-card" data-eligible={s.eligible ? 'yes' : 'no'}>
      <div className="ent-head">
        <Heading className="ent-name">
          {s.name}
        </Heading>
        <p className={`ent-status ${s.eligible ? 'ent-status-yes' : 'ent-status-no'}`}>
          <span aria-hidden="true" className="ent-status-mark">
            {s.eligible ? '✓' : '✗'}
          </span>
          <span className="ent-status-text">{s.eligible ? t('ent.eligible') : t('ent.notEligible')}</span>
        </p>
      </div>
      <p className="ent-headline">{s.headline}</p>
      <dl className="ent-facts">
        {monthlyFen !== null && (
          <div className="ent-fact">
            <dt>{t('ent.amount')}</dt>
            <dd className="ent-amount">{t('ent.amountMonthly', { yuan: yuanText(monthlyFen) })}</dd>
          </div>
        )}
        {s.reason && (
          <div className="ent-fact">
            <dt>{t('ent.reason')}</dt>
            <dd>{s.reason}</dd>
          </div>
        )}
        {s.hint && (
          <div className="ent-fact ent-hint">
            <dt>{t('ent.hint')}</dt>
            <dd>{s.hint}</dd>
          </div>
        )}
      </dl>
      {steps.length > 0 && <Basis steps={steps} name={s.name} />}
    </li>
  );
}

/** 依据: each check in order, passed or not in words, with the parameter and its source. */
function Basis({ steps, name }: { steps: ExplanationStep[]; name: string }) {
  const { t } = usePrefs();
  return (
    <details className="ent-basis">
      <summary>
        {t('ent.basis', { n: steps.length })}
        <span className="visually-hidden">{t('ent.basisOf', { name })}</span>
      </summary>
      <ol className="ent-steps">
        {steps.map((step, i) => (
          <li key={`${step.check}-${i}`} className="ent-step" data-passed={step.passed ? 'yes' : 'no'}>
            <p className="ent-step-reason">
              <span className="ent-step-mark">
                <span aria-hidden="true">{step.passed ? '✓ ' : '✗ '}</span>
                {step.passed ? t('ent.step.passed') : t('ent.step.failed')}
              </span>
              {'：'}
              {step.reason}
            </p>
            {step.hint && <p className="ent-step-hint">{t('ent.step.hint', { hint: step.hint })}</p>}
            {step.parameter && <ParameterFacts p={step.parameter} />}
          </li>
        ))}
      </ol>
    </details>
  );
}

function ParameterFacts({ p }: { p: StepParameter }) {
  const { t, td } = usePrefs();
  const value = p.value === undefined ? null : valueText(p.value, p.unit, t, td);
  const period = p.to ? t('ent.param.period', { from: p.from, to: p.to }) : t('ent.param.since', { from: p.from });
  return (
    <dl className="ent-param">
      <div>
        <dt>{t('ent.param.label')}</dt>
        <dd>
          {p.label}
          {value !== null && (
            <>
              {'：'}
              {value}
            </>
          )}
        </dd>
      </div>
      <div>
        <dt>{t('ent.param.source')}</dt>
        <dd>
          {p.url ? (
            <a href={p.url} target="_blank" rel="noreferrer noopener">
              {p.source}
              <span className="visually-hidden">{t('ent.param.newWindow')}</span>
            </a>
          ) : (
            p.source
          )}
        </dd>
      </div>
      <div>
        <dt>{t('ent.param.scope')}</dt>
        <dd>
          {p.scopeName}，{period}
        </dd>
      </div>
      <div>
        <dt>{t('ent.param.confidence')}</dt>
        <dd>{td(`ent.confidence.${p.confidence}`, p.confidence)}</dd>
      </div>
    </dl>
  );
}

const CHOICE_PREFIXES = ['insurance', 'economic', 'living'];

function choiceText(v: string, td: TD): string {
  for (const prefix of CHOICE_PREFIXES) {
    const s = td(`${prefix}.${v}`, '');
    if (s) return s;
  }
  return v;
}

/** A parameter value in words, by its unit (money in yuan, shares in per cent). */
function valueText(value: unknown, unit: string, t: T, td: TD): string {
  if (value === null || value === undefined) return t('common.empty');
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? choiceText(v, td) : valueText(v, unit, t, td))).join('、');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${keyText(k, unit, t, td)} ${valueText(v, unit, t, td)}`)
      .join('；');
  }
  if (typeof value === 'number') {
    const key = UNIT_KEYS[unit];
    if (unit === 'share') return t('ent.unit.share', { n: Math.round(value * 1000) / 10 });
    if (unit === 'fen/month' || unit === 'fen/day') return t(key ?? 'ent.unit.fenMonth', { n: yuanText(value) });
    return key ? t(key, { n: value }) : String(value);
  }
  if (typeof value === 'string') return unit === 'choice' || unit === 'choice-list' ? choiceText(value, td) : value;
  return String(value);
}

const UNIT_KEYS: Record<string, MessageKey> = {
  'fen/month': 'ent.unit.fenMonth',
  'fen/day': 'ent.unit.fenDay',
  years: 'ent.unit.years',
  grade: 'ent.unit.grade',
  'hours/week': 'ent.unit.hoursWeek',
};

/** Table keys: an age band ("70-79", "100+") or a care grade ("3"), optionally with an economic status ("1:dibao"). */
function keyText(key: string, unit: string, t: T, td: TD): string {
  return key
    .split(':')
    .map((part) => {
      if (/^\d+$/.test(part) && unit !== 'years' && Number(part) <= 6) return t('ent.key.grade', { n: part });
      if (/^\d+(-\d+|\+)$/.test(part)) return t('ent.key.ages', { band: part });
      return choiceText(part, td);
    })
    .join('·');
}
