// One visit on the caregiver's phone (issue 8 §4, §5), in the order of the work, with big buttons:
// 签到 — the elder's side first (the code of the home tag or of the elder's phone, typed in, or
// read from a photo of the tag's QR where the browser can), then the time and one position
// (never tracked in between; a refusal is said and kept); 服务项目 ticked from the day's LTCI
// item list, 备注, 拍照 (made ≤ 1600 px JPEG on the phone); 签退 with the time and one position.
// Every step is saved on the phone at once (queue.ts) and sent when online (sync.ts); what is
// being filled in is kept too, so a reload loses nothing.
import { useEffect, useId, useMemo, useRef, useState, type ChangeEvent } from 'react';
import { Link, useParams } from 'react-router';
import { usePageTitle } from '../prefs.tsx';
import { canScanQr, LOCATION_TEXT, metersBetween, MAX_PHOTO_SIDE, scanTag } from './device.ts';
import { mapUrl, Notices, visitState } from './DayScreen.tsx';
import { clock, distanceText, endOf, minutesText, SERVICE_KIND_NAMES } from './format.ts';
import { loadDraft, saveDraft, type VisitDraft } from './idb.ts';
import type { CatalogueItem, LocationStatus, ShownItem } from './queue.ts';
import { useCarer } from './useCarer.tsx';

type ProofChoice = VisitDraft['proofKind'];
type Draft = Pick<VisitDraft, 'proofKind' | 'code' | 'items' | 'note' | 'checkInLocation' | 'checkOutLocation'>;

const PROOF_OPTIONS: { value: ProofChoice; title: string; hint: string }[] = [
  { value: 'tag', title: '入户码', hint: '贴在老人家里的二维码下方的 6 位数字' },
  { value: 'elder_phone', title: '老人手机上的确认码', hint: '老人或家属在“我的居家照护”里打开的 6 位数字' },
  { value: 'none', title: '没有确认码', hint: '本次服务会被标记，机构将电话回访核实' },
];

export function VisitScreen() {
  const { orderId = '' } = useParams();
  const c = useCarer();
  const item = c.items.find((i) => i.orderId === orderId) ?? null;
  usePageTitle(item ? `${item.personName} - 上门服务` : '上门服务');

  if (!item) {
    return (
      <>
        <p className="back-link">
          <Link to="/carer">← 返回今日服务</Link>
        </p>
        <h1>上门服务</h1>
        {c.dayStatus === 'loading' ? (
          <p role="status" className="loading">
            正在读取…
          </p>
        ) : (
          <p className="notice">今天的服务安排里没有这次服务。它可能已被改派或取消；请返回今日服务查看。</p>
        )}
      </>
    );
  }
  return <Visit key={item.orderId} item={item} catalogue={c.day?.catalogue ?? []} />;
}

function Visit({ item, catalogue }: { item: ShownItem; catalogue: CatalogueItem[] }) {
  const c = useCarer();
  const [draft, setDraft] = useState<Draft>({ proofKind: 'tag', code: '', items: [], note: '' });
  const [loaded, setLoaded] = useState(false);
  const [announce, setAnnounce] = useState('');
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const state = visitState(item);
  const names = useMemo(() => new Map(catalogue.map((x) => [x.code, x.name])), [catalogue]);

  useEffect(() => {
    let live = true;
    void loadDraft(c.user.id, item.orderId).then((d) => {
      if (!live) return;
      if (d) setDraft({ proofKind: d.proofKind, code: d.code, items: d.items, note: d.note, checkInLocation: d.checkInLocation, checkOutLocation: d.checkOutLocation });
      setLoaded(true);
    });
    return () => {
      live = false;
    };
  }, [c.user.id, item.orderId]);

  const change = (patch: Partial<Draft>) => {
    setDraft((d) => {
      const next = { ...d, ...patch };
      void saveDraft({ owner: c.user.id, orderId: item.orderId, ...next });
      return next;
    });
  };

  // After 签到 / 签退 the next step's heading takes the focus, once it is on the page.
  const focusPending = useRef(false);
  useEffect(() => {
    if (focusPending.current && stepHeading.current) {
      focusPending.current = false;
      stepHeading.current.focus();
    }
  });
  const focusStep = () => {
    focusPending.current = true;
  };
  const url = mapUrl(item);

  return (
    <>
      <p className="back-link">
        <Link to="/carer">← 返回今日服务</Link>
      </p>
      <h1 className="carer-title">{item.personName}</h1>
      <Notices />
      <dl className="carer-facts">
        <div>
          <dt>时间</dt>
          <dd>
            {clock(item.startsAt)}–{clock(endOf(item.startsAt, item.minutes))}（{minutesText(item.minutes)}，{SERVICE_KIND_NAMES[item.kind] ?? item.kind}
            {item.payer === 'self' ? '，自费' : ''}）
          </dd>
        </div>
        <div>
          <dt>地址</dt>
          <dd>
            {item.address ?? '（没有登记地址）'}
            {url && (
              <>
                {' '}
                <a href={url} target="_blank" rel="noopener noreferrer">
                  在地图中打开<span className="visually-hidden">（新窗口）</span>
                </a>
              </>
            )}
          </dd>
        </div>
        {item.items.length > 0 && (
          <div>
            <dt>计划的服务项目</dt>
            <dd>{item.items.map((x) => names.get(x) ?? x).join('、')}</dd>
          </div>
        )}
        <div>
          <dt>状态</dt>
          <dd>
            <span className="tag" data-state={state.key} data-testid="carer-visit-state">
              {state.text}
            </span>
            {item.waiting.length > 0 && <span className="tag tag-pending">{item.waiting.length} 条记录待同步</span>}
          </dd>
        </div>
      </dl>
      <p className="visually-hidden" role="status">
        {announce}
      </p>
      {state.key === 'todo' && loaded && (
        <CheckIn
          item={item}
          draft={draft}
          change={change}
          done={(text) => {
            setAnnounce(text);
            focusStep();
          }}
        />
      )}
      {state.key === 'in_progress' && (
        <InProgress
          item={item}
          catalogue={catalogue}
          draft={draft}
          change={change}
          headingRef={stepHeading}
          done={(text) => {
            setAnnounce(text);
            focusStep();
          }}
        />
      )}
      {(state.key === 'done' || state.key === 'cancelled') && <Finished item={item} names={names} headingRef={stepHeading} draft={draft} />}
    </>
  );
}

function CheckIn({ item, draft, change, done }: { item: ShownItem; draft: Draft; change: (p: Partial<Draft>) => void; done: (text: string) => void }) {
  const c = useCarer();
  const id = useId();
  const codeRef = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [scan, setScan] = useState<string | null>(null);

  const submit = async () => {
    if (busy) return;
    const code = draft.code.trim();
    if (draft.proofKind !== 'none' && !/^\d{6}$/.test(code)) {
      setError(code ? '确认码是 6 位数字，请再核对一下。' : '请输入 6 位确认码；老人一方没有确认码时，请选择“没有确认码”。');
      codeRef.current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const proof = draft.proofKind === 'none' ? null : { kind: draft.proofKind, code };
      const r = await c.checkIn(item, proof);
      change({ checkInLocation: r.status });
      const where = r.status === 'ok' && r.location && item.home ? `${LOCATION_TEXT.ok}（距老人住址约 ${distanceText(metersBetween(r.location, item.home))}）` : LOCATION_TEXT[r.status];
      done(`已签到。${where}。${c.online ? '' : '现在没有网络，记录已保存在手机上。'}`);
    } catch (e) {
      setError(`签到没有保存：${(e as Error).message}`);
      setBusy(false);
    }
  };

  const onScan = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setScan('正在识别二维码…');
    try {
      const t = await scanTag(file);
      if (!t) setScan('没有识别出入户码，请对准二维码重拍，或直接输入下方的 6 位数字。');
      else if (t.personId !== item.personId) setScan('这个入户码不是这位老人家的，请核对地址。');
      else {
        change({ proofKind: 'tag', code: t.code });
        setScan(`已识别入户码 ${t.code}。`);
      }
    } catch {
      setScan('没有识别出入户码，请直接输入 6 位数字。');
    }
  };

  return (
    <section className="card carer-step" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>签到</h2>
      <fieldset className="field">
        <legend>老人一方的确认</legend>
        <div className="option-list">
          {PROOF_OPTIONS.map((o) => (
            <label key={o.value} className="option-card" data-checked={draft.proofKind === o.value || undefined}>
              <input type="radio" name={`${id}-proof`} value={o.value} checked={draft.proofKind === o.value} onChange={() => change({ proofKind: o.value })} />
              <span className="option-label">
                <strong>{o.title}</strong>
                <br />
                <span className="muted">{o.hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {draft.proofKind !== 'none' && (
        <div className="field">
          <label htmlFor={`${id}-code`}>6 位确认码</label>
          <input
            ref={codeRef}
            id={`${id}-code`}
            className="carer-code-input"
            inputMode="numeric"
            autoComplete="off"
            maxLength={6}
            value={draft.code}
            onChange={(e) => change({ code: e.target.value.replace(/\D/g, '').slice(0, 6) })}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-code-error` : `${id}-code-hint`}
          />
          {error ? (
            <p id={`${id}-code-error`} className="field-error">
              {error}
            </p>
          ) : (
            <p id={`${id}-code-hint`} className="hint">
              请当面向老人或家属核对，不要电话索要。
            </p>
          )}
        </div>
      )}
      {draft.proofKind === 'tag' && canScanQr() && (
        <div className="field">
          <label className="button button-secondary carer-file">
            扫描入户二维码（拍一张二维码的照片）
            <input type="file" accept="image/*" capture="environment" onChange={(e) => void onScan(e)} />
          </label>
          {scan && (
            <p className="hint" role="status">
              {scan}
            </p>
          )}
        </div>
      )}
      {draft.proofKind === 'none' && error && <p className="field-error">{error}</p>}
      <p className="hint">签到时会取一次手机位置；服务期间不会记录您的位置。</p>
      <button type="button" className="button button-primary carer-big" aria-disabled={busy || undefined} onClick={() => void submit()}>
        {busy ? '正在取得位置…' : '签到'}
      </button>
    </section>
  );
}

function InProgress({
  item,
  catalogue,
  draft,
  change,
  headingRef,
  done,
}: {
  item: ShownItem;
  catalogue: CatalogueItem[];
  draft: Draft;
  change: (p: Partial<Draft>) => void;
  headingRef: React.RefObject<HTMLHeadingElement | null>;
  done: (text: string) => void;
}) {
  const c = useCarer();
  const id = useId();
  const firstBox = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const planned = catalogue.filter((x) => item.items.includes(x.code));
  // A care visit offers the care items; a nursing visit (a nurse) every item.
  const others = catalogue.filter((x) => !item.items.includes(x.code) && (item.kind === 'nursing' || x.kind === item.kind || !['care', 'nursing'].includes(item.kind)));
  const plannedUnknown = item.items.filter((x) => !catalogue.some((k) => k.code === x));
  const ticked = new Set(draft.items);
  const otherTicked = others.filter((x) => ticked.has(x.code)).length;

  const toggle = (code: string, on: boolean) => change({ items: on ? [...new Set([...draft.items, code])] : draft.items.filter((x) => x !== code) });

  const submit = async () => {
    if (busy) return;
    const items = catalogue.filter((x) => ticked.has(x.code)).map((x) => x.code);
    if (items.length === 0) {
      setError('请勾选这次做了的服务项目（至少一项）。');
      firstBox.current?.focus();
      return;
    }
    setError(null);
    setBusy(true);
    try {
      const r = await c.checkOut(item, items, draft.note);
      change({ checkOutLocation: r.status });
      done(`已签退。${LOCATION_TEXT[r.status]}。${c.online ? '' : '现在没有网络，记录已保存在手机上。'}`);
    } catch (e) {
      setError(`签退没有保存：${(e as Error).message}`);
      setBusy(false);
    }
  };

  const box = (x: CatalogueItem, i: number) => (
    <label key={x.code} className="option-card carer-check" data-checked={ticked.has(x.code) || undefined}>
      <input ref={i === 0 ? firstBox : undefined} type="checkbox" checked={ticked.has(x.code)} onChange={(e) => toggle(x.code, e.target.checked)} aria-describedby={error ? `${id}-items-error` : undefined} />
      <span className="option-label">{x.name}</span>
    </label>
  );

  return (
    <section className="card carer-step" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        服务中
      </h2>
      <p data-testid="carer-checked-in">
        {clock(item.visit?.checkIn)} 已签到
        {(item.checkInLocation ?? draft.checkInLocation) ? `，${LOCATION_TEXT[(item.checkInLocation ?? draft.checkInLocation)!]}` : ''}。
      </p>
      <fieldset className="field">
        <legend>服务项目（做了哪些就勾选哪些）</legend>
        {error && (
          <p id={`${id}-items-error`} className="field-error">
            {error}
          </p>
        )}
        <div className="option-list">{planned.map(box)}</div>
        {plannedUnknown.length > 0 && <p className="hint">另有计划项目：{plannedUnknown.join('、')}（不在长护险服务项目清单内，无需勾选）</p>}
        <details className="carer-more" open={otherTicked > 0 || planned.length === 0 || undefined}>
          <summary>其他服务项目（{others.length} 项{otherTicked ? `，已选 ${otherTicked} 项` : ''}）</summary>
          <div className="option-list">{others.map((x, i) => box(x, planned.length === 0 ? i : i + 1))}</div>
        </details>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-note`}>备注（老人情况、需要机构知道的事）</label>
        <textarea id={`${id}-note`} rows={3} maxLength={1000} value={draft.note} onChange={(e) => change({ note: e.target.value })} />
      </div>
      <Photos item={item} />
      <button type="button" className="button button-primary carer-big" aria-disabled={busy || undefined} onClick={() => void submit()}>
        {busy ? '正在取得位置…' : '签退'}
      </button>
    </section>
  );
}

function Photos({ item }: { item: ShownItem }) {
  const c = useCarer();
  const id = useId();
  const [message, setMessage] = useState<string | null>(null);
  const waiting = c.photos.filter((p) => p.visitId === item.visit?.id);
  const [urls, setUrls] = useState<{ id: string; url: string }[]>([]);

  useEffect(() => {
    const made = waiting.map((p) => ({ id: p.id, url: URL.createObjectURL(p.data) }));
    setUrls(made);
    return () => {
      for (const m of made) URL.revokeObjectURL(m.url);
    };
    // the photos' ids say when the list changed
  }, [waiting.map((p) => p.id).join()]);

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setMessage('正在处理照片…');
    try {
      const r = await c.addPhoto(item, file);
      setMessage(`照片已保存（${r.width} × ${r.height}）${c.online ? '，正在上传' : '，联网后上传'}。`);
    } catch (err) {
      setMessage(`照片没有保存：${(err as Error).message || '无法读取这张照片'}`);
    }
  };

  return (
    <div className="field carer-photos">
      <span className="carer-label" id={`${id}-label`}>
        照片
      </span>
      <label className="button button-secondary carer-file" htmlFor={`${id}-file`}>
        拍照
      </label>
      <input id={`${id}-file`} className="carer-file-input" type="file" accept="image/*" capture="environment" aria-describedby={`${id}-hint`} onChange={(e) => void onFile(e)} />
      <p id={`${id}-hint`} className="hint">
        照片会缩小到 {MAX_PHOTO_SIDE} 像素以内再保存。{waiting.length > 0 ? `${waiting.length} 张照片待上传。` : ''}
      </p>
      {message && (
        <p className="hint" role="status" data-testid="carer-photo-status">
          {message}
        </p>
      )}
      {urls.length > 0 && (
        <ul className="carer-thumbs" aria-label="待上传的照片">
          {urls.map((u, i) => (
            <li key={u.id}>
              <img src={u.url} alt={`待上传的第 ${i + 1} 张照片`} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Finished({ item, names, headingRef, draft }: { item: ShownItem; names: Map<string, string>; headingRef: React.RefObject<HTMLHeadingElement | null>; draft: Draft }) {
  const v = item.visit!;
  const id = useId();
  const minutes = v.checkOut ? Math.floor((Date.parse(v.checkOut) - Date.parse(v.checkIn)) / 60_000) : null;
  const where: LocationStatus | undefined = item.checkOutLocation ?? draft.checkOutLocation;
  return (
    <section className="card carer-step" aria-labelledby={`${id}-title`} data-testid="carer-finished">
      <h2 id={`${id}-title`} ref={headingRef} tabIndex={-1}>
        {v.status === 'done' ? '服务已完成' : '服务已取消'}
      </h2>
      <dl className="carer-facts">
        <div>
          <dt>签到</dt>
          <dd>{clock(v.checkIn)}</dd>
        </div>
        {v.checkOut && (
          <div>
            <dt>签退</dt>
            <dd>
              {clock(v.checkOut)}
              {minutes !== null ? `（共 ${minutes} 分钟）` : ''}
              {where ? `，${LOCATION_TEXT[where]}` : ''}
            </dd>
          </div>
        )}
        <div>
          <dt>服务项目</dt>
          <dd>{v.items.length ? v.items.map((x) => names.get(x) ?? x).join('、') : '无'}</dd>
        </div>
        {v.note && (
          <div>
            <dt>备注</dt>
            <dd>{v.note}</dd>
          </div>
        )}
      </dl>
      <p>{item.waiting.length > 0 ? '这次服务的记录还在手机上，联网后自动上传。' : '这次服务的记录已上传。'}</p>
      {v.status === 'done' && <Photos item={item} />}
      <p>
        <Link to="/carer" className="button button-primary button-big">
          返回今日服务
        </Link>
      </p>
    </section>
  );
}
