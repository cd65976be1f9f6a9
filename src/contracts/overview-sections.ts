import { z } from 'zod';
import { AccessLevelSchema } from './common.ts';

/*
 * Sections of the public overview (admin API, JSON). Every change is live on the public site at once.
 *   GET    /api/overview-sections                     viewer+           → OverviewSections
 *   PUT    /api/overview-sections/layout              content_manager+  PutOverviewLayoutBody → OverviewSections
 *   POST   /api/overview-sections/items               content_manager+  OverviewItemBody → OverviewItem (201)
 *   PUT    /api/overview-sections/items/:id           content_manager+  OverviewItemBody (same kind) → OverviewItem
 *   DELETE /api/overview-sections/items/:id           content_manager+  → 204
 *   PUT    /api/overview-sections/:kind/order         content_manager+  PutOverviewOrderBody → OverviewSections
 * Public: the sections on /t/:slug (and the custom domain's root); `?q=` searches the FAQ.
 */

export const OVERVIEW_KINDS = ['certifications', 'subprocessors', 'faq', 'updates'] as const;
export const OverviewKindSchema = z.enum(OVERVIEW_KINDS);
export type OverviewKind = z.infer<typeof OverviewKindSchema>;
/** Kinds whose entries content managers put in order; security updates are listed newest first by date. */
export const OrderedOverviewKindSchema = z.enum(['certifications', 'subprocessors', 'faq']);

export const CERTIFICATION_STATUSES = ['in_progress', 'compliant'] as const;

const text = (max: number) => z.string().trim().max(max);
const required = (max: number, what: string) => text(max).min(1, `${what} is required`);
/** A calendar day, e.g. 2026-11-30. */
const Day = z.iso.date('must be a date like 2026-11-30');

export const CertificationFields = z.strictObject({
  kind: z.literal('certifications'),
  name: required(120, 'The name'),
  status: z.enum(CERTIFICATION_STATUSES),
  /** Free text such as "Nov 2025 – Oct 2026". */
  period: text(80).default(''),
  /** The report; visitors open it only as that document's access level allows. */
  documentId: z.uuid().nullable().default(null),
});
export const SubprocessorFields = z.strictObject({
  kind: z.literal('subprocessors'),
  name: required(200, 'The name'),
  purpose: text(300).default(''),
  location: text(120).default(''),
  website: z
    .union([z.literal(''), z.url({ protocol: /^https?$/, error: 'must be a web address starting with https://' })])
    .pipe(z.string().max(300))
    .default(''),
});
export const FaqFields = z.strictObject({
  kind: z.literal('faq'),
  question: required(300, 'The question'),
  /** Markdown, rendered sanitized. */
  answer: required(10_000, 'The answer'),
});
export const UpdateFields = z.strictObject({
  kind: z.literal('updates'),
  title: required(200, 'The title'),
  date: Day,
  /** Markdown, rendered sanitized. */
  body: text(20_000).default(''),
});

/** An entry as content managers write it (its kind says which fields it has). */
export const OverviewItemBody = z.discriminatedUnion('kind', [
  CertificationFields,
  SubprocessorFields,
  FaqFields,
  UpdateFields,
]);
export type OverviewItemInput = z.infer<typeof OverviewItemBody>;

const ItemMeta = z.object({ id: z.uuid(), updatedAt: z.string() });
export const OverviewItemSchema = z.discriminatedUnion('kind', [
  CertificationFields.extend({
    ...ItemMeta.shape,
    /** The linked document as the admin sees it; null when none is linked or it was deleted. */
    document: z.object({ id: z.uuid(), title: z.string(), accessLevel: AccessLevelSchema }).nullable(),
  }),
  SubprocessorFields.extend(ItemMeta.shape),
  FaqFields.extend(ItemMeta.shape),
  UpdateFields.extend(ItemMeta.shape),
]);
export type OverviewItem = z.infer<typeof OverviewItemSchema>;

export const OverviewSectionSchema = z.object({
  kind: OverviewKindSchema,
  visible: z.boolean(),
  items: z.array(OverviewItemSchema),
});
export const OverviewSectionsSchema = z.object({ sections: z.array(OverviewSectionSchema) });
export type OverviewSections = z.infer<typeof OverviewSectionsSchema>;

export const PutOverviewLayoutBody = z.strictObject({
  /** Every kind once, in the order the overview shows them. */
  sections: z
    .array(z.strictObject({ kind: OverviewKindSchema, visible: z.boolean() }))
    .length(OVERVIEW_KINDS.length)
    .refine((list) => new Set(list.map((s) => s.kind)).size === OVERVIEW_KINDS.length, {
      message: 'must name every section once',
    }),
});
export type PutOverviewLayout = z.infer<typeof PutOverviewLayoutBody>;

export const PutOverviewOrderBody = z.strictObject({
  /** Every entry of the section once, in the new order. */
  ids: z.array(z.uuid()).max(500),
});
export const OverviewKindParams = z.object({ kind: OrderedOverviewKindSchema });
