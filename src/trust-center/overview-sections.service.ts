import { auditAction } from '../audit/audit-actor.ts';
import type {
  OverviewItem,
  OverviewItemInput,
  OverviewKind,
  OverviewSections,
  PutOverviewLayout,
} from '../contracts/overview-sections.ts';
import { getDocument } from '../documents/documents.repo.ts';
import { withTenant, type Tx } from '../platform/db/tenant-scope.ts';
import { appError } from '../platform/errors.ts';
import type { ActorContext } from '../platform/http/request-context.ts';
import {
  countOverviewItems,
  deleteOverviewItem,
  getOverviewItem,
  insertOverviewItem,
  listOverviewItems,
  readSectionPlacements,
  saveItemOrder,
  saveSectionPlacements,
  updateOverviewItem,
} from './overview-sections.repo.ts';

/** Entries one section may hold: enough for any real list, and a bound on what one overview page renders. */
const MAX_ITEMS_PER_SECTION = 200;

/** Every section in overview order with its entries, hidden ones included (the admin view). */
async function describeSections(trx: Tx): Promise<OverviewSections> {
  const [placements, items] = await Promise.all([readSectionPlacements(trx), listOverviewItems(trx)]);
  return { sections: placements.map((p) => ({ ...p, items: items.get(p.kind) ?? [] })) };
}

/** A section as the public overview shows it; the FAQ says what it was searched for. */
export type ShownSection = {
  [K in OverviewKind]: {
    kind: K;
    items: Extract<OverviewItem, { kind: K }>[];
    /** The FAQ search, when one was made: the items are its matches (possibly none). */
    query?: string;
  };
}[OverviewKind];

/** True when every word of the query occurs in the question or the answer (case-insensitive). */
function faqMatches(item: OverviewItem, words: string[]): boolean {
  if (item.kind !== 'faq') return false;
  const text = `${item.question}\n${item.answer}`.toLocaleLowerCase();
  return words.every((w) => text.includes(w));
}

/**
 * The sections shown on the public overview, in order, each with at least one entry. A FAQ search keeps
 * the FAQ section even without matches, so the visitor sees the search and its answer.
 */
export async function readShownSections(trx: Tx, input: { faqQuery?: string }): Promise<ShownSection[]> {
  const { sections } = await describeSections(trx);
  const words = (input.faqQuery ?? '').toLocaleLowerCase().split(/\s+/).filter(Boolean);
  return sections
    .filter((s) => s.visible && s.items.length > 0)
    .map(({ kind, items }) =>
      kind === 'faq' && words.length
        ? { kind, items: items.filter((i) => faqMatches(i, words)), query: input.faqQuery!.trim() }
        : { kind, items },
    ) as ShownSection[];
}

/** A certification's report must be a document of this workspace (the same 404 for any other id). */
async function checkLinkedDocument(trx: Tx, input: OverviewItemInput): Promise<void> {
  if (input.kind === 'certifications' && input.documentId) await getDocument(trx, input.documentId);
}

/** A short name of an entry for the audit log. */
const label = (item: OverviewItemInput | OverviewItem) =>
  item.kind === 'faq' ? item.question : item.kind === 'updates' ? item.title : item.name;

/** The overview sections as the admin app edits them. */
export function getOverviewSections(ctx: ActorContext): Promise<OverviewSections> {
  return withTenant(ctx.s.db, ctx.tenantId, describeSections);
}

/** Choose the order of the sections and which are shown (live on the public site at once). */
export function arrangeOverviewSections(ctx: ActorContext, input: PutOverviewLayout): Promise<OverviewSections> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    await saveSectionPlacements(trx, ctx.tenantId, input.sections);
    await auditAction(trx, ctx, {
      action: 'overview.arranged',
      targetType: 'overview',
      targetId: ctx.tenantId,
      details: {
        order: input.sections.map((s) => s.kind),
        hidden: input.sections.filter((s) => !s.visible).map((s) => s.kind),
      },
    });
    return describeSections(trx);
  });
}

/** Add an entry at the end of its section. */
export function createOverviewItem(ctx: ActorContext, input: OverviewItemInput): Promise<OverviewItem> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    if ((await countOverviewItems(trx, input.kind)) >= MAX_ITEMS_PER_SECTION)
      throw appError('invalid_input', `A section holds at most ${MAX_ITEMS_PER_SECTION} entries; remove one first.`);
    await checkLinkedDocument(trx, input);
    const id = await insertOverviewItem(trx, ctx.tenantId, input, ctx.actor.userId);
    await auditAction(trx, ctx, {
      action: 'overview_item.created',
      targetType: 'overview_item',
      targetId: id,
      details: { kind: input.kind, label: label(input) },
    });
    return getOverviewItem(trx, id);
  });
}

/** Replace an entry's fields; its kind cannot change (remove it and add one of the other kind). */
export function editOverviewItem(
  ctx: ActorContext,
  input: { id: string; item: OverviewItemInput },
): Promise<OverviewItem> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const current = await getOverviewItem(trx, input.id);
    if (current.kind !== input.item.kind)
      throw appError('invalid_input', `kind: this entry belongs to the ${current.kind} section.`);
    await checkLinkedDocument(trx, input.item);
    await updateOverviewItem(trx, ctx.tenantId, input.id, input.item, ctx.actor.userId);
    await auditAction(trx, ctx, {
      action: 'overview_item.edited',
      targetType: 'overview_item',
      targetId: input.id,
      details: { kind: input.item.kind, label: label(input.item) },
    });
    return getOverviewItem(trx, input.id);
  });
}

/** Remove an entry; it disappears from the public overview at once. */
export function removeOverviewItem(ctx: ActorContext, input: { id: string }): Promise<void> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const item = await getOverviewItem(trx, input.id);
    await deleteOverviewItem(trx, ctx.tenantId, item);
    await auditAction(trx, ctx, {
      action: 'overview_item.removed',
      targetType: 'overview_item',
      targetId: item.id,
      details: { kind: item.kind, label: label(item) },
    });
  });
}

/** Put a section's entries in a new order; the list must name each of its entries once. */
export function reorderOverviewItems(
  ctx: ActorContext,
  input: { kind: OverviewKind; ids: string[] },
): Promise<OverviewSections> {
  return withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    const current = (await listOverviewItems(trx)).get(input.kind) ?? [];
    const given = new Set(input.ids);
    if (given.size !== input.ids.length || given.size !== current.length || current.some((i) => !given.has(i.id)))
      throw appError('invalid_input', 'ids: list every entry of the section once (reload the page and try again).');
    await saveItemOrder(trx, ctx.tenantId, input.kind, input.ids);
    await auditAction(trx, ctx, {
      action: 'overview_item.reordered',
      targetType: 'overview',
      targetId: ctx.tenantId,
      details: { kind: input.kind },
    });
    return describeSections(trx);
  });
}
