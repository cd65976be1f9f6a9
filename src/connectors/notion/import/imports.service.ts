import { sql } from 'kysely';
import type { AppServices } from '../../../platform/app-services.ts';
import type { Actor } from '../../../platform/http/request-context.ts';
import type { AccessLevel } from '../../../platform/db/schema.ts';
import { withTenant } from '../../../platform/db/tenant-scope.ts';
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
export async function startImport(s: AppServices, actor: Actor, input: ImportRequest): Promise<{ importId: string }> {
  return enqueueImport(
    s,
    {
      tenantId: actor.tenantId,
      userId: actor.userId,
      audit: auditActor(actor),
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
    // The queue's tables belong to the owner role, not app_user; the tenant rows are written by now, so
    // the rest of this transaction runs as the owner again.
    await sql`reset role`.execute(trx);
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
export async function reimportDocument(s: AppServices, actor: Actor, documentId: string) {
  const doc = await withTenant(s.db, actor.tenantId, (trx) => getDocument(trx, documentId));
  if (doc.source !== 'notion' || !doc.source_id)
    throw appError('not_from_notion', 'Only documents imported from Notion can be re-imported.');
  return startImport(s, actor, {
    pageIds: [doc.source_id],
    accessLevel: doc.access_level,
  });
}

export async function importStatus(s: AppServices, actor: Actor, importId: string) {
  return withTenant(s.db, actor.tenantId, (trx) => getImportStatus(trx, importId));
}

/** Cancel what has not started; pages already importing finish. */
export async function cancelTenantImport(s: AppServices, actor: Actor, importId: string) {
  const cancelled = await withTenant(s.db, actor.tenantId, (trx) => cancelImport(trx, importId));
  const jobIds = await s.jobs.pendingJobIds(importPageJob, { importId });
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
  return startImport(ctx.s, ctx.actor, { pageIds: docs.map((d) => d.source_id!) });
}
