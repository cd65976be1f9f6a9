import type { AppServices } from '../../../platform/app-services.ts';
import type { AccessLevel } from '../../../platform/db/schema.ts';
import { leaveTenantScope, withTenant } from '../../../platform/db/tenant-scope.ts';
import { recordAudit, type AuditActor } from '../../../audit/audit.repo.ts';
import { auditActor } from '../../../audit/audit-actor.ts';
import { getDocument, getDocuments } from '../../../documents/documents.repo.ts';
import type { ActorContext } from '../../../platform/http/request-context.ts';
import { requireRole } from '../../../platform/http/request-context.ts';
import { appError } from '../../../platform/errors.ts';
import { requireConnectedIntegration } from '../connection.ts';
import { normalizePageId } from '../page-id.ts';
import { importPageJob } from './import-page.job.ts';
import { cancelImport, getImportStatus, insertImport } from './imports.repo.ts';

/**
 * Start importing pages: record the import and its items, then enqueue one job per page. Duplicate ids
 * (in any form) collapse to one item; documents are keyed by page id, so a double submit updates rather
 * than duplicates.
 */
export async function startImport(ctx: ActorContext, input: ImportRequest): Promise<{ importId: string }> {
  return enqueueImport(
    ctx.s,
    {
      tenantId: ctx.tenantId,
      userId: ctx.actor.userId,
      audit: auditActor(ctx.actor),
      origin: 'user',
    },
    input,
  );
}

/** Pages to import; a page's own level wins over the mapping from Notion, which wins over `accessLevel`. */
interface ImportRequest {
  pageIds: string[];
  accessLevel?: AccessLevel | undefined;
  pageLevels?: { pageId: string; accessLevel: AccessLevel }[] | undefined;
}

/** Start an import on behalf of a user or of the system (automatic re-import after a sync). */
export async function enqueueImport(
  s: AppServices,
  requester: {
    tenantId: string;
    userId: string | null;
    audit: AuditActor;
    origin: 'user' | 'sync';
  },
  input: ImportRequest,
): Promise<{ importId: string }> {
  const { tenantId } = requester;
  const integration = await requireConnectedIntegration(s, tenantId);
  const pageIds = [...new Set(input.pageIds.map(normalizePageId))];
  const pageLevels = new Map((input.pageLevels ?? []).map((p) => [normalizePageId(p.pageId), p.accessLevel]));
  return withTenant(s.db, tenantId, async (trx) => {
    const imp = await insertImport(trx, {
      tenantId,
      integrationId: integration.id,
      requestedBy: requester.userId,
      origin: requester.origin,
      accessLevel: input.accessLevel ?? 'internal',
      pages: pageIds.map((pageId) => ({ pageId, accessLevel: pageLevels.get(pageId) ?? null })),
    });
    await recordAudit(trx, {
      tenantId,
      actor: requester.audit,
      action: 'import.started',
      targetType: 'import',
      targetId: imp.importId,
      details: { pages: pageIds.length },
    });
    await leaveTenantScope(trx);
    for (const item of imp.items) {
      await s.jobs.sendInTransaction(
        importPageJob,
        {
          tenantId,
          integrationId: integration.id,
          importId: imp.importId,
          itemId: item.id,
          pageId: item.page_id,
        },
        trx,
      );
    }
    return { importId: imp.importId };
  });
}

/** Re-import one Notion-linked document through the importer (its access level is kept). */
export async function reimportDocument(ctx: ActorContext, input: { documentId: string }) {
  const doc = await withTenant(ctx.s.db, ctx.tenantId, (trx) => getDocument(trx, input.documentId));
  if (doc.source !== 'notion' || !doc.source_id)
    throw appError('not_from_notion', 'Only documents imported from Notion can be re-imported.');
  return startImport(ctx, {
    pageIds: [doc.source_id],
    accessLevel: doc.access_level,
  });
}

export async function importStatus(ctx: ActorContext, input: { importId: string }) {
  return withTenant(ctx.s.db, ctx.tenantId, (trx) => getImportStatus(trx, input.importId));
}

/** Cancel what has not started; pages already importing finish. */
export async function cancelTenantImport(ctx: ActorContext, input: { importId: string }) {
  const { s } = ctx;
  const cancelled = await withTenant(s.db, ctx.tenantId, (trx) => cancelImport(trx, input.importId));
  const jobIds = await s.jobs.pendingJobIds(importPageJob, { importId: input.importId });
  await s.jobs.cancel(importPageJob, jobIds);
  return { cancelled: cancelled.length };
}

/** Re-import several Notion-linked documents in one import (their access levels are kept). */
export async function reimportDocuments(ctx: ActorContext, input: { documentIds: string[] }) {
  requireRole(ctx.actor, 'content_manager');
  const docs = await withTenant(ctx.s.db, ctx.tenantId, (trx) => getDocuments(trx, input.documentIds));
  const notFromNotion = docs.filter((d) => d.source !== 'notion' || !d.source_id);
  if (notFromNotion.length > 0)
    throw appError(
      'not_from_notion',
      `Only documents imported from Notion can be re-imported (not "${notFromNotion[0]!.title}").`,
    );
  return startImport(ctx, { pageIds: docs.map((d) => d.source_id!) });
}
