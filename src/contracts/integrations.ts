import { z } from 'zod';
import { AccessLevelSchema } from './common.ts';
import { WarningSchema } from './documents.ts';

export const IntegrationStatusSchema = z.enum(['disconnected', 'connected', 'needs_reauth', 'error']);
export const IntegrationSchema = z.object({
  provider: z.literal('notion'),
  status: IntegrationStatusSchema,
  statusReason: z.string().nullable(),
  workspaceName: z.string().nullable(),
  workspaceIcon: z.string().nullable(),
  connectedBy: z.object({ id: z.string(), email: z.string() }).nullable(),
  connectedAt: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  nextSyncAt: z.string().nullable(),
  syncStatus: z.string().nullable(),
  /** When Nango last forwarded a Notion event for this connection; null: live updates are off. */
  liveUpdatesAt: z.string().nullable(),
});
export type Integration = z.infer<typeof IntegrationSchema>;
export const IntegrationsResponse = z.object({
  items: z.array(IntegrationSchema),
});

export const ConnectSessionResponse = z.object({
  connectLink: z.string(),
  sessionToken: z.string(),
  expiresAt: z.string(),
  /** Where Nango's Connect UI is served (its own origin): the frontend SDK's `baseURL`. */
  connectUiUrl: z.string(),
  /** Nango's API host: the frontend SDK's `apiURL`. */
  nangoHost: z.string(),
});
export type ConnectSession = z.infer<typeof ConnectSessionResponse>;

export const SyncRunSchema = z.object({
  id: z.uuid(),
  trigger: z.enum(['manual', 'scheduled']),
  mode: z.enum(['delta', 'reconcile']),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  pagesChecked: z.number(),
  pagesChanged: z.number(),
  pagesMissing: z.number(),
  notionCalls: z.number(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type SyncRun = z.infer<typeof SyncRunSchema>;
export const SyncRunsResponse = z.object({ items: z.array(SyncRunSchema) });
export const StartSyncBody = z.strictObject({
  reconcile: z.boolean().optional(),
});

export const NotionParentSchema = z.object({
  type: z.string(),
  id: z.string().nullable(),
  title: z.string().nullable(),
});
export const NotionSearchResultSchema = z.object({
  id: z.string(),
  object: z.enum(['page', 'database']),
  title: z.string(),
  icon: z.unknown().nullable(),
  url: z.string().nullable(),
  parent: NotionParentSchema,
  lastEditedTime: z.string().nullable(),
  importedDocumentId: z.string().nullable(),
  /** The option of the mapped Notion property this page has, and the access level it means (null: none). */
  accessOption: z.string().nullable(),
  mappedAccessLevel: AccessLevelSchema.nullable(),
});
export type NotionSearchResult = z.infer<typeof NotionSearchResultSchema>;
export const NotionSearchQuery = z.strictObject({
  q: z.string().max(200).optional(),
  type: z.enum(['page', 'database']).optional(),
  cursor: z.string().max(500).optional(),
});
export const NotionSearchResponse = z.object({
  items: z.array(NotionSearchResultSchema),
  nextCursor: z.string().nullable(),
});
export type NotionSearchPage = z.infer<typeof NotionSearchResponse>;

export const NotionPageIdSchema = z
  .string()
  .trim()
  .regex(
    /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/,
    'must be a Notion page id',
  );
export const StartImportBody = z.strictObject({
  pageIds: z.array(NotionPageIdSchema).min(1).max(200),
  /** Level of new documents whose page has no mapped level. */
  accessLevel: AccessLevelSchema.optional(),
  /** Levels chosen for single pages; they win over the mapping and `accessLevel`. */
  pageLevels: z
    .array(z.strictObject({ pageId: NotionPageIdSchema, accessLevel: AccessLevelSchema }))
    .max(200)
    .optional(),
});
export const StartImportResponse = z.object({ importId: z.uuid() });
/** What importing one page did, for the picker to say in words. */
export const ImportItemResultSchema = z.object({
  outcome: z.enum(['created', 'unchanged', 'pending', 'published']),
  kind: z.enum(['markdown', 'file']),
  /** The attached file's type (file documents). */
  fileContentType: z.string().nullable(),
  /** Images and files copied from Notion (Markdown documents). */
  assets: z.number(),
  /** How the text differs from what was published (updates of Markdown documents). */
  changes: z.object({ changed: z.number(), added: z.number(), removed: z.number() }).nullable(),
});
export type ImportItemResult = z.infer<typeof ImportItemResultSchema>;
export const ImportItemSchema = z.object({
  pageId: z.string(),
  title: z.string().nullable(),
  documentId: z.string().nullable(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']),
  error: z.string().nullable(),
  warnings: z.array(WarningSchema),
  result: ImportItemResultSchema.nullable(),
});
export const ImportStatusResponse = z.object({
  id: z.uuid(),
  status: z.enum(['running', 'completed', 'cancelled']),
  total: z.number(),
  done: z.number(),
  failed: z.number(),
  accessLevel: AccessLevelSchema,
  createdAt: z.string(),
  items: z.array(ImportItemSchema),
});
export type ImportStatus = z.infer<typeof ImportStatusResponse>;

/** Which access level each option of a Notion select/status property means. */
export const AccessMappingSchema = z.strictObject({
  /** The data source the property was picked from (the editor reopens on it). */
  dataSourceId: z.string().max(64).nullable(),
  propertyName: z.string().trim().min(1).max(200),
  options: z
    .record(z.string().max(200), AccessLevelSchema)
    .refine((o) => Object.keys(o).length <= 100, 'at most 100 options'),
  /** On: a change from Notion that makes a document more public applies without review. */
  publishMorePublic: z.boolean(),
});
export type AccessMapping = z.infer<typeof AccessMappingSchema>;
export const AccessMappingResponse = z.object({ mapping: AccessMappingSchema.nullable() });
export const SaveAccessMappingBody = z.strictObject({ mapping: AccessMappingSchema.nullable() });

export const DataSourcePropertiesResponse = z.object({
  dataSourceId: z.string(),
  title: z.string(),
  /** The select and status properties, with their options in Notion's order. */
  properties: z.array(z.object({ name: z.string(), type: z.enum(['select', 'status']), options: z.array(z.string()) })),
});
export type DataSourceProperties = z.infer<typeof DataSourcePropertiesResponse>;
