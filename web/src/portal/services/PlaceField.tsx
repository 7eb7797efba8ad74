// 按地址查找: a text box with a list of matching streets and neighbourhoods (GET /services/places),
// the ARIA 1.2 combobox pattern — ↓/↑ move through the list, Enter picks, Esc closes, the list
// never takes focus — and a 使用我的位置 button (the browser's location, asked only on a press).
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { isAbort } from '../../format.ts';
import { servicesApi, type Place } from './api.ts';

export interface ChosenPlace {
  label: string;
  lon: number;
  lat: number;
}

const DEBOUNCE_MS = 250;
const MIN_CHARS = 1;
const MAX_ITEMS = 8;
const GEO_TIMEOUT_MS = 15_000;

export function PlaceField({
  text,
  onTextChange,
  chosen,
  onChoose,
  error,
}: {
  text: string;
  onTextChange: (text: string) => void;
  /** The place the search is centred on (a pick from the list, my location, or a person's home). */
  chosen: ChosenPlace | null;
  onChoose: (place: ChosenPlace | null) => void;
  error: string | null;
}) {
  const id = useId();
  const listId = `${id}-list`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const [items, setItems] = useState<Place[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [geoStatus, setGeoStatus] = useState<string | null>(null);
  const typed = useRef(false);

  useEffect(() => {
    const q = text.trim();
    if (!typed.current || q.length < MIN_CHARS || (chosen && chosen.label === text)) {
      setItems([]);
      return;
    }
    const ctl = new AbortController();
    const timer = window.setTimeout(() => {
      servicesApi
        .places(q, ctl.signal)
        .then((r) => {
          setItems(r.items.slice(0, MAX_ITEMS));
          setActive(-1);
          setOpen(true);
        })
        .catch((e: unknown) => {
          if (!isAbort(e)) setItems([]);
        });
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      ctl.abort();
    };
  }, [text, chosen]);

  const pick = (p: Place) => {
    typed.current = false;
    onTextChange(p.name);
    onChoose({ label: p.name, lon: p.lon, lat: p.lat });
    setOpen(false);
    setItems([]);
    setActive(-1);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const shown = open && items.length > 0;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!shown && items.length > 0) setOpen(true);
      setActive((a) => (items.length === 0 ? -1 : (a + 1) % items.length));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => (items.length === 0 ? -1 : a <= 0 ? items.length - 1 : a - 1));
    } else if (e.key === 'Enter' && shown && active >= 0) {
      e.preventDefault();
      const p = items[active];
      if (p) pick(p);
    } else if (e.key === 'Escape' && shown) {
      e.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };

  const useMyLocation = () => {
    if (!('geolocation' in navigator)) {
      setGeoStatus('这个浏览器不能提供位置，请输入地址。');
      return;
    }
    setGeoStatus('正在获取您的位置…');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        typed.current = false;
        const label = '我的位置';
        onTextChange(label);
        onChoose({ label, lon: pos.coords.longitude, lat: pos.coords.latitude });
        setGeoStatus('已使用您现在的位置。');
      },
      () => setGeoStatus('没有取得您的位置（可能没有允许）。请输入地址或街道名称。'),
      { timeout: GEO_TIMEOUT_MS, maximumAge: 60_000 },
    );
  };

  const shown = open && items.length > 0;
  const describedBy = [hintId, error ? errorId : null].filter(Boolean).join(' ');

  return (
    <div className="field svc-place">
      <label htmlFor={id}>在哪里找（地址、小区或街道）</label>
      <p id={hintId} className="hint">
        输入几个字，例如“陆家嘴”，再从下面的列表里选一个（用 ↓ 键选，回车确定）。
      </p>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      <div className="svc-place-row">
        <div className="svc-combo">
          <input
            id={id}
            type="text"
            role="combobox"
            autoComplete="off"
            aria-autocomplete="list"
            aria-expanded={shown}
            aria-controls={listId}
            aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
            aria-describedby={describedBy}
            aria-invalid={error ? true : undefined}
            value={text}
            onChange={(e) => {
              typed.current = true;
              onTextChange(e.target.value);
              if (chosen) onChoose(null);
            }}
            onKeyDown={onKeyDown}
            onBlur={() => window.setTimeout(() => setOpen(false), 150)}
            onFocus={() => items.length > 0 && setOpen(true)}
          />
          <ul id={listId} role="listbox" aria-label="地点" className="svc-combo-list" hidden={!shown}>
            {items.map((p, i) => (
              <li
                key={p.code}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className="svc-combo-option"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(p)}
              >
                <span className="svc-combo-name">{p.name}</span>
                <span className="svc-combo-path">{p.path}</span>
              </li>
            ))}
          </ul>
        </div>
        <button type="button" className="button button-secondary" onClick={useMyLocation}>
          使用我的位置
        </button>
      </div>
      <p role="status" className="svc-place-status">
        {shown ? `有 ${items.length} 个地点可选，用 ↓ 键选择。` : geoStatus ?? (chosen ? `按“${chosen.label}”附近查找。` : '')}
      </p>
    </div>
  );
}
