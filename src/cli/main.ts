// The `yiyang` command line: serve, migrate, seed, import, audit verify, users.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { AppError } from '../core/errors.ts';
import { isRole, ROLES } from '../platform/permissions.ts';
import { scopePrefix } from '../core/regions.ts';
import type { Caller } from '../platform/auth.ts';
import type { AppContext } from '../platform/context.ts';
import type { DemoScale } from '../people/index.ts';

// The command modules, in the order `--help` lists them, with the top-level commands each
// registers. They (and the domain modules behind them) are loaded lazily: `yiyang settle …`
// loads only settle.ts; anything else (`--help`, `help`, an unknown command, …) loads them all.
const COMMAND_MODULES: { commands: string[]; load: () => Promise<(program: Command) => void> }[] = [
  { commands: ['assess'], load: async () => (await import('./assess.ts')).registerAssessCommands },
  { commands: ['entitle', 'policy'], load: async () => (await import('./entitle.ts')).registerEntitleCommands },
  { commands: ['coverage'], load: async () => (await import('./coverage.ts')).registerCoverageCommand },
  { commands: ['allocate'], load: async () => (await import('./allocate.ts')).registerAllocateCommand },
  { commands: ['settle'], load: async () => (await import('./settle.ts')).registerSettleCommand },
  { commands: ['network'], load: async () => (await import('./network.ts')).registerNetworkCommands },
];

// The platform (database drivers, HTTP server, …) is loaded only by the commands that need it,
// so a pure command such as `assess score` starts fast.
const platform = async () => {
  const [app, auth, audit, config, db, logger, migrateMod, people, web] = await Promise.all([
    import('../app.ts'), import('../platform/auth.ts'), import('../platform/audit.ts'), import('../platform/config.ts'),
    import('../platform/db.ts'), import('../platform/logger.ts'), import('../platform/migrate.ts'), import('../people/index.ts'),
    import('./web.ts'),
  ]);
  return {
    ...app, ...auth, ...audit, ...config, ...db, ...logger, ...migrateMod, ...web,
    DEMO_SCALES: people.DEMO_SCALES, PeopleService: people.PeopleService,
  };
};

const err = (s: string) => process.stderr.write(s + '\n');

function bar(label: string): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`, noTTYOutput: true, notTTYSchedule: 2000, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
}

function progress(label: string): { tick: (done: number, total: number) => void; stop: () => void } {
  let b: cliProgress.SingleBar | null = null;
  return {
    tick(done, total) {
      if (!b) {
        b = bar(label);
        b.start(total, 0);
      }
      b.update(done);
    },
    stop() {
      b?.stop();
    },
  };
}

/** Open the platform quietly for a command (logs at warn unless LOG_LEVEL says otherwise). */
async function open(): Promise<AppContext> {
  const { loadConfig, openPlatform, makeLogger } = await platform();
  return openPlatform(loadConfig(), { logger: makeLogger(process.env.LOG_LEVEL ?? 'warn') });
}

async function withCtx<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const ctx = await open();
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

const int = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('需要非负整数 / expected a non-negative integer');
  return n;
};

const program = new Command();
program.name('yiyang').description('颐养 Yiyang — 城市社会养老服务体系平台 / elderly-care platform').version('0.1.0');

program
  .command('serve')
  .description('启动平台（HTTP 服务、网页、事件分发） / start the platform')
  .option('-p, --port <port>', 'port (default $PORT or 3000)', int)
  .option('--host <host>', 'host to bind (default $HOST or localhost)')
  .option('--demo-if-empty', 'seed the demo city when the register is empty')
  .option('--scale <scale>', 'demo scale for --demo-if-empty: small | district | city', 'small')
  .option('--seed <n>', 'demo random seed', int, 1)
  .option('--no-web-build', 'do not build the web front end')
  .action(async (o: { port?: number; host?: string; demoIfEmpty?: boolean; scale: string; seed: number; webBuild: boolean }) => {
    const { ensureWebBuilt, loadConfig, openPlatform, seedDemo, seedDemoEntitlements, buildPlatformApp, startEntitlementSweeps, startWaitlistSchedule, startCareSchedule, DEMO_SCALES } = await platform();
    if (!(o.scale in DEMO_SCALES)) throw new InvalidArgumentError(`unknown scale ${o.scale}`);
    if (o.webBuild) ensureWebBuilt();
    const config = loadConfig();
    const ctx = await openPlatform(config);
    if (o.demoIfEmpty) {
      const p = progress('生成演示人口');
      const t0 = Date.now();
      const r = await seedDemo(ctx, o.scale as DemoScale, o.seed, p.tick);
      p.stop();
      if (r.people > 0) {
        const e = await seedDemoEntitlements(ctx);
        err(`演示城市已生成：${r.people} 位老年人（待遇核定 ${e.decided} 人，演示享受记录 ${e.grants} 条），用时 ${((Date.now() - t0) / 1000).toFixed(1)} 秒`);
      }
      err(`\n演示账户（密码均为 ${r.password}）/ demo accounts (password ${r.password}):`);
      for (const a of r.accounts) err(`  ${a.username.padEnd(18)} ${a.role.padEnd(10)} ${a.regionCode}  ${a.displayName}`);
    }
    const app = await buildPlatformApp(ctx);
    ctx.dispatcher.start();
    const port = o.port ?? config.port;
    const host = o.host ?? config.host;
    await app.listen({ port, host });
    const addr = app.server.address();
    const bound = typeof addr === 'object' && addr ? addr.port : port;
    err(`\n颐养 Yiyang 已启动：http://localhost:${bound}/  （工作台 /workbench，接口文档 /docs）`);
    const sweeps = startEntitlementSweeps(ctx, { log: err });
    const waitlist = startWaitlistSchedule(ctx);
    const care = startCareSchedule(ctx);
    const stop = async () => {
      sweeps.stop();
      waitlist.stop();
      care.stop();
      await app.close();
      await ctx.close();
      process.exit(0);
    };
    process.once('SIGINT', () => void stop());
    process.once('SIGTERM', () => void stop());
  });

program
  .command('migrate')
  .description('应用数据库迁移 / apply database migrations')
  .action(async () => {
    const { loadConfig, openDatabase, migrate } = await platform();
    const config = loadConfig();
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const applied = await migrate(db, (m) => err(`applied ${m.file}`));
      err(applied.length ? `${applied.length} migration(s) applied` : 'database is up to date');
    } finally {
      await db.close();
    }
  });

program
  .command('seed')
  .description('生成演示数据 / seed demo data')
  .requiredOption('--demo', 'the demo city: accounts and a synthetic population')
  .option('--scale <scale>', 'small (≈20k) | district (≈300k) | city (≈5.5M)', 'small')
  .option('--count <n>', 'exact number of people (overrides --scale)', int)
  .option('--seed <n>', 'random seed (same seed, same people)', int, 1)
  .action(async (o: { scale: string; count?: number; seed: number }) => {
    const { seedDemo, seedDemoEntitlements, DEMO_SCALES } = await platform();
    if (!(o.scale in DEMO_SCALES)) throw new InvalidArgumentError(`unknown scale ${o.scale}; use small, district or city`);
    await withCtx(async (ctx) => {
      const p = progress('生成演示人口');
      const t0 = Date.now();
      const r = await seedDemo(ctx, o.count ?? (o.scale as DemoScale), o.seed, p.tick);
      p.stop();
      const secs = (Date.now() - t0) / 1000;
      err(r.people > 0 ? `seeded ${r.people} people in ${secs.toFixed(1)} s (${Math.round(r.people / secs)} people/s)` : 'register not empty: people not seeded (accounts refreshed)');
      if (r.people > 0) {
        const e = await seedDemoEntitlements(ctx);
        err(`entitlements decided for ${e.decided} people; ${e.grants} demo grants`);
      }
      err(`demo accounts (password ${r.password}): ${r.accounts.map((a) => a.username).join(', ')}`);
    });
  });

program
  .command('import')
  .description('从 CSV 或 XLSX 批量导入人员 / import people from CSV or XLSX')
  .argument('<file>', 'CSV or XLSX file')
  .requiredOption('--as <username>', 'the staff account the import is done as (its scope applies and it is audited)')
  .option('--json', 'print the summary as JSON')
  .action(async (file: string, o: { as: string; json?: boolean }) => {
    const { sql, PeopleService } = await platform();
    await withCtx(async (ctx) => {
      const u = await ctx.db.one<{ id: string; username: string; display_name: string; role: string; region_code: string }>(
        sql`SELECT id, username, display_name, role, region_code FROM platform.app_user WHERE username = ${o.as}`,
      );
      if (!u || !isRole(u.role)) throw new AppError('NOT_FOUND', `用户 ${o.as} 不存在`);
      const caller: Caller = { userId: u.id, username: u.username, displayName: u.display_name, role: u.role, regionCode: u.region_code, scope: scopePrefix(u.region_code), sessionKind: 'bearer', csrfToken: '' };
      const p = progress('导入');
      const r = await new PeopleService(ctx).importFile(caller, basename(file), readFileSync(file), p.tick);
      p.stop();
      if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
      else {
        process.stdout.write(`共 ${r.total} 行：新增 ${r.created}，更新 ${r.updated}，未变 ${r.unchanged}，有误 ${r.rejected}（编码 ${r.encoding}）\n`);
        for (const e of r.errors) process.stdout.write(`  第 ${e.row} 行 [${e.field}] ${e.message}\n`);
      }
      if (r.rejected > 0) process.exitCode = 1;
    });
  });

// Only when the first argument names one of their commands is a single module enough: an
// option first (`--help settle`) or any other word needs every command to be known.
const named = COMMAND_MODULES.filter((m) => m.commands.includes(process.argv[2] ?? ''));
for (const register of await Promise.all((named.length > 0 ? named : COMMAND_MODULES).map((m) => m.load()))) register(program);
const audit = program.command('audit').description('审计日志 / audit log');
audit
  .command('verify')
  .description('校验审计日志哈希链：发现被修改、删除或重排的记录 / verify the hash chain')
  .option('--json', 'print the result as JSON')
  .action(async (o: { json?: boolean }) => {
    await withCtx(async (ctx) => {
      const p = progress('校验审计日志');
      const { verifyAudit } = await platform();
      const r = await verifyAudit(ctx.db, p.tick);
      p.stop();
      if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
      else {
        process.stdout.write(r.ok ? `审计日志完整：已校验 ${r.checked} 条记录 / audit log intact (${r.checked} entries)\n` : `审计日志校验失败 / audit log BROKEN:\n`);
        for (const x of r.problems) process.stdout.write(`  #${x.seq} ${x.kind}: ${x.message}\n`);
      }
      if (!r.ok) process.exitCode = 2;
    });
  });

const users = program.command('users').description('用户管理 / manage users');
users
  .command('list')
  .description('列出用户 / list users')
  .action(async () => {
    await withCtx(async (ctx) => {
      const { listUsers } = await platform();
      for (const u of await listUsers(ctx.db)) {
        const locked = u.locked_until && new Date(u.locked_until) > new Date() ? ' (locked)' : '';
        process.stdout.write(`${u.username.padEnd(20)} ${u.role.padEnd(10)} ${u.region_code.padEnd(12)} ${u.display_name}${locked}\n`);
      }
    });
  });
users
  .command('add')
  .description('创建或更新用户（密码从标准输入读取）/ create or update a user (password read from stdin)')
  .requiredOption('--username <name>')
  .requiredOption('--role <role>', ROLES.join(' | '))
  .requiredOption('--region <code>', 'region code of the user\'s scope')
  .option('--display-name <name>')
  .action(async (o: { username: string; role: string; region: string; displayName?: string }) => {
    if (!isRole(o.role)) throw new InvalidArgumentError(`unknown role ${o.role}`);
    const password = readFileSync(0, 'utf8').trim();
    if (password.length < 10) throw new InvalidArgumentError('password (stdin) must have at least 10 characters');
    await withCtx(async (ctx) => {
      if (!ctx.regions.get(o.region)) throw new AppError('REGION_UNKNOWN');
      const { upsertUser } = await platform();
      await upsertUser(ctx.db, { username: o.username, role: o.role as never, regionCode: o.region, displayName: o.displayName ?? o.username, password });
      err(`user ${o.username} saved`);
    });
  });
users
  .command('unlock')
  .description('解除账户锁定 / unlock an account')
  .argument('<username>')
  .action(async (name: string) => {
    await withCtx(async (ctx) => {
      const { unlockUser } = await platform();
      if (!(await unlockUser(ctx.db, name))) throw new AppError('NOT_FOUND', `用户 ${name} 不存在`);
      err(`user ${name} unlocked`);
    });
  });
users
  .command('set-password')
  .description('重设密码（从标准输入读取）/ set a password (read from stdin)')
  .argument('<username>')
  .action(async (name: string) => {
    const password = readFileSync(0, 'utf8').trim();
    if (password.length < 10) throw new InvalidArgumentError('password (stdin) must have at least 10 characters');
    await withCtx(async (ctx) => {
      const { setPassword } = await platform();
      if (!(await setPassword(ctx.db, name, password))) throw new AppError('NOT_FOUND', `用户 ${name} 不存在`);
      err(`password of ${name} set`);
    });
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof AppError) err(`错误 ${e.code}: ${e.message}${e.details.length ? '\n' + e.details.map((d) => `  ${d.path}: ${d.message}`).join('\n') : ''}`);
  else err(`error: ${(e as Error).message}`);
  process.exit(1);
});
