// The shared prelude of the JSON Lines batch contracts (`yiyang assess score`, `yiyang entitle`,
// …): one output line per input line, in order; a line that cannot be read becomes an error line
// and the rest go on. Pure.
//
// Decisions beyond the issues' texts (documented in the modules' READMEs):
//  - a line that is not JSON (an empty line included) → `invalid_json`, id null;
//  - JSON that is not an object → `invalid_line`, id null;
//  - an object without a usable id (a non-empty string or a finite number) → `missing_id`, id null;
//  - `id` is echoed as given; ids are not checked for uniqueness (the commands keep no state);
//  - a byte-order mark at the start of a line is ignored.

export type JsonLineId = string | number;
export type JsonLinePreludeCode = 'invalid_json' | 'invalid_line' | 'missing_id';

export interface LineOutcome {
  /** The output line, without its newline. */
  line: string;
  ok: boolean;
}

const BOM = '\uFEFF';

/** The error line of the contracts: `{"id":…,"error":{"code":…,"message":…}}`. */
export const errorLine = (id: JsonLineId | null, code: string, message: string): LineOutcome => ({
  line: JSON.stringify({ id, error: { code, message } }),
  ok: false,
});

export type ParsedLine = { ok: true; id: JsonLineId; fields: Record<string, unknown> } | { ok: false; outcome: LineOutcome };

/** Read one input line (`lineNo` counts from 1) into its id and the rest of its fields. */
export function parseJsonLine(text: string, lineNo: number): ParsedLine {
  const body = text.startsWith(BOM) ? text.slice(BOM.length) : text;
  if (body.trim() === '') return { ok: false, outcome: errorLine(null, 'invalid_json', `第 ${lineNo} 行为空行，不是有效的 JSON`) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, outcome: errorLine(null, 'invalid_json', `第 ${lineNo} 行不是有效的 JSON`) };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, outcome: errorLine(null, 'invalid_line', `第 ${lineNo} 行不是 JSON 对象`) };
  }
  const { id, ...fields } = parsed as Record<string, unknown>;
  if (!((typeof id === 'string' && id !== '') || (typeof id === 'number' && Number.isFinite(id)))) {
    return { ok: false, outcome: errorLine(null, 'missing_id', `第 ${lineNo} 行缺少 id（应为非空字符串或数字）`) };
  }
  return { ok: true, id, fields };
}
