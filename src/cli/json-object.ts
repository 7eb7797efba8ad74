// The one-object batch contracts (`yiyang coverage`, `yiyang allocate`, …): one JSON object on
// stdin, one JSON object on stdout; bad input → a clear message on stderr, exit 2, nothing on stdout.
import { EXIT_CANNOT_RUN, EXIT_OK } from './jsonl.ts';

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
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
  const r = jsonObjectText(await readAll(process.stdin), run, inputError);
  if (r.stdout) process.stdout.write(r.stdout);
  if (r.stderr) process.stderr.write(r.stderr + '\n');
  process.exitCode = r.code;
}
