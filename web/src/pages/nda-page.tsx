import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { endpoints } from '../api/endpoints.ts';
import { queries, queryKeys } from '../api/queries.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { formatDateTime } from '../components/format.ts';
import { GuardedButton } from '../components/guarded-button.tsx';
import { PageHeader } from '../components/layout.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../components/states.tsx';
import { roleReason, useMe } from '../session/session.tsx';

/** The NDA contacts accept before opening "contacts with NDA" documents, and its versions. */
export function NdaPage() {
  const me = useMe();
  const nda = useQuery(queries.nda);
  // null until the admin edits: the editor starts from the published text.
  const [edited, setEdited] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  const editorId = useId();
  const reason = roleReason(me.user.role, 'admin', 'publish a new NDA version');
  const draft = edited ?? nda.data?.current?.body ?? '';

  const publish = useMutation({
    mutationFn: () => endpoints.nda.publish({ body: draft }),
    meta: { invalidates: [queryKeys.nda] },
    onSuccess: (res) => setSaved(res.current?.version ?? null),
  });

  if (nda.error)
    return (
      <>
        <PageHeader title="NDA" />
        <ErrorState error={nda.error} onRetry={() => void nda.refetch()} />
      </>
    );
  if (!nda.data)
    return (
      <>
        <PageHeader title="NDA" />
        <Loading />
      </>
    );
  const current = nda.data.current;
  const unchanged = draft.trim() === (current?.body ?? '').trim();

  return (
    <>
      <PageHeader
        title="NDA"
        description="Contacts accept this agreement on the trust center before they can open documents marked “Approved contacts with NDA”."
      />
      {saved !== null && (
        <Notice kind="success">
          Version {saved} is published. Contacts accept it the next time they open an NDA document.
        </Notice>
      )}
      <div className="two-col">
        <section className="card" aria-labelledby="nda-editor-title">
          <h2 id="nda-editor-title">{current ? `Current text — version ${current.version}` : 'No NDA yet'}</h2>
          {reason ? (
            current ? (
              <pre className="nda-text">{current.body}</pre>
            ) : (
              <EmptyState title="No NDA has been published">An admin publishes it here.</EmptyState>
            )
          ) : (
            <div className="form">
              <div className="field">
                <label htmlFor={editorId}>Agreement text</label>
                <textarea
                  id={editorId}
                  rows={16}
                  value={draft}
                  onChange={(e) => setEdited(e.target.value)}
                  placeholder="The terms contacts agree to…"
                />
              </div>
            </div>
          )}
          <div className="actions">
            <GuardedButton
              className="btn btn-primary"
              reason={reason}
              disabled={!draft.trim() || unchanged}
              onClick={() => setConfirming(true)}
            >
              {current ? 'Publish as new version' : 'Publish NDA'}
            </GuardedButton>
          </div>
        </section>
        <section className="card" aria-labelledby="versions-title">
          <h2 id="versions-title">Versions</h2>
          {nda.data.versions.length === 0 ? (
            <EmptyState title="No versions yet" />
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Published</th>
                    <th scope="col" className="num">
                      Accepted by
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {nda.data.versions.map((v) => (
                    <tr key={v.id}>
                      <td>
                        v{v.version}
                        {v.id === current?.id && <span className="muted"> (current)</span>}
                      </td>
                      <td>{formatDateTime(v.createdAt)}</td>
                      <td className="num">{v.acceptances}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
      <ConfirmDialog
        open={confirming}
        title="Publish a new NDA version?"
        confirmLabel="Publish"
        onConfirm={() => publish.mutateAsync()}
        onClose={() => setConfirming(false)}
      >
        <p>
          Earlier acceptances do not cover the new text: every contact must accept it again before opening NDA
          documents.
        </p>
      </ConfirmDialog>
    </>
  );
}
