// 申请轮候 (and 修改志愿): up to five facilities in the order of preference — a district, then a
// facility from a list, 加入志愿; each chosen one with 上移 / 下移 / 移除 buttons that keep the
// keyboard focus on the moved item — or 「某地址附近 N 公里内均可」 with the services' PlaceField.
// Shared by the portal (/my/waitlist) and the workbench (the person page). The caller sends it
// (apply or change); the server's refusal (不符合条件, already open, …) is shown in its words.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { errorText } from '../../format.ts';
import { usePrefs } from '../../prefs.tsx';
import { PlaceField, type ChosenPlace } from '../services/PlaceField.tsx';
import { loadFacilities, loadRules, type ApplicationView, type ChoicesInput, type ChoosableFacility } from './api.ts';
import { useWlText } from './text.ts';

const DEFAULT_MAX_CHOICES = 5;
const DEFAULT_MAX_KM = 20;

type Action = 'up' | 'down' | 'remove';

export function ApplyForm({
  submit,
  onDone,
  onCancel,
  initial,
  districtCode,
  origin,
  level = 3,
  change = false,
}: {
  submit: (input: ChoicesInput) => Promise<ApplicationView>;
  onDone: (view: ApplicationView) => void;
  onCancel?: () => void;
  initial?: ChoicesInput;
  /** The district the facility list starts with (the person's). */
  districtCode?: string | null;
  /** A place to start the 附近 search from (the person's street). */
  origin?: ChosenPlace | null;
  level?: 2 | 3 | 4;
  /** 修改志愿 rather than a new application. */
  change?: boolean;
}) {
  const { t } = usePrefs();
  const w = useWlText();
  const id = useId();
  const H = `h${level}` as 'h2';
  const [facilities, setFacilities] = useState<ChoosableFacility[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [maxChoices, setMaxChoices] = useState(DEFAULT_MAX_CHOICES);
  const [maxKm, setMaxKm] = useState(DEFAULT_MAX_KM);
  const [mode, setMode] = useState<'choices' | 'radius'>(initial?.mode ?? 'choices');
  const [district, setDistrict] = useState(districtCode ?? '');
  const [picked, setPicked] = useState('');
  const [chosen, setChosen] = useState<string[]>(initial?.mode === 'choices' ? initial.choices : []);
  const initialPlace = initial?.mode === 'radius' ? initial.origin : origin ?? null;
  const [placeText, setPlaceText] = useState(initialPlace?.label ?? '');
  const [place, setPlace] = useState<ChosenPlace | null>(initialPlace);
  const [km, setKm] = useState(initial?.mode === 'radius' ? String(initial.radiusKm) : '3');
  const [announce, setAnnounce] = useState('');
  const [problems, setProblems] = useState<{ choices?: string; place?: string; km?: string; picked?: string }>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const buttons = useRef(new Map<string, HTMLButtonElement | null>());
  const focusNext = useRef<string | null>(null);
  const selectRef = useRef<HTMLSelectElement>(null);
  const failureRef = useRef<HTMLDivElement>(null);
  const kmRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    let live = true;
    loadFacilities()
      .then((r) => live && setFacilities(r.items))
      .catch((e: unknown) => live && setLoadError(errorText(e, t)));
    loadRules()
      .then((r) => {
        if (!live) return;
        const v = (name: string) => r.parameters.find((p) => p.name === name)?.value;
        const mc = v('maxChoices');
        const mk = v('maxRadiusKm');
        if (typeof mc === 'number') setMaxChoices(mc);
        if (typeof mk === 'number') setMaxKm(mk);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
    // t changes with the language only
  }, []);

  // After a move or a removal, focus goes to the button the user expects (same item, same action).
  useEffect(() => {
    const key = focusNext.current;
    if (!key) return;
    focusNext.current = null;
    if (key === 'select') selectRef.current?.focus();
    else buttons.current.get(key)?.focus();
  });

  const byId = useMemo(() => new Map((facilities ?? []).map((f) => [f.id, f])), [facilities]);
  const districts = useMemo(() => {
    const m = new Map<string, string>();
    for (const f of facilities ?? []) m.set(f.districtCode, f.districtName);
    return [...m.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  }, [facilities]);
  const shown = (facilities ?? []).filter((f) => (!district || f.districtCode === district) && !chosen.includes(f.id));
  const nameOf = (fid: string) => byId.get(fid)?.name ?? fid;

  const add = () => {
    if (!picked) {
      setProblems((p) => ({ ...p, picked: w('wl.form.needFacility') }));
      selectRef.current?.focus();
      return;
    }
    if (chosen.length >= maxChoices) {
      setProblems((p) => ({ ...p, picked: w('wl.form.full', { max: maxChoices }) }));
      return;
    }
    const next = [...chosen, picked];
    setChosen(next);
    setPicked('');
    setProblems((p) => ({ ...p, picked: undefined, choices: undefined }));
    setAnnounce(w('wl.form.added', { rank: next.length, name: nameOf(picked) }));
    focusNext.current = 'select';
  };

  const act = (fid: string, action: Action) => {
    const i = chosen.indexOf(fid);
    if (i < 0) return;
    const next = [...chosen];
    if (action === 'remove') {
      next.splice(i, 1);
      setChosen(next);
      setAnnounce(w('wl.form.removed', { name: nameOf(fid) }));
      const after = next[i] ?? next[i - 1];
      focusNext.current = after ? `${after}:remove` : 'select';
      return;
    }
    const j = action === 'up' ? i - 1 : i + 1;
    if (j < 0 || j >= next.length) return;
    [next[i], next[j]] = [next[j]!, next[i]!];
    setChosen(next);
    setAnnounce(w('wl.form.moved', { name: nameOf(fid), rank: j + 1 }));
    focusNext.current = `${fid}:${action}`;
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setFailure(null);
    let input: ChoicesInput;
    if (mode === 'choices') {
      if (chosen.length === 0) {
        setProblems({ choices: w('wl.form.needChoices') });
        selectRef.current?.focus();
        return;
      }
      input = { mode: 'choices', choices: chosen };
    } else {
      const n = Number(km.trim());
      const bad: typeof problems = {};
      if (!place) bad.place = w('wl.form.needPlace');
      if (!km.trim() || !Number.isFinite(n) || n <= 0 || n > maxKm) bad.km = w('wl.form.kmInvalid', { max: maxKm });
      if (bad.place || bad.km) {
        setProblems(bad);
        if (bad.place) document.getElementById(`${id}-place`)?.querySelector('input')?.focus();
        else kmRef.current?.focus();
        return;
      }
      input = { mode: 'radius', radiusKm: n, origin: { lon: place!.lon, lat: place!.lat, label: place!.label } };
    }
    setProblems({});
    setBusy(true);
    try {
      const view = await submit(input);
      setBusy(false);
      onDone(view);
    } catch (err) {
      setBusy(false);
      setFailure(errorText(err, t));
    }
  };
  // The refusal takes the focus once it is on the page (a frame later can be too early).
  useEffect(() => {
    if (failure) failureRef.current?.focus();
  }, [failure]);

  const titleId = `${id}-title`;
  return (
    <section className="wl-apply" aria-labelledby={titleId} data-testid="wl-apply">
      <H id={titleId}>{change ? w('wl.act.changeTitle') : w('wl.form.title')}</H>
      <p>{w('wl.form.intro', { max: maxChoices })}</p>
      {loadError && (
        <p className="notice notice-error" role="alert">
          {loadError}
        </p>
      )}
      {!facilities && !loadError && (
        <p role="status" className="loading">
          {w('wl.form.loading')}
        </p>
      )}
      <form className="stack" onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={busy || undefined}>
        {failure && (
          <div className="notice notice-error" role="alert" tabIndex={-1} ref={failureRef} data-testid="wl-apply-failure">
            <p className="notice-title">{w('wl.form.failed')}</p>
            <p>{failure}</p>
          </div>
        )}
        <fieldset className="field wl-modes">
          <legend>{w('wl.form.mode')}</legend>
          <label className="wl-radio">
            <input type="radio" name={`${id}-mode`} value="choices" checked={mode === 'choices'} onChange={() => setMode('choices')} />
            <span>{w('wl.form.mode.choices', { max: maxChoices })}</span>
          </label>
          <label className="wl-radio">
            <input type="radio" name={`${id}-mode`} value="radius" checked={mode === 'radius'} onChange={() => setMode('radius')} />
            <span>{w('wl.form.mode.radius')}</span>
          </label>
        </fieldset>

        {mode === 'choices' && (
          <>
            <div className="wl-pick">
              <div className="field">
                <label htmlFor={`${id}-district`}>{w('wl.form.district')}</label>
                <select id={`${id}-district`} value={district} onChange={(e) => setDistrict(e.target.value)}>
                  <option value="">{w('wl.fac.all')}</option>
                  {districts.map(([code, name]) => (
                    <option key={code} value={code}>
                      {name}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field wl-pick-facility">
                <label htmlFor={`${id}-facility`}>{w('wl.form.facility')}</label>
                {problems.picked && (
                  <p id={`${id}-facility-err`} className="field-error">
                    {problems.picked}
                  </p>
                )}
                <select
                  id={`${id}-facility`}
                  ref={selectRef}
                  value={picked}
                  aria-invalid={problems.picked || problems.choices ? true : undefined}
                  aria-describedby={[problems.picked ? `${id}-facility-err` : null, problems.choices ? `${id}-choices-err` : null].filter(Boolean).join(' ') || undefined}
                  onChange={(e) => setPicked(e.target.value)}
                >
                  <option value="">{w('wl.form.facility.choose')}</option>
                  {shown.map((f) => (
                    <option key={f.id} value={f.id}>
                      {w('wl.form.facility.option', { name: f.name, vacant: f.vacantBasicBeds, waiting: f.waiting })}
                    </option>
                  ))}
                </select>
              </div>
              <button type="button" className="button button-secondary wl-add" onClick={add}>
                {w('wl.form.add')}
              </button>
            </div>
            <div className="wl-chosen">
              <p className="wl-chosen-title" id={`${id}-chosen`}>
                {w('wl.form.chosen')}
              </p>
              {problems.choices && (
                <p id={`${id}-choices-err`} className="field-error">
                  {problems.choices}
                </p>
              )}
              {chosen.length === 0 ? (
                <p className="muted">{w('wl.form.chosenNone')}</p>
              ) : (
                <ol className="wl-chosen-list" aria-labelledby={`${id}-chosen`} data-testid="wl-chosen">
                  {chosen.map((fid, i) => {
                    const name = nameOf(fid);
                    const ref = (a: Action) => (el: HTMLButtonElement | null) => {
                      buttons.current.set(`${fid}:${a}`, el);
                    };
                    return (
                      <li key={fid} className="wl-chosen-item" data-facility={fid}>
                        <span className="wl-chosen-name">{w('wl.form.chosenItem', { rank: i + 1, name })}</span>
                        <span className="wl-chosen-buttons">
                          <button type="button" ref={ref('up')} className="button button-secondary" aria-label={w('wl.form.upLabel', { name })} aria-disabled={i === 0 || undefined} onClick={() => act(fid, 'up')}>
                            <span aria-hidden="true">↑ </span>
                            {w('wl.form.up')}
                          </button>
                          <button
                            type="button"
                            ref={ref('down')}
                            className="button button-secondary"
                            aria-label={w('wl.form.downLabel', { name })}
                            aria-disabled={i === chosen.length - 1 || undefined}
                            onClick={() => act(fid, 'down')}
                          >
                            <span aria-hidden="true">↓ </span>
                            {w('wl.form.down')}
                          </button>
                          <button type="button" ref={ref('remove')} className="button button-secondary" aria-label={w('wl.form.removeLabel', { name })} onClick={() => act(fid, 'remove')}>
                            {w('wl.form.remove')}
                          </button>
                        </span>
                      </li>
                    );
                  })}
                </ol>
              )}
            </div>
          </>
        )}

        {mode === 'radius' && (
          <>
            <div id={`${id}-place`}>
              <PlaceField text={placeText} onTextChange={setPlaceText} chosen={place} onChoose={setPlace} error={problems.place ?? null} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-km`}>{w('wl.form.km')}</label>
              <p id={`${id}-km-hint`} className="hint">
                {w('wl.form.kmHint', { max: maxKm })}
              </p>
              {problems.km && (
                <p id={`${id}-km-err`} className="field-error">
                  {problems.km}
                </p>
              )}
              <input
                id={`${id}-km`}
                ref={kmRef}
                type="text"
                inputMode="decimal"
                className="wl-km"
                value={km}
                aria-invalid={problems.km ? true : undefined}
                aria-describedby={problems.km ? `${id}-km-err ${id}-km-hint` : `${id}-km-hint`}
                onChange={(e) => setKm(e.target.value)}
              />
            </div>
          </>
        )}

        <p role="status" className="wl-announce">
          {announce}
        </p>
        <div className="button-row">
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? w('wl.form.submitting') : change ? w('wl.form.submitChange') : w('wl.form.submit')}
          </button>
          {onCancel && (
            <button type="button" className="button button-secondary" onClick={onCancel}>
              {w('wl.act.cancel')}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
