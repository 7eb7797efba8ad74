// `yiyang coverage` (issue 6 §5): one JSON object on stdin (a walking network, sites and
// population), one JSON object on stdout (covered, total, share, uncoveredNodes,
// minutesToNearest). Bad input: a clear message on stderr, exit 2, nothing on stdout. Pure: no
// database.
import type { Command } from 'commander';
import { coverage, CoverageInputError, readCoverageInput } from '../supply/index.ts';
import { EXIT_CANNOT_RUN, EXIT_OK } from './jsonl.ts';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Run the contract on a text; returns what to print and the exit code. */
export function coverageText(text: string): { stdout: string; stderr: string; code: number } {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { stdout: '', stderr: '错误：标准输入为空，应为一个 JSON 对象 / error: empty input, expected one JSON object', code: EXIT_CANNOT_RUN };
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch (e) {
    return { stdout: '', stderr: `错误：输入不是有效的 JSON / error: input is not valid JSON (${(e as Error).message})`, code: EXIT_CANNOT_RUN };
  }
  try {
    const { input, network } = readCoverageInput(raw);
    return { stdout: JSON.stringify(coverage(input, network)) + '\n', stderr: '', code: EXIT_OK };
  } catch (e) {
    if (e instanceof CoverageInputError) return { stdout: '', stderr: `错误：${e.message}`, code: EXIT_CANNOT_RUN };
    throw e;
  }
}

export function registerCoverageCommand(program: Command): void {
  program
    .command('coverage')
    .description('15 分钟服务圈覆盖率：标准输入一个 JSON（路网、站点、人口），标准输出一个 JSON / walking coverage of a network')
    .addHelpText(
      'after',
      [
        '',
        'Input:  {"nodes":[{"id":"n1","x":0,"y":0}],"edges":[{"from":"n1","to":"n2","meters":120}],"sites":["n7"],',
        '         "population":[{"node":"n3","count":40}],"walkMetersPerMinute":80,"minutes":15}',
        'Output: {"covered":…,"total":…,"share":…,"uncoveredNodes":[…],"minutesToNearest":{…}}',
        'Edges are walkable both ways; exactly `minutes` away is covered (compared in metres).',
        'Exit code: 0 done, 2 bad input (message on stderr, nothing on stdout).',
      ].join('\n'),
    )
    .action(async () => {
      const r = coverageText(await readAll(process.stdin));
      if (r.stdout) process.stdout.write(r.stdout);
      if (r.stderr) process.stderr.write(r.stderr + '\n');
      process.exitCode = r.code;
    });
}
