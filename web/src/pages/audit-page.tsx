import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { queries } from '../api/queries.ts';
import { formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/layout.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';

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
  const filterId = useId();
  const entries = useInfiniteQuery(queries.audit({ actorType: actorType || undefined }, PAGE_SIZE));

  return (
    <>
      <PageHeader title="Audit log" description="Who did what, and when. Entries cannot be edited or removed." />
      <section className="card">
        <div className="filters">
          <div className="field">
            <label htmlFor={filterId}>Actor</label>
            <select id={filterId} value={actorType} onChange={(e) => setActorType(e.target.value)}>
              <option value="">Everyone</option>
              {ACTOR_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t.replace('_', ' ')}
                </option>
              ))}
            </select>
          </div>
        </div>
        {entries.error && !entries.isFetchNextPageError ? (
          <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />
        ) : !entries.data ? (
          <Loading label="Loading audit log…" />
        ) : entries.data.length === 0 ? (
          <EmptyState title="No entries yet" />
        ) : (
          <div className="table-wrap">
            <table className="table audit-table">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Details</th>
                  <th scope="col">IP</th>
                </tr>
              </thead>
              <tbody>
                {entries.data.map((e) => (
                  <tr key={e.id}>
                    <td className="nowrap">{formatDateTime(e.createdAt)}</td>
                    <td>
                      <div>{e.actorLabel}</div>
                      <div className="muted small">{e.actorType}</div>
                    </td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td className="small">
                      {e.targetType ? (
                        <>
                          {e.targetType}
                          <div className="muted mono-trim" title={e.targetId ?? ''}>
                            {e.targetId}
                          </div>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td className="small details-cell">{detailsText(e.details)}</td>
                    <td className="small nowrap">{e.ip ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <LoadMore list={entries} label="Load older entries" />
      </section>
    </>
  );
}
