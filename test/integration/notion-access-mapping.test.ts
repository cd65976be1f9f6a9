import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eServer } from '../support/e2e.ts';
import { Session } from '../support/test-app.ts';
import { SandboxClient, connectNotion, eventually, syncNowAndWait } from '../support/sandbox-client.ts';
import { DEMO } from '../../src/app/demo-tenant.ts';
import { DEMO_IDS } from '../../src/sandbox/demo-workspace/workspace.ts';
import type { RunningServer } from '../../src/app/server.ts';
import type { AuditEntry } from '../../src/contracts/accounts.ts';
import type { DocumentDto, RevisionDiff } from '../../src/contracts/documents.ts';
import type {
  AccessMapping,
  DataSourceProperties,
  ImportStatus,
  NotionSearchPage,
} from '../../src/contracts/integrations.ts';

/**
 * Access levels from Notion: a select property of the policies database decides each document's level on
 * import and on every sync; a page without the property keeps its level; a level chosen for one page in
 * the picker wins at import; a change that makes a document more public waits for review unless allowed.
 */
let server: RunningServer;
let admin: Session;
let manager: Session;
let sandbox: SandboxClient;
const docs = new Map<string, string>();
const P = DEMO_IDS.policies;

const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await res).json() as Promise<T>;
const getDoc = (pageId: string) => json<DocumentDto>(admin.request(`/api/documents/${docs.get(pageId)}`));
const publicStatus = async (pageId: string) =>
  (await fetch(`${server.url}/t/acme/documents/${docs.get(pageId)}`, { redirect: 'manual' })).status;
const trustAccess = (name: string | null) => ({
  'Trust access': { type: 'select', select: name === null ? null : { id: `opt-${name}`, name, color: 'default' } },
});

const MAPPING: AccessMapping = {
  dataSourceId: DEMO_IDS.securityPoliciesDataSource,
  propertyName: 'Trust access',
  options: { Public: 'public', NDA: 'contacts_nda', Customers: 'contacts', Internal: 'internal' },
  publishMorePublic: false,
};

async function saveMapping(mapping: AccessMapping | null, session = admin): Promise<Response> {
  return session.request('/api/notion/access-mapping', { method: 'PUT', json: { mapping } });
}

/** Change the page's option in Notion, sync, and wait until the document was read again. */
async function changeInNotion(pageId: string, option: string | null): Promise<DocumentDto> {
  const before = await getDoc(pageId);
  await sandbox.editPage(pageId, { properties: trustAccess(option) });
  await syncNowAndWait(admin);
  return eventually(
    async () => {
      const doc = await getDoc(pageId);
      return doc.sourceLastEditedTime !== before.sourceLastEditedTime && !doc.updateAvailable ? doc : null;
    },
    45_000,
    'the changed page to be read again',
  );
}

beforeAll(async () => {
  server = await startE2eServer({ NOTION_RATE_LIMIT_RPS: '100', NOTION_RATE_LIMIT_BURST: '100' });
  admin = await Session.signIn(server.url, DEMO.admin, DEMO.password);
  manager = await Session.signIn(server.url, DEMO.contentManager, DEMO.password);
  sandbox = await SandboxClient.discover(server.url);
  await connectNotion(admin, sandbox);
});
afterAll(async () => server?.close());

describe('access levels from a Notion property', () => {
  it("reads the data source's select and status properties with their options", async () => {
    const props = await json<DataSourceProperties>(
      admin.request(`/api/notion/data-sources/${DEMO_IDS.securityPoliciesDataSource}/properties`),
    );
    expect(props.title).toBe('Security Policies');
    expect(props.properties).toEqual([
      { name: 'Status', type: 'status', options: ['Draft', 'Approved'] },
      { name: 'Trust access', type: 'select', options: ['Public', 'NDA', 'Customers', 'Internal'] },
    ]);
    // A database id pasted from a URL resolves to its data source.
    const byDatabase = await json<DataSourceProperties>(
      admin.request(`/api/notion/data-sources/${DEMO_IDS.securityPoliciesDatabase}/properties`),
    );
    expect(byDatabase.dataSourceId).toBe(DEMO_IDS.securityPoliciesDataSource);
  });

  it('only an admin sets the mapping; the change is audited; bad mappings are refused', async () => {
    expect((await saveMapping(MAPPING, manager)).status).toBe(403);
    const bad = await saveMapping({ ...MAPPING, options: { Public: 'everyone' as 'public' } });
    expect(bad.status).toBe(400);
    expect((await saveMapping(MAPPING)).status).toBe(200);
    expect(await json(manager.request('/api/notion/access-mapping'))).toEqual({ mapping: MAPPING });
    const audit = await json<{ items: AuditEntry[] }>(admin.request('/api/audit'));
    expect(audit.items.find((e) => e.action === 'notion.access_mapping_saved')).toMatchObject({
      actorLabel: DEMO.admin,
      details: { property: 'Trust access' },
    });
  });

  it('the picker shows each page’s mapped level before importing', async () => {
    const list = await json<NotionSearchPage>(
      admin.request(`/api/notion/databases/${DEMO_IDS.securityPoliciesDataSource}/pages`),
    );
    const byId = new Map(list.items.map((i) => [i.id, i]));
    expect(byId.get(P.accessControl)).toMatchObject({ accessOption: 'Public', mappedAccessLevel: 'public' });
    expect(byId.get(P.acceptableUse)).toMatchObject({ accessOption: 'Customers', mappedAccessLevel: 'contacts' });
    expect(byId.get(P.encryption)).toMatchObject({ accessOption: 'NDA', mappedAccessLevel: 'contacts_nda' });
    expect(byId.get(P.dataRetention)).toMatchObject({ accessOption: null, mappedAccessLevel: null });
  });

  it('on import: the mapped level applies, a page without one takes the batch level, a per-page choice wins', async () => {
    const res = await manager.request('/api/notion/imports', {
      method: 'POST',
      json: {
        pageIds: [P.accessControl, P.acceptableUse, P.dataRetention, P.encryption],
        accessLevel: 'internal',
        pageLevels: [{ pageId: P.encryption.replaceAll('-', ''), accessLevel: 'contacts' }],
      },
    });
    expect(res.status).toBe(202);
    const { importId } = await json<{ importId: string }>(res);
    const imp = await eventually(
      async () => {
        const body = await json<ImportStatus>(manager.request(`/api/notion/imports/${importId}`));
        return body.status === 'completed' ? body : null;
      },
      45_000,
      'import',
    );
    for (const item of imp.items) docs.set(item.pageId, item.documentId!);
    expect(imp.items[0]!.result).toEqual({
      outcome: 'created',
      kind: 'markdown',
      fileContentType: null,
      assets: 0,
      changes: null,
    });
    expect((await getDoc(P.accessControl)).accessLevel).toBe('public');
    expect((await getDoc(P.acceptableUse)).accessLevel).toBe('contacts');
    expect((await getDoc(P.dataRetention)).accessLevel).toBe('internal');
    expect((await getDoc(P.encryption)).accessLevel).toBe('contacts');
  });

  it('a change to a less public level applies on sync and is audited', async () => {
    const doc = await changeInNotion(P.acceptableUse, 'Internal');
    expect(doc.accessLevel).toBe('internal');
    expect(doc.pendingRevisionId).toBeNull();
    const audit = await json<{ items: AuditEntry[] }>(admin.request('/api/audit'));
    expect(audit.items.find((e) => e.action === 'document.access_level_changed')).toMatchObject({
      actorLabel: 'Notion sync',
      targetId: docs.get(P.acceptableUse),
      details: { from: 'contacts', to: 'internal', fromSource: 'notion' },
    });
  });

  it('a change to a more public level waits for review; the public site keeps it hidden until published', async () => {
    const doc = await changeInNotion(P.dataRetention, 'Public');
    expect(doc.accessLevel).toBe('internal');
    expect(doc.pendingRevisionId).not.toBeNull();
    expect(await publicStatus(P.dataRetention)).not.toBe(200);
    const diff = await json<RevisionDiff>(
      admin.request(`/api/documents/${doc.id}/revisions/${doc.pendingRevisionId}/diff`),
    );
    expect(diff.revision.accessLevel).toBe('public');
    expect(diff.published.accessLevel).toBe('internal');
    expect(diff.titleChanged).toBe(false);
    expect(diff.changes).toMatchObject({ added: 0, removed: 0, changed: 0 });
    // Syncing again while it waits keeps the one pending revision and its level.
    await syncNowAndWait(admin);
    expect((await getDoc(P.dataRetention)).pendingRevisionId).toBe(doc.pendingRevisionId);

    const published = await manager.request(`/api/documents/${doc.id}/revisions/${doc.pendingRevisionId}/publish`, {
      method: 'POST',
    });
    expect(published.status).toBe(200);
    expect((await getDoc(P.dataRetention)).accessLevel).toBe('public');
    await eventually(async () => (await publicStatus(P.dataRetention)) === 200, 10_000, 'the public page');
  });

  it('a level chosen by hand stays until the property changes in Notion', async () => {
    // Encryption was imported as `contacts` over its mapped NDA; a sync that reads the page again keeps it.
    await sandbox.editPage(P.encryption, { appendParagraph: 'Keys are rotated yearly.' });
    await syncNowAndWait(admin);
    const read = await eventually(
      async () => {
        const doc = await getDoc(P.encryption);
        return doc.pendingRevisionId ? doc : null;
      },
      45_000,
      'the edited page to be read',
    );
    expect(read.accessLevel).toBe('contacts');
    const diff = await json<RevisionDiff>(
      admin.request(`/api/documents/${read.id}/revisions/${read.pendingRevisionId}/diff`),
    );
    expect(diff.revision.accessLevel).toBeNull();
  });

  it('with "publish more public at once" on, a more public level applies without review', async () => {
    expect((await saveMapping({ ...MAPPING, publishMorePublic: true })).status).toBe(200);
    const doc = await changeInNotion(P.acceptableUse, 'Public');
    expect(doc.accessLevel).toBe('public');
    expect(doc.pendingRevisionId).toBeNull();
  });

  it('a page whose option is removed or unmapped keeps its level', async () => {
    expect((await changeInNotion(P.accessControl, null)).accessLevel).toBe('public');
    expect((await changeInNotion(P.accessControl, 'Someday')).accessLevel).toBe('public');
  });

  it('removing the mapping stops levels from Notion', async () => {
    expect((await saveMapping(null)).status).toBe(200);
    expect(await json(admin.request('/api/notion/access-mapping'))).toEqual({ mapping: null });
    expect((await changeInNotion(P.acceptableUse, 'Internal')).accessLevel).toBe('public');
  });
});
