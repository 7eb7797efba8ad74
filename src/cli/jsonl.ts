// Streams JSON Lines through a per-line function for the batch commands (`assess score`,
// `entitle`, …): one line out per line in, in order. Lines are read one at a time and output is
// flushed in chunks that respect back-pressure, so memory stays bounded however long the input is.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { LineOutcome } from '../core/jsonl.ts';

/** Exit codes of the batch commands. */
export const EXIT_OK = 0;
export const EXIT_INVALID_LINES = 1;
export const EXIT_CANNOT_RUN = 2;

const FLUSH_BYTES = 64 * 1024;

export async function streamLines(
  lineFn: (text: string, lineNo: number) => LineOutcome,
  input: Readable,
  output: Writable,
): Promise<{ lines: number; invalid: number }> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  let lines = 0;
  let invalid = 0;
  let chunk = '';
  const flush = async () => {
    if (chunk === '') return;
    const ok = output.write(chunk);
    chunk = '';
    if (!ok) await once(output, 'drain');
  };
  for await (const text of rl) {
    lines += 1;
    const r = lineFn(text, lines);
    if (!r.ok) invalid += 1;
    chunk += r.line + '\n';
    if (chunk.length >= FLUSH_BYTES) await flush();
  }
  await flush();
  return { lines, invalid };
}

/** A reader that stops early (`| head`) closes the pipe: stop quietly. */
export function quietOnBrokenPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? EXIT_OK);
  });
}
