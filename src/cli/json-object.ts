// The one-object batch contracts (`yiyang coverage`, `yiyang allocate`, …): one JSON object on
// stdin, one JSON object on stdout; bad input → a clear message on stderr, exit 2, nothing on stdout.
import { fstatSync, readFileSync } from 'node:fs';
import { EXIT_CANNOT_RUN, EXIT_OK } from './jsonl.ts';

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

const STDIN_FD = 0;
/** Below this size a file's text always fits in a string (V8's limit is about 2^29 characters). */
const ONE_READ_MAX_BYTES = 2 ** 28;

/**
 * Standard input as text: a file redirected to it (`< month.json`) in one read, anything else
 * (a pipe, a terminal, a very large file) as a stream — the same text either way.
 */
export async function readStdin(): Promise<string> {
  let st: { isFile(): boolean; size: number } | null = null;
  try {
    st = fstatSync(STDIN_FD);
  } catch {
    // No descriptor 0 to look at: the stream decides.
  }
  // The bytes, then the same decoding as readAll (also faster than readFileSync's own 'utf8').
  if (st?.isFile() && st.size < ONE_READ_MAX_BYTES) return readFileSync(STDIN_FD).toString('utf8');
  return readAll(process.stdin);
}

/** Run a one-object contract on a text; `inputError` tells the domain's input errors from bugs. */
export function jsonObjectText(text: string, run: (raw: unknown) => unknown, inputError: (e: unknown) => e is Error): { stdout: string; stderr: string; code: number } {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { stdout: '', stderr: '错误：标准输入为空，应为一个 JSON 对象 / error: empty input, expected one JSON object', code: EXIT_CANNOT_RUN };
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    return { stdout: '', stderr: `错误：输入不是有效的 JSON / error: input is not valid JSON (${(e as Error).message})`, code: EXIT_CANNOT_RUN };
  }
  try {
    return { stdout: JSON.stringify(run(raw)) + '\n', stderr: '', code: EXIT_OK };
  } catch (e) {
    if (inputError(e)) return { stdout: '', stderr: `错误：${e.message}`, code: EXIT_CANNOT_RUN };
    throw e;
  }
}

/** Read stdin, run, print, set the exit code. */
export async function runJsonObjectCommand(run: (raw: unknown) => unknown, inputError: (e: unknown) => e is Error): Promise<void> {
  const r = jsonObjectText(await readStdin(), run, inputError);
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stderr.write(r.stderr + '\n');
  process.exitCode = r.code;
}
