import { z } from 'zod';

/**
 * What the gateway returns, validated with zod from Notion 2025-09-03 responses. Only fields the app
 * relies on are checked; block payloads stay raw (loose) because the converter reads them per type.
 */

const richText = z.array(z.looseObject({ plain_text: z.string() }));
const plainText = (items: z.infer<typeof richText>) => items.map((item) => item.plain_text).join('');

const parentSchema = z
  .looseObject({
    type: z.string(),
    page_id: z.string().optional(),
    block_id: z.string().optional(),
    database_id: z.string().optional(),
    data_source_id: z.string().optional(),
  })
  .transform((p): NotionParent => {
    if (p.type === 'workspace') return { type: 'workspace' };
    if (p.type === 'page_id' && p.page_id) return { type: 'page', id: p.page_id };
    if (p.type === 'block_id' && p.block_id) return { type: 'block', id: p.block_id };
    if (p.type === 'data_source_id' && p.data_source_id) {
      return { type: 'data_source', id: p.data_source_id, databaseId: p.database_id ?? null };
    }
    if (p.type === 'database_id' && p.database_id) return { type: 'database', id: p.database_id };
    return { type: 'other' };
  });

export type NotionParent =
  | { type: 'workspace' }
  | { type: 'page'; id: string }
  | { type: 'block'; id: string }
  | { type: 'database'; id: string }
  | { type: 'data_source'; id: string; databaseId: string | null }
  /** Parents we do not use (e.g. agents). */
  | { type: 'other' };

const iconSchema = z
  .looseObject({
    type: z.string(),
    emoji: z.string().optional(),
    external: z.object({ url: z.string() }).optional(),
    file: z.object({ url: z.string() }).optional(),
  })
  .nullable()
  .optional()
  .transform((icon): NotionIcon => {
    if (!icon) return null;
    if (icon.type === 'emoji' && icon.emoji) return { type: 'emoji', emoji: icon.emoji };
    if (icon.type === 'external' && icon.external) return { type: 'url', url: icon.external.url, expires: false };
    // Notion-hosted icons come with signed URLs that stop working after about an hour.
    if (icon.type === 'file' && icon.file) return { type: 'url', url: icon.file.url, expires: true };
    return null;
  });

export type NotionIcon = { type: 'emoji'; emoji: string } | { type: 'url'; url: string; expires: boolean } | null;

/** A page property value in Notion's shape (`{ id, type, [type]: ... }`). */
export type NotionPropertyValue = { id: string; type: string; [k: string]: unknown };

const propertyValue = z.looseObject({ id: z.string(), type: z.string() });

/** `in_trash` replaced `archived`; read both to survive version changes. */
const trashed = (o: { in_trash?: boolean | undefined; archived?: boolean | undefined }) => o.in_trash ?? o.archived ?? false;

export const pageSchema = z
  .looseObject({
    object: z.literal('page'),
    id: z.string(),
    created_time: z.string(),
    last_edited_time: z.string(),
    in_trash: z.boolean().optional(),
    archived: z.boolean().optional(),
    url: z.string(),
    parent: parentSchema,
    icon: iconSchema,
    cover: z.looseObject({ type: z.string(), external: z.object({ url: z.string() }).optional(), file: z.object({ url: z.string() }).optional() }).nullable().optional(),
    properties: z.record(z.string(), propertyValue),
  })
  .transform((p) => {
    const titleProperty = Object.values(p.properties).find((v) => v.type === 'title');
    const titleItems = richText.safeParse(titleProperty?.title);
    return {
      object: 'page' as const,
      id: p.id,
      title: titleItems.success ? plainText(titleItems.data) : '',
      url: p.url,
      parent: p.parent,
      icon: p.icon,
      cover: p.cover?.external?.url ?? p.cover?.file?.url ?? null,
      createdTime: p.created_time,
      lastEditedTime: p.last_edited_time,
      inTrash: trashed(p),
      properties: p.properties as Record<string, NotionPropertyValue>,
    };
  });
export type NotionPage = z.output<typeof pageSchema>;

export const dataSourceSchema = z
  .looseObject({
    object: z.literal('data_source'),
    id: z.string(),
    title: richText,
    url: z.string(),
    parent: z.looseObject({ type: z.string(), database_id: z.string().optional() }),
    icon: iconSchema,
    last_edited_time: z.string(),
    in_trash: z.boolean().optional(),
    archived: z.boolean().optional(),
    properties: z.record(z.string(), z.looseObject({ id: z.string(), name: z.string(), type: z.string() })),
  })
  .transform((d) => ({
    object: 'data_source' as const,
    id: d.id,
    databaseId: d.parent.database_id ?? null,
    title: plainText(d.title),
    url: d.url,
    icon: d.icon,
    lastEditedTime: d.last_edited_time,
    inTrash: trashed(d),
    properties: Object.fromEntries(
      Object.entries(d.properties).map(([name, p]) => [name, { id: p.id, name: p.name, type: p.type }]),
    ),
  }));
export type NotionDataSource = z.output<typeof dataSourceSchema>;

export const databaseSchema = z
  .looseObject({
    object: z.literal('database'),
    id: z.string(),
    title: richText,
    url: z.string(),
    parent: parentSchema,
    icon: iconSchema,
    is_inline: z.boolean(),
    last_edited_time: z.string(),
    in_trash: z.boolean().optional(),
    archived: z.boolean().optional(),
    data_sources: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .transform((d) => ({
    object: 'database' as const,
    id: d.id,
    title: plainText(d.title),
    url: d.url,
    parent: d.parent,
    icon: d.icon,
    isInline: d.is_inline,
    lastEditedTime: d.last_edited_time,
    inTrash: trashed(d),
    dataSources: d.data_sources,
  }));
export type NotionDatabase = z.output<typeof databaseSchema>;

/** Blocks stay in Notion's raw shape for the converter; envelope fields are checked. */
export const blockSchema = z.looseObject({
  object: z.literal('block'),
  id: z.string(),
  type: z.string(),
  has_children: z.boolean(),
});

export const botUserSchema = z
  .looseObject({
    object: z.literal('user'),
    id: z.string(),
    type: z.literal('bot'),
    bot: z.looseObject({
      workspace_name: z.string().nullable().optional(),
      workspace_id: z.string().optional(),
      workspace_icon: z.string().nullable().optional(),
    }),
  })
  .transform((u) => ({
    botId: u.id,
    workspaceId: u.bot.workspace_id ?? null,
    workspaceName: u.bot.workspace_name ?? null,
    workspaceIcon: u.bot.workspace_icon ?? null,
  }));
export type NotionBotInfo = z.output<typeof botUserSchema>;

/** One page of a Notion list response. */
export interface NotionList<T> {
  results: T[];
  nextCursor: string | null;
}

/** A Notion list response whose items are validated by `item`. */
export function listSchema<T extends z.ZodType>(item: T) {
  return z
    .looseObject({ object: z.literal('list'), results: z.array(item), next_cursor: z.string().nullable(), has_more: z.boolean() })
    .transform((l): NotionList<z.output<T>> => ({ results: l.results, nextCursor: l.has_more ? l.next_cursor : null }));
}

export const searchResultSchema = z.union([pageSchema, dataSourceSchema]);
export type NotionSearchResult = z.output<typeof searchResultSchema>;
