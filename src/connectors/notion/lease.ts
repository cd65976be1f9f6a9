import type { AppServices } from '../../platform/app-services.ts';

/**
 * Work a worker holds (an import item, a sync run) carries a heartbeat. It beats four times per stale
 * period, so a live worker never looks dead because one beat was late; the reaper takes work whose
 * heartbeat is older than the stale period (WORK_STALE_AFTER_SECONDS) as abandoned.
 */
export function leaseTimings(config: AppServices['config']): { staleMs: number; heartbeatMs: number } {
  const staleMs = config.WORK_STALE_AFTER_SECONDS * 1000;
  return { staleMs, heartbeatMs: Math.max(250, Math.floor(staleMs / 4)) };
}

/**
 * Beat the heart of held work until `stop()`. `touch` resolves false once the work was handed to another
 * attempt; that is only logged here, because the holder finds out at its next fenced write and stops.
 */
export function keepLeaseAlive(
  s: Pick<AppServices, 'config' | 'logger'>,
  what: string,
  id: string,
  touch: () => Promise<boolean>,
): { stop(): void } {
  const timer = setInterval(() => {
    touch().then(
      (held) => {
        if (!held) s.logger.warn({ id }, `${what} was handed to another worker`);
      },
      (err: unknown) => s.logger.warn({ err, id }, `${what} heartbeat failed`),
    );
  }, leaseTimings(s.config).heartbeatMs);
  return { stop: () => clearInterval(timer) };
}
