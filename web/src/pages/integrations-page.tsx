import Nango, { type ConnectUI, type ConnectUIEvent } from '@nangohq/frontend';
import { useMutation, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { ConnectSession, Integration, SyncRun } from '../../../src/contracts/integrations.ts';
import { errorMessage } from '../api/client.ts';
import { endpoints } from '../api/endpoints.ts';
import { isSyncActive, notionIntegration, queries, queryKeys } from '../api/queries.ts';
import { AccessMappingEditor } from '../components/access-mapping-editor.tsx';
import { Badge } from '../components/badges.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { formatDateTime, formatRelative } from '../components/format.ts';
import { GuardedButton } from '../components/guarded-button.tsx';
import { PageHeader } from '../components/layout.tsx';
import { NotionIcon } from '../components/notion-icon.tsx';
import { EmptyState, ErrorState, Loading, Notice } from '../components/states.tsx';
import { connectErrorMessage } from './connect-errors.ts';
import { roleReason, useMe } from '../session/session.tsx';

type Status = Integration['status'];
const STATUS_BADGES: Record<Status, { label: string; tone: 'green' | 'yellow' | 'red' | 'neutral' }> = {
  connected: { label: 'Connected', tone: 'green' },
  needs_reauth: { label: 'Needs reconnection', tone: 'yellow' },
  error: { label: 'Error', tone: 'red' },
  disconnected: { label: 'Not connected', tone: 'neutral' },
};
const RUN_TONES: Record<SyncRun['status'], 'green' | 'yellow' | 'red' | 'neutral' | 'blue'> = {
  queued: 'neutral',
  running: 'blue',
  succeeded: 'green',
  failed: 'red',
  cancelled: 'neutral',
};
const SYNC_STARTED = 'Sync started. The history below updates as it runs.';
/** How the sync is doing, in words (a state that never synced but has a successful run was reconnected). */
function syncStatusText(status: string, synced: boolean): string {
  switch (status) {
    case 'running':
      return 'Syncing now';
    case 'failing':
      return 'The last sync failed; it is retried at the next run';
    case 'paused':
      return 'Paused until Notion is reconnected';
    case 'ok':
      return 'Up to date';
    default:
      return synced ? 'Up to date' : 'Not synced yet';
  }
}
const RUN_STATUS: Record<SyncRun['status'], string> = {
  queued: 'Waiting',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
/** "Checked 6 Notion pages · 1 changed · 0 missing" (pages the run read, linked or not). */
function runSummary(run: SyncRun): string {
  if (run.status === 'queued') return 'Not started yet';
  return `Checked ${plural(run.pagesChecked, 'linked page', 'linked pages')} · ${run.pagesChanged} changed · ${run.pagesMissing} missing`;
}

/** Disconnecting marks imported documents "Source disconnected" and ends browsing Notion. */
const CONNECTION = [queryKeys.integrations.all, queryKeys.documents.all, queryKeys.notion.all];

/** Connection status of Notion with connect, sync, reconnect and disconnect, and the sync history. */
export function IntegrationsPage() {
  const me = useMe();
  const role = me.user.role;
  const queryClient = useQueryClient();
  // The sync history needs the status first, so the status reads the history from the cache to poll during a sync.
  const integrations = useQuery(
    queries.integrations.list(
      () => queryClient.getQueryData(queries.integrations.syncRuns(true).queryKey)?.items.some(isSyncActive) ?? false,
    ),
  );
  const notion = notionIntegration(integrations.data);
  const status: Status = notion?.status ?? 'disconnected';
  const runs = useQuery(queries.integrations.syncRuns(status !== 'disconnected'));
  const [pending, setPending] = useState<ConnectSession | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error' | 'info'; text: string } | null>(null);
  const [confirmDisconnect, setConfirmDisconnect] = useState(false);
  const connectUi = useRef<ConnectUI | null>(null);
  const [searchParams, setSearchParams] = useSearchParams();
  const syncing = (runs.data?.items ?? []).some(isSyncActive);
  // A reconnect starts a new sync state; the history still knows the last run that succeeded.
  const lastSyncAt = notion?.lastSyncAt ?? runs.data?.items.find((r) => r.status === 'succeeded')?.finishedAt ?? null;
  useEffect(() => () => connectUi.current?.close(), []);

  // A sync that just ended changed the last-sync time and may have flagged documents: refetch both once.
  const wasSyncing = useRef(false);
  useEffect(() => {
    if (wasSyncing.current && !syncing) {
      // "Sync started" is over: the history row says how it went.
      setMessage((m) => (m?.text === SYNC_STARTED ? null : m));
      void queryClient.invalidateQueries({ queryKey: queryKeys.integrations.list });
      void queryClient.invalidateQueries({ queryKey: queryKeys.documents.all });
    }
    wasSyncing.current = syncing;
  }, [syncing, queryClient]);

  const showError = (err: unknown) => setMessage({ kind: 'error', text: errorMessage(err) });
  const confirm = useMutation({
    mutationFn: endpoints.integrations.confirm,
    meta: { invalidates: CONNECTION },
    onMutate: () => setMessage(null),
    onSuccess: () => {
      setPending(null);
      setMessage({ kind: 'success', text: 'Notion is connected.' });
    },
    onError: showError,
  });
  const { mutate: confirmConnection } = confirm;

  // Coming back from the connect link opened outside the app (?connected=1): make sure we adopted the connection.
  const returned = searchParams.get('connected') === '1';
  useEffect(() => {
    if (!returned) return;
    setSearchParams({}, { replace: true });
    confirmConnection();
  }, [returned, setSearchParams, confirmConnection]);

  const onConnectEvent = (event: ConnectUIEvent) => {
    if (event.type === 'connect') {
      connectUi.current?.close();
      confirmConnection();
    } else if (event.type === 'error') {
      setMessage({ kind: 'error', text: connectErrorMessage(event.payload) });
    }
  };

  const connect = useMutation({
    mutationFn: endpoints.integrations.startConnect,
    onMutate: () => setMessage(null),
    onSuccess: (session) => {
      setPending(session);
      const nango = new Nango({ host: session.nangoHost, connectSessionToken: session.sessionToken });
      // The Connect UI has its own origin (connect.nango.dev beside api.nango.dev); the SDK listens only to it.
      connectUi.current = nango.openConnectUI({
        baseURL: session.connectUiUrl,
        apiURL: session.nangoHost,
        onEvent: onConnectEvent,
      });
    },
    onError: showError,
  });

  const sync = useMutation({
    mutationFn: endpoints.integrations.sync,
    meta: { invalidates: [queryKeys.integrations.all] },
    onMutate: () => setMessage(null),
    onSuccess: () => setMessage({ kind: 'success', text: SYNC_STARTED }),
    onError: showError,
  });

  const disconnect = useMutation({
    mutationFn: endpoints.integrations.disconnect,
    meta: { invalidates: CONNECTION },
    onSuccess: () => {
      setPending(null);
      setMessage({ kind: 'success', text: 'Notion was disconnected. Imported documents were kept.' });
    },
  });

  const busy = confirm.isPending || connect.isPending || sync.isPending;
  const adminReason = (action: string) => roleReason(role, 'admin', action);

  return (
    <>
      <PageHeader
        title="Integrations"
        description="Connect your Notion workspace to import pages into the trust center and keep them in sync."
      />
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {integrations.isPending ? (
        <Loading label="Loading integrations…" />
      ) : integrations.error ? (
        <ErrorState error={integrations.error} onRetry={() => void integrations.refetch()} />
      ) : (
        <section className="card integration-card" aria-labelledby="notion-title">
          <div className="integration-head">
            <NotionIcon icon={notion?.workspaceIcon ?? null} kind="workspace" size={44} />
            <div className="integration-title">
              <h2 id="notion-title">Notion</h2>
              <p className="muted">
                {notion?.workspaceName ? (
                  <>
                    Workspace <strong>{notion.workspaceName}</strong>
                  </>
                ) : (
                  'Read-only access to the pages you share with the Trust Center.'
                )}
              </p>
            </div>
            <Badge tone={STATUS_BADGES[status].tone}>{STATUS_BADGES[status].label}</Badge>
          </div>

          {notion?.statusReason && status !== 'connected' && (
            <Notice kind={status === 'needs_reauth' ? 'info' : 'error'}>{notion.statusReason}</Notice>
          )}
          {status === 'needs_reauth' && !notion?.statusReason && (
            <Notice kind="info">
              Notion no longer accepts our access. Reconnect to resume syncing; your documents are safe.
            </Notice>
          )}

          {status !== 'disconnected' && notion && (
            <dl className="meta-grid">
              <div>
                <dt>Connected by</dt>
                <dd>{notion.connectedBy?.email ?? '—'}</dd>
              </div>
              <div>
                <dt>Connected</dt>
                <dd>{formatDateTime(notion.connectedAt)}</dd>
              </div>
              <div>
                <dt>Last sync</dt>
                <dd>
                  {lastSyncAt ? (
                    <>
                      {formatRelative(lastSyncAt)} <span className="muted">({formatDateTime(lastSyncAt)})</span>
                    </>
                  ) : (
                    'Never'
                  )}
                </dd>
              </div>
              <div>
                <dt>Next sync</dt>
                <dd>
                  {notion.nextSyncAt ? (
                    <>
                      {formatRelative(notion.nextSyncAt)}{' '}
                      <span className="muted">({formatDateTime(notion.nextSyncAt)})</span>
                    </>
                  ) : (
                    '—'
                  )}
                </dd>
              </div>
              {notion.syncStatus && (
                <div>
                  <dt>Sync status</dt>
                  <dd>{syncStatusText(notion.syncStatus, lastSyncAt !== null)}</dd>
                </div>
              )}
              <div>
                <dt>Live updates</dt>
                <dd
                  title={
                    notion.liveUpdatesAt
                      ? 'Edits in Notion reach linked documents within seconds.'
                      : 'No edit has arrived from Notion yet; documents are checked at every sync.'
                  }
                >
                  {notion.liveUpdatesAt ? 'On' : 'Off'}
                </dd>
              </div>
            </dl>
          )}

          <div className="actions">
            {(status === 'disconnected' || status === 'error') && (
              <GuardedButton
                className="btn btn-primary"
                reason={adminReason('connect Notion')}
                disabled={busy}
                onClick={() => connect.mutate('connect')}
              >
                {connect.isPending && connect.variables === 'connect'
                  ? 'Opening…'
                  : status === 'error'
                    ? 'Connect again'
                    : 'Connect Notion'}
              </GuardedButton>
            )}
            {status === 'needs_reauth' && (
              <GuardedButton
                className="btn btn-primary"
                reason={adminReason('reconnect Notion')}
                disabled={busy}
                onClick={() => connect.mutate('reconnect')}
              >
                {connect.isPending && connect.variables === 'reconnect' ? 'Opening…' : 'Reconnect'}
              </GuardedButton>
            )}
            {status === 'connected' && (
              <GuardedButton
                className="btn btn-primary"
                reason={roleReason(role, 'content_manager', 'start a sync')}
                disabled={busy || syncing}
                onClick={() => sync.mutate()}
              >
                {syncing ? 'Syncing…' : 'Sync now'}
              </GuardedButton>
            )}
            {status !== 'disconnected' && (
              <GuardedButton
                className="btn btn-danger-outline"
                reason={adminReason('disconnect Notion')}
                disabled={busy}
                onClick={() => setConfirmDisconnect(true)}
              >
                Disconnect
              </GuardedButton>
            )}
          </div>

          {pending && (
            <div className="connect-fallback">
              <p>
                Connect window didn't open, or you prefer a new tab?{' '}
                <a href={pending.connectLink} target="_blank" rel="noopener noreferrer">
                  Open the Notion connect page in a new tab
                </a>
                , then come back here.
              </p>
              <button type="button" className="btn" disabled={busy} onClick={() => confirmConnection()}>
                {confirm.isPending ? 'Checking…' : "I've finished connecting"}
              </button>
            </div>
          )}
        </section>
      )}

      {status !== 'disconnected' && <AutoReimportSetting />}

      {status !== 'disconnected' && <AccessMappingEditor />}

      {status !== 'disconnected' && (
        <section className="card" aria-labelledby="history-title">
          <h2 id="history-title">Sync history</h2>
          <SyncHistory state={runs} />
        </section>
      )}

      <ConfirmDialog
        open={confirmDisconnect}
        title="Disconnect Notion?"
        confirmLabel="Disconnect"
        danger
        onConfirm={() => disconnect.mutateAsync()}
        onClose={() => setConfirmDisconnect(false)}
      >
        <p>
          The Trust Center will stop syncing and lose access to your Notion workspace. Scheduled syncs and pending
          imports are cancelled.
        </p>
        <p>
          <strong>Imported documents are kept</strong> — they stay published with their current content and are marked
          “Source disconnected”.
        </p>
      </ConfirmDialog>
    </>
  );
}

function SyncHistory({ state }: { state: UseQueryResult<{ items: SyncRun[] }> }) {
  if (state.isPending) return <Loading label="Loading sync history…" />;
  if (state.error)
    return (
      <ErrorState error={state.error} onRetry={() => void state.refetch()} title="Could not load the sync history" />
    );
  const items = state.data?.items ?? [];
  if (items.length === 0)
    return (
      <EmptyState title="No syncs yet">
        Syncs run every few hours on their own; “Sync now” starts one immediately.
      </EmptyState>
    );
  return (
    <>
      <p className="muted">
        Every sync checks the pages edited in Notion since the last one (a quick check). Once a day, or when you ask, it
        also reads every linked page to notice pages trashed or no longer shared (a full check).
      </p>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Run</th>
              <th scope="col">Started</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {items.map((run) => (
              <tr key={run.id}>
                <td>
                  <Badge tone={RUN_TONES[run.status]}>{RUN_STATUS[run.status]}</Badge>
                </td>
                <td>
                  {run.trigger === 'manual' ? 'Started by hand' : 'Scheduled'} ·{' '}
                  {run.mode === 'reconcile' ? 'full check' : 'quick check'}
                </td>
                <td>{formatDateTime(run.startedAt ?? run.createdAt)}</td>
                <td>
                  <span className="sync-summary">{runSummary(run)}</span>
                  {run.error && <div className="error-cell">{run.error}</div>}
                  <details className="muted small">
                    <summary>Details</summary>
                    <span>
                      Finished {formatDateTime(run.finishedAt)} ·{' '}
                      {plural(run.notionCalls, 'Notion call', 'Notion calls')}
                    </span>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Whether changes read from Notion are published at once, or wait for a person to review them. */
function AutoReimportSetting() {
  const me = useMe();
  const settings = useQuery(queries.settings);
  const reason = roleReason(me.user.role, 'admin', 'change this setting');
  const hintId = useId();
  const change = useMutation({
    mutationFn: (autoReimport: boolean) => endpoints.settings.update({ autoReimport }),
    meta: { invalidates: [queryKeys.settings] },
  });
  return (
    <section className="card" aria-labelledby="sync-settings-title">
      <h2 id="sync-settings-title">When a page changes in Notion</h2>
      {settings.data && (
        <label className="checkbox-row">
          <input
            type="checkbox"
            checked={settings.data.autoReimport}
            disabled={change.isPending || reason !== null}
            aria-describedby={hintId}
            onChange={(e) => change.mutate(e.target.checked)}
          />
          <span>Publish Notion changes automatically</span>
        </label>
      )}
      <p className="muted" id={hintId}>
        {reason ??
          'Off (recommended): the change is read into a revision and the trust center keeps the published version until someone reviews and publishes it. On: it is published at once, still kept in the document’s versions.'}
      </p>
      {change.error && (
        <p className="form-error" role="alert">
          {errorMessage(change.error)}
        </p>
      )}
    </section>
  );
}
