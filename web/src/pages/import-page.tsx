import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { AccessLevel } from '../../../src/contracts/common.ts';
import type { Integration, NotionSearchResult } from '../../../src/contracts/integrations.ts';
import { errorMessage } from '../api/client.ts';
import { endpoints, type NotionBrowse } from '../api/endpoints.ts';
import { isImportFinished, notionIntegration, queries, queryKeys } from '../api/queries.ts';
import { Badge } from '../components/badges.tsx';
import { ACCESS_LEVEL_LABELS, formatDateTime, formatRelative } from '../components/format.ts';
import { ImportProgressBar, ImportResults } from '../components/import-progress.tsx';
import { PageHeader } from '../components/layout.tsx';
import { Icon } from '../components/icons.tsx';
import { NotionIcon } from '../components/notion-icon.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../components/states.tsx';
import { useDebounced } from '../hooks/use-debounced.ts';
import { AccessLevelOptions } from '../components/access-level-options.tsx';

type TypeFilter = '' | 'page' | 'database';
const FILTERS: { value: TypeFilter; label: string }[] = [
  { value: '', label: 'All' },
  { value: 'page', label: 'Pages' },
  { value: 'database', label: 'Databases' },
];

/** Search Notion, pick pages, import them with a live progress bar and per-page results. */
export function ImportPage() {
  const integrations = useQuery(queries.integrations.list());
  const notion = notionIntegration(integrations.data);

  if (integrations.isPending)
    return (
      <>
        <PageHeader title="Import from Notion" />
        <Loading />
      </>
    );
  if (integrations.error)
    return (
      <>
        <PageHeader title="Import from Notion" />
        <ErrorState error={integrations.error} onRetry={() => void integrations.refetch()} />
      </>
    );
  if (!notion || notion.status === 'disconnected') {
    return (
      <>
        <PageHeader title="Import from Notion" />
        <EmptyState title="Notion is not connected">
          <p>Connect your Notion workspace first, then come back to pick the pages to import.</p>
          <Link className="btn btn-primary" to="/integrations">
            Go to Integrations
          </Link>
        </EmptyState>
      </>
    );
  }
  return <ImportWorkspace integration={notion} />;
}

function ImportWorkspace({ integration }: { integration: Integration }) {
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const [type, setType] = useState<TypeFilter>('');
  const [database, setDatabase] = useState<{ id: string; title: string } | null>(null);
  const [selected, setSelected] = useState<ReadonlyMap<string, string>>(new Map());
  const [accessLevel, setAccessLevel] = useState<AccessLevel>('internal');
  // Levels chosen for single pages; they win over the level mapped from Notion and the batch level.
  const [pageLevels, setPageLevels] = useState<ReadonlyMap<string, AccessLevel>>(new Map());
  const [importId, setImportId] = useState<string | null>(null);
  const [importedTitles, setImportedTitles] = useState<ReadonlyMap<string, string>>(new Map());
  const queryClient = useQueryClient();
  const progress = useQuery({ ...queries.notion.import(importId ?? ''), enabled: importId !== null });
  const accessId = useId();

  const browse: NotionBrowse = database ? { databaseId: database.id } : { q: q || undefined, type: type || undefined };
  const list = useInfiniteQuery(queries.notion.browse(browse));
  const results = list.data ?? [];

  const toggle = (item: NotionSearchResult) => {
    setSelected((prev) => {
      const next = new Map(prev);
      if (next.has(item.id)) next.delete(item.id);
      else next.set(item.id, item.title);
      return next;
    });
  };
  const selectable = results.filter((i) => i.object === 'page');
  const allSelected = selectable.length > 0 && selectable.every((i) => selected.has(i.id));
  const toggleAll = () => {
    setSelected((prev) => {
      const next = new Map(prev);
      for (const item of selectable) {
        if (allSelected) next.delete(item.id);
        else next.set(item.id, item.title);
      }
      return next;
    });
  };

  const cancelImport = useMutation({
    mutationFn: () => endpoints.notion.cancelImport(importId ?? ''),
    meta: { invalidates: [queryKeys.notion.all] },
  });

  const startImport = useMutation({
    mutationFn: () =>
      endpoints.notion.startImport({
        pageIds: [...selected.keys()],
        accessLevel,
        pageLevels: [...pageLevels]
          .filter(([pageId]) => selected.has(pageId))
          .map(([pageId, level]) => ({ pageId, accessLevel: level })),
      }),
    onMutate: () => cancelImport.reset(),
    onSuccess: (res) => {
      setImportedTitles(selected);
      setSelected(new Map());
      setPageLevels(new Map());
      setImportId(res.importId);
    },
  });

  const status = progress.data;
  const running = importId !== null && !isImportFinished(status);
  // Pages of the running import are marked "Imported" as each one finishes, from the progress already polled:
  // reloading the search for that would cost a Notion call per page.
  const importedNow = useMemo(
    () =>
      new Map(
        (status?.items ?? []).flatMap((i) =>
          i.status === 'succeeded' && i.documentId ? [[notionKey(i.pageId), i.documentId] as const] : [],
        ),
      ),
    [status],
  );
  // New documents arrived: the library and the "Imported" marks in the results are out of date.
  useEffect(() => {
    if (importId !== null && isImportFinished(status)) {
      void queryClient.invalidateQueries({ queryKey: queryKeys.documents.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.notion.browsing });
    }
  }, [importId, status, queryClient]);
  const startError = startImport.error ?? cancelImport.error;

  return (
    <>
      <PageHeader
        title="Import from Notion"
        description={`Pick pages from ${integration.workspaceName ? `the ${integration.workspaceName} workspace` : 'your Notion workspace'} to add to the library. Pages holding a PDF or file become file documents; everything else becomes Markdown (checked when each page is imported).`}
      />

      {importId && (
        <section className="card import-panel" aria-labelledby="import-title" aria-live="polite">
          <div className="card-head">
            <h2 id="import-title">
              {running ? 'Importing…' : status?.status === 'cancelled' ? 'Import cancelled' : 'Import finished'}
            </h2>
            {running ? (
              <button
                type="button"
                className="btn"
                onClick={() => cancelImport.mutate()}
                disabled={cancelImport.isPending}
              >
                {cancelImport.isPending ? 'Cancelling…' : 'Cancel import'}
              </button>
            ) : (
              <button type="button" className="btn" onClick={() => setImportId(null)}>
                Import more pages
              </button>
            )}
          </div>
          <ImportProgressBar
            status={status}
            label={
              running
                ? `Importing ${importedTitles.size} page${importedTitles.size === 1 ? '' : 's'}`
                : `${status?.items.filter((i) => i.status === 'succeeded').length ?? 0} of ${importedTitles.size} imported`
            }
          />
          {progress.error && <ErrorState error={progress.error} title="Lost track of the import; retrying…" />}
          {status && <ImportResults status={status} titles={importedTitles} />}
          {status && !running && status.failed === 0 && status.status === 'completed' && (
            <p>
              <Link to="/documents">Go to the document library</Link>
            </p>
          )}
        </section>
      )}

      <section className="card" aria-label="Notion pages">
        <div className="toolbar">
          {database ? (
            <nav className="crumbs" aria-label="Browsing">
              <button type="button" className="link-button" onClick={() => setDatabase(null)}>
                ← All results
              </button>
              <span aria-hidden="true">/</span>
              <span aria-current="page">
                <NotionIcon icon={null} kind="database" size={16} /> {database.title}
              </span>
            </nav>
          ) : (
            <>
              <div className="field field-inline search-field">
                <label htmlFor="notion-search" className="visually-hidden">
                  Search Notion
                </label>
                <input
                  id="notion-search"
                  type="search"
                  placeholder="Search Notion pages and databases…"
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                />
              </div>
              <div className="segmented" role="radiogroup" aria-label="Result type">
                {FILTERS.map((f) => (
                  <label key={f.value} className={type === f.value ? 'active' : ''}>
                    <input
                      type="radio"
                      name="notion-type"
                      value={f.value}
                      checked={type === f.value}
                      onChange={() => setType(f.value)}
                    />
                    {f.label}
                  </label>
                ))}
              </div>
            </>
          )}
        </div>
        <div className="action-bar" role="region" aria-label="Import selection">
          <span>
            {selected.size === 0 ? (
              'Select pages to import'
            ) : (
              <>
                <strong>{selected.size}</strong> page{selected.size === 1 ? '' : 's'} selected
              </>
            )}
          </span>
          {selected.size > 0 && (
            <button type="button" className="link-button" onClick={() => setSelected(new Map())}>
              Clear
            </button>
          )}
          <div className="field field-inline">
            <label htmlFor={accessId}>Access level</label>
            <select id={accessId} value={accessLevel} onChange={(e) => setAccessLevel(e.target.value as AccessLevel)}>
              <AccessLevelOptions />
            </select>
          </div>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => startImport.mutate()}
            disabled={selected.size === 0 || startImport.isPending || running}
          >
            {startImport.isPending
              ? 'Starting…'
              : selected.size === 0
                ? 'Import'
                : `Import ${selected.size} page${selected.size === 1 ? '' : 's'}`}
          </button>
          {running && <span className="hint">Wait for the current import to finish.</span>}
          {startError && <Notice kind="error">{errorMessage(startError)}</Notice>}
        </div>

        {list.error && !list.isFetchNextPageError ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} title="Notion could not be searched" />
        ) : !list.data ? (
          <Loading label="Searching Notion…" />
        ) : results.length === 0 ? (
          <EmptyState title={database ? 'This database has no pages' : 'Nothing found'}>
            {database
              ? 'Or its pages are not shared with the Trust Center.'
              : 'Try another search, or share more pages with the Trust Center integration in Notion.'}
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table results-table">
              <thead>
                <tr>
                  <th scope="col" className="check-col">
                    <input
                      type="checkbox"
                      aria-label="Select all pages in this list"
                      checked={allSelected}
                      onChange={toggleAll}
                      disabled={selectable.length === 0}
                    />
                  </th>
                  <th scope="col">Title</th>
                  <th scope="col">Access level</th>
                  <th scope="col">Last edited</th>
                  <th scope="col">
                    <span className="visually-hidden">Status and actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {results.map((item) => (
                  <ResultRow
                    key={item.id}
                    item={
                      importedNow.has(notionKey(item.id))
                        ? { ...item, importedDocumentId: importedNow.get(notionKey(item.id))! }
                        : item
                    }
                    checked={selected.has(item.id)}
                    onToggle={() => toggle(item)}
                    onOpen={() => setDatabase({ id: item.id, title: item.title || 'Untitled database' })}
                    batchLevel={accessLevel}
                    chosenLevel={pageLevels.get(item.id) ?? null}
                    onChooseLevel={(level) =>
                      setPageLevels((prev) => {
                        const next = new Map(prev);
                        if (level === null) next.delete(item.id);
                        else next.set(item.id, level);
                        return next;
                      })
                    }
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <LoadMore list={list} />
      </section>
    </>
  );
}

/** Notion ids arrive with and without dashes; compare them in one form. */
const notionKey = (id: string) => id.replaceAll('-', '').toLowerCase();

// Notion only tells us the direct parent, so the crumb names it rather than guessing the full path.
function parentCrumb(parent: NotionSearchResult['parent']): string {
  if (parent.type === 'workspace') return 'Workspace › top level';
  const isDatabase = /database|data_source/.test(parent.type);
  if (parent.title) return `In ${parent.title}${isDatabase ? ' (database)' : ''}`;
  return isDatabase ? 'In a database' : 'In a page';
}

function ResultRow({
  item,
  checked,
  onToggle,
  onOpen,
  batchLevel,
  chosenLevel,
  onChooseLevel,
}: {
  item: NotionSearchResult;
  checked: boolean;
  onToggle(): void;
  onOpen(): void;
  batchLevel: AccessLevel;
  chosenLevel: AccessLevel | null;
  onChooseLevel(level: AccessLevel | null): void;
}) {
  const isDatabase = item.object === 'database';
  const title = item.title || (isDatabase ? 'Untitled database' : 'Untitled');
  const checkId = `select-${item.id}`;
  return (
    <tr className={checked ? 'selected' : ''}>
      <td className="check-col">
        {isDatabase ? null : (
          <input id={checkId} type="checkbox" checked={checked} onChange={onToggle} aria-label={`Select ${title}`} />
        )}
      </td>
      <td>
        <div className="result-title">
          <NotionIcon icon={item.icon} kind={isDatabase ? 'database' : 'page'} />
          <div>
            {isDatabase ? (
              <button type="button" className="link-button strong" onClick={onOpen}>
                {title}
              </button>
            ) : (
              <label htmlFor={checkId} className="strong">
                {title}
              </label>
            )}
            <div className="breadcrumb muted small">{parentCrumb(item.parent)}</div>
          </div>
        </div>
      </td>
      <td>
        {isDatabase ? null : item.importedDocumentId ? (
          <span className="muted small">Keeps its level</span>
        ) : (
          <PageLevelPicker
            item={item}
            title={title}
            batchLevel={batchLevel}
            chosen={chosenLevel}
            onChoose={onChooseLevel}
          />
        )}
      </td>
      <td title={formatDateTime(item.lastEditedTime)}>{formatRelative(item.lastEditedTime)}</td>
      <td className="row-actions">
        {isDatabase && <Badge tone="purple">Database</Badge>}
        {item.importedDocumentId && (
          <Link
            to={`/documents/${item.importedDocumentId}`}
            className="badge badge-green"
            title="Already in the library; importing again updates it"
          >
            Imported
          </Link>
        )}
        {isDatabase && (
          <button type="button" className="btn btn-small" onClick={onOpen} aria-label={`Open database ${title}`}>
            Open
          </button>
        )}
        {item.url && (
          <a
            className="muted small"
            href={item.url}
            target="_blank"
            rel="noopener noreferrer"
            aria-label={`Open ${title} in Notion`}
          >
            Notion <Icon name="external" size={12} />
          </a>
        )}
      </td>
    </tr>
  );
}

/**
 * The level a new page will get: the one mapped from its Notion property (named, so the reader sees why), else
 * the batch level; or a level chosen here for this page.
 */
function PageLevelPicker({
  item,
  title,
  batchLevel,
  chosen,
  onChoose,
}: {
  item: NotionSearchResult;
  title: string;
  batchLevel: AccessLevel;
  chosen: AccessLevel | null;
  onChoose(level: AccessLevel | null): void;
}) {
  const fallback = item.mappedAccessLevel ?? batchLevel;
  return (
    <div className="page-level">
      <select
        aria-label={`Level of ${title}`}
        value={chosen ?? ''}
        onChange={(e) => onChoose(e.target.value === '' ? null : (e.target.value as AccessLevel))}
      >
        <option value="">
          {item.mappedAccessLevel ? `${ACCESS_LEVEL_LABELS[fallback]} (from Notion)` : ACCESS_LEVEL_LABELS[fallback]}
        </option>
        <AccessLevelOptions except={fallback} />
      </select>
      {item.accessOption && (
        <div className="muted small">
          Notion: “{item.accessOption}”{item.mappedAccessLevel ? '' : ' (not mapped)'}
        </div>
      )}
    </div>
  );
}
