import { PgBoss, fromKysely } from 'pg-boss';
import type { Queue, SendOptions } from 'pg-boss';
import type { z } from 'zod';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { DatabaseHandle } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { AppError } from '../errors.ts';

/**
 * A declared job: dotted id, zod payload, handler. Handlers see the payload and a small context, never
 * pg-boss. Declared with method syntax so definitions of different payloads fit one registry.
 */
export interface JobDefinition<P, Ctx> {
  id: string;
  payload: z.ZodType<P>;
  queue?: Omit<Queue, 'name'>;
  /** Jobs of this kind one process runs at once (default 2). */
  concurrency?: number;
  handle(payload: P, ctx: Ctx, meta: { jobId: string }): Promise<void>;
  /**
   * Called at shutdown for a job still running when the grace period ends: give the work back (mark its
   * lease expired) so another worker's reaper re-queues it at once instead of after the stale timeout.
   */
  handBack?(payload: P, ctx: Ctx): Promise<void>;
}

/** What /healthz reports about the queue. */
export interface QueueHealth {
  ok: boolean;
  /** Jobs waiting and running, over every declared queue (pg-boss's periodically refreshed counts). */
  queued?: number;
  active?: number;
  error?: string;
}

/** Identity helper that fixes the payload type from the schema. */
export function defineJob<P, Ctx>(def: JobDefinition<P, Ctx>): JobDefinition<P, Ctx> {
  return def;
}

/**
 * Jobs of queues that set it beat their own heartbeat in pg-boss (every half of this, while the handler
 * runs). A job fetched by a worker that died, or whose fetch was lost with its connection, is failed and
 * retried after this long instead of staying active until pg-boss's expiry (15 minutes).
 */
export const JOB_HEARTBEAT_SECONDS = 30;

/** How often an idle worker looks for jobs; pg-boss polls (no LISTEN) through the embedded adapter. */
const POLLING_INTERVAL_SECONDS = 0.5;

/** pg-boss queue names allow only [A-Za-z0-9_.-]; dotted ids are kept verbatim. */
export class JobQueue<Ctx> {
  /** Jobs this process is running now, for handing back at shutdown. */
  private readonly inFlight = new Set<{ def: JobDefinition<unknown, Ctx>; payload: unknown }>();
  private ctx: Ctx | null = null;

  private constructor(
    private readonly boss: PgBoss,
    private readonly logger: Logger,
    private readonly names: string[],
  ) {}

  /**
   * Start pg-boss on the application's database. Embedded PGlite has a single session, so pg-boss must
   * go through the same pool as the app; a real server gets pg-boss's own pool.
   */
  static async start<Ctx>(opts: {
    handle: DatabaseHandle;
    logger: Logger;
    schedule: boolean;
    definitions: JobDefinition<unknown, Ctx>[];
  }): Promise<JobQueue<Ctx>> {
    const pool = opts.handle.pool;
    const common = {
      schedule: opts.schedule,
      supervise: true,
      // Supervision also fails jobs whose heartbeat stopped (see JOB_HEARTBEAT_SECONDS).
      superviseIntervalSeconds: 15,
    };
    const boss = opts.handle.embedded
      ? new PgBoss({
          ...common,
          backend: 'pglite',
          db: {
            executeSql: async (text: string, values?: unknown[]) => pool.query(text, values),
          },
        })
      : new PgBoss({
          ...common,
          connectionString: opts.handle.databaseUrl!,
          max: 4,
        });
    // pg-boss reports failed polls and maintenance (a lost connection among them) as events and carries on;
    // without this listener the event would crash the process.
    boss.on('error', (err: unknown) => opts.logger.error({ err }, 'job queue error'));
    await boss.start();
    for (const def of opts.definitions) {
      const options = { retryLimit: 0, ...def.queue };
      await boss.createQueue(def.id, options);
      // createQueue leaves an existing queue as it was; retry settings changed since must reach it too.
      await boss.updateQueue(def.id, {
        retryLimit: options.retryLimit,
        ...(options.retryDelay === undefined ? {} : { retryDelay: options.retryDelay }),
      });
    }
    return new JobQueue<Ctx>(
      boss,
      opts.logger,
      opts.definitions.map((d) => d.id),
    );
  }

  /** Enqueue a job; returns null when a singleton policy refused a duplicate. */
  async send<P>(def: JobDefinition<P, Ctx>, payload: P, options: SendOptions = {}): Promise<string | null> {
    const data = def.payload.parse(payload);
    return this.boss.send(def.id, data as object, options);
  }

  /**
   * Enqueue inside the caller's database transaction: the job exists exactly when the rows it works on
   * are committed, never without them (a crash between commit and send cannot strand them).
   */
  async sendInTransaction<P>(
    def: JobDefinition<P, Ctx>,
    payload: P,
    trx: Transaction<Database>,
    options: SendOptions = {},
  ): Promise<string | null> {
    return this.boss.send(def.id, def.payload.parse(payload) as object, {
      ...options,
      db: fromKysely(trx),
    });
  }

  /** Run handlers for the given definitions in this process. */
  async work(definitions: JobDefinition<unknown, Ctx>[], ctx: Ctx): Promise<void> {
    this.ctx = ctx;
    for (const def of definitions) {
      await this.boss.work(
        def.id,
        {
          pollingIntervalSeconds: POLLING_INTERVAL_SECONDS,
          localConcurrency: def.concurrency ?? 2,
        },
        async (jobs) => {
          for (const job of jobs) {
            const parsed = def.payload.safeParse(job.data);
            if (!parsed.success) {
              this.logger.error({ job: def.id, jobId: job.id, issues: parsed.error.issues }, 'job payload rejected');
              throw new AppError({
                code: 'invalid_job_payload',
                message: 'Job payload is invalid.',
              });
            }
            const running = { def, payload: parsed.data };
            this.inFlight.add(running);
            try {
              await def.handle(parsed.data, ctx, { jobId: job.id });
            } finally {
              this.inFlight.delete(running);
            }
          }
        },
      );
    }
  }

  /** Register a cron that enqueues `def` with `payload`. */
  async schedule<P>(def: JobDefinition<P, Ctx>, cron: string, payload: P): Promise<void> {
    await this.boss.schedule(def.id, cron, def.payload.parse(payload) as object, { tz: 'UTC' });
  }

  /**
   * Cancel queued or active jobs by id (unknown or finished ids are ignored); inside `trx` when given, so
   * the cancel commits with the rows that replace the job.
   */
  async cancel<P>(def: JobDefinition<P, Ctx>, ids: string[], trx?: Transaction<Database>): Promise<void> {
    if (ids.length) await this.boss.cancel(def.id, ids, trx ? { db: fromKysely(trx) } : {});
  }

  /** Ids of unfinished jobs of `def` whose payload contains `data` (JSON containment). */
  async pendingJobIds<P>(def: JobDefinition<P, Ctx>, data: Partial<P>): Promise<string[]> {
    const jobs = await this.boss.findJobs<P>(def.id, { data: data as object });
    return jobs.filter((j) => ['created', 'retry', 'active'].includes(j.state)).map((j) => j.id);
  }

  /**
   * Stop taking jobs and give running ones `graceMs` to finish. pg-boss then fails whatever is still
   * running; each such job's work is handed back (see JobDefinition.handBack) while the database is open.
   */
  async stop(graceMs: number): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: graceMs });
    const ctx = this.ctx;
    if (!ctx) return;
    for (const { def, payload } of this.inFlight) {
      await def
        .handBack?.(payload, ctx)
        .catch((err: unknown) => this.logger.warn({ err, job: def.id }, 'hand-back failed'));
    }
  }

  /** Whether the queue's database answers, and how much work waits; never throws. */
  async health(timeoutMs: number): Promise<QueueHealth> {
    try {
      await withTimeout(this.boss.getDb().executeSql('select 1'), timeoutMs);
      const queues = await withTimeout(this.boss.getQueues(this.names), timeoutMs);
      return {
        ok: true,
        queued: queues.reduce((n, q) => n + q.queuedCount, 0),
        active: queues.reduce((n, q) => n + q.activeCount, 0),
      };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }
}

/** `promise`, or a rejection after `ms` (a probe of a server that stopped answering must not hang). */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
