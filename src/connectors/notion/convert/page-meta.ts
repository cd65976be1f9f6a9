import { z } from 'zod';
import { iconSchema } from './schemas.ts';

const plainTextItems = z.array(z.object({ plain_text: z.string().catch('') })).catch([]);

const metaSchema = z.object({
  type: z.string().optional().catch(undefined),
  properties: z.record(z.string(), z.unknown()).optional().catch(undefined),
  title: z.unknown().optional(),
  child_page: z.object({ title: z.string() }).optional().catch(undefined),
  child_database: z.object({ title: z.string() }).optional().catch(undefined),
  icon: iconSchema.nullish().catch(null),
  cover: z
    .object({
      type: z.string(),
      external: z.object({ url: z.string() }).nullish(),
      file: z.object({ url: z.string() }).nullish(),
    })
    .nullish()
    .catch(null),
  in_trash: z.boolean().optional().catch(undefined),
  archived: z.boolean().optional().catch(undefined),
});

const titlePropertySchema = z.object({
  type: z.literal('title'),
  title: plainTextItems,
});

function readMeta(obj: unknown): z.infer<typeof metaSchema> | null {
  const parsed = metaSchema.safeParse(obj);
  return parsed.success ? parsed.data : null;
}

function joinPlain(items: { plain_text: string }[]): string {
  return items.map((i) => i.plain_text).join('');
}

/** Title of a page (its `title`-typed property), database/data source (`title`) or child_page block; 'Untitled' when empty. */
export function pageTitle(obj: unknown): string {
  const meta = readMeta(obj);
  let title = '';
  if (meta?.properties) {
    for (const value of Object.values(meta.properties)) {
      const prop = titlePropertySchema.safeParse(value);
      if (prop.success) {
        title = joinPlain(prop.data.title);
        break;
      }
    }
  }
  if (title === '' && meta?.title !== undefined) title = joinPlain(plainTextItems.parse(meta.title));
  if (title === '' && meta) title = meta.child_page?.title ?? meta.child_database?.title ?? '';
  title = title.trim();
  return title === '' ? 'Untitled' : title;
}

/** Page/database icon; `file` icon URLs are signed and expire. Native Notion icons (`type: icon`) yield null. */
export function pageIcon(
  obj: unknown,
): { type: 'emoji'; emoji: string } | { type: 'external' | 'file' | 'custom_emoji'; url: string } | null {
  const icon = readMeta(obj)?.icon;
  if (!icon) return null;
  switch (icon.type) {
    case 'emoji':
      return icon.emoji ? { type: 'emoji', emoji: icon.emoji } : null;
    case 'external':
      return icon.external ? { type: 'external', url: icon.external.url } : null;
    case 'file':
      return icon.file ? { type: 'file', url: icon.file.url } : null;
    case 'custom_emoji':
      return icon.custom_emoji?.url ? { type: 'custom_emoji', url: icon.custom_emoji.url } : null;
    default:
      return null;
  }
}

/** Cover image URL (external or Notion-hosted, the latter expiring), or null. */
export function pageCover(obj: unknown): string | null {
  const cover = readMeta(obj)?.cover;
  if (!cover) return null;
  return (
    (cover.type === 'external' ? cover.external?.url : cover.type === 'file' ? cover.file?.url : undefined) ?? null
  );
}

/** Canonical Notion URL for a page/database/block id. */
export function notionUrlForId(id: string): string {
  return `https://www.notion.so/${id.replaceAll('-', '')}`;
}

/** Whether the object is trashed: `in_trash`, falling back to the pre-2026-03-11 `archived`. */
export function isInTrash(obj: unknown): boolean {
  const meta = readMeta(obj);
  return meta?.in_trash ?? meta?.archived ?? false;
}
