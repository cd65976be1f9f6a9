import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eServer } from '../support/e2e.ts';
import { Session } from '../support/test-app.ts';
import { SandboxClient, connectNotion, waitForImport } from '../support/sandbox-client.ts';
import { DEMO } from '../../src/app/demo-tenant.ts';
import { createTenantWithAdmin } from '../../src/accounts/tenant-setup.ts';
import { DEMO_IDS } from '../../src/sandbox/demo-workspace/workspace.ts';
import type { RunningServer } from '../../src/app/server.ts';
import type { AuditEntry } from '../../src/contracts/accounts.ts';
import type { BulkResult, DocumentDto } from '../../src/contracts/documents.ts';
import type { ImportStatus } from '../../src/contracts/integrations.ts';

/**
 * The library's bulk actions: set the access level, re-import, publish what waits for review. Each takes at
 * most 100 documents of the caller's tenant, needs the content manager role, and audits every change.
 */
let server: RunningServer;
let manager: Session;
let viewer: Session;
let admin: Session;
let sandbox: SandboxClient;
const manual: string[] = [];
const fromNotion: string[] = [];

const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await res).json() as Promise<T>;
const bulk = (session: Session, action: string, body: unknown) =>
  session.request(`/api/documents/bulk/${action}`, { method: 'POST', json: body });
const getDoc = (id: string) => json<DocumentDto>(manager.request(`/api/documents/${id}`));

/** An import of this suite, finished and completed. */
async function importCompleted(importId: string): Promise<ImportStatus> {
  const imp = await waitForImport(manager, importId);
  expect(imp.status).toBe('completed');
  return imp;
}

beforeAll(async () => {
  server = await startE2eServer({ NOTION_RATE_LIMIT_RPS: '100', NOTION_RATE_LIMIT_BURST: '100' });
  admin = await Session.signIn(server.url, DEMO.admin, DEMO.password);
  manager = await Session.signIn(server.url, DEMO.contentManager, DEMO.password);
  viewer = await Session.signIn(server.url, DEMO.viewer, DEMO.password);
  for (const title of ['Bulk one', 'Bulk two', 'Bulk three']) {
    const res = await manager.request('/api/documents', { method: 'POST', json: { title, markdown: `# ${title}` } });
    manual.push((await json<{ id: string }>(res)).id);
  }
  sandbox = await SandboxClient.discover(server.url);
  await connectNotion(admin, sandbox);
  const { importId } = await json<{ importId: string }>(
    manager.request('/api/notion/imports', {
      method: 'POST',
      json: { pageIds: [DEMO_IDS.incidentResponse, DEMO_IDS.businessContinuity], accessLevel: 'contacts' },
    }),
  );
  fromNotion.push(...(await importCompleted(importId)).items.map((i) => i.documentId!));
});
afterAll(async () => server?.close());

describe('bulk actions on documents', () => {
  it('a viewer may not use them', async () => {
    expect((await bulk(viewer, 'access-level', { documentIds: manual, accessLevel: 'public' })).status).toBe(403);
    expect((await bulk(viewer, 'reimport', { documentIds: fromNotion })).status).toBe(403);
    expect((await bulk(viewer, 'publish-revisions', { documentIds: fromNotion })).status).toBe(403);
  });

  it('sets the access level of several documents, audits each change, and counts what was already so', async () => {
    const first = await bulk(manager, 'access-level', { documentIds: manual.slice(0, 2), accessLevel: 'public' });
    expect(await json<BulkResult>(first)).toEqual({ changed: 2, unchanged: 0 });
    const again = await bulk(manager, 'access-level', { documentIds: manual, accessLevel: 'public' });
    expect(await json<BulkResult>(again)).toEqual({ changed: 1, unchanged: 2 });
    for (const id of manual) expect((await getDoc(id)).accessLevel).toBe('public');
    const audit = await json<{ items: AuditEntry[] }>(admin.request('/api/audit'));
    const changes = audit.items.filter((e) => e.action === 'document.access_level_changed' && e.details.bulk);
    expect(changes.map((e) => e.targetId).sort()).toEqual([...manual].sort());
    expect(changes[0]).toMatchObject({ actorLabel: DEMO.contentManager, details: { to: 'public' } });
  });

  it('bounds the list and refuses duplicates and other tenants’ documents, changing nothing', async () => {
    const tooMany = Array.from({ length: 101 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect((await bulk(manager, 'access-level', { documentIds: tooMany, accessLevel: 'internal' })).status).toBe(400);
    expect((await bulk(manager, 'access-level', { documentIds: [], accessLevel: 'internal' })).status).toBe(400);
    const dup = { documentIds: [manual[0], manual[0]], accessLevel: 'internal' };
    expect((await bulk(manager, 'access-level', dup)).status).toBe(400);

    await createTenantWithAdmin(server.runtime.services.db, {
      slug: 'bulk-other',
      name: 'Other',
      adminEmail: 'admin@bulk-other.test',
      adminPassword: DEMO.password,
    });
    const other = await Session.signIn(server.url, 'admin@bulk-other.test', DEMO.password);
    expect((await bulk(other, 'access-level', { documentIds: manual, accessLevel: 'internal' })).status).toBe(404);
    expect((await bulk(other, 'publish-revisions', { documentIds: fromNotion })).status).toBe(404);
    expect((await bulk(other, 'reimport', { documentIds: fromNotion })).status).toBe(404);
    // One foreign id among the caller's own: nothing changes.
    const mixed = await bulk(admin, 'access-level', {
      documentIds: [manual[0], '00000000-0000-4000-8000-000000000001'],
      accessLevel: 'internal',
    });
    expect(mixed.status).toBe(404);
    for (const id of manual) expect((await getDoc(id)).accessLevel).toBe('public');
  });

  it('re-imports Notion documents in one import, and refuses documents made in the panel', async () => {
    const refused = await bulk(manager, 'reimport', { documentIds: [fromNotion[0], manual[0]] });
    expect(refused.status).toBe(400);
    expect((await json<{ error: { code: string } }>(refused)).error.code).toBe('not_from_notion');
    const res = await bulk(manager, 'reimport', { documentIds: fromNotion });
    expect(res.status).toBe(202);
    const imp = await importCompleted((await json<{ importId: string }>(res)).importId);
    expect(imp.items.map((i) => i.documentId).sort()).toEqual([...fromNotion].sort());
    expect(imp.failed).toBe(0);
    // Each page says what happened: nothing changed since the import.
    expect(imp.items.map((i) => i.result?.outcome)).toEqual(['unchanged', 'unchanged']);
  });

  it('publishes the revisions waiting for review and leaves the others', async () => {
    await sandbox.editPage(DEMO_IDS.incidentResponse, { appendParagraph: 'Tabletop exercises twice a year.' });
    const { importId } = await json<{ importId: string }>(bulk(manager, 'reimport', { documentIds: fromNotion }));
    const imp = await importCompleted(importId);
    expect(imp.items.find((i) => i.pageId === DEMO_IDS.incidentResponse)!.result).toMatchObject({
      outcome: 'pending',
      kind: 'markdown',
      changes: { added: 1, changed: 0, removed: 0 },
    });
    // Items keep the order of the import: the incident response plan first.
    const changedId = fromNotion[0]!;
    const pending = await Promise.all(fromNotion.map(getDoc));
    expect(pending.filter((d) => d.pendingRevisionId).map((d) => d.id)).toEqual([changedId]);
    const res = await bulk(manager, 'publish-revisions', { documentIds: fromNotion });
    expect(await json<BulkResult>(res)).toEqual({ changed: 1, unchanged: 1 });
    const doc = await getDoc(changedId);
    expect(doc.pendingRevisionId).toBeNull();
    expect(doc.markdown).toContain('Tabletop exercises twice a year.');
  });
});
