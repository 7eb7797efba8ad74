// One facility (/workbench/supply/facilities/:id, supply.read): its filing with the next steps
// (提交审核; 通过 or 退回 for an officer; 停业, with reasons), its information with 修改, and for a
// residential facility its rooms and beds — the bed grid (status changed by keyboard or pointer),
// the vacancy counts, 「确认空床信息无变化」 with the last confirmed time and a stale warning in
// words, 新增房间 — then the beds' history and the facility's change log.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { LoadStatus } from '../../components/LoadStatus.tsx';
import { errorText } from '../../format.ts';
import { usePageTitle, usePrefs } from '../../prefs.tsx';
import { useDistricts } from '../assessments/names.ts';
import { useUser } from '../auth.tsx';
import { NotFoundPage } from '../NotFoundPage.tsx';
import { BED_KINDS, SUPPLY_MANAGE, SUPPLY_READ, SUPPLY_REVIEW, supplyApi, type Bed, type BedKind, type BedStatus, type Catalogue, type FacilityDetail } from './api.ts';
import { BED_KIND_NAMES, BED_STATUS_NAMES, BedGrid } from './BedGrid.tsx';
import { FacilityForm } from './FacilityForm.tsx';
import { ReasonDialog } from '../../components/ReasonDialog.tsx';
import { ChangeTable } from './SupplyPage.tsx';
import { num, StatusTag, unitName, useCatalogue, useDateTime, useLoad, yuanText } from './shared.tsx';

const HISTORY_SHOWN = 20;

export function FacilityPage() {
  const user = useUser();
  const { id = '' } = useParams();
  if (!SUPPLY_READ.includes(user.role)) return <NotFoundPage home="/workbench" />;
  return <FacilityBody key={id} id={id} />;
}

type Outcome = { ok: boolean; text: string } | null;
type Move = 'submit' | 'approve' | 'reject' | 'close';

function FacilityBody({ id }: { id: string }) {
  const { t } = usePrefs();
  const user = useUser();
  const when = useDateTime();
  const location = useLocation();
  const catalogue = useCatalogue();
  const districts = useDistricts(user.regionCode);
  const [load, reload, setFacility] = useLoad((s) => supplyApi.facility(id, s), [id]);
  const [historyAttempt, setHistoryAttempt] = useState(0);
  const [history, reloadHistory] = useLoad((s) => supplyApi.bedHistory(id, s), [id, historyAttempt]);
  const [changes, reloadChanges] = useLoad((s) => supplyApi.changes({ facilityId: id }, s), [id, historyAttempt]);
  const [outcome, setOutcome] = useState<Outcome>(() => {
    const notice = (location.state as { notice?: string } | null)?.notice;
    return notice ? { ok: true, text: notice } : null;
  });
  const [editing, setEditing] = useState(false);
  const [asking, setAsking] = useState<'reject' | 'close' | null>(null);
  const [busy, setBusy] = useState(false);
  const [historyAll, setHistoryAll] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const ids = { info: useId(), filing: useId(), beds: useId(), history: useId(), changes: useId(), prices: useId(), room: useId(), edit: useId() };
  const f = load.status === 'ok' ? load.data : null;
  usePageTitle(f ? `${f.name} - 服务设施` : '服务设施');

  const refreshed = (next: FacilityDetail, text: string) => {
    setFacility(next);
    setOutcome({ ok: true, text });
    setHistoryAttempt((n) => n + 1);
  };

  const move = async (action: Move, note?: string) => {
    if (!f || busy) return;
    setBusy(true);
    setOutcome(null);
    try {
      const next = await supplyApi.moveFacility(f.id, action, note);
      const done = { submit: '已提交审核，等待民政部门审核。', approve: '已通过备案，设施已在“找服务”中公开。', reject: `已退回：${note ?? ''}`, close: `已停业：${note ?? ''}` }[action];
      refreshed(next, done);
      setAsking(null);
    } catch (e) {
      if (action === 'reject' || action === 'close') throw e;
      setOutcome({ ok: false, text: errorText(e, t) });
    } finally {
      setBusy(false);
    }
  };

  const saveBed = async (bed: Bed, status: BedStatus, note: string): Promise<boolean> => {
    if (!f) return false;
    setOutcome(null);
    try {
      const r = await supplyApi.setBeds(f.id, [{ bedId: bed.id, status, note: note || null }]);
      const vacant = r.facility.beds?.vacant ?? 0;
      refreshed(
        r.facility,
        r.changed ? `床位 ${bed.label} 已改为“${BED_STATUS_NAMES[status]}”。现有空闲床位 ${num(vacant)} 张，空床信息已确认。` : `床位 ${bed.label} 的状态没有变化；空床信息已确认。`,
      );
      return true;
    } catch (e) {
      setOutcome({ ok: false, text: errorText(e, t) });
      return false;
    }
  };

  const confirmVacancy = async () => {
    if (!f || busy) return;
    setBusy(true);
    setOutcome(null);
    try {
      const next = await supplyApi.confirmVacancy(f.id);
      refreshed(next, `已确认空床信息：空闲床位 ${num(next.beds?.vacant ?? 0)} 张，确认时间 ${when(next.vacancyConfirmedAt)}。`);
    } catch (e) {
      setOutcome({ ok: false, text: errorText(e, t) });
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    if (!editing) heading.current?.focus();
    // back from editing: the page's heading again
  }, [editing]);

  if (!f) {
    return (
      <>
        <p>
          <Link to="/workbench/supply" className="back-link">
            返回服务设施
          </Link>
        </p>
        <h1>服务设施</h1>
        <LoadStatus load={load} loadingText="正在读取设施…" failedTitle="无法读取设施" onRetry={reload} />
      </>
    );
  }

  const manage = SUPPLY_MANAGE.includes(user.role) && f.status !== 'closed';
  const review = SUPPLY_REVIEW.includes(user.role) && f.status === 'submitted';
  const canSubmit = SUPPLY_MANAGE.includes(user.role) && (f.status === 'draft' || f.status === 'rejected');
  const typeDistricts = user.role === 'provider' ? [{ code: f.districtCode, name: catalogue?.districts.find((d) => d.code === f.districtCode)?.name ?? f.districtCode }] : districts;
  const historyItems = history.status === 'ok' ? (historyAll ? history.data.items : history.data.items.slice(0, HISTORY_SHOWN)) : [];

  return (
    <>
      <p>
        <Link to="/workbench/supply" className="back-link">
          返回服务设施
        </Link>
      </p>
      <h1 ref={heading} tabIndex={-1} className="sup-title">
        {f.name} <StatusTag status={f.status} name={f.statusName} />
      </h1>
      <div role="status" className={outcome?.ok ? 'notice' : 'status-slot'} data-testid="sup-outcome">
        {outcome?.ok && <p>{outcome.text}</p>}
      </div>
      {outcome && !outcome.ok && (
        <div className="notice notice-error" role="alert" data-testid="sup-error">
          <p className="notice-title">没有完成</p>
          <p>{outcome.text}</p>
        </div>
      )}

      <section aria-labelledby={ids.filing} className="card section-card">
        <h2 id={ids.filing}>备案</h2>
        <dl className="field-list">
          <Row label="备案状态">{f.statusName}</Row>
          {f.reviewNote && <Row label={f.status === 'closed' ? '停业原因' : '审核意见'}>{f.reviewNote}</Row>}
          {f.reviewedAt && <Row label="审核时间">{when(f.reviewedAt)}</Row>}
          <Row label="最后修改">{when(f.updatedAt)}</Row>
        </dl>
        {f.status === 'draft' && <p>草稿只有本机构可见。核对无误后提交审核。</p>}
        {f.status === 'rejected' && <p>备案被退回：请按审核意见修改后重新提交。</p>}
        <div className="button-row">
          {canSubmit && (
            <button type="button" className="button button-primary" onClick={() => void move('submit')} aria-disabled={busy || undefined}>
              提交审核
            </button>
          )}
          {review && (
            <>
              <button type="button" className="button button-primary" onClick={() => void move('approve')} aria-disabled={busy || undefined}>
                通过备案
              </button>
              <button type="button" className="button button-secondary" onClick={() => setAsking('reject')}>
                退回
              </button>
            </>
          )}
          {manage && (
            <button type="button" className="button button-secondary" onClick={() => setAsking('close')}>
              停业
            </button>
          )}
        </div>
      </section>

      <section aria-labelledby={ids.info} className="card section-card">
        <h2 id={ids.info}>设施信息</h2>
        {!editing && (
          <>
            <dl className="field-list">
              <Row label="设施类型">{f.typeName}</Row>
              <Row label="所属机构">{f.providerName}</Row>
              <Row label="运营性质">{f.ownershipName}</Row>
              <Row label="保基本">{f.basicGuarantee ? '是' : '否'}</Row>
              <Row label="地址">{f.address}</Row>
              <Row label="位置">
                东经 {f.lon}，北纬 {f.lat}
              </Row>
              <Row label="建筑面积">{num(f.floorAreaM2)} 平方米</Row>
              <Row label="开放时间">{f.openingHours || '未填写'}</Row>
              <Row label="联系电话">{f.phone}</Row>
              <Row label="供餐能力">{f.mealCapacity ? `${num(f.mealCapacity)} 份/日` : '不供餐'}</Row>
              {f.openedOn && <Row label="开业日期">{f.openedOn}</Row>}
              <Row label="服务功能">{f.functionNames.length ? f.functionNames.join('、') : '未填写'}</Row>
            </dl>
            {f.description && <p className="sup-description">{f.description}</p>}
            <h3 id={ids.prices}>收费标准</h3>
            {f.prices.length === 0 ? (
              <p className="empty">未填写收费标准。</p>
            ) : (
              <div className="table-scroll" role="region" aria-labelledby={ids.prices} tabIndex={0}>
                <table className="data-table sup-table">
                  <thead>
                    <tr>
                      <th scope="col">收费项目</th>
                      <th scope="col">类别</th>
                      <th scope="col" className="num">
                        金额
                      </th>
                      <th scope="col">适用照护等级</th>
                    </tr>
                  </thead>
                  <tbody>
                    {f.prices.map((p) => (
                      <tr key={p.item}>
                        <th scope="row">{p.item}</th>
                        <td>{catalogue?.priceCategories.find((c) => c.code === p.category)?.name ?? p.category}</td>
                        <td className="num">
                          {yuanText(p.fen)}/{unitName(p.unit)}
                        </td>
                        <td>{p.grades?.length ? p.grades.map((g) => `${g} 级`).join('、') : '全部'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {manage && (
              <p>
                <button type="button" className="button button-secondary" onClick={() => setEditing(true)}>
                  修改设施信息
                </button>
              </p>
            )}
          </>
        )}
        {editing && catalogue && (
          <EditFacility
            f={f}
            catalogue={catalogue}
            districts={typeDistricts}
            onDone={(next) => {
              setEditing(false);
              refreshed(next, '已保存设施信息，修改已记入变更记录。');
            }}
            onCancel={() => setEditing(false)}
          />
        )}
      </section>

      {f.residential && (
        <section aria-labelledby={ids.beds} className="card section-card">
          <h2 id={ids.beds}>房间和床位</h2>
          <VacancySummary f={f} />
          <div className="sup-confirm">
            <p data-testid="sup-confirmed">
              空床信息最后确认：{f.vacancyConfirmedAt ? `${when(f.vacancyConfirmedAt)}（${f.vacancyDays === 0 ? '今天' : `${f.vacancyDays} 天前`}）` : '从未确认'}
            </p>
            {f.vacancyStale && (
              <p className="notice notice-error sup-stale" data-testid="sup-stale">
                <span aria-hidden="true">⚠ </span>
                空床信息已超过 {catalogue?.staleAfterDays ?? 7} 天未确认，“找服务”中显示为“可能已过期”。床位没有变化也请确认一次。
              </p>
            )}
            {manage && (
              <button type="button" className="button button-primary" onClick={() => void confirmVacancy()} aria-disabled={busy || undefined}>
                确认空床信息无变化
              </button>
            )}
          </div>
          <h3>床位</h3>
          <BedGrid rooms={f.roomList} beds={f.bedList} canEdit={manage} onSave={saveBed} />
          {manage && <AddRoom facility={f} titleId={ids.room} onDone={(next, text) => refreshed(next, text)} />}
        </section>
      )}

      {f.residential && (
        <section aria-labelledby={ids.history} className="card section-card">
          <h2 id={ids.history}>床位变更历史</h2>
          <LoadStatus load={history} loadingText="正在读取床位变更历史…" failedTitle="无法读取床位变更历史" onRetry={reloadHistory} />
          {history.status === 'ok' && history.data.items.length === 0 && <p className="empty">还没有床位变更。</p>}
          {historyItems.length > 0 && (
            <div className="table-scroll" role="region" aria-labelledby={ids.history} tabIndex={0}>
              <table className="data-table sup-table" data-testid="sup-bed-history">
                <thead>
                  <tr>
                    <th scope="col">时间</th>
                    <th scope="col">床位</th>
                    <th scope="col">原状态</th>
                    <th scope="col">新状态</th>
                    <th scope="col">备注</th>
                  </tr>
                </thead>
                <tbody>
                  {historyItems.map((e) => (
                    <tr key={e.id}>
                      <td>{when(e.at)}</td>
                      <th scope="row">{e.label}</th>
                      <td>{e.fromName ?? '（新增）'}</td>
                      <td>{e.toName}</td>
                      <td className="sup-wrap">{e.note ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {history.status === 'ok' && !historyAll && history.data.items.length > HISTORY_SHOWN && (
            <p className="load-more">
              <button type="button" className="button button-secondary" onClick={() => setHistoryAll(true)}>
                显示全部 {history.data.items.length} 条
              </button>
            </p>
          )}
        </section>
      )}

      <section aria-labelledby={ids.changes} className="card section-card">
        <h2 id={ids.changes}>变更记录</h2>
        <LoadStatus load={changes} loadingText="正在读取变更记录…" failedTitle="无法读取变更记录" onRetry={reloadChanges} />
        {changes.status === 'ok' &&
          (changes.data.items.length === 0 ? <p className="empty">没有变更记录。</p> : <ChangeTable items={changes.data.items} titleId={ids.changes} showFacility={false} />)}
      </section>

      {asking && (
        <ReasonDialog
          title={asking === 'reject' ? `退回备案：${f.name}` : `停业：${f.name}`}
          intro={asking === 'reject' ? '退回后机构可以修改后重新提交。请写明需要改正的地方。' : '停业后设施不再在“找服务”中显示，也不能再修改。请写明停业原因。'}
          confirm={asking === 'reject' ? '退回' : '确认停业'}
          onSend={(reason) => move(asking, reason)}
          onDismiss={() => setAsking(null)}
        />
      )}
    </>
  );
}

function Row({ label, children }: { label: ReactNode; children: ReactNode }) {
  return (
    <div className="field-row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function VacancySummary({ f }: { f: FacilityDetail }) {
  const v = f.beds;
  if (!v) return <p className="empty">还没有床位。</p>;
  const stats: [string, number, string][] = [
    ['在用床位', v.total, 'total'],
    ['空闲', v.vacant, 'vacant'],
    ['已入住', v.occupied, 'occupied'],
    ['已预留', v.reserved, 'reserved'],
    ['停用', v.outOfService, 'outOfService'],
    ['保基本空闲', v.basicVacant, 'basicVacant'],
  ];
  return (
    <dl className="stats sup-stats" aria-label="床位数" data-testid="sup-vacancy">
      {stats.map(([label, n, key]) => (
        <div key={key} className="stat" data-figure={key}>
          <dt>{label}</dt>
          <dd>{num(n)} 张</dd>
        </div>
      ))}
    </dl>
  );
}

function EditFacility({
  f,
  catalogue,
  districts,
  onDone,
  onCancel,
}: {
  f: FacilityDetail;
  catalogue: Catalogue;
  districts: readonly { code: string; name: string }[];
  onDone: (next: FacilityDetail) => void;
  onCancel: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <>
      <h3 ref={heading} tabIndex={-1}>
        修改设施信息
      </h3>
      <p>修改会记入变更记录；已备案的设施修改后立即在“找服务”中更新。</p>
      <FacilityForm
        catalogue={catalogue}
        districts={districts.length ? districts : [{ code: f.districtCode, name: f.districtCode }]}
        initial={f}
        submitLabel="保存修改"
        busyLabel="正在保存…"
        onSubmit={async (input) => {
          const { providerId: _p, ...body } = input;
          onDone(await supplyApi.updateFacility(f.id, body));
        }}
        onCancel={onCancel}
      />
    </>
  );
}

function AddRoom({ facility, titleId, onDone }: { facility: FacilityDetail; titleId: string; onDone: (next: FacilityDetail, text: string) => void }) {
  const { t } = usePrefs();
  const ids = { name: useId(), floor: useId(), count: useId(), kind: useId(), basic: useId(), err: useId() };
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [floor, setFloor] = useState('');
  const [count, setCount] = useState('2');
  const [kind, setKind] = useState<BedKind>('nursing');
  const [basic, setBasic] = useState(facility.basicGuarantee);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    if (open) heading.current?.focus();
  }, [open]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const p: Record<string, string> = {};
    if (!name.trim()) p.name = '请填写房间号。';
    if (floor.trim() && !/^-?\d{1,3}$/.test(floor.trim())) p.floor = '楼层应为整数，例如 3；地下一层填 -1。';
    const n = Number(count);
    if (!/^\d+$/.test(count.trim()) || n < 1 || n > 20) p.count = '床位数应为 1 到 20 之间的整数。';
    setProblems(p);
    setFailure(null);
    const first = ['name', 'floor', 'count'].find((k) => p[k]);
    if (first) return document.getElementById(ids[first as 'name'])?.focus();
    setBusy(true);
    try {
      const next = await supplyApi.addRoom(facility.id, {
        name: name.trim(),
        floor: floor.trim() ? Number(floor) : null,
        beds: Array.from({ length: n }, () => ({ kind, basicGuarantee: basic })),
      });
      onDone(next, `已新增房间 ${name.trim()}，${n} 张${BED_KIND_NAMES[kind]}（空闲）。`);
      setOpen(false);
      setName('');
    } catch (err) {
      setFailure(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  const described = (k: string, id: string) => (problems[k] ? `${id}-err` : undefined);
  if (!open) {
    return (
      <p>
        <button type="button" className="button button-secondary" onClick={() => setOpen(true)}>
          新增房间
        </button>
      </p>
    );
  }
  return (
    <div className="sup-room-form">
      <h3 id={titleId} ref={heading} tabIndex={-1}>
        新增房间
      </h3>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack" aria-labelledby={titleId} aria-busy={busy || undefined}>
        {failure && (
          <div className="notice notice-error" role="alert">
            <p className="notice-title">没有新增</p>
            <p>{failure}</p>
          </div>
        )}
        <div className="sup-form-grid">
          {(
            [
              ['name', ids.name, '房间号', name, setName, 'text'],
              ['floor', ids.floor, '楼层（可不填）', floor, setFloor, 'numeric'],
              ['count', ids.count, '床位数', count, setCount, 'numeric'],
            ] as const
          ).map(([k, id, label, value, set, mode]) => (
            <div className="field" key={k}>
              <label htmlFor={id}>{label}</label>
              {problems[k] && (
                <p id={`${id}-err`} className="field-error">
                  {problems[k]}
                </p>
              )}
              <input
                id={id}
                value={value}
                onChange={(e) => set(e.target.value)}
                inputMode={mode === 'numeric' ? 'numeric' : undefined}
                autoComplete="off"
                className="input-short"
                aria-invalid={problems[k] ? true : undefined}
                aria-describedby={described(k, id)}
              />
            </div>
          ))}
          <div className="field">
            <label htmlFor={ids.kind}>床位类型</label>
            <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value as BedKind)}>
              {BED_KINDS.map((k) => (
                <option key={k} value={k}>
                  {BED_KIND_NAMES[k]}
                </option>
              ))}
            </select>
          </div>
          <div className="field sup-check-field">
            <label className="sup-check">
              <input id={ids.basic} type="checkbox" checked={basic} onChange={(e) => setBasic(e.target.checked)} />
              <span>保基本床位</span>
            </label>
          </div>
        </div>
        <div className="button-row">
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {busy ? '正在新增…' : '新增房间和床位'}
          </button>
          <button type="button" className="button button-secondary" onClick={() => setOpen(false)}>
            取消
          </button>
        </div>
      </form>
    </div>
  );
}
