// The running score on the tablet: the platform's own pure interpreter (src/assessment/model.ts,
// bundled by Vite), fed with the instrument the server publishes. So the score shown before
// submit is the one the server will compute, also while offline.
import { compileInstrument, score, type Instrument, type ScoreError } from '../../../../src/assessment/model.ts';
import type { InstrumentData, ScoreResult } from './api.ts';
import type { Draft } from './sync.ts';

const compiled = new WeakMap<InstrumentData, Instrument | null>();

/** null when the published data does not compile here (then the server's preview is used). */
export function compiledInstrument(data: InstrumentData): Instrument | null {
  if (compiled.has(data)) return compiled.get(data) ?? null;
  let c: Instrument | null = null;
  try {
    c = compileInstrument(data);
  } catch {
    c = null;
  }
  compiled.set(data, c);
  return c;
}

export function scoreRequest(d: Draft): { answers: Record<string, number>; coma?: boolean; diagnoses?: string[]; riskEvents30d?: number } {
  const r: { answers: Record<string, number>; coma?: boolean; diagnoses?: string[]; riskEvents30d?: number } = {
    answers: d.answers,
  };
  if (d.coma !== undefined) r.coma = d.coma;
  if (d.diagnoses !== undefined && d.diagnoses.length > 0) r.diagnoses = d.diagnoses;
  if (d.riskEvents30d !== undefined) r.riskEvents30d = d.riskEvents30d;
  return r;
}

export type LocalScore = { ok: true; value: ScoreResult } | { ok: false; error: ScoreError } | null;

export function scoreLocally(data: InstrumentData, d: Draft): LocalScore {
  const c = compiledInstrument(data);
  if (!c) return null;
  const r = score(c, scoreRequest(d));
  return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error };
}

/** Dimension sums of what is answered so far (for the progress screen before all 26 are in). */
export function partialDimensions(data: InstrumentData, answers: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const dim of data.dimensions) out[dim.code] = 0;
  for (const item of data.items) {
    const v = answers[item.key];
    if (typeof v === 'number') out[item.dimension] = (out[item.dimension] ?? 0) + v;
  }
  return out;
}

/** ICD-10 code shape the interpreter accepts: F03, F03.9, F03.x00. */
export const ICD10 = /^[A-Z]\d\d(?:\.[0-9A-Z]{1,8})?$/;

export function parseDiagnoses(text: string): { codes: string[]; bad: string[] } {
  const parts = text
    .split(/[\s,，、;；]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const codes: string[] = [];
  const bad: string[] = [];
  for (const p of parts) (ICD10.test(p) ? codes : bad).push(p);
  return { codes, bad };
}
