// The JSON Lines contract of `yiyang assess score` (issue 4 §7), one line at a time. Pure: the
// CLI (src/cli/assess.ts) streams stdin through `scoreLine` and writes what it returns.
//
// One output line per input line, in order:
//   {"id":…,"dimensions":{…},"total":…,"preliminaryLevel":…,"level":…,"levelName":…,"adjustments":[…]}
//   {"id":…,"error":{"code":…,"message":…}}
// Decisions beyond the text (README.md "Batch scoring"):
//  - a line that is not JSON (an empty line included) → `invalid_json`, id null;
//  - JSON that is not an object → `invalid_line`, id null;
//  - an object without a usable id (a non-empty string or a finite number) → `missing_id`, id null;
//  - `id` is echoed as given; ids are not checked for uniqueness (the command keeps no state);
//  - a byte-order mark at the start of a line is ignored.

import { score, type Instrument, type ScoreErrorCode } from './model.ts';

export type LineErrorCode = 'invalid_json' | 'invalid_line' | 'missing_id' | ScoreErrorCode;

export interface LineOutcome {
  /** The output line, without its newline. */
  line: string;
  ok: boolean;
}

const BOM = '\uFEFF';

const failure = (id: string | number | null, code: LineErrorCode, message: string): LineOutcome => ({
  line: JSON.stringify({ id, error: { code, message } }),
  ok: false,
});

/** Score one input line (`lineNo` counts from 1 and is used in messages about the line itself). */
export function scoreLine(instrument: Instrument, text: string, lineNo: number): LineOutcome {
  const body = text.startsWith(BOM) ? text.slice(BOM.length) : text;
  if (body.trim() === '') return failure(null, 'invalid_json', `第 ${lineNo} 行为空行，不是有效的 JSON`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return failure(null, 'invalid_json', `第 ${lineNo} 行不是有效的 JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return failure(null, 'invalid_line', `第 ${lineNo} 行不是 JSON 对象`);
  }
  const { id, ...request } = parsed as Record<string, unknown>;
  if (!((typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isFinite(id)))) {
    return failure(null, 'missing_id', `第 ${lineNo} 行缺少 id（应为非空字符串或数字）`);
  }
  const r = score(instrument, request);
  if (!r.ok) return failure(id, r.error.code, r.error.message);
  const v = r.value;
  return {
    line: JSON.stringify({
      id,
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
