import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { hasRole } from '../../../src/contracts/roles.ts';
import type {
  ContactDetail,
  ContactGrant,
  GrantableLevel,
  OutboxMessage,
} from '../../../src/contracts/trust-center.ts';
import { ApiError, errorMessage } from '../api/client.ts';
import { endpoints, paths } from '../api/endpoints.ts';
import { queries, queryKeys } from '../api/queries.ts';
import { AccessBadge, Badge } from '../components/badges.tsx';
import { TextField } from '../components/text-field.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ACCESS_LEVEL_LABELS, endOfDayIso, formatDateTime } from '../components/format.ts';
import { AuditEntryItem } from '../components/audit-entry.tsx';
import { PageHeader } from '../components/layout.tsx';
import { MagicLinkMessage } from '../components/magic-link-message.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../components/states.tsx';
import { useMe } from '../session/session.tsx';

const GRANT_TONES: Record<ContactGrant['status'], 'green' | 'neutral' | 'red'> = {
  active: 'green',
  expired: 'neutral',
  revoked: 'red',
};
const GRANTABLE: GrantableLevel[] = ['contacts', 'contacts_nda'];
const PICKER_PAGE_SIZE = 100;
/** A contact's grants show in their detail, their counts in the list, and magic links land in the outbox. */
const CONTACTS = [queryKeys.contacts.all, queryKeys.outbox];

/** One contact: details, document grants, magic link, NDA acceptances and what they viewed. */
export function ContactPage() {
  const { id = '' } = useParams();
  const contact = useQuery(queries.contacts.detail(id));
  const back = (
    <p className="back">
      <Link to="/contacts">← Contacts</Link>
    </p>
  );
  if (contact.error) {
    const missing = contact.error instanceof ApiError && contact.error.status === 404;
    return (
      <>
        {back}
        <ErrorState
          error={contact.error}
          title={missing ? 'Contact not found' : 'Could not load the contact'}
          onRetry={missing ? undefined : () => void contact.refetch()}
        />
      </>
    );
  }
  if (!contact.data)
    return (
      <>
        {back}
        <Loading />
      </>
    );
  return (
    <>
      {back}
      <ContactView contact={contact.data} />
    </>
  );
}

function ContactView({ contact }: { contact: ContactDetail }) {
  // Certificates name the signer's address and browser: admins only, like the audit log.
  const isAdmin = hasRole(useMe().user.role, 'admin');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [magic, setMagic] = useState<OutboxMessage | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const activity = useQuery(queries.contacts.activity(contact.id));

  const sendLink = useMutation({
    mutationFn: () => endpoints.contacts.sendMagicLink(contact.id),
    meta: { invalidates: CONTACTS },
    onMutate: () => setMessage(null),
    onSuccess: (res) => setMagic(res.message),
    onError: (err) => setMessage({ kind: 'error', text: errorMessage(err) }),
  });

  const revoke = useMutation({
    mutationFn: (grant: ContactGrant) => endpoints.contacts.revokeGrant(contact.id, grant.id),
    meta: { invalidates: CONTACTS },
    onMutate: () => setMessage(null),
    onSuccess: (_contact, grant) =>
      setMessage({ kind: 'success', text: `Access to “${grant.documentTitle}” revoked.` }),
    onError: (err) => setMessage({ kind: 'error', text: errorMessage(err) }),
  });

  const remove = useMutation({
    mutationFn: () => endpoints.contacts.remove(contact.id),
    // Lists only: refetching the deleted contact would flash "not found" before leaving.
    meta: { invalidates: [queryKeys.contacts.lists, queryKeys.outbox] },
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: queryKeys.contacts.detail(contact.id) });
      navigate('/contacts', { replace: true });
    },
  });

  return (
    <>
      <PageHeader
        title={contact.name || contact.email}
        description={[contact.email, contact.company].filter(Boolean).join(' · ')}
        actions={
          <>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => sendLink.mutate()}
              disabled={sendLink.isPending}
            >
              {sendLink.isPending ? 'Sending…' : 'Send magic link'}
            </button>
            <button type="button" className="btn btn-danger-outline" onClick={() => setConfirmDelete(true)}>
              Delete contact
            </button>
          </>
        }
      />
      {magic && <MagicLinkMessage message={magic} />}
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <div className="doc-layout">
        <div>
          <section className="card" aria-labelledby="grants-title">
            <h2 id="grants-title">Document access</h2>
            {contact.grants.length === 0 ? (
              <EmptyState title="No documents granted yet">
                Grant documents below; the contact opens them with a magic link.
              </EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th scope="col">Document</th>
                      <th scope="col">Level</th>
                      <th scope="col">Status</th>
                      <th scope="col">Expires</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {contact.grants.map((g) => (
                      <tr key={g.id}>
                        <td>
                          <Link to={`/documents/${g.documentId}`}>{g.documentTitle}</Link>
                        </td>
                        <td>
                          <AccessBadge level={g.accessLevel} />
                        </td>
                        <td>
                          <Badge tone={GRANT_TONES[g.status]}>{g.status}</Badge>
                        </td>
                        <td>{g.expiresAt ? formatDateTime(g.expiresAt) : 'Never'}</td>
                        <td className="row-actions">
                          {g.status === 'active' && (
                            <button
                              type="button"
                              className="btn btn-small btn-danger-outline"
                              onClick={() => revoke.mutate(g)}
                              aria-label={`Revoke access to ${g.documentTitle}`}
                            >
                              Revoke
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <GrantForm
              contactId={contact.id}
              onGranted={() => setMessage({ kind: 'success', text: 'Access granted.' })}
            />
          </section>
          <section className="card" aria-labelledby="activity-title">
            <h2 id="activity-title">Activity</h2>
            {activity.error ? (
              <ErrorState error={activity.error} onRetry={() => void activity.refetch()} />
            ) : !activity.data ? (
              <Loading />
            ) : activity.data.items.length === 0 ? (
              <EmptyState title="No activity yet">Views, downloads and NDA acceptances show up here.</EmptyState>
            ) : (
              <ul className="audit-list">
                {activity.data.items.map((a) => (
                  <AuditEntryItem key={a.id} entry={a} />
                ))}
              </ul>
            )}
          </section>
        </div>
        <aside className="doc-side">
          <EditContact contact={contact} />
          <section className="card" aria-labelledby="nda-title">
            <h2 id="nda-title">NDA</h2>
            {contact.ndaAcceptances.length === 0 ? (
              <p className="muted">Has not accepted an NDA.</p>
            ) : (
              <ul className="warning-list">
                {contact.ndaAcceptances.map((n) => (
                  <li key={n.id}>
                    Version {n.version}, {formatDateTime(n.acceptedAt)}
                    {n.ip ? ` from ${n.ip}` : ''}
                    {n.signatureName ? `, signed as “${n.signatureName}”` : ''}
                    {n.hasCertificate && isAdmin && (
                      <>
                        {' '}
                        <a href={paths.ndaCertificate(contact.id, n.id)} download>
                          Download certificate (PDF)
                        </a>
                      </>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </aside>
      </div>
      <ConfirmDialog
        open={confirmDelete}
        title="Delete this contact?"
        confirmLabel="Delete contact"
        danger
        onClose={() => setConfirmDelete(false)}
        onConfirm={() => remove.mutateAsync()}
      >
        <p>
          {contact.email} loses access to every granted document at once. Their past activity stays in the audit log.
        </p>
      </ConfirmDialog>
    </>
  );
}

function EditContact({ contact }: { contact: ContactDetail }) {
  const [name, setName] = useState(contact.name);
  const [company, setCompany] = useState(contact.company);
  const save = useMutation({
    mutationFn: () => endpoints.contacts.update(contact.id, { name: name.trim(), company: company.trim() }),
    meta: { invalidates: [queryKeys.contacts.all] },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <section className="card" aria-labelledby="details-title">
      <h2 id="details-title">Details</h2>
      <form className="form" onSubmit={submit}>
        <TextField label="Name" value={name} onChange={setName} />
        <TextField label="Company" value={company} onChange={setCompany} />
        {save.error && (
          <p className="form-error" role="alert">
            {errorMessage(save.error)}
          </p>
        )}
        <button type="submit" className="btn" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </form>
    </section>
  );
}

function GrantForm({ contactId, onGranted }: { contactId: string; onGranted(): void }) {
  const [mode, setMode] = useState<'documents' | 'level'>('documents');
  const [level, setLevel] = useState<GrantableLevel>('contacts');
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [expires, setExpires] = useState('');
  const ids = { level: useId(), expires: useId() };
  const docs = useInfiniteQuery({ ...queries.documents.list({}, PICKER_PAGE_SIZE), enabled: mode === 'documents' });
  const restricted = (docs.data ?? []).filter((d) => d.accessLevel === 'contacts' || d.accessLevel === 'contacts_nda');
  const grant = useMutation({
    mutationFn: () => {
      const target = mode === 'documents' ? { documentIds: [...picked] } : { accessLevel: level };
      return endpoints.contacts.grant(contactId, { ...target, expiresAt: endOfDayIso(expires) });
    },
    meta: { invalidates: CONTACTS },
    onSuccess: () => {
      setPicked(new Set());
      onGranted();
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    grant.mutate();
  };

  return (
    <form className="grant-form" onSubmit={submit} aria-label="Grant access">
      <div className="segmented" role="radiogroup" aria-label="What to grant">
        <label className={mode === 'documents' ? 'active' : ''}>
          <input type="radio" name="grant-mode" checked={mode === 'documents'} onChange={() => setMode('documents')} />
          Pick documents
        </label>
        <label className={mode === 'level' ? 'active' : ''}>
          <input type="radio" name="grant-mode" checked={mode === 'level'} onChange={() => setMode('level')} />
          Everything of a level
        </label>
      </div>
      {mode === 'documents' ? (
        <fieldset className="doc-picker">
          <legend className="visually-hidden">Documents to grant</legend>
          {docs.error && !docs.isFetchNextPageError ? (
            <ErrorState error={docs.error} onRetry={() => void docs.refetch()} />
          ) : !docs.data ? (
            <Loading />
          ) : restricted.length === 0 ? (
            <p className="muted small">
              No documents are restricted to contacts. Public documents need no grant; internal ones are never shared.
            </p>
          ) : (
            restricted.map((d) => (
              <label key={d.id}>
                <input
                  type="checkbox"
                  checked={picked.has(d.id)}
                  onChange={() =>
                    setPicked((prev) => {
                      const next = new Set(prev);
                      if (next.has(d.id)) next.delete(d.id);
                      else next.add(d.id);
                      return next;
                    })
                  }
                />
                {d.title} <AccessBadge level={d.accessLevel} />
              </label>
            ))
          )}
          <LoadMore list={docs} label="Load more documents" />
        </fieldset>
      ) : (
        <div className="field">
          <label htmlFor={ids.level}>Access level</label>
          <select id={ids.level} value={level} onChange={(e) => setLevel(e.target.value as GrantableLevel)}>
            {GRANTABLE.map((l) => (
              <option key={l} value={l}>
                {ACCESS_LEVEL_LABELS[l]}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.expires}>
          Expires <span className="muted">(optional)</span>
        </label>
        <input id={ids.expires} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </div>
      <button
        type="submit"
        className="btn btn-primary"
        disabled={grant.isPending || (mode === 'documents' && picked.size === 0)}
      >
        {grant.isPending ? 'Granting…' : 'Grant access'}
      </button>
      {grant.error && (
        <p className="form-error" role="alert">
          {errorMessage(grant.error)}
        </p>
      )}
    </form>
  );
}
