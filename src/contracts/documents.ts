import { z } from 'zod';
import { AccessLevelSchema, SourceStatusSchema } from './common.ts';

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
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const DocumentListResponse = z.object({
  items: z.array(DocumentSummarySchema),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});
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
  })
  .refine((b) => Object.keys(b).length > 0, {
    message: 'Send at least one of title, markdown, accessLevel.',
  });
