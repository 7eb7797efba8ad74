// 待遇自助测算 (/check): a short public form — no login, nothing saved — and one result card per
// scheme with its reason, what would change it and the cited basis (POST /entitlements/check).
// Elder mode like the portal: large type, ≥ 60 px targets, errors in words next to the field.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import {
  api,
  ApiError,
  ECONOMIC_STATUSES,
  entitlementsApi,
  LIVING_ARRANGEMENTS,
  type EconomicStatus,
  type EntitlementFacts,
  type EntitlementsResult,
  type InsuranceType,
  type LivingArrangement,
  type Region,
} from '../api.ts';
import { PortalFooter } from '../components/PortalFooter.tsx';
import { PortalHeader } from '../components/PortalHeader.tsx';
import { EntitlementResults, todayLocalDate } from '../components/EntitlementResult.tsx';
import { MAIN_ID, SkipLink } from '../components/SkipLink.tsx';
import { errorText, isAbort } from '../format.ts';
import { usePageTitle, usePrefs } from '../prefs.tsx';
import { dateOf, DateParts, EMPTY_DATE, isEmptyDate, type DateValue } from './DateParts.tsx';

/** The value of the 户籍 select for "not registered here": sent as hukouDistrict null. */
const OUTSIDE = 'outside';
const GRADES = [0, 1, 2, 3, 4, 5, 6];
const INSURANCE_CHOICES: readonly InsuranceType[] = ['none', 'employee', 'resident'];
const ECONOMIC_CHOICES: readonly EconomicStatus[] = ['none', ...ECONOMIC_STATUSES.filter((e) => e !== 'none')];

type FieldName = 'birthDate' | 'hukouDistrict' | 'careGradeValidUntil' | 'insurance' | 'careGrade' | 'economic' | 'livingArrangement';
type FieldErrors = Partial<Record<FieldName, string>>;

type Regions = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; items: Region[] };

export function CheckPage() {
  const { t, td } = usePrefs();
  usePageTitle(t('check.title'));

  const [regions, setRegions] = useState<Regions>({ status: 'loading' });
  const [birth, setBirth] = useState<DateValue>(EMPTY_DATE);
  const [hukou, setHukou] = useState('');
  const [insurance, setInsurance] = useState<InsuranceType>('none');
  const [grade, setGrade] = useState('');
  const [validUntil, setValidUntil] = useState<DateValue>(EMPTY_DATE);
  const [economic, setEconomic] = useState<EconomicStatus>('none');
  const [living, setLiving] = useState<LivingArrangement | ''>('');
  const [preferentialCare, setPreferentialCare] = useState(false);
  const [familyPlanningSpecial, setFamilyPlanningSpecial] = useState(false);

  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<EntitlementsResult | null>(null);

  const birthRef = useRef<HTMLInputElement>(null);
  const hukouRef = useRef<HTMLSelectElement>(null);
  const validRef = useRef<HTMLInputElement>(null);
  const insuranceRef = useRef<HTMLSelectElement>(null);
  const gradeRef = useRef<HTMLSelectElement>(null);
  const economicRef = useRef<HTMLSelectElement>(null);
  const livingRef = useRef<HTMLSelectElement>(null);
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const ctlRef = useRef<AbortController | null>(null);
  const ids = { hukou: useId(), insurance: useId(), grade: useId(), economic: useId(), living: useId() };

  const focusField = (f: FieldName) => {
    const refs = {
      birthDate: birthRef,
      hukouDistrict: hukouRef,
      careGradeValidUntil: validRef,
      insurance: insuranceRef,
      careGrade: gradeRef,
      economic: economicRef,
      livingArrangement: livingRef,
    } as const;
    refs[f].current?.focus();
  };

  useEffect(() => {
    const ctl = new AbortController();
    api
      .regions(undefined, ctl.signal)
      .then((r) => setRegions({ status: 'ok', items: r.items }))
      .catch((e: unknown) => {
        if (!isAbort(e) && !ctl.signal.aborted) setRegions({ status: 'error', message: errorText(e, t) });
      });
    return () => {
      ctl.abort();
      ctlRef.current?.abort();
    };
    // t changes with the language only
  }, []);

  useEffect(() => {
    if (result) resultsRef.current?.focus();
  }, [result]);

  const validate = (): { facts: EntitlementFacts | null; errs: FieldErrors } => {
    const errs: FieldErrors = {};
    const birthDate = dateOf(birth);
    if (isEmptyDate(birth) || !birth.year || !birth.month || !birth.day) errs.birthDate = t('check.err.birthRequired');
    else if (!birthDate) errs.birthDate = t('check.err.birthInvalid');
    else if (birthDate > todayLocalDate()) errs.birthDate = t('check.err.birthFuture');
    if (!hukou) errs.hukouDistrict = t('check.err.hukouRequired');
    const until = isEmptyDate(validUntil) ? null : dateOf(validUntil);
    if (!isEmptyDate(validUntil) && !until) errs.careGradeValidUntil = t('check.err.validUntilInvalid');
    if (Object.keys(errs).length > 0 || !birthDate) return { facts: null, errs };
    const careGrade = grade === '' ? null : Number(grade);
    return {
      facts: {
        birthDate,
        hukouDistrict: hukou === OUTSIDE ? null : hukou,
        insurance: insurance === 'none' ? null : insurance,
        careGrade,
        careGradeValidUntil: careGrade === null ? null : until,
        economic,
        livingArrangement: living || null,
        preferentialCare,
        familyPlanningSpecial,
      },
      errs,
    };
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const { facts, errs } = validate();
    setErrors(errs);
    setFormError(null);
    const first = FIELD_ORDER.find((f) => errs[f]);
    if (!facts) {
      setResult(null);
      if (first) focusField(first);
      return;
    }
    setBusy(true);
    ctlRef.current?.abort();
    const ctl = new AbortController();
    ctlRef.current = ctl;
    try {
      const r = await entitlementsApi.check(facts, ctl.signal);
      setResult(r);
    } catch (err) {
      if (isAbort(err)) return;
      setResult(null);
      const fieldErrs: FieldErrors = {};
      if (err instanceof ApiError) {
        for (const d of err.details) {
          const f = d.path.split('.')[0] as FieldName;
          if (FIELD_ORDER.includes(f) && !fieldErrs[f]) fieldErrs[f] = d.message;
        }
      }
      const firstServer = FIELD_ORDER.find((f) => fieldErrs[f]);
      if (firstServer) {
        setErrors(fieldErrs);
        setFormError(t('check.fixFields'));
        focusField(firstServer);
      } else {
        setFormError(errorText(err, t));
      }
    } finally {
      if (ctlRef.current === ctl) setBusy(false);
    }
  };

  const describe = (hintId: string | null, field: FieldName, errorId: string) =>
    [hintId, errors[field] ? errorId : null].filter(Boolean).join(' ') || undefined;

  const eligibleCount = result ? result.schemes.filter((s) => s.eligible).length : 0;

  return (
    <div className="portal">
      <SkipLink />
      <PortalHeader />

      <main id={MAIN_ID} tabIndex={-1} className="container check-main">
        <p className="back-link">
          <Link to="/">
            <span aria-hidden="true">← </span>
            {t('common.backHome')}
          </Link>
        </p>
        <h1>{t('check.title')}</h1>
        <p className="lead">{t('check.lead')}</p>
        <div className="notice notice-info check-privacy">
          <p>
            <strong>{t('check.privacy')}</strong>
          </p>
          <p>{t('check.disclaimer')}</p>
        </div>

        <section aria-labelledby="check-form-title" className="card check-form-card">
          <h2 id="check-form-title">{t('check.form.title')}</h2>
          <div role="alert" className="status-slot">
            {formError && (
              <div className="notice notice-error">
                <p className="notice-title">{t('check.failed')}</p>
                <p>{formError}</p>
              </div>
            )}
          </div>
          <form className="stack check-form" onSubmit={(e) => void onSubmit(e)} noValidate>
            <DateParts
              name="birth"
              legend={t('check.birthDate')}
              hint={t('check.birthDate.hint')}
              value={birth}
              onChange={setBirth}
              error={errors.birthDate}
              firstRef={birthRef}
            />

            <Field id={ids.hukou} label={t('check.hukou')} hint={t('check.hukou.hint')} error={errors.hukouDistrict}>
              <select
                ref={hukouRef}
                id={ids.hukou}
                value={hukou}
                onChange={(e) => setHukou(e.target.value)}
                aria-invalid={errors.hukouDistrict ? true : undefined}
                aria-describedby={describe(`${ids.hukou}-hint`, 'hukouDistrict', `${ids.hukou}-error`)}
              >
                <option value="">
                  {regions.status === 'loading' ? t('check.hukou.loading') : t('check.hukou.choose')}
                </option>
                {regions.status === 'ok' &&
                  regions.items.map((r) => (
                    <option key={r.code} value={r.code}>
                      {r.name}
                    </option>
                  ))}
                <option value={OUTSIDE}>{t('check.hukou.outside')}</option>
              </select>
              {regions.status === 'error' && (
                <p className="field-error">{t('check.hukou.failed', { message: regions.message })}</p>
              )}
            </Field>

            <Field id={ids.insurance} label={t('check.insurance')} error={errors.insurance}>
              <select
                ref={insuranceRef}
                id={ids.insurance}
                value={insurance}
                onChange={(e) => setInsurance(e.target.value as InsuranceType)}
                aria-invalid={errors.insurance ? true : undefined}
                aria-describedby={describe(null, 'insurance', `${ids.insurance}-error`)}
              >
                {INSURANCE_CHOICES.map((i) => (
                  <option key={i} value={i}>
                    {i === 'none' ? t('check.insurance.none') : td(`insurance.${i}`, i)}
                  </option>
                ))}
              </select>
            </Field>

            <Field id={ids.grade} label={t('check.careGrade')} hint={t('check.careGrade.hint')} error={errors.careGrade}>
              <select
                ref={gradeRef}
                id={ids.grade}
                value={grade}
                onChange={(e) => setGrade(e.target.value)}
                aria-invalid={errors.careGrade ? true : undefined}
                aria-describedby={describe(`${ids.grade}-hint`, 'careGrade', `${ids.grade}-error`)}
              >
                <option value="">{t('check.careGrade.none')}</option>
                {GRADES.map((g) => (
                  <option key={g} value={String(g)}>
                    {g === 0 ? t('check.careGrade.zero') : t('check.careGrade.n', { n: g })}
                  </option>
                ))}
              </select>
            </Field>

            {grade !== '' && (
              <DateParts
                name="valid-until"
                legend={t('check.validUntil')}
                hint={t('check.validUntil.hint')}
                optional
                value={validUntil}
                onChange={setValidUntil}
                error={errors.careGradeValidUntil}
                firstRef={validRef}
              />
            )}

            <Field id={ids.economic} label={t('check.economic')} hint={t('check.economic.hint')} error={errors.economic}>
              <select
                ref={economicRef}
                id={ids.economic}
                value={economic}
                onChange={(e) => setEconomic(e.target.value as EconomicStatus)}
                aria-invalid={errors.economic ? true : undefined}
                aria-describedby={describe(`${ids.economic}-hint`, 'economic', `${ids.economic}-error`)}
              >
                {ECONOMIC_CHOICES.map((s) => (
                  <option key={s} value={s}>
                    {s === 'none' ? t('check.economic.none') : td(`economic.${s}`, s)}
                  </option>
                ))}
              </select>
            </Field>

            <Field id={ids.living} label={t('check.living')} optional error={errors.livingArrangement}>
              <select
                ref={livingRef}
                id={ids.living}
                value={living}
                onChange={(e) => setLiving(e.target.value as LivingArrangement | '')}
                aria-invalid={errors.livingArrangement ? true : undefined}
                aria-describedby={describe(null, 'livingArrangement', `${ids.living}-error`)}
              >
                <option value="">{t('check.living.choose')}</option>
                {LIVING_ARRANGEMENTS.map((l) => (
                  <option key={l} value={l}>
                    {td(`living.${l}`, l)}
                  </option>
                ))}
              </select>
            </Field>

            <fieldset className="field">
              <legend>
                {t('check.other')}
                <span className="optional">{t('check.optional')}</span>
              </legend>
              <div className="check-options">
                <label className="option-card">
                  <input
                    type="checkbox"
                    checked={preferentialCare}
                    onChange={(e) => setPreferentialCare(e.target.checked)}
                  />
                  <span className="option-label">{t('check.preferentialCare')}</span>
                </label>
                <label className="option-card">
                  <input
                    type="checkbox"
                    checked={familyPlanningSpecial}
                    onChange={(e) => setFamilyPlanningSpecial(e.target.checked)}
                  />
                  <span className="option-label">{t('check.familyPlanningSpecial')}</span>
                </label>
              </div>
            </fieldset>

            <div className="button-row">
              <button type="submit" className="button button-primary button-big" aria-disabled={busy || undefined}>
                {busy ? t('check.submitting') : t('check.submit')}
              </button>
            </div>
          </form>
        </section>

        {result && (
          <section aria-labelledby="check-results-title" className="check-results">
            <h2 id="check-results-title" ref={resultsRef} tabIndex={-1}>
              {t('check.results.title')}
            </h2>
            <p className="check-summary">
              {t('check.results.summary', { asOf: result.asOf, age: result.age })}{' '}
              {t('check.results.count', { yes: eligibleCount, no: result.schemes.length - eligibleCount })}
            </p>
            <EntitlementResults result={result} />
            <p className="notice notice-info check-next">{t('check.results.next')}</p>
            <p>
              <button type="button" className="button button-secondary" onClick={() => birthRef.current?.focus()}>
                {t('check.results.again')}
              </button>
            </p>
          </section>
        )}
      </main>

      <PortalFooter />
    </div>
  );
}

const FIELD_ORDER: FieldName[] = [
  'birthDate',
  'hukouDistrict',
  'insurance',
  'careGrade',
  'careGradeValidUntil',
  'economic',
  'livingArrangement',
];

function Field({
  id,
  label,
  hint,
  optional,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  optional?: boolean;
  error?: string;
  children: ReactNode;
}) {
  const { t } = usePrefs();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional && <span className="optional">{t('check.optional')}</span>}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      {children}
    </div>
  );
}
