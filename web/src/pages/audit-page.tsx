import { useEffect, useId, useState } from 'react';
import type { AuditEntry } from '../../../src/contracts/accounts.ts';
import { api, query } from '../api/client.ts';
import { formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/layout.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { useApi } from '../hooks/use-api.ts';

const PAGE_SIZE = 50;
const ACTOR_TYPES = ['user', 'api_token', 'contact', 'visitor', 'system'] as const;

function detailsText(details: Record<string, unknown>): string {
  const entries = Object.entries(details);
  if (entries.length === 0) return '';
  return entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ');
}

/** The tenant's audit log, newest first, with "load older" paging. */
export function AuditPage() {
  const [actorType, setActorType] = useState('');
  const [older, setOlder] = useState<AuditEntry[]>([]);
  const [olderDone, setOlderDone] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState<unknown>(undefined);
  const filterId = useId();
  const first = useApi<{ items: AuditEntry[] }>(`/api/audit${query({ actorType, limit: PAGE_SIZE })}`);
  useEffect(() => { setOlder([]); setOlderDone(false); }, [actorType]);

  const items = [...(first.data?.items ?? []), ...older];
  const last = items.at(-1);
  const canLoadMore = !olderDone && (first.data?.items.length ?? 0) === PAGE_SIZE && last !== undefined;

  const loadOlder = async () => {
    if (!last) return;
    setLoadingOlder(true);
    try {
      const page = await api<{ items: AuditEntry[] }>(`/api/audit${query({ actorType, limit: PAGE_SIZE, before: last.id })}`);
      setOlder((prev) => [...prev, ...page.items]);
      if (page.items.length < PAGE_SIZE) setOlderDone(true);
      setOlderError(undefined);
    } catch (err) {
      setOlderError(err);
    } finally {
      setLoadingOlder(false);
    }
  };

  return (
    <>
      <PageHeader title="Audit log" description="Who did what, and when. Entries cannot be edited or removed." />
      <section className="card">
        <div className="filters">
          <div className="field">
            <label htmlFor={filterId}>Actor</label>
            <select id={filterId} value={actorType} onChange={(e) => setActorType(e.target.value)}>
              <option value="">Everyone</option>
              {ACTOR_TYPES.map((t) => <option key={t} value={t}>{t.replace('_', ' ')}</option>)}
            </select>
          </div>
        </div>
        {first.error ? <ErrorState error={first.error} onRetry={first.reload} />
          : !first.data ? <Loading label="Loading audit log…" />
          : items.length === 0 ? <EmptyState title="No entries yet" />
          : (
            <div className="table-wrap">
              <table className="table audit-table">
                <thead><tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Details</th><th scope="col">IP</th></tr></thead>
                <tbody>
                  {items.map((e) => (
                    <tr key={e.id}>
                      <td className="nowrap">{formatDateTime(e.createdAt)}</td>
                      <td><div>{e.actorLabel}</div><div className="muted small">{e.actorType}</div></td>
                      <td><code>{e.action}</code></td>
                      <td className="small">{e.targetType ? <>{e.targetType}<div className="muted mono-trim" title={e.targetId ?? ''}>{e.targetId}</div></> : '—'}</td>
                      <td className="small details-cell">{detailsText(e.details)}</td>
                      <td className="small nowrap">{e.ip ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        {olderError !== undefined && <ErrorState error={olderError} onRetry={() => void loadOlder()} title="Could not load older entries" />}
        {canLoadMore && <div className="load-more"><button type="button" className="btn" onClick={() => void loadOlder()} disabled={loadingOlder}>{loadingOlder ? 'Loading…' : 'Load older entries'}</button></div>}
      </section>
    </>
  );
}
