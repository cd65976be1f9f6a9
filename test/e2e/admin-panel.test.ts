import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningServer } from '../../src/app/server.ts';
import { hasChromium, hasWebBuild, launchBrowser, screenshot, startE2eServer } from '../support/e2e.ts';

const PASSWORD = 'acme-demo-password';
const PAGES = ['Acme Security Overview', 'Incident Response Plan', 'Data Processing Addendum'] as const;
const skipReason = !hasChromium
  ? 'Chromium is not installed at /usr/bin/chromium'
  : !hasWebBuild
    ? 'web/dist is missing: run `npm run build:web`'
    : null;
if (skipReason) console.warn(`Skipping the admin panel browser suite: ${skipReason}.`);

async function signIn(context: BrowserContext, baseUrl: string, email: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${baseUrl}/admin/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
  return page;
}

describe.skipIf(skipReason !== null)('admin panel in a real browser (sandbox)', () => {
  let server: RunningServer;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  let pdfDocumentPath = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchBrowser()]);
    admin = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      reducedMotion: 'reduce',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in and shows the user, role, tenant and sandbox banner', async () => {
    page = await admin.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${server.url}/admin/integrations`);
    await page.getByRole('heading', { name: 'Sign in to the admin panel' }).waitFor();
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await screenshot(page, '01-login-error');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where the user was going before signing in.
    await page.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
    const header = page.locator('header');
    await expect(header.textContent()).resolves.toContain('Acme Cloud');
    await expect(header.textContent()).resolves.toContain('Admin');
    await expect(page.getByRole('note').textContent()).resolves.toContain('Sandbox mode');
  });

  it('a cancelled consent in the Connect UI is shown to the admin in plain words', async () => {
    await page.getByRole('button', { name: 'Connect Notion' }).click();
    const consent = page.frameLocator('#connect-ui');
    await consent.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Notion access was not granted').waitFor();
    // The error screen's own Close (the header × would do the same).
    await consent.getByText('Close', { exact: true }).click();
    await page.locator('#connect-ui').waitFor({ state: 'detached' });
    await page.locator('.integration-card .badge', { hasText: 'Not connected' }).waitFor();
    await screenshot(page, '02a-integrations-consent-cancelled');
  });

  it('connects Notion through the Connect UI, served from its own origin, and shows the workspace', async () => {
    await page.getByRole('button', { name: 'Connect Notion' }).click();
    // Nango's Connect UI lives on its own origin (connect.nango.dev beside api.nango.dev); the frontend SDK
    // only listens to that origin, so an iframe on the API origin would never report back.
    const { nangoHost } = (await (await fetch(`${server.url}/api/sandbox`)).json()) as { nangoHost: string };
    const src = await page.locator('#connect-ui').getAttribute('src');
    expect(new URL(src!).origin).not.toBe(new URL(nangoHost).origin);
    expect(new URL(src!).origin).not.toBe(new URL(server.url).origin);
    const consent = page.frameLocator('#connect-ui');
    await consent.getByRole('button', { name: 'Allow access' }).click();
    await page.locator('.integration-card .badge', { hasText: 'Connected' }).waitFor();
    await page.locator('#connect-ui').waitFor({ state: 'detached' });
    await page.locator('.integration-card').getByText('Acme Inc.').waitFor();
    await expect(page.locator('.integration-card').textContent()).resolves.toContain('admin@acme.test');
    await expect(page.locator('.integration-card').textContent()).resolves.toContain('Live updatesOff');
    await screenshot(page, '02-integrations-connected');
  });

  it('searches Notion, browses the database and imports three pages with live progress', async () => {
    await page.getByRole('link', { name: 'Import from Notion' }).click();
    const search = page.getByLabel('Search Notion');
    await page
      .getByRole('checkbox', {
        name: 'Select Acme Security Overview',
        exact: true,
      })
      .waitFor();

    await page.getByRole('radio', { name: 'Databases' }).check({ force: true });
    await page
      .getByRole('button', { name: /^Open database/ })
      .first()
      .click();
    await page.getByRole('navigation', { name: 'Browsing' }).waitFor();
    await page.locator('.results-table tbody tr').first().waitFor();
    await expect
      .poll(() => page.getByRole('checkbox', { name: /^Select / }).count(), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0);
    await screenshot(page, '03-import-database');
    await page.getByRole('button', { name: '← All results' }).click();
    await page.getByRole('radio', { name: 'Pages' }).check({ force: true });

    for (const title of PAGES) {
      await search.fill(title);
      // The search is debounced: wait until the list shows only what matches.
      await page.getByRole('checkbox', { name: `Select ${title}`, exact: true }).check();
    }
    await search.fill('');
    await page
      .getByRole('checkbox', {
        name: 'Select Vulnerability Disclosure Policy',
        exact: true,
      })
      .waitFor();
    await page.getByLabel('Access level').selectOption('contacts');
    await screenshot(page, '04-import-selection');

    await page.getByRole('button', { name: 'Import 3 pages' }).click();
    const bar = page.getByRole('progressbar');
    await bar.waitFor();
    await page.waitForFunction(
      () => document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') === '100',
      undefined,
      { timeout: 30_000 },
    );
    await page.getByRole('heading', { name: 'Import finished' }).waitFor();
    const results = page.getByRole('list', { name: 'Import results' });
    await screenshot(page, '05-import-finished');
    await expect.poll(() => results.locator(':scope > li').count(), { timeout: 10_000 }).toBe(3);
    await expect(results.locator(':scope > li .badge').allTextContents()).resolves.toEqual([
      'Imported',
      'Imported',
      'Imported',
    ]);
    await expect.poll(() => results.getByRole('link', { name: 'Open document' }).count(), { timeout: 10_000 }).toBe(3);
  }, 45_000);

  it('lists the imported documents in the library, with the PDF as a file document', async () => {
    await page.getByRole('link', { name: 'Documents' }).click();
    await page.getByLabel('Source', { exact: true }).selectOption('notion');
    for (const title of PAGES) await page.getByRole('link', { name: title }).waitFor();
    // Poll: the unfiltered list (with the manual demo document) may still be on screen for a moment.
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
    const pdfRow = page.getByRole('row', {
      name: /Data Processing Addendum/,
    });
    await expect(pdfRow.textContent()).resolves.toContain('PDF');
    await expect(pdfRow.textContent()).resolves.toContain('Approved contacts');
    await page.getByLabel('Source', { exact: true }).selectOption('');
    await page.getByRole('link', { name: 'Security overview', exact: true }).waitFor();
    await screenshot(page, '06-documents');

    await page.getByRole('link', { name: 'Data Processing Addendum' }).click();
    await page.getByRole('heading', { name: 'Data Processing Addendum', level: 1 }).waitFor();
    pdfDocumentPath = new URL(page.url()).pathname;
    const frame = page.locator('iframe.pdf-frame');
    const src = await frame.getAttribute('src');
    expect(src).toMatch(/^\/api\/documents\/[0-9a-f-]+\/file#/);
    const download = await page.request.get(`${server.url}${src}`);
    expect(download.headers()['content-type']).toBe('application/pdf');
    await expect(page.getByRole('link', { name: /Open in Notion/ }).getAttribute('href')).resolves.toMatch(
      /^https?:\/\//,
    );
    // Chromium's PDF viewer draws inside its own frame with no load signal the page can see.
    await page.waitForTimeout(1500);
    await screenshot(page, '07-document-pdf');
  });

  it('changes the access level of a document', async () => {
    await page.getByRole('link', { name: '← Documents' }).click();
    await page.getByRole('link', { name: 'Acme Security Overview' }).click();
    await page.getByRole('heading', { name: 'Acme Security Overview', level: 1 }).waitFor();
    await page.getByLabel('Access level').selectOption('public');
    await page.getByRole('status').filter({ hasText: 'Access level set to “Public”' }).waitFor();
    await page.reload();
    await expect(page.getByLabel('Access level').inputValue()).resolves.toBe('public');
    await page.locator('.prose, .markdown-source').first().waitFor();
    await screenshot(page, '08-document-markdown');
  });

  it('runs a sync on demand and shows it in the history', async () => {
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('button', { name: 'Sync now' }).click();
    const row = page.locator('table tbody tr').first();
    await row.locator('.badge', { hasText: /Done|Failed/ }).waitFor({ timeout: 30_000 });
    await expect(row.locator('.badge').textContent()).resolves.toBe('Done');
    // The card speaks in results, keeps Notion-call counts in the details, and the start notice clears itself.
    await expect(row.locator('.sync-summary').textContent()).resolves.toMatch(
      /^Checked \d+ linked pages? · \d+ changed · \d+ missing$/,
    );
    await expect(row.getByText(/Notion calls?/).isVisible()).resolves.toBe(false);
    await page.getByText('Sync started.').waitFor({ state: 'detached' });
    await expect(page.getByText('Up to date').count()).resolves.toBe(1);
    await screenshot(page, '09-integrations-synced');
  }, 40_000);

  it('shows users and the audit log to the admin', async () => {
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('combobox', { name: 'Role of content@acme.test' }).waitFor();
    await screenshot(page, '10-users');
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByText('notion', { exact: false }).first().waitFor();
    await screenshot(page, '11-audit');
  });

  it('adds a contact, grants the restricted PDF, hands out a magic link and publishes an NDA', async () => {
    await page.getByRole('link', { name: 'Contacts' }).click();
    await page.getByText('No contacts yet').waitFor();
    await page.getByLabel('Email', { exact: true }).fill('buyer@customer.example');
    await page.getByLabel(/^Name/).fill('Bea Buyer');
    await page.getByLabel(/^Company/).fill('Customer Corp');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.getByRole('heading', { name: 'Bea Buyer', level: 1 }).waitFor();

    await page.getByRole('checkbox', { name: /Data Processing Addendum/ }).check();
    await page.getByRole('button', { name: 'Grant access' }).click();
    await page
      .getByRole('button', {
        name: 'Revoke access to Data Processing Addendum',
      })
      .waitFor();
    await page.getByRole('button', { name: 'Send magic link' }).click();
    const link = page.getByRole('textbox', { name: 'Magic link' });
    await link.waitFor();
    expect(await link.inputValue()).toMatch(/\/t\/acme\/access\//);
    await screenshot(page, '12-contact');

    await page.getByRole('link', { name: 'NDA' }).click();
    await page
      .getByLabel('Agreement text')
      .fill('Mutual NDA\n\nThe recipient keeps the documents confidential for three years.');
    await page.getByRole('button', { name: /Publish/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Publish' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Version 1 is published/ })
      .waitFor();
    await screenshot(page, '13-nda');

    await page.getByRole('link', { name: 'Access requests' }).click();
    await page.getByText('No pending requests').waitFor();
    await screenshot(page, '14-access-requests');
  });

  it('sets a PDF to view only, and counts a new access request in the menu', async () => {
    await page.goto(`${server.url}${pdfDocumentPath}`);
    const viewOnly = page.getByRole('checkbox', { name: 'View only' });
    await viewOnly.check();
    await page.getByRole('status').filter({ hasText: 'View only:' }).waitFor();
    await page.reload();
    await expect(page.getByRole('checkbox', { name: 'View only' }).isChecked()).resolves.toBe(true);
    await screenshot(page, '14a-document-view-only');

    // A visitor asks for the document on the public site; the menu shows it when the admin comes back.
    const documentId = pdfDocumentPath.split('/').pop()!;
    const visitor = await browser.newContext();
    const asked = await visitor.request.post(`${server.url}/t/acme/request`, {
      form: {
        doc: documentId,
        name: 'Riley Buyer',
        email: 'riley@bigco.example',
        company: 'BigCo',
        reason: 'Vendor review',
      },
      maxRedirects: 0,
    });
    expect(asked.status()).toBe(303);
    await visitor.close();
    await page.reload();
    const count = page.getByRole('link', { name: /Access requests/ }).getByTestId('pending-count');
    await expect.poll(() => count.textContent(), { timeout: 10_000 }).toBe('1 waiting');

    await page.getByRole('link', { name: 'My notifications' }).click();
    await page.getByRole('radio', { name: 'Email me when someone requests access' }).check();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await page.reload();
    await expect(page.getByRole('radio', { name: 'Email me when someone requests access' }).isChecked()).resolves.toBe(
      true,
    );
    await screenshot(page, '14b-my-notifications');
  });

  it('gives a viewer no import or access-level controls', async () => {
    const viewerContext = await browser.newContext({
      viewport: { width: 1280, height: 800 },
    });
    const viewer = await signIn(viewerContext, server.url, 'viewer@acme.test');
    await expect(viewer.locator('header').textContent()).resolves.toContain('Viewer');
    await expect(viewer.getByRole('link', { name: 'Import from Notion' }).count()).resolves.toBe(0);
    await expect(viewer.getByRole('link', { name: 'New document' }).count()).resolves.toBe(0);
    await viewer.goto(`${server.url}${pdfDocumentPath}`);
    await viewer.getByRole('heading', { name: 'Data Processing Addendum', level: 1 }).waitFor();
    await expect(viewer.getByRole('combobox', { name: 'Access level' }).count()).resolves.toBe(0);
    await expect(viewer.getByRole('button', { name: /Re-import/ }).count()).resolves.toBe(0);
    await expect(viewer.getByRole('button', { name: 'Delete' }).isDisabled()).resolves.toBe(true);
    await viewer.waitForTimeout(1500);
    await screenshot(viewer, '15-viewer-document');
    await viewer.goto(`${server.url}/admin/import`);
    await viewer.getByText("You don't have access to this page").waitFor();
    await viewerContext.close();
  });

  it('disconnects Notion after a confirmation that says documents are kept', async () => {
    await page.getByRole('link', { name: 'Integrations' }).click();
    await page.getByRole('button', { name: 'Disconnect' }).click();
    const dialog = page.getByRole('dialog', { name: 'Disconnect Notion?' });
    await expect(dialog.textContent()).resolves.toContain('Imported documents are kept');
    await screenshot(page, '16-disconnect-dialog');
    await dialog.getByRole('button', { name: 'Disconnect' }).click();
    await page.locator('.integration-card .badge', { hasText: 'Not connected' }).waitFor();
    await page.getByRole('button', { name: 'Connect Notion' }).waitFor();

    await page.getByRole('link', { name: 'Documents' }).click();
    await page.getByLabel('Source', { exact: true }).selectOption('notion');
    await page.getByRole('link', { name: 'Data Processing Addendum' }).waitFor();
    // Poll: the unfiltered list (with the manual demo document) may still be on screen for a moment.
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 10_000 }).toBe(3);
    await screenshot(page, '17-documents-after-disconnect');
  });

  it('edits, checks and publishes the trust center profile, and sets a custom domain', async () => {
    // Its own browser context: signed in afresh, whatever the earlier tests did with theirs.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    const page = await signIn(context, server.url, 'admin@acme.test');
    await page.getByRole('link', { name: 'Profile and domain' }).click();
    await page.getByRole('heading', { name: 'Trust center profile', level: 1 }).waitFor();
    await page.getByLabel('Company name').fill('Acme Cloud');
    await page.getByLabel('Short introduction').fill('How Acme Cloud protects customer data.');
    await page.getByLabel('Security contact email').fill('security@acme.test');
    await page.getByLabel('Brand colour').fill('#ffd700');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText(/hard to read/).waitFor();
    await page.getByLabel('Brand colour').fill('#0b6e4f');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved.').waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published. Visitors see the new profile now.').waitFor();
    await page.getByLabel('Host name').fill('trust.acme.test');
    await page.getByRole('button', { name: 'Save domain' }).click();
    await page.getByText('The trust center now also answers on trust.acme.test.').waitFor();
    await screenshot(page, '18-trust-center-profile');

    const site = await context.newPage();
    await site.goto(`${server.url}/t/acme`);
    await site.getByText('How Acme Cloud protects customer data.').waitFor();
    await context.close();
  });
});
