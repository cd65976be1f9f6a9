import { sql } from 'kysely';
import {
  OVERVIEW_KINDS,
  type OverviewItem,
  type OverviewItemInput,
  type OverviewKind,
} from '../contracts/overview-sections.ts';
import type { AccessLevel } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/tenant-scope.ts';
import { notFound } from '../platform/errors.ts';

/** How one section is arranged: where it sits on the overview and whether it is shown. */
export interface SectionPlacement {
  kind: OverviewKind;
  visible: boolean;
}

/** The sections in overview order; a tenant that never arranged them gets every kind, shown, in the default order. */
export async function readSectionPlacements(trx: Tx): Promise<SectionPlacement[]> {
  const rows = await trx.selectFrom('overview_sections').select(['kind', 'position', 'visible']).execute();
  const stored = new Map(rows.map((r) => [r.kind, r]));
  const rank = (kind: OverviewKind) => stored.get(kind)?.position ?? OVERVIEW_KINDS.indexOf(kind);
  return [...OVERVIEW_KINDS]
    .sort((a, b) => rank(a) - rank(b) || OVERVIEW_KINDS.indexOf(a) - OVERVIEW_KINDS.indexOf(b))
    .map((kind) => ({ kind, visible: stored.get(kind)?.visible ?? true }));
}

/** Store the order and visibility of every section (the caller passes each kind once). */
export async function saveSectionPlacements(trx: Tx, tenantId: string, sections: SectionPlacement[]): Promise<void> {
  const now = new Date();
  await trx
    .insertInto('overview_sections')
    .values(
      sections.map((s, position) => ({
        tenant_id: tenantId,
        kind: s.kind,
        position,
        visible: s.visible,
        updated_at: now,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['tenant_id', 'kind']).doUpdateSet((eb) => ({
        position: eb.ref('excluded.position'),
        visible: eb.ref('excluded.visible'),
        updated_at: now,
      })),
    )
    .execute();
}

/** Mark a section as changed now (an entry was added, edited, moved or removed). */
async function touchSection(trx: Tx, tenantId: string, kind: OverviewKind): Promise<void> {
  await trx
    .insertInto('overview_sections')
    .values({ tenant_id: tenantId, kind, position: OVERVIEW_KINDS.indexOf(kind), updated_at: new Date() })
    .onConflict((oc) => oc.columns(['tenant_id', 'kind']).doUpdateSet({ updated_at: new Date() }))
    .execute();
}

/** When any section last changed, or null when none ever did. */
export async function lastSectionChange(trx: Tx): Promise<Date | null> {
  const row = await trx
    .selectFrom('overview_sections')
    .select((eb) => eb.fn.max('updated_at').as('at'))
    .executeTakeFirst();
  return row?.at ?? null;
}

const itemQuery = (trx: Tx) =>
  trx
    .selectFrom('overview_items as i')
    .leftJoin('documents as d', 'd.id', 'i.document_id')
    .select([
      'i.id',
      'i.kind',
      'i.fields',
      'i.document_id',
      'i.updated_at',
      'd.title as document_title',
      'd.access_level as document_access_level',
    ]);
type ItemRow = Awaited<ReturnType<ReturnType<typeof itemQuery>['executeTakeFirstOrThrow']>>;

/** An entry as stored: its fields were validated by the kind's schema when written. */
function toItem(row: ItemRow): OverviewItem {
  const meta = { id: row.id, updatedAt: row.updated_at.toISOString() };
  if (row.kind !== 'certifications') return { ...row.fields, ...meta, kind: row.kind } as OverviewItem;
  const document =
    row.document_id && row.document_title !== null
      ? { id: row.document_id, title: row.document_title, accessLevel: row.document_access_level as AccessLevel }
      : null;
  return {
    ...(row.fields as Omit<Extract<OverviewItem, { kind: 'certifications' }>, 'documentId'>),
    ...meta,
    kind: 'certifications',
    documentId: document?.id ?? null,
    document,
  };
}

/** Every entry, grouped by kind in section order: by position, security updates newest first. */
export async function listOverviewItems(trx: Tx): Promise<Map<OverviewKind, OverviewItem[]>> {
  const rows = await itemQuery(trx)
    .orderBy('i.kind')
    .orderBy(sql`case when i.kind = 'updates' then i.fields->>'date' end`, 'desc')
    .orderBy('i.position')
    .orderBy('i.id')
    .execute();
  const byKind = new Map<OverviewKind, OverviewItem[]>(OVERVIEW_KINDS.map((k) => [k, []]));
  for (const row of rows) byKind.get(row.kind)!.push(toItem(row));
  return byKind;
}

/** One entry, or 404 (also for another tenant's id). */
export async function getOverviewItem(trx: Tx, id: string): Promise<OverviewItem> {
  const row = await itemQuery(trx).where('i.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Entry');
  return toItem(row);
}

/** How many entries a section has. */
export async function countOverviewItems(trx: Tx, kind: OverviewKind): Promise<number> {
  const row = await trx
    .selectFrom('overview_items')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The stored columns of an entry: the linked document has its own column, the rest is the kind's fields. */
function columns(input: OverviewItemInput) {
  if (input.kind !== 'certifications') {
    const { kind: _kind, ...fields } = input;
    return { fields: JSON.stringify(fields), document_id: null };
  }
  const { kind: _kind, documentId, ...fields } = input;
  return { fields: JSON.stringify(fields), document_id: documentId };
}

/** Add an entry at the end of its section. */
export async function insertOverviewItem(
  trx: Tx,
  tenantId: string,
  input: OverviewItemInput,
  userId: string,
): Promise<string> {
  const last = await trx
    .selectFrom('overview_items')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('kind', '=', input.kind)
    .executeTakeFirst();
  const row = await trx
    .insertInto('overview_items')
    .values({
      tenant_id: tenantId,
      kind: input.kind,
      position: (last?.p ?? -1) + 1,
      ...columns(input),
      updated_at: new Date(),
      updated_by: userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await touchSection(trx, tenantId, input.kind);
  return row.id;
}

/** Replace an entry's fields (its kind stays). */
export async function updateOverviewItem(
  trx: Tx,
  tenantId: string,
  id: string,
  input: OverviewItemInput,
  userId: string,
): Promise<void> {
  await trx
    .updateTable('overview_items')
    .set({ ...columns(input), updated_at: new Date(), updated_by: userId })
    .where('id', '=', id)
    .execute();
  await touchSection(trx, tenantId, input.kind);
}

/** Remove an entry (its section counts as changed). */
export async function deleteOverviewItem(trx: Tx, tenantId: string, item: OverviewItem): Promise<void> {
  await trx.deleteFrom('overview_items').where('id', '=', item.id).execute();
  await touchSection(trx, tenantId, item.kind);
}

/** Number the section's entries in the given order (the caller checked it names each entry once). */
export async function saveItemOrder(trx: Tx, tenantId: string, kind: OverviewKind, ids: string[]): Promise<void> {
  for (const [position, id] of ids.entries()) {
    await trx.updateTable('overview_items').set({ position }).where('id', '=', id).where('kind', '=', kind).execute();
  }
  await touchSection(trx, tenantId, kind);
}
