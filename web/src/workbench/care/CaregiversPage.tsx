// 护理员信息库 (/workbench/care/caregivers, issue 8 §1; seed 000: 全市统一、可查询、可统计).
// 查询: search by name, ID number, district, qualification and status; the list shows the ID
// number masked as the server sends it, the grade, the qualifications, the health certificate's
// expiry (a warning when expired or expiring within 30 days) and the status. 登记 (manage): the
// registration form — someone already registered with another provider moves here, keeping one
// record (the page says 已从其他机构转入). 统计: counts by district, kind, level and status.
import { cloneElement, useEffect, useId, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { TabNav } from '../../components/TabNav.tsx';
import { Link, useSearchParams } from 'react-router';
import { DistrictField } from '../../components/DistrictField.tsx';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { Pager } from '../../components/Pager.tsx';
import { todayLocalDate } from '../../components/EntitlementResult.tsx';
import { usePageTitle } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { useLoad } from '../supply/shared.tsx';
import {
  BACKGROUND_NAMES, CAREGIVER_KIND_NAMES, CAREGIVER_KINDS, CAREGIVER_STATUS_NAMES, CAREGIVER_STATUSES, CERT_WARNING_DAYS, careApi, daysUntil, may, QUALIFICATION_NAMES, QUALIFICATIONS,
  SKILL_LEVEL_NAMES, type Caregiver, type CaregiverFilter, type CaregiverInput, type CaregiverKind, type Qualification,
} from './api.ts';
import { CareGate } from './CareNav.tsx';
import { CareHeader, ServerProblem, useDistricts, useProviders } from './shared.tsx';

type Tab = '' | 'register' | 'stats';

export function CaregiversPage() {
  return (
    <CareGate tab="caregivers">
      <CaregiversBody />
    </CareGate>
  );
}

function CaregiversBody() {
  usePageTitle('护理员信息库');
  const user = useUser();
  const [sp] = useSearchParams();
  const canManage = may(user.role, 'care.caregivers.manage');
  const tabs: [Tab, string][] = [['', '查询'], ...(canManage ? ([['register', '登记护理员']] as [Tab, string][]) : []), ['stats', '统计']];
  const asked = (sp.get('tab') ?? '') as Tab;
  const tab: Tab = tabs.some(([k]) => k === asked) ? asked : '';
  return (
    <>
      <CareHeader title="照护服务">
        <p>全市统一的护理员信息库：护理员与护士的任职机构、资质与等级、培训、健康证、背景审查和在岗状态。{user.role === 'provider' ? '机构只能看到本机构的护理员。' : ''}</p>
      </CareHeader>
      <h2 className="h-small">护理员信息库</h2>
      <TabNav label="护理员信息库分页" base="/workbench/care/caregivers" tabs={tabs} current={tab} />
      {tab === '' && <SearchTab />}
      {tab === 'register' && <RegisterTab />}
      {tab === 'stats' && <StatsTab />}
    </>
  );
}

// ---------------------------------------------------------------------------------------------

function SearchTab() {
  const districts = useDistricts();
  const [sp, setSp] = useSearchParams();
  const applied: CaregiverFilter = {
    q: sp.get('q') ?? '', idNumber: sp.get('idNumber') ?? '', district: sp.get('district') ?? '', qualification: sp.get('qualification') ?? '', status: sp.get('status') ?? '', page: Number(sp.get('page') ?? '1') || 1,
  };
  const key = JSON.stringify(applied);
  const [draft, setDraft] = useState(applied);
  useEffect(() => setDraft(applied), [key]);
  const [load, reload] = useLoad((s) => careApi.caregivers(applied, s), [key]);
  const ids = { q: useId(), idNumber: useId(), qualification: useId(), status: useId(), list: useId() };
  const go = (f: CaregiverFilter) => {
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v && !(k === 'page' && v === 1)) next.set(k, String(v));
    setSp(next);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    go({ ...draft, page: 1 });
  };
  const today = todayLocalDate();

  return (
    <>
      <form className="filters card" onSubmit={onSubmit} aria-label="查询护理员">
        <div className="filter-grid">
          <div className="field">
            <label htmlFor={ids.q}>姓名</label>
            <input id={ids.q} value={draft.q} maxLength={20} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={ids.idNumber}>身份证号</label>
            <input id={ids.idNumber} value={draft.idNumber} maxLength={20} autoComplete="off" onChange={(e) => setDraft({ ...draft, idNumber: e.target.value })} />
          </div>
          <DistrictField label="区" allLabel="全部区" districts={districts} value={draft.district ?? ''} onChange={(district) => setDraft({ ...draft, district })} />
          <div className="field">
            <label htmlFor={ids.qualification}>资质</label>
            <select id={ids.qualification} value={draft.qualification} onChange={(e) => setDraft({ ...draft, qualification: e.target.value })}>
              <option value="">全部资质</option>
              {QUALIFICATIONS.map((q) => (
                <option key={q} value={q}>
                  {QUALIFICATION_NAMES[q]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.status}>状态</label>
            <select id={ids.status} value={draft.status} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
              <option value="">全部状态</option>
              {CAREGIVER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {CAREGIVER_STATUS_NAMES[s]}
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
        <h3 id={ids.list}>护理员</h3>
        {load.status !== 'ok' ? (
          <LoadStatus load={load} loadingText="正在查询护理员…" failedTitle="无法查询护理员" onRetry={reload} />
        ) : (
          <>
            <p role="status" className="count" data-testid="care-cg-count">
              共 {load.data.total} 名护理员
              {load.data.total > load.data.pageSize ? `，第 ${load.data.page} 页` : ''}
            </p>
            {load.data.items.length > 0 && (
              <div className="table-scroll" role="region" aria-labelledby={ids.list} tabIndex={0}>
                <table className="data-table" data-testid="care-caregivers">
                  <thead>
                    <tr>
                      <th scope="col">姓名</th>
                      <th scope="col">身份证号</th>
                      <th scope="col">类别与等级</th>
                      <th scope="col">资质</th>
                      <th scope="col">健康证有效期</th>
                      <th scope="col">状态</th>
                      <th scope="col">任职机构</th>
                      <th scope="col">区</th>
                    </tr>
                  </thead>
                  <tbody>
                    {load.data.items.map((c) => (
                      <tr key={c.id} data-caregiver={c.id}>
                        <th scope="row">
                          <Link to={`/workbench/care/caregivers/${c.id}`}>{c.name}</Link>
                        </th>
                        <td className="mono">{c.idNumber}</td>
                        <td>
                          {c.kindName}
                          {c.skillLevelName ? `，${c.skillLevelName}` : ''}
                        </td>
                        <td>{c.qualificationNames.length ? c.qualificationNames.join('、') : <span className="muted">无</span>}</td>
                        <td>
                          <CertExpiry date={c.healthCertValidTo} today={today} />
                        </td>
                        <td>
                          {c.statusName}
                          {c.unfit && c.status === 'active' && <span className="muted">（暂不能派单：{c.unfit}）</span>}
                        </td>
                        <td>{c.providerName ?? <span className="muted">无</span>}</td>
                        <td>{c.districtName}</td>
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

/** The health certificate's expiry, with a warning in words (not colour alone) when expired or close. */
export function CertExpiry({ date, today }: { date: string | null; today: string }) {
  if (!date) return <span className="tag tag-alert">未登记健康证</span>;
  const days = daysUntil(today, date);
  if (days < 0)
    return (
      <>
        {date} <span className="tag tag-alert">已过期</span>
      </>
    );
  if (days <= CERT_WARNING_DAYS)
    return (
      <>
        {date} <span className="tag care-warn">{days === 0 ? '今天到期' : `${days} 天后到期`}</span>
      </>
    );
  return <>{date}</>;
}

// ---------------------------------------------------------------------------------------------

const FORM = 'care-cg';
const FIELDS = ['providerId', 'name', 'idNumber', 'phone', 'kind', 'skillLevel', 'trainingHours', 'healthCertValidTo', 'backgroundCheck', 'backgroundCheckedOn', 'shiftStart', 'shiftEnd'] as const;
type FieldName = (typeof FIELDS)[number] | 'qualifications';

function RegisterTab() {
  const providers = useProviders();
  const [providerId, setProviderId] = useState('');
  const [v, setV] = useState({ name: '', idNumber: '', phone: '', kind: 'caregiver' as CaregiverKind, skillLevel: '', trainingHours: '', healthCertValidTo: '', backgroundCheck: '' as '' | NonNullable<CaregiverInput['backgroundCheck']>, backgroundCheckedOn: '', shiftStart: '', shiftEnd: '' });
  const [quals, setQuals] = useState<Qualification[]>([]);
  const [problems, setProblems] = useState<Partial<Record<FieldName, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Caregiver | null>(null);
  const doneRef = useRef<HTMLDivElement>(null);
  const id = (n: FieldName) => `${FORM}-${n}`;

  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  const check = (): Partial<Record<FieldName, string>> => {
    const p: Partial<Record<FieldName, string>> = {};
    if (providers !== null && !providerId) p.providerId = '请选择服务机构';
    if (!v.name.trim()) p.name = '请填写姓名';
    if (!/^\d{17}[\dXx]$|^\d{15}$/.test(v.idNumber.trim())) p.idNumber = '请填写 18 位身份证号码';
    if (v.phone.trim() && !/^1\d{10}$/.test(v.phone.trim())) p.phone = '手机号码应为 11 位';
    if (v.trainingHours.trim() && !/^\d+$/.test(v.trainingHours.trim())) p.trainingHours = '培训学时应为整数';
    if (Boolean(v.shiftStart) !== Boolean(v.shiftEnd)) p[v.shiftStart ? 'shiftEnd' : 'shiftStart'] = '上班和下班时间请一起填写';
    else if (v.shiftStart && v.shiftEnd <= v.shiftStart) p.shiftEnd = '下班时间应晚于上班时间';
    return p;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const p = check();
    setProblems(p);
    setError(null);
    const first = FIELDS.find((f) => p[f]);
    if (first) {
      document.getElementById(id(first))?.focus();
      return;
    }
    setBusy(true);
    try {
      // Only what was filled in: for someone moving from another provider the rest stays as recorded.
      const c = await careApi.hire({
        ...(providers !== null ? { providerId } : {}),
        name: v.name.trim(), idNumber: v.idNumber.trim().toUpperCase(), kind: v.kind,
        ...(v.phone.trim() ? { phone: v.phone.trim() } : {}),
        ...(v.skillLevel ? { skillLevel: Number(v.skillLevel) } : {}),
        ...(quals.length ? { qualifications: quals } : {}),
        ...(v.trainingHours.trim() ? { trainingHours: Number(v.trainingHours) } : {}),
        ...(v.healthCertValidTo ? { healthCertValidTo: v.healthCertValidTo } : {}),
        ...(v.backgroundCheck ? { backgroundCheck: v.backgroundCheck } : {}),
        ...(v.backgroundCheckedOn ? { backgroundCheckedOn: v.backgroundCheckedOn } : {}),
        ...(v.shiftStart && v.shiftEnd ? { shiftStart: v.shiftStart, shiftEnd: v.shiftEnd } : {}),
      });
      setDone(c);
    } catch (err) {
      setError(err);
      window.requestAnimationFrame(() => document.getElementById(`${FORM}-problem`)?.focus());
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <div className="notice" role="status" tabIndex={-1} ref={doneRef} data-testid="care-cg-done">
        <p className="notice-title">{done.moved ? `已从其他机构转入：${done.name}` : `已登记：${done.name}`}</p>
        <p>
          {done.moved
            ? '该护理员此前在其他机构登记，全市只保留一条记录：原任职已结束，资质、培训和任职经历随记录转入本机构。'
            : '护理员已登记为本机构在岗人员。'}
          {done.unfit ? ` 目前还不能派单：${done.unfit}。` : ''}
        </p>
        <div className="button-row">
          <Link className="button button-primary" to={`/workbench/care/caregivers/${done.id}`}>
            查看 {done.name} 的信息
          </Link>
          <button type="button" className="button button-secondary" onClick={() => setDone(null)}>
            继续登记
          </button>
        </div>
      </div>
    );
  }

  const field = (n: FieldName, label: string, input: ReactElement<Record<string, unknown>>, hint?: string) => (
    <div className="field">
      <label htmlFor={id(n)}>{label}</label>
      {hint && (
        <p id={`${id(n)}-hint`} className="hint">
          {hint}
        </p>
      )}
      {problems[n] && (
        <p id={`${id(n)}-err`} className="field-error">
          {problems[n]}
        </p>
      )}
      {cloneWith(input, { id: id(n), 'aria-invalid': problems[n] ? true : undefined, 'aria-describedby': [hint ? `${id(n)}-hint` : '', problems[n] ? `${id(n)}-err` : ''].filter(Boolean).join(' ') || undefined })}
    </div>
  );

  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });

  return (
    <form className="card section-card" onSubmit={submit} noValidate aria-labelledby={`${FORM}-title`} data-testid="care-cg-form">
      <h3 id={`${FORM}-title`}>登记护理员</h3>
      <p>同一身份证号全市只有一条记录。已在其他机构登记的护理员会转入本机构，原任职随之结束；没有填写的项目保留原记录（新登记的：背景审查为待审查，工作时间为 08:00–17:00）。</p>
      {error !== null && (
        <div id={`${FORM}-problem`} tabIndex={-1}>
          <ServerProblem error={error} title="没有登记" />
        </div>
      )}
      <div className="sup-form-grid">
        {providers !== null && (
          <div className="field">
            <label htmlFor={id('providerId')}>服务机构</label>
            {problems.providerId && (
              <p id={`${id('providerId')}-err`} className="field-error">
                {problems.providerId}
              </p>
            )}
            <select id={id('providerId')} value={providerId} onChange={(e) => setProviderId(e.target.value)} aria-invalid={problems.providerId ? true : undefined} aria-describedby={problems.providerId ? `${id('providerId')}-err` : undefined}>
              <option value="">请选择服务机构</option>
              {providers.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {field('name', '姓名', <input value={v.name} onChange={set('name')} maxLength={40} autoComplete="off" />)}
        {field('idNumber', '身份证号', <input value={v.idNumber} onChange={set('idNumber')} maxLength={18} autoComplete="off" className="mono" />, '18 位；列表中只显示部分号码')}
        {field('phone', '手机号码（选填）', <input value={v.phone} onChange={set('phone')} maxLength={11} inputMode="numeric" autoComplete="off" />)}
        {field(
          'kind',
          '类别',
          <select value={v.kind} onChange={set('kind')}>
            {CAREGIVER_KINDS.map((k) => (
              <option key={k} value={k}>
                {CAREGIVER_KIND_NAMES[k]}
              </option>
            ))}
          </select>,
        )}
        {field(
          'skillLevel',
          '职业技能等级',
          <select value={v.skillLevel} onChange={set('skillLevel')}>
            <option value="">未评定</option>
            {[5, 4, 3, 2, 1].map((n) => (
              <option key={n} value={String(n)}>
                {SKILL_LEVEL_NAMES[n]}
              </option>
            ))}
          </select>,
        )}
        {field('trainingHours', '培训学时（选填）', <input value={v.trainingHours} onChange={set('trainingHours')} inputMode="numeric" className="input-short" />)}
        {field('healthCertValidTo', '健康证有效期至', <input type="date" value={v.healthCertValidTo} onChange={set('healthCertValidTo')} />, '健康证过期的护理员不能派单')}
        {field(
          'backgroundCheck',
          '背景审查',
          <select value={v.backgroundCheck} onChange={set('backgroundCheck')}>
            <option value="">不填写</option>
            {(['pending', 'passed', 'failed'] as const).map((b) => (
              <option key={b} value={b}>
                {BACKGROUND_NAMES[b]}
              </option>
            ))}
          </select>,
        )}
        {field('backgroundCheckedOn', '审查日期', <input type="date" value={v.backgroundCheckedOn} onChange={set('backgroundCheckedOn')} />)}
        {field('shiftStart', '上班时间（选填）', <input type="time" value={v.shiftStart} onChange={set('shiftStart')} />)}
        {field('shiftEnd', '下班时间（选填）', <input type="time" value={v.shiftEnd} onChange={set('shiftEnd')} />)}
      </div>
      <QualificationsField value={quals} onChange={setQuals} />
      <div className="button-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? '正在登记…' : '登记'}
        </button>
      </div>
    </form>
  );
}

/** The qualification checkboxes (a fieldset with its legend). */
export function QualificationsField({ value, onChange }: { value: Qualification[]; onChange: (q: Qualification[]) => void }) {
  return (
    <fieldset className="sup-fieldset">
      <legend>资质证书</legend>
      <p className="hint">医疗护理（临床护理项目）须由持护士执业证书的护士提供。</p>
      <div className="sup-categories">
        {QUALIFICATIONS.map((q) => (
          <label key={q} className="sup-check">
            <input type="checkbox" value={q} checked={value.includes(q)} onChange={(e) => onChange(e.target.checked ? [...value, q] : value.filter((x) => x !== q))} />
            <span>{QUALIFICATION_NAMES[q]}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function cloneWith(el: ReactElement<Record<string, unknown>>, props: Record<string, unknown>): ReactElement {
  return cloneElement(el, props);
}

// ---------------------------------------------------------------------------------------------

function StatsTab() {
  const id = useId();
  const [load, reload] = useLoad((s) => careApi.caregiverStats(s), []);
  if (load.status !== 'ok') return <LoadStatus load={load} loadingText="正在统计…" failedTitle="无法读取统计" onRetry={reload} />;
  const items = [...load.data.items].sort((a, b) => a.districtCode.localeCompare(b.districtCode) || a.kind.localeCompare(b.kind) || (a.skillLevel ?? 9) - (b.skillLevel ?? 9) || a.status.localeCompare(b.status));
  const total = items.reduce((s, x) => s + x.count, 0);
  const active = items.filter((x) => x.status === 'active').reduce((s, x) => s + x.count, 0);
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>护理员统计（按区、类别、等级、状态）</h3>
      <p data-testid="care-cg-stats-total">
        共 {total} 名，其中在岗 {active} 名。统计不含个人信息。
      </p>
      {items.length === 0 ? (
        <p className="empty">还没有登记护理员。</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
          <table className="data-table" data-testid="care-cg-stats">
            <thead>
              <tr>
                <th scope="col">区</th>
                <th scope="col">类别</th>
                <th scope="col">职业技能等级</th>
                <th scope="col">状态</th>
                <th scope="col" className="num">
                  人数
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={`${s.districtCode}-${s.kind}-${s.skillLevel}-${s.status}`}>
                  <td>{s.districtName || s.districtCode}</td>
                  <td>{CAREGIVER_KIND_NAMES[s.kind] ?? s.kind}</td>
                  <td>{s.skillLevel ? SKILL_LEVEL_NAMES[s.skillLevel] : '未评定'}</td>
                  <td>{CAREGIVER_STATUS_NAMES[s.status] ?? s.status}</td>
                  <td className="num">{s.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
