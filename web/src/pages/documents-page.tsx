import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import type { AccessLevel } from '../../../src/contracts/common.ts';
import type { DocumentSummary } from '../../../src/contracts/documents.ts';
import { hasRole } from '../../../src/contracts/roles.ts';
import type { DocumentFilter } from '../api/endpoints.ts';
import { errorMessage } from '../api/client.ts';
import { endpoints } from '../api/endpoints.ts';
import { queries, queryKeys } from '../api/queries.ts';
import { AccessBadge, Badge, SourceBadges } from '../components/badges.tsx';
import {
  ACCESS_LEVEL_LABELS,
  formatDateTime,
  SOURCE_STATUS_LABELS,
  SOURCE_STATUS_OPTIONS,
} from '../components/format.ts';
import { FirstRunChecklist } from '../components/first-run-checklist.tsx';
import { PageHeader } from '../components/layout.tsx';
import { Icon } from '../components/icons.tsx';
import { NotionIcon } from '../components/notion-icon.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../components/states.tsx';
import { useDebounced } from '../hooks/use-debounced.ts';
import { useMe } from '../session/session.tsx';
import { AccessLevelOptions } from '../components/access-level-options.tsx';

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
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [bulkDone, setBulkDone] = useState<string | null>(null);
  const shown = docs.data ?? [];
  const allSelected = shown.length > 0 && shown.every((d) => selected.has(d.id));
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
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
              <AccessLevelOptions />
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

        {canCreate && selected.size > 0 && (
          <BulkActions
            documents={shown.filter((d) => selected.has(d.id))}
            onClear={() => setSelected(new Set())}
            onDone={setBulkDone}
          />
        )}
        {bulkDone && selected.size === 0 && (
          <Notice kind="success">
            <span role="status">{bulkDone}</span>
          </Notice>
        )}
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
                    {canCreate && (
                      <th scope="col" className="check-col">
                        <input
                          type="checkbox"
                          aria-label="Select all documents shown"
                          checked={allSelected}
                          onChange={() => setSelected(allSelected ? new Set() : new Set(shown.map((d) => d.id)))}
                        />
                      </th>
                    )}
                    <th scope="col">Title</th>
                    <th scope="col">Source</th>
                    <th scope="col">Access</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {docs.data.map((d) => (
                    <tr key={d.id} className={selected.has(d.id) ? 'selected' : ''}>
                      {canCreate && (
                        <td className="check-col">
                          <input
                            type="checkbox"
                            aria-label={`Select ${d.title}`}
                            checked={selected.has(d.id)}
                            onChange={() => toggle(d.id)}
                          />
                        </td>
                      )}
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

/** Bulk actions on the selected documents: set their access level, re-import them, publish what waits for review. */
function BulkActions({
  documents,
  onClear,
  onDone,
}: {
  documents: DocumentSummary[];
  onClear(): void;
  onDone(text: string): void;
}) {
  const levelId = useId();
  const [level, setLevel] = useState<AccessLevel>('public');
  const ids = documents.map((d) => d.id);
  const fromNotion = documents.filter((d) => d.source === 'notion');
  const pending = documents.filter((d) => d.pendingRevisionId);
  const n = (count: number) => `${count} ${count === 1 ? 'document' : 'documents'}`;
  const run = useMutation({
    mutationFn: async (action: 'level' | 'reimport' | 'publish'): Promise<string> => {
      if (action === 'level') {
        const r = await endpoints.documents.bulkAccessLevel(ids, level);
        return `${ACCESS_LEVEL_LABELS[level]}: set on ${n(r.changed)}${r.unchanged ? ` (${r.unchanged} already had it)` : ''}.`;
      }
      if (action === 'publish') {
        const r = await endpoints.documents.bulkPublishRevisions(pending.map((d) => d.id));
        return `Published the changes of ${n(r.changed)}.`;
      }
      await endpoints.documents.bulkReimport(fromNotion.map((d) => d.id));
      return `Re-importing ${n(fromNotion.length)} from Notion; changes will wait for review.`;
    },
    meta: { invalidates: [queryKeys.documents.all] },
    onSuccess: (text) => {
      onDone(text);
      onClear();
    },
  });
  return (
    <div className="action-bar" role="region" aria-label="Selected documents">
      <span>
        <strong>{documents.length}</strong> selected
      </span>
      <button type="button" className="link-button" onClick={onClear}>
        Clear
      </button>
      <div className="field field-inline">
        <label htmlFor={levelId}>Access level</label>
        <select id={levelId} value={level} onChange={(e) => setLevel(e.target.value as AccessLevel)}>
          <AccessLevelOptions />
        </select>
      </div>
      <button type="button" className="btn btn-primary" disabled={run.isPending} onClick={() => run.mutate('level')}>
        Set access level
      </button>
      <button
        type="button"
        className="btn"
        disabled={run.isPending || fromNotion.length === 0}
        title={fromNotion.length === 0 ? 'None of the selected documents comes from Notion.' : undefined}
        onClick={() => run.mutate('reimport')}
      >
        Re-import from Notion
        {fromNotion.length > 0 && fromNotion.length < documents.length ? ` (${fromNotion.length})` : ''}
      </button>
      <button
        type="button"
        className="btn"
        disabled={run.isPending || pending.length === 0}
        title={pending.length === 0 ? 'No selected document has changes waiting for review.' : undefined}
        onClick={() => run.mutate('publish')}
      >
        Publish changes to review{pending.length > 0 ? ` (${pending.length})` : ''}
      </button>
      {run.error && <Notice kind="error">{errorMessage(run.error)}</Notice>}
    </div>
  );
}
