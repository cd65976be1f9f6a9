import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eServer } from '../support/e2e.ts';
import { Session } from '../support/test-app.ts';
import { SandboxClient, connectNotion, eventually, waitForImport } from '../support/sandbox-client.ts';
import { DEMO } from '../../src/app/demo-tenant.ts';
import { createTenantWithAdmin } from '../../src/accounts/tenant-setup.ts';
import { DEMO_IDS } from '../../src/sandbox/demo-workspace/workspace.ts';
import { demoWorkspace } from '../../src/sandbox/demo-workspace/workspace.ts';
import { withNotion } from '../../src/connectors/notion/connection.ts';
import { importPage } from '../../src/connectors/notion/import/import-page.ts';
import type { RunningServer } from '../../src/app/server.ts';
import { reapStaleWork } from '../../src/connectors/notion/reaper.ts';
import type { DocumentDto } from '../../src/contracts/documents.ts';
import type { ImportStatus, NotionSearchPage } from '../../src/contracts/integrations.ts';

let server: RunningServer;
let admin: Session;
let viewer: Session;
let sandbox: SandboxClient;

const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await res).json() as Promise<T>;

async function importPages(session: Session, pageIds: string[], accessLevel?: string): Promise<ImportStatus> {
  const res = await session.request('/api/notion/imports', {
    method: 'POST',
    json: { pageIds, ...(accessLevel ? { accessLevel } : {}) },
  });
  expect(res.status).toBe(202);
  const { importId } = await json<{ importId: string }>(res);
  return waitForImport(session, importId);
}

const getDoc = (id: string) => json<DocumentDto>(admin.request(`/api/documents/${id}`));

async function notionDocumentRows() {
  return server.runtime.services.db
    .selectFrom('documents')
    .selectAll()
    .where('source', '=', 'notion')
    .orderBy('source_id')
    .execute();
}

const THREE = [DEMO_IDS.securityOverview, DEMO_IDS.incidentResponse, DEMO_IDS.dataProcessingAddendum];

beforeAll(async () => {
  // The limiter is Notion's (3 req/s) by default; these tests are about outcomes, not pacing.
  server = await startE2eServer({
    NOTION_RATE_LIMIT_RPS: '100',
    NOTION_RATE_LIMIT_BURST: '100',
  });
  admin = await Session.signIn(server.url, DEMO.admin, DEMO.password);
  viewer = await Session.signIn(server.url, DEMO.viewer, DEMO.password);
  sandbox = await SandboxClient.discover(server.url);
  await connectNotion(admin, sandbox);
});
afterAll(async () => server?.close());

describe('importing from Notion (sandbox)', () => {
  it('search finds the demo pages and the Security Policies database, and the database lists its pages', async () => {
    const pages = await json<NotionSearchPage>(admin.request('/api/notion/search?type=page'));
    const titles = pages.items.map((i) => i.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Acme Security Overview',
        'Incident Response Plan',
        'Data Processing Addendum',
        'Business Continuity Plan',
        'Vulnerability Disclosure Policy',
      ]),
    );
    const overview = pages.items.find((i) => i.id === DEMO_IDS.securityOverview)!;
    expect(overview).toMatchObject({
      object: 'page',
      icon: { type: 'emoji', emoji: '🛡️' },
      importedDocumentId: null,
      lastEditedTime: '2026-04-22T11:47:00.000Z',
    });
    expect(overview.url).toMatch(/^https:\/\//);

    const q = await json<NotionSearchPage>(admin.request('/api/notion/search?q=Incident'));
    expect(q.items.map((i) => i.title)).toContain('Incident Response Plan');

    const dbs = await json<NotionSearchPage>(admin.request('/api/notion/search?type=database'));
    const policies = dbs.items.find((i) => i.title === 'Security Policies');
    expect(policies).toMatchObject({ object: 'database' });
    const rows = await json<NotionSearchPage>(admin.request(`/api/notion/databases/${policies!.id}/pages`));
    expect(rows.items.map((i) => i.title).sort()).toEqual([
      'Acceptable Use Policy',
      'Access Control Policy',
      'Data Retention Policy',
      'Encryption Policy',
    ]);
    expect(rows.items.every((i) => i.parent.type === 'data_source' || i.parent.type === 'database_id')).toBe(true);
  });

  it('a viewer may neither search nor import', async () => {
    expect((await viewer.request('/api/notion/search?q=Security')).status).toBe(403);
    expect(
      (
        await viewer.request('/api/notion/imports', {
          method: 'POST',
          json: { pageIds: [DEMO_IDS.securityOverview] },
        })
      ).status,
    ).toBe(403);
  });

  it('three pages, one holding a PDF, become two Markdown documents and one file document with source metadata', async () => {
    const imp = await importPages(admin, THREE);
    expect(imp).toMatchObject({
      status: 'completed',
      total: 3,
      done: 3,
      failed: 0,
      accessLevel: 'internal',
    });
    expect(imp.items.map((i) => i.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);

    const docs = await Promise.all(imp.items.map((i) => getDoc(i.documentId!)));
    const [overview, incident, dpa] = docs as [DocumentDto, DocumentDto, DocumentDto];
    expect(overview.kind).toBe('markdown');
    expect(incident.kind).toBe('markdown');
    expect(dpa.kind).toBe('file');
    expect(overview.markdown).toContain('# Security at Acme');
    expect(overview.markdown).toContain('**defence-in-depth**');
    expect(incident.markdown).toContain('Incident commander assigned');
    for (const doc of docs) expect(doc.accessLevel).toBe('internal');

    expect(overview).toMatchObject({
      title: 'Acme Security Overview',
      source: 'notion',
      sourceId: DEMO_IDS.securityOverview,
      sourceStatus: 'ok',
      updateAvailable: false,
      sourceCreatedTime: '2026-03-01T08:30:00.000Z',
      sourceLastEditedTime: '2026-04-22T11:47:00.000Z',
      sourceIcon: { type: 'emoji', emoji: '🛡️' },
      sourceParent: { type: 'workspace' },
    });
    expect(overview.sourceUrl).toMatch(/^https:\/\/.*notion.*be115c144c9b467e8442a3ab40832d26$/);
    expect(overview.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(overview.syncedAt).not.toBeNull();

    expect(dpa).toMatchObject({
      title: 'Data Processing Addendum',
      sourceId: DEMO_IDS.dataProcessingAddendum,
      sourceIcon: { type: 'emoji', emoji: '📑' },
      markdown: null,
    });
    expect(dpa.file).toMatchObject({ contentType: 'application/pdf' });
    const download = await admin.request(`/api/documents/${dpa.id}/file`);
    expect(download.status).toBe(200);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const expectedPdf = Buffer.from(
      demoWorkspace().files!.find((f) => f.contentType === 'application/pdf')!.bytesBase64,
      'base64',
    );
    expect(bytes.equals(expectedPdf)).toBe(true);
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(dpa.file!.sha256);
    expect(dpa.contentHash).toBe(dpa.file!.sha256);

    // Search now marks the pages as imported.
    const search = await json<NotionSearchPage>(admin.request('/api/notion/search?type=page'));
    expect(search.items.find((i) => i.id === DEMO_IDS.dataProcessingAddendum)!.importedDocumentId).toBe(dpa.id);
  });

  it('importing them again changes nothing, and a double submit never makes two documents', async () => {
    const before = await notionDocumentRows();
    expect(before).toHaveLength(3);
    const fresh = DEMO_IDS.businessContinuity;
    // The same batch submitted twice at once (a double click), one page of it new, one id in another form.
    const batch = [...THREE, fresh, fresh.replaceAll('-', '').toUpperCase()];
    const submits = await Promise.all(
      [0, 1].map(() =>
        admin.request('/api/notion/imports', {
          method: 'POST',
          json: { pageIds: batch },
        }),
      ),
    );
    const imports = await Promise.all(
      submits.map(async (res) => waitForImport(admin, (await json<{ importId: string }>(res)).importId)),
    );
    for (const imp of imports) {
      expect(imp).toMatchObject({
        status: 'completed',
        total: 4,
        done: 4,
        failed: 0,
      });
      expect(imp.items.slice(0, 3).map((i) => i.documentId)).toEqual(
        THREE.map((id) => before.find((d) => d.source_id === id)!.id),
      );
    }
    const after = await notionDocumentRows();
    expect(after).toHaveLength(4);
    const unchanged = after.filter((d) => d.source_id !== fresh);
    expect(unchanged.map((d) => [d.id, d.updated_at.toISOString(), d.content_hash, d.file_key])).toEqual(
      before.map((d) => [d.id, d.updated_at.toISOString(), d.content_hash, d.file_key]),
    );
    const created = after.find((d) => d.source_id === fresh)!;
    expect(imports.map((imp) => imp.items[3]!.documentId)).toEqual([created.id, created.id]);
  });

  it('two imports of the same new page racing each other end with one document', async () => {
    const s = server.runtime.services;
    const tenantId = admin.tenantId;
    const pageId = DEMO_IDS.policies.encryption;
    const importOnce = () =>
      withNotion(s, tenantId, (gateway) =>
        importPage(s, gateway, {
          tenantId,
          pageId,
          accessLevel: undefined,
          actor: { type: 'system', id: null, label: 'test' },
        }),
      );
    const [a, b] = await Promise.all([importOnce(), importOnce()]);
    expect(a.document.id).toBe(b.document.id);
    expect((await notionDocumentRows()).filter((d) => d.source_id === pageId)).toHaveLength(1);
  });

  it('an unknown or unshared page fails with a clear message while the others succeed; the batch access level applies', async () => {
    await sandbox.editPage(DEMO_IDS.policies.dataRetention, { shared: false });
    const unknown = '0badc0de-0000-4000-8000-000000000000';
    const imp = await importPages(
      admin,
      [DEMO_IDS.vulnerabilityDisclosure, unknown, DEMO_IDS.policies.dataRetention, DEMO_IDS.policies.accessControl],
      'public',
    );
    expect(imp).toMatchObject({
      status: 'completed',
      total: 4,
      done: 4,
      failed: 2,
    });
    const byPage = new Map(imp.items.map((i) => [i.pageId, i]));
    for (const missing of [unknown, DEMO_IDS.policies.dataRetention]) {
      const item = byPage.get(missing)!;
      expect(item).toMatchObject({ status: 'failed', documentId: null });
      expect(item.error).toMatch(/not found|could not find|not shared|no access/i);
    }
    for (const ok of [DEMO_IDS.vulnerabilityDisclosure, DEMO_IDS.policies.accessControl]) {
      const item = byPage.get(ok)!;
      expect(item.status).toBe('succeeded');
      expect((await getDoc(item.documentId!)).accessLevel).toBe('public');
    }
    const policy = await getDoc(byPage.get(DEMO_IDS.policies.accessControl)!.documentId!);
    expect(policy.sourceParent).toMatchObject({ type: 'data_source' });
    // Markdown-special characters typed in Notion are escaped, so they render literally.
    const vdp = await getDoc(byPage.get(DEMO_IDS.vulnerabilityDisclosure)!.documentId!);
    expect(vdp.markdown).toContain('\\*before\\*');
    expect(await notionDocumentRows()).toHaveLength(7);
  });

  it('re-import after an edit in Notion reads the change into a revision of the same document; publishing it keeps the access level', async () => {
    const row = (await notionDocumentRows()).find((d) => d.source_id === DEMO_IDS.incidentResponse)!;
    await admin.request(`/api/documents/${row.id}`, {
      method: 'PATCH',
      json: { accessLevel: 'contacts' },
    });
    await sandbox.editPage(DEMO_IDS.incidentResponse, {
      title: 'Incident Response Plan v2',
      appendParagraph: 'Added after the tabletop exercise.',
    });
    const res = await admin.request(`/api/documents/${row.id}/reimport`, {
      method: 'POST',
    });
    expect(res.status).toBe(202);
    const imp = await waitForImport(admin, (await json<{ importId: string }>(res)).importId);
    expect(imp.items[0]).toMatchObject({
      status: 'succeeded',
      documentId: row.id,
    });
    const waiting = await getDoc(row.id);
    expect(waiting).toMatchObject({ title: row.title, contentHash: row.content_hash, updateAvailable: false });
    expect(waiting.pendingRevisionId).not.toBeNull();
    const published = await admin.request(`/api/documents/${row.id}/revisions/${waiting.pendingRevisionId}/publish`, {
      method: 'POST',
    });
    expect(published.status).toBe(200);
    const doc = await getDoc(row.id);
    expect(doc).toMatchObject({
      title: 'Incident Response Plan v2',
      accessLevel: 'contacts',
      pendingRevisionId: null,
    });
    expect(doc.markdown).toContain('Added after the tabletop exercise.');
    expect(doc.contentHash).not.toBe(row.content_hash);
    expect(Date.parse(doc.sourceLastEditedTime!)).toBeGreaterThan(row.source_last_edited_time!.getTime());
    expect((await notionDocumentRows()).filter((d) => d.source_id === DEMO_IDS.incidentResponse)).toHaveLength(1);
  });

  it('another tenant cannot see the import', async () => {
    const imp = await server.runtime.services.db.selectFrom('imports').select('id').executeTakeFirstOrThrow();
    await createTenantWithAdmin(server.runtime.services.db, {
      slug: 'other',
      name: 'Other',
      adminEmail: 'admin@other.test',
      adminPassword: DEMO.password,
    });
    const other = await Session.signIn(server.url, 'admin@other.test', DEMO.password);
    const res = await other.request(`/api/notion/imports/${imp.id}`);
    expect(res.status).toBe(404);
  });

  it('with "publish Notion changes automatically" on, a sync publishes pages changed in Notion instead of holding them for review', async () => {
    expect(
      (
        await admin.request('/api/settings', {
          method: 'PATCH',
          json: { autoReimport: true },
        })
      ).status,
    ).toBe(200);
    try {
      const row = (await notionDocumentRows()).find((d) => d.source_id === DEMO_IDS.securityOverview)!;
      await sandbox.editPage(DEMO_IDS.securityOverview, {
        appendParagraph: 'Reviewed by the security team this quarter.',
      });
      const { syncRunId } = await json<{ syncRunId: string }>(
        admin.request('/api/integrations/notion/sync', {
          method: 'POST',
          json: {},
        }),
      );
      await eventually(
        async () => {
          const runs = await json<{ items: { id: string; status: string }[] }>(
            admin.request('/api/integrations/notion/sync-runs'),
          );
          return runs.items.find((r) => r.id === syncRunId && r.status === 'succeeded');
        },
        45_000,
        'sync run',
      );
      const doc = await eventually(
        async () => {
          const d = await getDoc(row.id);
          return d.markdown?.includes('Reviewed by the security team this quarter.') ? d : null;
        },
        45_000,
        'automatic re-import',
      );
      expect(doc).toMatchObject({
        updateAvailable: false,
        accessLevel: row.access_level,
      });
      const audit = await json<{
        items: {
          action: string;
          actorLabel: string;
          targetId: string | null;
        }[];
      }>(admin.request(`/api/audit?targetId=${row.id}`));
      expect(audit.items.find((a) => a.action === 'document.revision_published')?.actorLabel).toBe('Notion sync');
    } finally {
      await admin.request('/api/settings', {
        method: 'PATCH',
        json: { autoReimport: false },
      });
    }
  });

  it('the reaper hands items left running by a dead worker back to the queue (once), and fails those out of attempts', async () => {
    const services = server.runtime.services;
    const db = services.db;
    const integration = await db.selectFrom('integrations').select('id').executeTakeFirstOrThrow();
    const imp = await db
      .insertInto('imports')
      .values({
        tenant_id: admin.tenantId,
        integration_id: integration.id,
        requested_by: admin.userId,
        access_level: 'internal',
        status: 'running',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const silentSince = new Date(Date.now() - 2 * 3600_000);
    const item = (pageId: string, position: number, attempts: number) => ({
      tenant_id: admin.tenantId,
      import_id: imp.id,
      position,
      page_id: pageId,
      status: 'running' as const,
      attempts,
      heartbeat_at: silentSince,
      job_id: crypto.randomUUID(),
    });
    await db
      .insertInto('import_items')
      .values([
        item(DEMO_IDS.businessContinuity, 0, 1),
        item(DEMO_IDS.incidentResponse, 1, services.config.WORK_MAX_ATTEMPTS),
      ])
      .execute();
    // Two reapers at once (two worker processes) take each item once.
    await Promise.all([reapStaleWork(services), reapStaleWork(services)]);
    const status = await waitForImport(admin, imp.id);
    expect(status).toMatchObject({ status: 'completed', done: 2, failed: 1 });
    expect(status.items[0]).toMatchObject({ status: 'succeeded', error: null });
    expect(status.items[1]!.error).toMatch(/interrupted 3 times/);
    const copies = await db
      .selectFrom('documents')
      .select('id')
      .where('source_id', '=', DEMO_IDS.businessContinuity)
      .execute();
    expect(copies).toHaveLength(1);
    const attempts = await db.selectFrom('import_items').select('attempts').where('import_id', '=', imp.id).execute();
    expect(attempts.map((a) => a.attempts).sort()).toEqual([2, 3]);
  });
});
