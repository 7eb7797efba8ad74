// `yiyang coverage` (issue 6 §5): one JSON object on stdin (a walking network, sites and
// population), one JSON object on stdout (covered, total, share, uncoveredNodes,
// minutesToNearest). Bad input: a clear message on stderr, exit 2, nothing on stdout. Pure: no
// database.
import type { Command } from 'commander';
import { coverage, CoverageInputError, readCoverageInput } from '../supply/index.ts';
import { jsonObjectText, runJsonObjectCommand } from './json-object.ts';

const run = (raw: unknown) => {
  const { input, network } = readCoverageInput(raw);
  return coverage(input, network);
};
const isInputError = (e: unknown): e is Error => e instanceof CoverageInputError;

/** Run the contract on a text; returns what to print and the exit code. */
export const coverageText = (text: string) => jsonObjectText(text, run, isInputError);

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
    .action(() => runJsonObjectCommand(run, isInputError));
}
