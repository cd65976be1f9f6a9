import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RunningServer } from '../../src/app/server.ts';
import { createTenantWithAdmin } from '../../src/accounts/tenant-setup.ts';
import { hasChromium, hasWebBuild, launchBrowser, screenshot, startE2eServer } from '../support/e2e.ts';

const PASSWORD = 'empty-workspace-password';
const OWNER = 'owner@empty.test';
const PHONE = { width: 390, height: 844 };
const skipReason = !hasChromium
  ? 'Chromium is not installed at /usr/bin/chromium'
  : !hasWebBuild
    ? 'web/dist is missing: run `npm run build:web`'
    : null;
if (skipReason) console.warn(`Skipping the admin daily-use browser suite: ${skipReason}.`);

async function signIn(context: BrowserContext, baseUrl: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${baseUrl}/admin/`);
  await page.getByLabel('Email').fill(OWNER);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
  return page;
}

/** The checklist step with this title, and whether it says it is done. */
async function stepDone(page: Page, title: string): Promise<boolean> {
  const step = page.locator('.checklist-steps li', { hasText: title });
  return (await step.getAttribute('class'))?.includes('done') ?? false;
}

describe.skipIf(skipReason !== null)('admin panel for daily use (empty workspace, desktop and phone)', () => {
  let server: RunningServer;
  let browser: Browser;
  let desktop: BrowserContext;
  let page: Page;
  let documentId = '';
  let contactId = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchBrowser()]);
    // A workspace with nothing in it yet (the demo tenant beside it already has documents).
    await createTenantWithAdmin(server.runtime.services.db, {
      slug: 'empty',
      name: 'Empty Co',
      adminEmail: OWNER,
      adminPassword: PASSWORD,
    });
    desktop = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    page = await signIn(desktop, server.url);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows a first-run checklist on the empty workspace that ticks itself from real state', async () => {
    const checklist = page.getByRole('region', { name: 'Get your trust center ready' });
    await checklist.waitFor();
    await expect(checklist.textContent()).resolves.toContain('0 of 5 done');
    await expect(stepDone(page, 'Connect Notion')).resolves.toBe(false);
    await expect(stepDone(page, 'Publish a document')).resolves.toBe(false);
    await expect(stepDone(page, 'Share your trust center')).resolves.toBe(false);
    await expect(checklist.getByRole('link', { name: 'Connect' }).getAttribute('href')).resolves.toBe(
      '/admin/integrations',
    );
    await screenshot(page, 'daily-01-checklist-empty');

    // Publishing a document and adding a contact tick two steps, without touching the list itself.
    await page.getByRole('link', { name: 'New document', exact: true }).click();
    await page.getByLabel('Title').fill('SOC 2 report');
    await page.getByLabel('Access level').selectOption({ label: 'Public' });
    await page.getByLabel('Content (Markdown)').fill('# SOC 2\n\nType II, no exceptions.');
    await page.getByRole('button', { name: 'Create document' }).click();
    await page.waitForURL(/\/admin\/documents\/[0-9a-f-]{36}$/);
    documentId = page.url().split('/').at(-1) ?? '';

    await page.getByRole('link', { name: 'Contacts' }).click();
    const addContact = page.getByRole('region', { name: 'Add a contact' });
    await addContact.getByLabel('Email').fill('alice@partner.example');
    await addContact.getByLabel('Name').fill('Alice');
    await addContact.getByLabel('Company').fill('Partner Inc.');
    await addContact.getByRole('button', { name: 'Add contact' }).click();
    await page.waitForURL(/\/admin\/contacts\/[0-9a-f-]{36}$/);
    contactId = page.url().split('/').at(-1) ?? '';

    await page.getByRole('link', { name: 'Documents' }).click();
    await checklist.waitFor();
    await expect.poll(() => stepDone(page, 'Publish a document'), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => stepDone(page, 'Share your trust center'), { timeout: 15_000 }).toBe(true);
    await expect(checklist.textContent()).resolves.toContain('2 of 5 done');
    await screenshot(page, 'daily-02-checklist-progress');

    // Dismissed, it stays away on this browser.
    await checklist.getByRole('button', { name: 'Hide this list' }).click();
    await checklist.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
    await expect(checklist.count()).resolves.toBe(0);
  });

  it('reads the audit log as sentences, filters it, and keeps the raw record behind Details', async () => {
    await page.goto(`${server.url}/admin/documents/${documentId}`);
    await page.getByLabel('Access level').selectOption({ label: 'Approved contacts with NDA' });
    await page.getByText('Access level set to “Approved contacts with NDA”.').waitFor();

    await page.getByRole('link', { name: 'Audit log' }).click();
    const entries = page.getByRole('list', { name: 'Audit entries' });
    await entries
      .getByText('owner@empty.test changed the access level of SOC 2 report to Approved contacts with NDA.')
      .waitFor();
    await entries.getByText('owner@empty.test added Alice as a contact.').waitFor();
    // No event codes or raw ids outside the disclosure.
    const visible = await entries.evaluate((list) =>
      [...list.querySelectorAll('.audit-sentence')].map((p) => p.textContent ?? '').join('\n'),
    );
    expect(visible).not.toMatch(/document\.created|[0-9a-f]{8}-[0-9a-f]{4}-/);

    await page.getByLabel('What').selectOption({ label: 'Contacts, requests and NDA' });
    await expect
      .poll(() => entries.locator('.audit-sentence').allTextContents(), { timeout: 15_000 })
      .toEqual(['owner@empty.test added Alice as a contact.']);
    const first = entries.locator('.audit-entry').first();
    await first.getByText('Details').click();
    await expect(first.locator('dl').textContent()).resolves.toContain('contact.created');
    await expect(first.locator('dl').textContent()).resolves.toContain(contactId);

    await page.getByLabel('What').selectOption({ label: 'Everything' });
    await page.getByLabel('Document').selectOption({ label: 'SOC 2 report' });
    await expect
      .poll(() => entries.locator('.audit-sentence').allTextContents(), { timeout: 15_000 })
      .toEqual([
        'owner@empty.test changed the access level of SOC 2 report to Approved contacts with NDA.',
        'owner@empty.test created SOC 2 report.',
      ]);
    await page.getByLabel('Who').fill('nobody-by-this-name');
    await page.getByText('Nothing matches these filters').waitFor();
    await screenshot(page, 'daily-03-audit-filtered');
  });

  it('fits a phone: menu button, no sideways scroll on any admin page', async () => {
    const phone = await browser.newContext({
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      reducedMotion: 'reduce',
      storageState: await desktop.storageState(),
    });
    const mobile = await phone.newPage();
    mobile.setDefaultTimeout(15_000);
    const paths = [
      '/documents',
      '/documents/new',
      `/documents/${documentId}`,
      '/import',
      '/integrations',
      '/settings',
      '/contacts',
      `/contacts/${contactId}`,
      '/access-requests',
      '/nda',
      '/users',
      '/audit',
    ];
    for (const path of paths) {
      await mobile.goto(`${server.url}/admin${path}`);
      await mobile.locator('main h1').first().waitFor();
      // Let the page's own data arrive before measuring.
      await expect.poll(() => mobile.locator('main .state-loading').count(), { timeout: 15_000 }).toBe(0);
      const { scrollWidth, innerWidth } = await mobile.evaluate(() => ({
        scrollWidth: document.scrollingElement?.scrollWidth ?? 0,
        innerWidth: window.innerWidth,
      }));
      expect(scrollWidth, `${path} scrolls sideways`).toBeLessThanOrEqual(innerWidth);
      // The header never covers the page title.
      const header = await mobile.locator('header.topbar').boundingBox();
      const title = await mobile.locator('main h1').first().boundingBox();
      expect(title && header && title.y >= header.y + header.height, `${path} title under the header`).toBe(true);
      await screenshot(mobile, `daily-phone${path.replace(/[/]/g, '-').replace(/-[0-9a-f-]{36}/, '-detail')}`);
    }

    const nav = mobile.getByRole('navigation', { name: 'Main' });
    await expect(nav.isVisible()).resolves.toBe(false);
    await mobile.getByRole('button', { name: 'Menu' }).click();
    await nav.waitFor({ state: 'visible' });
    await expect(mobile.getByRole('button', { name: 'Close menu' }).getAttribute('aria-expanded')).resolves.toBe(
      'true',
    );
    await screenshot(mobile, 'daily-phone-menu-open');
    await nav.getByRole('link', { name: 'Contacts' }).click();
    await mobile.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    await nav.waitFor({ state: 'hidden' });
    await mobile.getByRole('button', { name: 'Menu' }).click();
    await nav.waitFor({ state: 'visible' });
    await mobile.getByRole('button', { name: 'Close menu' }).click();
    await nav.waitFor({ state: 'hidden' });
    await phone.close();
  });
});
