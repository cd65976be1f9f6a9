import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import type {
  AccessRequest,
  AccessRequestStatus,
  ApproveAccessRequestResult,
  OutboxMessage,
} from '../../../src/contracts/trust-center.ts';
import { endpoints } from '../api/endpoints.ts';
import { queries, queryKeys } from '../api/queries.ts';
import { AccessBadge, Badge } from '../components/badges.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { endOfDayIso, formatDateTime } from '../components/format.ts';
import { PageHeader } from '../components/layout.tsx';
import { MagicLinkMessage } from '../components/magic-link-message.tsx';
import { LoadMore } from '../components/load-more.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';

const PAGE_SIZE = 50;
/** An approval adds a contact with a grant and queues a magic-link email. */
const DECIDED = [queryKeys.accessRequests.all, queryKeys.contacts.all, queryKeys.outbox];
const STATUS_TONES: Record<AccessRequestStatus, 'yellow' | 'green' | 'red'> = {
  pending: 'yellow',
  approved: 'green',
  rejected: 'red',
};

/** Requests from trust center visitors to read a restricted document: approve (grant + magic link) or reject. */
export function AccessRequestsPage() {
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
        description="Visitors of your trust center asking to read a restricted document. Approving adds them as a contact, grants the document and emails a magic link."
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
                  <th scope="col">Document</th>
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
                      <Link to={`/documents/${r.documentId}`}>{r.documentTitle}</Link>
                      <div>
                        <AccessBadge level={r.documentAccessLevel} />
                      </div>
                    </td>
                    <td className="reason-cell small">{r.reason || <span className="muted">—</span>}</td>
                    <td className="nowrap">{formatDateTime(r.createdAt)}</td>
                    <td>
                      <Badge tone={STATUS_TONES[r.status]}>{r.status}</Badge>
                      {r.decidedAt && <div className="muted small">{formatDateTime(r.decidedAt)}</div>}
                    </td>
                    <td className="row-actions">
                      {r.status === 'pending' && (
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
        request={approving}
        onClose={() => setApproving(null)}
        onApproved={(res) => setResult({ contactId: res.contact.id, message: res.message })}
      />
      <ConfirmDialog
        open={rejecting !== null}
        title="Reject this request?"
        confirmLabel="Reject"
        danger
        onClose={() => setRejecting(null)}
        onConfirm={() => (rejecting ? reject.mutateAsync(rejecting.id) : Promise.resolve())}
      >
        <p>
          {rejecting?.email} will not get access to “{rejecting?.documentTitle}”. No email is sent.
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
  const expiresId = useId();
  const approve = useMutation({
    mutationFn: (requestId: string) => endpoints.accessRequests.approve(requestId, { expiresAt: endOfDayIso(expires) }),
    meta: { invalidates: DECIDED },
    onSuccess: onApproved,
  });
  return (
    <ConfirmDialog
      open={request !== null}
      title="Approve access"
      confirmLabel="Approve and send link"
      onConfirm={() => (request ? approve.mutateAsync(request.id) : Promise.resolve())}
      onClose={onClose}
    >
      <p>
        <strong>{request?.email}</strong> gets access to “{request?.documentTitle}” and receives a magic link by email.
      </p>
      <div className="field">
        <label htmlFor={expiresId}>
          Access expires <span className="muted">(optional)</span>
        </label>
        <input id={expiresId} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </div>
    </ConfirmDialog>
  );
}
