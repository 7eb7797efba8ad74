// One caregiver (/workbench/care/caregivers/:id, issue 8 §1): the record with its employment
// history (a move between providers keeps one record), and for the roles that keep the register
// (care.caregivers.manage): change qualifications, grade, training, certificates, working hours or
// status — 离职 needs a reason and ends the employment — and link the phone account by username.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api.ts';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { todayLocalDate } from '../../components/EntitlementResult.tsx';
import { usePageTitle } from '../../prefs.tsx';
import { useUser } from '../auth.tsx';
import { useLoad } from '../supply/shared.tsx';
import {
  BACKGROUND_NAMES, CAREGIVER_KIND_NAMES, CAREGIVER_KINDS, CAREGIVER_STATUS_NAMES, CAREGIVER_STATUSES, careApi, may, SERVICE_KIND_NAMES, SKILL_LEVEL_NAMES,
  type Caregiver, type CaregiverPatch, type CaregiverStatus, type Qualification,
} from './api.ts';
import { CareGate } from './CareNav.tsx';
import { CertExpiry, QualificationsField } from './CaregiversPage.tsx';
import { CareHeader, ServerProblem } from './shared.tsx';

export function CaregiverPage() {
  return (
    <CareGate tab="caregivers">
      <CaregiverBody />
    </CareGate>
  );
}

function CaregiverBody() {
  const { id = '' } = useParams();
  const user = useUser();
  const [load, reload, replace] = useLoad((s) => careApi.caregiver(id, s), [id]);
  usePageTitle(load.status === 'ok' ? `护理员 ${load.data.name}` : '护理员');
  const back = (
    <p className="back-link">
      <Link to="/workbench/care/caregivers">
        <span aria-hidden="true">← </span>返回护理员信息库
      </Link>
    </p>
  );
  if (load.status !== 'ok') {
    return (
      <>
        {back}
        <h1>护理员</h1>
        <LoadStatus load={load} loadingText="正在读取护理员信息…" failedTitle="无法读取护理员信息" onRetry={reload} />
      </>
    );
  }
  const c = load.data;
  const canManage = may(user.role, 'care.caregivers.manage') && c.status !== 'left';
  return (
    <>
      {back}
      <CareHeader title={`护理员 ${c.name}`} />
      <Details c={c} />
      <Employment c={c} />
      {canManage && <EditForm c={c} onSaved={replace} />}
      {canManage && <AccountForm c={c} onSaved={replace} />}
    </>
  );
}

function Details({ c }: { c: Caregiver }) {
  const id = useId();
  const today = todayLocalDate();
  const rows: [string, ReactNode][] = [
    ['身份证号', <span className="mono">{c.idNumber}</span>],
    ['性别', c.gender === 'F' ? '女' : c.gender === 'M' ? '男' : ''],
    ['出生日期', c.birthDate ?? ''],
    ['手机号码', c.phone ? <span className="mono">{c.phone}</span> : '未登记'],
    ['类别', c.kindName],
    ['职业技能等级', c.skillLevelName ?? '未评定'],
    ['资质证书', c.qualificationNames.length ? c.qualificationNames.join('、') : '无'],
    ['可提供的服务', c.serviceKinds.map((k) => SERVICE_KIND_NAMES[k]).join('、')],
    ['培训学时', `${c.trainingHours} 学时`],
    ['健康证有效期', <CertExpiry date={c.healthCertValidTo} today={today} />],
    ['背景审查', `${BACKGROUND_NAMES[c.backgroundCheck]}${c.backgroundCheckedOn ? `（${c.backgroundCheckedOn}）` : ''}`],
    ['工作时间', `${c.shiftStart}–${c.shiftEnd}`],
    ['状态', `${c.statusName}${c.statusReason ? `（${c.statusReason}）` : ''}`],
    ['能否派单', c.unfit ? `暂不能派单：${c.unfit}` : '可以派单'],
    ['任职机构', c.providerName ?? '无'],
    ['所在区', c.districtName],
    ['手机端账号', c.hasAccount ? '已关联' : '未关联'],
  ];
  return (
    <section className="card section-card" aria-labelledby={id} data-testid="care-cg-details">
      <h2 id={id}>基本信息</h2>
      <dl className="field-list">
        {rows.map(([label, value]) => (
          <div key={label} className="field-row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Employment({ c }: { c: Caregiver }) {
  const id = useId();
  const list = c.employment ?? [];
  return (
    <section className="card section-card" aria-labelledby={id}>
      <h2 id={id}>任职经历</h2>
      {list.length === 0 ? (
        <p className="empty">没有任职记录。</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
          <table className="data-table" data-testid="care-cg-employment">
            <thead>
              <tr>
                <th scope="col">机构</th>
                <th scope="col">起</th>
                <th scope="col">止</th>
                <th scope="col">离开原因</th>
              </tr>
            </thead>
            <tbody>
              {list.map((e, i) => (
                <tr key={`${e.providerId}-${e.from}-${i}`}>
                  <td>{e.providerName}</td>
                  <td>{e.from}</td>
                  <td>{e.to ?? '至今'}</td>
                  <td>{e.endReason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function EditForm({ c, onSaved }: { c: Caregiver; onSaved: (c: Caregiver) => void }) {
  const form = 'care-cg-edit';
  const [v, setV] = useState(() => fromCaregiver(c));
  const [quals, setQuals] = useState<Qualification[]>(c.qualifications);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  const savedRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    setV(fromCaregiver(c));
    setQuals(c.qualifications);
  }, [c.updatedAt]);
  useEffect(() => {
    if (saved) savedRef.current?.focus();
  }, [saved]);
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => {
    setSaved(false);
    setV({ ...v, [k]: e.target.value });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setError(null);
    setSaved(false);
    const leaving = v.status !== c.status && v.status !== 'active';
    if (leaving && !v.statusReason.trim()) {
      setProblem(v.status === 'left' ? '离职须写明原因' : '暂停服务须写明原因');
      document.getElementById(`${form}-statusReason`)?.focus();
      return;
    }
    setProblem(null);
    const patch: CaregiverPatch = {
      kind: v.kind, skillLevel: v.skillLevel ? Number(v.skillLevel) : null, qualifications: quals, trainingHours: Number(v.trainingHours) || 0, healthCertValidTo: v.healthCertValidTo || null,
      backgroundCheck: v.backgroundCheck, backgroundCheckedOn: v.backgroundCheckedOn || null, shiftStart: v.shiftStart, shiftEnd: v.shiftEnd,
      ...(v.status !== c.status ? { status: v.status, statusReason: v.statusReason.trim() || null } : {}),
    };
    setBusy(true);
    try {
      onSaved(await careApi.updateCaregiver(c.id, patch));
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card section-card" onSubmit={submit} noValidate aria-labelledby={`${form}-title`} data-testid="care-cg-edit">
      <h2 id={`${form}-title`}>修改资质与状态</h2>
      {error !== null && <ServerProblem error={error} title="没有保存" />}
      {saved && (
        <p className="notice" role="status" tabIndex={-1} ref={savedRef}>
          已保存。
        </p>
      )}
      <div className="sup-form-grid">
        <div className="field">
          <label htmlFor={`${form}-kind`}>类别</label>
          <select id={`${form}-kind`} value={v.kind} onChange={set('kind')}>
            {CAREGIVER_KINDS.map((k) => (
              <option key={k} value={k}>
                {CAREGIVER_KIND_NAMES[k]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${form}-level`}>职业技能等级</label>
          <select id={`${form}-level`} value={v.skillLevel} onChange={set('skillLevel')}>
            <option value="">未评定</option>
            {[5, 4, 3, 2, 1].map((n) => (
              <option key={n} value={String(n)}>
                {SKILL_LEVEL_NAMES[n]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${form}-training`}>培训学时</label>
          <input id={`${form}-training`} value={v.trainingHours} onChange={set('trainingHours')} inputMode="numeric" className="input-short" />
        </div>
        <div className="field">
          <label htmlFor={`${form}-cert`}>健康证有效期至</label>
          <input id={`${form}-cert`} type="date" value={v.healthCertValidTo} onChange={set('healthCertValidTo')} />
        </div>
        <div className="field">
          <label htmlFor={`${form}-bg`}>背景审查</label>
          <select id={`${form}-bg`} value={v.backgroundCheck} onChange={set('backgroundCheck')}>
            {(['pending', 'passed', 'failed'] as const).map((b) => (
              <option key={b} value={b}>
                {BACKGROUND_NAMES[b]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${form}-bgOn`}>审查日期</label>
          <input id={`${form}-bgOn`} type="date" value={v.backgroundCheckedOn} onChange={set('backgroundCheckedOn')} />
        </div>
        <div className="field">
          <label htmlFor={`${form}-shiftStart`}>上班时间</label>
          <input id={`${form}-shiftStart`} type="time" value={v.shiftStart} onChange={set('shiftStart')} />
        </div>
        <div className="field">
          <label htmlFor={`${form}-shiftEnd`}>下班时间</label>
          <input id={`${form}-shiftEnd`} type="time" value={v.shiftEnd} onChange={set('shiftEnd')} />
        </div>
        <div className="field">
          <label htmlFor={`${form}-status`}>状态</label>
          <select id={`${form}-status`} value={v.status} onChange={set('status')}>
            {CAREGIVER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {CAREGIVER_STATUS_NAMES[s]}
              </option>
            ))}
          </select>
        </div>
        {v.status !== c.status && v.status !== 'active' && (
          <div className="field sup-wide">
            <label htmlFor={`${form}-statusReason`}>{v.status === 'left' ? '离职原因' : '暂停原因'}</label>
            <p id={`${form}-statusReason-hint`} className="hint">
              必填。{v.status === 'left' ? '离职后任职结束，护理员不再属于本机构。' : ''}
            </p>
            {problem && (
              <p id={`${form}-statusReason-err`} className="field-error">
                {problem}
              </p>
            )}
            <input
              id={`${form}-statusReason`}
              value={v.statusReason}
              onChange={set('statusReason')}
              maxLength={200}
              aria-invalid={problem ? true : undefined}
              aria-describedby={`${form}-statusReason-hint${problem ? ` ${form}-statusReason-err` : ''}`}
            />
          </div>
        )}
      </div>
      <QualificationsField value={quals} onChange={setQuals} />
      <div className="button-row">
        <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
          {busy ? '正在保存…' : '保存修改'}
        </button>
      </div>
    </form>
  );
}

function fromCaregiver(c: Caregiver) {
  return {
    kind: c.kind, skillLevel: c.skillLevel ? String(c.skillLevel) : '', trainingHours: String(c.trainingHours), healthCertValidTo: c.healthCertValidTo ?? '', backgroundCheck: c.backgroundCheck,
    backgroundCheckedOn: c.backgroundCheckedOn ?? '', shiftStart: c.shiftStart, shiftEnd: c.shiftEnd, status: c.status as CaregiverStatus, statusReason: '',
  };
}

function AccountForm({ c, onSaved }: { c: Caregiver; onSaved: (c: Caregiver) => void }) {
  const id = useId();
  const [username, setUsername] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (!username.trim()) {
      setProblem('请填写账号的用户名');
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      onSaved(await careApi.linkAccount(c.id, username.trim()));
      setDone(true);
    } catch (err) {
      setProblem(err instanceof ApiError && err.message ? err.message : '没有关联，请稍后再试');
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card section-card" onSubmit={submit} noValidate aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>手机端账号</h2>
      <p>护理员用此账号登录手机端，查看当天的上门服务并签到签退。{c.hasAccount ? '现已关联一个账号；填写新的用户名可改为关联另一个。' : '尚未关联账号。'}</p>
      {done && <p role="status">已关联账号 {username}。</p>}
      <div className="care-inline-form">
        <div className="field">
          <label htmlFor={id}>用户名</label>
          <p id={`${id}-hint`} className="hint">
            须为本辖区“护理员”角色的账号
          </p>
          {problem && (
            <p id={`${id}-err`} className="field-error">
              {problem}
            </p>
          )}
          <input id={id} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" aria-invalid={problem ? true : undefined} aria-describedby={`${id}-hint${problem ? ` ${id}-err` : ''}`} />
        </div>
        <button type="submit" className="button button-secondary" aria-disabled={busy || undefined}>
          {busy ? '正在关联…' : '关联账号'}
        </button>
      </div>
    </form>
  );
}
