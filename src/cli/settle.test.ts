// `yiyang settle` as a user runs it: a real process, a file or a pipe on stdin, the contract's
// bytes on stdout, exit codes; and the command list that loading command modules lazily must keep.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'yiyang-settle-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Run `yiyang …` with `stdin` through a pipe, or from a file redirected to it (`< file`) when `asFile`. */
function yiyang(args: string[], stdin = '', asFile = false): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = join(tmp, `stdin-${Math.random().toString(36).slice(2)}.json`);
  let fd: number | null = null;
  if (asFile) {
    writeFileSync(file, stdin);
    fd = openSync(file, 'r');
  }
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const env = { ...process.env, DATABASE_URL: '', YIYANG_DATA_DIR: join(tmp, 'no-data-here'), YIYANG_JURISDICTION: '' };
    const child = spawn(process.execPath, ['bin/yiyang.js', ...args], { cwd: ROOT, env, stdio: [fd ?? 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin?.end(stdin);
  }).finally(() => {
    if (fd !== null) closeSync(fd);
  });
}

const EXAMPLE = JSON.parse(readFileSync(join(ROOT, 'test/rules/care/settle-example.json'), 'utf8')) as { input: Record<string, unknown>; output: string };

describe('yiyang settle', () => {
  it.each([
    ['a pipe', false],
    ['a file', true],
  ])('EXAMPLES.md byte for byte with %s on stdin (UTF-8 BOM allowed), exit 0, nothing on stderr', async (_, asFile) => {
    const r = await yiyang(['settle'], '\uFEFF' + JSON.stringify(EXAMPLE.input, null, 2), asFile);
    expect(r).toEqual({ code: 0, stdout: EXAMPLE.output + '\n', stderr: '' });
  });

  it.each([
    ['a pipe', false],
    ['a file', true],
  ])('bad input through %s: exit 2, the message on stderr, nothing on stdout', async (_, asFile) => {
    const input = { ...EXAMPLE.input, visits: [...(EXAMPLE.input.visits as Record<string, unknown>[]), { ...(EXAMPLE.input.visits as Record<string, unknown>[])[0], id: 'late', checkOut: '2025-03-03T08:00:00+08:00' }] };
    const bad = await yiyang(['settle'], JSON.stringify(input), asFile);
    expect(bad).toEqual({ code: 2, stdout: '', stderr: '错误：上门记录 late 的签退早于签到 / visit late: checkOut is before checkIn\n' });
    const empty = await yiyang(['settle'], ' \n', asFile);
    expect(empty).toEqual({ code: 2, stdout: '', stderr: '错误：标准输入为空，应为一个 JSON 对象 / error: empty input, expected one JSON object\n' });
  });

  it('an unknown jurisdiction cannot run: exit 2, nothing on stdout', async () => {
    const r = await yiyang(['settle', '--jurisdiction', 'atlantis'], JSON.stringify(EXAMPLE.input));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^错误：没有名为 "atlantis" 的辖区/);
  });
});

describe('the command list', () => {
  it('`yiyang --help` lists every command in order, and `yiyang settle --help` the settle command', async () => {
    const root = await yiyang(['--help']);
    expect(root.code).toBe(0);
    const names = [...root.stdout.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]);
    expect(names.slice(names.indexOf('serve'))).toEqual(['serve', 'migrate', 'seed', 'import', 'assess', 'entitle', 'policy', 'coverage', 'allocate', 'settle', 'network', 'audit', 'users', 'help']);
    expect(root.stdout).toMatch(/settle \[options\] +长护险居家上门服务结算/);
    const settle = await yiyang(['settle', '--help']);
    expect(settle.code).toBe(0);
    expect(settle.stdout).toMatch(/^Usage: yiyang settle \[options\]/);
    expect(settle.stdout).toContain('Exit code: 0 done, 2 bad input');
    // An option before the command name still needs the whole list (commander then shows the root help).
    expect((await yiyang(['--help', 'settle'])).stdout).toBe(root.stdout);
  });
});
