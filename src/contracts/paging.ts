import { z } from 'zod';

/** The one paging shape of every list the admin app reads: an opaque cursor for the next page, null on the last. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** Query fields of a cursor-paged list: where to continue (from `nextCursor`) and how many to return. */
export const cursorQueryFields = {
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
};

export const cursorPageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
