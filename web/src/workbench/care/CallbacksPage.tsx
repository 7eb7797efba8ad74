// 回访 (/workbench/care/callbacks, issue 8 §5; care.verify): draw the random call-back sample of
// finished visits in a date range (the share is a policy parameter; the seed — a random default,
// editable so a draw can be repeated — is recorded in the audit log), the open call-backs, and
// each one's outcome: 确认 / 否认 / 未接通 with what was said. A denial flags the visit for the
// insurer's review.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { todayLocalDate } from '../../components/EntitlementResult.tsx';
import { addDays, type LocalDate } from '../../../../src/core/dates.ts';
import { usePageTitle } from '../../prefs.tsx';
import { useLoad } from '../supply/shared.tsx';
import { careApi, dayAndClock, clock, OUTCOME_NAMES, percent, type Callback, type CallbackOutcome } from './api.ts';
import { CareGate } from './CareNav.tsx';
import { CareHeader, ServerProblem } from './shared.tsx';

const SEED_MAX = 2 ** 31 - 1;
const randomSeed = (): number => {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return (a[0] ?? 0) % SEED_MAX;
};

export function CallbacksPage() {
  return (
    <CareGate tab="callbacks">
      <CallbacksBody />
    </CareGate>
  );
}

function CallbacksBody() {
  usePageTitle('回访');
  const [version, setVersion] = useState(0);
  return (
    <>
      <CareHeader title="照护服务">
        <p>从已完成的上门服务中按比例随机抽取，电话询问老人或家属是否接受了这次服务。回访结果进入医保审核：否认的服务一定会被抽查。</p>
      </CareHeader>
      <h2 className="h-small">回访</h2>
      <DrawForm onDrawn={() => setVersion((n) => n + 1)} />
      <CallbackList version={version} />
    </>
  );
}

function DrawForm({ onDrawn }: { onDrawn: () => void }) {
  const today = todayLocalDate();
  const ids = { title: useId(), from: useId(), to: useId(), seed: useId(), seedHint: useId(), err: useId() };
  const [from, setFrom] = useState<string>(addDays(today as LocalDate, -7));
  const [to, setTo] = useState<string>(addDays(today as LocalDate, -1));
  const [seed, setSeed] = useState(() => String(randomSeed()));
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ visits: number; drawn: number; share: number; seed: number } | null>(null);
  const resultRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const n = Number(seed);
    if (!/^\d+$/.test(seed.trim()) || n > SEED_MAX) {
      setProblem(`种子应为 0–${SEED_MAX} 的整数`);
      document.getElementById(ids.seed)?.focus();
      return;
    }
    if (!from || !to || to < from) {
      setProblem('请填写起止日期（结束日期不早于开始日期）');
      return;
    }
    setProblem(null);
    setError(null);
    setBusy(true);
    try {
      const r = await careApi.drawCallbacks({ from, to, seed: n });
      setResult({ ...r, seed: n });
      setSeed(String(randomSeed()));
      onDrawn();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card section-card" onSubmit={submit} noValidate aria-labelledby={ids.title}>
      <h3 id={ids.title}>抽取回访样本</h3>
      {error !== null && <ServerProblem error={error} title="没有抽取" />}
      {problem && (
        <p id={ids.err} className="field-error" role="alert">
          {problem}
        </p>
      )}
      {result && (
        <p className="notice" role="status" tabIndex={-1} ref={resultRef} data-testid="care-draw-result">
          {result.visits} 次已完成的服务中抽取了 {result.drawn} 次（抽样比例 {percent(result.share)}，种子 {result.seed}；已抽过的服务不会重复抽取）。
        </p>
      )}
      <div className="care-inline-form">
        <div className="field">
          <label htmlFor={ids.from}>服务日期从</label>
          <input id={ids.from} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.to}>到</label>
          <input id={ids.to} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.seed}>随机种子</label>
          <p id={ids.seedHint} className="hint">
            已随机生成；记入审计日志，可用同一种子复核抽样
          </p>
          <input id={ids.seed} value={seed} onChange={(e) => setSeed(e.target.value)} inputMode="numeric" className="mono" aria-describedby={ids.seedHint} />
        </div>
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? '正在抽取…' : '抽取'}
        </button>
      </div>
    </form>
  );
}

function CallbackList({ version }: { version: number }) {
  const id = useId();
  const [all, setAll] = useState(false);
  const [load, reload, replace] = useLoad((s) => careApi.callbacks(!all, s), [version, all]);
  const toggle = useId();
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{all ? '全部回访' : '待回访'}</h3>
      <p>
        <label className="sup-check" htmlFor={toggle}>
          <input id={toggle} type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
          <span>也显示已记录结果的回访</span>
        </label>
      </p>
      {load.status !== 'ok' ? (
        <LoadStatus load={load} loadingText="正在读取回访清单…" failedTitle="无法读取回访清单" onRetry={reload} />
      ) : load.data.items.length === 0 ? (
        <p className="empty">{all ? '还没有回访。' : '没有待回访的服务。'}</p>
      ) : (
        <ul className="care-lines" data-testid="care-callbacks">
          {load.data.items.map((c) => (
            <CallbackItem key={c.id} c={c} onAnswered={(x) => replace({ items: load.data.items.map((y) => (y.id === x.id ? x : y)) })} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CallbackItem({ c, onAnswered }: { c: Callback; onAnswered: (c: Callback) => void }) {
  const ids = { title: useId(), answer: useId() };
  const [outcome, setOutcome] = useState<CallbackOutcome | ''>(c.outcome ?? '');
  const [answer, setAnswer] = useState(c.answer ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const title = `${c.personName}，${dayAndClock(c.checkIn)}–${clock(c.checkOut)} 的服务`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!outcome) {
      setProblem('请选择回访结果');
      return;
    }
    setProblem(null);
    setError(null);
    setBusy(true);
    try {
      await careApi.answerCallback(c.id, { outcome, answer: answer.trim() || null });
      onAnswered({ ...c, outcome, answer: answer.trim() || null, calledAt: new Date().toISOString() });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="care-line" data-callback={c.id}>
      <h4 id={ids.title}>{title}</h4>
      {c.outcome ? (
        <p className="care-decided" data-outcome={c.outcome}>
          回访结果：{OUTCOME_NAMES[c.outcome]}
          {c.answer ? `。记录：${c.answer}` : ''}
        </p>
      ) : (
        <form className="care-decision" onSubmit={submit} noValidate aria-labelledby={ids.title}>
          {error !== null && <ServerProblem error={error} title="没有记录" />}
          <fieldset aria-describedby={problem ? `${ids.title}-err` : undefined}>
            <legend>回访结果</legend>
            {problem && (
              <p id={`${ids.title}-err`} className="field-error">
                {problem}
              </p>
            )}
            {(['confirmed', 'denied', 'unreached'] as const).map((o) => (
              <label key={o} className="sup-radio">
                <input type="radio" name={`outcome-${c.id}`} value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
                <span>{o === 'confirmed' ? '确认' : o === 'denied' ? '否认' : '未接通'}</span>
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={ids.answer}>回访记录（选填）</label>
            <textarea id={ids.answer} value={answer} onChange={(e) => setAnswer(e.target.value)} maxLength={500} rows={2} />
          </div>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? '正在记录…' : '记录回访结果'}
          </button>
        </form>
      )}
    </li>
  );
}
