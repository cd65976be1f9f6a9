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
}

/** Identity helper that fixes the payload type from the schema. */
export function defineJob<P, Ctx>(def: JobDefinition<P, Ctx>): JobDefinition<P, Ctx> {
  return def;
}

/** How often an idle worker looks for jobs; pg-boss polls (no LISTEN) through the embedded adapter. */
const POLLING_INTERVAL_SECONDS = 0.5;

/** pg-boss queue names allow only [A-Za-z0-9_.-]; dotted ids are kept verbatim. */
export class JobQueue<Ctx> {
  private constructor(
    private readonly boss: PgBoss,
    private readonly logger: Logger,
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
      superviseIntervalSeconds: 60,
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
    boss.on('error', (err: unknown) => opts.logger.error({ err }, 'job queue error'));
    await boss.start();
    for (const def of opts.definitions) {
      await boss.createQueue(def.id, { retryLimit: 0, ...def.queue });
    }
    return new JobQueue<Ctx>(boss, opts.logger);
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
            await def.handle(parsed.data, ctx, { jobId: job.id });
          }
        },
      );
    }
  }

  /** Register a cron that enqueues `def` with `payload`. */
  async schedule<P>(def: JobDefinition<P, Ctx>, cron: string, payload: P): Promise<void> {
    await this.boss.schedule(def.id, cron, def.payload.parse(payload) as object, { tz: 'UTC' });
  }

  /** Cancel queued or active jobs by id (unknown or finished ids are ignored). */
  async cancel(def: JobDefinition<unknown, Ctx>, ids: string[]): Promise<void> {
    if (ids.length) await this.boss.cancel(def.id, ids);
  }

  /** Ids of unfinished jobs of `def` whose payload contains `data` (JSON containment). */
  async pendingJobIds<P>(def: JobDefinition<P, Ctx>, data: Partial<P>): Promise<string[]> {
    const jobs = await this.boss.findJobs<P>(def.id, { data: data as object });
    return jobs.filter((j) => ['created', 'retry', 'active'].includes(j.state)).map((j) => j.id);
  }

  async stop(): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: 10_000 });
  }
}
