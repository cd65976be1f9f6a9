import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { hasRole } from '../../../src/contracts/roles.ts';
import { errorMessage } from '../api/client.ts';
import { endpoints } from '../api/endpoints.ts';
import { queries, queryKeys } from '../api/queries.ts';
import { Badge } from '../components/badges.tsx';
import { TextField } from '../components/text-field.tsx';
import { formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/layout.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { useDebounced } from '../hooks/use-debounced.ts';
import { useMe } from '../session/session.tsx';

const PAGE_SIZE = 50;

/** People outside the company who may read restricted documents, and the email outbox. */
export function ContactsPage() {
  const me = useMe();
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 300);
  const searchId = useId();
  const contacts = useInfiniteQuery(queries.contacts.list({ q: q || undefined }, PAGE_SIZE));

  return (
    <>
      <PageHeader
        title="Contacts"
        description="Customers and prospects who can open restricted documents on your public trust center, through a magic link."
      />
      <div className="two-col">
        <section className="card" aria-labelledby="contacts-title">
          <h2 id="contacts-title">All contacts</h2>
          <div className="filters">
            <div className="field grow">
              <label htmlFor={searchId}>Search contacts</label>
              <input
                id={searchId}
                type="search"
                placeholder="Name, email or company…"
                value={text}
                onChange={(e) => setText(e.target.value)}
              />
            </div>
          </div>
          {contacts.error && !contacts.isFetchNextPageError ? (
            <ErrorState error={contacts.error} onRetry={() => void contacts.refetch()} />
          ) : !contacts.data ? (
            <Loading label="Loading contacts…" />
          ) : contacts.data.length === 0 ? (
            <EmptyState title={q ? 'No contacts match' : 'No contacts yet'}>
              {q ? 'Try another search.' : 'Add one here, or approve an access request from the trust center.'}
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Contact</th>
                    <th scope="col">Company</th>
                    <th scope="col" className="num">
                      Active grants
                    </th>
                    <th scope="col">NDA</th>
                    <th scope="col">Last link sent</th>
                  </tr>
                </thead>
                <tbody>
                  {contacts.data.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <Link className="strong" to={`/contacts/${c.id}`}>
                          {c.name || c.email}
                        </Link>
                        {c.name && <div className="muted small">{c.email}</div>}
                      </td>
                      <td>{c.company || '—'}</td>
                      <td className="num">{c.activeGrants}</td>
                      <td>
                        {c.ndaAcceptedVersion ? (
                          <Badge tone="green">{`Accepted v${c.ndaAcceptedVersion}`}</Badge>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                      <td>{formatDateTime(c.lastMagicLinkAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <LoadMore list={contacts} label="Load more contacts" />
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
  const add = useMutation({
    mutationFn: () =>
      endpoints.contacts.create({
        email: email.trim(),
        name: name.trim() || undefined,
        company: company.trim() || undefined,
      }),
    meta: { invalidates: [queryKeys.contacts.all] },
    onSuccess: (contact) => navigate(`/contacts/${contact.id}`),
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };

  return (
    <section className="card" aria-labelledby="add-contact-title">
      <h2 id="add-contact-title">Add a contact</h2>
      <form className="form" onSubmit={submit}>
        <TextField label="Email" type="email" required value={email} onChange={setEmail} />
        <TextField label="Name" optional value={name} onChange={setName} />
        <TextField label="Company" optional value={company} onChange={setCompany} />
        {add.error && (
          <p className="form-error" role="alert">
            {errorMessage(add.error)}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add contact'}
        </button>
      </form>
    </section>
  );
}

function Outbox() {
  const outbox = useInfiniteQuery(queries.outbox(20));
  return (
    <section className="card" aria-labelledby="outbox-title">
      <h2 id="outbox-title">Email outbox</h2>
      <p className="muted small">
        Magic-link emails. Without a mail server they wait here; copy the link to send it yourself.
      </p>
      {outbox.error && !outbox.isFetchNextPageError ? (
        <ErrorState error={outbox.error} onRetry={() => void outbox.refetch()} />
      ) : !outbox.data ? (
        <Loading />
      ) : outbox.data.length === 0 ? (
        <EmptyState title="No emails yet" />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Link</th>
              </tr>
            </thead>
            <tbody>
              {outbox.data.map((m) => (
                <tr key={m.id}>
                  <td>{m.toEmail}</td>
                  <td>{m.subject}</td>
                  <td>
                    {m.sentAt ? (
                      <Badge tone="green">Sent</Badge>
                    ) : m.error ? (
                      <Badge tone="red" title={m.error}>
                        Failed
                      </Badge>
                    ) : (
                      <Badge tone="yellow">Waiting</Badge>
                    )}
                  </td>
                  <td className="nowrap">{formatDateTime(m.createdAt)}</td>
                  <td className="mono-trim" title={m.link ?? ''}>
                    {m.link ?? '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore list={outbox} label="Load older emails" />
    </section>
  );
}
