// Domain events through a transactional outbox (ARCHITECTURE "flow"). A change writes its
// event into platform.outbox in the same transaction; the dispatcher delivers it afterwards,
// at least once, with retries and back-off. Consumers are idempotent: each records the event
// id in platform.inbox in the same transaction as its own work, so a redelivery is a no-op.
// If the process dies between commit and dispatch, the event is still in the table and the
// next dispatcher delivers it (a claimed event's lease runs out and it is claimed again).
import { newId } from '../core/ids.ts';
import { sql, type Database, type Queryable } from './db.ts';

export interface DomainEvent<P = Record<string, unknown>> {
  id: string;
  topic: string;
  districtCode: string | null;
  payload: P;
  createdAt: Date;
}

export interface Consumer {
  /** Stable name, the key of its inbox rows. */
  name: string;
  topics: string[];
  handle(event: DomainEvent, q: Queryable): Promise<void>;
}

/** Write an event in the caller's transaction. */
export async function emit(
  q: Queryable,
  topic: string,
  payload: Record<string, unknown>,
  districtCode: string | null = null,
): Promise<string> {
  return (await emitMany(q, [{ topic, payload, districtCode }]))[0]!;
}

/** Write several events in the caller's transaction, in one statement; returns their ids in order. */
export async function emitMany(q: Queryable, events: readonly { topic: string; payload: Record<string, unknown>; districtCode: string | null }[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = events.map((e) => ({ id: newId(), district_code: e.districtCode, topic: e.topic, payload: e.payload }));
  await q.run(sql`INSERT INTO platform.outbox (id, district_code, topic, payload)
                  SELECT u.id, u.district_code, u.topic, u.payload FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(id uuid, district_code text, topic text, payload jsonb)`);
  return rows.map((r) => r.id);
}

export interface DispatcherOptions {
  batch?: number;
  leaseSeconds?: number;
  pollMs?: number;
  /** Back-off after the n-th failed attempt, in seconds. */
  backoffSeconds?: (attempt: number) => number;
  maxBackoffSeconds?: number;
  onError?: (e: unknown, event: DomainEvent, consumer: string) => void;
}

type OutboxRow = { id: string; topic: string; district_code: string | null; payload: unknown; created_at: Date; attempts: number };

export class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private again = false;
  /** Dispatches only between start() and stop(); runOnce() works regardless (tests, CLI). */
  private stopped = true;

  constructor(private readonly db: Database, private readonly consumers: Consumer[], private readonly opts: DispatcherOptions = {}) {}

  /** Poll the outbox every pollMs until stop(). */
  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.wake().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.opts.pollMs ?? 1000);
      });
    };
    tick();
  }

  /** Run a dispatch pass now (coalesces with one in flight). */
  async wake(): Promise<number> {
    if (this.stopped) return 0;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      do {
        this.again = false;
        let n: number;
        do {
          n = await this.runOnce();
          total += n;
        } while (n > 0 && !this.stopped);
      } while (this.again && !this.stopped);
      return total;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Claim and deliver one batch; returns how many events were claimed. */
  async runOnce(): Promise<number> {
    const lease = this.opts.leaseSeconds ?? 60;
    const claimed = await this.db.tx((q) =>
      q.rows<OutboxRow>(sql`
        UPDATE platform.outbox SET next_attempt_at = now() + make_interval(secs => ${lease}), attempts = attempts + 1
        WHERE id IN (SELECT id FROM platform.outbox
                     WHERE dispatched_at IS NULL AND next_attempt_at <= now()
                     ORDER BY seq LIMIT ${this.opts.batch ?? 100} FOR UPDATE SKIP LOCKED)
        RETURNING id, topic, district_code, payload, created_at, attempts`),
      { asAppRole: true, scope: '*' },
    );
    claimed.sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const row of claimed) await this.deliver(row);
    return claimed.length;
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const event: DomainEvent = {
      id: row.id,
      topic: row.topic,
      districtCode: row.district_code,
      payload: (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as Record<string, unknown>,
      createdAt: row.created_at,
    };
    const failures: string[] = [];
    for (const c of this.consumers.filter((x) => x.topics.includes(event.topic) || x.topics.includes('*'))) {
      try {
        await this.db.tx(
          async (q) => {
            const fresh = await q.run(sql`INSERT INTO platform.inbox (consumer, event_id) VALUES (${c.name}, ${event.id}) ON CONFLICT DO NOTHING`);
            if (fresh === 0) return; // already handled: idempotent redelivery
            await c.handle(event, q);
          },
          { asAppRole: true, scope: '*' },
        );
      } catch (e) {
        failures.push(c.name);
        this.opts.onError?.(e, event, c.name);
      }
    }
    if (failures.length === 0) {
      await this.db.run(sql`UPDATE platform.outbox SET dispatched_at = now(), last_error = NULL WHERE id = ${event.id}`);
    } else {
      const backoff = Math.min(
        this.opts.backoffSeconds?.(row.attempts) ?? 2 ** row.attempts,
        this.opts.maxBackoffSeconds ?? 3600,
      );
      await this.db.run(sql`UPDATE platform.outbox
        SET next_attempt_at = now() + make_interval(secs => ${backoff}), last_error = ${`failed consumers: ${failures.join(', ')}`}
        WHERE id = ${event.id}`);
    }
  }

  /** Stop polling and wait for the pass in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running.catch(() => undefined);
  }
}
