// What every module's routes and services get: configuration, the database, crypto, audit,
// auth, events, the deployment's jurisdiction and region tree, logger and clock.
import type { Logger } from 'pino';
import type { Jurisdiction, RegionTree } from '../regions/index.ts';
import { Auth } from './auth.ts';
import { AuditWriter } from './audit.ts';
import type { Config } from './config.ts';
import { loadMasterKey, makeFieldCrypto, type FieldCrypto } from './crypto.ts';
import { openDatabase, type Database } from './db.ts';
import { makeLogger } from './logger.ts';
import { migrate } from './migrate.ts';
import { Dispatcher, type Consumer } from './outbox.ts';

export interface AppContext {
  config: Config;
  db: Database;
  crypto: FieldCrypto;
  audit: AuditWriter;
  auth: Auth;
  dispatcher: Dispatcher;
  jurisdiction: Jurisdiction;
  regions: RegionTree;
  logger: Logger;
  clock: () => Date;
  close(): Promise<void>;
}

export interface ContextOptions {
  jurisdiction: Jurisdiction;
  regions: RegionTree;
  logger?: Logger;
  clock?: () => Date;
  consumers?: Consumer[];
  /** Use an already-open database (tests). */
  db?: Database;
  migrate?: boolean;
}

/** Open the database, apply migrations and assemble the context. */
export async function createContext(config: Config, opts: ContextOptions): Promise<AppContext> {
  const logger = opts.logger ?? makeLogger(config.logLevel);
  const db = opts.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize }));
  if (opts.migrate !== false) await migrate(db);
  const crypto = makeFieldCrypto(loadMasterKey(config.secretKey, config.dataDir));
  const clock = opts.clock ?? (() => new Date());
  const audit = new AuditWriter(db);
  const auth = new Auth(db, { maxFailures: config.loginMaxFailures, lockMinutes: config.loginLockMinutes, idleMinutes: config.sessionIdleMinutes, idleMinutesByRole: { caregiver: Math.max(config.sessionIdleMinutes, config.caregiverSessionIdleMinutes) } }, clock);
  const dispatcher = new Dispatcher(db, opts.consumers ?? [], {
    onError: (e, ev, consumer) => logger.warn({ topic: ev.topic, event: ev.id, consumer, error: (e as Error).message }, 'event consumer failed'),
  });
  return {
    config, db, crypto, audit, auth, dispatcher, jurisdiction: opts.jurisdiction, regions: opts.regions, logger, clock,
    async close() {
      await dispatcher.stop();
      await audit.close();
      await db.close();
    },
  };
}
