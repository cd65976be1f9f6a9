import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../src/app/server.ts';
import { DEMO } from '../../src/app/demo-tenant.ts';
import { DEMO_IDS } from '../../src/sandbox/demo-workspace/workspace.ts';
import type { ImportStatus } from '../../src/contracts/integrations.ts';
import { Session } from '../support/test-app.ts';
import { SandboxClient, connectNotion, eventually } from '../support/sandbox-client.ts';
import { hasChromium, hasWebBuild, launchBrowser, screenshot, startE2eServer } from '../support/e2e.ts';

const skipReason = !hasChromium ? 'Chromium is not installed' : !hasWebBuild ? 'web/dist is missing' : null;
if (skipReason) console.warn(`Skipping the revision review browser suite: ${skipReason}.`);

const json = async <T>(res: Response | Promise<Response>): Promise<T> => (await res).json() as Promise<T>;

/**
 * A content manager reviews a change made in Notion: the document page compares it with the published
 * version (title, text blocks marked added/removed) and publishes it; on a phone the same review fits.
 */
describe.skipIf(skipReason !== null)('reviewing Notion changes in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let docId = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startE2eServer({ NOTION_RATE_LIMIT_RPS: '100', NOTION_RATE_LIMIT_BURST: '100' }),
      launchBrowser(),
    ]);
    const admin = await Session.signIn(server.url, DEMO.admin, DEMO.password);
    const sandbox = await SandboxClient.discover(server.url);
    await connectNotion(admin, sandbox);
    const { importId } = await json<{ importId: string }>(
      admin.request('/api/notion/imports', {
        method: 'POST',
        json: { pageIds: [DEMO_IDS.securityOverview], accessLevel: 'public' },
      }),
    );
    const imp = await eventually(
      async () => {
        const s = await json<ImportStatus>(admin.request(`/api/notion/imports/${importId}`));
        return s.status === 'completed' ? s : null;
      },
      45_000,
      'import',
    );
    docId = imp.items[0]!.documentId!;
    await sandbox.editPage(DEMO_IDS.securityOverview, {
      title: 'Acme Security Overview 2026',
      appendParagraph: 'We run an external penetration test every quarter.',
    });
    await admin.request('/api/integrations/notion/sync', { method: 'POST', json: {} });
    await eventually(
      async () =>
        (await json<{ pendingRevisionId: string | null }>(admin.request(`/api/documents/${docId}`))).pendingRevisionId,
      45_000,
      'the change to be read for review',
    );
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openDocument(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/admin/documents/${docId}`);
    await page.getByLabel('Email').fill(DEMO.contentManager);
    await page.getByLabel('Password').fill(DEMO.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Changes from Notion waiting for review' }).waitFor();
    return page;
  }

  it('on a phone, the review shows the title change and the added paragraph', async () => {
    const page = await openDocument({ width: 390, height: 844 });
    const review = page.locator('.revision-review');
    await review.getByText('1 block added').waitFor();
    await expect(review.locator('ins').textContent()).resolves.toBe('Acme Security Overview 2026');
    await screenshot(page, 'revision-review-phone');
    await page.context().close();
  });

  it('on a desktop, the diff marks the added block and publishing swaps the content in', async () => {
    const page = await openDocument({ width: 1280, height: 900 });
    const added = page.locator('.diff-block.diff-added');
    await expect(added.textContent()).resolves.toContain('We run an external penetration test every quarter.');
    await expect(page.locator('.diff-block.diff-removed').count()).resolves.toBe(0);
    await screenshot(page, 'revision-review-desktop');
    await page.getByRole('button', { name: 'Publish this revision' }).click();
    await page.getByRole('heading', { name: 'Acme Security Overview 2026', level: 1 }).waitFor();
    await page.locator('.revision-review').waitFor({ state: 'detached' });
    await page.locator('.doc-content').getByText('We run an external penetration test every quarter.').waitFor();
    await page.getByRole('heading', { name: 'Versions' }).waitFor();
    await expect(page.locator('.version-list > li').count()).resolves.toBe(2);
    await page.getByText('Live now').waitFor();
    await screenshot(page, 'revision-published-history');
    await page.context().close();
  });
});
