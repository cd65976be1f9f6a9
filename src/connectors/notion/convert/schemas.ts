import { z } from 'zod';

// Schemas cover only what the renderer reads. Unknown keys are ignored and optional parts fall back to
// defaults, so a newer API version adding fields never breaks conversion.

const annotationsSchema = z.object({
  bold: z.boolean().optional(),
  italic: z.boolean().optional(),
  strikethrough: z.boolean().optional(),
  code: z.boolean().optional(),
});

const idRef = z.object({ id: z.string() });

/** Mention payloads; parsed only for mention items (validating them eagerly would slow every item down). */
export const mentionSchema = z.object({
  type: z.string(),
  user: z.object({ name: z.string().nullish() }).nullish().catch(null),
  page: idRef.nullish().catch(null),
  database: idRef.nullish().catch(null),
  data_source: idRef.nullish().catch(null),
  date: z.object({ start: z.string(), end: z.string().nullish() }).nullish().catch(null),
  link_preview: z.object({ url: z.string() }).nullish().catch(null),
  link_mention: z.object({ href: z.string(), title: z.string().nullish() }).nullish().catch(null),
  custom_emoji: z.object({ name: z.string().nullish() }).nullish().catch(null),
});

export const richTextItemSchema = z.object({
  type: z.string(),
  plain_text: z.string(),
  href: z.string().nullish(),
  annotations: annotationsSchema.nullish(),
  text: z
    .object({
      content: z.string(),
      link: z.object({ url: z.string() }).nullish(),
    })
    .nullish(),
  equation: z.object({ expression: z.string() }).nullish(),
  mention: z.unknown().optional(),
});
export type RichTextItem = z.infer<typeof richTextItemSchema>;

/** Rich text arrays stay unknown[] here; items are validated one by one so one odd item is not fatal. */
const richText = z.array(z.unknown());

export const iconSchema = z.object({
  type: z.string(),
  emoji: z.string().nullish(),
  external: z.object({ url: z.string() }).nullish(),
  file: z.object({ url: z.string() }).nullish(),
  custom_emoji: z.object({ url: z.string().nullish(), name: z.string().nullish() }).nullish(),
});

export const textPayload = z.object({ rich_text: richText });
export const numberedPayload = z.object({
  list_start_index: z.number().int().nullish().catch(null),
});
export const todoPayload = z.object({
  rich_text: richText,
  checked: z.boolean().optional(),
});
export const calloutPayload = z.object({
  rich_text: richText,
  icon: iconSchema.nullish().catch(null),
});
export const codePayload = z.object({
  rich_text: richText,
  caption: richText.optional(),
  language: z.string().optional(),
});
export const equationPayload = z.object({ expression: z.string() });
export const tablePayload = z.object({
  table_width: z.number().int().nonnegative().optional(),
  has_column_header: z.boolean().optional(),
  has_row_header: z.boolean().optional(),
});
export const tableRowPayload = z.object({
  cells: z.array(z.array(z.unknown())),
});
export const titlePayload = z.object({ title: z.string().optional() });
export const linkToPagePayload = z.object({
  type: z.string(),
  page_id: z.string().nullish(),
  database_id: z.string().nullish(),
  data_source_id: z.string().nullish(),
});
export const syncedPayload = z.object({
  synced_from: z.object({ block_id: z.string() }).nullish().catch(null),
});
export const urlPayload = z.object({
  url: z.string().optional(),
  caption: richText.optional(),
});
export const mediaPayload = z.object({
  type: z.string(),
  file: z.object({ url: z.string(), expiry_time: z.string().nullish() }).nullish(),
  external: z.object({ url: z.string() }).nullish(),
  caption: richText.optional(),
  name: z.string().nullish(),
});
export const unsupportedPayload = z.object({
  block_type: z.string().nullish().catch(null),
});
export const meetingNotesPayload = z.object({ title: richText.optional() });
