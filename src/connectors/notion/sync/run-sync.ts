import type { AppServices } from '../../../platform/app-services.ts';
import { withTenant, type Tx } from '../../../platform/db/tenant-scope.ts';
import type { DocumentRow, IntegrationRow } from '../../../platform/db/schema.ts';
import { documentTitle } from '../import/source-fields.ts';
import { AppError, isAppError } from '../../../platform/errors.ts';
import { findNotionIntegration } from '../../../integrations/connections.repo.ts';
import { gatewayForIntegration, markNeedsReauthOn } from '../connection.ts';
import { notionErrorKind } from '../errors.ts';
import type { NotionGateway } from '../gateway.ts';
import type { NotionPage } from '../gateway-types.ts';
import { enqueueImport } from '../import/imports.service.ts';
import { SYNC_ACTOR } from '../import/import-page.job.ts';
import { applyPageMetadata, applyPageReading, readLinkedPage, type PageReading } from './apply-page.ts';
import { changedPagesNotQueued, linkedDocuments, linkedDocumentsAfter } from './linked-documents.repo.ts';
import { getSyncState, recordSyncFailure, recordSyncSuccess, setSyncState } from './sync-states.repo.ts';
import { expireRunLease, finishRun, markRunning, recordProgress, touchRun, type RunCounts } from './sync-runs.repo.ts';
import { keepLeaseAlive } from '../lease.ts';
import { isConnectionError } from '../../../platform/db/errors.ts';

const SEARCH_PAGE_SIZE = 100;
const RECONCILE_BATCH = 50;

interface RunContext {
  s: AppServices;
  tenantId: string;
  runId: string;
  /** This worker's claim on the run; checkpoints are kept only while it still holds. */
  attempt: number;
  integration: IntegrationRow;
  gateway: NotionGateway;
  counts: RunCounts;
  /** Pages the delta pass already refreshed; the reconcile pass does not read them again. */
  seen: Set<string>;
}

/**
 * One sync run of a connection: a delta pass (search newest-edited first, stop at the previous
 * high-water mark), then, at most daily or when asked, a reconcile pass that reads every linked page
 * the delta did not see, to notice pages that were trashed, unshared or deleted. Every result page is a
 * checkpoint (cursor + progress on the sync state), so a run that dies resumes where it stopped.
 */
export async function runSync(
  s: AppServices,
  p: {
    tenantId: string;
    integrationId: string;
    runId: string;
    reconcile: boolean;
    jobId: string;
  },
): Promise<void> {
  const attempt = await withTenant(s.db, p.tenantId, (trx) => markRunning(trx, p.runId, p.jobId));
  if (attempt === null) return;
  const counts: RunCounts = {
    pagesChecked: 0,
    pagesChanged: 0,
    pagesMissing: 0,
    notionCalls: 0,
  };
  const integration = await withTenant(s.db, p.tenantId, findNotionIntegration);
  if (!integration || integration.id !== p.integrationId) {
    await withTenant(s.db, p.tenantId, (trx) =>
      finishRun(trx, p.runId, attempt, {
        status: 'cancelled',
        error: 'Notion was disconnected.',
        counts,
      }),
    );
    return;
  }
  if (integration.status === 'needs_reauth') {
    await withTenant(s.db, p.tenantId, async (trx) => {
      await finishRun(trx, p.runId, attempt, {
        status: 'failed',
        error: 'Syncing is paused until Notion is reconnected.',
        counts,
      });
      await setSyncState(trx, integration.id, { status: 'paused' });
    });
    return;
  }
  const gateway = gatewayForIntegration(s, integration);
  const ctx: RunContext = {
    s,
    tenantId: p.tenantId,
    runId: p.runId,
    attempt,
    integration,
    gateway,
    counts,
    seen: new Set(),
  };
  // Checkpoints also beat the heart, but a run waiting its turn at the rate limiter behind large imports
  // can go minutes without one; the timer keeps the reaper from taking a live run for a dead one.
  const lease = keepLeaseAlive(s, 'sync run', p.runId, () =>
    withTenant(s.db, p.tenantId, (trx) => touchRun(trx, p.runId, attempt)),
  );
  let succeeded = false;
  try {
    const state = await withTenant(s.db, p.tenantId, async (trx) => {
      await setSyncState(trx, integration.id, { status: 'running' });
      return getSyncState(trx, integration.id);
    });
    if (state.stage !== 'reconcile') await deltaPass(ctx, state);
    const reconcileDue =
      !state.last_reconcile_at ||
      Date.now() - state.last_reconcile_at.getTime() >= s.config.RECONCILE_INTERVAL_HOURS * 3600_000;
    const reconciled = p.reconcile || reconcileDue || state.stage === 'reconcile';
    if (reconciled) await reconcilePass(ctx, state.stage === 'reconcile' ? (state.cursor ?? '') : '');
    counts.notionCalls = gateway.callCount();
    await withTenant(s.db, p.tenantId, async (trx) => {
      await recordSyncSuccess(trx, integration.id, { reconciled });
      // A scheduled delta that found the daily reconcile due reports itself as a reconcile run.
      await finishRun(trx, p.runId, attempt, {
        status: 'succeeded',
        counts,
        mode: reconciled ? 'reconcile' : 'delta',
      });
    });
    succeeded = true;
  } catch (err) {
    if (isAppError(err) && err.code === RUN_STOPPED) return;
    // A lost database connection says nothing about Notion: the run goes back to the queue (its lease
    // expires now, or by itself if the database is still away) and resumes from its last checkpoint.
    if (isConnectionError(err)) {
      s.logger.warn({ err, runId: p.runId }, 'sync run lost its database connection');
      await expireRunLease(s.db, p.runId).catch(() => undefined);
      return;
    }
    counts.notionCalls = gateway.callCount();
    await markNeedsReauthOn(s, p.tenantId, integration, err);
    const paused = notionErrorKind(err) === 'notion_unauthorized';
    s.logger.warn({ err, runId: p.runId }, 'sync run failed');
    // A cursor Notion refuses (expired, or from another connection) would fail every resumed run the
    // same way; dropping it makes the next run start the pass again from the high-water mark.
    const badCheckpoint = notionErrorKind(err) === 'notion_invalid_request';
    await withTenant(s.db, p.tenantId, async (trx) => {
      await recordSyncFailure(trx, integration.id, { paused, dropCheckpoint: badCheckpoint });
      await finishRun(trx, p.runId, attempt, {
        status: 'failed',
        error: isAppError(err) ? err.message : 'Unexpected error during sync.',
        counts,
      });
    });
  } finally {
    lease.stop();
  }
  if (succeeded) {
    await reimportChanged(s, p.tenantId).catch((err: unknown) =>
      s.logger.warn({ err, runId: p.runId }, 'reading changed pages could not be started'),
    );
  }
}

type StateRow = {
  stage: string;
  cursor: string | null;
  high_water_mark: Date | null;
  pending_high_water_mark: Date | null;
};

async function deltaPass(ctx: RunContext, state: StateRow): Promise<void> {
  const resuming = state.stage === 'delta';
  let cursor = resuming ? (state.cursor ?? undefined) : undefined;
  // Starts at the current mark so that re-reading the overlap window never moves the mark backwards.
  let pending = resuming ? state.pending_high_water_mark : state.high_water_mark;
  // Notion's search index lags behind edits: an edit indexed after a run that already saw newer ones would sit
  // behind the mark until the daily reconcile. Re-reading a window behind the mark catches it on the next run;
  // pages already applied at the same edit time cost nothing but their place on the search page.
  const overlapMs = ctx.s.config.NOTION_SYNC_OVERLAP_MINUTES * 60_000;
  const mark = state.high_water_mark ? state.high_water_mark.getTime() - overlapMs : null;
  for (;;) {
    const list = await ctx.gateway.search({
      type: 'page',
      sort: 'last_edited_desc',
      cursor,
      pageSize: SEARCH_PAGE_SIZE,
    });
    const pages = list.results.filter((r): r is NotionPage => r.object === 'page');
    // Notion rounds edit times to the minute, so pages edited exactly at the mark are read again (harmlessly).
    const fresh = mark === null ? pages : pages.filter((page) => Date.parse(page.lastEditedTime) >= mark);
    const reachedMark = fresh.length < pages.length;
    for (const page of fresh) {
      if (!pending || Date.parse(page.lastEditedTime) > pending.getTime()) pending = new Date(page.lastEditedTime);
    }
    cursor = reachedMark ? undefined : (list.nextCursor ?? undefined);
    const nextCursor = cursor;
    const pendingMark = pending;
    await withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
      await refreshPages(ctx, trx, fresh);
      await setSyncState(
        trx,
        ctx.integration.id,
        nextCursor
          ? {
              stage: 'delta',
              cursor: nextCursor,
              pending_high_water_mark: pendingMark,
            }
          : {
              stage: 'reconcile',
              cursor: '',
              high_water_mark: pendingMark ?? state.high_water_mark,
              pending_high_water_mark: null,
            },
      );
      await keepCheckpoint(ctx, trx);
    });
    if (!cursor) return;
  }
}

async function refreshPages(ctx: RunContext, trx: Tx, pages: NotionPage[]): Promise<void> {
  const docs = await linkedDocuments(
    trx,
    pages.map((p) => p.id),
  );
  // What a person reads as "checked": the linked pages among Notion's answer, not every page it returned.
  ctx.counts.pagesChecked += docs.size;
  for (const page of pages) {
    const doc = docs.get(page.id);
    if (!doc) continue;
    ctx.seen.add(page.id);
    if (alreadyApplied(doc, page)) continue;
    if (await applyPageMetadata(trx, doc, page)) ctx.counts.pagesChanged += 1;
  }
}

/** The document already mirrors this search result (an earlier run or a live update applied it): no write. */
function alreadyApplied(doc: DocumentRow, page: NotionPage): boolean {
  return (
    doc.source_last_edited_time?.getTime() === Date.parse(page.lastEditedTime) &&
    doc.source_status === (page.inTrash ? 'trashed' : 'ok') &&
    doc.title === documentTitle(page)
  );
}

async function reconcilePass(ctx: RunContext, startAfter: string): Promise<void> {
  let after = startAfter;
  for (;;) {
    const batch = await withTenant(ctx.s.db, ctx.tenantId, (trx) => linkedDocumentsAfter(trx, after, RECONCILE_BATCH));
    if (batch.length === 0) return;
    const results: { doc: (typeof batch)[number]; reading: PageReading }[] = [];
    for (const doc of batch) {
      if (ctx.seen.has(doc.source_id!)) continue;
      results.push({ doc, reading: await readLinkedPage(ctx.gateway, doc.source_id!) });
    }
    after = batch[batch.length - 1]!.source_id!;
    const checkpoint = after;
    await withTenant(ctx.s.db, ctx.tenantId, async (trx) => {
      for (const r of results) {
        ctx.counts.pagesChecked += 1;
        if (!r.reading.page || r.reading.page.inTrash) ctx.counts.pagesMissing += 1;
        if (await applyPageReading(trx, r.doc, r.reading)) ctx.counts.pagesChanged += 1;
      }
      await setSyncState(trx, ctx.integration.id, {
        stage: 'reconcile',
        cursor: checkpoint,
      });
      await keepCheckpoint(ctx, trx);
    });
  }
}

const RUN_STOPPED = 'sync_run_stopped';

/**
 * Last statement of every checkpoint transaction. A run cancelled by a disconnect (or given up by the
 * reaper) may still have a Notion answer in flight; rolling its checkpoint back keeps it from undoing
 * what the disconnect wrote (documents marked disconnected) and stops it from calling Notion again.
 * Checked last so that, like the disconnect, it takes document rows before the run row (no deadlock).
 */
async function keepCheckpoint(ctx: RunContext, trx: Tx): Promise<void> {
  ctx.counts.notionCalls = ctx.gateway.callCount();
  if (!(await recordProgress(trx, ctx.runId, ctx.attempt, ctx.counts))) {
    throw new AppError({
      code: RUN_STOPPED,
      message: 'The sync run was cancelled.',
    });
  }
}

/**
 * Content that changed in Notion is read again into a revision: it waits for review, or is published at
 * once when the tenant chose so (the documents module decides). The documents to read are taken from the
 * database rather than remembered by this run, so pages flagged by an earlier run that crashed are not
 * forgotten; pages already queued for import are left alone.
 */
export async function reimportChanged(s: AppServices, tenantId: string): Promise<void> {
  const pageIds = await withTenant(s.db, tenantId, changedPagesNotQueued);
  if (pageIds.length === 0) return;
  await enqueueImport(s, { tenantId, userId: null, audit: SYNC_ACTOR, origin: 'sync' }, { pageIds });
}
