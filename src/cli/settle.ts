// `yiyang settle` (issue 8 §8): one JSON object on stdin (people with their care grade and home,
// caregivers' visits, optional params), one JSON object on stdout (each visit paid, partial or
// rejected with its reason and money; each person's sums). Without `params`, the LTCI parameters
// in force on each visit's date (policy/parameters/ltci.json) apply. Bad input: a clear message on
// stderr, exit 2, nothing on stdout. Pure: no database.
import type { Command } from 'commander';
import { ltciOn, paramsFor, readSettleInput, settle, SettleInputError, type SettleParams } from '../care/index.ts';
import { createEngine, jurisdictionRoot, loadParameters } from '../entitlements/index.ts';
import { jsonObjectText, readStdin } from './json-object.ts';
import { EXIT_CANNOT_RUN } from './jsonl.ts';

export { ltciOn };

const isInputError = (e: unknown): e is Error => e instanceof SettleInputError;

/** Run the contract on a text with the given policy. */
export function settleText(text: string, policyOn: (day: string) => Partial<SettleParams>) {
  return jsonObjectText(text, (raw) => {
    const input = readSettleInput(raw);
    // The grade threshold is the policy's (LTCI grade 2); explicit params cannot change it.
    const firstMin = policyOn('2100-12-31').minGrade;
    return settle(input.people, input.visits, paramsFor(input, (day) => ({ minGrade: firstMin, ...policyOn(day) })));
  }, isInputError);
}

export function registerSettleCommand(program: Command): void {
  program
    .command('settle')
    .description('长护险居家上门服务结算：标准输入一个 JSON（人员、上门记录、参数），标准输出一个 JSON / settle LTCI home-care visits')
    .option('--jurisdiction <id>', 'whose parameters apply when params are not given', process.env.YIYANG_JURISDICTION || 'shanghai')
    .addHelpText(
      'after',
      [
        '',
        'Input:  {"people":[{"id","careGrade","gradeValidFrom","gradeValidTo","home":{"lat","lon"}}],',
        '         "visits":[{"id","person","caregiver","kind":"care|nursing","checkIn","checkOut","checkInAt":{"lat","lon"}}],',
        '         "params":{"weeklyHours":{…},"fenPerHour":{…},"fundShare":0.9,"maxCheckInMeters":300}}   (params optional)',
        'Output: {"visits":[{"id","status","reason","billedMinutes","amountFen","fundFen","copayFen"}],"people":[{…sums}]}',
        'Exit code: 0 done, 2 bad input (message on stderr, nothing on stdout).',
      ].join('\n'),
    )
    .action(async (o: { jurisdiction: string }) => {
      let policyOn: (day: string) => Partial<SettleParams>;
      try {
        const root = await jurisdictionRoot(o.jurisdiction);
        policyOn = ltciOn(createEngine(await loadParameters(), { rootCode: root }), root);
      } catch (e) {
        process.stderr.write(`错误：${(e as Error).message}\n`);
        process.exitCode = EXIT_CANNOT_RUN;
        return;
      }
      const r = settleText(await readStdin(), policyOn);
      if (r.stdout) process.stdout.write(r.stdout);
      if (r.stderr) process.stderr.write(r.stderr + '\n');
      process.exitCode = r.code;
    });
}
