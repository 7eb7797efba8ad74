// The JSON Lines contract of `yiyang assess score` (issue 4 §7), one line at a time. Pure: the
// CLI (src/cli/assess.ts) streams stdin through `scoreLine` and writes what it returns.
//
// One output line per input line, in order:
//   {"id":…,"dimensions":{…},"total":…,"preliminaryLevel":…,"level":…,"levelName":…,"adjustments":[…]}
//   {"id":…,"error":{"code":…,"message":…}}
// Lines that cannot be read (not JSON, not an object, no id) are answered by the shared prelude in
// src/core/jsonl.ts (README.md "Batch scoring").

import { errorLine, parseJsonLine, type JsonLinePreludeCode, type LineOutcome } from '../core/jsonl.ts';
import { score, type Instrument, type ScoreErrorCode } from './model.ts';

export type LineErrorCode = JsonLinePreludeCode | ScoreErrorCode;
export type { LineOutcome };

/** Score one input line (`lineNo` counts from 1 and is used in messages about the line itself). */
export function scoreLine(instrument: Instrument, text: string, lineNo: number): LineOutcome {
  const p = parseJsonLine(text, lineNo);
  if (!p.ok) return p.outcome;
  const r = score(instrument, p.fields);
  if (!r.ok) return errorLine(p.id, r.error.code, r.error.message);
  const v = r.value;
  return {
    line: JSON.stringify({
      id: p.id,
      dimensions: v.dimensions,
      total: v.total,
      preliminaryLevel: v.preliminaryLevel,
      level: v.level,
      levelName: v.levelName,
      adjustments: v.adjustments,
    }),
    ok: true,
  };
}
