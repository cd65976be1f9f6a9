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
 *   GET    /api/outbox?limit=&cursor=              admin             → OutboxListResponse
 *   GET    /api/nda                                content_manager+  → NdaResponse
 *   PUT    /api/nda                                admin             PutNdaBody → NdaResponse (new version)
 *   GET    /api/contacts/:id/nda-acceptances/:acceptanceId/certificate  admin → application/pdf (audited)
 *   GET    /api/access-requests?status=&limit=&cursor=  content_manager+ → AccessRequestListResponse
 *   POST   /api/access-requests/:id/approve        content_manager+  ApproveAccessRequestBody → ApproveAccessRequestResponse
 *   POST   /api/access-requests/:id/reject         content_manager+  → AccessRequest
 *   GET    /api/auto-approve-rules                 admin             → AutoApproveRulesResponse
 *   POST   /api/auto-approve-rules                 admin             AddAutoApproveRuleBody → AutoApproveRule (201)
 *   DELETE /api/auto-approve-rules/:ruleId         admin             → 204
 * Public pages (HTML, no sign-in): /t/:slug, /t/:slug/documents/:id, /t/:slug/documents/:id/file,
 * /t/:slug/access/:token (magic link), /t/:slug/nda, /t/:slug/request (one request for many documents, the NDA
 * signed there), /t/:slug/sign-in (new link).
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
  id: z.uuid(),
  version: z.number(),
  /** The full name typed as signature (acceptances given with a request); null for a click-through. */
  signatureName: z.string().nullable(),
  /** True when a PDF certificate of this acceptance can be downloaded (admins). */
  hasCertificate: z.boolean(),
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
  cursor: z.string().max(200).optional(),
});
export const OutboxListResponse = z.object({
  items: z.array(OutboxMessageSchema),
  nextCursor: z.string().nullable(),
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
/** How many documents one request may ask for (the public site lists far fewer restricted documents). */
export const MAX_DOCUMENTS_PER_REQUEST = 25;
/** One requested document and what became of it (declined ones are `rejected`). */
export const AccessRequestDocumentSchema = z.object({
  documentId: z.uuid(),
  title: z.string(),
  accessLevel: AccessLevelSchema,
  status: AccessRequestStatusSchema,
});
export type AccessRequestDocument = z.infer<typeof AccessRequestDocumentSchema>;
/** The NDA the requester signed while asking (typed full name as signature), if any document needed it. */
export const RequestNdaAcceptanceSchema = z.object({
  id: z.uuid(),
  version: z.number(),
  signatureName: z.string(),
  acceptedAt: z.string(),
});
export const AccessRequestSchema = z.object({
  id: z.uuid(),
  documents: z.array(AccessRequestDocumentSchema),
  name: z.string(),
  email: z.string(),
  company: z.string(),
  reason: z.string(),
  /** `approved` once decided with at least one document granted; `rejected` when none was. */
  status: AccessRequestStatusSchema,
  ndaAcceptance: RequestNdaAcceptanceSchema.nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type AccessRequest = z.infer<typeof AccessRequestSchema>;
export const AccessRequestListQuery = z.strictObject({
  status: AccessRequestStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});
export const AccessRequestListResponse = z.object({
  items: z.array(AccessRequestSchema),
  nextCursor: z.string().nullable(),
});
export type AccessRequestList = z.infer<typeof AccessRequestListResponse>;
export const ApproveAccessRequestBody = z.strictObject({
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  /** The requested documents to grant; absent = all of them. The others are declined. */
  documentIds: z.array(z.uuid()).min(1).max(MAX_DOCUMENTS_PER_REQUEST).optional(),
});
export const ApproveAccessRequestResponse = z.object({
  request: AccessRequestSchema,
  contact: ContactDetailSchema,
  message: OutboxMessageSchema,
});
export type ApproveAccessRequestResult = z.infer<typeof ApproveAccessRequestResponse>;

/** Email domains whose requests are approved at once; `contacts` leaves NDA documents to an admin. */
export const AUTO_APPROVE_SCOPES = ['all', 'contacts'] as const;
export const AutoApproveRuleSchema = z.object({
  id: z.uuid(),
  domain: z.string(),
  scope: z.enum(AUTO_APPROVE_SCOPES),
  createdAt: z.string(),
});
export type AutoApproveRule = z.infer<typeof AutoApproveRuleSchema>;
export const AutoApproveRulesResponse = z.object({ items: z.array(AutoApproveRuleSchema) });
export type AutoApproveRules = z.infer<typeof AutoApproveRulesResponse>;
export const AddAutoApproveRuleBody = z.strictObject({
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .transform((d) => d.replace(/^@/, ''))
    .pipe(
      z
        .string()
        .max(253)
        .regex(
          /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
          'Enter a domain such as example.com.',
        ),
    ),
  scope: z.enum(AUTO_APPROVE_SCOPES).default('all'),
});
export const AutoApproveRuleParams = z.object({ ruleId: z.uuid() });
export const NdaCertificateParams = z.object({ id: z.uuid(), acceptanceId: z.uuid() });

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
