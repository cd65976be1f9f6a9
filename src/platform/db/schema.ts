import type { AccessLevel, SourceStatus } from '../../contracts/common.ts';
import type { OverviewKind } from '../../contracts/overview-sections.ts';
import type { Role } from '../../contracts/roles.ts';

// Column domains are defined once, with the API contracts.
export type { AccessLevel, Role, SourceStatus };
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely table types, kept in step with migrations/*.sql. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;

export type IntegrationStatus = 'connected' | 'needs_reauth' | 'error';

export interface TenantsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  auto_reimport: Generated<boolean>;
  created_at: Generated<Date>;
}
export interface UsersTable {
  id: Generated<string>;
  tenant_id: string;
  email: string;
  name: Generated<string>;
  role: Role;
  password_hash: string;
  created_at: Generated<Date>;
}
export interface SessionsTable {
  token_hash: string;
  tenant_id: string;
  user_id: string;
  csrf_token: string;
  expires_at: Timestamp;
  created_at: Generated<Date>;
}
export interface ApiTokensTable {
  id: Generated<string>;
  tenant_id: string;
  user_id: string;
  name: Generated<string>;
  token_hash: string;
  token_prefix: string;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}
export interface LoginThrottleTable {
  key: string;
  failures: Generated<number>;
  window_started_at: Generated<Date>;
  next_attempt_at: Date | null;
}
export interface WebhookReceiptsTable {
  body_sha256: string;
  received_at: Generated<Date>;
}
export interface DocumentDailyActivityTable {
  tenant_id: string;
  document_id: string;
  day: string;
  views: Generated<number>;
  downloads: Generated<number>;
  unique_visitors: Generated<number>;
}
export interface DocumentDailyVisitorsTable {
  tenant_id: string;
  document_id: string;
  day: string;
  visitor_hash: string;
}
export interface VisitorSaltsTable {
  day: string;
  salt: string;
}
export interface DocumentsTable {
  id: Generated<string>;
  tenant_id: string;
  title: string;
  kind: 'markdown' | 'file';
  body_markdown: string | null;
  /** Sanitized public-site HTML of body_markdown, rendered on write; null means render from the Markdown. */
  body_html: Generated<string | null>;
  file_key: string | null;
  file_name: string | null;
  file_content_type: string | null;
  file_size: ColumnType<string | null, number | null | undefined, number | null>;
  file_sha256: string | null;
  access_level: Generated<AccessLevel>;
  source: Generated<'manual' | 'notion'>;
  source_id: string | null;
  source_url: string | null;
  source_created_time: NullableTimestamp;
  source_last_edited_time: NullableTimestamp;
  source_parent: Json<unknown> | null;
  source_icon: Json<unknown> | null;
  source_cover: string | null;
  source_status: Generated<SourceStatus>;
  content_last_edited_time: NullableTimestamp;
  update_available: Generated<boolean>;
  synced_at: NullableTimestamp;
  content_hash: string | null;
  warnings: Json<unknown[]>;
  pending_revision_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Asset file names (`<sha256>.<ext>`) the body references; written by documents.repo from the parsed body. */
  asset_refs: Generated<string[]>;
  /** Shown only in the public site's viewer: the PDF is served inline and never as a download. */
  view_only: Generated<boolean>;
  /** The level the Notion property mapping gave when the page was last read (null: none). */
  source_access_level: ColumnType<AccessLevel | null, AccessLevel | null | undefined, AccessLevel | null>;
}
export type RevisionStatus = 'pending' | 'published' | 'dismissed';
export interface DocumentRevisionsTable {
  id: Generated<string>;
  tenant_id: string;
  document_id: string;
  status: RevisionStatus;
  origin: 'notion' | 'manual';
  title: string;
  kind: 'markdown' | 'file';
  body_markdown: string | null;
  file_key: string | null;
  file_name: string | null;
  file_content_type: string | null;
  file_size: ColumnType<string | null, number | null | undefined, number | null>;
  file_sha256: string | null;
  content_hash: string | null;
  warnings: Json<unknown[]>;
  source_last_edited_time: NullableTimestamp;
  created_by_label: Generated<string>;
  created_at: Generated<Date>;
  decided_by: string | null;
  decided_by_label: string | null;
  decided_at: NullableTimestamp;
  /** An access level read from Notion that applies when the revision is published (null: no change). */
  access_level: ColumnType<AccessLevel | null, AccessLevel | null | undefined, AccessLevel | null>;
}
export interface AuditLogTable {
  id: Generated<string>;
  tenant_id: string;
  actor_type: 'user' | 'api_token' | 'contact' | 'visitor' | 'system';
  actor_id: string | null;
  actor_label: Generated<string>;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Json<Record<string, unknown>>;
  ip: string | null;
  created_at: Generated<Date>;
}
export interface IntegrationsTable {
  id: Generated<string>;
  tenant_id: string;
  provider: 'notion';
  nango_connection_id: string;
  provider_config_key: string;
  status: IntegrationStatus;
  status_reason: string | null;
  workspace_name: string | null;
  workspace_icon: string | null;
  connected_by: string | null;
  connected_at: Generated<Date>;
  updated_at: Generated<Date>;
  live_updates_at: Date | null;
}
export interface SyncStatesTable {
  integration_id: string;
  tenant_id: string;
  stage: Generated<'idle' | 'delta' | 'reconcile'>;
  status: Generated<'never_synced' | 'ok' | 'running' | 'failing' | 'paused'>;
  high_water_mark: NullableTimestamp;
  pending_high_water_mark: NullableTimestamp;
  cursor: string | null;
  failure_count: Generated<number>;
  last_success_at: NullableTimestamp;
  last_reconcile_at: NullableTimestamp;
  next_run_at: NullableTimestamp;
  updated_at: Generated<Date>;
}
export interface SyncRunsTable {
  id: Generated<string>;
  tenant_id: string;
  integration_id: string | null;
  trigger: 'manual' | 'scheduled';
  mode: 'delta' | 'reconcile';
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  heartbeat_at: NullableTimestamp;
  pages_checked: Generated<number>;
  pages_changed: Generated<number>;
  pages_missing: Generated<number>;
  notion_calls: Generated<number>;
  error: string | null;
  created_at: Generated<Date>;
  /** Claims so far; the current one is the fencing token of the worker holding the run. */
  attempts: Generated<number>;
  job_id: string | null;
}
export interface ImportsTable {
  id: Generated<string>;
  tenant_id: string;
  integration_id: string | null;
  requested_by: string | null;
  access_level: AccessLevel;
  status: 'running' | 'completed' | 'cancelled';
  origin: Generated<'user' | 'sync'>;
  created_at: Generated<Date>;
  finished_at: NullableTimestamp;
}
export interface ImportItemsTable {
  id: Generated<string>;
  tenant_id: string;
  import_id: string;
  position: number;
  page_id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  document_id: string | null;
  title: string | null;
  error: string | null;
  warnings: Json<unknown[]>;
  updated_at: Generated<Date>;
  /** Claims so far; the current one is the fencing token of the worker holding the item. */
  attempts: Generated<number>;
  heartbeat_at: NullableTimestamp;
  job_id: string | null;
  /** A level chosen for this page in the import picker. */
  access_level: ColumnType<AccessLevel | null, AccessLevel | null | undefined, AccessLevel | null>;
  /** What importing the page did (contracts ImportItemResult). */
  result: ColumnType<unknown, string | null | undefined, string | null>;
}
export interface NotionRateLimitsTable {
  connection_key: string;
  tat: Date;
  paused_until: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface ContactsTable {
  id: Generated<string>;
  tenant_id: string;
  email: string;
  name: Generated<string>;
  company: Generated<string>;
  created_at: Generated<Date>;
}
export interface ContactGrantsTable {
  id: Generated<string>;
  tenant_id: string;
  contact_id: string;
  document_id: string;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  granted_by: string | null;
  created_at: Generated<Date>;
}
export interface MagicLinksTable {
  token_hash: string;
  tenant_id: string;
  contact_id: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}
export interface ContactSessionsTable {
  token_hash: string;
  tenant_id: string;
  contact_id: string;
  csrf_token: string;
  expires_at: Timestamp;
  created_at: Generated<Date>;
}
export interface NdaVersionsTable {
  id: Generated<string>;
  tenant_id: string;
  version: number;
  body: string;
  created_by: string | null;
  created_at: Generated<Date>;
}
export interface NdaAcceptancesTable {
  id: Generated<string>;
  tenant_id: string;
  /** Null while the acceptance belongs only to an access request not yet approved (migration 070). */
  contact_id: string | null;
  nda_version_id: string;
  accepted_at: Generated<Date>;
  ip: string | null;
  user_agent: string | null;
  access_request_id: string | null;
  signature_name: string | null;
  nda_sha256: string | null;
  certificate_key: string | null;
  certificate_sha256: string | null;
}
export interface AccessRequestsTable {
  id: Generated<string>;
  tenant_id: string;
  name: string;
  email: string;
  company: Generated<string>;
  reason: Generated<string>;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Date>;
}
export interface OutboxTable {
  id: Generated<string>;
  tenant_id: string;
  to_email: string;
  subject: string;
  body: string;
  link: string | null;
  sent_at: NullableTimestamp;
  error: string | null;
  created_at: Generated<Date>;
}

/** Per-tenant content version of the public site, bumped by triggers (migration 035). */
export interface SiteVersionsTable {
  tenant_id: string;
  version: ColumnType<string, never, never>;
}

/** Branding and contact details of the public trust center (draft columns + published snapshot). */
export interface TrustProfilesTable {
  tenant_id: string;
  company_name: Generated<string>;
  intro: Generated<string>;
  contact_email: Generated<string>;
  brand_color: string | null;
  logo_key: string | null;
  logo_content_type: string | null;
  custom_domain: string | null;
  published: ColumnType<unknown, string | null | undefined, string | null>;
  published_at: NullableTimestamp;
  published_by: string | null;
  updated_at: Timestamp;
  updated_by: string | null;
}
export interface OverviewSectionsTable {
  tenant_id: string;
  kind: OverviewKind;
  position: number;
  visible: Generated<boolean>;
  updated_at: Timestamp;
}
export interface OverviewItemsTable {
  id: Generated<string>;
  tenant_id: string;
  kind: OverviewKind;
  position: number;
  fields: Json<Record<string, unknown>>;
  document_id: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  updated_by: string | null;
}

/** The documents of one access request, each approved or declined on its own (migration 070). */
export interface AccessRequestDocumentsTable {
  request_id: string;
  tenant_id: string;
  document_id: string;
  status: Generated<'pending' | 'approved' | 'rejected'>;
}
export interface AccessAutoApproveRulesTable {
  id: Generated<string>;
  tenant_id: string;
  domain: string;
  scope: 'all' | 'contacts';
  created_by: string | null;
  created_at: Generated<Date>;
}
export interface VisitorPassesTable {
  id: Generated<string>;
  tenant_id: string;
  token_hash: string;
  contact_id: string | null;
  access_request_id: string | null;
  created_at: Generated<Date>;
}

/** How a team member hears about new access requests (migration 076). */
export type AccessRequestNotice = 'off' | 'instant' | 'daily';
export interface NotificationSettingsTable {
  user_id: string;
  tenant_id: string;
  access_requests: AccessRequestNotice;
  updated_at: Generated<Date>;
}
/** New access requests a worker has not announced yet (migration 076). */
export interface AccessRequestNoticesTable {
  request_id: string;
  tenant_id: string;
  created_at: Generated<Date>;
}

/** Which access level each option of a Notion select/status property means (migration 080). */
export interface NotionAccessMappingsTable {
  tenant_id: string;
  data_source_id: string | null;
  property_name: string;
  options: Json<Record<string, AccessLevel>>;
  publish_more_public: Generated<boolean>;
  updated_at: Generated<Date>;
  updated_by: string | null;
}

export interface Database {
  tenants: TenantsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  documents: DocumentsTable;
  document_revisions: DocumentRevisionsTable;
  audit_log: AuditLogTable;
  integrations: IntegrationsTable;
  sync_states: SyncStatesTable;
  sync_runs: SyncRunsTable;
  imports: ImportsTable;
  import_items: ImportItemsTable;
  notion_rate_limits: NotionRateLimitsTable;
  contacts: ContactsTable;
  contact_grants: ContactGrantsTable;
  magic_links: MagicLinksTable;
  contact_sessions: ContactSessionsTable;
  nda_versions: NdaVersionsTable;
  nda_acceptances: NdaAcceptancesTable;
  access_requests: AccessRequestsTable;
  outbox: OutboxTable;
  site_versions: SiteVersionsTable;
  webhook_receipts: WebhookReceiptsTable;
  document_daily_activity: DocumentDailyActivityTable;
  document_daily_visitors: DocumentDailyVisitorsTable;
  visitor_salts: VisitorSaltsTable;
  trust_profiles: TrustProfilesTable;
  overview_sections: OverviewSectionsTable;
  overview_items: OverviewItemsTable;
  access_request_documents: AccessRequestDocumentsTable;
  access_auto_approve_rules: AccessAutoApproveRulesTable;
  visitor_passes: VisitorPassesTable;
  notification_settings: NotificationSettingsTable;
  access_request_notices: AccessRequestNoticesTable;
  notion_access_mappings: NotionAccessMappingsTable;
}

export type DocumentRow = Selectable<DocumentsTable>;
export type NewDocument = Insertable<DocumentsTable>;
export type DocumentUpdate = Updateable<DocumentsTable>;
export type RevisionRow = Selectable<DocumentRevisionsTable>;
export type NewRevision = Insertable<DocumentRevisionsTable>;
export type UserRow = Selectable<UsersTable>;
export type TenantRow = Selectable<TenantsTable>;
export type IntegrationRow = Selectable<IntegrationsTable>;
