import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import type { ContactDetail, ContactList, OutboxList } from '../../../src/contracts/trust-center.ts';
import { api, query } from '../api/client.ts';
import { Badge } from '../components/badges.tsx';
import { TextField } from '../components/text-field.tsx';
import { formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/layout.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { useApi, useDebounced } from '../hooks/use-api.ts';
import { hasRole, useMe } from '../session/session.tsx';
import { useAction } from '../hooks/use-action.ts';

/** People outside the company who may read restricted documents, and the email outbox. */
export function ContactsPage() {
  const me = useMe();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const searchId = useId();
  const contacts = useApi<ContactList>(`/api/contacts${query({ q, limit: 100 })}`);

  return (
    <>
      <PageHeader title="Contacts" description="Customers and prospects who can open restricted documents on your public trust center, through a magic link." />
      <div className="two-col">
        <section className="card" aria-labelledby="contacts-title">
          <h2 id="contacts-title">All contacts</h2>
          <div className="filters">
            <div className="field grow">
              <label htmlFor={searchId}>Search contacts</label>
              <input id={searchId} type="search" placeholder="Name, email or company…" value={text} onChange={(e) => setText(e.target.value)} />
            </div>
          </div>
          {contacts.error ? <ErrorState error={contacts.error} onRetry={contacts.reload} />
            : !contacts.data ? <Loading label="Loading contacts…" />
            : contacts.data.items.length === 0 ? (
              <EmptyState title={q ? 'No contacts match' : 'No contacts yet'}>{q ? 'Try another search.' : 'Add one here, or approve an access request from the trust center.'}</EmptyState>
            ) : (
              <div className="table-wrap">
                <table className="table">
                  <thead><tr><th scope="col">Contact</th><th scope="col">Company</th><th scope="col" className="num">Active grants</th><th scope="col">NDA</th><th scope="col">Last link sent</th></tr></thead>
                  <tbody>
                    {contacts.data.items.map((c) => (
                      <tr key={c.id}>
                        <td><Link className="strong" to={`/contacts/${c.id}`}>{c.name || c.email}</Link>{c.name && <div className="muted small">{c.email}</div>}</td>
                        <td>{c.company || '—'}</td>
                        <td className="num">{c.activeGrants}</td>
                        <td>{c.ndaAcceptedVersion ? <Badge tone="green">{`Accepted v${c.ndaAcceptedVersion}`}</Badge> : <span className="muted">—</span>}</td>
                        <td>{formatDateTime(c.lastMagicLinkAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
        </section>
        <AddContactForm />
      </div>
      {hasRole(me.user.role, 'admin') && <Outbox />}
    </>
  );
}

function AddContactForm() {
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [company, setCompany] = useState('');
  const { busy, error, run } = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      const contact = await api<ContactDetail>('/api/contacts', { method: 'POST', json: { email: email.trim(), name: name.trim() || undefined, company: company.trim() || undefined } });
      navigate(`/contacts/${contact.id}`);
    });
  };

  return (
    <section className="card" aria-labelledby="add-contact-title">
      <h2 id="add-contact-title">Add a contact</h2>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <TextField label="Email" type="email" required value={email} onChange={setEmail} />
        <TextField label="Name" optional value={name} onChange={setName} />
        <TextField label="Company" optional value={company} onChange={setCompany} />
        {error && <p className="form-error" role="alert">{error}</p>}
        <button type="submit" className="btn btn-primary" disabled={busy}>{busy ? 'Adding…' : 'Add contact'}</button>
      </form>
    </section>
  );
}

function Outbox() {
  const outbox = useApi<OutboxList>('/api/outbox?limit=20');
  return (
    <section className="card" aria-labelledby="outbox-title">
      <h2 id="outbox-title">Email outbox</h2>
      <p className="muted small">Magic-link emails. Without a mail server they wait here; copy the link to send it yourself.</p>
      {outbox.error ? <ErrorState error={outbox.error} onRetry={outbox.reload} />
        : !outbox.data ? <Loading />
        : outbox.data.items.length === 0 ? <EmptyState title="No emails yet" />
        : (
          <div className="table-wrap">
            <table className="table">
              <thead><tr><th scope="col">To</th><th scope="col">Subject</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Link</th></tr></thead>
              <tbody>
                {outbox.data.items.map((m) => (
                  <tr key={m.id}>
                    <td>{m.toEmail}</td>
                    <td>{m.subject}</td>
                    <td>{m.sentAt ? <Badge tone="green">Sent</Badge> : m.error ? <Badge tone="red" title={m.error}>Failed</Badge> : <Badge tone="yellow">Waiting</Badge>}</td>
                    <td className="nowrap">{formatDateTime(m.createdAt)}</td>
                    <td className="mono-trim" title={m.link ?? ''}>{m.link ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </section>
  );
}
