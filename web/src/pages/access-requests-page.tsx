import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { hasRole } from '../../../src/contracts/roles.ts';
import type {
  AccessRequest,
  AccessRequestStatus,
  ApproveAccessRequestResult,
  OutboxMessage,
} from '../../../src/contracts/trust-center.ts';
import { errorMessage } from '../api/client.ts';
import { endpoints } from '../api/endpoints.ts';
import { queries, queryKeys } from '../api/queries.ts';
import { AccessBadge, Badge } from '../components/badges.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { endOfDayIso, formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/layout.tsx';
import { MagicLinkMessage } from '../components/magic-link-message.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { useMe } from '../session/session.tsx';

const PAGE_SIZE = 50;
/** An approval adds a contact with a grant and queues a magic-link email. */
const DECIDED = [queryKeys.accessRequests.all, queryKeys.contacts.all, queryKeys.outbox];
const STATUS_TONES: Record<AccessRequestStatus, 'yellow' | 'green' | 'red'> = {
  pending: 'yellow',
  approved: 'green',
  rejected: 'red',
};

const waiting = (r: AccessRequest | null) => (r?.documents ?? []).filter((d) => d.status === 'pending');
const titles = (r: AccessRequest | null) =>
  waiting(r)
    .map((d) => `“${d.title}”`)
    .join(', ');

/**
 * Requests from trust center visitors to read restricted documents: approve once (grants every chosen
 * document and sends one magic link) or reject. Admins also set which email domains are approved at once.
 */
export function AccessRequestsPage() {
  const me = useMe();
  const [status, setStatus] = useState<AccessRequestStatus | ''>('pending');
  const statusId = useId();
  const requests = useInfiniteQuery(queries.accessRequests({ status: status || undefined }, PAGE_SIZE));
  const [approving, setApproving] = useState<AccessRequest | null>(null);
  const [rejecting, setRejecting] = useState<AccessRequest | null>(null);
  const [result, setResult] = useState<{ contactId: string; message: OutboxMessage } | null>(null);
  const reject = useMutation({ mutationFn: endpoints.accessRequests.reject, meta: { invalidates: DECIDED } });

  return (
    <>
      <PageHeader
        title="Access requests"
        description="Visitors of your trust center asking to read restricted documents. Approving adds them as a contact, grants the documents you keep selected and emails one magic link."
      />
      {result && (
        <>
          <MagicLinkMessage message={result.message} />
          <p>
            <Link to={`/contacts/${result.contactId}`}>Open the contact</Link>
          </p>
        </>
      )}
      <section className="card">
        <div className="filters">
          <div className="field">
            <label htmlFor={statusId}>Status</label>
            <select
              id={statusId}
              value={status}
              onChange={(e) => setStatus(e.target.value as AccessRequestStatus | '')}
            >
              <option value="pending">Pending</option>
              <option value="approved">Approved</option>
              <option value="rejected">Rejected</option>
              <option value="">All</option>
            </select>
          </div>
        </div>
        {requests.error && !requests.isFetchNextPageError ? (
          <ErrorState error={requests.error} onRetry={() => void requests.refetch()} />
        ) : !requests.data ? (
          <Loading label="Loading requests…" />
        ) : requests.data.length === 0 ? (
          <EmptyState title={status === 'pending' ? 'No pending requests' : 'No requests'}>
            Requests arrive when visitors ask for a restricted document on your trust center.
          </EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Requester</th>
                  <th scope="col">Documents</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Requested</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {requests.data.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <div className="strong">{r.name || r.email}</div>
                      <div className="muted small">
                        {r.email}
                        {r.company ? ` · ${r.company}` : ''}
                      </div>
                    </td>
                    <td>
                      <ul className="request-documents">
                        {r.documents.map((d) => (
                          <li key={d.documentId}>
                            <Link to={`/documents/${d.documentId}`}>{d.title}</Link>{' '}
                            <AccessBadge level={d.accessLevel} />
                            {r.status !== d.status && (
                              <>
                                {' '}
                                <Badge tone={STATUS_TONES[d.status]}>{d.status}</Badge>
                              </>
                            )}
                          </li>
                        ))}
                      </ul>
                      {r.ndaAcceptance && (
                        <div className="muted small">
                          NDA version {r.ndaAcceptance.version} signed as “{r.ndaAcceptance.signatureName}”
                        </div>
                      )}
                    </td>
                    <td className="reason-cell small">{r.reason || <span className="muted">—</span>}</td>
                    <td className="nowrap">{formatDateTime(r.createdAt)}</td>
                    <td>
                      <Badge tone={STATUS_TONES[r.status]}>{r.status}</Badge>
                      {r.decidedAt && <div className="muted small">{formatDateTime(r.decidedAt)}</div>}
                    </td>
                    <td className="row-actions">
                      {waiting(r).length > 0 && (
                        <>
                          <button
                            type="button"
                            className="btn btn-small btn-primary"
                            onClick={() => setApproving(r)}
                            aria-label={`Approve request from ${r.email}`}
                          >
                            Approve
                          </button>
                          <button
                            type="button"
                            className="btn btn-small btn-danger-outline"
                            onClick={() => setRejecting(r)}
                            aria-label={`Reject request from ${r.email}`}
                          >
                            Reject
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <LoadMore list={requests} label="Load more requests" />
      </section>
      <ApproveDialog
        key={approving?.id ?? 'none'}
        request={approving}
        onClose={() => setApproving(null)}
        onApproved={(res) => setResult({ contactId: res.contact.id, message: res.message })}
      />
      {hasRole(me.user.role, 'admin') && <AutoApproveRules />}
      <ConfirmDialog
        open={rejecting !== null}
        title="Reject this request?"
        confirmLabel="Reject"
        danger
        onClose={() => setRejecting(null)}
        onConfirm={() => (rejecting ? reject.mutateAsync(rejecting.id) : Promise.resolve())}
      >
        <p>
          {rejecting?.email} will not get access to {titles(rejecting)}. No email is sent.
        </p>
      </ConfirmDialog>
    </>
  );
}

function ApproveDialog({
  request,
  onClose,
  onApproved,
}: {
  request: AccessRequest | null;
  onClose(): void;
  onApproved(res: ApproveAccessRequestResult): void;
}) {
  const [expires, setExpires] = useState('');
  const docs = waiting(request);
  // Every waiting document starts selected; unticking one declines it. (Mounted per request: see its key.)
  const [chosen, setChosen] = useState<string[]>(() => docs.map((d) => d.documentId));
  const expiresId = useId();
  const approve = useMutation({
    mutationFn: (requestId: string) =>
      endpoints.accessRequests.approve(requestId, { expiresAt: endOfDayIso(expires), documentIds: chosen }),
    meta: { invalidates: DECIDED },
    onSuccess: onApproved,
  });
  const toggle = (documentId: string) =>
    setChosen((now) => (now.includes(documentId) ? now.filter((d) => d !== documentId) : [...now, documentId]));
  return (
    <ConfirmDialog
      open={request !== null}
      title="Approve access"
      confirmLabel={
        chosen.length === 1 ? 'Grant 1 document and send link' : `Grant ${chosen.length} documents and send link`
      }
      onConfirm={() =>
        request && chosen.length > 0
          ? approve.mutateAsync(request.id)
          : Promise.reject(new Error('Choose at least one document.'))
      }
      onClose={onClose}
    >
      <p>
        <strong>{request?.email}</strong> gets access to the documents you keep selected and receives one magic link by
        email. Unselected documents are declined.
      </p>
      <fieldset className="field">
        <legend>Documents</legend>
        {docs.map((d) => (
          <label key={d.documentId} className="checkbox-row">
            <input type="checkbox" checked={chosen.includes(d.documentId)} onChange={() => toggle(d.documentId)} />
            {d.title} <AccessBadge level={d.accessLevel} />
          </label>
        ))}
      </fieldset>
      {request?.ndaAcceptance && (
        <p className="muted small">
          Signed NDA version {request.ndaAcceptance.version} as “{request.ndaAcceptance.signatureName}” on{' '}
          {formatDateTime(request.ndaAcceptance.acceptedAt)}; the signature is kept with the contact.
        </p>
      )}
      <div className="field">
        <label htmlFor={expiresId}>
          Access expires <span className="muted">(optional)</span>
        </label>
        <input id={expiresId} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </div>
    </ConfirmDialog>
  );
}

/** Admins: email domains whose requests are granted at once (e.g. existing customers). */
function AutoApproveRules() {
  const rules = useQuery(queries.autoApproveRules);
  const [domain, setDomain] = useState('');
  const [scope, setScope] = useState<'all' | 'contacts'>('all');
  const domainId = useId();
  const scopeId = useId();
  const add = useMutation({
    mutationFn: () => endpoints.autoApproveRules.add({ domain, scope }),
    meta: { invalidates: [queryKeys.autoApproveRules] },
    onSuccess: () => setDomain(''),
  });
  const remove = useMutation({
    mutationFn: endpoints.autoApproveRules.remove,
    meta: { invalidates: [queryKeys.autoApproveRules] },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <section className="card" aria-labelledby="auto-approve-title">
      <h2 id="auto-approve-title">Approve automatically</h2>
      <p className="muted">
        Requests from these email domains are approved at once and the requester gets a magic link right away — useful
        for existing customers. Only admins see and change this list.
      </p>
      {rules.error ? (
        <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
      ) : !rules.data ? (
        <Loading label="Loading rules…" />
      ) : rules.data.items.length === 0 ? (
        <p className="muted">No domains yet: every request waits for you.</p>
      ) : (
        <ul className="rule-list">
          {rules.data.items.map((r) => (
            <li key={r.id}>
              <strong>{r.domain}</strong>{' '}
              <span className="muted">
                {r.scope === 'all' ? 'all documents' : 'documents without NDA only (NDA documents still wait)'}
              </span>{' '}
              <button
                type="button"
                className="btn btn-small btn-danger-outline"
                onClick={() => remove.mutate(r.id)}
                aria-label={`Stop approving ${r.domain} automatically`}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="filters" onSubmit={submit}>
        <div className="field">
          <label htmlFor={domainId}>Email domain</label>
          <input
            id={domainId}
            value={domain}
            placeholder="customer.com"
            onChange={(e) => setDomain(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor={scopeId}>Approve</label>
          <select id={scopeId} value={scope} onChange={(e) => setScope(e.target.value as 'all' | 'contacts')}>
            <option value="all">All documents</option>
            <option value="contacts">Only documents without NDA</option>
          </select>
        </div>
        <button type="submit" className="btn btn-primary" disabled={add.isPending}>
          Add domain
        </button>
      </form>
      {(add.error ?? remove.error) && (
        <p className="form-error" role="alert">
          {errorMessage(add.error ?? remove.error)}
        </p>
      )}
    </section>
  );
}
