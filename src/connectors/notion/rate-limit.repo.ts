import { sql } from 'kysely';
import type { Db } from '../../platform/db/tenant-scope.ts';

/**
 * The shared Notion budget (table notion_rate_limits), kept with the generic cell rate algorithm: `tat`
 * is when the bucket would be empty again. Each request reserves the next free slot with one atomic
 * upsert, so processes never race and are served in the order they asked. All times are the database
 * server's clock, so the clocks of the processes sharing the budget do not matter.
 */

/**
 * Reserve one request slot; returns how many milliseconds to wait before sending (0: send now).
 * `intervalMs` is the spacing at the sustained rate, `toleranceMs` how far ahead a burst may run.
 */
export async function reserveSlot(db: Db, key: string, intervalMs: number, toleranceMs: number): Promise<number> {
  const { rows } = await sql<{ wait_ms: number }>`
    with clock as (select clock_timestamp() as now)
    insert into notion_rate_limits as b (connection_key, tat, updated_at)
    select ${key}, clock.now + ${intervalMs}::double precision * interval '1 millisecond', clock.now from clock
    on conflict (connection_key) do update
      set tat = greatest(b.tat, (select now from clock)) + ${intervalMs}::double precision * interval '1 millisecond',
          updated_at = (select now from clock)
    returning greatest(0, extract(epoch from (
      b.tat - (${intervalMs}::double precision + ${toleranceMs}::double precision) * interval '1 millisecond'
      - (select now from clock)
    )) * 1000)::double precision as wait_ms`.execute(db);
  return Number(rows[0]!.wait_ms);
}

/**
 * A 429's Retry-After, for every process: nothing is sent before `ms` from now, and after that only one
 * request at once, then the sustained rate (the next reservation starts a fresh bucket holding one slot).
 */
export async function pauseBucket(db: Db, key: string, ms: number, toleranceMs: number): Promise<void> {
  await sql`
    insert into notion_rate_limits as b (connection_key, tat, paused_until)
    values (${key}, clock_timestamp() + (${ms}::double precision + ${toleranceMs}::double precision) * interval '1 millisecond',
            clock_timestamp() + ${ms}::double precision * interval '1 millisecond')
    on conflict (connection_key) do update
      set paused_until = greatest(b.paused_until, excluded.paused_until),
          tat = greatest(b.tat, excluded.tat),
          updated_at = clock_timestamp()`.execute(db);
}

/** Milliseconds left of a pause another process may have set (0 when none). */
export async function pauseRemaining(db: Db, key: string): Promise<number> {
  const { rows } = await sql<{ ms: number }>`
    select greatest(0, extract(epoch from (paused_until - clock_timestamp())) * 1000)::double precision as ms
    from notion_rate_limits where connection_key = ${key}`.execute(db);
  return Number(rows[0]?.ms ?? 0);
}
