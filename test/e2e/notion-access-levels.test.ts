import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../src/app/server.ts';
import { DEMO } from '../../src/app/demo-tenant.ts';
import { DEMO_IDS } from '../../src/sandbox/demo-workspace/workspace.ts';
import type { DocumentList } from '../../src/contracts/documents.ts';
import { Session } from '../support/test-app.ts';
import { SandboxClient, connectNotion, eventually } from '../support/sandbox-client.ts';
import {
  DOC_SCREENSHOTS,
  hasChromium,
  hasWebBuild,
  launchBrowser,
  screenshot,
  startE2eServer,
} from '../support/e2e.ts';

const skipReason = !hasChromium ? 'Chromium is not installed' : !hasWebBuild ? 'web/dist is missing' : null;
if (skipReason) console.warn(`Skipping the Notion access-level browser suite: ${skipReason}.`);

const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await res).json() as Promise<T>;

/**
 * An admin maps the "Trust access" property of the policies database to access levels on the Integrations
 * page; a content manager then sees each page's level in the import picker, changes one, and imports.
 */
describe.skipIf(skipReason !== null)('access levels from Notion in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: Session;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startE2eServer({ NOTION_RATE_LIMIT_RPS: '100', NOTION_RATE_LIMIT_BURST: '100' }),
      launchBrowser(),
    ]);
    admin = await Session.signIn(server.url, DEMO.admin, DEMO.password);
    await connectNotion(admin, await SandboxClient.discover(server.url));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(path: string, email: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/admin${path}`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  it('an admin maps the Notion property to access levels on the Integrations page', async () => {
    const page = await signIn('/integrations', DEMO.admin);
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Access levels from Notion' }) });
    await card.getByText('No property is mapped').waitFor();
    await card.getByRole('button', { name: 'Map a Notion property' }).click();
    const databases = card.getByLabel('Notion database');
    await databases.locator('option', { hasText: 'Security Policies' }).waitFor({ state: 'attached' });
    await databases.selectOption({ label: 'Security Policies' });
    await card.getByLabel('Property that says who may read a page').selectOption({ label: 'Trust access (select)' });
    await card.getByLabel('Access level for “Public”').selectOption({ label: 'Public' });
    await card.getByLabel('Access level for “NDA”').selectOption({ label: 'Approved contacts with NDA' });
    await card.getByLabel('Access level for “Customers”').selectOption({ label: 'Approved contacts' });
    await card.getByLabel('Access level for “Internal”').selectOption({ label: 'Internal only' });
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'notion-access-mapping', DOC_SCREENSHOTS);
    await card.getByRole('button', { name: 'Save mapping' }).click();
    await card.getByText('Property Trust access:').waitFor();
    await expect(card.locator('.mapping-list li').count()).resolves.toBe(4);
    await card.getByText('A change that makes a document more public waits for review.').waitFor();
    await page.context().close();
  });

  it('the import picker shows each page’s level from Notion and takes a per-page choice', async () => {
    const page = await signIn('/import', DEMO.contentManager);
    await page.getByRole('button', { name: 'Open database Security Policies' }).click();
    const level = (title: string) => page.getByLabel(`Level of ${title}`);
    await expect(level('Access Control Policy').locator('option:checked').textContent()).resolves.toBe(
      'Public (from Notion)',
    );
    await expect(level('Encryption Policy').locator('option:checked').textContent()).resolves.toBe(
      'Approved contacts with NDA (from Notion)',
    );
    // The Data Retention Policy has no option set in Notion: it takes the batch level unless chosen here.
    await expect(level('Data Retention Policy').locator('option:checked').textContent()).resolves.toBe('Internal only');
    await level('Data Retention Policy').selectOption({ label: 'Approved contacts' });
    await page.getByRole('checkbox', { name: 'Select all pages in this list' }).check();
    await screenshot(page, 'import-picker-levels');
    await page.getByRole('button', { name: 'Import 4 pages' }).click();
    await page.getByRole('heading', { name: 'Import finished' }).waitFor({ timeout: 60_000 });
    // Each page says in words what happened to it.
    await expect(page.getByText('Imported as Markdown', { exact: true }).count()).resolves.toBe(4);
    await page.context().close();

    const docs = await eventually(
      async () => {
        const list = await json<DocumentList>(admin.request('/api/documents?limit=50'));
        return list.items.length >= 4 ? list.items : null;
      },
      30_000,
      'the imported documents',
    );
    const levelOf = (pageId: string) => docs.find((d) => d.sourceId === pageId)?.accessLevel;
    expect(levelOf(DEMO_IDS.policies.accessControl)).toBe('public');
    expect(levelOf(DEMO_IDS.policies.encryption)).toBe('contacts_nda');
    expect(levelOf(DEMO_IDS.policies.acceptableUse)).toBe('contacts');
    expect(levelOf(DEMO_IDS.policies.dataRetention)).toBe('contacts');
  });

  it('in the library, a content manager sets the level of several documents at once', async () => {
    const page = await signIn('/documents', DEMO.contentManager);
    await page.getByRole('checkbox', { name: 'Select Access Control Policy' }).check();
    await page.getByRole('checkbox', { name: 'Select Encryption Policy' }).check();
    const bar = page.getByRole('region', { name: 'Selected documents' });
    await bar.getByText('2 selected').waitFor();
    await bar.getByLabel('Access level').selectOption({ label: 'Internal only' });
    await bar.getByRole('button', { name: 'Set access level' }).click();
    await page.getByRole('status').getByText('Internal only: set on 2 documents.').waitFor();
    await screenshot(page, 'library-bulk-level');
    await page.context().close();
    const list = await json<DocumentList>(admin.request('/api/documents?limit=50'));
    const levelOf = (pageId: string) => list.items.find((d) => d.sourceId === pageId)?.accessLevel;
    expect(levelOf(DEMO_IDS.policies.accessControl)).toBe('internal');
    expect(levelOf(DEMO_IDS.policies.encryption)).toBe('internal');
    expect(levelOf(DEMO_IDS.policies.acceptableUse)).toBe('contacts');
  });
});
