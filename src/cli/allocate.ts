// `yiyang allocate` (issue 7 §7): one JSON object on stdin (facilities with capacity, applicants
// with tier, district, application time and ranked choices), one JSON object on stdout
// (assignments sorted by applicant id, unassigned sorted). Bad input: a clear message on stderr,
// exit 2, nothing on stdout. Pure: no database.
import type { Command } from 'commander';
import { allocate, AllocationInputError, readAllocationInput } from '../waitlist/index.ts';
import { jsonObjectText, runJsonObjectCommand } from './json-object.ts';
import { withPlatform } from './with-platform.ts';

const run = (raw: unknown) => {
  const { facilities, applicants } = readAllocationInput(raw);
  return allocate(facilities, applicants);
};
const isInputError = (e: unknown): e is Error => e instanceof AllocationInputError;

export const allocateText = (text: string) => jsonObjectText(text, run, isInputError);

export function registerAllocateCommand(program: Command): void {
  const cmd = program
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
  cmd
    .command('replay <run>')
    .description('重算一次已记录的分配（编号或序号），核对结果与公平性检查 / replay a stored allocation run and check it gives the same result')
    .action(async (id: string) => {
      const out = await withPlatform(async (ctx) => {
        const { getRun, replayRun } = await import('../waitlist/wiring.ts');
        const r = await ctx.db.tx((q) => getRun(q, id), { asAppRole: false, readOnly: true });
        if (!r) return null;
        const rep = replayRun(r);
        return {
          run: r.id, seq: r.seq, startedAt: r.started_at, dryRun: r.dry_run, trigger: r.trigger, same: rep.same, differences: rep.differences,
          assignments: rep.result.assignments.length, unassigned: rep.result.unassigned.length, fairness: { ok: rep.fairness.ok, violations: rep.fairness.violations },
        };
      });
      if (!out) {
        process.stderr.write(`未找到分配记录 ${id} / no allocation run ${id}\n`);
        process.exitCode = 2;
        return;
      }
      process.stdout.write(JSON.stringify(out) + '\n');
      process.stderr.write(out.same ? `第 ${out.seq} 次分配重算一致（${out.assignments} 人获得床位），公平性检查${out.fairness.ok ? '通过' : '未通过'}\n` : `第 ${out.seq} 次分配重算不一致：${out.differences.length} 人结果不同\n`);
      process.exitCode = out.same && out.fairness.ok ? 0 : 1;
    });
}
