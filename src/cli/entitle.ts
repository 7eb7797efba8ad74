// `yiyang entitle --as-of DATE` (issue 5 §8) and `yiyang policy check` (issue 5 §1). Pure
// commands: they read policy/ and never open the database.
import type { Command } from 'commander';
import { tryParseLocalDate } from '../core/index.ts';
import { checkParameters, createEngine, entitleLine, jurisdictionRoot, loadParameters } from '../entitlements/index.ts';
import { EXIT_CANNOT_RUN, EXIT_INVALID_LINES, EXIT_OK, quietOnBrokenPipe, streamLines } from './jsonl.ts';

const err = (s: string) => process.stderr.write(s + '\n');

export function registerEntitleCommands(program: Command): void {
  program
    .command('entitle')
    .description('按政策参数批量核定待遇：标准输入每行一个 JSON，标准输出每行一个结果 / entitlements of JSON Lines from stdin')
    .requiredOption('--as-of <date>', 'the date the entitlements are decided on (YYYY-MM-DD)')
    .option('--jurisdiction <id>', 'whose parameters apply (policy/jurisdictions/<id>)', process.env.YIYANG_JURISDICTION || 'shanghai')
    .addHelpText(
      'after',
      [
        '',
        'Input line:  {"id":"p1","birthDate":"1950-03-02","hukouDistrict":"310115","insurance":"employee","careGrade":3,',
        '              "careGradeValidUntil":"2026-01-01","economic":"none","deathDate":null}',
        'Output line: {"id":"p1","age":74,"allowance":{"eligible":true,"band":"70-79","monthlyFen":15000},',
        '              "ltci":{"eligible":true,"homeCareHoursPerWeek":3},"basicBed":{"eligible":false,"tier":null},…,"explanation":[…]}',
        '             or {"id":"p1","error":{"code":"invalid_birth_date","message":"…"}}',
        'Exit code: 0 every line decided, 1 some line invalid, 2 the command could not run (bad date, bad parameters).',
      ].join('\n'),
    )
    .action(async (o: { asOf: string; jurisdiction: string }) => {
      const asOf = tryParseLocalDate(o.asOf);
      if (!asOf) {
        err(`错误：--as-of "${o.asOf}" 不是有效日期（应为 YYYY-MM-DD）`);
        process.exitCode = EXIT_CANNOT_RUN;
        return;
      }
      let engine;
      try {
        engine = createEngine(await loadParameters(), { rootCode: await jurisdictionRoot(o.jurisdiction) });
      } catch (e) {
        err(`错误：${(e as Error).message}`);
        process.exitCode = EXIT_CANNOT_RUN;
        return;
      }
      quietOnBrokenPipe();
      const t0 = performance.now();
      const r = await streamLines((text, n) => entitleLine(engine, asOf, text, n), process.stdin, process.stdout);
      const secs = (performance.now() - t0) / 1000;
      err(`已核定 ${r.lines} 行：有效 ${r.lines - r.invalid}，有误 ${r.invalid}（参数版本 ${engine.set.version}，${asOf}，用时 ${secs.toFixed(2)} 秒）`);
      process.exitCode = r.invalid > 0 ? EXIT_INVALID_LINES : EXIT_OK;
    });

  const policy = program.command('policy').description('政策参数 / policy parameters');
  policy
    .command('check')
    .description('校验 policy/parameters/ 下的政策参数：有效期重叠、缺少出处、单位不一致 / check the parameter files')
    .option('--dir <dir>', 'parameter directory (default: policy/parameters)')
    .option('--supply-dir <dir>', 'supply catalogue, planning targets and portal parameters (default: policy/supply)')
    .option('--waitlist-dir <dir>', 'waiting-list rules (default: policy/waitlist)')
    .option('--care-dir <dir>', 'care delivery: LTCI items, orders, codes, scheduling, visit checks (default: policy/care)')
    .action(async (o: { dir?: string; supplyDir?: string; waitlistDir?: string; careDir?: string }) => {
      const r = await checkParameters(o.dir);
      const [{ checkSupplyPolicy }, { checkWaitlistPolicy }, { checkCarePolicy }] = await Promise.all([import('../supply/index.ts'), import('../waitlist/index.ts'), import('../care/index.ts')]);
      const supply = checkSupplyPolicy(o.supplyDir);
      const waitlist = checkWaitlistPolicy(o.waitlistDir);
      const care = checkCarePolicy(o.careDir);
      if (r.problems.length === 0 && supply.length === 0 && waitlist.length === 0 && care.length === 0) {
        process.stdout.write(`政策参数校验通过：${r.files} 个文件 / parameters OK\n服务供给目录、规划目标与参数校验通过 / supply policy OK\n轮候规则参数校验通过 / waiting-list rules OK\n照护服务参数校验通过 / care policy OK\n`);
        process.exitCode = EXIT_OK;
        return;
      }
      for (const p of r.problems) process.stdout.write(`${p.file}  ${p.where}: ${p.message}\n`);
      for (const p of supply) process.stdout.write(`policy/supply  ${p}\n`);
      for (const p of waitlist) process.stdout.write(`policy/waitlist  ${p}\n`);
      for (const p of care) process.stdout.write(`policy/care  ${p}\n`);
      const n = r.problems.length + supply.length + waitlist.length + care.length;
      process.stdout.write(`共 ${n} 处问题 / ${n} problem(s)\n`);
      process.exitCode = EXIT_INVALID_LINES;
    });
}
