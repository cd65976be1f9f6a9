import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eServer } from '../support/e2e.ts';
import { Session } from '../support/test-app.ts';
import { SandboxClient, connectNotion, eventually, syncNowAndWait } from '../support/sandbox-client.ts';
import { DEMO } from '../../src/app/demo-tenant.ts';
import { createTenantWithAdmin } from '../../src/accounts/tenant-setup.ts';
import { DEMO_IDS } from '../../src/sandbox/demo-workspace/workspace.ts';
import { saveSourceContent } from '../../src/documents/revisions.ts';
import type { RunningServer } from '../../src/app/server.ts';
import type { DocumentDto, Revision, RevisionDetail, RevisionDiff } from '../../src/contracts/documents.ts';
import type { ImportStatus } from '../../src/contracts/integrations.ts';

/**
 * Review before publish: newer content read from Notion waits as a revision while the trust center keeps
 * serving the published text; publishing swaps it in and keeps the history; dismissing keeps what is
 * published; the tenant may publish Notion changes automatically (still recorded as revisions).
 */
let server: RunningServer;
let admin: Session;
let viewer: Session;
let sandbox: SandboxClient;
let docId: string;

const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await res).json() as Promise<T>;
const getDoc = (id = docId) => json<DocumentDto>(admin.request(`/api/documents/${id}`));
const history = (id = docId) => json<{ items: Revision[] }>(admin.request(`/api/documents/${id}/revisions`));
const publicText = async (id = docId) => (await fetch(`${server.url}/t/acme/documents/${id}`)).text();

/** Edit the page in Notion and sync until the document has a revision waiting (or, with auto-publish, the text). */
async function editAndSync(edit: { title?: string; appendParagraph: string }): Promise<DocumentDto> {
  await sandbox.editPage(DEMO_IDS.securityOverview, edit);
  await syncNowAndWait(admin);
  return eventually(
    async () => {
      const doc = await getDoc();
      return doc.pendingRevisionId || doc.markdown?.includes(edit.appendParagraph) ? doc : null;
    },
    45_000,
    'the changed page to be read',
  );
}

beforeAll(async () => {
  server = await startE2eServer({ NOTION_RATE_LIMIT_RPS: '100', NOTION_RATE_LIMIT_BURST: '100' });
  admin = await Session.signIn(server.url, DEMO.admin, DEMO.password);
  viewer = await Session.signIn(server.url, DEMO.viewer, DEMO.password);
  sandbox = await SandboxClient.discover(server.url);
  await connectNotion(admin, sandbox);
  const res = await admin.request('/api/notion/imports', {
    method: 'POST',
    json: { pageIds: [DEMO_IDS.securityOverview], accessLevel: 'public' },
  });
  const { importId } = await json<{ importId: string }>(res);
  const imp = await eventually(
    async () => {
      const body = await json<ImportStatus>(admin.request(`/api/notion/imports/${importId}`));
      return body.status === 'completed' ? body : null;
    },
    45_000,
    'import',
  );
  docId = imp.items[0]!.documentId!;
});
afterAll(async () => server?.close());

describe('review before publish', () => {
  it('a new import starts the history with one published, current version', async () => {
    const { items } = await history();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'published', origin: 'notion', current: true, createdBy: DEMO.admin });
    expect(items[0]!.sourceLastEditedTime).toBe((await getDoc()).sourceLastEditedTime);
  });

  it('a page changed in Notion becomes a pending revision while the trust center still serves the published text', async () => {
    const before = await getDoc();
    const doc = await editAndSync({ title: 'Security Overview 2026', appendParagraph: 'New: quarterly pen tests.' });
    expect(doc.pendingRevisionId).not.toBeNull();
    expect(doc).toMatchObject({ title: before.title, markdown: before.markdown, contentHash: before.contentHash });
    expect(doc.updateAvailable).toBe(false);
    const page = await publicText();
    expect(page).toContain(before.title);
    expect(page).not.toContain('quarterly pen tests');

    const diff = await json<RevisionDiff>(
      admin.request(`/api/documents/${docId}/revisions/${doc.pendingRevisionId}/diff`),
    );
    expect(diff).toMatchObject({
      titleChanged: true,
      fileChanged: false,
      published: { title: before.title, kind: 'markdown' },
      revision: { status: 'pending', title: 'Security Overview 2026', createdBy: 'Notion sync', current: false },
      changes: { changed: 0, added: 1, removed: 0 },
    });
    const added = diff.blocks!.filter((b) => b.op === 'added');
    expect(added).toEqual([{ op: 'added', html: '<p>New: quarterly pen tests.</p>' }]);
    expect(diff.blocks!.filter((b) => b.op === 'same').length).toBeGreaterThan(1);
    // A viewer may look at the comparison but not decide.
    expect((await viewer.request(`/api/documents/${docId}/revisions/${doc.pendingRevisionId}/diff`)).status).toBe(200);
    const refused = await viewer.request(`/api/documents/${docId}/revisions/${doc.pendingRevisionId}/publish`, {
      method: 'POST',
    });
    expect(refused.status).toBe(403);
  });

  it('reading the same Notion content again keeps the one pending revision', async () => {
    const before = await getDoc();
    await syncNowAndWait(admin);
    const res = await admin.request(`/api/documents/${docId}/reimport`, { method: 'POST' });
    expect(res.status).toBe(202);
    const { importId } = await json<{ importId: string }>(res);
    await eventually(
      async () => {
        const imp = await json<ImportStatus>(admin.request(`/api/notion/imports/${importId}`));
        return imp.status === 'completed' ? imp : null;
      },
      45_000,
      're-import',
    );
    expect((await getDoc()).pendingRevisionId).toBe(before.pendingRevisionId);
    expect((await history()).items.filter((r) => r.status === 'pending')).toHaveLength(1);
  });

  it('publish swaps the content in, the trust center serves it, and the previous version stays viewable', async () => {
    const before = await getDoc();
    const res = await admin.request(`/api/documents/${docId}/revisions/${before.pendingRevisionId}/publish`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    const doc = await json<DocumentDto>(res);
    expect(doc).toMatchObject({ title: 'Security Overview 2026', pendingRevisionId: null, accessLevel: 'public' });
    expect(doc.markdown).toContain('New: quarterly pen tests.');
    expect(await publicText()).toContain('quarterly pen tests');

    const { items } = await history();
    expect(items.map((r) => [r.status, r.current])).toEqual([
      ['published', true],
      ['published', false],
    ]);
    expect(items[0]).toMatchObject({ id: before.pendingRevisionId, decidedBy: DEMO.admin, createdBy: 'Notion sync' });
    const old = await json<RevisionDetail>(admin.request(`/api/documents/${docId}/revisions/${items[1]!.id}`));
    expect(old.title).toBe(before.title);
    expect(old.html).not.toContain('quarterly pen tests');
    const again = await admin.request(`/api/documents/${docId}/revisions/${before.pendingRevisionId}/publish`, {
      method: 'POST',
    });
    expect(again.status).toBe(409);
    expect((await json<{ error: { code: string } }>(again)).error.code).toBe('already_decided');
    const audit = await json<{ items: { action: string; actorLabel: string }[] }>(
      admin.request(`/api/audit?targetId=${docId}`),
    );
    expect(audit.items.map((a) => a.action)).toEqual(
      expect.arrayContaining(['document.revision_fetched', 'document.revision_published']),
    );
  });

  it('dismiss keeps the published version; the dismissed revision stays in the list, marked so', async () => {
    const published = await getDoc();
    const doc = await editAndSync({ appendParagraph: 'Draft: we might drop pen tests.' });
    const res = await admin.request(`/api/documents/${docId}/revisions/${doc.pendingRevisionId}/dismiss`, {
      method: 'POST',
    });
    expect(res.status).toBe(200);
    const after = await getDoc();
    expect(after).toMatchObject({ markdown: published.markdown, pendingRevisionId: null });
    expect(await publicText()).not.toContain('drop pen tests');
    expect((await history()).items.find((r) => r.id === doc.pendingRevisionId)).toMatchObject({
      status: 'dismissed',
      decidedBy: DEMO.admin,
    });
  });

  it('with "publish Notion changes automatically" on, a sync publishes the change and records it as a revision', async () => {
    expect((await admin.request('/api/settings', { method: 'PATCH', json: { autoReimport: true } })).status).toBe(200);
    try {
      const doc = await editAndSync({ appendParagraph: 'Auto: SOC 2 report renewed.' });
      expect(doc.pendingRevisionId).toBeNull();
      expect(await publicText()).toContain('SOC 2 report renewed');
      const current = (await history()).items.find((r) => r.current)!;
      expect(current).toMatchObject({ status: 'published', createdBy: 'Notion sync', decidedBy: 'Notion sync' });
    } finally {
      await admin.request('/api/settings', { method: 'PATCH', json: { autoReimport: false } });
    }
  });

  it('a replaced file becomes a pending revision whose comparison shows both sizes and hashes', async () => {
    const db = server.runtime.services.db;
    const tenant = await db.selectFrom('tenants').select('id').where('slug', '=', 'acme').executeTakeFirstOrThrow();
    const by = { audit: { type: 'system' as const, id: null, label: 'Notion sync' }, userId: null };
    const file = (sha: string, size: number) => ({
      title: 'Pen test letter',
      kind: 'file' as const,
      body_markdown: null,
      file_key: `${tenant.id}/notion-files/${sha}`,
      file_name: 'letter.pdf',
      file_content_type: 'application/pdf',
      file_size: size,
      file_sha256: sha,
      content_hash: sha,
      warnings: [],
    });
    const save = (sha: string, size: number, edited: string) =>
      saveSourceContent(db, {
        tenantId: tenant.id,
        source: 'notion',
        sourceId: 'f11e0000-0000-4000-8000-000000000001',
        content: file(sha, size),
        sourceFields: { source_url: 'https://www.notion.so/letter', source_status: 'ok' },
        sourceLastEditedTime: edited,
        accessLevel: 'contacts_nda',
        by,
      });
    const created = await save('a'.repeat(64), 1000, '2026-01-01T00:00:00.000Z');
    expect(created.outcome).toBe('created');
    const changed = await save('b'.repeat(64), 2345, '2026-02-01T00:00:00.000Z');
    expect(changed.outcome).toBe('pending');
    const diff = await json<RevisionDiff>(
      admin.request(`/api/documents/${created.document.id}/revisions/${changed.revision!.id}/diff`),
    );
    expect(diff).toMatchObject({
      fileChanged: true,
      titleChanged: false,
      blocks: null,
      published: { file: { size: 1000, sha256: 'a'.repeat(64), name: 'letter.pdf' } },
      revision: { file: { size: 2345, sha256: 'b'.repeat(64) }, sourceLastEditedTime: '2026-02-01T00:00:00.000Z' },
    });
    // Notion going back to the published file drops the revision: there is nothing left to review.
    const reverted = await save('a'.repeat(64), 1000, '2026-03-01T00:00:00.000Z');
    expect(reverted.outcome).toBe('unchanged');
    expect(reverted.document.pending_revision_id).toBeNull();
  });

  it("another tenant sees none of the document's versions", async () => {
    await createTenantWithAdmin(server.runtime.services.db, {
      slug: 'rev-other',
      name: 'Other',
      adminEmail: 'admin@rev-other.test',
      adminPassword: DEMO.password,
    });
    const other = await Session.signIn(server.url, 'admin@rev-other.test', DEMO.password);
    const revision = (await history()).items[0]!;
    expect((await other.request(`/api/documents/${docId}/revisions`)).status).toBe(404);
    expect((await other.request(`/api/documents/${docId}/revisions/${revision.id}`)).status).toBe(404);
    const publish = await other.request(`/api/documents/${docId}/revisions/${revision.id}/publish`, { method: 'POST' });
    expect(publish.status).toBe(404);
  });
});
