// 对账 of a batch sent to the bank: the 序号 the bank returned, each with its reason; the rest are
// recorded as paid. Rows are added and removed by button; errors sit beside their field and focus
// goes to the first.
import { useId, useRef, useState, type FormEvent } from 'react';
import type { BatchDetail } from './api.ts';
import { usePayText } from './text.ts';

/** The server's bound on a reason (src/entitlements/routes.ts). */
const REASON_MAX = 200;

interface Row {
  key: number;
  seq: string;
  reason: string;
}
type RowErrors = { seq?: string; reason?: string };

export function ReconcileForm({ batch, busy, onSubmit }: { batch: BatchDetail; busy: boolean; onSubmit: (returned: { seq: number; reason: string }[]) => void }) {
  const x = usePayText();
  const base = useId();
  const titleId = useId();
  const nextKey = useRef(1);
  const [rows, setRows] = useState<Row[]>([]);
  const [errors, setErrors] = useState<Record<number, RowErrors>>({});
  const formRef = useRef<HTMLFormElement>(null);

  const fieldId = (r: Row, f: 'seq' | 'reason') => `${base}-${r.key}-${f}`;

  const add = () => {
    const row = { key: nextKey.current++, seq: '', reason: '' };
    setRows((rs) => [...rs, row]);
    requestAnimationFrame(() => document.getElementById(fieldId(row, 'seq'))?.focus());
  };
  const remove = (key: number) => {
    setRows((rs) => rs.filter((r) => r.key !== key));
    requestAnimationFrame(() => formRef.current?.querySelector<HTMLButtonElement>('[data-add]')?.focus());
  };
  const edit = (key: number, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const seqs = new Set(batch.items.map((l) => l.seq));
    const seen = new Set<number>();
    const found: Record<number, RowErrors> = {};
    let first: string | null = null;
    for (const r of rows) {
      const err: RowErrors = {};
      const n = Number(r.seq.trim());
      if (!r.seq.trim()) err.seq = x('pay.rec.seq.missing');
      else if (!Number.isInteger(n) || !seqs.has(n)) err.seq = x('pay.rec.seq.unknown', { seq: r.seq.trim() });
      else if (seen.has(n)) err.seq = x('pay.rec.seq.twice', { seq: n });
      else seen.add(n);
      if (!r.reason.trim()) err.reason = x('pay.rec.reason.missing');
      else if (r.reason.trim().length > REASON_MAX) err.reason = x('pay.rec.reason.tooLong');
      if (err.seq || err.reason) {
        found[r.key] = err;
        first ??= fieldId(r, err.seq ? 'seq' : 'reason');
      }
    }
    setErrors(found);
    if (first) {
      document.getElementById(first)?.focus();
      return;
    }
    onSubmit(rows.map((r) => ({ seq: Number(r.seq.trim()), reason: r.reason.trim() })));
  };

  return (
    <section aria-labelledby={titleId} className="pay-reconcile">
      <h3 id={titleId}>{x('pay.rec.title')}</h3>
      <p>{x('pay.rec.intro')}</p>
      <form ref={formRef} className="stack" onSubmit={submit} noValidate aria-busy={busy || undefined}>
        {rows.map((r, i) => {
          const err = errors[r.key] ?? {};
          const ids = { seq: fieldId(r, 'seq'), reason: fieldId(r, 'reason'), seqErr: `${fieldId(r, 'seq')}-err`, reasonErr: `${fieldId(r, 'reason')}-err`, hint: `${fieldId(r, 'reason')}-hint` };
          return (
            <fieldset key={r.key} className="pay-return" data-testid="pay-return">
              <legend>{x('pay.rec.row', { n: i + 1 })}</legend>
              <div className="pay-return-grid">
                <div className="field">
                  <label htmlFor={ids.seq}>{x('pay.rec.seq')}</label>
                  {err.seq && (
                    <p id={ids.seqErr} className="field-error">
                      {err.seq}
                    </p>
                  )}
                  <input
                    id={ids.seq}
                    className="input-short"
                    inputMode="numeric"
                    autoComplete="off"
                    value={r.seq}
                    onChange={(e) => edit(r.key, { seq: e.target.value })}
                    aria-invalid={err.seq ? true : undefined}
                    aria-describedby={err.seq ? ids.seqErr : undefined}
                  />
                </div>
                <div className="field">
                  <label htmlFor={ids.reason}>{x('pay.rec.reason')}</label>
                  <p id={ids.hint} className="hint">
                    {x('pay.rec.reason.hint')}
                  </p>
                  {err.reason && (
                    <p id={ids.reasonErr} className="field-error">
                      {err.reason}
                    </p>
                  )}
                  <input
                    id={ids.reason}
                    autoComplete="off"
                    value={r.reason}
                    onChange={(e) => edit(r.key, { reason: e.target.value })}
                    aria-invalid={err.reason ? true : undefined}
                    aria-describedby={err.reason ? `${ids.hint} ${ids.reasonErr}` : ids.hint}
                  />
                </div>
              </div>
              <button type="button" className="button button-secondary" onClick={() => remove(r.key)}>
                {x('pay.rec.remove', { n: i + 1 })}
              </button>
            </fieldset>
          );
        })}
        <div className="button-row">
          <button type="button" className="button button-secondary" data-add onClick={add}>
            {x('pay.rec.add')}
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy || undefined}>
            {x('pay.rec.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
