import { useEffect, useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { AccessLevel } from '../../../src/contracts/common.ts';
import type { DocumentDto } from '../../../src/contracts/documents.ts';
import type { Activity } from '../../../src/contracts/trust-center.ts';
import { api, ApiError, errorMessage } from '../api/client.ts';
import { AccessBadge, Badge, SourceBadges } from '../components/badges.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ACCESS_LEVEL_LABELS, ACCESS_LEVEL_OPTIONS, formatBytes, formatDateTime } from '../components/format.ts';
import { GuardedButton } from '../components/guarded-button.tsx';
import { ImportProgressBar } from '../components/import-progress.tsx';
import { PageHeader } from '../components/layout.tsx';
import { Icon } from '../components/icons.tsx';
import { NotionIcon } from '../components/notion-icon.tsx';
import { ErrorState, Loading, Notice } from '../components/states.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useImportStatus } from '../hooks/use-import-status.ts';
import { hasRole, roleReason, useMe } from '../session/session.tsx';

/** One document: preview, source metadata, access level, re-import and delete. */
export function DocumentPage() {
  const { id = '' } = useParams();
  const doc = useApi<DocumentDto>(`/api/documents/${encodeURIComponent(id)}`);
  if (doc.error) {
    const missing = doc.error instanceof ApiError && doc.error.status === 404;
    return <><BackLink /><ErrorState error={doc.error} title={missing ? 'Document not found' : 'Could not load the document'} onRetry={missing ? undefined : doc.reload} /></>;
  }
  if (!doc.data) return <><BackLink /><Loading label="Loading document…" /></>;
  return <DocumentView doc={doc.data} onChange={doc.reload} />;
}

function BackLink() {
  return <p className="back"><Link to="/documents">← Documents</Link></p>;
}

function DocumentView({ doc, onChange }: { doc: DocumentDto; onChange(): void }) {
  const me = useMe();
  const role = me.user.role;
  const navigate = useNavigate();
  const accessId = useId();
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [reimportId, setReimportId] = useState<string | null>(null);
  const reimport = useImportStatus(reimportId);
  const reimportRunning = reimportId !== null && (!reimport.status || reimport.status.status === 'running');

  useEffect(() => {
    if (!reimport.status || reimport.status.status === 'running') return;
    const item = reimport.status.items[0];
    setMessage(item?.status === 'succeeded' ? { kind: 'success', text: 'Re-imported from Notion.' } : { kind: 'error', text: item?.error ?? 'The re-import did not finish.' });
    setReimportId(null);
    onChange();
  }, [reimport.status, onChange]);

  const changeAccess = async (level: AccessLevel) => {
    setSaving(true);
    setMessage(null);
    try {
      await api(`/api/documents/${doc.id}`, { method: 'PATCH', json: { accessLevel: level } });
      setMessage({ kind: 'success', text: `Access level set to “${ACCESS_LEVEL_LABELS[level]}”.` });
      onChange();
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    } finally {
      setSaving(false);
    }
  };

  const startReimport = async () => {
    setMessage(null);
    try {
      const res = await api<{ importId: string }>(`/api/documents/${doc.id}/reimport`, { method: 'POST' });
      setReimportId(res.importId);
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  };

  const remove = async () => {
    await api(`/api/documents/${doc.id}`, { method: 'DELETE' });
    navigate('/documents', { replace: true });
  };

  const canEdit = hasRole(role, 'content_manager');
  return (
    <>
      <BackLink />
      <PageHeader
        title={doc.title}
        actions={
          <>
            {doc.source === 'notion' && canEdit && (
              <GuardedButton className="btn" reason={doc.sourceStatus === 'disconnected' ? 'Reconnect Notion to re-import.' : null} disabled={reimportRunning} onClick={() => void startReimport()}>
                {reimportRunning ? 'Re-importing…' : 'Re-import from Notion'}
              </GuardedButton>
            )}
            <GuardedButton className="btn btn-danger-outline" reason={roleReason(role, 'admin', 'delete documents')} onClick={() => setConfirmDelete(true)}>Delete</GuardedButton>
          </>
        }
      />
      <div className="badge-row doc-badges">
        <AccessBadge level={doc.accessLevel} />
        <Badge>{doc.kind === 'file' ? 'File' : 'Markdown'}</Badge>
        <SourceBadges doc={doc} />
      </div>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {reimportRunning && <div className="card"><ImportProgressBar status={reimport.status} label="Re-importing from Notion" /></div>}

      <div className="doc-layout">
        <section className="card doc-content" aria-label="Content">
          {doc.kind === 'file' && doc.file ? <FilePreview doc={doc} file={doc.file} /> : <MarkdownPreview key={doc.updatedAt} doc={doc} />}
        </section>
        <aside className="doc-side">
          <section className="card" aria-labelledby="access-title">
            <h2 id="access-title">Access</h2>
            {canEdit ? (
              <div className="field">
                <label htmlFor={accessId}>Access level</label>
                <select id={accessId} value={doc.accessLevel} disabled={saving} onChange={(e) => void changeAccess(e.target.value as AccessLevel)}>
                  {ACCESS_LEVEL_OPTIONS.map((l) => <option key={l} value={l}>{ACCESS_LEVEL_LABELS[l]}</option>)}
                </select>
              </div>
            ) : (
              <><p><AccessBadge level={doc.accessLevel} /></p><p className="hint">Only content managers and admins can change who may read it.</p></>
            )}
          </section>
          <section className="card" aria-labelledby="source-title">
            <h2 id="source-title">Source</h2>
            <dl className="meta-list">
              {doc.source === 'notion' ? (
                <>
                  <div><dt>Notion page</dt><dd>{doc.sourceUrl ? <a href={doc.sourceUrl} target="_blank" rel="noopener noreferrer"><NotionIcon icon={doc.sourceIcon} size={16} /> Open in Notion <Icon name="external" size={14} /></a> : '—'}</dd></div>
                  <div><dt>Last edited in Notion</dt><dd>{formatDateTime(doc.sourceLastEditedTime)}</dd></div>
                  <div><dt>Synced</dt><dd>{formatDateTime(doc.syncedAt)}</dd></div>
                  <div><dt>Created in Notion</dt><dd>{formatDateTime(doc.sourceCreatedTime)}</dd></div>
                </>
              ) : <div><dt>Origin</dt><dd>{doc.kind === 'file' ? 'Uploaded here' : 'Written here'}</dd></div>}
              {doc.file && (
                <>
                  <div><dt>File</dt><dd>{doc.file.name}</dd></div>
                  <div><dt>Type · size</dt><dd>{doc.file.contentType} · {formatBytes(doc.file.size)}</dd></div>
                  <div><dt>SHA-256</dt><dd><code className="hash" title={doc.file.sha256}>{doc.file.sha256.slice(0, 16)}…</code></dd></div>
                </>
              )}
              <div><dt>Added</dt><dd>{formatDateTime(doc.createdAt)}</dd></div>
              <div><dt>Updated</dt><dd>{formatDateTime(doc.updatedAt)}</dd></div>
            </dl>
          </section>
          {canEdit && <DocumentActivity documentId={doc.id} />}
          {doc.warnings.length > 0 && (
            <section className="card" aria-labelledby="warnings-title">
              <h2 id="warnings-title">Conversion warnings</h2>
              <ul className="warning-list">{doc.warnings.map((w, i) => <li key={`${w.blockId ?? ''}-${i}`}>{w.blockType && <code>{w.blockType}</code>} {w.message}</li>)}</ul>
            </section>
          )}
        </aside>
      </div>

      <ConfirmDialog open={confirmDelete} title="Delete this document?" confirmLabel="Delete document" danger onConfirm={remove} onClose={() => setConfirmDelete(false)}>
        <p>“{doc.title}” will be removed from the library and the trust center. {doc.source === 'notion' ? 'The Notion page itself is not touched.' : 'This cannot be undone.'}</p>
      </ConfirmDialog>
    </>
  );
}

/** Who opened or downloaded the document on the public trust center. */
function DocumentActivity({ documentId }: { documentId: string }) {
  const activity = useApi<Activity>(`/api/documents/${documentId}/activity?limit=20`);
  return (
    <section className="card" aria-labelledby="activity-title">
      <h2 id="activity-title">Trust center activity</h2>
      {activity.error ? <p className="muted small">Activity is not available: {errorMessage(activity.error)}</p>
        : !activity.data ? <Loading />
        : activity.data.items.length === 0 ? <p className="muted small">No views or downloads yet.</p>
        : (
          <ul className="activity-list">
            {activity.data.items.map((a) => <li key={a.id}><span>{a.actorLabel}</span> <code>{a.action.replace('public.document.', '')}</code> <span className="muted small nowrap">{formatDateTime(a.createdAt)}</span></li>)}
          </ul>
        )}
    </section>
  );
}

/** The server renders and sanitizes the Markdown; the client never renders Markdown itself. */
function MarkdownPreview({ doc }: { doc: DocumentDto }) {
  const preview = useApi<{ html: string }>(`/api/documents/${doc.id}/preview`);
  if (preview.loading && !preview.data) return <Loading label="Rendering preview…" />;
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
  const url = `/api/documents/${doc.id}/file`;
  const isPdf = file.contentType === 'application/pdf';
  const isImage = /^image\/(png|jpeg|gif|webp)$/.test(file.contentType);
  return (
    <>
      <div className="file-bar">
        <span className="file-name"><Icon name="file" /> <strong>{file.name}</strong> <span className="muted">({formatBytes(file.size)})</span></span>
        <a className="btn btn-small" href={url} download={file.name}>Download</a>
      </div>
      {isPdf && <iframe className="pdf-frame" src={`${url}#navpanes=0&view=FitH`} title={`PDF preview of ${doc.title}`} />}
      {isImage && <img className="image-preview" src={url} alt={doc.title} />}
      {!isPdf && !isImage && <p className="muted">No preview for this file type. Download it to open it.</p>}
    </>
  );
}
