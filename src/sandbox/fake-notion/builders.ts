import { createHash } from 'node:crypto';
import type {
  DataSourceObjectResponse,
  MentionRichTextItemResponse,
  PageObjectResponse,
  RichTextItemResponseCommon,
} from '@notionhq/client';
import type { BlockSpec, DatabaseSpec, HostedFileSpec, PageSpec } from './workspace-spec.ts';

/** A deterministic Notion-style id (dashed UUID) derived from a seed, so fixtures are stable across runs. */
export function fakeId(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  // Version 4 / variant 8 nibbles keep the id a valid RFC 4122 UUID for strict validators.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface TextStyle {
  bold?: boolean;
  italic?: boolean;
  strikethrough?: boolean;
  underline?: boolean;
  code?: boolean;
  color?: string;
  link?: string;
}

export type RichTextItem = Record<string, unknown>;

/** One `type:"text"` rich text item in Notion's response shape. */
export function text(content: string, style: TextStyle = {}): RichTextItem {
  const link = style.link ?? null;
  return {
    type: 'text',
    text: { content, link: link === null ? null : { url: link } },
    annotations: {
      bold: style.bold ?? false,
      italic: style.italic ?? false,
      strikethrough: style.strikethrough ?? false,
      underline: style.underline ?? false,
      code: style.code ?? false,
      color: style.color ?? 'default',
    },
    plain_text: content,
    href: link,
  };
}

/** A rich text array from plain strings and/or prepared items. */
/** A mention of a page, as Notion returns it (the text is the page's title when the mention was made). */
export function pageMention(pageId: string, title: string): RichTextItemResponseCommon & MentionRichTextItemResponse {
  return {
    type: 'mention',
    mention: { type: 'page', page: { id: pageId } },
    annotations: {
      bold: false,
      italic: false,
      strikethrough: false,
      underline: false,
      code: false,
      color: 'default',
    },
    plain_text: title,
    href: `https://www.notion.so/${pageId.replaceAll('-', '')}`,
  };
}

export function rich(...parts: Array<string | RichTextItem>): RichTextItem[] {
  return parts.map((p) => (typeof p === 'string' ? text(p) : p));
}

type Content = string | RichTextItem[];
const toRich = (c: Content): RichTextItem[] => (typeof c === 'string' ? rich(c) : c);

const textBlock = (
  type: string,
  content: Content,
  extra: Record<string, unknown>,
  children?: BlockSpec[],
): BlockSpec => ({
  type,
  data: { rich_text: toRich(content), ...extra },
  ...(children && children.length > 0 ? { children } : {}),
});

/** Block builders producing `BlockSpec`s in Notion's payload shapes. */
export const b = {
  paragraph: (c: Content, children?: BlockSpec[]) =>
    textBlock('paragraph', c, { icon: null, color: 'default' }, children),
  heading1: (c: Content) => textBlock('heading_1', c, { is_toggleable: false, color: 'default' }),
  heading2: (c: Content) => textBlock('heading_2', c, { is_toggleable: false, color: 'default' }),
  heading3: (c: Content) => textBlock('heading_3', c, { is_toggleable: false, color: 'default' }),
  toggleHeading2: (c: Content, children: BlockSpec[]) =>
    textBlock('heading_2', c, { is_toggleable: true, color: 'default' }, children),
  bullet: (c: Content, children?: BlockSpec[]) => textBlock('bulleted_list_item', c, { color: 'default' }, children),
  numbered: (c: Content, children?: BlockSpec[]) => textBlock('numbered_list_item', c, { color: 'default' }, children),
  todo: (c: Content, checked: boolean, children?: BlockSpec[]) =>
    textBlock('to_do', c, { checked, color: 'default' }, children),
  toggle: (c: Content, children: BlockSpec[]) => textBlock('toggle', c, { color: 'default' }, children),
  quote: (c: Content, children?: BlockSpec[]) => textBlock('quote', c, { color: 'default' }, children),
  callout: (c: Content, emoji: string, children?: BlockSpec[]) =>
    textBlock('callout', c, { icon: { type: 'emoji', emoji }, color: 'gray_background' }, children),
  code: (source: string, language: string): BlockSpec => ({
    type: 'code',
    data: { caption: [], rich_text: rich(source), language },
  }),
  equation: (expression: string): BlockSpec => ({
    type: 'equation',
    data: { expression },
  }),
  divider: (): BlockSpec => ({ type: 'divider', data: {} }),
  tableOfContents: (): BlockSpec => ({
    type: 'table_of_contents',
    data: { color: 'default' },
  }),
  bookmark: (url: string): BlockSpec => ({
    type: 'bookmark',
    data: { caption: [], url },
  }),
  table: (rows: string[][], opts: { columnHeader?: boolean; rowHeader?: boolean } = {}): BlockSpec => ({
    type: 'table',
    data: {
      table_width: rows[0]?.length ?? 0,
      has_column_header: opts.columnHeader ?? true,
      has_row_header: opts.rowHeader ?? false,
    },
    children: rows.map((cells) => ({
      type: 'table_row',
      data: { cells: cells.map((cell) => (cell === '' ? [] : rich(cell))) },
    })),
  }),
  columns: (...columns: BlockSpec[][]): BlockSpec => ({
    type: 'column_list',
    data: {},
    children: columns.map((children) => ({
      type: 'column',
      data: {},
      children,
    })),
  }),
  hosted: (type: 'image' | 'pdf' | 'file' | 'video' | 'audio', file: HostedFileSpec): BlockSpec => ({
    type,
    hostedFile: file,
  }),
  external: (type: 'image' | 'pdf' | 'file' | 'video' | 'embed', url: string): BlockSpec =>
    type === 'embed'
      ? { type, data: { caption: [], url } }
      : { type, data: { caption: [], type: 'external', external: { url } } },
  childPage: (page: PageSpec): BlockSpec => ({ type: 'child_page', page }),
  childDatabase: (database: DatabaseSpec): BlockSpec => ({
    type: 'child_database',
    database,
  }),
  syncedOriginal: (id: string, children: BlockSpec[]): BlockSpec => ({
    id,
    type: 'synced_block',
    data: { synced_from: null },
    children,
  }),
  syncedDuplicate: (originalId: string): BlockSpec => ({
    type: 'synced_block',
    syncedFrom: originalId,
  }),
};

type PageProperty = PageObjectResponse['properties'][string];
type SchemaProperty = DataSourceObjectResponse['properties'][string];
type Color = NonNullable<Extract<PageProperty, { type: 'select' }>['select']>['color'];
/** A property value as a page carries it, typed by Notion's SDK; the fake fills in the id. */
type PropertyValue<T extends PageProperty['type']> = Omit<Extract<PageProperty, { type: T }>, 'id'>;
/** A property of a data source schema, typed by Notion's SDK; the fake fills in id, name and description. */
type SchemaConfig<T extends SchemaProperty['type']> = Omit<
  Extract<SchemaProperty, { type: T }>,
  'id' | 'name' | 'description'
>;

const option = (kind: string, name: string, color: Color) => ({
  id: fakeId(`${kind}:${name}`).slice(0, 8),
  name,
  color,
});

/** Property value builders for database rows (Notion page-property shape, ids filled in by the fake). */
export const prop = {
  status: (name: string, color: Color = 'default'): PropertyValue<'status'> => ({
    type: 'status',
    status: option('status', name, color),
  }),
  select: (name: string | null, color: Color = 'default'): PropertyValue<'select'> => ({
    type: 'select',
    select: name === null ? null : option('select', name, color),
  }),
  date: (start: string) => ({
    type: 'date',
    date: { start, end: null, time_zone: null },
  }),
  richText: (content: string) => ({
    type: 'rich_text',
    rich_text: rich(content),
  }),
  people: (...people: Array<{ id: string; name: string }>) => ({
    type: 'people',
    people: people.map((p) => ({
      object: 'user',
      id: p.id,
      name: p.name,
      avatar_url: null,
      type: 'person',
      person: {},
    })),
  }),
};

/** Schema builders for data sources (Notion's data-source property shape). */
export const schemaProp = {
  select: (options: Array<{ name: string; color: Color }>): SchemaConfig<'select'> => ({
    type: 'select',
    select: { options: options.map((o) => ({ ...option('select', o.name, o.color), description: null })) },
  }),
};
