import { z } from 'zod';

/**
 * The JSON structure a fake Notion workspace is loaded from. Block payloads (`data`) and property
 * values are written in Notion's own response shape so fixtures read like real API data; only the
 * parts that Notion computes at request time (ids of nested objects, signed file URLs, parents,
 * timestamps) are described more simply here and rendered by the fake.
 */
export interface HostedFileSpec {
  /** Key of a file in `WorkspaceSpec.files`; rendered as a signed, expiring `type:"file"` URL. */
  key: string;
  caption?: unknown[] | undefined;
  /** Only `file` blocks carry a name. */
  name?: string | undefined;
}

export interface BlockSpec {
  id?: string | undefined;
  type: string;
  /** The type-specific payload, e.g. `{ rich_text, color }` for a paragraph. */
  data?: Record<string, unknown> | undefined;
  hostedFile?: HostedFileSpec | undefined;
  children?: BlockSpec[] | undefined;
  /** For `child_page` blocks: the sub-page (block id = page id, as in Notion). */
  page?: PageSpec | undefined;
  /** For `child_database` blocks: the inline database (block id = database id). */
  database?: DatabaseSpec | undefined;
  /** For duplicate `synced_block`s: the id of the original synced block. */
  syncedFrom?: string | undefined;
  lastEditedTime?: string | undefined;
}

export interface PageSpec {
  id: string;
  title: string;
  /** An emoji. */
  icon?: string | undefined;
  /** Extra property values in Notion's page-property shape (database rows). */
  properties?: Record<string, Record<string, unknown>> | undefined;
  children?: BlockSpec[] | undefined;
  createdTime?: string | undefined;
  lastEditedTime?: string | undefined;
  inTrash?: boolean | undefined;
  /** false = not shared with the integration (404 for it and, by inheritance, its descendants). */
  shared?: boolean | undefined;
}

export interface DatabaseSpec {
  id: string;
  dataSourceId: string;
  title: string;
  icon?: string | undefined;
  /** Data source schema in Notion's shape (`{ Name: { type: 'title', title: {} }, ... }`); ids are filled in. */
  schema: Record<string, Record<string, unknown>>;
  rows: PageSpec[];
  isInline?: boolean | undefined;
  createdTime?: string | undefined;
  lastEditedTime?: string | undefined;
  shared?: boolean | undefined;
}

export interface FileSpec {
  key: string;
  contentType: string;
  bytesBase64: string;
}

export interface WorkspaceSpec {
  workspaceName: string;
  workspaceId: string;
  botId: string;
  botName: string;
  ownerUserId: string;
  ownerName: string;
  pages: PageSpec[];
  databases?: DatabaseSpec[] | undefined;
  files?: FileSpec[] | undefined;
}

const iso = z.iso.datetime({ offset: true });
const looseRecord = z.record(z.string(), z.unknown());

const hostedFileSchema = z.object({
  key: z.string().min(1),
  caption: z.array(z.unknown()).optional(),
  name: z.string().optional(),
});

const blockSpecSchema: z.ZodType<BlockSpec> = z.lazy(() =>
  z.object({
    id: z.guid().optional(),
    type: z.string().min(1),
    data: looseRecord.optional(),
    hostedFile: hostedFileSchema.optional(),
    children: z.array(blockSpecSchema).optional(),
    page: pageSpecSchema.optional(),
    database: databaseSpecSchema.optional(),
    syncedFrom: z.guid().optional(),
    lastEditedTime: iso.optional(),
  }),
);

const pageSpecSchema: z.ZodType<PageSpec> = z.lazy(() =>
  z.object({
    id: z.guid(),
    title: z.string(),
    icon: z.string().optional(),
    properties: z.record(z.string(), looseRecord).optional(),
    children: z.array(blockSpecSchema).optional(),
    createdTime: iso.optional(),
    lastEditedTime: iso.optional(),
    inTrash: z.boolean().optional(),
    shared: z.boolean().optional(),
  }),
);

const databaseSpecSchema: z.ZodType<DatabaseSpec> = z.lazy(() =>
  z.object({
    id: z.guid(),
    dataSourceId: z.guid(),
    title: z.string(),
    icon: z.string().optional(),
    schema: z.record(z.string(), looseRecord),
    rows: z.array(pageSpecSchema),
    isInline: z.boolean().optional(),
    createdTime: iso.optional(),
    lastEditedTime: iso.optional(),
    shared: z.boolean().optional(),
  }),
);

/** Validates a workspace loaded from JSON (files, env-provided fixtures). */
export const workspaceSpecSchema: z.ZodType<WorkspaceSpec> = z.object({
  workspaceName: z.string(),
  workspaceId: z.guid(),
  botId: z.guid(),
  botName: z.string(),
  ownerUserId: z.guid(),
  ownerName: z.string(),
  pages: z.array(pageSpecSchema),
  databases: z.array(databaseSpecSchema).optional(),
  files: z
    .array(
      z.object({
        key: z.string().min(1),
        contentType: z.string(),
        bytesBase64: z.string(),
      }),
    )
    .optional(),
});
