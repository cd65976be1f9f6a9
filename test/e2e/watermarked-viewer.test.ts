import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { RunningServer } from '../../src/app/server.ts';
import type { ContactDetail, MagicLink } from '../../src/contracts/trust-center.ts';
import { pdfText } from '../support/pdf-text.ts';
import { DOC_SCREENSHOTS, hasChromium, launchBrowser, screenshot, startE2eServer } from '../support/e2e.ts';

const skipReason = hasChromium ? null : 'Chromium is not installed at /usr/bin/chromium';
if (skipReason) console.warn(`Skipping the watermarked viewer browser suite: ${skipReason}.`);

/** The admin API of the demo workspace, signed in (cookie + CSRF token). */
async function adminApi(baseUrl: string) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@acme.test', password: 'acme-demo-password' }),
  });
  expect(login.status).toBe(200);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const headers = { cookie: (login.headers.get('set-cookie') ?? '').split(';')[0]!, 'x-csrf-token': csrfToken };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body instanceof FormData ? headers : { ...headers, 'content-type': 'application/json' },
      body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}

describe.skipIf(skipReason !== null)('a view-only PDF in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let api: Awaited<ReturnType<typeof adminApi>>;
  let contactId = '';
  let documentId = '';

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchBrowser()]);
    api = await adminApi(server.url);
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    pdf.addPage([612, 792]).drawText('ISO 27001 certificate', { x: 56, y: 720, size: 28, font });
    const form = new FormData();
    form.append('title', 'ISO 27001 certificate');
    form.append('accessLevel', 'contacts');
    form.append('file', new Blob([new Uint8Array(await pdf.save())], { type: 'application/pdf' }), 'iso.pdf');
    documentId = (await api<{ id: string }>('POST', '/api/documents', form)).id;
    await api('PATCH', `/api/documents/${documentId}`, { viewOnly: true });
    const contact = await api<ContactDetail>('POST', '/api/contacts', {
      email: 'quinn@auditor.test',
      name: 'Quinn Auditor',
      company: 'Auditor LLP',
    });
    contactId = contact.id;
    await api('POST', `/api/contacts/${contact.id}/grants`, { documentIds: [documentId] });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const size of [
    { name: 'desktop', viewport: { width: 1280, height: 900 } },
    { name: 'phone', viewport: { width: 390, height: 844 } },
  ]) {
    it(`shows the stamped PDF framed on its page, with no download button (${size.name})`, async () => {
      const context = await browser.newContext({ viewport: size.viewport });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      // Sign-in links work once: one per browser.
      await page.goto((await api<MagicLink>('POST', `/api/contacts/${contactId}/magic-link`)).message.link!);
      await page.getByRole('button', { name: 'Continue to the documents' }).click();
      await page.getByText('Signed in as').waitFor();
      const framed = page.waitForResponse((res) => res.url().includes(`/documents/${documentId}/file`));
      await page.goto(`${server.url}/t/acme/documents/${documentId}`);
      await page.getByText('View only: this document can be read here but not downloaded.').waitFor();
      const file = await framed;
      expect(file.status()).toBe(200);
      expect(file.headers()['content-disposition']).toMatch(/^inline;/);
      await expect(page.getByRole('link', { name: /Download/ }).count()).resolves.toBe(0);
      expect(page.frames().some((f) => f.url().includes(`/documents/${documentId}/file`))).toBe(true);
      // Chromium's PDF viewer draws inside its own frame with no load signal the page can see.
      await page.waitForTimeout(4000);
      await screenshot(page, `trust-center-view-only-${size.name}`, DOC_SCREENSHOTS);
      // The same file, read again with the contact's cookie: their stamped copy.
      const copy = await page.request.get(`${server.url}/t/acme/documents/${documentId}/file`);
      expect((await pdfText(await copy.body())).join(' ')).toContain('quinn@auditor.test (Auditor LLP)');
      const refused = await page.request.get(`${server.url}/t/acme/documents/${documentId}/file?download`);
      expect(refused.status()).toBe(403);
      await context.close();
    });
  }
});
