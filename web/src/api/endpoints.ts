/*
 * Every call the admin app makes to the Trust Center API, with its path and the request/response types of
 * src/contracts (imported as types only, so no schema code reaches the browser bundle). Pages never spell a
 * path; they call these functions through the queries and mutations in queries.ts.
 */
import type { z } from 'zod';
import type {
  AddUserBody,
  AuditEntry,
  ChangeRoleBody,
  LoginBody,
  Me,
  TenantSettings,
  UpdateTenantSettingsBody,
  User,
} from '../../../src/contracts/accounts.ts';
import type { AccessLevel } from '../../../src/contracts/common.ts';
import type {
  BulkResult,
  CreateMarkdownDocumentBody,
  DocumentDto,
  DocumentList,
  DocumentSummary,
  ListDocumentsQuery,
  Revision,
  RevisionDetail,
  RevisionDiff,
  UpdateDocumentBody,
} from '../../../src/contracts/documents.ts';
import type {
  AccessMappingResponse,
  ConnectSession,
  DataSourceProperties,
  ImportStatus,
  NotionSearchPage,
  NotionSearchQuery,
  SaveAccessMappingBody,
  StartImportBody,
  StartImportResponse,
  SyncRunsResponse,
  IntegrationsResponse,
} from '../../../src/contracts/integrations.ts';
import type { AuditKind } from '../../../src/contracts/audit-sentences.ts';
import type {
  OverviewItem,
  OverviewItemBody,
  OverviewKind,
  OverviewSections,
  PutOverviewLayoutBody,
} from '../../../src/contracts/overview-sections.ts';
import type { CursorPage } from '../../../src/contracts/paging.ts';
import type {
  AccessRequest,
  AccessRequestList,
  AddAutoApproveRuleBody,
  AutoApproveRule,
  AutoApproveRules,
  AccessRequestStatus,
  Activity,
  ApproveAccessRequestBody,
  ApproveAccessRequestResult,
  Contact,
  ContactDetail,
  ContactList,
  CreateContact,
  DocumentPreview,
  GrantDocuments,
  MagicLink,
  Nda,
  OutboxList,
  OutboxMessage,
  PutNdaBody,
  UpdateContactBody,
} from '../../../src/contracts/trust-center.ts';
import type {
  NotificationSettings,
  PendingRequestCount,
  UpdateNotificationSettingsBody,
} from '../../../src/contracts/notifications.ts';
import type {
  PutCustomDomainBody,
  TrustProfile,
  UpdateTrustProfileBody,
} from '../../../src/contracts/trust-profile.ts';
import { request } from './client.ts';

type Body<S extends z.ZodType> = z.input<S>;
type Res<S extends z.ZodType> = z.output<S>;

/** A query string from the defined, non-empty values. */
function search(params: Record<string, string | number | undefined | null>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const s = query.toString();
  return s ? `?${s}` : '';
}

const id = (value: string) => encodeURIComponent(value);

/** Paths the browser follows itself (links, downloads) or the client needs to recognise. */
export const paths = {
  login: '/api/auth/login',
  documentFile: (documentId: string) => `/api/documents/${id(documentId)}/file`,
  ndaCertificate: (contactId: string, acceptanceId: string) =>
    `/api/contacts/${id(contactId)}/nda-acceptances/${id(acceptanceId)}/certificate`,
};

export type DocumentFilter = Omit<Body<typeof ListDocumentsQuery>, 'limit' | 'cursor'>;
export type NotionBrowse = { databaseId: string } | Omit<Body<typeof NotionSearchQuery>, 'cursor'>;
export type AuditFilter = {
  who?: string | undefined;
  kind?: AuditKind | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
};
export type ContactFilter = { q?: string };
export type AccessRequestFilter = { status?: AccessRequestStatus };

export const endpoints = {
  auth: {
    me: () => request<Me>('/api/me'),
    login: (body: Body<typeof LoginBody>) =>
      request<Me>(paths.login, { method: 'POST', json: body, expectUnauthorized: true }),
    logout: () => request<void>('/api/auth/logout', { method: 'POST' }),
  },
  documents: {
    list: (filter: DocumentFilter, limit: number, cursor: string | null): Promise<CursorPage<DocumentSummary>> =>
      request<DocumentList>(`/api/documents${search({ ...filter, limit, cursor })}`),
    get: (documentId: string) => request<DocumentDto>(`/api/documents/${id(documentId)}`),
    createMarkdown: (body: Body<typeof CreateMarkdownDocumentBody>) =>
      request<DocumentDto>('/api/documents', { method: 'POST', json: body }),
    /** The server reads the fields before the file part, so they come first. */
    upload: (fields: { title: string; accessLevel: AccessLevel; file: File }) => {
      const form = new FormData();
      form.append('title', fields.title);
      form.append('accessLevel', fields.accessLevel);
      form.append('file', fields.file);
      return request<DocumentDto>('/api/documents', { method: 'POST', form });
    },
    update: (documentId: string, body: Body<typeof UpdateDocumentBody>) =>
      request<DocumentDto>(`/api/documents/${id(documentId)}`, { method: 'PATCH', json: body }),
    remove: (documentId: string) => request<void>(`/api/documents/${id(documentId)}`, { method: 'DELETE' }),
    reimport: (documentId: string) =>
      request<Res<typeof StartImportResponse>>(`/api/documents/${id(documentId)}/reimport`, { method: 'POST' }),
    preview: (documentId: string) => request<DocumentPreview>(`/api/documents/${id(documentId)}/preview`),
    activity: (documentId: string, limit: number) =>
      request<Activity>(`/api/documents/${id(documentId)}/activity${search({ limit })}`),
    revisions: (documentId: string) => request<{ items: Revision[] }>(`/api/documents/${id(documentId)}/revisions`),
    bulkAccessLevel: (documentIds: string[], accessLevel: AccessLevel) =>
      request<BulkResult>('/api/documents/bulk/access-level', { method: 'POST', json: { documentIds, accessLevel } }),
    bulkPublishRevisions: (documentIds: string[]) =>
      request<BulkResult>('/api/documents/bulk/publish-revisions', { method: 'POST', json: { documentIds } }),
    bulkReimport: (documentIds: string[]) =>
      request<Res<typeof StartImportResponse>>('/api/documents/bulk/reimport', {
        method: 'POST',
        json: { documentIds },
      }),
    revision: (documentId: string, revisionId: string) =>
      request<RevisionDetail>(`/api/documents/${id(documentId)}/revisions/${id(revisionId)}`),
    revisionDiff: (documentId: string, revisionId: string) =>
      request<RevisionDiff>(`/api/documents/${id(documentId)}/revisions/${id(revisionId)}/diff`),
    decideRevision: (documentId: string, revisionId: string, decision: 'publish' | 'dismiss') =>
      request<DocumentDto>(`/api/documents/${id(documentId)}/revisions/${id(revisionId)}/${decision}`, {
        method: 'POST',
      }),
  },
  notion: {
    browse: (browse: NotionBrowse, cursor: string | null) =>
      request<NotionSearchPage>(
        'databaseId' in browse
          ? `/api/notion/databases/${id(browse.databaseId)}/pages${search({ cursor })}`
          : `/api/notion/search${search({ ...browse, cursor })}`,
      ),
    startImport: (body: Body<typeof StartImportBody>) =>
      request<Res<typeof StartImportResponse>>('/api/notion/imports', { method: 'POST', json: body }),
    importStatus: (importId: string) => request<ImportStatus>(`/api/notion/imports/${id(importId)}`),
    cancelImport: (importId: string) =>
      request<{ cancelled: number }>(`/api/notion/imports/${id(importId)}/cancel`, { method: 'POST' }),
    accessMapping: () => request<Res<typeof AccessMappingResponse>>('/api/notion/access-mapping'),
    saveAccessMapping: (body: Body<typeof SaveAccessMappingBody>) =>
      request<Res<typeof AccessMappingResponse>>('/api/notion/access-mapping', { method: 'PUT', json: body }),
    dataSourceProperties: (dataSourceId: string) =>
      request<DataSourceProperties>(`/api/notion/data-sources/${id(dataSourceId)}/properties`),
  },
  integrations: {
    list: () => request<Res<typeof IntegrationsResponse>>('/api/integrations'),
    startConnect: (kind: 'connect' | 'reconnect') =>
      request<ConnectSession>(`/api/integrations/notion/${kind}`, { method: 'POST' }),
    confirm: () => request<Res<typeof IntegrationsResponse>>('/api/integrations/notion/confirm', { method: 'POST' }),
    disconnect: () => request<{ disconnected: boolean }>('/api/integrations/notion', { method: 'DELETE' }),
    sync: () =>
      request<{ syncRunId: string; alreadyRunning: boolean }>('/api/integrations/notion/sync', {
        method: 'POST',
        json: {},
      }),
    syncRuns: () => request<Res<typeof SyncRunsResponse>>('/api/integrations/notion/sync-runs'),
  },
  settings: {
    get: () => request<TenantSettings>('/api/settings'),
    update: (body: Body<typeof UpdateTenantSettingsBody>) =>
      request<TenantSettings>('/api/settings', { method: 'PATCH', json: body }),
  },
  users: {
    list: () => request<{ items: User[] }>('/api/users'),
    add: (body: Body<typeof AddUserBody>) => request<User>('/api/users', { method: 'POST', json: body }),
    changeRole: (userId: string, body: Body<typeof ChangeRoleBody>) =>
      request<User>(`/api/users/${id(userId)}`, { method: 'PATCH', json: body }),
    remove: (userId: string) => request<void>(`/api/users/${id(userId)}`, { method: 'DELETE' }),
  },
  audit: {
    list: (filter: AuditFilter, limit: number, cursor: string | null) =>
      request<CursorPage<AuditEntry>>(`/api/audit${search({ ...filter, limit, cursor })}`),
  },
  contacts: {
    list: (filter: ContactFilter, limit: number, cursor: string | null): Promise<CursorPage<Contact>> =>
      request<ContactList>(`/api/contacts${search({ ...filter, limit, cursor })}`),
    get: (contactId: string) => request<ContactDetail>(`/api/contacts/${id(contactId)}`),
    create: (body: CreateContact) => request<ContactDetail>('/api/contacts', { method: 'POST', json: body }),
    update: (contactId: string, body: Body<typeof UpdateContactBody>) =>
      request<ContactDetail>(`/api/contacts/${id(contactId)}`, { method: 'PATCH', json: body }),
    remove: (contactId: string) => request<void>(`/api/contacts/${id(contactId)}`, { method: 'DELETE' }),
    grant: (contactId: string, body: GrantDocuments) =>
      request<ContactDetail>(`/api/contacts/${id(contactId)}/grants`, { method: 'POST', json: body }),
    revokeGrant: (contactId: string, grantId: string) =>
      request<ContactDetail>(`/api/contacts/${id(contactId)}/grants/${id(grantId)}`, { method: 'DELETE' }),
    sendMagicLink: (contactId: string) =>
      request<MagicLink>(`/api/contacts/${id(contactId)}/magic-link`, { method: 'POST' }),
    activity: (contactId: string, limit: number) =>
      request<Activity>(`/api/contacts/${id(contactId)}/activity${search({ limit })}`),
  },
  outbox: {
    list: (limit: number, cursor: string | null): Promise<CursorPage<OutboxMessage>> =>
      request<OutboxList>(`/api/outbox${search({ limit, cursor })}`),
  },
  trustProfile: {
    get: () => request<TrustProfile>('/api/trust-profile'),
    update: (body: Body<typeof UpdateTrustProfileBody>) =>
      request<TrustProfile>('/api/trust-profile', { method: 'PATCH', json: body }),
    uploadLogo: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return request<TrustProfile>('/api/trust-profile/logo', { method: 'PUT', form });
    },
    removeLogo: () => request<TrustProfile>('/api/trust-profile/logo', { method: 'DELETE' }),
    publish: () => request<TrustProfile>('/api/trust-profile/publish', { method: 'POST' }),
    setDomain: (body: Body<typeof PutCustomDomainBody>) =>
      request<TrustProfile>('/api/trust-profile/domain', { method: 'PUT', json: body }),
  },
  overviewSections: {
    get: () => request<OverviewSections>('/api/overview-sections'),
    arrange: (body: Body<typeof PutOverviewLayoutBody>) =>
      request<OverviewSections>('/api/overview-sections/layout', { method: 'PUT', json: body }),
    add: (body: Body<typeof OverviewItemBody>) =>
      request<OverviewItem>('/api/overview-sections/items', { method: 'POST', json: body }),
    update: (itemId: string, body: Body<typeof OverviewItemBody>) =>
      request<OverviewItem>(`/api/overview-sections/items/${id(itemId)}`, { method: 'PUT', json: body }),
    remove: (itemId: string) => request<void>(`/api/overview-sections/items/${id(itemId)}`, { method: 'DELETE' }),
    reorder: (kind: Exclude<OverviewKind, 'updates'>, ids: string[]) =>
      request<OverviewSections>(`/api/overview-sections/${kind}/order`, { method: 'PUT', json: { ids } }),
  },
  nda: {
    get: () => request<Nda>('/api/nda'),
    publish: (body: Body<typeof PutNdaBody>) => request<Nda>('/api/nda', { method: 'PUT', json: body }),
  },
  accessRequests: {
    list: (filter: AccessRequestFilter, limit: number, cursor: string | null): Promise<CursorPage<AccessRequest>> =>
      request<AccessRequestList>(`/api/access-requests${search({ ...filter, limit, cursor })}`),
    approve: (requestId: string, body: Body<typeof ApproveAccessRequestBody>) =>
      request<ApproveAccessRequestResult>(`/api/access-requests/${id(requestId)}/approve`, {
        method: 'POST',
        json: body,
      }),
    reject: (requestId: string) =>
      request<AccessRequest>(`/api/access-requests/${id(requestId)}/reject`, { method: 'POST' }),
    pendingCount: () => request<PendingRequestCount>('/api/access-requests/pending-count'),
  },
  notificationSettings: {
    get: () => request<NotificationSettings>('/api/notification-settings'),
    update: (body: Body<typeof UpdateNotificationSettingsBody>) =>
      request<NotificationSettings>('/api/notification-settings', { method: 'PUT', json: body }),
  },
  autoApproveRules: {
    list: () => request<AutoApproveRules>('/api/auto-approve-rules'),
    add: (body: Body<typeof AddAutoApproveRuleBody>) =>
      request<AutoApproveRule>('/api/auto-approve-rules', { method: 'POST', json: body }),
    remove: (ruleId: string) => request<void>(`/api/auto-approve-rules/${id(ruleId)}`, { method: 'DELETE' }),
  },
};
