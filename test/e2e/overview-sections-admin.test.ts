import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RunningServer } from '../../src/app/server.ts';
import { hasChromium, hasWebBuild, launchBrowser, screenshot, startE2eServer } from '../support/e2e.ts';

const skipReason = !hasChromium
  ? 'Chromium is not installed at /usr/bin/chromium'
  : !hasWebBuild
    ? 'web/dist is missing: run `npm run build:web`'
    : null;
if (skipReason) console.warn(`Skipping the overview sections browser suite: ${skipReason}.`);

/** A content manager fills in the overview sections in the admin panel; visitors see them at once. */
describe.skipIf(skipReason !== null)('overview sections in the admin panel (real browser)', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchBrowser()]);
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/admin/`);
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill('acme-demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Documents', level: 1 }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('starts with plain empty states, then adds, edits, orders and removes entries', async () => {
    await page.getByRole('link', { name: 'Overview sections' }).click();
    await page.getByRole('heading', { name: 'Overview sections', level: 1 }).waitFor();
    await page.getByText('No certifications yet.').waitFor();
    await page.getByText('No questions yet.').waitFor();

    await page.getByRole('button', { name: 'Add certification' }).click();
    await page.getByLabel('Name', { exact: true }).fill('SOC 2 Type II');
    await page.getByLabel('Period, e.g. Nov 2025 – Oct 2026 (optional)', { exact: true }).fill('Nov 2025 – Oct 2026');
    const report = page.getByLabel('Report (a document of your trust center)', { exact: true });
    await report.locator('option:nth-child(2)').waitFor({ state: 'attached' });
    const reportTitle = (await report.locator('option:nth-child(2)').textContent())!;
    await report.selectOption({ index: 1 });
    await page
      .getByRole('form', { name: 'New certification' })
      .getByRole('button', { name: 'Add certification' })
      .click();
    await page.getByText('Saved “SOC 2 Type II”. It is on your trust center now.').waitFor();
    await page.getByText(`Report: ${reportTitle.replace(/ \(.*\)$/, '')}`).waitFor();

    await page.getByRole('button', { name: 'Add question' }).click();
    await page.getByLabel('Question', { exact: true }).fill('Do you encrypt data at rest?');
    await page.getByLabel('Answer (Markdown)', { exact: true }).fill('Yes, with **AES-256**.');
    await page.getByRole('form', { name: 'New question' }).getByRole('button', { name: 'Add question' }).click();
    await page.getByText('Saved “Do you encrypt data at rest?”').waitFor();

    await page.getByRole('button', { name: 'Add subprocessor' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Postmark');
    await page.getByLabel('Website (https://…) (optional)', { exact: true }).fill('not a link');
    await page
      .getByRole('form', { name: 'New subprocessor' })
      .getByRole('button', { name: 'Add subprocessor' })
      .click();
    await page.getByText(/must be a web address/).waitFor();
    await page.getByLabel('Website (https://…) (optional)', { exact: true }).fill('https://postmarkapp.com');
    await page
      .getByRole('form', { name: 'New subprocessor' })
      .getByRole('button', { name: 'Add subprocessor' })
      .click();
    await page.getByText('Saved “Postmark”').waitFor();

    const faq = page.locator('.entry', { hasText: 'Do you encrypt data at rest?' });
    await faq.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Question', { exact: true }).fill('Is customer data encrypted at rest?');
    await page.getByRole('form', { name: 'Edit entry' }).getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved “Is customer data encrypted at rest?”').waitFor();

    // The FAQ goes first on the page.
    await page.getByRole('button', { name: 'Move Security FAQ up' }).click();
    await page.getByRole('button', { name: 'Move Security FAQ up' }).click();
    await expect
      .poll(() => page.locator('.section-order li').first().textContent(), { timeout: 15_000 })
      .toContain('Security FAQ');
    await screenshot(page, 'overview-sections-admin');

    const site = await page.context().newPage();
    await site.goto(`${server.url}/t/acme`);
    const html = await site.content();
    expect(html.indexOf('Security FAQ')).toBeLessThan(html.indexOf('Certifications and frameworks'));
    await site.getByText('SOC 2 Type II', { exact: true }).waitFor();
    await site.getByText('Is customer data encrypted at rest?').waitFor();
    await site.getByRole('link', { name: 'Postmark' }).waitFor();

    const postmark = page.locator('.entry', { hasText: 'Postmark' });
    await postmark.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await page.getByText('Removed “Postmark”.').waitFor();
    await page.getByText('No subprocessors yet.').waitFor();
    await site.reload();
    expect(await site.getByRole('link', { name: 'Postmark' }).count()).toBe(0);
  });
});
