// `yiyang allocate` (issue 7 §7): one JSON object on stdin (facilities with capacity, applicants
// with tier, district, application time and ranked choices), one JSON object on stdout
// (assignments sorted by applicant id, unassigned sorted). Bad input: a clear message on stderr,
// exit 2, nothing on stdout. Pure: no database.
import type { Command } from 'commander';
import { allocate, AllocationInputError, readAllocationInput } from '../waitlist/index.ts';
import { jsonObjectText, runJsonObjectCommand } from './json-object.ts';

const run = (raw: unknown) => {
  const { facilities, applicants } = readAllocationInput(raw);
  return allocate(facilities, applicants);
};
const isInputError = (e: unknown): e is Error => e instanceof AllocationInputError;

export const allocateText = (text: string) => jsonObjectText(text, run, isInputError);

export function registerAllocateCommand(program: Command): void {
  program
    .command('allocate')
    .description('保基本床位分配（申请人提议的延迟接受算法）：标准输入一个 JSON，标准输出一个 JSON / allocate beds by deferred acceptance')
    .addHelpText(
      'after',
      [
        '',
        'Input:  {"facilities":[{"id":"f1","district":"310115","capacity":3}],',
        '         "applicants":[{"id":"a1","district":"310101","tier":1,"appliedAt":"2024-05-01T08:00:00+08:00","choices":["f2","f1"]}]}',
        'Output: {"assignments":[{"applicant":"a1","facility":"f1"}],"unassigned":["a9"]}',
        'Each facility ranks by tier (lower first), then applicants of its own district, then appliedAt, then id.',
        'Exit code: 0 done, 2 bad input (message on stderr, nothing on stdout).',
      ].join('\n'),
    )
    .action(() => runJsonObjectCommand(run, isInputError));
}
