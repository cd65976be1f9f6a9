/** The one paging shape of every list the admin app reads: an opaque cursor for the next page, null on the last. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}
