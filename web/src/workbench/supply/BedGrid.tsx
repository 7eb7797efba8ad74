// A facility's beds, grouped by room, each a large button showing its label, kind and status in
// words (the colour repeats it). The grid is one stop in the Tab order: the arrow keys move
// between beds, Home and End go to the first and last; Enter or Space chooses a bed, and focus
// moves to the panel beside it, where the status is chosen with radio buttons (arrows again) and
// saved. After saving, focus returns to the bed.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { BED_STATUSES, type Bed, type BedKind, type BedStatus, type Room } from './api.ts';

export const BED_STATUS_NAMES: Record<BedStatus, string> = { vacant: '空闲', occupied: '已入住', reserved: '已预留', out_of_service: '停用' };
export const BED_KIND_NAMES: Record<BedKind, string> = { general: '普通床位', nursing: '护理型床位', cognitive: '认知障碍照护床位' };
const STATUS_MARK: Record<BedStatus, string> = { vacant: '○', occupied: '●', reserved: '◐', out_of_service: '×' };

export function BedGrid({
  rooms,
  beds,
  canEdit,
  onSave,
}: {
  rooms: readonly Room[];
  beds: readonly Bed[];
  canEdit: boolean;
  /** Saves one bed's status; true once the server has it (the caller announces the result or the refusal). */
  onSave: (bed: Bed, status: BedStatus, note: string) => Promise<boolean>;
}) {
  const ids = { panel: useId(), radios: useId(), note: useId(), filter: useId() };
  const [current, setCurrent] = useState<string | null>(beds[0]?.id ?? null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [status, setStatus] = useState<BedStatus>('vacant');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [show, setShow] = useState<'' | BedStatus>('');
  const buttons = useRef(new Map<string, HTMLButtonElement>());
  const focusBed = useRef<string | null>(null);

  // Beds in display order: by room (the server's room order), then label; beds without a room last.
  const order = new Map(rooms.map((r, i) => [r.id, i]));
  const shown = beds.filter((b) => !show || b.status === show);
  const sorted = [...shown].sort((a, b) => (order.get(a.roomId ?? '') ?? 1e9) - (order.get(b.roomId ?? '') ?? 1e9) || a.label.localeCompare(b.label, 'zh-CN', { numeric: true }));
  const groups: { key: string; title: string; beds: Bed[] }[] = [];
  for (const b of sorted) {
    const key = b.roomId ?? 'none';
    let g = groups[groups.length - 1];
    if (!g || g.key !== key) {
      const room = rooms.find((r) => r.id === b.roomId);
      g = { key, title: room ? `${room.name} 室${room.floor !== null ? `（${room.floor} 层）` : ''}` : '未分房间', beds: [] };
      groups.push(g);
    }
    g.beds.push(b);
  }
  const tabStop = sorted.some((b) => b.id === current) ? current : (sorted[0]?.id ?? null);
  const chosenBed = beds.find((b) => b.id === chosen) ?? null;

  useEffect(() => {
    if (focusBed.current) {
      buttons.current.get(focusBed.current)?.focus();
      focusBed.current = null;
    }
  });

  const move = (e: KeyboardEvent<HTMLButtonElement>, id: string) => {
    const i = sorted.findIndex((b) => b.id === id);
    let next = -1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = Math.min(sorted.length - 1, i + 1);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = sorted.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const b = sorted[next]!;
    setCurrent(b.id);
    buttons.current.get(b.id)?.focus();
  };

  const choose = (b: Bed) => {
    setCurrent(b.id);
    setChosen(b.id);
    setStatus(b.status);
    setNote('');
    // the checked radio takes focus once the panel shows the bed
    requestAnimationFrame(() => document.getElementById(`${ids.radios}-${b.status}`)?.focus());
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosenBed || busy) return;
    setBusy(true);
    try {
      if (await onSave(chosenBed, status, note.trim())) {
        focusBed.current = chosenBed.id;
        setChosen(null);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sup-beds">
      <div className="field sup-narrow">
        <label htmlFor={ids.filter}>只显示</label>
        <select id={ids.filter} value={show} onChange={(e) => setShow(e.target.value as '' | BedStatus)}>
          <option value="">全部床位（{beds.length}）</option>
          {BED_STATUSES.map((s) => (
            <option key={s} value={s}>
              {BED_STATUS_NAMES[s]}（{beds.filter((b) => b.status === s).length}）
            </option>
          ))}
        </select>
      </div>
      <p className="hint" id={`${ids.panel}-help`}>
        {canEdit ? '用方向键在床位之间移动，按回车键或空格键选中床位，再在右侧选择状态并保存。' : '用方向键在床位之间移动。'}
      </p>
      <div className="sup-beds-layout">
        <div className="sup-bed-rooms" data-testid="sup-bed-grid">
          {groups.length === 0 && <p className="empty">没有床位。</p>}
          {groups.map((g) => (
            <div key={g.key} role="group" aria-label={g.title} className="sup-room">
              <h4 className="sup-room-title" aria-hidden="true">
                {g.title}
              </h4>
              <ul role="list" className="sup-bed-list">
                {g.beds.map((b) => (
                  <li key={b.id}>
                    <button
                      type="button"
                      ref={(el) => {
                        if (el) buttons.current.set(b.id, el);
                        else buttons.current.delete(b.id);
                      }}
                      className={`sup-bed sup-bed-${b.status}`}
                      data-bed={b.label}
                      data-status={b.status}
                      tabIndex={b.id === tabStop ? 0 : -1}
                      aria-pressed={canEdit ? b.id === chosen : undefined}
                      aria-describedby={`${ids.panel}-help`}
                      onKeyDown={(e) => move(e, b.id)}
                      onFocus={() => setCurrent(b.id)}
                      onClick={() => canEdit && choose(b)}
                    >
                      <span className="sup-bed-label">{b.label}</span>
                      <span className="sup-bed-status">
                        <span aria-hidden="true">{STATUS_MARK[b.status]} </span>
                        {BED_STATUS_NAMES[b.status]}
                      </span>
                      <span className="sup-bed-kind">
                        {BED_KIND_NAMES[b.kind]}
                        {b.basicGuarantee ? '·保基本' : ''}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
        {canEdit && (
          <section className="sup-bed-panel card" aria-labelledby={ids.panel}>
            <h4 id={ids.panel}>{chosenBed ? `床位 ${chosenBed.label}` : '更改床位状态'}</h4>
            {!chosenBed && <p>请先在左侧选中一张床位。</p>}
            {chosenBed && (
              <form onSubmit={(e) => void save(e)} className="stack" aria-busy={busy || undefined}>
                <p>
                  {BED_KIND_NAMES[chosenBed.kind]}
                  {chosenBed.basicGuarantee ? '（保基本）' : ''}，当前：{BED_STATUS_NAMES[chosenBed.status]}
                </p>
                <fieldset className="sup-radios">
                  <legend>新的状态</legend>
                  {BED_STATUSES.map((s) => (
                    <label key={s} className={`sup-radio sup-bed-${s}`}>
                      <input
                        id={`${ids.radios}-${s}`}
                        type="radio"
                        name={ids.radios}
                        value={s}
                        checked={status === s}
                        onChange={() => setStatus(s)}
                      />
                      <span>{BED_STATUS_NAMES[s]}</span>
                    </label>
                  ))}
                </fieldset>
                <div className="field">
                  <label htmlFor={ids.note}>备注（可不填）</label>
                  <input id={ids.note} value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} autoComplete="off" />
                </div>
                <div className="button-row">
                  <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
                    {busy ? '正在保存…' : '保存状态'}
                  </button>
                  <button
                    type="button"
                    className="button button-secondary"
                    onClick={() => {
                      focusBed.current = chosenBed.id;
                      setChosen(null);
                    }}
                  >
                    取消
                  </button>
                </div>
              </form>
            )}
          </section>
        )}
      </div>
    </div>
  );
}
