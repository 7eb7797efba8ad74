// Build the web front end when dist/web is missing or older than web/ (serve and the browser tests).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, WEB_DIR } from '../app.ts';

const err = (s: string) => process.stderr.write(s + '\n');

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Build the web front end when dist/web is missing or older than web/. */
export function ensureWebBuilt(): void {
  const index = join(WEB_DIR, 'index.html');
  const src = join(REPO_ROOT, 'web');
  if (!existsSync(src)) return;
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(src)) return;
  err('正在构建网页前端（首次启动需要约 10–30 秒）… / building the web front end…');
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(src, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('web build failed');
}

