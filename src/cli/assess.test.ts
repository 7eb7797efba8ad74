// The `yiyang assess` commands as a user runs them: a real process, stdin → stdout, exit codes.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSigningKey, loadInstrument, score, signResult } from '../assessment/index.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'yiyang-assess-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function yiyang(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // No database settings: the command must not need (or open) one.
    const env = { ...process.env, DATABASE_URL: '', YIYANG_DATA_DIR: join(tmp, 'no-data-here') };
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

const full = (): Record<string, number> => ({ '1': 4, '2': 4, '3': 4, '4': 4, '5': 4, '6': 4, '7': 4, '8': 4, '9': 4, '10': 4, '11': 4, '12': 3, '13': 4, '14': 4, '15': 4, '16': 4, '17': 4, '18': 4, '19': 1, '20': 1, '21': 2, '22': 2, '23': 2, '24': 4, '25': 3, '26': 4 });
const examples = JSON.parse(readFileSync(join(ROOT, 'test/rules/assessment/examples.json'), 'utf8')) as { cases: { input: string; output: string }[] };

describe('yiyang assess score', () => {
  it('scores the EXAMPLES.md lines a1–a7 byte for byte, nothing else on stdout, exit 1 for the invalid a7', async () => {
    const r = await yiyang(['assess', 'score', '--instrument', 'gbt42195-2022'], examples.cases.map((c) => c.input).join('\n') + '\n');
    expect(r.stdout).toBe(examples.cases.map((c) => c.output).join('\n') + '\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/已评分 7 行：有效 6，有误 1（量表 gbt42195-2022@1\.0\.0/);
    // Pure command: no database was opened, so no data directory was created.
    expect(existsSync(join(tmp, 'no-data-here'))).toBe(false);
  });

  it('mixed good and bad lines: one output line per input line, in order, the bad ones as error lines', async () => {
    const lines = [
      JSON.stringify({ id: 'ok1', answers: full() }),
      'not json at all',
      JSON.stringify({ id: 'bad-score', answers: { ...full(), '19': 3 } }),
      '',
      JSON.stringify({ answers: full() }),
      JSON.stringify({ id: 'ok2', answers: full(), diagnoses: ['F03.9'], riskEvents30d: 2 }),
      JSON.stringify({ id: 'missing', answers: { ...full(), '26': undefined } }),
      JSON.stringify({ id: 'ok3', answers: full(), coma: true }),
    ];
    const r = await yiyang(['assess', 'score', '--instrument', 'gbt42195-2022'], lines.join('\r\n') + '\r\n');
    const out = r.stdout.split('\n');
    expect(out.pop()).toBe('');
    expect(out.map((l) => JSON.parse(l) as { id: unknown; error?: { code: string }; level?: number })).toEqual([
      expect.objectContaining({ id: 'ok1', level: 0 }),
      { id: null, error: { code: 'invalid_json', message: '第 2 行不是有效的 JSON' } },
      { id: 'bad-score', error: { code: 'invalid_score', message: '项目 19 的分值 3 不是该项目的选项' } },
      { id: null, error: { code: 'invalid_json', message: '第 4 行为空行，不是有效的 JSON' } },
      { id: null, error: { code: 'missing_id', message: '第 5 行缺少 id（应为非空字符串或数字）' } },
      expect.objectContaining({ id: 'ok2', level: 1, adjustments: [{ code: 'diagnosis', reason: '确诊 F03.9，提高一个级别' }, { code: 'riskEvents', reason: '近30天内发生 2 次照护风险事件，提高一个级别' }] }),
      { id: 'missing', error: { code: 'missing_item', message: '缺少项目 26 的分值' } },
      expect.objectContaining({ id: 'ok3', level: 4, levelName: '完全失能' }),
    ]);
    expect(r.code).toBe(1);
  });

  it('exit 0 when every line scores, also for a last line without a newline and with id@version', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: i, answers: full() }));
    const r = await yiyang(['assess', 'score', '--instrument', 'gbt42195-2022@1.0.0'], lines.join('\n'));
    expect(r.stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: number }).id)).toEqual([0, 1, 2, 3, 4]);
    expect(r.code).toBe(0);
  });

  it('empty input gives empty output and exit 0', async () => {
    const r = await yiyang(['assess', 'score', '--instrument', 'gbt42195-2022'], '');
    expect(r).toMatchObject({ code: 0, stdout: '' });
  });

  it('streams many lines in order', async () => {
    const n = 20_000;
    const input = Array.from({ length: n }, (_, i) => JSON.stringify({ id: `p${i}`, answers: { ...full(), '1': i % 5 } })).join('\n') + '\n';
    const r = await yiyang(['assess', 'score', '--instrument', 'gbt42195-2022'], input);
    const out = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; total: number });
    expect(out).toHaveLength(n);
    expect(out.every((o, i) => o.id === `p${i}` && o.total === 86 + (i % 5))).toBe(true);
    expect(r.code).toBe(0);
  });

  it('an unknown instrument or version: nothing on stdout, a Chinese message on stderr, exit 2', async () => {
    const a = await yiyang(['assess', 'score', '--instrument', 'mzt039-2013'], '{}\n');
    expect(a).toMatchObject({ code: 2, stdout: '' });
    expect(a.stderr).toContain('评估量表 mzt039-2013 不存在');
    const b = await yiyang(['assess', 'score', '--instrument', 'gbt42195-2022@0.1'], '{}\n');
    expect(b).toMatchObject({ code: 2, stdout: '' });
    expect(b.stderr).toContain('评估量表 gbt42195-2022 没有版本 0.1');
  });

  it('--instrument is required', async () => {
    const r = await yiyang(['assess', 'score'], '');
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--instrument/);
  });
});

describe('yiyang assess verify', () => {
  it('says valid (exit 0) for a signed result, invalid and why (exit 1) once tampered', async () => {
    const instrument = await loadInstrument('gbt42195-2022');
    const key = generateSigningKey('pudong-2026', '310115');
    const request = { answers: full(), diagnoses: ['F03.9'] };
    const r = score(instrument, request);
    if (!r.ok) throw new Error(r.error.message);
    const doc = signResult({ instrument, issuer: { regionCode: '310115' }, issuedAt: '2026-11-29T10:00:00+08:00', request, result: r.value }, key.signing);
    const keys = join(tmp, 'keys.json');
    writeFileSync(keys, JSON.stringify({ keys: [key.trusted] }));
    const good = join(tmp, 'good.json');
    writeFileSync(good, JSON.stringify(doc, null, 2));
    const ok = await yiyang(['assess', 'verify', good, '--keys', keys]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('有效 / valid: gbt42195-2022@1.0.0 评估结果，310115 签发（密钥 pudong-2026），能力等级 1 轻度失能\n');

    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...doc, payload: { ...doc.payload, result: { ...doc.payload.result, level: 0, levelName: '能力完好' } } }));
    const no = await yiyang(['assess', 'verify', bad, '--keys', keys]);
    expect(no.code).toBe(1);
    expect(no.stdout).toContain('无效 / INVALID');
    expect(no.stdout).toContain('[tampered] 字段 result（评估结果）在签名后被修改');
    expect(no.stdout).toContain('[result_mismatch] 结果字段 level 与重新评分不符：文件中为 0，按 gbt42195-2022@1.0.0 重新评分为 1');

    const json = await yiyang(['assess', 'verify', bad, '--keys', keys, '--json']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { valid: boolean; problems: { code: string }[] }).problems.map((p) => p.code)).toEqual(['tampered', 'result_mismatch', 'result_mismatch']);

    const missing = await yiyang(['assess', 'verify', join(tmp, 'nope.json'), '--keys', keys]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/ENOENT/);
  });
});
