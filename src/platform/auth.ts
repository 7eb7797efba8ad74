// Staff and citizen accounts, password login (argon2id), lock-out, sessions (HttpOnly SameSite
// cookie for the browser, bearer token for API clients), CSRF for cookie sessions.
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { AppError } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { scopePrefix } from '../core/regions.ts';
import { randomToken, sha256 } from './crypto.ts';
import { sql, type Database, type Queryable } from './db.ts';
import { isRole, type Role } from './permissions.ts';

export interface Caller {
  userId: string;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  /** Every region code in the caller's scope starts with this. */
  scope: string;
  sessionKind: 'cookie' | 'bearer';
  csrfToken: string;
}

export interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: string;
  region_code: string;
  password_hash: string;
  failed_attempts: number;
  locked_until: Date | null;
  disabled_at: Date | null;
}

export interface AuthPolicy {
  maxFailures: number;
  lockMinutes: number;
  idleMinutes: number;
  /** Longer idle limits for some roles (the caregiver's phone works offline through a shift). */
  idleMinutesByRole?: Partial<Record<Role, number>>;
}

const ARGON_OPTS = { memoryCost: 19456, timeCost: 2, parallelism: 1 }; // OWASP argon2id minimum
const TOUCH_EVERY_MS = 60_000;
const CACHE_MS = 5_000;

export const hashPassword = (pw: string): Promise<string> => argonHash(pw, ARGON_OPTS);

let dummyHash: Promise<string> | null = null;

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  regionCode: string;
  password: string;
}

/** Create or replace (by username) a user. */
export async function upsertUser(q: Queryable, u: NewUser): Promise<string> {
  const h = await hashPassword(u.password);
  const row = await q.one<{ id: string }>(sql`
    INSERT INTO platform.app_user (id, username, display_name, role, region_code, password_hash)
    VALUES (${newId()}, ${u.username}, ${u.displayName}, ${u.role}, ${u.regionCode}, ${h})
    ON CONFLICT (username) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role,
      region_code = EXCLUDED.region_code, password_hash = EXCLUDED.password_hash, failed_attempts = 0,
      locked_until = NULL, updated_at = now()
    RETURNING id`);
  return row!.id;
}

export async function listUsers(q: Queryable): Promise<Omit<UserRow, 'password_hash'>[]> {
  return q.rows(sql`SELECT id, username, display_name, role, region_code, failed_attempts, locked_until, disabled_at
                    FROM platform.app_user ORDER BY username`);
}

export async function unlockUser(q: Queryable, username: string): Promise<boolean> {
  return (await q.run(sql`UPDATE platform.app_user SET failed_attempts = 0, locked_until = NULL WHERE username = ${username}`)) > 0;
}

export async function setPassword(q: Queryable, username: string, password: string): Promise<boolean> {
  const h = await hashPassword(password);
  return (await q.run(sql`UPDATE platform.app_user SET password_hash = ${h}, failed_attempts = 0, locked_until = NULL, updated_at = now() WHERE username = ${username}`)) > 0;
}

export interface LoginResult {
  caller: Caller;
  token: string;
}

type CacheEntry = { caller: Caller; lastSeen: number; touched: number; fetched: number };

/** Sessions and login against the platform.* tables. */
export class Auth {
  private cache = new Map<string, CacheEntry>();

  constructor(private readonly db: Database, private readonly policy: AuthPolicy, private readonly now: () => Date = () => new Date()) {}

  /** Check a password; on success open a session. Failures count towards the lock-out. */
  async login(username: string, password: string, kind: 'cookie' | 'bearer'): Promise<LoginResult> {
    const user = await this.db.one<UserRow>(sql`SELECT * FROM platform.app_user WHERE username = ${username}`);
    if (!user || user.disabled_at) {
      dummyHash ??= hashPassword('not-a-password');
      await argonVerify(await dummyHash, password).catch(() => false); // same time as a real check
      throw new AppError('AUTH_INVALID_CREDENTIALS');
    }
    const now = this.now();
    if (user.locked_until && new Date(user.locked_until) > now) throw new AppError('AUTH_ACCOUNT_LOCKED');
    const good = await argonVerify(user.password_hash, password).catch(() => false);
    if (!good) {
      const failures = user.failed_attempts + 1;
      if (failures >= this.policy.maxFailures) {
        const until = new Date(now.getTime() + this.policy.lockMinutes * 60_000);
        await this.db.run(sql`UPDATE platform.app_user SET failed_attempts = 0, locked_until = ${until.toISOString()} WHERE id = ${user.id}`);
        throw new AppError('AUTH_ACCOUNT_LOCKED');
      }
      await this.db.run(sql`UPDATE platform.app_user SET failed_attempts = ${failures} WHERE id = ${user.id}`);
      throw new AppError('AUTH_INVALID_CREDENTIALS');
    }
    if (!isRole(user.role)) throw new AppError('AUTH_FORBIDDEN');
    const token = randomToken();
    const csrf = randomToken(18);
    await this.db.tx(async (q) => {
      await q.run(sql`UPDATE platform.app_user SET failed_attempts = 0, locked_until = NULL WHERE id = ${user.id}`);
      await q.run(sql`INSERT INTO platform.session (token_hash, user_id, kind, csrf_token, created_at, last_seen_at)
                      VALUES (${sha256(token)}, ${user.id}, ${kind}, ${csrf}, ${now.toISOString()}, ${now.toISOString()})`);
    });
    return { caller: this.toCaller(user, kind, csrf), token };
  }

  private toCaller(user: Pick<UserRow, 'id' | 'username' | 'display_name' | 'role' | 'region_code'>, kind: 'cookie' | 'bearer', csrf: string): Caller {
    return {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role as Role,
      regionCode: user.region_code,
      scope: scopePrefix(user.region_code),
      sessionKind: kind,
      csrfToken: csrf,
    };
  }

  /** The caller behind a session token; throws when missing, revoked or idle too long. */
  async authenticate(token: string): Promise<Caller> {
    const key = sha256(token);
    const nowMs = this.now().getTime();
    let entry = this.cache.get(key);
    if (!entry || nowMs - entry.fetched > CACHE_MS) {
      const row = await this.db.one<UserRow & { kind: 'cookie' | 'bearer'; csrf_token: string; last_seen_at: Date; revoked_at: Date | null }>(sql`
        SELECT u.id, u.username, u.display_name, u.role, u.region_code, u.disabled_at, s.kind, s.csrf_token, s.last_seen_at, s.revoked_at
        FROM platform.session s JOIN platform.app_user u ON u.id = s.user_id
        WHERE s.token_hash = ${key}`);
      if (!row || row.revoked_at || row.disabled_at || !isRole(row.role)) {
        this.cache.delete(key);
        throw new AppError('AUTH_REQUIRED');
      }
      const dbSeen = new Date(row.last_seen_at).getTime();
      const lastSeen = Math.max(dbSeen, entry?.lastSeen ?? 0);
      entry = { caller: this.toCaller(row, row.kind, row.csrf_token), lastSeen, touched: dbSeen, fetched: nowMs };
      this.cache.set(key, entry);
    }
    const idleMs = (this.policy.idleMinutesByRole?.[entry.caller.role] ?? this.policy.idleMinutes) * 60_000;
    if (nowMs - entry.lastSeen > idleMs) {
      await this.logout(token);
      throw new AppError('AUTH_SESSION_EXPIRED');
    }
    entry.lastSeen = nowMs;
    if (nowMs - entry.touched > TOUCH_EVERY_MS) {
      entry.touched = nowMs;
      await this.db.run(sql`UPDATE platform.session SET last_seen_at = ${new Date(nowMs).toISOString()} WHERE token_hash = ${key}`);
    }
    return entry.caller;
  }

  async logout(token: string): Promise<void> {
    const key = sha256(token);
    this.cache.delete(key);
    await this.db.run(sql`UPDATE platform.session SET revoked_at = now() WHERE token_hash = ${key} AND revoked_at IS NULL`);
  }
}

/** Active users of a role whose region lies within `scope` (e.g. the advisors an officer may assign work to). */
export async function usersInScope(q: Queryable, role: string, scope: string): Promise<{ id: string; username: string; display_name: string; region_code: string }[]> {
  return q.rows(sql`SELECT id, username, display_name, region_code FROM platform.app_user
    WHERE role = ${role} AND disabled_at IS NULL AND ${scope === '*' ? sql`TRUE` : sql`region_code LIKE ${scope + '%'}`} ORDER BY username`);
}

/** The id of a user by username, or null. */
export async function userIdOf(q: Queryable, username: string): Promise<string | null> {
  return (await q.one<{ id: string }>(sql`SELECT id FROM platform.app_user WHERE username = ${username}`))?.id ?? null;
}

/** Display names of users by id (for "computed by … approved by …" on screens). */
export async function displayNames(q: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await q.rows<{ id: string; display_name: string }>(sql`SELECT id, display_name FROM platform.app_user WHERE id = ANY(${sql.param([...ids])}::uuid[])`);
  return new Map(rows.map((r) => [r.id, r.display_name]));
}
