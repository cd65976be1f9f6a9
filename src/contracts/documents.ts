import { z } from 'zod';
import { cursorPageSchema, cursorQueryFields } from './paging.ts';
import { AccessLevelSchema, SourceStatusSchema } from './common.ts';

/** Warning code of a Notion block left out of the published text (the library counts these per document). */
export const BLOCK_LEFT_OUT = 'block_left_out';

export const WarningSchema = z.object({
  blockId: z.string().optional(),
  blockType: z.string().optional(),
  code: z.string(),
  message: z.string(),
});
export type Warning = z.infer<typeof WarningSchema>;

export const DocumentSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  kind: z.enum(['markdown', 'file']),
  markdown: z.string().nullable(),
  file: z
    .object({
      name: z.string(),
      contentType: z.string(),
      size: z.number(),
      sha256: z.string(),
      url: z.string(),
    })
    .nullable(),
  accessLevel: AccessLevelSchema,
  /** A PDF shown only in the public site's viewer, never handed out as a download. */
  viewOnly: z.boolean(),
  source: z.enum(['manual', 'notion']),
  sourceId: z.string().nullable(),
  sourceUrl: z.string().nullable(),
  sourceCreatedTime: z.string().nullable(),
  sourceLastEditedTime: z.string().nullable(),
  sourceParent: z.unknown().nullable(),
  sourceIcon: z.unknown().nullable(),
  sourceCover: z.string().nullable(),
  sourceStatus: SourceStatusSchema,
  updateAvailable: z.boolean(),
  syncedAt: z.string().nullable(),
  contentHash: z.string().nullable(),
  warnings: z.array(WarningSchema),
  /** Notion blocks with no equivalent outside Notion, left out of the published text (listed in warnings). */
  blocksLeftOut: z.number(),
  /** Newer content from Notion waiting for review, if any. */
  pendingRevisionId: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DocumentDto = z.infer<typeof DocumentSchema>;

export const DocumentSummarySchema = DocumentSchema.omit({ markdown: true });
export type DocumentSummary = z.infer<typeof DocumentSummarySchema>;

export const ListDocumentsQuery = z.strictObject({
  source: z.enum(['manual', 'notion']).optional(),
  accessLevel: AccessLevelSchema.optional(),
  sourceStatus: SourceStatusSchema.optional(),
  updateAvailable: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  pendingRevision: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  q: z.string().max(200).optional(),
  ...cursorQueryFields,
});
export const DocumentListResponse = cursorPageSchema(DocumentSummarySchema);
export type DocumentList = z.infer<typeof DocumentListResponse>;

export const CreateMarkdownDocumentBody = z.strictObject({
  title: z.string().trim().min(1).max(500),
  markdown: z.string().max(2_000_000),
  accessLevel: AccessLevelSchema.optional(),
});
export const UpdateDocumentBody = z
  .strictObject({
    title: z.string().trim().min(1).max(500).optional(),
    markdown: z.string().max(2_000_000).optional(),
    accessLevel: AccessLevelSchema.optional(),
    viewOnly: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: 'Send at least one of title, markdown, accessLevel, viewOnly.',
  });

const RevisionFileSchema = z.object({
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  url: z.string(),
});

/** One version of a document's content: waiting for review, published (now or before), or dismissed. */
export const RevisionSchema = z.object({
  id: z.uuid(),
  status: z.enum(['pending', 'published', 'dismissed']),
  origin: z.enum(['notion', 'manual']),
  title: z.string(),
  kind: z.enum(['markdown', 'file']),
  file: RevisionFileSchema.nullable(),
  contentHash: z.string().nullable(),
  warnings: z.array(WarningSchema),
  /** The Notion edit the content was read from. */
  sourceLastEditedTime: z.string().nullable(),
  /** Who read or wrote this content (a person's email, or "Notion sync"). */
  createdBy: z.string(),
  createdAt: z.string(),
  /** Who published or dismissed it. */
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** True for the version the trust center serves now. */
  current: z.boolean(),
  /** An access level read from Notion that applies when this revision is published (null: none). */
  accessLevel: AccessLevelSchema.nullable(),
});
export type Revision = z.infer<typeof RevisionSchema>;

export const RevisionListResponse = z.object({ items: z.array(RevisionSchema) });

export const RevisionDetailSchema = RevisionSchema.extend({
  /** Sanitized HTML of a Markdown revision. */
  html: z.string().nullable(),
});
export type RevisionDetail = z.infer<typeof RevisionDetailSchema>;

const DiffSummarySchema = z.object({ changed: z.number(), added: z.number(), removed: z.number() });

/** A revision compared with the published version: title, file and (for Markdown) each rendered block. */
export const RevisionDiffSchema = z.object({
  revision: RevisionSchema,
  published: z.object({
    title: z.string(),
    accessLevel: AccessLevelSchema,
    kind: z.enum(['markdown', 'file']),
    file: RevisionFileSchema.nullable(),
  }),
  titleChanged: z.boolean(),
  fileChanged: z.boolean(),
  blocks: z.array(z.object({ op: z.enum(['same', 'added', 'removed']), html: z.string() })).nullable(),
  changes: DiffSummarySchema.nullable(),
});
export type RevisionDiff = z.infer<typeof RevisionDiffSchema>;

export const RevisionParams = z.object({ id: z.uuid(), revisionId: z.uuid() });

/** Documents a bulk action applies to (ids of the caller's tenant; at most 100 at a time). */
export const BulkDocumentIds = z
  .array(z.uuid())
  .min(1)
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, 'each document at most once');
export const BulkAccessLevelBody = z.strictObject({ documentIds: BulkDocumentIds, accessLevel: AccessLevelSchema });
export const BulkDocumentsBody = z.strictObject({ documentIds: BulkDocumentIds });
export const BulkResultResponse = z.object({
  /** Documents the action changed. */
  changed: z.number(),
  /** Documents it left as they were (already at that level, or nothing waiting for review). */
  unchanged: z.number(),
});
export type BulkResult = z.infer<typeof BulkResultResponse>;
