// Configuration from the environment. Every variable is listed in the README's table.
import { resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  dbPoolSize: number;
  jurisdiction: string;
  secretKey: string | null;
  /** Ed25519 result-signing key (base64 PKCS#8 DER); null = `<dataDir>/signing.key`. */
  signingKey: string | null;
  logLevel: string;
  sessionIdleMinutes: number;
  /** The caregiver's phone: a session outlives a shift offline. */
  caregiverSessionIdleMinutes: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  loginRateLimitPerMinute: number;
  bodyLimitBytes: number;
  importLimitBytes: number;
  auditFlushMs: number;
}

const int = (v: string | undefined, d: number): number => {
  if (v === undefined || v === '') return d;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`invalid integer in environment: ${v}`);
  return n;
};

/** Read the configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: int(env.PORT, 3000),
    host: env.HOST || 'localhost',
    dataDir: resolve(env.YIYANG_DATA_DIR || './data'),
    databaseUrl: env.DATABASE_URL || null,
    dbPoolSize: int(env.YIYANG_DB_POOL, 10),
    jurisdiction: env.YIYANG_JURISDICTION || 'shanghai',
    secretKey: env.YIYANG_SECRET_KEY || null,
    signingKey: env.YIYANG_SIGNING_KEY || null,
    logLevel: env.LOG_LEVEL || 'info',
    sessionIdleMinutes: int(env.YIYANG_SESSION_IDLE_MINUTES, 30),
    caregiverSessionIdleMinutes: int(env.YIYANG_CAREGIVER_SESSION_IDLE_MINUTES, 720),
    loginMaxFailures: int(env.YIYANG_LOGIN_MAX_FAILURES, 5),
    loginLockMinutes: int(env.YIYANG_LOGIN_LOCK_MINUTES, 30),
    loginRateLimitPerMinute: int(env.YIYANG_LOGIN_RATE_LIMIT, 30),
    bodyLimitBytes: int(env.YIYANG_BODY_LIMIT, 1024 * 1024),
    importLimitBytes: int(env.YIYANG_IMPORT_LIMIT, 50 * 1024 * 1024),
    auditFlushMs: int(env.YIYANG_AUDIT_FLUSH_MS, 0),
  };
}
