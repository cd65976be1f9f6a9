import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { RunningServer } from '../../src/app/server.ts';
import type { AccessRequestList, ContactList, ContactDetail, OutboxList } from '../../src/contracts/trust-center.ts';
import {
  DOC_SCREENSHOTS,
  hasChromium,
  hasWebBuild,
  launchBrowser,
  screenshot,
  startE2eServer,
} from '../support/e2e.ts';

const skipReason = hasChromium ? null : 'Chromium is not installed at /usr/bin/chromium';
if (skipReason) console.warn(`Skipping the request browser suite: ${skipReason}.`);

const VIEWPORTS = [
  ['desktop', { width: 1280, height: 900 }],
  ['phone', { width: 390, height: 844 }],
] as const;
const TITLES = ['Penetration test summary', 'Architecture overview', 'SOC 2 Type II report'];

/** The admin API with a signed-in session, as the admin panel uses it. */
async function adminApi(baseUrl: string) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@acme.test', password: 'acme-demo-password' }),
  });
  expect(login.status).toBe(200);
  const me = (await login.json()) as { csrfToken: string };
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const raw = (method: string, path: string, json?: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': me.csrfToken,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
  const call = async <T>(method: string, path: string, json?: unknown): Promise<T> => {
    const res = await raw(method, path, json);
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return { call, raw };
}

async function pdfText(bytes: ArrayBuffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(bytes) }).promise;
  const content = await (await pdf.getPage(1)).getTextContent();
  return content.items.map((i) => ('str' in i ? i.str : '')).join(' ');
}

describe.skipIf(skipReason !== null)('one request for many documents in a real browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let api: Awaited<ReturnType<typeof adminApi>>;
  const ids: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchBrowser()]);
    api = await adminApi(server.url);
    for (const [title, accessLevel] of [
      [TITLES[0], 'contacts'],
      [TITLES[1], 'contacts'],
      [TITLES[2], 'contacts_nda'],
    ] as const) {
      const doc = await api.call<{ id: string }>('POST', '/api/documents', {
        title,
        accessLevel,
        markdown: `# ${title}\n\nBody of ${title}: for approved contacts only.`,
      });
      ids.push(doc.id);
    }
    await api.call('PUT', '/api/nda', {
      body: '# Mutual non-disclosure agreement\n\n1. You keep the documents confidential.\n2. You use them only to evaluate Acme Cloud.',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function newPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  /** The admin approves the request once in the admin panel (all three documents stay selected). */
  async function approveInAdminPanel(email: string, name: string): Promise<void> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await newPage(context);
    await page.goto(`${server.url}/admin/access-requests`);
    await page.getByLabel('Email').fill('admin@acme.test');
    await page.getByLabel('Password').fill('acme-demo-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: `Approve request from ${email}` }).click();
    await screenshot(page, `request-many-03-approve-${name}`);
    await page.getByRole('button', { name: 'Grant 3 documents and send link' }).click();
    await page.getByLabel('Magic link').waitFor();
    await context.close();
  }

  for (const [name, viewport] of VIEWPORTS) {
    it(`${name}: three documents incl. an NDA one in one request, NDA signed there; one approval; one link opens all three; certificate`, async () => {
      const email = `dana.${name}@bigbank.test`;
      const signer = `Dana Buyer ${name}`;
      const context = await browser.newContext({ viewport, deviceScaleFactor: name === 'phone' ? 2 : 1 });
      const page = await newPage(context);
      await page.goto(`${server.url}/t/acme`);
      const onRequest = page.getByRole('region', { name: 'Available on request' });
      for (const title of TITLES) await onRequest.getByRole('checkbox', { name: `Choose ${title}` }).check();
      await onRequest.getByRole('button', { name: 'Request the chosen documents' }).click();

      await page.getByRole('heading', { name: 'Request access', level: 1 }).waitFor();
      for (const title of TITLES)
        await expect(page.getByRole('checkbox', { name: new RegExp(title) }).isChecked()).resolves.toBe(true);
      await page.getByLabel('Full name', { exact: true }).fill(signer);
      await page.getByLabel('Work email').fill(email);
      await page.getByLabel('Company (optional)').fill('Big Bank');
      await page.getByLabel('Why do you need it? (optional)').fill('Vendor security review.');
      await page.getByText('Mutual non-disclosure agreement').waitFor();
      await page.getByLabel('Type your full name to sign').fill(signer);
      await page.getByRole('checkbox', { name: /I have read the agreement/ }).check();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `request-form-${name}`, DOC_SCREENSHOTS);
      await page.getByRole('button', { name: 'Send request' }).click();
      await page.getByRole('heading', { name: 'Request received' }).waitFor();
      await screenshot(page, `request-many-02-sent-${name}`);

      const pending = await api.call<AccessRequestList>('GET', '/api/access-requests?status=pending');
      const request = pending.items.find((r) => r.email === email)!;
      expect(request.documents.map((d) => d.title).sort()).toEqual([...TITLES].sort());
      expect(request.ndaAcceptance?.signatureName).toBe(signer);
      if (hasWebBuild) await approveInAdminPanel(email, name);
      else await api.call('POST', `/api/access-requests/${request.id}/approve`, {});

      // One mail, one link.
      const mails = (await api.call<OutboxList>('GET', '/api/outbox?limit=100')).items.filter(
        (m) => m.toEmail === email,
      );
      expect(mails).toHaveLength(1);
      await page.goto(mails[0]!.link!);
      await page.getByRole('button', { name: 'Continue to the documents' }).click();
      await page.getByText('Signed in as').waitFor();
      for (const [i, title] of TITLES.entries()) {
        const res = await page.goto(`${server.url}/t/acme/documents/${ids[i]}`);
        expect(res?.status(), title).toBe(200);
        await page.getByText(`Body of ${title}`).waitFor();
      }
      await screenshot(page, `request-many-04-nda-document-open-${name}`);

      // The certificate, from the contact page in the admin panel (or the API without a web build).
      const contacts = await api.call<ContactList>('GET', `/api/contacts?q=${encodeURIComponent(email)}`);
      const contact = await api.call<ContactDetail>('GET', `/api/contacts/${contacts.items[0]!.id}`);
      const acceptance = contact.ndaAcceptances[0]!;
      expect(acceptance.hasCertificate).toBe(true);
      let pdf: ArrayBuffer;
      if (hasWebBuild) {
        const adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const adminPage = await newPage(adminContext);
        await adminPage.goto(`${server.url}/admin/contacts/${contact.id}`);
        await adminPage.getByLabel('Email').fill('admin@acme.test');
        await adminPage.getByLabel('Password').fill('acme-demo-password');
        await adminPage.getByRole('button', { name: 'Sign in' }).click();
        const link = adminPage.getByRole('link', { name: 'Download certificate (PDF)' });
        await link.waitFor();
        await screenshot(adminPage, `request-many-05-contact-certificate-${name}`);
        const res = await adminPage.request.get(new URL((await link.getAttribute('href'))!, server.url).toString());
        expect(res.status()).toBe(200);
        pdf = new Uint8Array(await res.body()).buffer;
        await adminContext.close();
      } else {
        const res = await api.raw('GET', `/api/contacts/${contact.id}/nda-acceptances/${acceptance.id}/certificate`);
        pdf = await res.arrayBuffer();
      }
      const text = await pdfText(pdf);
      expect(text).toContain(signer);
      expect(text).toMatch(/NDA version\s+1/);

      // Signed out, the approved contact is offered "sign in to view" instead of a new request form.
      await page.goto(`${server.url}/t/acme`);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.goto(`${server.url}/t/acme/documents/${ids[0]}`);
      await page.getByRole('heading', { name: 'Sign in to view' }).waitFor();
      await page.getByRole('button', { name: 'Email me a link' }).waitFor();
      await expect(page.getByRole('button', { name: 'Request access' }).count()).resolves.toBe(0);
      await screenshot(page, `request-many-06-sign-in-to-view-${name}`);
      await context.close();
    });
  }

  it('auto-approve by domain grants at once', async () => {
    await api.call('POST', '/api/auto-approve-rules', { domain: 'customer.test', scope: 'all' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await newPage(context);
    await page.goto(`${server.url}/t/acme/request?doc=${ids[0]}&doc=${ids[1]}`);
    await page.getByLabel('Full name', { exact: true }).fill('Sam Customer');
    await page.getByLabel('Work email').fill('sam@customer.test');
    await page.getByRole('button', { name: 'Send request' }).click();
    await page.getByRole('heading', { name: 'Access approved' }).waitFor();
    await screenshot(page, 'request-many-07-auto-approved');
    const mails = (await api.call<OutboxList>('GET', '/api/outbox?limit=100')).items.filter(
      (m) => m.toEmail === 'sam@customer.test',
    );
    expect(mails).toHaveLength(1);
    await page.goto(mails[0]!.link!);
    await page.getByRole('button', { name: 'Continue to the documents' }).click();
    await page.getByText('Signed in as').waitFor();
    for (const i of [0, 1]) expect((await page.goto(`${server.url}/t/acme/documents/${ids[i]}`))?.status()).toBe(200);
    await context.close();
  });
});
