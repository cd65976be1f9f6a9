import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { DocumentList } from '../../../src/contracts/documents.ts';
import type { Activity, ContactDetail, ContactGrant, GrantableLevel, MagicLink, OutboxMessage } from '../../../src/contracts/trust-center.ts';
import { api, ApiError, errorMessage } from '../api/client.ts';
import { AccessBadge, Badge } from '../components/badges.tsx';
import { TextField } from '../components/text-field.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ACCESS_LEVEL_LABELS, endOfDayIso, formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/layout.tsx';
import { MagicLinkMessage } from '../components/magic-link-message.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../components/states.tsx';
import { useApi } from '../hooks/use-api.ts';
import { useAction } from '../hooks/use-action.ts';

const GRANT_TONES: Record<ContactGrant['status'], 'green' | 'neutral' | 'red'> = { active: 'green', expired: 'neutral', revoked: 'red' };
const GRANTABLE: GrantableLevel[] = ['contacts', 'contacts_nda'];

/** One contact: details, document grants, magic link, NDA acceptances and what they viewed. */
export function ContactPage() {
  const { id = '' } = useParams();
  const contact = useApi<ContactDetail>(`/api/contacts/${encodeURIComponent(id)}`);
  const back = <p className="back"><Link to="/contacts">← Contacts</Link></p>;
  if (contact.error) {
    const missing = contact.error instanceof ApiError && contact.error.status === 404;
    return <>{back}<ErrorState error={contact.error} title={missing ? 'Contact not found' : 'Could not load the contact'} onRetry={missing ? undefined : contact.reload} /></>;
  }
  if (!contact.data) return <>{back}<Loading /></>;
  return <>{back}<ContactView contact={contact.data} onChange={contact.reload} /></>;
}

function ContactView({ contact, onChange }: { contact: ContactDetail; onChange(): void }) {
  const navigate = useNavigate();
  const [magic, setMagic] = useState<OutboxMessage | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [sending, setSending] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const activity = useApi<Activity>(`/api/contacts/${contact.id}/activity?limit=50`);

  const sendLink = async () => {
    setSending(true);
    setMessage(null);
    try {
      const res = await api<MagicLink>(`/api/contacts/${contact.id}/magic-link`, { method: 'POST' });
      setMagic(res.message);
      onChange();
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    } finally {
      setSending(false);
    }
  };

  const revoke = async (grant: ContactGrant) => {
    setMessage(null);
    try {
      await api(`/api/contacts/${contact.id}/grants/${grant.id}`, { method: 'DELETE' });
      setMessage({ kind: 'success', text: `Access to “${grant.documentTitle}” revoked.` });
      onChange();
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(err) });
    }
  };

  return (
    <>
      <PageHeader
        title={contact.name || contact.email}
        description={[contact.email, contact.company].filter(Boolean).join(' · ')}
        actions={
          <>
            <button type="button" className="btn btn-primary" onClick={() => void sendLink()} disabled={sending}>{sending ? 'Sending…' : 'Send magic link'}</button>
            <button type="button" className="btn btn-danger-outline" onClick={() => setConfirmDelete(true)}>Delete contact</button>
          </>
        }
      />
      {magic && <MagicLinkMessage message={magic} />}
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <div className="doc-layout">
        <div>
          <section className="card" aria-labelledby="grants-title">
            <h2 id="grants-title">Document access</h2>
            {contact.grants.length === 0 ? <EmptyState title="No documents granted yet">Grant documents below; the contact opens them with a magic link.</EmptyState> : (
              <div className="table-wrap">
                <table className="table">
                  <thead><tr><th scope="col">Document</th><th scope="col">Level</th><th scope="col">Status</th><th scope="col">Expires</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
                  <tbody>
                    {contact.grants.map((g) => (
                      <tr key={g.id}>
                        <td><Link to={`/documents/${g.documentId}`}>{g.documentTitle}</Link></td>
                        <td><AccessBadge level={g.accessLevel} /></td>
                        <td><Badge tone={GRANT_TONES[g.status]}>{g.status}</Badge></td>
                        <td>{g.expiresAt ? formatDateTime(g.expiresAt) : 'Never'}</td>
                        <td className="row-actions">{g.status === 'active' && <button type="button" className="btn btn-small btn-danger-outline" onClick={() => void revoke(g)} aria-label={`Revoke access to ${g.documentTitle}`}>Revoke</button>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <GrantForm contactId={contact.id} onGranted={() => { setMessage({ kind: 'success', text: 'Access granted.' }); onChange(); }} />
          </section>
          <section className="card" aria-labelledby="activity-title">
            <h2 id="activity-title">Activity</h2>
            {activity.error ? <ErrorState error={activity.error} onRetry={activity.reload} />
              : !activity.data ? <Loading />
              : activity.data.items.length === 0 ? <EmptyState title="No activity yet">Views, downloads and NDA acceptances show up here.</EmptyState>
              : (
                <ul className="activity-list">
                  {activity.data.items.map((a) => (
                    <li key={a.id}><span className="nowrap muted small">{formatDateTime(a.createdAt)}</span> <code>{a.action}</code> {a.documentId && <Link to={`/documents/${a.documentId}`}>document</Link>}</li>
                  ))}
                </ul>
              )}
          </section>
        </div>
        <aside className="doc-side">
          <EditContact contact={contact} onSaved={onChange} />
          <section className="card" aria-labelledby="nda-title">
            <h2 id="nda-title">NDA</h2>
            {contact.ndaAcceptances.length === 0 ? <p className="muted">Has not accepted an NDA.</p> : (
              <ul className="warning-list">
                {contact.ndaAcceptances.map((n) => <li key={`${n.version}-${n.acceptedAt}`}>Version {n.version}, {formatDateTime(n.acceptedAt)}{n.ip ? ` from ${n.ip}` : ''}</li>)}
              </ul>
            )}
          </section>
        </aside>
      </div>
      <ConfirmDialog open={confirmDelete} title="Delete this contact?" confirmLabel="Delete contact" danger onClose={() => setConfirmDelete(false)}
        onConfirm={async () => { await api(`/api/contacts/${contact.id}`, { method: 'DELETE' }); navigate('/contacts', { replace: true }); }}>
        <p>{contact.email} loses access to every granted document at once. Their past activity stays in the audit log.</p>
      </ConfirmDialog>
    </>
  );
}

function EditContact({ contact, onSaved }: { contact: ContactDetail; onSaved(): void }) {
  const [name, setName] = useState(contact.name);
  const [company, setCompany] = useState(contact.company);
  const { busy, error, run } = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      await api(`/api/contacts/${contact.id}`, { method: 'PATCH', json: { name: name.trim(), company: company.trim() } });
      onSaved();
    });
  };
  return (
    <section className="card" aria-labelledby="details-title">
      <h2 id="details-title">Details</h2>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <TextField label="Name" value={name} onChange={setName} />
        <TextField label="Company" value={company} onChange={setCompany} />
        {error && <p className="form-error" role="alert">{error}</p>}
        <button type="submit" className="btn" disabled={busy}>{busy ? 'Saving…' : 'Save'}</button>
      </form>
    </section>
  );
}

function GrantForm({ contactId, onGranted }: { contactId: string; onGranted(): void }) {
  const [mode, setMode] = useState<'documents' | 'level'>('documents');
  const [level, setLevel] = useState<GrantableLevel>('contacts');
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [expires, setExpires] = useState('');
  const { busy, error, run } = useAction();
  const ids = { level: useId(), expires: useId() };
  const docs = useApi<DocumentList>(mode === 'documents' ? '/api/documents?limit=100' : null);
  const restricted = (docs.data?.items ?? []).filter((d) => d.accessLevel === 'contacts' || d.accessLevel === 'contacts_nda');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      const target = mode === 'documents' ? { documentIds: [...picked] } : { accessLevel: level };
      await api(`/api/contacts/${contactId}/grants`, { method: 'POST', json: { ...target, expiresAt: endOfDayIso(expires) } });
      setPicked(new Set());
      onGranted();
    });
  };

  return (
    <form className="grant-form" onSubmit={(e) => void submit(e)} aria-label="Grant access">
      <div className="segmented" role="radiogroup" aria-label="What to grant">
        <label className={mode === 'documents' ? 'active' : ''}><input type="radio" name="grant-mode" checked={mode === 'documents'} onChange={() => setMode('documents')} />Pick documents</label>
        <label className={mode === 'level' ? 'active' : ''}><input type="radio" name="grant-mode" checked={mode === 'level'} onChange={() => setMode('level')} />Everything of a level</label>
      </div>
      {mode === 'documents' ? (
        <fieldset className="doc-picker">
          <legend className="visually-hidden">Documents to grant</legend>
          {docs.error ? <ErrorState error={docs.error} onRetry={docs.reload} />
            : !docs.data ? <Loading />
            : restricted.length === 0 ? <p className="muted small">No documents are restricted to contacts. Public documents need no grant; internal ones are never shared.</p>
            : restricted.map((d) => (
              <label key={d.id}>
                <input type="checkbox" checked={picked.has(d.id)} onChange={() => setPicked((prev) => { const next = new Set(prev); if (next.has(d.id)) next.delete(d.id); else next.add(d.id); return next; })} />
                {d.title} <AccessBadge level={d.accessLevel} />
              </label>
            ))}
        </fieldset>
      ) : (
        <div className="field">
          <label htmlFor={ids.level}>Access level</label>
          <select id={ids.level} value={level} onChange={(e) => setLevel(e.target.value as GrantableLevel)}>
            {GRANTABLE.map((l) => <option key={l} value={l}>{ACCESS_LEVEL_LABELS[l]}</option>)}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={ids.expires}>Expires <span className="muted">(optional)</span></label>
        <input id={ids.expires} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy || (mode === 'documents' && picked.size === 0)}>{busy ? 'Granting…' : 'Grant access'}</button>
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
  );
}
