import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { DocumentDto, Revision, RevisionDiff } from '../../../src/contracts/documents.ts';
import { formatBytes } from '../../../src/contracts/format.ts';
import { errorMessage } from '../api/client.ts';
import { endpoints } from '../api/endpoints.ts';
import { queries, queryKeys } from '../api/queries.ts';
import { ACCESS_LEVEL_LABELS, formatDateTime } from './format.ts';
import { ErrorState, Loading, Notice } from './states.tsx';

/** "2 paragraphs changed · 1 added", or null when only metadata changed. */
export function describeChanges(changes: RevisionDiff['changes']): string | null {
  if (!changes) return null;
  const part = (n: number, what: string) => (n === 0 ? null : `${n} ${n === 1 ? 'block' : 'blocks'} ${what}`);
  const parts = [part(changes.changed, 'changed'), part(changes.added, 'added'), part(changes.removed, 'removed')];
  const text = parts.filter((p) => p !== null).join(' · ');
  return text === '' ? null : text;
}

function FileFacts({ file }: { file: RevisionDiff['published']['file'] }) {
  if (!file) return <span className="muted">No file</span>;
  return (
    <>
      {file.name} · {formatBytes(file.size)} ·{' '}
      <code className="hash" title={file.sha256}>
        SHA-256 {file.sha256.slice(0, 12)}…
      </code>
    </>
  );
}

/**
 * Newer content read from Notion, compared with what the trust center shows: title and file side by side,
 * the text block by block (added blocks marked green, removed ones red and struck through), then the decision.
 */
export function RevisionReview({ doc, canDecide }: { doc: DocumentDto; canDecide: boolean }) {
  const revisionId = doc.pendingRevisionId!;
  const diff = useQuery(queries.documents.revisionDiff(doc.id, revisionId));
  const [showUnchanged, setShowUnchanged] = useState(false);
  const decide = useMutation({
    mutationFn: (decision: 'publish' | 'dismiss') => endpoints.documents.decideRevision(doc.id, revisionId, decision),
    meta: { invalidates: [queryKeys.documents.all] },
  });
  if (diff.error) return <ErrorState error={diff.error} title="Could not compare the versions" />;
  if (!diff.data) return <Loading label="Comparing with the published version…" />;
  const d = diff.data;
  const summary = describeChanges(d.changes);
  const edited = d.revision.sourceLastEditedTime ?? d.revision.createdAt;
  return (
    <section className="card revision-review" aria-labelledby="review-title">
      <h2 id="review-title">Changes from Notion waiting for review</h2>
      <p className="muted">
        Edited in Notion {formatDateTime(edited)}, read by {d.revision.createdBy}. The trust center keeps showing the
        published version until you publish this one.
      </p>
      <dl className="meta-list diff-meta">
        <div>
          <dt>Title</dt>
          <dd>
            {d.titleChanged ? (
              <>
                <del className="diff-removed-inline">{d.published.title}</del>{' '}
                <ins className="diff-added-inline">{d.revision.title}</ins>
              </>
            ) : (
              <>{d.revision.title} (unchanged)</>
            )}
          </dd>
        </div>
        {d.revision.accessLevel && d.revision.accessLevel !== d.published.accessLevel && (
          <div>
            <dt>Access level</dt>
            <dd>
              <del className="diff-removed-inline">{ACCESS_LEVEL_LABELS[d.published.accessLevel]}</del>{' '}
              <ins className="diff-added-inline">{ACCESS_LEVEL_LABELS[d.revision.accessLevel]}</ins>{' '}
              <span className="muted">(set in Notion; more readers will see this document)</span>
            </dd>
          </div>
        )}
        {(d.published.kind === 'file' || d.revision.kind === 'file') && (
          <>
            <div>
              <dt>Published file</dt>
              <dd>
                <FileFacts file={d.published.file} />
              </dd>
            </div>
            <div>
              <dt>{d.fileChanged ? 'Replaced by' : 'New file'}</dt>
              <dd>{d.fileChanged ? <FileFacts file={d.revision.file} /> : 'The same file'}</dd>
            </div>
          </>
        )}
        <div>
          <dt>Text</dt>
          <dd>{summary ?? (d.blocks ? 'No change to the text' : 'Not a text document')}</dd>
        </div>
      </dl>
      {d.blocks && summary && (
        <>
          <label className="checkbox-inline">
            <input type="checkbox" checked={showUnchanged} onChange={(e) => setShowUnchanged(e.target.checked)} /> Show
            unchanged parts
          </label>
          <div className="diff-blocks" aria-label="Differences">
            {d.blocks.map((b, i) =>
              b.op === 'same' && !showUnchanged ? null : (
                <div
                  key={i}
                  className={`diff-block diff-${b.op}`}
                  aria-label={b.op === 'added' ? 'Added' : b.op === 'removed' ? 'Removed' : 'Unchanged'}
                >
                  <span className="diff-marker" aria-hidden="true">
                    {b.op === 'added' ? '+' : b.op === 'removed' ? '−' : ''}
                  </span>
                  <div className="prose" dangerouslySetInnerHTML={{ __html: b.html }} />
                </div>
              ),
            )}
          </div>
        </>
      )}
      {decide.error && <Notice kind="error">{errorMessage(decide.error)}</Notice>}
      {canDecide ? (
        <div className="action-bar">
          <button className="btn btn-primary" disabled={decide.isPending} onClick={() => decide.mutate('publish')}>
            Publish this revision
          </button>
          <button className="btn" disabled={decide.isPending} onClick={() => decide.mutate('dismiss')}>
            Dismiss
          </button>
        </div>
      ) : (
        <p className="hint">A content manager or admin decides whether to publish it.</p>
      )}
    </section>
  );
}

function versionLabel(r: Revision): string {
  if (r.status === 'pending') return 'Waiting for review';
  if (r.status === 'dismissed') return `Dismissed ${formatDateTime(r.decidedAt)} by ${r.decidedBy ?? 'someone'}`;
  return `Published ${formatDateTime(r.decidedAt)} by ${r.decidedBy ?? 'someone'}`;
}

/** Every version of the document: who published it, when, from which Notion edit; any one can be opened. */
export function VersionHistory({ documentId }: { documentId: string }) {
  const history = useQuery(queries.documents.revisions(documentId));
  const [open, setOpen] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">Versions</h2>
      {history.error ? (
        <p className="muted small">History is not available: {errorMessage(history.error)}</p>
      ) : !history.data ? (
        <Loading />
      ) : (
        <ol className="version-list">
          {history.data.items.map((r) => (
            <li key={r.id}>
              <div>
                <strong>{r.current ? 'Live now' : versionLabel(r)}</strong>
                {r.current && <span className="muted small"> · {versionLabel(r)}</span>}
              </div>
              <div className="muted small">
                {r.origin === 'notion'
                  ? `From the Notion edit of ${formatDateTime(r.sourceLastEditedTime)}`
                  : 'Edited in the admin panel'}
              </div>
              <button className="btn btn-small" onClick={() => setOpen(open === r.id ? null : r.id)}>
                {open === r.id ? 'Hide' : 'View'}
              </button>
              {open === r.id && <VersionView documentId={documentId} revisionId={r.id} />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function VersionView({ documentId, revisionId }: { documentId: string; revisionId: string }) {
  const version = useQuery(queries.documents.revision(documentId, revisionId));
  if (version.error) return <p className="muted small">{errorMessage(version.error)}</p>;
  if (!version.data) return <Loading />;
  const v = version.data;
  return (
    <div className="version-view">
      <h3>{v.title}</h3>
      {v.html !== null ? (
        <div className="prose" dangerouslySetInnerHTML={{ __html: v.html }} />
      ) : v.file ? (
        <a href={v.file.url} download={v.file.name}>
          {v.file.name} ({formatBytes(v.file.size)})
        </a>
      ) : null}
    </div>
  );
}
