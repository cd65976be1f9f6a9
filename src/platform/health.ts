import { sql } from 'kysely';
import type { AppServices } from './app-services.ts';
import { withTimeout, type QueueHealth } from './jobs/queue.ts';

/** A probe of a dependency that stopped answering must not hang the probe itself. */
const PROBE_TIMEOUT_MS = 2_000;

/** Whether this process is shutting down; set on SIGTERM so load balancers stop sending it requests. */
export interface Lifecycle {
  draining: boolean;
  /** Work kept in memory that must reach the database before it closes (e.g. counters written in batches). */
  beforeStop: (() => Promise<void>)[];
}

/** The answer is public, so failures are named but their details (addresses, messages) go to the log. */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'draining';
  database: { ok: boolean; latencyMs?: number };
  queue: Omit<QueueHealth, 'error'>;
}

/** Probe the database and the job queue separately (each bounded by a timeout); never throws. */
export async function checkHealth(s: Pick<AppServices, 'db' | 'jobs' | 'lifecycle' | 'logger'>): Promise<HealthReport> {
  const [{ error: dbError, ...database }, { error: queueError, ...queue }] = await Promise.all([
    probeDatabase(s),
    s.jobs.health(PROBE_TIMEOUT_MS),
  ]);
  if (dbError || queueError) s.logger.warn({ dbError, queueError }, 'health check found a dependency down');
  const status = s.lifecycle.draining ? 'draining' : database.ok && queue.ok ? 'ok' : 'degraded';
  return { status, database, queue };
}

/**
 * Ready to take traffic: not shutting down and the database answers. The queue is left out on purpose: a
 * web process whose queue connection is briefly down still serves pages, and taking it out of rotation
 * would turn a queue blip into an outage.
 */
export async function checkReady(s: Pick<AppServices, 'db' | 'lifecycle'>): Promise<boolean> {
  if (s.lifecycle.draining) return false;
  return (await probeDatabase(s)).ok;
}

async function probeDatabase(s: Pick<AppServices, 'db'>): Promise<HealthReport['database'] & { error?: string }> {
  const started = performance.now();
  try {
    await withTimeout(sql`select 1`.execute(s.db), PROBE_TIMEOUT_MS);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
