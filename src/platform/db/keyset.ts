import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { appError } from '../errors.ts';

/*
 * Keyset paging over (created_at desc, id desc), for lists that grow at the top while someone reads them: an
 * offset would repeat or skip rows, a cursor naming the last row seen does not. The cursor is opaque to
 * clients; it carries created_at in microseconds (a JS Date would round it to milliseconds and skip rows).
 */

/** The cursor key of a row, selected with it: `<created_at in µs>:<id>`. */
export const keysetKey = (alias: string) =>
  sql<string>`((extract(epoch from ${sql.ref(`${alias}.created_at`)}) * 1000000)::bigint)::text || ':' || ${sql.ref(`${alias}.id`)}::text`;

const KEY = /^(\d{1,20}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** Rows after the cursor (older, or as old with a smaller id); a cursor we did not issue is a 400. */
export function keysetAfter(alias: string, cursor: string): RawBuilder<SqlBool> {
  const match = KEY.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw appError('invalid_cursor', 'cursor: this is not a cursor from a previous page; start again.');
  return sql<SqlBool>`(${sql.ref(`${alias}.created_at`)}, ${sql.ref(`${alias}.id`)}) < (timestamptz 'epoch' + ${match[1]}::bigint * interval '1 microsecond', ${match[2]}::uuid)`;
}

/** Split `limit + 1` fetched rows into the page and the cursor of the next one (null on the last page). */
export function keysetPage<R extends { cursor_key: string }>(rows: R[], limit: number) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > limit && last ? Buffer.from(last.cursor_key).toString('base64url') : null,
  };
}
