// `yiyang assess …`: batch scoring of assessment answers (issue 4 §7) and offline verification
// of signed results (issue 4 §4). Pure commands: they read policy/instruments/ and never open the
// database.
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { instrumentLabel, loadInstrument, scoreLine, verifyResultDocument, type Instrument, type TrustedKey } from '../assessment/index.ts';

const err = (s: string) => process.stderr.write(s + '\n');

/** Exit codes of `assess score`. */
export const EXIT_OK = 0;
export const EXIT_INVALID_LINES = 1;
export const EXIT_CANNOT_RUN = 2;

const FLUSH_BYTES = 64 * 1024;

/**
 * Score JSON Lines from `input` onto `output`, one line out per line in, in order. Lines are read
 * one at a time and output is flushed in chunks that respect back-pressure, so memory stays
 * bounded however long the input is.
 */
export async function scoreStream(instrument: Instrument, input: Readable, output: Writable): Promise<{ lines: number; invalid: number }> {
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
    const r = scoreLine(instrument, text, lines);
    if (!r.ok) invalid += 1;
    chunk += r.line + '\n';
    if (chunk.length >= FLUSH_BYTES) await flush();
  }
  await flush();
  return { lines, invalid };
}

export function registerAssessCommands(program: Command): void {
  const assess = program.command('assess').description('老年人能力评估 / assessment');

  assess
    .command('score')
    .description('按评估量表批量评分：标准输入每行一个 JSON，标准输出每行一个结果 / score JSON Lines from stdin')
    .requiredOption('--instrument <id>', 'instrument id, optionally with @version (e.g. gbt42195-2022 or gbt42195-2022@1.0.0)')
    .addHelpText(
      'after',
      [
        '',
        'Input line:  {"id":"a1","answers":{"1":4,…,"26":4},"coma":false,"diagnoses":["F01"],"riskEvents30d":0}',
        'Output line: {"id":"a1","dimensions":{…},"total":90,"preliminaryLevel":0,"level":0,"levelName":"能力完好","adjustments":[]}',
        '             or {"id":"a1","error":{"code":"invalid_score","message":"…"}}',
        'Exit code: 0 every line scored, 1 some line invalid, 2 the command could not run (unknown instrument).',
      ].join('\n'),
    )
    .action(async (o: { instrument: string }) => {
      let instrument: Instrument;
      try {
        instrument = await loadInstrument(o.instrument);
      } catch (e) {
        err(`错误：${(e as Error).message}`);
        process.exitCode = EXIT_CANNOT_RUN;
        return;
      }
      // A reader that stops early (`| head`) closes the pipe: stop quietly.
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
        process.exit(process.exitCode ?? EXIT_OK);
      });
      const t0 = performance.now();
      const r = await scoreStream(instrument, process.stdin, process.stdout);
      const secs = (performance.now() - t0) / 1000;
      err(`已评分 ${r.lines} 行：有效 ${r.lines - r.invalid}，有误 ${r.invalid}（量表 ${instrumentLabel(instrument.ref)}，用时 ${secs.toFixed(2)} 秒）`);
      process.exitCode = r.invalid > 0 ? EXIT_INVALID_LINES : EXIT_OK;
    });

  assess
    .command('verify')
    .description('离线校验签名的评估结果 / verify a signed assessment result offline')
    .argument('<file>', 'signed result document (JSON)')
    .requiredOption('--keys <file>', 'trusted public keys (JSON: {"keys":[{"keyId","regionCode","publicKey"}]})')
    .option('--json', 'print the verdict as JSON')
    .action(async (file: string, o: { keys: string; json?: boolean }) => {
      let doc: string;
      let keys: TrustedKey[];
      try {
        doc = await readFile(file, 'utf8');
        keys = parseTrustedKeys(await readFile(o.keys, 'utf8'));
      } catch (e) {
        err(`错误：${(e as Error).message}`);
        process.exitCode = EXIT_CANNOT_RUN;
        return;
      }
      const v = await verifyResultDocument(doc, { keys, loadInstrument: (ref) => loadInstrument(`${ref.id}@${ref.version}`) });
      if (o.json) process.stdout.write(JSON.stringify(v) + '\n');
      else if (v.valid) {
        process.stdout.write(`有效 / valid: ${v.summary}\n`);
      } else {
        process.stdout.write(`无效 / INVALID: ${v.summary}\n`);
        for (const p of v.problems) process.stdout.write(`  [${p.code}] ${p.message}\n`);
      }
      process.exitCode = v.valid ? EXIT_OK : EXIT_INVALID_LINES;
    });
}

function parseTrustedKeys(text: string): TrustedKey[] {
  const json = JSON.parse(text) as { keys?: unknown };
  if (!json || !Array.isArray(json.keys)) throw new Error('keys file must be {"keys":[{"keyId","regionCode","publicKey"}]}');
  return json.keys as TrustedKey[];
}
