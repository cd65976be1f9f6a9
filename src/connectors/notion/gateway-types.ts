import { z } from 'zod';
import { isInTrash, pageCover, pageIcon, pageTitle } from './convert/page-meta.ts';

/**
 * What the gateway returns, validated with zod from Notion 2025-09-03 responses. Only fields the app
 * relies on are checked; block payloads stay raw (loose) because the converter reads them per type.
 */

const richText = z.array(z.looseObject({ plain_text: z.string() }));

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
      return {
        type: 'data_source',
        id: p.data_source_id,
        databaseId: p.database_id ?? null,
      };
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

/** Our icon shape: Notion-hosted (`file`) icon URLs are signed and stop working after about an hour. */
function toIcon(obj: unknown): NotionIcon {
  const icon = pageIcon(obj);
  if (!icon) return null;
  return icon.type === 'emoji' ? icon : { type: 'url', url: icon.url, expires: icon.type === 'file' };
}

export type NotionIcon = { type: 'emoji'; emoji: string } | { type: 'url'; url: string; expires: boolean } | null;

/** A page property value in Notion's shape (`{ id, type, [type]: ... }`). */
export type NotionPropertyValue = {
  id: string;
  type: string;
  [k: string]: unknown;
};

const propertyValue = z.looseObject({ id: z.string(), type: z.string() });

export const pageSchema = z
  .looseObject({
    object: z.literal('page'),
    id: z.string(),
    created_time: z.string(),
    last_edited_time: z.string(),
    url: z.string(),
    parent: parentSchema,
    properties: z.record(z.string(), propertyValue),
  })
  .transform((p) => ({
    object: 'page' as const,
    id: p.id,
    title: pageTitle(p),
    url: p.url,
    parent: p.parent,
    icon: toIcon(p),
    cover: pageCover(p),
    createdTime: p.created_time,
    lastEditedTime: p.last_edited_time,
    inTrash: isInTrash(p),
    properties: p.properties as Record<string, NotionPropertyValue>,
  }));
export type NotionPage = z.output<typeof pageSchema>;

/** Options are read for select and status properties (the ones an access-level mapping can use). */
const optionList = z.looseObject({ options: z.array(z.looseObject({ name: z.string() })) });
const dataSourceProperty = z.looseObject({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  select: optionList.optional(),
  status: optionList.optional(),
});

export const dataSourceSchema = z
  .looseObject({
    object: z.literal('data_source'),
    id: z.string(),
    title: richText,
    url: z.string(),
    parent: z.looseObject({
      type: z.string(),
      database_id: z.string().optional(),
    }),
    last_edited_time: z.string(),
    properties: z.record(z.string(), dataSourceProperty),
  })
  .transform((d) => ({
    object: 'data_source' as const,
    id: d.id,
    databaseId: d.parent.database_id ?? null,
    title: pageTitle(d),
    url: d.url,
    icon: toIcon(d),
    lastEditedTime: d.last_edited_time,
    inTrash: isInTrash(d),
    properties: Object.fromEntries(
      Object.entries(d.properties).map(([name, p]) => [
        name,
        { id: p.id, name: p.name, type: p.type, options: (p.select ?? p.status)?.options.map((o) => o.name) ?? [] },
      ]),
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
    is_inline: z.boolean(),
    last_edited_time: z.string(),
    data_sources: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .transform((d) => ({
    object: 'database' as const,
    id: d.id,
    title: pageTitle(d),
    url: d.url,
    parent: d.parent,
    icon: toIcon(d),
    isInline: d.is_inline,
    lastEditedTime: d.last_edited_time,
    inTrash: isInTrash(d),
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
    .looseObject({
      object: z.literal('list'),
      results: z.array(item),
      next_cursor: z.string().nullable(),
      has_more: z.boolean(),
    })
    .transform((l): NotionList<z.output<T>> => ({
      results: l.results,
      nextCursor: l.has_more ? l.next_cursor : null,
    }));
}

export const searchResultSchema = z.union([pageSchema, dataSourceSchema]);
export type NotionSearchResult = z.output<typeof searchResultSchema>;
