// 新建测算: a name, the date, and one or more changes — scheme → parameter → new value, with the
// value in force and its citation beside it. Money in yuan (sent in fen), shares in per cent;
// a table parameter has one input per key and only the keys filled in are sent. Errors sit next
// to their field and focus goes to the first; the server's refusal (in Chinese) is shown as is.
import { useId, useRef, useState, type FormEvent } from 'react';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { simulationApi, SIM_SCHEMES, type ParameterChange, type ParameterInForce, type ParametersInForce, type Simulation } from './api.ts';
import { citationText, editorOf, inputOf, keyText, parseInput, unitText, valueText, type Editor } from './params.ts';
import { useSimText } from './text.ts';

interface ChangeDraft {
  key: number;
  scheme: string;
  name: string;
  /** number input, or 'true'/'false' of a flag */
  scalar: string;
  table: Record<string, string>;
  choices: string[];
}

type Params = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ok'; data: ParametersInForce };

const NAME_MAX = 100;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const emptyChange = (key: number): ChangeDraft => ({ key, scheme: '', name: '', scalar: '', table: {}, choices: [] });
const safe = (s: string) => s.replace(/[^A-Za-z0-9]/g, '_');

/** The draft reset for a parameter: flags and choice lists start at the value in force. */
function startingDraft(d: ChangeDraft, p: ParameterInForce | undefined): ChangeDraft {
  const next = { ...d, name: p?.name ?? '', scalar: '', table: {}, choices: [] as string[] };
  if (p && typeof p.value === 'boolean') next.scalar = String(p.value);
  if (p && Array.isArray(p.value)) next.choices = p.value.filter((v): v is string => typeof v === 'string');
  return next;
}

export function SimulationForm({
  params,
  asOf,
  onAsOf,
  onStarted,
}: {
  params: Params;
  asOf: string;
  onAsOf: (asOf: string) => void;
  onStarted: (sim: Simulation) => void;
}) {
  const { t, lang } = usePrefs();
  const x = useSimText();
  const base = useId();
  const ids = { title: `${base}title`, name: `${base}name`, nameHint: `${base}nameHint`, asOf: `${base}asOf`, asOfHint: `${base}asOfHint` };
  const [name, setName] = useState('');
  const [changes, setChanges] = useState<ChangeDraft[]>([emptyChange(1)]);
  const nextKey = useRef(2);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<{ title: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const schemes = params.status === 'ok' ? params.data.schemes.filter((s) => (SIM_SCHEMES as readonly string[]).includes(s.scheme)) : [];
  const paramOf = (c: ChangeDraft) => schemes.find((s) => s.scheme === c.scheme)?.parameters.find((p) => p.name === c.name);
  const fieldId = (c: ChangeDraft, part: string) => `${base}c${c.key}-${safe(part)}`;
  const errId = (id: string) => `${id}-error`;

  const update = (key: number, fn: (d: ChangeDraft) => ChangeDraft) => setChanges((cs) => cs.map((c) => (c.key === key ? fn(c) : c)));
  const clearError = (id: string) => setErrors((e) => {
    if (!(id in e)) return e;
    const next = { ...e };
    delete next[id];
    return next;
  });

  /** Builds the request, or the errors by field id (in the order of the form). */
  const build = (): { changes: ParameterChange[]; errors: [string, string][] } => {
    const errs: [string, string][] = [];
    const nm = name.trim();
    if (!nm) errs.push([ids.name, x('sim.form.name.missing')]);
    else if (nm.length > NAME_MAX) errs.push([ids.name, x('sim.form.name.tooLong')]);
    if (!DATE_RE.test(asOf)) errs.push([ids.asOf, x('sim.form.asOf.invalid')]);
    const out: ParameterChange[] = [];
    for (const c of changes) {
      if (!c.scheme) {
        errs.push([fieldId(c, 'scheme'), x('sim.form.scheme.missing')]);
        continue;
      }
      const p = paramOf(c);
      const editor = p ? editorOf(p) : null;
      if (!p || !editor) {
        errs.push([fieldId(c, 'param'), x('sim.form.param.missing')]);
        continue;
      }
      const change = { scheme: c.scheme, name: p.name, scope: p.scope };
      if (editor.kind === 'number') {
        const id = fieldId(c, 'value');
        if (!c.scalar.trim()) errs.push([id, x('sim.form.value.missing')]);
        else {
          const r = parseInput(c.scalar, editor.unit);
          if ('error' in r) errs.push([id, x(r.error)]);
          else if (r.value === p.value) errs.push([id, x('sim.form.same')]);
          else out.push({ ...change, value: r.value });
        }
      } else if (editor.kind === 'table') {
        const current = p.value as Record<string, number>;
        const value: Record<string, number> = {};
        let bad = false;
        for (const k of editor.keys) {
          const raw = c.table[k] ?? '';
          if (!raw.trim()) continue;
          const r = parseInput(raw, editor.unit);
          if ('error' in r) {
            errs.push([fieldId(c, `v-${k}`), x(r.error)]);
            bad = true;
          } else value[k] = r.value;
        }
        const filled = Object.keys(value);
        const firstId = fieldId(c, `v-${editor.keys[0] ?? ''}`);
        if (!bad && filled.length === 0) errs.push([firstId, x('sim.form.table.missing')]);
        else if (!bad && filled.every((k) => value[k] === current[k])) errs.push([fieldId(c, `v-${filled[0]!}`), x('sim.form.same')]);
        else if (!bad) out.push({ ...change, value });
      } else if (editor.kind === 'flag') {
        const id = fieldId(c, 'value');
        if (c.scalar !== 'true' && c.scalar !== 'false') errs.push([id, x('sim.form.value.missing')]);
        else if ((c.scalar === 'true') === p.value) errs.push([id, x('sim.form.same')]);
        else out.push({ ...change, value: c.scalar === 'true' });
      } else {
        const id = fieldId(c, `v-${editor.options[0] ?? ''}`);
        const chosen = editor.options.filter((o) => c.choices.includes(o));
        const current = (p.value as unknown[]).filter((v): v is string => typeof v === 'string');
        if (chosen.length === 0) errs.push([id, x('sim.form.choices.missing')]);
        else if (chosen.length === current.length && chosen.every((o) => current.includes(o))) errs.push([id, x('sim.form.same')]);
        else out.push({ ...change, value: chosen });
      }
    }
    return { changes: out, errors: errs };
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const built = build();
    setErrors(Object.fromEntries(built.errors));
    if (built.errors.length > 0) {
      setFormError({ title: x('sim.form.fix'), message: '' });
      document.getElementById(built.errors[0]![0])?.focus();
      return;
    }
    setFormError(null);
    setBusy(true);
    try {
      const sim = await simulationApi.start({ name: name.trim(), asOf, changes: built.changes });
      onStarted(sim);
    } catch (err) {
      setFormError({ title: x('sim.form.failed'), message: errorText(err, t) });
    } finally {
      setBusy(false);
    }
  };

  const remove = (key: number) => {
    const i = changes.findIndex((c) => c.key === key);
    const rest = changes.filter((c) => c.key !== key);
    setChanges(rest);
    // Focus stays in the form: on the change that takes the removed one's place, or the add button.
    const target = rest[Math.min(i, rest.length - 1)];
    window.setTimeout(() => document.getElementById(target ? fieldId(target, 'scheme') : `${base}add`)?.focus(), 0);
  };

  const add = () => {
    const key = nextKey.current++;
    setChanges((cs) => [...cs, emptyChange(key)]);
    window.setTimeout(() => document.getElementById(`${base}c${key}-scheme`)?.focus(), 0);
  };

  const described = (...parts: (string | false | undefined)[]) => parts.filter(Boolean).join(' ') || undefined;
  const errorOf = (id: string) =>
    errors[id] ? (
      <p id={errId(id)} className="field-error">
        {errors[id]}
      </p>
    ) : null;

  const editorFor = (c: ChangeDraft, p: ParameterInForce, editor: Editor) => {
    const unit = 'unit' in editor ? unitText(lang, editor.unit) : '';
    if (editor.kind === 'number') {
      const id = fieldId(c, 'value');
      const hint = `${id}-hint`;
      return (
        <div className="field">
          <label htmlFor={id}>
            {x('sim.form.newValue')}（{unit}）
          </label>
          <p id={hint} className="hint">
            {x('sim.form.current', { value: valueText(lang, p.value, p.unit) })}
          </p>
          {errorOf(id)}
          <input
            id={id}
            className="input-short"
            inputMode="decimal"
            autoComplete="off"
            value={c.scalar}
            aria-invalid={errors[id] ? true : undefined}
            aria-describedby={described(hint, errors[id] && errId(id))}
            onChange={(e) => {
              const v = e.target.value;
              update(c.key, (d) => ({ ...d, scalar: v }));
              clearError(id);
            }}
          />
        </div>
      );
    }
    if (editor.kind === 'table') {
      const hint = fieldId(c, 'table-hint');
      const current = p.value as Record<string, number>;
      return (
        <fieldset className="field">
          <legend>{x('sim.form.newValue')}</legend>
          <p id={hint} className="hint">
            {x('sim.form.tableHint', { unit })}
          </p>
          <div className="sim-table-inputs">
            {editor.keys.map((k) => {
              const id = fieldId(c, `v-${k}`);
              return (
                <div className="field" key={k}>
                  <label htmlFor={id}>
                    {keyText(lang, k)}（{x('sim.form.current', { value: `${inputOf(current[k] ?? 0, editor.unit)} ${unit}` })}）
                  </label>
                  {errorOf(id)}
                  <input
                    id={id}
                    className="input-short"
                    inputMode="decimal"
                    autoComplete="off"
                    value={c.table[k] ?? ''}
                    aria-invalid={errors[id] ? true : undefined}
                    aria-describedby={described(hint, errors[id] && errId(id))}
                    onChange={(e) => {
                      const v = e.target.value;
                      update(c.key, (d) => ({ ...d, table: { ...d.table, [k]: v } }));
                      clearError(id);
                    }}
                  />
                </div>
              );
            })}
          </div>
        </fieldset>
      );
    }
    if (editor.kind === 'flag') {
      const id = fieldId(c, 'value');
      return (
        <div className="field">
          <label htmlFor={id}>{x('sim.form.newValue')}</label>
          {errorOf(id)}
          <select
            id={id}
            value={c.scalar}
            aria-invalid={errors[id] ? true : undefined}
            aria-describedby={described(errors[id] && errId(id))}
            onChange={(e) => {
              const v = e.target.value;
              update(c.key, (d) => ({ ...d, scalar: v }));
              clearError(id);
            }}
          >
            <option value="true">{x('sim.form.flag.true')}</option>
            <option value="false">{x('sim.form.flag.false')}</option>
          </select>
        </div>
      );
    }
    const firstId = fieldId(c, `v-${editor.options[0] ?? ''}`);
    return (
      <fieldset className="field">
        <legend>{x('sim.form.newValue')}</legend>
        {errorOf(firstId)}
        <div className="sim-choices">
          {editor.options.map((o) => {
            const id = fieldId(c, `v-${o}`);
            return (
              <label key={o} htmlFor={id} className="sim-choice">
                <input
                  id={id}
                  type="checkbox"
                  checked={c.choices.includes(o)}
                  aria-invalid={id === firstId && errors[id] ? true : undefined}
                  aria-describedby={id === firstId ? described(errors[id] && errId(id)) : undefined}
                  onChange={(e) => {
                    const on = e.target.checked;
                    update(c.key, (d) => ({ ...d, choices: on ? [...d.choices, o] : d.choices.filter((v) => v !== o) }));
                    clearError(firstId);
                  }}
                />
                {valueText(lang, [o], 'choice-list')}
              </label>
            );
          })}
        </div>
      </fieldset>
    );
  };

  return (
    <section aria-labelledby={ids.title} className="card section-card">
      <h2 id={ids.title}>{x('sim.form.title')}</h2>
      <form onSubmit={(e) => void onSubmit(e)} noValidate className="stack">
        <div role="alert" className="status-slot">
          {formError && (
            <div className="notice notice-error">
              <p className="notice-title">{formError.title}</p>
              {formError.message && <p>{formError.message}</p>}
            </div>
          )}
        </div>
        <div className="filter-grid">
          <div className="field">
            <label htmlFor={ids.name}>{x('sim.form.name')}</label>
            <p id={ids.nameHint} className="hint">
              {x('sim.form.name.hint')}
            </p>
            {errorOf(ids.name)}
            <input
              id={ids.name}
              value={name}
              maxLength={NAME_MAX + 20}
              autoComplete="off"
              aria-invalid={errors[ids.name] ? true : undefined}
              aria-describedby={described(ids.nameHint, errors[ids.name] && errId(ids.name))}
              onChange={(e) => {
                setName(e.target.value);
                clearError(ids.name);
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.asOf}>{x('sim.form.asOf')}</label>
            <p id={ids.asOfHint} className="hint">
              {x('sim.form.asOf.hint')}
            </p>
            {errorOf(ids.asOf)}
            <input
              id={ids.asOf}
              type="date"
              value={asOf}
              aria-invalid={errors[ids.asOf] ? true : undefined}
              aria-describedby={described(ids.asOfHint, errors[ids.asOf] && errId(ids.asOf))}
              onChange={(e) => {
                onAsOf(e.target.value);
                clearError(ids.asOf);
              }}
            />
          </div>
        </div>

        {params.status === 'loading' && (
          <p role="status" className="loading">
            {x('sim.form.paramsLoading')}
          </p>
        )}
        {params.status === 'error' && (
          <p className="notice notice-error" role="alert">
            {x('sim.form.paramsFailed', { message: params.message })}
          </p>
        )}

        {changes.map((c, i) => {
          const scheme = schemes.find((s) => s.scheme === c.scheme);
          const editable = scheme?.parameters.filter((p) => editorOf(p) !== null) ?? [];
          const p = paramOf(c);
          const editor = p ? editorOf(p) : null;
          const schemeId = fieldId(c, 'scheme');
          const paramId = fieldId(c, 'param');
          const paramHint = `${paramId}-hint`;
          return (
            <fieldset key={c.key} className="sim-change">
              <legend className="sim-change-title">{x('sim.form.change', { n: i + 1 })}</legend>
              <div className="sim-change-grid">
                <div className="stack">
                  <div className="field">
                    <label htmlFor={schemeId}>{x('sim.form.scheme')}</label>
                    {errorOf(schemeId)}
                    <select
                      id={schemeId}
                      value={c.scheme}
                      aria-invalid={errors[schemeId] ? true : undefined}
                      aria-describedby={described(errors[schemeId] && errId(schemeId))}
                      onChange={(e) => {
                        const v = e.target.value;
                        update(c.key, (d) => startingDraft({ ...d, scheme: v }, undefined));
                        clearError(schemeId);
                      }}
                    >
                      <option value="">{x('sim.form.scheme.choose')}</option>
                      {schemes.map((s) => (
                        <option key={s.scheme} value={s.scheme}>
                          {s.name}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={paramId}>{x('sim.form.param')}</label>
                    <p id={paramHint} className="hint">
                      {x('sim.form.param.hint')}
                    </p>
                    {errorOf(paramId)}
                    <select
                      id={paramId}
                      value={c.name}
                      disabled={!scheme}
                      aria-invalid={errors[paramId] ? true : undefined}
                      aria-describedby={described(paramHint, errors[paramId] && errId(paramId))}
                      onChange={(e) => {
                        const v = e.target.value;
                        update(c.key, (d) => startingDraft(d, editable.find((q) => q.name === v)));
                        clearError(paramId);
                      }}
                    >
                      <option value="">{x('sim.form.param.choose')}</option>
                      {editable.map((q) => (
                        <option key={q.name} value={q.name}>
                          {q.label}
                        </option>
                      ))}
                    </select>
                  </div>
                  {p && editor && editorFor(c, p, editor)}
                </div>
                {p && <CurrentValue p={p} />}
              </div>
              {changes.length > 1 && (
                <div className="button-row">
                  <button type="button" className="button button-secondary" onClick={() => remove(c.key)}>
                    {x('sim.form.remove', { n: i + 1 })}
                  </button>
                </div>
              )}
            </fieldset>
          );
        })}

        <div className="button-row">
          <button type="button" id={`${base}add`} className="button button-secondary" onClick={add}>
            {x('sim.form.add')}
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? x('sim.form.submitting') : x('sim.form.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** 现行规定: the value in force, its source (document, 文号, article), where and since when, how sure. */
function CurrentValue({ p }: { p: ParameterInForce }) {
  const { lang } = usePrefs();
  const x = useSimText();
  const period = p.to ? x('sim.form.period', { scope: p.scopeName, from: p.from, to: p.to }) : x('sim.form.since', { scope: p.scopeName, from: p.from });
  const source = citationText(p.citation);
  return (
    <div className="sim-current" data-testid="sim-current">
      <p className="sim-current-title">{x('sim.form.currentTitle')}</p>
      <dl className="ent-param">
        <div>
          <dt>{x('sim.form.currentValue')}</dt>
          <dd>{valueText(lang, p.value, p.unit)}</dd>
        </div>
        <div>
          <dt>{x('sim.form.source')}</dt>
          <dd>
            {p.citation.url ? (
              <a href={p.citation.url} target="_blank" rel="noreferrer noopener">
                {source}
                <span className="visually-hidden">{x('sim.form.newWindow')}</span>
              </a>
            ) : (
              source
            )}
          </dd>
        </div>
        <div>
          <dt>{x('sim.form.scope')}</dt>
          <dd>{period}</dd>
        </div>
        <div>
          <dt>{x('sim.form.confidence')}</dt>
          <dd>{p.confidenceName}</dd>
        </div>
      </dl>
    </div>
  );
}
