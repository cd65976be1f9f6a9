import { useEffect, useState } from 'react';
import type { ImportStatus } from '../../../src/contracts/integrations.ts';
import { api } from '../api/client.ts';

const POLL_MS = 700;

/** Follows a Notion import until it stops running, polling its status every 700 ms. */
export function useImportStatus(importId: string | null): { status: ImportStatus | null; error: unknown } {
  const [status, setStatus] = useState<ImportStatus | null>(null);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    setStatus(null);
    setError(undefined);
    if (!importId) return;
    let stopped = false;
    let timer: number | undefined;
    const tick = async () => {
      try {
        const next = await api<ImportStatus>(`/api/notion/imports/${encodeURIComponent(importId)}`);
        if (stopped) return;
        setStatus(next);
        setError(undefined);
        if (next.status !== 'running') return;
      } catch (err) {
        if (stopped) return;
        setError(err);
      }
      timer = window.setTimeout(() => void tick(), POLL_MS);
    };
    void tick();
    return () => { stopped = true; window.clearTimeout(timer); };
  }, [importId]);

  return { status, error };
}

/** Share of the import's pages that reached an end state, 0–100. */
export function importPercent(status: ImportStatus | null): number {
  if (!status) return 0;
  if (status.status === 'completed') return 100;
  const total = status.total || status.items.length;
  if (total === 0) return 0;
  const finished = status.items.filter((i) => i.status === 'succeeded' || i.status === 'failed' || i.status === 'cancelled').length;
  return Math.min(100, Math.round((finished / total) * 100));
}
