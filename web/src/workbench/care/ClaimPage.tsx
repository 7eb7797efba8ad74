// One monthly LTCI claim (/workbench/care/claims/:id, issue 8 §6): the totals (claimed, fund,
// personal share, approved — yuan from integer fen), the prices and share it was settled with, how
// the review sample was drawn (seed, random share, score threshold, risk and random lines), then
// the lines, sampled ones first: what each pays and why, its anomaly score and flags with their
// explanations. The insurer (care.claims.review) decides each sampled line in a small form —
// 核准, or 拒付 with a reason — and closes the review with 结束审核 once none is left undecided
// (the button says why it waits). After the review the provider (care.claims.submit) may appeal a
// rejected line with its reasons; the insurer answers an appeal with 维持拒付 or 改判核准 and a
// note. 导出 Excel downloads the claim (summary and lines) from the server.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { errorText } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { useLoad, yuanText } from '../supply/shared.tsx';
import {
  careApi, claimExportUrl, CLAIM_STATUS_NAMES, dayAndClock, LINE_STATUS_NAMES, may, minutesText, monthName, percent, SERVICE_KIND_NAMES, type Claim, type ClaimLine,
} from './api.ts';
import { CareGate } from './CareNav.tsx';
import { CareHeader } from './shared.tsx';

export function ClaimPage() {
  return (
    <CareGate tab="claims">
      <ClaimBody />
    </CareGate>
  );
}

/** A decided claim's answer merged into the one on screen (a decision answers with the sampled lines only). */
function merge(old: Claim, next: Claim): Claim {
  const byId = new Map(next.lines.map((l) => [l.visitId, l]));
  const lines = next.lines.length === old.lines.length ? next.lines : old.lines.map((l) => byId.get(l.visitId) ?? l);
  return { ...old, ...next, lines };
}

function ClaimBody() {
  const { id = '' } = useParams();
  const user = useUser();
  const [load, reload, replace] = useLoad((s) => careApi.claim(id, s), [id]);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  usePageTitle(load.status === 'ok' ? `长护险结算 ${load.data.providerName} ${monthName(load.data.month)}` : '长护险结算');
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  const back = (
    <p className="back-link">
      <Link to="/workbench/care/claims">
        <span aria-hidden="true">← </span>返回结算申报
      </Link>
    </p>
  );
  if (load.status !== 'ok') {
    return (
      <>
        {back}
        <h1>长护险结算</h1>
        <LoadStatus load={load} loadingText="正在读取结算申报…" failedTitle="无法读取结算申报" onRetry={reload} />
      </>
    );
  }
  const c = load.data;
  const review = may(user.role, 'care.claims.review');
  const submit = may(user.role, 'care.claims.submit');
  const update = (next: Claim, message: string) => {
    replace(merge(c, next));
    setNotice(message);
  };
  const sampled = c.lines.filter((l) => l.sample);
  const rest = c.lines.filter((l) => !l.sample);
  const appeals = c.lines.filter((l) => l.appeal);
  const ctx: LineCtx = { claim: c, canReview: review && c.status === 'in_review', canAppeal: submit && c.status === 'decided', canDecideAppeal: review, update };

  return (
    <>
      {back}
      <CareHeader title={`长护险结算：${c.providerName} ${monthName(c.month)}`} />
      {notice && (
        <p className="notice" role="status" tabIndex={-1} ref={noticeRef} data-testid="care-claim-notice">
          {notice}
        </p>
      )}
      <Summary c={c} />
      <SampleSection c={c} />
      {review && c.status === 'in_review' && <FinishSection c={c} update={update} />}
      {appeals.length > 0 && <AppealsSection lines={appeals} ctx={ctx} />}
      <SampledLines lines={sampled} ctx={ctx} />
      <OtherLines lines={rest} ctx={ctx} />
    </>
  );
}

interface LineCtx {
  claim: Claim;
  canReview: boolean;
  canAppeal: boolean;
  canDecideAppeal: boolean;
  update: (c: Claim, message: string) => void;
}

// ---------------------------------------------------------------------------------------------

function Summary({ c }: { c: Claim }) {
  const id = useId();
  const t = c.totals;
  const P = c.params;
  return (
    <section className="card section-card" aria-labelledby={id} data-testid="care-claim-summary">
      <h2 id={id}>申报汇总</h2>
      <p>
        状态：<strong data-testid="care-claim-status">{CLAIM_STATUS_NAMES[c.status] ?? c.status}</strong>。提交于 {dayAndClock(c.createdAt)}
        {c.decidedAt ? `，审核结束于 ${dayAndClock(c.decidedAt)}` : ''}。
      </p>
      <dl className="stats">
        {([
          ['申报金额', yuanText(t.claimedFen), 'claimed'],
          ['其中基金支付', yuanText(t.fundFen), 'fund'],
          ['个人自付', yuanText(t.copayFen), 'copay'],
          ['核准金额', yuanText(t.approvedFen), 'approved'],
          ['核准的基金支付', yuanText(t.approvedFundFen), 'approvedFund'],
          ['明细条数', String(t.lines), undefined],
          ['申报服务时长', minutesText(t.claimedMinutes), null],
          ['拒付条数', String(t.rejectedLines), 'rejected'],
        ] as const).map(([label, value, figure]) => (
          <div className="stat" key={label}>
            <dt>{label}</dt>
            {/* undefined: a figure without a name; null: plain text */}
            <dd className={figure === null ? undefined : 'care-figure'} data-figure={figure ?? undefined}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
      <p>
        金额按服务当日有效的结算参数计算
        {P?.fenPerHour
          ? `（截至 ${P.asOf ?? ''}：${Object.entries(P.fenPerHour)
              .map(([k, v]) => `${SERVICE_KIND_NAMES[k as 'care' | 'nursing'] ?? k} ${yuanText(v)}/小时`)
              .join('，')}${P.fundShare !== undefined ? `；基金支付 ${percent(P.fundShare)}，其余个人自付` : ''}）`
          : ''}
        ，每条明细的计算过程见下方说明。核准金额为审核核准（含申诉改判）的明细之和。
      </p>
      <p>
        <a className="button button-secondary" href={claimExportUrl(c.id)} download data-testid="care-claim-export">
          导出 Excel
        </a>
      </p>
    </section>
  );
}

function SampleSection({ c }: { c: Claim }) {
  const id = useId();
  const s = c.sample;
  return (
    <section className="card section-card" aria-labelledby={id} data-testid="care-claim-sample">
      <h2 id={id}>审核抽样</h2>
      <p>
        风险分超过 <strong>{s.scoreThreshold}</strong> 分的服务全部抽查（<strong data-figure="risk">{s.risk}</strong> 条）；其余按结算规则支付的服务随机抽取{' '}
        <strong>{percent(s.randomShare)}</strong>（<strong data-figure="random">{s.random}</strong> 条）。随机种子 <span className="mono">{s.seed}</span>
        ，由系统生成并随申报保存，可复核抽样结果。结算规则已拒付的明细不进入抽样。
      </p>
      <p>
        共抽查 {c.totals.sampled} 条，{c.undecidedSampled > 0 ? `还有 ${c.undecidedSampled} 条未审核` : '均已审核'}。未抽中的明细在审核结束时按结算结果核准。
      </p>
    </section>
  );
}

function FinishSection({ c, update }: { c: Claim; update: LineCtx['update'] }) {
  const { t } = usePrefs();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const blocked = c.undecidedSampled > 0;
  const finish = async () => {
    if (busy || blocked) return;
    setBusy(true);
    setFailure(null);
    try {
      const r = await careApi.finish(c.id);
      update(r, `审核已结束：核准 ${yuanText(r.totals.approvedFen)}，拒付 ${r.totals.rejectedLines} 条。机构可对拒付的明细申诉。`);
    } catch (err) {
      setFailure(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card section-card" aria-labelledby={id}>
      <h2 id={id}>结束审核</h2>
      <p id={`${id}-why`} data-testid="care-finish-why">
        {blocked ? `还有 ${c.undecidedSampled} 条抽查明细未审核，全部审核后才能结束审核。` : '抽查明细已全部审核。结束审核后，未抽中的明细按结算结果核准，机构可以对拒付的明细申诉。'}
      </p>
      {failure && (
        <div className="notice notice-error" role="alert">
          <p>{failure}</p>
        </div>
      )}
      <button type="button" className="button button-primary" aria-disabled={blocked || busy || undefined} aria-describedby={`${id}-why`} onClick={() => void finish()}>
        {busy ? '正在结束…' : '结束审核'}
      </button>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------

const lineLabel = (l: ClaimLine): string => `${l.personName} ${dayAndClock(l.checkIn)}`;

function SampledLines({ lines, ctx }: { lines: ClaimLine[]; ctx: LineCtx }) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>抽查明细（{lines.length} 条）</h2>
      {lines.length === 0 ? (
        <p className="empty">这份申报没有抽中明细。</p>
      ) : (
        <ul className="care-lines" data-testid="care-sampled">
          {lines.map((l) => (
            <LineCard key={l.visitId} l={l} ctx={ctx} />
          ))}
        </ul>
      )}
    </section>
  );
}

function LineCard({ l, ctx }: { l: ClaimLine; ctx: LineCtx }) {
  const id = useId();
  return (
    <li className="care-line" data-line={l.visitId} data-sample={l.sample ?? ''} data-decision={l.decision ?? ''}>
      <h3 id={id}>
        <span>
          {l.personName}，{dayAndClock(l.checkIn)}，护理员 {l.caregiverName}
        </span>
        {l.sample && <span className={`tag ${l.sample === 'risk' ? 'tag-alert' : 'tag-muted'}`}>{l.sample === 'risk' ? '风险抽查' : '随机抽查'}</span>}
      </h3>
      <LineFacts l={l} />
      <p data-testid="care-line-explanation">{l.explanation}</p>
      <Flags l={l} />
      <DecisionText l={l} />
      {ctx.canReview && l.status !== 'rejected' && <DecisionForm l={l} ctx={ctx} />}
      {ctx.canAppeal && l.decision === 'rejected' && !l.appeal && <AppealButton l={l} ctx={ctx} />}
    </li>
  );
}

function LineFacts({ l }: { l: ClaimLine }) {
  return (
    <dl className="care-line-facts">
      <div>
        <dt>服务类别</dt>
        <dd>{SERVICE_KIND_NAMES[l.kind] ?? l.kind}</dd>
      </div>
      <div>
        <dt>服务时长</dt>
        <dd>{l.minutes} 分钟</dd>
      </div>
      <div>
        <dt>结算结果</dt>
        <dd>
          {LINE_STATUS_NAMES[l.status] ?? l.status}，{l.billedMinutes} 分钟
        </dd>
      </div>
      <div>
        <dt>金额</dt>
        <dd>{yuanText(l.amountFen)}</dd>
      </div>
      <div>
        <dt>基金支付 / 个人自付</dt>
        <dd>
          {yuanText(l.fundFen)} / {yuanText(l.copayFen)}
        </dd>
      </div>
      <div>
        <dt>风险分</dt>
        <dd data-testid="care-line-score">{l.anomalyScore}</dd>
      </div>
    </dl>
  );
}

function Flags({ l }: { l: ClaimLine }) {
  if (l.flags.length === 0) return <p className="muted">没有异常标记。</p>;
  return (
    <>
      <p>异常标记（{l.flags.length} 项）：</p>
      <ul className="care-flags" data-testid="care-line-flags">
        {l.flags.map((f, i) => (
          <li key={`${f.code}-${i}`} data-flag={f.code}>
            <strong>{f.name}</strong>（{f.weight} 分）：{f.explanation}
          </li>
        ))}
      </ul>
    </>
  );
}

function DecisionText({ l }: { l: ClaimLine }) {
  const text =
    l.decision === 'approved' && l.appealDecision === 'overturned'
      ? `审核结果：申诉后改判核准（原拒付理由：${l.decisionReason ?? ''}）`
      : l.decision === 'approved'
      ? `审核结果：核准${l.decisionReason ? `（${l.decisionReason}）` : ''}`
      : l.decision === 'rejected'
        ? `审核结果：拒付。理由：${l.decisionReason ?? ''}`
        : '审核结果：尚未审核';
  return (
    <>
      <p className="care-decided" data-decision={l.decision ?? 'none'} data-testid="care-line-decision">
        {text}
      </p>
      {l.appeal && (
        <p data-testid="care-line-appeal">
          机构申诉：{l.appeal}。
          {l.appealDecision ? `处理结果：${l.appealDecision === 'overturned' ? '改判核准' : '维持拒付'}${l.appealNote ? `（${l.appealNote}）` : ''}。` : '等待医保处理。'}
        </p>
      )}
    </>
  );
}

function DecisionForm({ l, ctx }: { l: ClaimLine; ctx: LineCtx }) {
  const { t } = usePrefs();
  const ids = { legend: useId(), reason: useId(), hint: useId(), err: useId() };
  const [decision, setDecision] = useState<'approved' | 'rejected' | ''>(l.decision ?? '');
  const [reason, setReason] = useState(l.decision === 'rejected' ? l.decisionReason ?? '' : '');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!decision) {
      setProblem('请选择核准或拒付');
      return;
    }
    if (decision === 'rejected' && !reason.trim()) {
      setProblem('拒付须填写理由');
      reasonRef.current?.focus();
      return;
    }
    setProblem(null);
    setFailure(null);
    setBusy(true);
    try {
      const r = await careApi.decide(ctx.claim.id, [{ visitId: l.visitId, decision, reason: decision === 'rejected' ? reason.trim() : null }]);
      ctx.update(r, `${lineLabel(l)}：已${decision === 'approved' ? '核准' : '拒付'}。${r.undecidedSampled > 0 ? `还有 ${r.undecidedSampled} 条抽查明细未审核。` : '抽查明细已全部审核，可以结束审核。'}`);
    } catch (err) {
      setFailure(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="care-decision" onSubmit={submit} noValidate aria-label={`审核：${lineLabel(l)}`} data-testid="care-decision-form">
      {failure && (
        <div className="notice notice-error" role="alert">
          <p>{failure}</p>
        </div>
      )}
      {problem && (
        <p id={ids.err} className="field-error" role="alert">
          {problem}
        </p>
      )}
      <fieldset aria-describedby={problem ? ids.err : undefined}>
        <legend id={ids.legend}>审核结果</legend>
        <label className="sup-radio">
          <input type="radio" name={`decision-${l.visitId}`} value="approved" checked={decision === 'approved'} onChange={() => setDecision('approved')} />
          <span>核准</span>
        </label>
        <label className="sup-radio">
          <input type="radio" name={`decision-${l.visitId}`} value="rejected" checked={decision === 'rejected'} onChange={() => setDecision('rejected')} />
          <span>拒付</span>
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={ids.reason}>拒付理由</label>
        <p id={ids.hint} className="hint">
          拒付时必填，机构可以看到并据此申诉。
        </p>
        <textarea
          id={ids.reason}
          ref={reasonRef}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          maxLength={500}
          rows={2}
          aria-required={decision === 'rejected' || undefined}
          aria-invalid={problem && decision === 'rejected' ? true : undefined}
          aria-describedby={`${ids.hint}${problem ? ` ${ids.err}` : ''}`}
        />
      </div>
      <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
        {busy ? '正在保存…' : l.decision ? '修改审核结果' : '保存审核结果'}
      </button>
    </form>
  );
}

function AppealButton({ l, ctx }: { l: ClaimLine; ctx: LineCtx }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <p>
        <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
          申诉：{lineLabel(l)}
        </button>
      </p>
      {open && (
        <ReasonDialog
          title={`申诉：${lineLabel(l)}`}
          intro={`拒付理由：${l.decisionReason ?? ''}。每条明细只能申诉一次，请写明理由和可以提供的证据。`}
          confirm="提交申诉"
          texts={{ label: '申诉理由', hint: '必填，不超过 500 字；医保经办据此复核。', needReason: '请写明申诉理由。', failed: '没有提交' }}
          onDismiss={() => setOpen(false)}
          onSend={async (text) => {
            const r = await careApi.appeal(ctx.claim.id, l.visitId, text);
            setOpen(false);
            ctx.update(r, `${lineLabel(l)}：已提交申诉，等待医保处理。`);
          }}
        />
      )}
    </>
  );
}

// ---------------------------------------------------------------------------------------------

function AppealsSection({ lines, ctx }: { lines: ClaimLine[]; ctx: LineCtx }) {
  const id = useId();
  const open = lines.filter((l) => !l.appealDecision);
  return (
    <section className="card section-card" aria-labelledby={id} data-testid="care-appeals">
      <h2 id={id}>申诉（{open.length} 条待处理）</h2>
      <ul className="care-lines">
        {lines.map((l) => (
          <li key={l.visitId} className="care-line" data-appeal={l.visitId}>
            <h3>
              {l.personName}，{dayAndClock(l.checkIn)}，{yuanText(l.amountFen)}
            </h3>
            <p>拒付理由：{l.decisionReason ?? ''}</p>
            <p>机构申诉：{l.appeal}</p>
            {l.appealDecision ? (
              <p className="care-decided" data-decision={l.appealDecision === 'overturned' ? 'approved' : 'rejected'}>
                处理结果：{l.appealDecision === 'overturned' ? '改判核准' : '维持拒付'}
                {l.appealNote ? `（${l.appealNote}）` : ''}
              </p>
            ) : ctx.canDecideAppeal ? (
              <AppealDecisionForm l={l} ctx={ctx} />
            ) : (
              <p>等待医保处理。</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function AppealDecisionForm({ l, ctx }: { l: ClaimLine; ctx: LineCtx }) {
  const { t } = usePrefs();
  const ids = { note: useId(), err: useId() };
  const [decision, setDecision] = useState<'upheld' | 'overturned' | ''>('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!decision) {
      setProblem('请选择维持拒付或改判核准');
      return;
    }
    if (!note.trim()) {
      setProblem('请填写处理说明');
      noteRef.current?.focus();
      return;
    }
    setProblem(null);
    setFailure(null);
    setBusy(true);
    try {
      const r = await careApi.decideAppeal(ctx.claim.id, l.visitId, decision, note.trim());
      ctx.update(r, `${lineLabel(l)}：申诉已处理，${decision === 'overturned' ? '改判核准' : '维持拒付'}。核准金额现为 ${yuanText(r.totals.approvedFen)}。`);
    } catch (err) {
      setFailure(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="care-decision" onSubmit={submit} noValidate aria-label={`处理申诉：${lineLabel(l)}`} data-testid="care-appeal-form">
      {failure && (
        <div className="notice notice-error" role="alert">
          <p>{failure}</p>
        </div>
      )}
      {problem && (
        <p id={ids.err} className="field-error" role="alert">
          {problem}
        </p>
      )}
      <fieldset aria-describedby={problem ? ids.err : undefined}>
        <legend>申诉处理</legend>
        <label className="sup-radio">
          <input type="radio" name={`appeal-${l.visitId}`} value="upheld" checked={decision === 'upheld'} onChange={() => setDecision('upheld')} />
          <span>维持拒付</span>
        </label>
        <label className="sup-radio">
          <input type="radio" name={`appeal-${l.visitId}`} value="overturned" checked={decision === 'overturned'} onChange={() => setDecision('overturned')} />
          <span>改判核准</span>
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={ids.note}>处理说明</label>
        <textarea id={ids.note} ref={noteRef} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} rows={2} aria-required="true" aria-describedby={problem ? ids.err : undefined} />
      </div>
      <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
        {busy ? '正在提交…' : '提交申诉处理'}
      </button>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------

function OtherLines({ lines, ctx }: { lines: ClaimLine[]; ctx: LineCtx }) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>其余明细（{lines.length} 条，未抽中）</h2>
      {lines.length === 0 ? (
        <p className="empty">没有其余明细。</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
          <table className="data-table" data-testid="care-other-lines">
            <thead>
              <tr>
                <th scope="col">老人</th>
                <th scope="col">签到时间</th>
                <th scope="col">护理员</th>
                <th scope="col">类别</th>
                <th scope="col" className="num">
                  服务分钟
                </th>
                <th scope="col" className="num">
                  金额
                </th>
                <th scope="col" className="num">
                  基金支付
                </th>
                <th scope="col" className="num">
                  个人自付
                </th>
                <th scope="col">结算说明</th>
                <th scope="col" className="num">
                  风险分
                </th>
                <th scope="col">审核</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l) => (
                <tr key={l.visitId} data-line={l.visitId} data-decision={l.decision ?? ''}>
                  <th scope="row">{l.personName}</th>
                  <td>{dayAndClock(l.checkIn)}</td>
                  <td>{l.caregiverName}</td>
                  <td>{SERVICE_KIND_NAMES[l.kind] ?? l.kind}</td>
                  <td className="num">{l.minutes}</td>
                  <td className="num">{yuanText(l.amountFen)}</td>
                  <td className="num">{yuanText(l.fundFen)}</td>
                  <td className="num">{yuanText(l.copayFen)}</td>
                  <td className="wrap">
                    {l.explanation}
                    {l.flags.length > 0 && <span className="muted">（{l.flags.map((f) => f.name).join('、')}）</span>}
                  </td>
                  <td className="num">{l.anomalyScore}</td>
                  <td>
                    {l.decision === 'approved' ? (l.appealDecision === 'overturned' ? '申诉后改判核准' : '核准') : l.decision === 'rejected' ? `拒付：${l.decisionReason ?? ''}` : '审核结束时按结算结果核准'}
                    {l.appeal && <div>{l.appealDecision ? `申诉${l.appealDecision === 'overturned' ? '改判核准' : '维持拒付'}` : '已申诉，待处理'}</div>}
                    {ctx.canAppeal && l.decision === 'rejected' && !l.appeal && <AppealButton l={l} ctx={ctx} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
