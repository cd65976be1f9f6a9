import type { UseInfiniteQueryResult } from '@tanstack/react-query';
import { ErrorState } from './states.tsx';

type PagedList = Pick<
  UseInfiniteQueryResult,
  'hasNextPage' | 'isFetchingNextPage' | 'isFetchNextPageError' | 'error' | 'fetchNextPage'
>;

/** The "next page" control under a cursor-paged list, with its own error when that page failed. */
export function LoadMore({ list, label = 'Load more' }: { list: PagedList; label?: string }) {
  const loadMore = () => void list.fetchNextPage();
  if (list.isFetchNextPageError)
    return <ErrorState error={list.error} onRetry={loadMore} title="Could not load more" />;
  if (!list.hasNextPage) return null;
  return (
    <div className="load-more">
      <button type="button" className="btn" onClick={loadMore} disabled={list.isFetchingNextPage}>
        {list.isFetchingNextPage ? 'Loading…' : label}
      </button>
    </div>
  );
}
