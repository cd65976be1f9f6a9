import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { AccessLevel } from '../../../src/contracts/common.ts';
import type { DocumentDto } from '../../../src/contracts/documents.ts';
import { formatBytes } from '../../../src/contracts/format.ts';
import { hasRole } from '../../../src/contracts/roles.ts';
import { ApiError, errorMessage } from '../api/client.ts';
import { endpoints, paths } from '../api/endpoints.ts';
import { isImportFinished, queries, queryKeys } from '../api/queries.ts';
import { AccessBadge, Badge, SourceBadges } from '../components/badges.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ACCESS_LEVEL_LABELS, formatDateTime } from '../components/format.ts';
import { GuardedButton } from '../components/guarded-button.tsx';
import { ImportProgressBar } from '../components/import-progress.tsx';
import { AuditEntryItem } from '../components/audit-entry.tsx';
import { PageHeader } from '../components/layout.tsx';
import { RevisionReview, VersionHistory } from '../components/revision-review.tsx';
import { Icon } from '../components/icons.tsx';
import { NotionIcon } from '../components/notion-icon.tsx';
import { ErrorState, Loading, Notice } from '../components/states.tsx';
import { roleReason, useMe } from '../session/session.tsx';
import { AccessLevelOptions } from '../components/access-level-options.tsx';

/** One document: preview, source metadata, access level, re-import and delete. */
export function DocumentPage() {
  const { id = '' } = useParams();
  const doc = useQuery(queries.documents.detail(id));
  if (doc.error) {
    const missing = doc.error instanceof ApiError && doc.error.status === 404;
    return (
      <>
        <BackLink />
        <ErrorState
          error={doc.error}
          title={missing ? 'Document not found' : 'Could not load the document'}
          onRetry={missing ? undefined : () => void doc.refetch()}
        />
      </>
    );
  }
  if (!doc.data)
    return (
      <>
        <BackLink />
        <Loading label="Loading document…" />
      </>
    );
  return <DocumentView doc={doc.data} />;
}

function BackLink() {
  return (
    <p className="back">
      <Link to="/documents">← Documents</Link>
    </p>
  );
}

function DocumentView({ doc }: { doc: DocumentDto }) {
  const me = useMe();
  const role = me.user.role;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const accessId = useId();
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [reimportId, setReimportId] = useState<string | null>(null);
  const reimport = useQuery({ ...queries.notion.import(reimportId ?? ''), enabled: reimportId !== null });
  const reimportRunning = reimportId !== null && !isImportFinished(reimport.data);

  // The re-import runs as a background job: once it stopped, say how it went and show the new content.
  const reimported = reimportId !== null && isImportFinished(reimport.data) ? reimport.data : undefined;
  useEffect(() => {
    if (reimported) void queryClient.invalidateQueries({ queryKey: queryKeys.documents.all });
  }, [reimported, queryClient]);
  const reimportItem = reimported?.items[0];
  const notice =
    message ??
    (reimported
      ? reimportItem?.status === 'succeeded'
        ? {
            kind: 'success' as const,
            text: doc.pendingRevisionId
              ? 'Read from Notion: the changes wait for your review below.'
              : 'Read from Notion: nothing changed.',
          }
        : { kind: 'error' as const, text: reimportItem?.error ?? 'The re-import did not finish.' }
      : null);
  /** A new action replaces whatever the last one said. */
  const clearNotice = () => {
    setMessage(null);
    setReimportId(null);
  };

  const changeAccess = useMutation({
    mutationFn: (level: AccessLevel) => endpoints.documents.update(doc.id, { accessLevel: level }),
    meta: { invalidates: [queryKeys.documents.all, queryKeys.contacts.all] },
    onMutate: clearNotice,
    onSuccess: (_doc, level) =>
      setMessage({ kind: 'success', text: `Access level set to “${ACCESS_LEVEL_LABELS[level]}”.` }),
    onError: (err) => setMessage({ kind: 'error', text: errorMessage(err) }),
  });

  // The switch follows the click at once, until the saved document (refetched before onSettled) says.
  const [pendingViewOnly, setPendingViewOnly] = useState<boolean | null>(null);
  const changeViewOnly = useMutation({
    mutationFn: (next: boolean) => endpoints.documents.update(doc.id, { viewOnly: next }),
    meta: { invalidates: [queryKeys.documents.all] },
    onMutate: (next) => {
      clearNotice();
      setPendingViewOnly(next);
    },
    onSettled: () => setPendingViewOnly(null),
    onSuccess: (_doc, next) =>
      setMessage({
        kind: 'success',
        text: next
          ? 'View only: the trust center shows this PDF in its viewer and no longer offers a download.'
          : 'Downloads allowed again.',
      }),
    onError: (err) => setMessage({ kind: 'error', text: errorMessage(err) }),
  });

  const startReimport = useMutation({
    mutationFn: () => endpoints.documents.reimport(doc.id),
    onMutate: clearNotice,
    onSuccess: (res) => setReimportId(res.importId),
    onError: (err) => setMessage({ kind: 'error', text: errorMessage(err) }),
  });

  const remove = useMutation({
    mutationFn: () => endpoints.documents.remove(doc.id),
    // Lists only: the open document is gone, refetching it would flash "not found" before leaving.
    meta: { invalidates: [queryKeys.documents.lists, queryKeys.contacts.all] },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.documents.detail(doc.id) });
      navigate('/documents', { replace: true });
    },
  });

  const canEdit = hasRole(role, 'content_manager');
  return (
    <>
      <BackLink />
      <PageHeader
        title={doc.title}
        actions={
          <>
            {doc.source === 'notion' && canEdit && (
              <GuardedButton
                className="btn"
                reason={doc.sourceStatus === 'disconnected' ? 'Reconnect Notion to re-import.' : null}
                disabled={reimportRunning || startReimport.isPending}
                onClick={() => startReimport.mutate()}
              >
                {reimportRunning ? 'Re-importing…' : 'Re-import from Notion'}
              </GuardedButton>
            )}
            <GuardedButton
              className="btn btn-danger-outline"
              reason={roleReason(role, 'admin', 'delete documents')}
              onClick={() => setConfirmDelete(true)}
            >
              Delete
            </GuardedButton>
          </>
        }
      />
      <div className="badge-row doc-badges">
        <AccessBadge level={doc.accessLevel} />
        <Badge>{doc.kind === 'file' ? 'File' : 'Markdown'}</Badge>
        <SourceBadges doc={doc} />
      </div>
      {notice && <Notice kind={notice.kind}>{notice.text}</Notice>}
      {reimportRunning && (
        <div className="card">
          <ImportProgressBar status={reimport.data} label="Re-importing from Notion" />
        </div>
      )}

      {doc.pendingRevisionId && <RevisionReview key={doc.pendingRevisionId} doc={doc} canDecide={canEdit} />}
      <div className="doc-layout">
        <section className="card doc-content" aria-label="Content">
          {doc.kind === 'file' && doc.file ? (
            <FilePreview doc={doc} file={doc.file} />
          ) : (
            <MarkdownPreview key={doc.updatedAt} doc={doc} />
          )}
        </section>
        <aside className="doc-side">
          <section className="card" aria-labelledby="access-title">
            <h2 id="access-title">Access</h2>
            {canEdit ? (
              <div className="field">
                <label htmlFor={accessId}>Access level</label>
                <select
                  id={accessId}
                  value={doc.accessLevel}
                  disabled={changeAccess.isPending}
                  onChange={(e) => changeAccess.mutate(e.target.value as AccessLevel)}
                >
                  <AccessLevelOptions />
                </select>
              </div>
            ) : (
              <>
                <p>
                  <AccessBadge level={doc.accessLevel} />
                </p>
                <p className="hint">Only content managers and admins can change who may read it.</p>
              </>
            )}
            {doc.file?.contentType === 'application/pdf' && (
              <div className="field">
                <label className="checkbox-row">
                  <input
                    type="checkbox"
                    checked={pendingViewOnly ?? doc.viewOnly}
                    disabled={!canEdit || changeViewOnly.isPending}
                    onChange={(e) => changeViewOnly.mutate(e.target.checked)}
                  />
                  View only
                </label>
                <p className="hint">
                  Readers see the PDF in the trust center&apos;s viewer, without a download button. Signed-in contacts
                  get a copy stamped with their email. This deters sharing; it cannot stop screenshots.
                </p>
              </div>
            )}
          </section>
          <section className="card" aria-labelledby="source-title">
            <h2 id="source-title">Source</h2>
            <dl className="meta-list">
              {doc.source === 'notion' ? (
                <>
                  <div>
                    <dt>Notion page</dt>
                    <dd>
                      {doc.sourceUrl ? (
                        <a href={doc.sourceUrl} target="_blank" rel="noopener noreferrer">
                          <NotionIcon icon={doc.sourceIcon} size={16} /> Open in Notion{' '}
                          <Icon name="external" size={14} />
                        </a>
                      ) : (
                        '—'
                      )}
                    </dd>
                  </div>
                  <div>
                    <dt>Last edited in Notion</dt>
                    <dd>{formatDateTime(doc.sourceLastEditedTime)}</dd>
                  </div>
                  <div>
                    <dt>Synced</dt>
                    <dd>{formatDateTime(doc.syncedAt)}</dd>
                  </div>
                  <div>
                    <dt>Created in Notion</dt>
                    <dd>{formatDateTime(doc.sourceCreatedTime)}</dd>
                  </div>
                </>
              ) : (
                <div>
                  <dt>Origin</dt>
                  <dd>{doc.kind === 'file' ? 'Uploaded here' : 'Written here'}</dd>
                </div>
              )}
              {doc.file && (
                <>
                  <div>
                    <dt>File</dt>
                    <dd>{doc.file.name}</dd>
                  </div>
                  <div>
                    <dt>Type · size</dt>
                    <dd>
                      {doc.file.contentType} · {formatBytes(doc.file.size)}
                    </dd>
                  </div>
                  <div>
                    <dt>SHA-256</dt>
                    <dd>
                      <code className="hash" title={doc.file.sha256}>
                        {doc.file.sha256.slice(0, 16)}…
                      </code>
                    </dd>
                  </div>
                </>
              )}
              <div>
                <dt>Added</dt>
                <dd>{formatDateTime(doc.createdAt)}</dd>
              </div>
              <div>
                <dt>Updated</dt>
                <dd>{formatDateTime(doc.updatedAt)}</dd>
              </div>
            </dl>
          </section>
          <VersionHistory documentId={doc.id} />
          {canEdit && <DocumentActivity documentId={doc.id} />}
          {doc.warnings.length > 0 && (
            <section className="card" aria-labelledby="warnings-title">
              <h2 id="warnings-title">Conversion warnings</h2>
              <ul className="warning-list">
                {doc.warnings.map((w, i) => (
                  <li key={`${w.blockId ?? ''}-${i}`}>
                    {w.blockType && <code>{w.blockType}</code>} {w.message}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </aside>
      </div>

      <ConfirmDialog
        open={confirmDelete}
        title="Delete this document?"
        confirmLabel="Delete document"
        danger
        onConfirm={() => remove.mutateAsync()}
        onClose={() => setConfirmDelete(false)}
      >
        <p>
          “{doc.title}” will be removed from the library and the trust center.{' '}
          {doc.source === 'notion' ? 'The Notion page itself is not touched.' : 'This cannot be undone.'}
        </p>
      </ConfirmDialog>
    </>
  );
}

/** Who opened or downloaded the document on the public trust center. */
function DocumentActivity({ documentId }: { documentId: string }) {
  const activity = useQuery(queries.documents.activity(documentId));
  return (
    <section className="card" aria-labelledby="activity-title">
      <h2 id="activity-title">Trust center activity</h2>
      {activity.error ? (
        <p className="muted small">Activity is not available: {errorMessage(activity.error)}</p>
      ) : !activity.data ? (
        <Loading />
      ) : activity.data.items.length === 0 ? (
        <p className="muted small">No views or downloads yet.</p>
      ) : (
        <ul className="audit-list">
          {activity.data.items.map((a) => (
            <AuditEntryItem key={a.id} entry={a} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** The server renders and sanitizes the Markdown; the client never renders Markdown itself. */
function MarkdownPreview({ doc }: { doc: DocumentDto }) {
  const preview = useQuery(queries.documents.preview(doc.id));
  if (preview.isPending) return <Loading label="Rendering preview…" />;
  if (preview.error || !preview.data) {
    return (
      <>
        <Notice kind="info">The rendered preview is not available right now; showing the Markdown source.</Notice>
        <pre className="markdown-source">{doc.markdown ?? ''}</pre>
      </>
    );
  }
  return <div className="prose" dangerouslySetInnerHTML={{ __html: preview.data.html }} />;
}

function FilePreview({ doc, file }: { doc: DocumentDto; file: NonNullable<DocumentDto['file']> }) {
  const url = paths.documentFile(doc.id);
  const isPdf = file.contentType === 'application/pdf';
  const isImage = /^image\/(png|jpeg|gif|webp)$/.test(file.contentType);
  return (
    <>
      <div className="file-bar">
        <span className="file-name">
          <Icon name="file" /> <strong>{file.name}</strong> <span className="muted">({formatBytes(file.size)})</span>
        </span>
        <a className="btn btn-small" href={url} download={file.name}>
          Download
        </a>
      </div>
      {isPdf && (
        <iframe className="pdf-frame" src={`${url}#navpanes=0&view=FitH`} title={`PDF preview of ${doc.title}`} />
      )}
      {isImage && <img className="image-preview" src={url} alt={doc.title} />}
      {!isPdf && !isImage && <p className="muted">No preview for this file type. Download it to open it.</p>}
    </>
  );
}
