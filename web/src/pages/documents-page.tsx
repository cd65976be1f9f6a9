import { useInfiniteQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import type { AccessLevel } from '../../../src/contracts/common.ts';
import { hasRole } from '../../../src/contracts/roles.ts';
import type { DocumentFilter } from '../api/endpoints.ts';
import { queries } from '../api/queries.ts';
import { AccessBadge, Badge, SourceBadges } from '../components/badges.tsx';
import {
  ACCESS_LEVEL_LABELS,
  ACCESS_LEVEL_OPTIONS,
  formatDateTime,
  SOURCE_STATUS_LABELS,
  SOURCE_STATUS_OPTIONS,
} from '../components/format.ts';
import { FirstRunChecklist } from '../components/first-run-checklist.tsx';
import { PageHeader } from '../components/layout.tsx';
import { Icon } from '../components/icons.tsx';
import { NotionIcon } from '../components/notion-icon.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { useDebounced } from '../hooks/use-debounced.ts';
import { useMe } from '../session/session.tsx';

const PAGE_SIZE = 25;

/** The library: filters, text search and paging over every document of the tenant. */
export function DocumentsPage() {
  const me = useMe();
  const canCreate = hasRole(me.user.role, 'content_manager');
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const [source, setSource] = useState<DocumentFilter['source'] | ''>('');
  const [accessLevel, setAccessLevel] = useState<AccessLevel | ''>('');
  const [sourceStatus, setSourceStatus] = useState<DocumentFilter['sourceStatus'] | ''>('');
  const [updateAvailable, setUpdateAvailable] = useState(false);
  const ids = { q: useId(), source: useId(), access: useId(), status: useId(), update: useId() };

  const filter: DocumentFilter = {
    q: q || undefined,
    source: source || undefined,
    accessLevel: accessLevel || undefined,
    sourceStatus: sourceStatus || undefined,
    updateAvailable: updateAvailable ? 'true' : undefined,
  };
  const docs = useInfiniteQuery(queries.documents.list(filter, PAGE_SIZE));
  const filtered = Boolean(q || source || accessLevel || sourceStatus || updateAvailable);

  return (
    <>
      <PageHeader
        title="Documents"
        description="Everything your trust center can publish, with who may read it."
        actions={
          canCreate ? (
            <Link className="btn btn-primary" to="/documents/new">
              New document
            </Link>
          ) : undefined
        }
      />
      {canCreate && <FirstRunChecklist tenantId={me.tenant.id} />}
      <section className="card">
        <div className="filters" role="search">
          <div className="field grow">
            <label htmlFor={ids.q}>Search</label>
            <input
              id={ids.q}
              type="search"
              placeholder="Title or content…"
              value={text}
              onChange={(e) => setText(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.source}>Source</label>
            <select
              id={ids.source}
              value={source}
              onChange={(e) => setSource(e.target.value as DocumentFilter['source'] | '')}
            >
              <option value="">All sources</option>
              <option value="notion">Notion</option>
              <option value="manual">Manual</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.access}>Access level</label>
            <select
              id={ids.access}
              value={accessLevel}
              onChange={(e) => setAccessLevel(e.target.value as AccessLevel | '')}
            >
              <option value="">All levels</option>
              {ACCESS_LEVEL_OPTIONS.map((l) => (
                <option key={l} value={l}>
                  {ACCESS_LEVEL_LABELS[l]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.status}>Source status</label>
            <select
              id={ids.status}
              value={sourceStatus}
              onChange={(e) => setSourceStatus(e.target.value as DocumentFilter['sourceStatus'] | '')}
            >
              <option value="">Any status</option>
              {SOURCE_STATUS_OPTIONS.map((s) => (
                <option key={s} value={s}>
                  {SOURCE_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div className="field field-check">
            <input
              id={ids.update}
              type="checkbox"
              checked={updateAvailable}
              onChange={(e) => setUpdateAvailable(e.target.checked)}
            />
            <label htmlFor={ids.update}>Update available</label>
          </div>
        </div>

        {docs.error && !docs.isFetchNextPageError ? (
          <ErrorState error={docs.error} onRetry={() => void docs.refetch()} title="Could not load documents" />
        ) : !docs.data ? (
          <Loading label="Loading documents…" />
        ) : docs.data.length === 0 ? (
          filtered ? (
            <EmptyState title="No documents match these filters">Clear the search or pick other filters.</EmptyState>
          ) : (
            <EmptyState title="No documents yet">
              {canCreate ? (
                <>
                  Import pages <Link to="/import">from Notion</Link>, or{' '}
                  <Link to="/documents/new">write or upload one</Link>.
                </>
              ) : (
                'Content managers add documents here.'
              )}
            </EmptyState>
          )
        ) : (
          <>
            <div className="table-wrap" aria-busy={docs.isFetching}>
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Title</th>
                    <th scope="col">Source</th>
                    <th scope="col">Access</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {docs.data.map((d) => (
                    <tr key={d.id}>
                      <td>
                        <div className="result-title">
                          {d.source === 'notion' ? (
                            <NotionIcon icon={d.sourceIcon} />
                          ) : (
                            <span className="notion-icon notion-icon-generic" aria-hidden="true">
                              <Icon name={d.kind === 'file' ? 'file' : 'markdown'} />
                            </span>
                          )}
                          <div>
                            <Link className="strong" to={`/documents/${d.id}`}>
                              {d.title}
                            </Link>
                            <div className="badge-row">
                              {d.kind === 'file' && (
                                <Badge>{d.file?.contentType === 'application/pdf' ? 'PDF' : 'File'}</Badge>
                              )}
                              <SourceBadges doc={d} />
                            </div>
                          </div>
                        </div>
                      </td>
                      <td>{d.source === 'notion' ? 'Notion' : 'Manual'}</td>
                      <td>
                        <AccessBadge level={d.accessLevel} />
                      </td>
                      <td>{formatDateTime(d.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <LoadMore list={docs} label="Load more documents" />
          </>
        )}
      </section>
    </>
  );
}
