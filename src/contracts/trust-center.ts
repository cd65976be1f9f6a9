import { z } from 'zod';
import { AccessLevelSchema } from './common.ts';
import { cursorPageSchema, cursorQueryFields } from './paging.ts';

/*
 * Admin API of the public trust center (JSON, camelCase). Endpoints:
 *   GET    /api/contacts?q=&limit=&cursor=         content_manager+  → ContactListResponse
 *   POST   /api/contacts                           content_manager+  CreateContactBody → ContactDetail (201)
 *   GET    /api/contacts/:id                       content_manager+  → ContactDetail
 *   PATCH  /api/contacts/:id                       content_manager+  UpdateContactBody → ContactDetail
 *   DELETE /api/contacts/:id                       content_manager+  → 204
 *   POST   /api/contacts/:id/grants                content_manager+  GrantDocumentsBody → ContactDetail
 *   DELETE /api/contacts/:id/grants/:grantId       content_manager+  → ContactDetail (grant kept, marked revoked)
 *   POST   /api/contacts/:id/magic-link            content_manager+  → MagicLinkResponse
 *   GET    /api/contacts/:id/activity              content_manager+  → ActivityResponse (views/downloads/NDA)
 *   GET    /api/documents/:id/activity             content_manager+  → ActivityResponse
 *   GET    /api/documents/:id/preview              viewer+           → DocumentPreviewResponse (sanitized HTML)
 *   GET    /api/outbox?limit=&offset=              admin             → OutboxListResponse
 *   GET    /api/nda                                content_manager+  → NdaResponse
 *   PUT    /api/nda                                admin             PutNdaBody → NdaResponse (new version)
 *   GET    /api/access-requests?status=&limit=&offset=  content_manager+ → AccessRequestListResponse
 *   POST   /api/access-requests/:id/approve        content_manager+  ApproveAccessRequestBody → ApproveAccessRequestResponse
 *   POST   /api/access-requests/:id/reject         content_manager+  → AccessRequest
 * Public pages (HTML, no sign-in): /t/:slug, /t/:slug/documents/:id, /t/:slug/documents/:id/file,
 * /t/:slug/access/:token (magic link), /t/:slug/nda, /t/:slug/documents/:id/request, /t/:slug/sign-in (new link).
 */

/** Levels a contact can be granted; public needs no grant and internal is never shared. */
export const GRANTABLE_LEVELS = ['contacts', 'contacts_nda'] as const;
export const GrantableLevelSchema = z.enum(GRANTABLE_LEVELS);
export type GrantableLevel = z.infer<typeof GrantableLevelSchema>;

export const ContactSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  company: z.string(),
  createdAt: z.string(),
  /** Grants that are neither revoked nor expired. */
  activeGrants: z.number(),
  /** Version number of the NDA this contact accepted most recently, if any. */
  ndaAcceptedVersion: z.number().nullable(),
  lastMagicLinkAt: z.string().nullable(),
});
export type Contact = z.infer<typeof ContactSchema>;

export const GrantStatusSchema = z.enum(['active', 'expired', 'revoked']);
export const ContactGrantSchema = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  documentTitle: z.string(),
  accessLevel: AccessLevelSchema,
  status: GrantStatusSchema,
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ContactGrant = z.infer<typeof ContactGrantSchema>;

export const NdaAcceptanceSchema = z.object({
  version: z.number(),
  acceptedAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

export const ContactDetailSchema = ContactSchema.extend({
  grants: z.array(ContactGrantSchema),
  ndaAcceptances: z.array(NdaAcceptanceSchema),
});
export type ContactDetail = z.infer<typeof ContactDetailSchema>;

export const ContactListQuery = z.strictObject({
  q: z.string().max(200).optional(),
  ...cursorQueryFields,
});
export const ContactListResponse = cursorPageSchema(ContactSchema);
export type ContactList = z.infer<typeof ContactListResponse>;

export const CreateContactBody = z.strictObject({
  email: z.email().max(320),
  name: z.string().trim().max(200).optional(),
  company: z.string().trim().max(200).optional(),
});
export type CreateContact = z.infer<typeof CreateContactBody>;
export const UpdateContactBody = z.strictObject({
  name: z.string().trim().max(200).optional(),
  company: z.string().trim().max(200).optional(),
});

/** Grant some documents by id, or every current document of a level; exactly one of the two. */
export const GrantDocumentsBody = z
  .strictObject({
    documentIds: z.array(z.uuid()).min(1).max(500).optional(),
    accessLevel: GrantableLevelSchema.optional(),
    /** ISO date-time; null or absent = no expiry. Granting an existing document again renews it. */
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .refine((b) => (b.documentIds === undefined) !== (b.accessLevel === undefined), {
    message: 'Send either documentIds or accessLevel.',
  });
export type GrantDocuments = z.infer<typeof GrantDocumentsBody>;
export const GrantParams = z.object({ id: z.uuid(), grantId: z.uuid() });

export const OutboxMessageSchema = z.object({
  id: z.uuid(),
  toEmail: z.string(),
  subject: z.string(),
  body: z.string(),
  /** The magic link, for the admin to copy when no SMTP server is configured. */
  link: z.string().nullable(),
  /** Set when SMTP accepted the message; null means it waits in the outbox. */
  sentAt: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
});
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;
export const OutboxListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const OutboxListResponse = z.object({
  items: z.array(OutboxMessageSchema),
  total: z.number(),
});
export type OutboxList = z.infer<typeof OutboxListResponse>;

export const MagicLinkResponse = z.object({
  message: OutboxMessageSchema,
  expiresAt: z.string(),
});
export type MagicLink = z.infer<typeof MagicLinkResponse>;

export const NdaVersionSchema = z.object({
  id: z.uuid(),
  version: z.number(),
  body: z.string(),
  createdAt: z.string(),
});
export type NdaVersion = z.infer<typeof NdaVersionSchema>;
export const NdaResponse = z.object({
  current: NdaVersionSchema.nullable(),
  versions: z.array(NdaVersionSchema.omit({ body: true }).extend({ acceptances: z.number() })),
});
export type Nda = z.infer<typeof NdaResponse>;
/** A new text always creates a new version, so earlier acceptances no longer cover NDA documents. */
export const PutNdaBody = z.strictObject({
  body: z.string().trim().min(1).max(200_000),
});

export const ACCESS_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const AccessRequestStatusSchema = z.enum(ACCESS_REQUEST_STATUSES);
export type AccessRequestStatus = z.infer<typeof AccessRequestStatusSchema>;
export const AccessRequestSchema = z.object({
  id: z.uuid(),
  documentId: z.uuid(),
  documentTitle: z.string(),
  documentAccessLevel: AccessLevelSchema,
  name: z.string(),
  email: z.string(),
  company: z.string(),
  reason: z.string(),
  status: AccessRequestStatusSchema,
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type AccessRequest = z.infer<typeof AccessRequestSchema>;
export const AccessRequestListQuery = z.strictObject({
  status: AccessRequestStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export const AccessRequestListResponse = z.object({
  items: z.array(AccessRequestSchema),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});
export type AccessRequestList = z.infer<typeof AccessRequestListResponse>;
export const ApproveAccessRequestBody = z.strictObject({
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export const ApproveAccessRequestResponse = z.object({
  request: AccessRequestSchema,
  contact: ContactDetailSchema,
  message: OutboxMessageSchema,
});
export type ApproveAccessRequestResult = z.infer<typeof ApproveAccessRequestResponse>;

/** View/download/NDA events by contacts (and visitors' requests), newest first. */
export const ActivityEntrySchema = z.object({
  id: z.string(),
  action: z.string(),
  actorType: z.enum(['contact', 'visitor']),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  documentId: z.string().nullable(),
  ip: z.string().nullable(),
  createdAt: z.string(),
  /** The entry as a sentence, e.g. "Alice (Partner Inc.) downloaded SOC 2 report." */
  sentence: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type ActivityEntry = z.infer<typeof ActivityEntrySchema>;
/** Anonymous visitors' activity on one document for one day (they are counted, not logged one by one). */
export const DailyActivitySchema = z.object({
  day: z.string(),
  views: z.number().int(),
  downloads: z.number().int(),
  uniqueVisitors: z.number().int(),
});
export type DailyActivity = z.infer<typeof DailyActivitySchema>;
export const ActivityResponse = z.object({
  items: z.array(ActivityEntrySchema),
  /** For a document: anonymous views, downloads and unique visitors per day, newest first (30 days). */
  daily: z.array(DailyActivitySchema).optional(),
});
export type Activity = z.infer<typeof ActivityResponse>;
export const ActivityQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const DocumentPreviewResponse = z.object({ html: z.string() });
export type DocumentPreview = z.infer<typeof DocumentPreviewResponse>;

/** Audit actions written by the public site (actor_type contact|visitor). */
export const PUBLIC_AUDIT_ACTIONS = {
  view: 'public.document.view',
  download: 'public.document.download',
  ndaAccept: 'public.nda.accept',
  magicLinkOpen: 'public.magic_link.open',
  linkRequest: 'public.magic_link.requested',
  accessRequest: 'public.access_request.create',
} as const;
