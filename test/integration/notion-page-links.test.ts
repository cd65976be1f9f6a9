import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2eServer } from '../support/e2e.ts';
import { Session } from '../support/test-app.ts';
import { SandboxClient, connectNotion, waitForImport } from '../support/sandbox-client.ts';
import { DEMO } from '../../src/app/demo-tenant.ts';
import { DEMO_IDS } from '../../src/sandbox/demo-workspace/workspace.ts';
import type { RunningServer } from '../../src/app/server.ts';

/**
 * Links between imported pages stay inside the trust center: a mention and a child page of an imported page
 * lead to the imported documents (admin panel: always; public site: only when the reader may open them,
 * otherwise plain text, and an internal one not even by its title); links to pages not imported stay
 * Notion links marked as leading outside; a target imported later is linked from then on.
 */
let server: RunningServer;
let admin: Session;
let overviewId: string;

const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await res).json() as Promise<T>;
const hex = (id: string) => id.replaceAll('-', '');
const publicHtml = async () => (await fetch(`${server.url}/t/acme/documents/${overviewId}`)).text();
const previewHtml = async () =>
  (await json<{ html: string }>(admin.request(`/api/documents/${overviewId}/preview`))).html;

async function importPages(pageIds: string[], accessLevel: string): Promise<string[]> {
  const { importId } = await json<{ importId: string }>(
    admin.request('/api/notion/imports', { method: 'POST', json: { pageIds, accessLevel } }),
  );
  const imp = await waitForImport(admin, importId);
  expect(imp.status).toBe('completed');
  return imp.items.map((i) => i.documentId!);
}

beforeAll(async () => {
  server = await startE2eServer({ NOTION_RATE_LIMIT_RPS: '100', NOTION_RATE_LIMIT_BURST: '100' });
  admin = await Session.signIn(server.url, DEMO.admin, DEMO.password);
  const sandbox = await SandboxClient.discover(server.url);
  await connectNotion(admin, sandbox);
  // The overview mentions the incident response plan and holds the encryption standards as a child page.
  await sandbox.editPage(DEMO_IDS.securityOverview, {
    appendParagraph: 'When something goes wrong we follow ',
    appendMention: DEMO_IDS.incidentResponse,
  });
  [overviewId] = (await importPages([DEMO_IDS.securityOverview], 'public')) as [string];
});
afterAll(async () => server?.close());

describe('links between imported Notion pages', () => {
  it('links to pages not imported stay Notion links, marked as leading outside', async () => {
    for (const html of [await publicHtml(), await previewHtml()]) {
      for (const pageId of [DEMO_IDS.incidentResponse, DEMO_IDS.encryptionStandards]) {
        const link = new RegExp(`<a href="https://www\\.notion\\.so/${hex(pageId)}"[^>]*>([^<]*)</a>`).exec(html);
        expect(link, pageId).not.toBeNull();
        expect(link![0]).toContain('title="Notion page (outside this trust center)"');
        expect(link![0]).toContain('target="_blank"');
        expect(link![1]).toMatch(/ ↗$/);
      }
    }
  });

  it('a target imported later is linked in the admin panel, and never shown to a public reader who cannot open it', async () => {
    const [incidentId] = await importPages([DEMO_IDS.incidentResponse], 'internal');
    const [encryptionId] = await importPages([DEMO_IDS.encryptionStandards], 'contacts');
    const preview = await previewHtml();
    expect(preview).toContain(`<a href="/admin/documents/${incidentId}">Incident Response Plan</a>`);
    expect(preview).toContain(`<a href="/admin/documents/${encryptionId}">Encryption Standards</a>`);

    const page = await publicHtml();
    // Internal: neither a link nor its title; restricted: its (listed) title as plain text, no link.
    expect(page).not.toContain('Incident Response Plan');
    expect(page).toContain('When something goes wrong we follow an internal document');
    expect(page).not.toContain(hex(DEMO_IDS.incidentResponse));
    expect(page).not.toContain(`/documents/${incidentId}`);
    expect(page).toContain('Encryption Standards');
    expect(page).not.toContain(`href="/t/acme/documents/${encryptionId}"`);
    expect(page).not.toContain(hex(DEMO_IDS.encryptionStandards));
  });

  it('once a target is public, the public page links to it on the trust center', async () => {
    const docs = await json<{ items: { id: string; sourceId: string | null }[] }>(admin.request('/api/documents'));
    const incidentId = docs.items.find((d) => d.sourceId === DEMO_IDS.incidentResponse)!.id;
    const res = await admin.request(`/api/documents/${incidentId}`, {
      method: 'PATCH',
      json: { accessLevel: 'public' },
    });
    expect(res.status).toBe(200);
    const page = await publicHtml();
    expect(page).toContain(`<a href="/t/acme/documents/${incidentId}">Incident Response Plan</a>`);
    expect(page).not.toContain('an internal document');
  });
});
