// `yiyang entitle` and `yiyang policy check` as a user runs them: a real process, stdin → stdout,
// exit codes, no database.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'yiyang-entitle-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function yiyang(args: string[], stdin = '', extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, DATABASE_URL: '', YIYANG_DATA_DIR: join(tmp, 'no-data-here'), YIYANG_JURISDICTION: '', ...extraEnv };
    const child = spawn(process.execPath, ['bin/yiyang.js', ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const examples = JSON.parse(readFileSync(join(ROOT, 'test/rules/entitlements/examples.json'), 'utf8')) as { asOf: string; cases: { input: string; output: Record<string, unknown> }[] };

describe('yiyang entitle', () => {
  it('answers EXAMPLES.md p1–p5: one line per line, in order, the contract fields exact, exit 1 for the invalid p5', async () => {
    const r = await yiyang(['entitle', '--as-of', examples.asOf], examples.cases.map((c) => c.input).join('\n') + '\n');
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(examples.cases.length);
    lines.forEach((l, i) => {
      const out = JSON.parse(l) as Record<string, unknown>;
      for (const [k, v] of Object.entries(examples.cases[i]!.output)) expect(out[k], `${i} ${k}`).toEqual(v);
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/已核定 5 行：有效 4，有误 1/);
    expect(existsSync(join(tmp, 'no-data-here'))).toBe(false);
  });

  it('exit 0 when every line is valid; CRLF input; a blank line in the middle is an error line of its own', async () => {
    const ok = await yiyang(['entitle', '--as-of', '2025-03-01'], examples.cases[0]!.input + '\r\n' + examples.cases[1]!.input + '\r\n');
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim().split('\n')).toHaveLength(2);
    const gap = await yiyang(['entitle', '--as-of', '2025-03-01'], [examples.cases[0]!.input, '', examples.cases[1]!.input].join('\n'));
    expect(gap.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: unknown }).id)).toEqual(['p1', null, 'p2']);
    expect(gap.code).toBe(1);
  });

  it('a bad --as-of or an unknown jurisdiction cannot run: exit 2, a Chinese message, nothing on stdout', async () => {
    for (const args of [['--as-of', '2025-02-30'], ['--as-of', 'tomorrow'], ['--as-of', '2025-03-01', '--jurisdiction', 'atlantis']]) {
      const r = await yiyang(['entitle', ...args], examples.cases[0]!.input + '\n');
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/错误：/);
    }
  });

  it('--jurisdiction shangyu uses 上虞区 parameters: Shanghai schemes do not apply there', async () => {
    const r = await yiyang(['entitle', '--as-of', '2025-03-01', '--jurisdiction', 'shangyu'], examples.cases[0]!.input + '\n');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'p1', allowance: { eligible: false }, ltci: { eligible: false } });
  });
});

describe('yiyang policy check', () => {
  it('passes on the shipped parameters', async () => {
    const r = await yiyang(['policy', 'check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/政策参数校验通过：5 个文件/);
    expect(r.stdout).toMatch(/服务供给目录、规划目标与参数校验通过/);
    expect(r.stdout).toMatch(/轮候规则参数校验通过/);
    expect(r.stdout).toMatch(/照护服务参数校验通过/);
  });

  it('fails on a care parameter of the wrong kind, overlapping rows, a duplicate item code and a bad anomaly weight', async () => {
    const dir = join(tmp, 'care');
    cpSync(join(ROOT, 'policy/care'), dir, { recursive: true });
    const c = JSON.parse(readFileSync(join(dir, 'care.json'), 'utf8')) as { parameters: Record<string, unknown>[] };
    c.parameters.find((p) => p.name === 'visitMinutes')!.value = 'an hour';
    const items = c.parameters.find((p) => p.name === 'ltciItems')!;
    (items.value as { code: string }[])[1]!.code = 'L01';
    c.parameters.push({ ...c.parameters.find((p) => p.name === 'travelKmh')!, from: '2020-01-01' });
    writeFileSync(join(dir, 'care.json'), JSON.stringify(c));
    const a = JSON.parse(readFileSync(join(dir, 'anomaly.json'), 'utf8')) as { parameters: Record<string, unknown>[] };
    (a.parameters.find((p) => p.name === 'weights')!.value as Record<string, number>).after_death = 500;
    writeFileSync(join(dir, 'anomaly.json'), JSON.stringify(a));
    const r = await yiyang(['policy', 'check', '--care-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/policy\/care {2}care\.json：参数 visitMinutes：取值 "an hour" 无效/);
    expect(r.stdout).toMatch(/参数 travelKmh：2018-01-01 起与 2020-01-01 起的两行时间重叠/);
    expect(r.stdout).toMatch(/ltciItems（2018-01-01 起）项目编码重复/);
    expect(r.stdout).toMatch(/anomaly\.json：参数 weights：取值/);
    expect(r.stdout).toMatch(/共 4 处问题/);
  });

  it('fails on a planning target without its clause or for an unknown indicator, and a function in an unknown category', async () => {
    const dir = join(tmp, 'supply');
    cpSync(join(ROOT, 'policy/supply'), dir, { recursive: true });
    const planning = JSON.parse(readFileSync(join(dir, 'planning.json'), 'utf8')) as { targets: Record<string, unknown>[] };
    (planning.targets[0]!.citation as Record<string, unknown>).article = '';
    planning.targets[1]!.code = 'no_such_indicator';
    writeFileSync(join(dir, 'planning.json'), JSON.stringify(planning));
    const catalogue = JSON.parse(readFileSync(join(dir, 'catalogue.json'), 'utf8')) as { functions: Record<string, unknown>[] };
    catalogue.functions[0]!.category = 'nowhere';
    writeFileSync(join(dir, 'catalogue.json'), JSON.stringify(catalogue));
    const r = await yiyang(['policy', 'check', '--supply-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/function institutional_care: unknown category nowhere/);
    expect(r.stdout).toMatch(/planning target for unknown indicator no_such_indicator/);
    expect(r.stdout).toMatch(/citation missing/);
    expect(r.stdout).toMatch(/共 3 处问题/);
  });

  it('fails on a waiting-list rule with an unknown priority key, a missing source or a value of the wrong kind', async () => {
    const dir = join(tmp, 'waitlist');
    cpSync(join(ROOT, 'policy/waitlist'), dir, { recursive: true });
    const w = JSON.parse(readFileSync(join(dir, 'waitlist.json'), 'utf8')) as { parameters: Record<string, unknown>[] };
    w.parameters.find((p) => p.name === 'priorityOrder')!.value = ['tier', 'height'];
    w.parameters.find((p) => p.name === 'maxChoices')!.source = '';
    w.parameters.find((p) => p.name === 'declinePenalty')!.value = 'banish';
    writeFileSync(join(dir, 'waitlist.json'), JSON.stringify(w));
    const r = await yiyang(['policy', 'check', '--waitlist-dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/policy\/waitlist {2}参数 priorityOrder：应为/);
    expect(r.stdout).toMatch(/参数 maxChoices：缺少名称说明、单位或来源/);
    expect(r.stdout).toMatch(/参数 declinePenalty：取值 "banish" 无效/);
    expect(r.stdout).toMatch(/共 3 处问题/);
  });

  it('fails with file, place and reason on an overlapping period, a missing citation and a unit mismatch', async () => {
    const dir = join(tmp, 'params');
    cpSync(join(ROOT, 'policy/parameters'), dir, { recursive: true });
    const ltci = JSON.parse(readFileSync(join(dir, 'ltci.json'), 'utf8')) as { parameters: { name: string; rows: Record<string, unknown>[] }[] };
    ltci.parameters.find((p) => p.name === 'institutionDailyLimitFen')!.rows[0]!.to = '2025-12-31';
    (ltci.parameters.find((p) => p.name === 'minAge')!.rows[0]!.citation as Record<string, unknown>).document = '';
    ltci.parameters.find((p) => p.name === 'fundShareHome')!.rows[0]!.unit = 'percent';
    writeFileSync(join(dir, 'ltci.json'), JSON.stringify(ltci));
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    const r = await yiyang(['policy', 'check', '--dir', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/broken\.json {2}\(文件\): 不是有效的 JSON/);
    expect(r.stdout).toMatch(/ltci\.json {2}institutionDailyLimitFen\.rows\[1\]\.from: 与 rows\[0\]（2018-01-01 至 2025-12-31）的有效期重叠/);
    expect(r.stdout).toMatch(/ltci\.json {2}minAge\.rows\[0\]\.citation\.document: 缺少出处/);
    expect(r.stdout).toMatch(/ltci\.json {2}fundShareHome\.rows\[0\]\.unit: 单位不一致/);
    expect(r.stdout).toMatch(/共 4 处问题/);
  });
});
