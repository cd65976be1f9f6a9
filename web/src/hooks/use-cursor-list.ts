import { useCallback, useEffect, useState } from 'react';
import { api, query } from '../api/client.ts';

interface CursorPage<T> { items: T[]; nextCursor: string | null }

export interface CursorList<T> {
  items: T[];
  loading: boolean;
  error: unknown;
  hasMore: boolean;
  loadMore(): void;
  reload(): void;
}

/** A cursor-paged list at `path` (null = nothing to load); changing `path` starts over. */
export function useCursorList<T>(path: string | null): CursorList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [request, setRequest] = useState<{ path: string | null; cursor: string | null; generation: number }>({ path: null, cursor: null, generation: 0 });
  const [loading, setLoading] = useState(path !== null);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    setItems([]);
    setCursor(null);
    setRequest((r) => ({ path, cursor: null, generation: r.generation + 1 }));
  }, [path]);

  useEffect(() => {
    if (request.path === null) return;
    const controller = new AbortController();
    const separator = request.path.includes('?') ? '&' : '?';
    const url = request.cursor ? `${request.path}${separator}${query({ cursor: request.cursor }).slice(1)}` : request.path;
    setLoading(true);
    setError(undefined);
    api<CursorPage<T>>(url, { signal: controller.signal })
      .then((page) => {
        setItems((prev) => (request.cursor ? [...prev, ...page.items] : page.items));
        setCursor(page.nextCursor);
      })
      .catch((err: unknown) => { if (!controller.signal.aborted) setError(err); })
      .finally(() => { if (!controller.signal.aborted) setLoading(false); });
    return () => controller.abort();
  }, [request]);

  const loadMore = useCallback(() => {
    if (cursor) setRequest((r) => ({ ...r, cursor, generation: r.generation + 1 }));
  }, [cursor]);
  const reload = useCallback(() => setRequest((r) => ({ ...r, cursor: null, generation: r.generation + 1 })), []);

  return { items, loading, error, hasMore: cursor !== null, loadMore, reload };
}
