// 床位轮候 (/workbench/waitlist): the waiting list for basic-guarantee beds in the workbench.
// 概况: the queue by district, tier and status, and the last runs with their fairness check;
// 申请: the applications in scope, in queue order, with filters and a link to each person;
// 分配 (waitlist.run): 试算 (a dry run: recorded, nothing reserved or sent) and 正式分配 (with a
// confirmation; city level only — a district officer is told so in the server's words), the result
// in figures and the fairness check in words; 报告 (ReportTab.tsx): waits, admissions, offers,
// turnover, idle beds and fairness over the period; 规则模拟 (SimulationTab.tsx, waitlist.run): the
// what-if replay; 消息记录 (messages.read): what was sent to families.
import { useEffect, useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { TabNav } from '../../components/TabNav.tsx';
import { Link, useSearchParams } from 'react-router';
import { api, type Region } from '../../api.ts';
import { DistrictField } from '../../components/DistrictField.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Pager } from '../../components/Pager.tsx';
import { errorText } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { MESSAGES_READ, WAITLIST_READ, WAITLIST_RUN, waitlistApi, type ApplicationFilter, type RunDetail, type RunHead } from '../../portal/waitlist/api.ts';
import { shanghaiTime } from '../../portal/waitlist/text.ts';
import '../../portal/waitlist/waitlist.css';
import { useUser } from '../auth.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { useLoad } from '../supply/shared.tsx';
import { ReportTab } from './ReportTab.tsx';
import { SimulationTab } from './SimulationTab.tsx';
import { fairnessText, runKind, TAB_NAMES, type Tab } from './text.ts';

export function WaitlistPage() {
  const user = useUser();
  if (!WAITLIST_READ.includes(user.role)) return <NotFoundPage home="/workbench" />;
  return <WaitlistBody />;
}

function WaitlistBody() {
  usePageTitle('床位轮候');
  const user = useUser();
  const [sp] = useSearchParams();
  const canRun = WAITLIST_RUN.includes(user.role);
  const tabs: Tab[] = ['', 'applications', ...(canRun ? (['runs'] as Tab[]) : []), 'report', ...(canRun ? (['simulate'] as Tab[]) : []), ...(MESSAGES_READ.includes(user.role) ? (['messages'] as Tab[]) : [])];
  const asked = (sp.get('tab') ?? '') as Tab;
  const tab: Tab = tabs.includes(asked) ? asked : '';
  return (
    <>
      <h1>床位轮候</h1>
      <p>保基本养老床位的轮候：各区、各层级的排队人数，申请，分配（延迟接受算法，每次分配后检查公平性），以及发给老人和家属的消息。</p>
      <TabNav label="床位轮候分页" base="/workbench/waitlist" tabs={tabs.map((k) => [k, TAB_NAMES[k]] as const)} current={tab} />
      {tab === '' && <OverviewTab />}
      {tab === 'applications' && <ApplicationsTab />}
      {tab === 'runs' && <RunsTab />}
      {tab === 'report' && <ReportTab />}
      {tab === 'simulate' && <SimulationTab />}
      {tab === 'messages' && <MessagesTab />}
    </>
  );
}

// ---------------------------------------------------------------------------------------------

function OverviewTab() {
  const [load, reload] = useLoad((s) => waitlistApi.overview(s), []);
  const ids = { queue: useId(), runs: useId() };
  if (load.status !== 'ok') return <LoadStatus load={load} loadingText="正在读取轮候概况…" failedTitle="无法读取轮候概况" onRetry={reload} />;
  const { queue, runs } = load.data;
  const total = queue.reduce((s, q) => s + q.count, 0);
  return (
    <>
      <section className="card section-card" aria-labelledby={ids.queue}>
        <h2 id={ids.queue}>排队人数（按区和优先层级）</h2>
        <p data-testid="wl-queue-total">正在轮候（含暂停、待答复）共 {total} 人。</p>
        {queue.length === 0 ? (
          <p className="empty">暂无正在轮候的申请。</p>
        ) : (
          <div className="table-scroll" role="region" aria-labelledby={ids.queue} tabIndex={0}>
            <table className="data-table" data-testid="wl-queue">
              <thead>
                <tr>
                  <th scope="col">区</th>
                  <th scope="col">优先层级</th>
                  <th scope="col">状态</th>
                  <th scope="col" className="num">
                    人数
                  </th>
                  <th scope="col">最早排序时间</th>
                </tr>
              </thead>
              <tbody>
                {queue.map((q) => (
                  <tr key={`${q.districtCode}-${q.tier}-${q.status}`}>
                    <td>{q.districtName}</td>
                    <td>{q.tier === null ? '—' : `第 ${q.tier} 层级`}</td>
                    <td>{q.statusName}</td>
                    <td className="num">{q.count}</td>
                    <td>{shanghaiTime(q.oldest)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card section-card" aria-labelledby={ids.runs}>
        <h2 id={ids.runs}>最近的分配</h2>
        <RunsTable runs={runs} labelledBy={ids.runs} />
      </section>
    </>
  );
}

function RunsTable({ runs, labelledBy }: { runs: RunHead[]; labelledBy: string }) {
  if (runs.length === 0) return <p className="empty">还没有分配过。</p>;
  return (
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      <table className="data-table" data-testid="wl-runs">
        <thead>
          <tr>
            <th scope="col">序号</th>
            <th scope="col">时间</th>
            <th scope="col">方式</th>
            <th scope="col" className="num">
              申请人
            </th>
            <th scope="col" className="num">
              空床
            </th>
            <th scope="col" className="num">
              入住通知
            </th>
            <th scope="col" className="num">
              第一志愿
            </th>
            <th scope="col" className="num">
              未分到
            </th>
            <th scope="col" className="num">
              暂不参与
            </th>
            <th scope="col">公平性检查</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-seq={r.seq}>
              <td className="num">{r.seq}</td>
              <td>{shanghaiTime(r.startedAt)}</td>
              <td>{runKind(r)}</td>
              <td className="num">{r.summary.applicants}</td>
              <td className="num">{r.summary.places}</td>
              <td className="num">{r.summary.offers}</td>
              <td className="num">{r.summary.firstChoice}</td>
              <td className="num">{r.summary.unassigned}</td>
              <td className="num">{r.summary.excluded}</td>
              <td data-fair={r.fairnessOk ? 'ok' : 'failed'}>{r.fairnessOk ? '✓ 通过' : `✗ ${r.violations} 处问题`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

const STATUS_OPTIONS: [string, string][] = [
  ['', '全部状态'],
  ['active', '轮候中'],
  ['paused', '暂停轮候'],
  ['offered', '已通知入住'],
  ['admitted', '已入住'],
  ['withdrawn', '已撤回'],
  ['removed', '已退出轮候'],
];

function useDistricts(scope: string): Region[] {
  const [items, setItems] = useState<Region[]>([]);
  useEffect(() => {
    const ctl = new AbortController();
    const prefix = scope.replace(/(00)+$/, '');
    api
      .regions(undefined, ctl.signal)
      .then((r) => setItems(r.items.filter((x) => x.code.startsWith(prefix) || scope.startsWith(x.code.replace(/(00)+$/, '')))))
      .catch(() => undefined);
    return () => ctl.abort();
  }, [scope]);
  return items;
}

function ApplicationsTab() {
  const user = useUser();
  const districts = useDistricts(user.regionCode);
  const [sp, setSp] = useSearchParams();
  const applied: ApplicationFilter = {
    status: sp.get('status') ?? '',
    district: sp.get('district') ?? '',
    tier: sp.get('tier') ?? '',
    page: Number(sp.get('page') ?? '1') || 1,
  };
  const key = JSON.stringify(applied);
  const [draft, setDraft] = useState(applied);
  useEffect(() => setDraft(applied), [key]);
  const [load, reload] = useLoad((s) => waitlistApi.list(applied, s), [key]);
  const ids = { status: useId(), tier: useId(), list: useId() };

  const go = (f: ApplicationFilter) => {
    const next = new URLSearchParams({ tab: 'applications' });
    for (const [k, v] of Object.entries(f)) if (v && !(k === 'page' && v === 1)) next.set(k, String(v));
    setSp(next);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    go({ ...draft, page: 1 });
  };

  return (
    <>
      <form className="filters card" onSubmit={onSubmit} aria-label="筛选轮候申请">
        <div className="filter-grid">
          <div className="field">
            <label htmlFor={ids.status}>状态</label>
            <select id={ids.status} value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
              {STATUS_OPTIONS.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </div>
          <DistrictField label="区" allLabel="全部区" districts={districts} value={draft.district ?? ''} onChange={(district) => setDraft({ ...draft, district })} />
          <div className="field">
            <label htmlFor={ids.tier}>优先层级</label>
            <select id={ids.tier} value={draft.tier} onChange={(e) => setDraft({ ...draft, tier: e.target.value })}>
              <option value="">全部层级</option>
              {[1, 2, 3].map((n) => (
                <option key={n} value={String(n)}>
                  第 {n} 层级
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary">
            查询
          </button>
        </div>
      </form>
      <section aria-labelledby={ids.list}>
        <h2 id={ids.list}>轮候申请（按排序）</h2>
        {load.status !== 'ok' ? (
          <LoadStatus load={load} loadingText="正在读取轮候申请…" failedTitle="无法读取轮候申请" onRetry={reload} />
        ) : (
          <>
            <p role="status" className="count" data-testid="wl-apps-count">
              共 {load.data.total} 份申请
              {load.data.total > load.data.pageSize ? `，第 ${load.data.page} 页` : ''}
            </p>
            {load.data.items.length > 0 && (
              <div className="table-scroll" role="region" aria-labelledby={ids.list} tabIndex={0}>
                <table className="data-table" data-testid="wl-apps">
                  <thead>
                    <tr>
                      <th scope="col">姓名</th>
                      <th scope="col">区</th>
                      <th scope="col">优先层级</th>
                      <th scope="col">状态</th>
                      <th scope="col">志愿</th>
                      <th scope="col">排序时间</th>
                      <th scope="col" className="num">
                        已等待（天）
                      </th>
                      <th scope="col" className="num">
                        放弃次数
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {load.data.items.map((a) => (
                      <tr key={a.id} data-application={a.id}>
                        <th scope="row">
                          <Link to={`/workbench/people/${a.personId}`} state={{ from: '/workbench/people' }}>
                            {a.personName || a.personId}
                          </Link>
                        </th>
                        <td>{a.districtName}</td>
                        <td>{a.tier === null ? '—' : `第 ${a.tier} 层级${a.tierLabel ? `（${a.tierLabel}）` : ''}`}</td>
                        <td>{a.statusName}</td>
                        <td>{a.mode === 'radius' ? '一定距离内均可' : `${a.choices} 家`}</td>
                        <td>{shanghaiTime(a.priorityAt)}</td>
                        <td className="num">{a.waitingDays}</td>
                        <td className="num">{a.declines}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <Pager page={load.data.page} pageSize={load.data.pageSize} total={load.data.total} onGo={(page) => go({ ...applied, page })} />
          </>
        )}
      </section>
    </>
  );
}

// ---------------------------------------------------------------------------------------------

function RunsTab() {
  const { t } = usePrefs();
  const ids = { run: useId(), result: useId(), confirm: useId(), last: useId() };
  const [busy, setBusy] = useState<null | 'dry' | 'real'>(null);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<RunDetail | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [overview, reload] = useLoad((s) => waitlistApi.overview(s), []);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const failureRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const start = async (dryRun: boolean) => {
    if (busy) return;
    setBusy(dryRun ? 'dry' : 'real');
    setFailure(null);
    setConfirming(false);
    try {
      const r = await waitlistApi.startRun(dryRun);
      setResult(r);
      reload();
      window.requestAnimationFrame(() => resultRef.current?.focus());
    } catch (e) {
      setFailure(errorText(e, t));
      window.requestAnimationFrame(() => failureRef.current?.focus());
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <section className="card section-card" aria-labelledby={ids.run}>
        <h2 id={ids.run}>发起分配</h2>
        <p>
          试算：按现在的申请和空床算一遍，只记录结果，不预留床位、不发通知。正式分配：为每位分到床位的申请人预留床位并发出入住通知（答复期限按规则计算）；正式分配由市级民政部门发起。
        </p>
        <div className="button-row">
          <button type="button" className="button button-secondary" aria-disabled={busy !== null || undefined} onClick={() => void start(true)}>
            {busy === 'dry' ? '正在试算…' : '试算'}
          </button>
          {!confirming && (
            <button type="button" className="button button-primary" aria-disabled={busy !== null || undefined} onClick={() => setConfirming(true)}>
              {busy === 'real' ? '正在分配…' : '正式分配'}
            </button>
          )}
        </div>
        {confirming && (
          <div className="notice wl-confirm" role="group" aria-labelledby={ids.confirm}>
            <p id={ids.confirm}>确认正式分配吗？分到床位的申请人会收到入住通知，床位将为其预留到答复期限。</p>
            <div className="button-row">
              <button ref={confirmRef} type="button" className="button button-primary" onClick={() => void start(false)}>
                确认正式分配
              </button>
              <button type="button" className="button button-secondary" onClick={() => setConfirming(false)}>
                返回
              </button>
            </div>
          </div>
        )}
        {failure && (
          <div className="notice notice-error" role="alert" tabIndex={-1} ref={failureRef} data-testid="wl-run-failure">
            <p className="notice-title">没有完成</p>
            <p>{failure}</p>
          </div>
        )}
      </section>
      {result && <RunResult run={result} headingRef={resultRef} />}
      <section className="card section-card" aria-labelledby={ids.last}>
        <h2 id={ids.last}>最近的分配</h2>
        {overview.status !== 'ok' ? <LoadStatus load={overview} onRetry={reload} /> : <RunsTable runs={overview.data.runs} labelledBy={ids.last} />}
      </section>
    </>
  );
}

function RunResult({ run, headingRef }: { run: RunDetail; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const id = useId();
  const s = run.summary;
  const share = s.offers > 0 ? Math.round((s.firstChoice / s.offers) * 100) : null;
  const violations = run.fairness.violations ?? [];
  return (
    <section className="card section-card" aria-labelledby={id} data-testid="wl-run-result" data-dry={run.dryRun ? '1' : '0'}>
      <h2 id={id} ref={headingRef} tabIndex={-1}>
        {run.dryRun ? `试算结果（第 ${run.seq} 次）` : `正式分配结果（第 ${run.seq} 次）`}
      </h2>
      <p>
        {shanghaiTime(run.startedAt)}，{runKind(run)}。
        {run.dryRun ? '试算只记录结果，没有预留床位，也没有发出通知。' : `已为 ${s.offers} 位申请人预留床位并发出入住通知。`}
      </p>
      <dl className="wl-figures">
        <div>
          <dt>参与分配的申请人</dt>
          <dd data-figure="applicants">{s.applicants}</dd>
        </div>
        <div>
          <dt>空出的保基本床位</dt>
          <dd data-figure="places">{s.places}</dd>
        </div>
        <div>
          <dt>入住通知</dt>
          <dd data-figure="offers">{s.offers}</dd>
        </div>
        <div>
          <dt>分到第一志愿</dt>
          <dd data-figure="firstChoice">{share === null ? '—' : `${s.firstChoice}（${share}%）`}</dd>
        </div>
        <div>
          <dt>没有分到</dt>
          <dd data-figure="unassigned">{s.unassigned}</dd>
        </div>
        <div>
          <dt>暂不参与（不符合条件等）</dt>
          <dd data-figure="excluded">{s.excluded}</dd>
        </div>
      </dl>
      <div className={run.fairness.ok ? 'notice wl-fair-ok' : 'notice notice-error'} data-testid="wl-fairness">
        <p className="notice-title">{fairnessText(run.fairness.ok)}</p>
        {run.fairness.checkedApplicants !== undefined && (
          <p>
            检查了 {run.fairness.checkedApplicants} 位申请人{run.fairness.checkedPairs !== undefined ? `、${run.fairness.checkedPairs} 对申请人与机构` : ''}。
          </p>
        )}
        {violations.length > 0 && (
          <ul>
            {violations.slice(0, 20).map((v, i) => (
              <li key={i}>{v.message}</li>
            ))}
          </ul>
        )}
      </div>
      {(s.excludedList?.length ?? 0) > 0 && (
        <details>
          <summary>暂不参与的申请及原因</summary>
          <ul>
            {s.excludedList!.slice(0, 50).map((x) => (
              <li key={x.applicationId}>{x.reason}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------

function MessagesTab() {
  const id = useId();
  const [load, reload] = useLoad((s) => waitlistApi.messages(s), []);
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>消息记录</h2>
      <p>平台发给老人及家属的轮候消息（入住通知、通知结束、确认入住），最新的在最上面。未配置短信网关时只记录、不发送。</p>
      {load.status !== 'ok' ? (
        <LoadStatus load={load} loadingText="正在读取消息记录…" failedTitle="无法读取消息记录" onRetry={reload} />
      ) : load.data.items.length === 0 ? (
        <p className="empty">还没有消息。</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
          <table className="data-table" data-testid="wl-messages">
            <thead>
              <tr>
                <th scope="col">时间</th>
                <th scope="col">标题</th>
                <th scope="col">内容</th>
                <th scope="col">渠道</th>
                <th scope="col">状态</th>
                <th scope="col">老人</th>
              </tr>
            </thead>
            <tbody>
              {load.data.items.map((m) => (
                <tr key={m.id} data-kind={m.kind}>
                  <td>{shanghaiTime(m.createdAt)}</td>
                  <td>{m.title}</td>
                  <td className="wrap wl-message-body">{m.body}</td>
                  <td>
                    {m.channel}
                    {m.toMask ? `（${m.toMask}）` : ''}
                  </td>
                  <td>{m.status}</td>
                  <td>{m.personId ? <Link to={`/workbench/people/${m.personId}`}>查看</Link> : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
