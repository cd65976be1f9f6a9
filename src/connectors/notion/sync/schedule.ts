import crypto from 'node:crypto';

/**
 * Where in the sync window a connection's runs fall: a stable fraction derived from its id, so ten
 * thousand tenants connected on the same day still spread their runs evenly over the interval.
 */
function spreadOffsetMs(integrationId: string, intervalMs: number): number {
  const fraction = crypto.createHash('sha256').update(integrationId).digest().readUInt32BE(0) / 0x1_0000_0000;
  return Math.floor(fraction * intervalMs);
}

/** The first scheduled run of a newly connected connection. */
export function firstRunAt(integrationId: string, intervalMs: number, now: Date): Date {
  return new Date(now.getTime() + spreadOffsetMs(integrationId, intervalMs));
}

/** The run after `previous`, keeping the connection on its slot even if a run started late. */
export function nextRunAfter(previous: Date | null, intervalMs: number, now: Date): Date {
  let next = (previous ?? now).getTime() + intervalMs;
  while (next <= now.getTime()) next += intervalMs;
  return new Date(next);
}
