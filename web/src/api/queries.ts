/*
 * Server state of the admin app, cached by TanStack Query. Every query is keyed by the resource it reads
 * (`queryKeys`), so a mutation names the resources it changes in `meta.invalidates` and every screen showing
 * them refetches; long-running work (imports, syncs) is followed with `refetchInterval` until it finishes.
 */
import {
  infiniteQueryOptions,
  keepPreviousData,
  MutationCache,
  QueryClient,
  queryOptions,
  type QueryKey,
} from '@tanstack/react-query';
import type { ImportStatus, Integration, SyncRun } from '../../../src/contracts/integrations.ts';
import type { CursorPage } from '../../../src/contracts/paging.ts';
import { ApiError } from './client.ts';
import {
  endpoints,
  type AccessRequestFilter,
  type AuditFilter,
  type ContactFilter,
  type DocumentFilter,
  type NotionBrowse,
} from './endpoints.ts';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: {
      /** Resources the mutation changes: every query under these keys is refetched before it resolves. */
      invalidates?: readonly QueryKey[];
    };
  }
}

/** Query keys, one prefix per resource, so invalidating a prefix reaches every view of that resource. */
export const queryKeys = {
  me: ['me'] as const,
  documents: {
    all: ['documents'] as const,
    lists: ['documents', 'list'] as const,
    list: (filter: DocumentFilter, pageSize: number) => ['documents', 'list', filter, pageSize] as const,
    detail: (id: string) => ['documents', 'detail', id] as const,
    preview: (id: string) => ['documents', 'detail', id, 'preview'] as const,
    activity: (id: string) => ['documents', 'detail', id, 'activity'] as const,
    revisions: (id: string) => ['documents', 'detail', id, 'revisions'] as const,
    revision: (id: string, revisionId: string) => ['documents', 'detail', id, 'revisions', revisionId] as const,
    revisionDiff: (id: string, revisionId: string) =>
      ['documents', 'detail', id, 'revisions', revisionId, 'diff'] as const,
  },
  notion: {
    all: ['notion'] as const,
    browsing: ['notion', 'browse'] as const,
    browse: (browse: NotionBrowse) => ['notion', 'browse', browse] as const,
    import: (id: string) => ['notion', 'import', id] as const,
    accessMapping: ['notion', 'access-mapping'] as const,
    properties: (dataSourceId: string) => ['notion', 'data-source', dataSourceId, 'properties'] as const,
  },
  integrations: {
    all: ['integrations'] as const,
    list: ['integrations', 'list'] as const,
    syncRuns: ['integrations', 'sync-runs'] as const,
  },
  settings: ['settings'] as const,
  users: ['users'] as const,
  audit: (filter: AuditFilter) => ['audit', filter] as const,
  contacts: {
    all: ['contacts'] as const,
    lists: ['contacts', 'list'] as const,
    list: (filter: ContactFilter) => ['contacts', 'list', filter] as const,
    detail: (id: string) => ['contacts', 'detail', id] as const,
    activity: (id: string) => ['contacts', 'detail', id, 'activity'] as const,
  },
  outbox: ['outbox'] as const,
  nda: ['nda'] as const,
  trustProfile: ['trust-profile'] as const,
  overviewSections: ['overview-sections'] as const,
  accessRequests: {
    all: ['access-requests'] as const,
    list: (filter: AccessRequestFilter) => ['access-requests', 'list', filter] as const,
    pendingCount: ['access-requests', 'pending-count'] as const,
  },
  autoApproveRules: ['auto-approve-rules'] as const,
  notificationSettings: ['notification-settings'] as const,
};

/** How often the menu's pending-request count is refreshed while the admin panel stays open. */
const PENDING_COUNT_POLL_MS = 60_000;

const IMPORT_POLL_MS = 700;
const SYNC_POLL_MS = 1500;

/** A cursor-paged list read as one growing array; the previous results stay on screen while filters change. */
function cursorList<T, K extends QueryKey>(queryKey: K, fetchPage: (cursor: string | null) => Promise<CursorPage<T>>) {
  return infiniteQueryOptions({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    select: (data) => data.pages.flatMap((page) => page.items),
    placeholderData: keepPreviousData,
  });
}

export const isSyncActive = (run: SyncRun) => run.status === 'queued' || run.status === 'running';
export const notionIntegration = (data: { items: Integration[] } | undefined) =>
  data?.items.find((i) => i.provider === 'notion');

/** The workspace name is fetched from Notion after the connection lands; show it as soon as it is there. */
function awaitingWorkspace(data: { items: Integration[] } | undefined): boolean {
  const notion = notionIntegration(data);
  return notion?.status === 'connected' && !notion.workspaceName;
}

export const queries = {
  documents: {
    list: (filter: DocumentFilter, pageSize: number) =>
      cursorList(queryKeys.documents.list(filter, pageSize), (cursor) =>
        endpoints.documents.list(filter, pageSize, cursor),
      ),
    detail: (id: string) =>
      queryOptions({ queryKey: queryKeys.documents.detail(id), queryFn: () => endpoints.documents.get(id) }),
    preview: (id: string) =>
      queryOptions({ queryKey: queryKeys.documents.preview(id), queryFn: () => endpoints.documents.preview(id) }),
    activity: (id: string) =>
      queryOptions({ queryKey: queryKeys.documents.activity(id), queryFn: () => endpoints.documents.activity(id, 20) }),
    revisions: (id: string) =>
      queryOptions({ queryKey: queryKeys.documents.revisions(id), queryFn: () => endpoints.documents.revisions(id) }),
    revision: (id: string, revisionId: string) =>
      queryOptions({
        queryKey: queryKeys.documents.revision(id, revisionId),
        queryFn: () => endpoints.documents.revision(id, revisionId),
      }),
    revisionDiff: (id: string, revisionId: string) =>
      queryOptions({
        queryKey: queryKeys.documents.revisionDiff(id, revisionId),
        queryFn: () => endpoints.documents.revisionDiff(id, revisionId),
      }),
  },
  notion: {
    browse: (browse: NotionBrowse) =>
      cursorList(queryKeys.notion.browse(browse), (cursor) => endpoints.notion.browse(browse, cursor)),
    /** Polls while the import runs; stops once it completed or was cancelled. */
    import: (id: string) =>
      queryOptions({
        queryKey: queryKeys.notion.import(id),
        queryFn: () => endpoints.notion.importStatus(id),
        refetchInterval: (query) => (isImportFinished(query.state.data) ? false : IMPORT_POLL_MS),
      }),
    accessMapping: queryOptions({ queryKey: queryKeys.notion.accessMapping, queryFn: endpoints.notion.accessMapping }),
    properties: (dataSourceId: string) =>
      queryOptions({
        queryKey: queryKeys.notion.properties(dataSourceId),
        queryFn: () => endpoints.notion.dataSourceProperties(dataSourceId),
        enabled: dataSourceId !== '',
      }),
  },
  integrations: {
    /**
     * Polls while Notion's workspace name is still being fetched after connecting, and while `busy()` says
     * other work (a sync) will change what this shows.
     */
    list: (busy: () => boolean = () => false) =>
      queryOptions({
        queryKey: queryKeys.integrations.list,
        queryFn: endpoints.integrations.list,
        refetchInterval: (query) => (busy() || awaitingWorkspace(query.state.data) ? SYNC_POLL_MS : false),
      }),
    /** Polls while a sync is queued or running. */
    syncRuns: (enabled: boolean) =>
      queryOptions({
        queryKey: queryKeys.integrations.syncRuns,
        queryFn: endpoints.integrations.syncRuns,
        enabled,
        refetchInterval: (query) => (query.state.data?.items.some(isSyncActive) ? SYNC_POLL_MS : false),
      }),
  },
  settings: queryOptions({ queryKey: queryKeys.settings, queryFn: endpoints.settings.get }),
  users: queryOptions({ queryKey: queryKeys.users, queryFn: endpoints.users.list }),
  audit: (filter: AuditFilter, pageSize: number) =>
    cursorList(queryKeys.audit(filter), (cursor) => endpoints.audit.list(filter, pageSize, cursor)),
  contacts: {
    list: (filter: ContactFilter, pageSize: number) =>
      cursorList(queryKeys.contacts.list(filter), (cursor) => endpoints.contacts.list(filter, pageSize, cursor)),
    detail: (id: string) =>
      queryOptions({ queryKey: queryKeys.contacts.detail(id), queryFn: () => endpoints.contacts.get(id) }),
    activity: (id: string) =>
      queryOptions({ queryKey: queryKeys.contacts.activity(id), queryFn: () => endpoints.contacts.activity(id, 50) }),
  },
  outbox: (pageSize: number) => cursorList(queryKeys.outbox, (cursor) => endpoints.outbox.list(pageSize, cursor)),
  nda: queryOptions({ queryKey: queryKeys.nda, queryFn: endpoints.nda.get }),
  trustProfile: queryOptions({ queryKey: queryKeys.trustProfile, queryFn: endpoints.trustProfile.get }),
  overviewSections: queryOptions({ queryKey: queryKeys.overviewSections, queryFn: endpoints.overviewSections.get }),
  accessRequests: (filter: AccessRequestFilter, pageSize: number) =>
    cursorList(queryKeys.accessRequests.list(filter), (cursor) =>
      endpoints.accessRequests.list(filter, pageSize, cursor),
    ),
  autoApproveRules: queryOptions({ queryKey: queryKeys.autoApproveRules, queryFn: endpoints.autoApproveRules.list }),
  // Refetched on window focus (TanStack's default) and every minute, so a new request shows up in the menu.
  pendingRequestCount: queryOptions({
    queryKey: queryKeys.accessRequests.pendingCount,
    queryFn: endpoints.accessRequests.pendingCount,
    refetchInterval: PENDING_COUNT_POLL_MS,
  }),
  notificationSettings: queryOptions({
    queryKey: queryKeys.notificationSettings,
    queryFn: endpoints.notificationSettings.get,
  }),
};

/** True once an import stopped running (completed or cancelled). */
export function isImportFinished(status: ImportStatus | undefined): status is ImportStatus {
  return status !== undefined && status.status !== 'running';
}

/** Client errors (4xx) will not change on retry; network and server failures get two more tries. */
function retryTransient(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/** The app's one QueryClient: a successful mutation refetches what its `meta.invalidates` names. */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: { queries: { retry: retryTransient }, mutations: { retry: false } },
    mutationCache: new MutationCache({
      onSuccess: (_data, _variables, _result, mutation) =>
        Promise.all((mutation.meta?.invalidates ?? []).map((queryKey) => client.invalidateQueries({ queryKey }))),
    }),
  });
  return client;
}
