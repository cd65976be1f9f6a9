import type { AccessLevel } from '../../platform/db/schema.ts';
import type { ActorContext } from '../../platform/http/request-context.ts';
import { withTenant } from '../../platform/db/tenant-scope.ts';
import { auditAction } from '../../audit/audit-actor.ts';
import type { AccessMapping } from '../../contracts/integrations.ts';
import type { NotionPage } from './gateway-types.ts';
import { findAccessMapping, writeAccessMapping } from './access-mapping.repo.ts';

/** The option a page has in the mapped property (select or status), or null when it has none. */
export function accessOptionOf(mapping: AccessMapping, page: Pick<NotionPage, 'properties'>): string | null {
  const value = page.properties[mapping.propertyName];
  if (!value || (value.type !== 'select' && value.type !== 'status')) return null;
  const option = value[value.type] as { name?: unknown } | null | undefined;
  return typeof option?.name === 'string' ? option.name : null;
}

/**
 * The access level the mapping gives a page: null when the page lacks the property, has no option set, or
 * has an option the mapping does not name (such a page keeps the level it has).
 */
export function mappedAccessLevel(mapping: AccessMapping, page: Pick<NotionPage, 'properties'>): AccessLevel | null {
  const option = accessOptionOf(mapping, page);
  return option === null ? null : (mapping.options[option] ?? null);
}

/** The tenant's mapping (viewers may read it; the Integrations page shows it). */
export async function getAccessMapping(ctx: ActorContext): Promise<{ mapping: AccessMapping | null }> {
  return { mapping: await withTenant(ctx.s.db, ctx.tenantId, findAccessMapping) };
}

/** Set or remove the mapping (admin); the change is audited. It applies from the next import or sync. */
export async function saveAccessMapping(
  ctx: ActorContext,
  input: { mapping: AccessMapping | null },
): Promise<{ mapping: AccessMapping | null }> {
  await withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
    await writeAccessMapping(trx, { tenantId: ctx.tenantId, userId: ctx.actor.userId, mapping: input.mapping });
    await auditAction(trx, ctx, {
      action: input.mapping ? 'notion.access_mapping_saved' : 'notion.access_mapping_removed',
      targetType: 'integration',
      details: input.mapping
        ? {
            property: input.mapping.propertyName,
            options: input.mapping.options,
            publishMorePublic: input.mapping.publishMorePublic,
          }
        : {},
    });
  });
  return { mapping: input.mapping };
}
