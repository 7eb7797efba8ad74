// `yiyang assess …`: batch scoring of assessment answers (issue 4 §7) and offline verification
// of signed results (issue 4 §4). Pure commands: they read policy/instruments/ and never open the
// database.
import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { instrumentLabel, loadInstrument, scoreLine, verifyResultDocument, type Instrument, type TrustedKey } from '../assessment/index.ts';
import { EXIT_CANNOT_RUN, EXIT_INVALID_LINES, EXIT_OK, quietOnBrokenPipe, streamLines } from './jsonl.ts';

export { EXIT_CANNOT_RUN, EXIT_INVALID_LINES, EXIT_OK };

const err = (s: string) => process.stderr.write(s + '\n');

/** Score JSON Lines from `input` onto `output`, one line out per line in, in order. */
export const scoreStream = (instrument: Instrument, input: Readable, output: Writable) =>
  streamLines((text, lineNo) => scoreLine(instrument, text, lineNo), input, output);

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
      quietOnBrokenPipe();
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
