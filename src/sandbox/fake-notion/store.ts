import { fakeId, pageMention, text } from './builders.ts';
import type { BlockSpec, DatabaseSpec, FileSpec, HostedFileSpec, PageSpec, WorkspaceSpec } from './workspace-spec.ts';

export type NotionVersion = '2022-06-28' | '2025-09-03' | '2026-03-11';
export const SUPPORTED_VERSIONS: readonly NotionVersion[] = ['2022-06-28', '2025-09-03', '2026-03-11'];

type ParentRef =
  | { type: 'workspace' }
  | { type: 'page_id'; id: string }
  | { type: 'block_id'; id: string }
  | { type: 'data_source_id'; dataSourceId: string; databaseId: string };

interface PageRecord {
  id: string;
  title: string;
  /** "title" for plain pages; the data source's title column name for database rows. */
  titlePropertyName: string;
  icon: string | undefined;
  properties: Record<string, Record<string, unknown>>;
  parent: ParentRef;
  childIds: string[];
  createdTime: string;
  lastEditedTime: string;
  inTrash: boolean;
  locked: boolean;
  shared: boolean | undefined;
  /** What search has indexed, oldest first: Notion's search index catches up with edits only later. */
  searchIndex: IndexedPage[];
}

/** The page as the search index saw it at `editedAtMs` (wall clock of the edit). */
interface IndexedPage {
  editedAtMs: number;
  title: string;
  lastEditedTime: string;
  inTrash: boolean;
}

interface BlockRecord {
  id: string;
  type: string;
  data: Record<string, unknown>;
  hostedFile: HostedFileSpec | undefined;
  parent: ParentRef;
  /** The page whose sharing decides access to this block. */
  pageId: string;
  childIds: string[];
  syncedFrom: string | undefined;
  /** For child_page / child_database blocks: the object they stand for (same id). */
  linked: 'page' | 'database' | undefined;
  createdTime: string;
  lastEditedTime: string;
}

interface DatabaseRecord {
  id: string;
  dataSourceId: string;
  title: string;
  icon: string | undefined;
  schema: Record<string, Record<string, unknown>>;
  titlePropertyName: string;
  parent: ParentRef;
  rowIds: string[];
  isInline: boolean;
  createdTime: string;
  lastEditedTime: string;
  shared: boolean | undefined;
}

export interface RenderContext {
  version: NotionVersion;
  signFileUrl: (key: string) => { url: string; expiry_time: string };
}

export interface PageEdit {
  title?: string | undefined;
  appendParagraph?: string | undefined;
  /** Append a paragraph mentioning another page ("See <page title>."). */
  appendMention?: string | undefined;
  inTrash?: boolean | undefined;
  shared?: boolean | undefined;
  locked?: boolean | undefined;
  /** Property values to set (Notion's page-property shape, without ids), e.g. a select option of a row. */
  properties?: Record<string, Record<string, unknown>> | undefined;
}

/** Where a page sits, in the terms of Notion webhook events (`data.parent`). */
export interface EventParent {
  id: string;
  type: 'space' | 'page' | 'block' | 'database';
  data_source_id?: string;
}

/** What an edit changed, one entry per Notion webhook event it causes. */
export type PageChange =
  | { type: 'page.properties_updated'; pageId: string; parent: EventParent; updatedProperties: string[] }
  | { type: 'page.content_updated'; pageId: string; parent: EventParent; updatedBlocks: string[] }
  | {
      type: 'page.deleted' | 'page.undeleted' | 'page.locked' | 'page.unlocked';
      pageId: string;
      parent: EventParent;
    }
  | { type: 'data_source.content_updated'; dataSourceId: string; parent: EventParent; updatedPages: string[] };

type Json = Record<string, unknown>;

export type SearchableItem =
  | { kind: 'page'; id: string; title: string; lastEditedTime: string; indexed: IndexedPage }
  | {
      kind: 'database';
      id: string;
      dataSourceId: string;
      title: string;
      lastEditedTime: string;
    };

const DEFAULT_TIME = '2026-05-04T10:00:00.000Z';
const MINUTE = 60_000;

/** Notion reports page/block edit times at minute precision; edits still move them strictly forward. */
function nextEditTime(previous: string): string {
  const nowMinute = Math.floor(Date.now() / MINUTE) * MINUTE;
  return new Date(Math.max(nowMinute, Date.parse(previous) + MINUTE)).toISOString();
}

const hex = (id: string) => id.replaceAll('-', '');
const slug = (title: string) => title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
const notionUrl = (title: string, id: string) => `https://app.notion.com/p/${title ? `${slug(title)}-` : ''}${hex(id)}`;

/**
 * In-memory Notion workspace: the records behind the fake API plus Notion's rules for who may see
 * what (sharing is inherited from the parent unless set on the object itself).
 */
export class FakeNotionStore {
  readonly spec: WorkspaceSpec;
  private readonly pages = new Map<string, PageRecord>();
  private readonly blocks = new Map<string, BlockRecord>();
  private readonly databases = new Map<string, DatabaseRecord>();
  private readonly dataSources = new Map<string, string>();
  readonly files = new Map<string, FileSpec>();

  constructor(spec: WorkspaceSpec) {
    this.spec = spec;
    for (const file of spec.files ?? []) this.files.set(file.key, file);
    for (const page of spec.pages) this.addPage(page, { type: 'workspace' });
    for (const db of spec.databases ?? []) this.addDatabase(db, { type: 'workspace' });
  }

  private addPage(spec: PageSpec, parent: ParentRef, titlePropertyName = 'title'): PageRecord {
    const createdTime = spec.createdTime ?? DEFAULT_TIME;
    const record: PageRecord = {
      id: spec.id,
      title: spec.title,
      titlePropertyName,
      icon: spec.icon,
      properties: { ...spec.properties },
      parent,
      childIds: [],
      createdTime,
      lastEditedTime: spec.lastEditedTime ?? createdTime,
      inTrash: spec.inTrash ?? false,
      locked: false,
      shared: spec.shared,
      searchIndex: [],
    };
    record.searchIndex = [
      { editedAtMs: 0, title: record.title, lastEditedTime: record.lastEditedTime, inTrash: record.inTrash },
    ];
    this.pages.set(record.id, record);
    record.childIds = this.addChildren(spec.children ?? [], { type: 'page_id', id: record.id }, record.id, createdTime);
    return record;
  }

  private addDatabase(spec: DatabaseSpec, parent: ParentRef): DatabaseRecord {
    const titlePropertyName = Object.entries(spec.schema).find(([, p]) => p.type === 'title')?.[0] ?? 'Name';
    const createdTime = spec.createdTime ?? DEFAULT_TIME;
    const record: DatabaseRecord = {
      id: spec.id,
      dataSourceId: spec.dataSourceId,
      title: spec.title,
      icon: spec.icon,
      schema: spec.schema,
      titlePropertyName,
      parent,
      rowIds: [],
      isInline: spec.isInline ?? false,
      createdTime,
      lastEditedTime: spec.lastEditedTime ?? createdTime,
      shared: spec.shared,
    };
    this.databases.set(record.id, record);
    this.dataSources.set(record.dataSourceId, record.id);
    const rowParent: ParentRef = {
      type: 'data_source_id',
      dataSourceId: spec.dataSourceId,
      databaseId: spec.id,
    };
    record.rowIds = spec.rows.map((row) => this.addPage(row, rowParent, titlePropertyName).id);
    return record;
  }

  private addChildren(specs: BlockSpec[], parent: ParentRef, pageId: string, time: string): string[] {
    const parentId = parent.type === 'page_id' || parent.type === 'block_id' ? parent.id : pageId;
    return specs.map((spec, index) => {
      const id = spec.page?.id ?? spec.database?.id ?? spec.id ?? fakeId(`${parentId}/${index}`);
      const record: BlockRecord = {
        id,
        type: spec.type,
        data: spec.data ?? {},
        hostedFile: spec.hostedFile,
        parent,
        pageId,
        childIds: [],
        syncedFrom: spec.syncedFrom,
        linked: spec.page ? 'page' : spec.database ? 'database' : undefined,
        createdTime: time,
        lastEditedTime: spec.lastEditedTime ?? time,
      };
      this.blocks.set(id, record);
      if (spec.page) this.addPage(spec.page, parent);
      else if (spec.database) this.addDatabase({ ...spec.database, isInline: spec.database.isInline ?? true }, parent);
      else record.childIds = this.addChildren(spec.children ?? [], { type: 'block_id', id }, pageId, time);
      return id;
    });
  }

  // ---- access (Notion answers 404 for objects not shared with the integration) ----

  private parentAccessible(parent: ParentRef): boolean {
    switch (parent.type) {
      case 'workspace':
        return true;
      case 'page_id':
        return this.pageAccessible(parent.id);
      case 'block_id': {
        const block = this.blocks.get(parent.id);
        return block !== undefined && this.pageAccessible(block.pageId);
      }
      case 'data_source_id':
        return this.databaseAccessible(parent.databaseId);
    }
  }

  pageAccessible(id: string): boolean {
    const page = this.pages.get(id);
    if (!page) return false;
    return page.shared ?? this.parentAccessible(page.parent);
  }

  databaseAccessible(id: string): boolean {
    const db = this.databases.get(id);
    if (!db) return false;
    return db.shared ?? this.parentAccessible(db.parent);
  }

  databaseIdOfDataSource(dataSourceId: string): string | undefined {
    const dbId = this.dataSources.get(dataSourceId);
    return dbId !== undefined && this.databaseAccessible(dbId) ? dbId : undefined;
  }

  /** The block (or page, which Notion also serves as a block) if visible to the integration. */
  blockExists(id: string): boolean {
    const block = this.blocks.get(id);
    if (block) return this.pageAccessible(block.pageId) && (block.linked !== 'page' || this.pageAccessible(id));
    return this.pageAccessible(id);
  }

  /** Ids of a container's children as Notion lists them (a duplicate synced block lists the original's). */
  childIdsOf(id: string): string[] {
    const block = this.blocks.get(id);
    if (block?.linked === 'page') return this.pages.get(id)?.childIds ?? [];
    if (block?.syncedFrom !== undefined) {
      const original = this.blocks.get(block.syncedFrom);
      return original && this.pageAccessible(original.pageId) ? original.childIds : [];
    }
    if (block) return block.childIds;
    return this.pages.get(id)?.childIds ?? [];
  }

  private hasChildren(block: BlockRecord): boolean {
    if (block.linked === 'database') return false;
    // A duplicate synced block shows content even when its original lives in a page we cannot see.
    if (block.syncedFrom !== undefined) return (this.blocks.get(block.syncedFrom)?.childIds.length ?? 0) > 0;
    return this.childIdsOf(block.id).length > 0;
  }

  // ---- rendering in Notion's response shapes ----

  private user(): Json {
    return { object: 'user', id: this.spec.ownerUserId };
  }

  private renderParent(parent: ParentRef, ctx: RenderContext): Json {
    switch (parent.type) {
      case 'workspace':
        return { type: 'workspace', workspace: true };
      case 'page_id':
        return { type: 'page_id', page_id: parent.id };
      case 'block_id':
        return { type: 'block_id', block_id: parent.id };
      case 'data_source_id':
        return ctx.version === '2022-06-28'
          ? { type: 'database_id', database_id: parent.databaseId }
          : {
              type: 'data_source_id',
              data_source_id: parent.dataSourceId,
              database_id: parent.databaseId,
            };
    }
  }

  private archived(ctx: RenderContext, value: boolean): Json {
    // 2026-03-11 dropped the legacy `archived` flag in favour of `in_trash`.
    return ctx.version === '2026-03-11' ? {} : { archived: value };
  }

  private icon(emoji: string | undefined): Json | null {
    return emoji === undefined ? null : { type: 'emoji', emoji };
  }

  private pageInTrash(page: PageRecord): boolean {
    if (page.inTrash) return true;
    if (page.parent.type === 'page_id') {
      const parent = this.pages.get(page.parent.id);
      return parent ? this.pageInTrash(parent) : false;
    }
    return false;
  }

  /** `indexed` renders the page as the search index last saw it (title, edit time, trash). */
  renderPage(id: string, ctx: RenderContext, indexed?: IndexedPage): Json {
    const current = this.mustPage(id);
    const page = indexed ? { ...current, ...indexed } : current;
    const properties: Json = {};
    for (const [name, value] of Object.entries(page.properties)) {
      properties[name] = { id: fakeId(`prop:${name}`).slice(0, 4), ...value };
    }
    properties[page.titlePropertyName] = {
      id: 'title',
      type: 'title',
      title: page.title ? [text(page.title)] : [],
    };
    const inTrash = this.pageInTrash(page);
    return {
      object: 'page',
      id: page.id,
      created_time: page.createdTime,
      last_edited_time: page.lastEditedTime,
      created_by: this.user(),
      last_edited_by: this.user(),
      cover: null,
      icon: this.icon(page.icon),
      parent: this.renderParent(page.parent, ctx),
      in_trash: inTrash,
      is_archived: false,
      is_locked: page.locked,
      properties,
      url: notionUrl(page.title, page.id),
      public_url: null,
      ...this.archived(ctx, inTrash),
    };
  }

  renderBlock(id: string, ctx: RenderContext): Json {
    const block = this.blocks.get(id);
    if (!block) return this.renderPageAsBlock(id, ctx);
    let payload: Json = block.data;
    let inTrash = false;
    if (block.linked === 'page') {
      const page = this.mustPage(id);
      payload = { title: page.title };
      inTrash = this.pageInTrash(page);
    } else if (block.linked === 'database') {
      payload = { title: this.mustDatabase(id).title };
    } else if (block.type === 'synced_block') {
      payload = {
        synced_from: block.syncedFrom === undefined ? null : { type: 'block_id', block_id: block.syncedFrom },
      };
    } else if (block.hostedFile) {
      payload = {
        caption: block.hostedFile.caption ?? [],
        type: 'file',
        file: ctx.signFileUrl(block.hostedFile.key),
        ...(block.type === 'file' ? { name: block.hostedFile.name ?? block.hostedFile.key } : {}),
      };
    }
    return {
      object: 'block',
      id: block.id,
      parent: this.renderParent(block.parent, ctx),
      created_time: block.createdTime,
      last_edited_time: block.lastEditedTime,
      created_by: this.user(),
      last_edited_by: this.user(),
      has_children: this.hasChildren(block),
      in_trash: inTrash,
      type: block.type,
      [block.type]: payload,
      ...this.archived(ctx, inTrash),
    };
  }

  private renderPageAsBlock(id: string, ctx: RenderContext): Json {
    const page = this.mustPage(id);
    const inTrash = this.pageInTrash(page);
    return {
      object: 'block',
      id: page.id,
      parent: this.renderParent(page.parent, ctx),
      created_time: page.createdTime,
      last_edited_time: page.lastEditedTime,
      created_by: this.user(),
      last_edited_by: this.user(),
      has_children: page.childIds.length > 0,
      in_trash: inTrash,
      type: 'child_page',
      child_page: { title: page.title },
      ...this.archived(ctx, inTrash),
    };
  }

  private titleRich(title: string): Json[] {
    return [text(title)];
  }

  private schemaWithIds(db: DatabaseRecord): Json {
    const out: Json = {};
    for (const [name, config] of Object.entries(db.schema)) {
      const id = config.type === 'title' ? 'title' : fakeId(`prop:${name}`).slice(0, 4);
      out[name] = { id, name, description: null, ...config };
    }
    return out;
  }

  renderDatabase(id: string, ctx: RenderContext): Json {
    const db = this.mustDatabase(id);
    const common = {
      object: 'database',
      id: db.id,
      title: this.titleRich(db.title),
      description: [],
      parent: this.renderParent(db.parent, ctx),
      is_inline: db.isInline,
      in_trash: false,
      is_locked: false,
      created_time: db.createdTime,
      last_edited_time: db.lastEditedTime,
    };
    const tail = {
      icon: this.icon(db.icon),
      cover: null,
      url: notionUrl('', db.id),
      public_url: null,
      ...this.archived(ctx, false),
    };
    if (ctx.version === '2022-06-28') {
      // Before data sources, a database carried its schema itself.
      return {
        ...common,
        created_by: this.user(),
        last_edited_by: this.user(),
        properties: this.schemaWithIds(db),
        ...tail,
      };
    }
    return {
      ...common,
      data_sources: [{ id: db.dataSourceId, name: db.title }],
      ...tail,
    };
  }

  renderDataSource(dataSourceId: string, ctx: RenderContext): Json {
    const db = this.mustDatabase(this.dataSources.get(dataSourceId) ?? '');
    return {
      object: 'data_source',
      id: db.dataSourceId,
      cover: null,
      icon: this.icon(db.icon),
      created_time: db.createdTime,
      created_by: this.user(),
      last_edited_by: this.user(),
      last_edited_time: db.lastEditedTime,
      title: this.titleRich(db.title),
      description: [],
      is_inline: db.isInline,
      properties: this.schemaWithIds(db),
      parent: { type: 'database_id', database_id: db.id },
      database_parent: this.renderParent(db.parent, ctx),
      url: notionUrl('', db.dataSourceId),
      public_url: null,
      in_trash: false,
      ...this.archived(ctx, false),
    };
  }

  // ---- listings ----

  /**
   * Everything search may return: visible, non-trashed pages and databases (as data sources from
   * 2025-09-03). Pages appear as indexed `indexLagMs` ago: Notion's search is "not immediate".
   */
  searchable(indexLagMs: number, nowMs: number): SearchableItem[] {
    const out: SearchableItem[] = [];
    for (const page of this.pages.values()) {
      const indexed =
        page.searchIndex.findLast((entry) => entry.editedAtMs + indexLagMs <= nowMs) ?? page.searchIndex[0];
      if (
        indexed &&
        this.pageAccessible(page.id) &&
        !indexed.inTrash &&
        !this.pageInTrash({ ...page, inTrash: false })
      ) {
        out.push({
          kind: 'page',
          id: page.id,
          title: indexed.title,
          lastEditedTime: indexed.lastEditedTime,
          indexed,
        });
      }
    }
    for (const db of this.databases.values()) {
      if (this.databaseAccessible(db.id)) {
        out.push({
          kind: 'database',
          id: db.id,
          dataSourceId: db.dataSourceId,
          title: db.title,
          lastEditedTime: db.lastEditedTime,
        });
      }
    }
    return out;
  }

  /** Visible, non-trashed rows of a database. */
  rowsOf(databaseId: string): Array<{ id: string; lastEditedTime: string; createdTime: string }> {
    return this.mustDatabase(databaseId)
      .rowIds.map((rowId) => this.mustPage(rowId))
      .filter((row) => this.pageAccessible(row.id) && !row.inTrash)
      .map((row) => ({
        id: row.id,
        lastEditedTime: row.lastEditedTime,
        createdTime: row.createdTime,
      }));
  }

  // ---- edits made "in Notion" by a person, driven by tests ----

  /**
   * Applies an edit as a Notion user would make it and returns what changed (the webhook events Notion
   * would send), or null for an unknown page.
   */
  editPage(id: string, edit: PageEdit, nowMs = Date.now()): PageChange[] | null {
    const page = this.pages.get(id);
    if (!page) return null;
    const parent = this.eventParent(page.parent);
    const changes: PageChange[] = [];
    const editedAt = nextEditTime(page.lastEditedTime);
    if (edit.title !== undefined) {
      page.title = edit.title;
      const block = this.blocks.get(id);
      if (block) block.lastEditedTime = editedAt;
      changes.push({ type: 'page.properties_updated', pageId: id, parent, updatedProperties: ['title'] });
    }
    if (edit.appendParagraph !== undefined) {
      const blockId = fakeId(`${id}/appended/${page.childIds.length}/${editedAt}`);
      this.blocks.set(blockId, {
        id: blockId,
        type: 'paragraph',
        data: {
          rich_text:
            edit.appendMention === undefined
              ? [text(edit.appendParagraph)]
              : [text(edit.appendParagraph), pageMention(edit.appendMention, this.mustPage(edit.appendMention).title)],
          icon: null,
          color: 'default',
        },
        hostedFile: undefined,
        parent: { type: 'page_id', id },
        pageId: id,
        childIds: [],
        syncedFrom: undefined,
        linked: undefined,
        createdTime: editedAt,
        lastEditedTime: editedAt,
      });
      page.childIds = [...page.childIds, blockId];
      changes.push({ type: 'page.content_updated', pageId: id, parent, updatedBlocks: [blockId] });
    }
    if (edit.properties !== undefined) {
      page.properties = { ...page.properties, ...edit.properties };
      changes.push({
        type: 'page.properties_updated',
        pageId: id,
        parent,
        updatedProperties: Object.keys(edit.properties).map((name) => fakeId(`prop:${name}`).slice(0, 4)),
      });
    }
    if (edit.inTrash !== undefined && edit.inTrash !== page.inTrash) {
      page.inTrash = edit.inTrash;
      changes.push({ type: edit.inTrash ? 'page.deleted' : 'page.undeleted', pageId: id, parent });
    }
    if (edit.locked !== undefined && edit.locked !== page.locked) {
      page.locked = edit.locked;
      changes.push({ type: edit.locked ? 'page.locked' : 'page.unlocked', pageId: id, parent });
    }
    // Sharing is a permission change, not a content edit: no timestamp, no event.
    if (edit.shared !== undefined) page.shared = edit.shared;
    if (
      edit.title !== undefined ||
      edit.appendParagraph !== undefined ||
      edit.inTrash !== undefined ||
      edit.properties !== undefined
    ) {
      page.lastEditedTime = editedAt;
      page.searchIndex.push({ editedAtMs: nowMs, title: page.title, lastEditedTime: editedAt, inTrash: page.inTrash });
    }
    // A row edit is also an edit of its data source's content.
    if (page.parent.type === 'data_source_id' && changes.length > 0) {
      const db = this.mustDatabase(page.parent.databaseId);
      changes.push({
        type: 'data_source.content_updated',
        dataSourceId: db.dataSourceId,
        parent: this.eventParent(db.parent),
        updatedPages: [id],
      });
    }
    return changes;
  }

  private eventParent(parent: ParentRef): EventParent {
    switch (parent.type) {
      case 'workspace':
        return { id: this.spec.workspaceId, type: 'space' };
      case 'page_id':
        return { id: parent.id, type: 'page' };
      case 'block_id':
        return { id: parent.id, type: 'block' };
      case 'data_source_id':
        return { id: parent.databaseId, type: 'database', data_source_id: parent.dataSourceId };
    }
  }

  private mustPage(id: string): PageRecord {
    const page = this.pages.get(id);
    if (!page) throw new Error(`fake notion: unknown page ${id}`);
    return page;
  }

  private mustDatabase(id: string): DatabaseRecord {
    const db = this.databases.get(id);
    if (!db) throw new Error(`fake notion: unknown database ${id}`);
    return db;
  }
}
