import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { z } from 'zod';
import { appError } from '../errors.ts';

/*
 * Keyset paging: a list is ordered by (sort key desc, id desc) and a cursor is the last row's pair, so a page
 * never skips or repeats rows when rows are added meanwhile, and reading page 100 costs what page 1 does.
 * Timestamps travel as text with microseconds: a JS Date would round them to milliseconds and lose rows.
 */

const badCursor = () =>
  appError('invalid_query', 'cursor: not a cursor this list gave out; start from the first page.');

/** Opaque to clients: base64url of the last row's sort key parts. */
export function encodeCursor(...parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** The parts of a cursor made by `encodeCursor`, checked against the list's own shape (else a 400). */
export function decodeCursor<T>(cursor: string, shape: z.ZodType<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  const parts = shape.safeParse(parsed);
  if (!parts.success) throw badCursor();
  return parts.data;
}

/** A timestamp column as ISO text in UTC with microseconds, to put into a cursor. */
export const timestampKey = (column: string): RawBuilder<string> =>
  sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Rows after the cursor in (timestamp desc, uuid desc) order. */
export function afterTimestampCursor(tsColumn: string, idColumn: string, cursor: string): Expression<SqlBool> {
  const [at, id] = decodeCursor(cursor, z.tuple([z.iso.datetime(), z.uuid()]));
  return sql<SqlBool>`(${sql.ref(tsColumn)}, ${sql.ref(idColumn)}) < (${at}::timestamptz, ${id}::uuid)`;
}

/**
 * Cut a page from rows fetched with `limit + 1`: the extra row only tells that there is a next page, whose
 * cursor is the last kept row's.
 */
export function cutPage<R>(
  rows: R[],
  limit: number,
  cursorOf: (row: R) => string,
): { rows: R[]; nextCursor: string | null } {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept.at(-1);
  return { rows: kept, nextCursor: more && last ? cursorOf(last) : null };
}
