// 照护计划 (/workbench/care/plans, issue 8 §2). Choose the person (from the person page's link,
// by name for the roles that read the register of people, or by the 老人编号 — a provider cannot
// list people); see the LTCI home-care entitlement (grade, hours a week, the cap in minutes, the
// grade's validity) and the proposed visits; draft a plan (care.manage): the LTCI items grouped
// 生活照料 / 临床护理, the weekly visits (weekday, start, minutes, kind) with add and remove, the
// week's total against the cap as it is typed, and the server's problems in its words. The plans
// list: 代为确认 (care.confirm: the advisor or officer records the family's confirmation) and
// 结束计划 with a reason (care.manage).
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type PersonSummary } from '../../api.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { todayLocalDate } from '../../components/EntitlementResult.tsx';
import { errorText } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { parsePersonId } from '../vouchers/api.ts';
import { useUser } from '../auth.tsx';
import { useLoad } from '../supply/shared.tsx';
import { careApi, may, minutesText, PLAN_STATUS_NAMES, SERVICE_KIND_NAMES, weekdayName, type CareEntitlement, type LtciItem, type Plan, type PlanSlot, type ServiceKind } from './api.ts';
import { CareGate } from './CareNav.tsx';
import { CareHeader, ServerProblem, useProviders } from './shared.tsx';

export function PlansPage() {
  return (
    <CareGate tab="plans">
      <PlansBody />
    </CareGate>
  );
}

function PlansBody() {
  usePageTitle('照护计划');
  const [sp] = useSearchParams();
  const personId = parsePersonId(sp.get('person') ?? '');
  const [version, setVersion] = useState(0);
  return (
    <>
      <CareHeader title="照护服务">
        <p>按老人的长护险居家照护待遇（照护等级对应的每周服务时长）拟定照护计划：服务项目来自长护险服务项目清单，上门安排按周重复。老人或家属确认后计划生效，并生成上门工单。</p>
      </CareHeader>
      <h2 className="h-small">照护计划</h2>
      <PersonPicker current={personId} />
      {personId && <PersonPlanning key={personId} personId={personId} onDrafted={() => setVersion((n) => n + 1)} />}
      <PlanList personId={personId} version={version} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------

function PersonPicker({ current }: { current: string | null }) {
  const user = useUser();
  const [, setSp] = useSearchParams();
  const canSearch = may(user.role, 'people.read');
  const ids = { form: useId(), q: useId(), pid: useId(), pidHint: useId(), pidErr: useId(), results: useId() };
  const [q, setQ] = useState('');
  const [pid, setPid] = useState(current ?? '');
  const [pidProblem, setPidProblem] = useState<string | null>(null);
  const [results, setResults] = useState<PersonSummary[] | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const { t } = usePrefs();

  const search = async (e: FormEvent) => {
    e.preventDefault();
    if (!q.trim()) return;
    setSearchError(null);
    try {
      setResults((await api.people({ q: q.trim(), limit: '10' })).items);
    } catch (err) {
      setSearchError(errorText(err, t));
    }
  };
  const choose = (e: FormEvent) => {
    e.preventDefault();
    const id = parsePersonId(pid);
    if (!id) {
      setPidProblem('老人编号应为 32 位字母数字（含 4 个连字符），见老人的服务卡或人员信息页');
      document.getElementById(ids.pid)?.focus();
      return;
    }
    setPidProblem(null);
    setSp({ person: id });
  };

  return (
    <section className="card section-card" aria-labelledby={`${ids.form}-title`}>
      <h3 id={`${ids.form}-title`}>选择老人</h3>
      {canSearch && (
        <form className="care-inline-form" onSubmit={search} role="search" aria-label="按姓名查找老人">
          <div className="field">
            <label htmlFor={ids.q}>姓名</label>
            <input id={ids.q} value={q} onChange={(e) => setQ(e.target.value)} maxLength={50} />
          </div>
          <button type="submit" className="button button-secondary">
            查找
          </button>
        </form>
      )}
      {searchError && <p role="alert">{searchError}</p>}
      {results !== null && (
        <div aria-live="polite">
          {results.length === 0 ? (
            <p className="empty">没有找到。</p>
          ) : (
            <ul aria-label="查找结果" data-testid="care-person-results">
              {results.map((p) => (
                <li key={p.id}>
                  <Link to={`?person=${p.id}`}>
                    {p.name}（{p.sex === 'F' ? '女' : '男'}，{p.age} 岁，{p.districtName}
                    {p.streetName ? ` ${p.streetName}` : ''}）
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <form className="care-inline-form" onSubmit={choose} noValidate aria-label="按老人编号选择">
        <div className="field">
          <label htmlFor={ids.pid}>老人编号</label>
          <p id={ids.pidHint} className="hint">
            平台为每位老人编的号，印在服务卡上{canSearch ? '，也显示在人员信息页的地址栏' : ''}
          </p>
          {pidProblem && (
            <p id={ids.pidErr} className="field-error">
              {pidProblem}
            </p>
          )}
          <input
            id={ids.pid}
            value={pid}
            onChange={(e) => setPid(e.target.value)}
            className="mono"
            size={38}
            autoComplete="off"
            aria-invalid={pidProblem ? true : undefined}
            aria-describedby={`${ids.pidHint}${pidProblem ? ` ${ids.pidErr}` : ''}`}
          />
        </div>
        <button type="submit" className="button button-secondary">
          查看待遇与计划
        </button>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------

function PersonPlanning({ personId, onDrafted }: { personId: string; onDrafted: () => void }) {
  const user = useUser();
  const [load, reload] = useLoad((s) => careApi.entitlement(personId, s), [personId]);
  if (load.status !== 'ok') return <LoadStatus load={load} loadingText="正在读取长护险待遇…" failedTitle="无法读取这位老人的长护险待遇" onRetry={reload} />;
  const e = load.data;
  return (
    <>
      <EntitlementSummary e={e} />
      {may(user.role, 'care.manage') && e.entitlement?.eligible && <PlanForm e={e} onDrafted={onDrafted} />}
    </>
  );
}

export function EntitlementSummary({ e, headingLevel = 3 }: { e: CareEntitlement; headingLevel?: 2 | 3 }) {
  const id = useId();
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const x = e.entitlement;
  return (
    <section className="card section-card" aria-labelledby={id} data-testid="care-entitlement">
      <H id={id}>{e.name} 的长护险居家照护待遇</H>
      {!x ? (
        <p>没有这位老人的待遇信息。</p>
      ) : !x.eligible ? (
        <div className="notice">
          <p className="notice-title">目前不符合长护险居家照护待遇条件</p>
          <p>{x.reason ?? '未达到条件'}</p>
        </div>
      ) : (
        <>
          <dl className="stats care-entitlement">
            <div className="stat">
              <dt>照护等级</dt>
              <dd className="care-figure">{x.grade} 级</dd>
            </div>
            <div className="stat">
              <dt>每周服务时长</dt>
              <dd className="care-figure">{x.hoursPerWeek} 小时</dd>
            </div>
            <div className="stat">
              <dt>每周上限</dt>
              <dd className="care-figure" data-testid="care-cap">
                {e.capMinutes} 分钟
              </dd>
            </div>
            <div className="stat">
              <dt>等级有效期</dt>
              <dd>
                {x.gradeValidFrom ?? '—'} 至 {x.gradeValidTo ?? '—'}
              </dd>
            </div>
            {x.fundShareHome !== null && (
              <div className="stat">
                <dt>基金支付比例</dt>
                <dd className="care-figure">{Math.round(x.fundShareHome * 100)}%</dd>
              </div>
            )}
          </dl>
          <p>
            建议安排（按每次 {e.visitMinutes} 分钟）：{e.proposal.length === 0 ? '无' : e.proposal.map((s) => `${weekdayName(s.weekday)} ${s.start}`).join('、')}。以 {e.asOf} 的待遇计算。
          </p>
        </>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------

interface SlotRow extends PlanSlot {
  key: number;
}

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];

function PlanForm({ e, onDrafted }: { e: CareEntitlement; onDrafted: () => void }) {
  const form = 'care-plan';
  const providers = useProviders();
  const nextKey = useRef(0);
  const withKeys = (slots: PlanSlot[]): SlotRow[] => slots.map((s) => ({ ...s, key: nextKey.current++ }));
  const [providerId, setProviderId] = useState('');
  const [items, setItems] = useState<string[]>([]);
  const [slots, setSlots] = useState<SlotRow[]>(() => withKeys(e.proposal));
  const [validFrom, setValidFrom] = useState(todayLocalDate());
  const [validTo, setValidTo] = useState('');
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Plan | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const problemRef = useRef<HTMLDivElement>(null);
  const total = slots.reduce((s, x) => s + (Number.isFinite(x.minutes) ? x.minutes : 0), 0);
  const over = total - e.capMinutes;
  const kindsChosen = new Set(items.map((c) => e.items.find((i) => i.code === c)?.kind));

  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  const setSlot = (key: number, patch: Partial<PlanSlot>) => setSlots((ss) => ss.map((s) => (s.key === key ? { ...s, ...patch } : s)));

  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    if (busy) return;
    const p: Record<string, string> = {};
    if (providers !== null && !providerId) p.providerId = '请选择服务机构';
    if (items.length === 0) p.items = '请至少选择一项服务项目';
    if (slots.length === 0) p.slots = '请至少安排一次上门服务';
    for (const s of slots) if (!Number.isInteger(s.minutes) || s.minutes < 10 || s.minutes > 480) p.slots = '每次服务时长应为 10–480 分钟';
    for (const s of slots) if (!/^\d{2}:\d{2}$/.test(s.start)) p.slots = '请填写每次服务的开始时间';
    if (!validFrom) p.validFrom = '请填写开始日期';
    setProblems(p);
    setError(null);
    const first = ['providerId', 'items', 'slots', 'validFrom'].find((k) => p[k]);
    if (first) {
      document.getElementById(`${form}-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const plan = await careApi.draftPlan({
        personId: e.personId, ...(providers !== null ? { providerId } : {}), items, slots: slots.map(({ weekday, start, minutes, kind }) => ({ weekday, start, minutes, kind })),
        validFrom, validTo: validTo || null, note: note.trim() || null,
      });
      setDone(plan);
      onDrafted();
    } catch (err) {
      setError(err);
      window.requestAnimationFrame(() => problemRef.current?.focus());
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <div className="notice" role="status" tabIndex={-1} ref={doneRef} data-testid="care-plan-done">
        <p className="notice-title">已拟定照护计划草稿</p>
        <p>
          {done.personName}：每周 {done.weeklyMinutes} 分钟（上限 {done.capMinutes} 分钟），{done.validFrom} 至 {done.validTo}。请老人或家属在手机上确认，或由养老顾问、工作人员代为登记确认；确认后生成上门工单。
        </p>
        <button type="button" className="button button-secondary" onClick={() => setDone(null)}>
          再拟一份
        </button>
      </div>
    );
  }

  const groups: [ServiceKind, LtciItem[]][] = (['care', 'nursing'] as const).map((k) => [k, e.items.filter((i) => i.kind === k)]);

  return (
    <form className="card section-card" onSubmit={submit} noValidate aria-labelledby={`${form}-title`} data-testid="care-plan-form">
      <h3 id={`${form}-title`}>拟定照护计划</h3>
      <div ref={problemRef} tabIndex={-1}>
        {error !== null && <ServerProblem error={error} title="计划没有保存" />}
      </div>
      {providers !== null && (
        <div className="field">
          <label htmlFor={`${form}-providerId`}>服务机构</label>
          {problems.providerId && (
            <p id={`${form}-providerId-err`} className="field-error">
              {problems.providerId}
            </p>
          )}
          <select id={`${form}-providerId`} value={providerId} onChange={(x) => setProviderId(x.target.value)} aria-invalid={problems.providerId ? true : undefined} aria-describedby={problems.providerId ? `${form}-providerId-err` : undefined}>
            <option value="">请选择服务机构</option>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
      )}

      <fieldset className="sup-fieldset" aria-describedby={problems.items ? `${form}-items-err` : undefined}>
        <legend>服务项目（长护险服务项目清单）</legend>
        {problems.items && (
          <p id={`${form}-items-err`} className="field-error">
            {problems.items}
          </p>
        )}
        <div className="sup-categories">
          {groups.map(([kind, list], gi) => (
            <fieldset key={kind} className="sup-category">
              <legend>{SERVICE_KIND_NAMES[kind]}</legend>
              {list.map((i, ii) => (
                <label key={i.code} className="sup-check">
                  <input
                    id={gi === 0 && ii === 0 ? `${form}-items` : undefined}
                    type="checkbox"
                    value={i.code}
                    checked={items.includes(i.code)}
                    onChange={(x) => setItems((cur) => (x.target.checked ? [...cur, i.code] : cur.filter((c) => c !== i.code)))}
                  />
                  <span>
                    {i.name} <span className="muted mono">{i.code}</span>
                  </span>
                </label>
              ))}
            </fieldset>
          ))}
        </div>
      </fieldset>

      <fieldset className="sup-fieldset" aria-describedby={`${form}-total${problems.slots ? ` ${form}-slots-err` : ''}`}>
        <legend>每周上门安排</legend>
        <p className="hint">每次服务选择类别：生活照料或临床护理（临床护理须选择相应的服务项目，由护士上门）。</p>
        {problems.slots && (
          <p id={`${form}-slots-err`} className="field-error">
            {problems.slots}
          </p>
        )}
        <ol className="care-slots" id={`${form}-slots`} tabIndex={-1} aria-label="上门安排">
          {slots.map((s, i) => (
            <li key={s.key} className="care-slot" data-testid="care-slot">
              <div className="field">
                <label htmlFor={`${form}-slot-${s.key}-weekday`}>第 {i + 1} 次：星期</label>
                <select id={`${form}-slot-${s.key}-weekday`} value={s.weekday} onChange={(x) => setSlot(s.key, { weekday: Number(x.target.value) })}>
                  {WEEKDAYS.map((w) => (
                    <option key={w} value={w}>
                      {weekdayName(w)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor={`${form}-slot-${s.key}-start`}>开始时间</label>
                <input id={`${form}-slot-${s.key}-start`} type="time" value={s.start} onChange={(x) => setSlot(s.key, { start: x.target.value })} />
              </div>
              <div className="field">
                <label htmlFor={`${form}-slot-${s.key}-minutes`}>时长（分钟）</label>
                <input
                  id={`${form}-slot-${s.key}-minutes`}
                  type="number"
                  min={10}
                  max={480}
                  step={5}
                  value={Number.isFinite(s.minutes) ? s.minutes : ''}
                  onChange={(x) => setSlot(s.key, { minutes: x.target.value === '' ? NaN : Number(x.target.value) })}
                />
              </div>
              <div className="field">
                <label htmlFor={`${form}-slot-${s.key}-kind`}>类别</label>
                <select id={`${form}-slot-${s.key}-kind`} value={s.kind} onChange={(x) => setSlot(s.key, { kind: x.target.value as ServiceKind })}>
                  {(['care', 'nursing'] as const).map((k) => (
                    <option key={k} value={k}>
                      {SERVICE_KIND_NAMES[k]}
                      {kindsChosen.has(k) ? '' : '（未选该类项目）'}
                    </option>
                  ))}
                </select>
              </div>
              <button type="button" className="button button-secondary" onClick={() => setSlots((ss) => ss.filter((x) => x.key !== s.key))}>
                删除第 {i + 1} 次
              </button>
            </li>
          ))}
        </ol>
        <div className="button-row">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => setSlots((ss) => [...ss, { key: nextKey.current++, weekday: 1, start: '09:00', minutes: e.visitMinutes, kind: 'care' }])}
          >
            增加一次上门
          </button>
          <button type="button" className="button button-secondary" onClick={() => setSlots(withKeys(e.proposal))}>
            恢复建议安排
          </button>
        </div>
        <p id={`${form}-total`} className="care-total" data-over={over > 0 ? 'true' : 'false'} aria-live="polite" data-testid="care-plan-total">
          每周合计 {total} 分钟，长护险上限 {e.capMinutes} 分钟（{minutesText(e.capMinutes)}）
          {over > 0 ? `：超出 ${over} 分钟，超出部分长护险不予支付，请减少` : `：还可安排 ${-over} 分钟`}
        </p>
      </fieldset>

      <div className="sup-form-grid">
        <div className="field">
          <label htmlFor={`${form}-validFrom`}>开始日期</label>
          {problems.validFrom && (
            <p id={`${form}-validFrom-err`} className="field-error">
              {problems.validFrom}
            </p>
          )}
          <input id={`${form}-validFrom`} type="date" value={validFrom} onChange={(x) => setValidFrom(x.target.value)} aria-invalid={problems.validFrom ? true : undefined} aria-describedby={problems.validFrom ? `${form}-validFrom-err` : undefined} />
        </div>
        <div className="field">
          <label htmlFor={`${form}-validTo`}>结束日期（选填）</label>
          <p id={`${form}-validTo-hint`} className="hint">
            不填则到照护等级有效期止
          </p>
          <input id={`${form}-validTo`} type="date" value={validTo} onChange={(x) => setValidTo(x.target.value)} aria-describedby={`${form}-validTo-hint`} />
        </div>
        <div className="field sup-wide">
          <label htmlFor={`${form}-note`}>备注（选填）</label>
          <textarea id={`${form}-note`} value={note} onChange={(x) => setNote(x.target.value)} maxLength={500} rows={2} />
        </div>
      </div>
      <div className="button-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? '正在提交…' : '提交计划草稿'}
        </button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------

function PlanList({ personId, version }: { personId: string | null; version: number }) {
  const user = useUser();
  const id = useId();
  const [load, reload] = useLoad((s) => careApi.plans(personId ? { personId } : {}, s), [personId, version]);
  const [ending, setEnding] = useState<Plan | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const { t } = usePrefs();
  const canConfirm = may(user.role, 'care.confirm');
  const canManage = may(user.role, 'care.manage');
  const canReadPeople = may(user.role, 'people.read');

  const confirm = async (p: Plan) => {
    if (busy) return;
    setBusy(p.id);
    setFailure(null);
    setMessage(null);
    try {
      const r = await careApi.confirmPlan(p.id);
      setMessage(`已代为登记 ${r.personName} 家属的确认：计划生效，生成 ${r.ordersMade ?? 0} 张上门工单。`);
      reload();
    } catch (err) {
      setFailure(errorText(err, t));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{personId ? '这位老人的照护计划' : user.role === 'provider' ? '本机构的照护计划' : '照护计划'}</h3>
      {message && (
        <p className="notice" role="status" data-testid="care-plan-message">
          {message}
        </p>
      )}
      {failure && (
        <div className="notice notice-error" role="alert">
          <p>{failure}</p>
        </div>
      )}
      {load.status !== 'ok' ? (
        <LoadStatus load={load} loadingText="正在读取照护计划…" failedTitle="无法读取照护计划" onRetry={reload} />
      ) : load.data.items.length === 0 ? (
        <p className="empty">还没有照护计划。</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
          <table className="data-table" data-testid="care-plans">
            <thead>
              <tr>
                <th scope="col">老人</th>
                <th scope="col">服务机构</th>
                <th scope="col">状态</th>
                <th scope="col">每周时长</th>
                <th scope="col">上门安排</th>
                <th scope="col">服务项目</th>
                <th scope="col">有效期</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {load.data.items.map((p) => (
                <tr key={p.id} data-plan={p.id} data-status={p.status}>
                  <th scope="row">{canReadPeople ? <Link to={`/workbench/people/${p.personId}`}>{p.personName}</Link> : <Link to={`?person=${p.personId}`}>{p.personName}</Link>}</th>
                  <td>{p.providerName}</td>
                  <td>{PLAN_STATUS_NAMES[p.status] ?? p.status}</td>
                  <td>
                    {p.weeklyMinutes} / {p.capMinutes} 分钟
                  </td>
                  <td className="wrap">{p.slots.map((s) => `${weekdayName(s.weekday)} ${s.start} ${s.minutes} 分钟${s.kind === 'nursing' ? '（临床护理）' : ''}`).join('；')}</td>
                  <td className="wrap">{p.items.map((i) => i.name).join('、')}</td>
                  <td>
                    {p.validFrom} 至 {p.validTo}
                  </td>
                  <td>
                    <div className="care-row-actions">
                      {p.status === 'draft' && canConfirm && (
                        <button type="button" className="button button-secondary" aria-disabled={busy !== null || undefined} onClick={() => void confirm(p)}>
                          {busy === p.id ? '正在确认…' : `代为确认（${p.personName}）`}
                        </button>
                      )}
                      {(p.status === 'draft' || p.status === 'confirmed') && canManage && (
                        <button type="button" className="button button-secondary" onClick={() => setEnding(p)}>
                          结束计划（{p.personName}）
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {ending && (
        <ReasonDialog
          title={`结束 ${ending.personName} 的照护计划`}
          intro={ending.status === 'draft' ? '草稿将被取消。' : '计划今天结束，尚未开始的上门工单将被取消，并通知相关护理员。'}
          confirm="结束计划"
          texts={{ label: '结束原因', hint: '必填，例如“老人入住养老机构”“改由其他机构服务”。', needReason: '请写明结束原因。', failed: '没有结束' }}
          onDismiss={() => setEnding(null)}
          onSend={async (reason) => {
            const r = await careApi.endPlan(ending.id, reason);
            setEnding(null);
            setMessage(`${r.personName} 的照护计划已${r.status === 'cancelled' ? '取消' : '结束'}。`);
            reload();
          }}
        />
      )}
    </section>
  );
}
