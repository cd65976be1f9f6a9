import { sql } from 'kysely';
import type { Tx } from '../../platform/db/tenant-scope.ts';
import type { AccessMapping } from '../../contracts/integrations.ts';

/** The tenant's access-level mapping, or null when none is set. */
export async function findAccessMapping(trx: Tx): Promise<AccessMapping | null> {
  const row = await trx.selectFrom('notion_access_mappings').selectAll().executeTakeFirst();
  if (!row) return null;
  return {
    dataSourceId: row.data_source_id,
    propertyName: row.property_name,
    options: row.options,
    publishMorePublic: row.publish_more_public,
  };
}

/** Set (or, with null, remove) the tenant's mapping. */
export async function writeAccessMapping(
  trx: Tx,
  input: { tenantId: string; userId: string; mapping: AccessMapping | null },
): Promise<void> {
  if (!input.mapping) {
    await trx.deleteFrom('notion_access_mappings').execute();
    return;
  }
  const values = {
    data_source_id: input.mapping.dataSourceId,
    property_name: input.mapping.propertyName,
    options: JSON.stringify(input.mapping.options),
    publish_more_public: input.mapping.publishMorePublic,
    updated_by: input.userId,
  };
  await trx
    .insertInto('notion_access_mappings')
    .values({ tenant_id: input.tenantId, ...values })
    .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ ...values, updated_at: sql`now()` }))
    .execute();
}
