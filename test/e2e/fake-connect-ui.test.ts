import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Nango } from '@nangohq/node';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.ts';
import { startFakeNango, type FakeNango } from '../../src/sandbox/fake-nango/index.ts';
import { startRecordingServer, type TestServer } from '../contract/nango-test-servers.ts';
import { hasChromium, launchBrowser, screenshot } from '../support/e2e.ts';

// The real SDK's Connect UI class: a dependency-free ES module, served as is to the host page.
const CONNECT_UI_JS = readFileSync(path.resolve('node_modules/@nangohq/frontend/dist/connectUI.js'), 'utf8');

if (!hasChromium)
  console.warn('Skipping the fake Connect UI browser suite: Chromium is not installed at /usr/bin/chromium.');

/** A third origin playing the admin app: mounts `ConnectUI` exactly as `nango.openConnectUI` does. */
async function startHostPage(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/connectUI.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(CONNECT_UI_JS);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><html><body><script type="module">
import { ConnectUI } from '/connectUI.js';
window.events = [];
window.openConnect = (baseURL, apiURL, sessionToken) => {
  const ui = new ConnectUI({ baseURL, apiURL, onEvent: (e) => { window.events.push(e); } });
  ui.open();
  ui.setSessionToken(sessionToken);
};
window.hostReady = true;
</script></body></html>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe.skipIf(!hasChromium)('fake Connect UI inside @nangohq/frontend ConnectUI (Chromium)', () => {
  const secretKey = randomUUID();
  const webhookSigningKey = randomUUID();
  let fake: FakeNango;
  let receiver: TestServer;
  let host: Awaited<ReturnType<typeof startHostPage>>;
  let browser: Browser;
  let page: Page;
  let nango: Nango;

  beforeAll(async () => {
    receiver = await startRecordingServer(() => ({ status: 200 }));
    fake = await startFakeNango({
      secretKey,
      webhookSigningKey,
      webhookUrl: receiver.url,
      notionBaseUrl: 'http://127.0.0.1:9',
      logger: createLogger('silent'),
      webhookRetryDelaysMs: [0, 0],
    });
    nango = new Nango({ apiKey: secretKey, host: fake.url, webhookSigningKey });
    [host, browser] = await Promise.all([startHostPage(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([host?.close(), fake?.close(), receiver?.close()]);
  });

  beforeEach(async () => {
    fake.control.reset();
    receiver.received.length = 0;
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(10_000);
    await page.goto(host.url);
    await page.waitForFunction(() => (window as unknown as { hostReady?: boolean }).hostReady === true);
  });

  const open = async () => {
    const { data } = await nango.createConnectSession({
      end_user: { id: 'admin-1', email: 'admin@acme.test' },
      organization: { id: 'tenant-1', display_name: 'Acme' },
    });
    await page.evaluate(
      ([baseURL, apiURL, token]) =>
        (window as unknown as { openConnect: (a: string, b: string, c: string) => void }).openConnect(
          baseURL,
          apiURL,
          token,
        ),
      [new URL(data.connect_link).origin, fake.url, data.token] as const,
    );
    return page.frameLocator('#connect-ui');
  };
  const events = () => page.evaluate(() => (window as unknown as { events: Array<{ type: string }> }).events);

  it('ready → token → consent → connect event from the Connect UI origin; Finish closes the iframe', async () => {
    const frame = await open();
    await frame.getByRole('button', { name: 'Allow access' }).click();
    await frame.getByRole('heading', { name: 'Connected' }).waitFor();
    await screenshot(page, 'fake-connect-ui-connected');
    const [connection] = fake.control.connections();
    await expect.poll(events).toEqual([
      { type: 'ready' },
      {
        type: 'connect',
        payload: { providerConfigKey: 'notion', connectionId: connection?.connectionId, isPending: false },
      },
    ]);
    const src = await page.locator('#connect-ui').getAttribute('src');
    expect(new URL(src ?? '').origin).toBe(fake.connectUiUrl);
    expect(src).not.toContain('session_token');

    await frame.getByRole('button', { name: 'Finish' }).click();
    await page.locator('#connect-ui').waitFor({ state: 'detached' });
    expect((await events()).at(-1)).toEqual({ type: 'close' });
    await receiver.waitFor(1);
  });

  it('Cancel on the consent posts the error event; Close removes the iframe (phone size)', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const frame = await open();
    await frame.getByRole('button', { name: 'Cancel' }).waitFor();
    await screenshot(page, 'fake-connect-ui-consent-phone');
    await frame.getByRole('button', { name: 'Cancel' }).click();
    await frame.getByRole('heading', { name: 'Could not connect Notion' }).waitFor();
    await expect.poll(events).toContainEqual({
      type: 'error',
      payload: {
        errorType: 'callback_err',
        errorMessage: 'Did not get authorization code in the callback. Provider error: error: access_denied',
      },
    });
    await frame.getByRole('button', { name: 'Close', exact: true }).click();
    await page.locator('#connect-ui').waitFor({ state: 'detached' });
    expect(fake.control.connections()).toEqual([]);
  });

  it('the SDK ignores the same page when told the API origin is the Connect UI (messages from another origin)', async () => {
    const { data } = await nango.createConnectSession({ end_user: { id: 'admin-1' } });
    await page.evaluate(
      ([baseURL, apiURL, token]) =>
        (window as unknown as { openConnect: (a: string, b: string, c: string) => void }).openConnect(
          baseURL,
          apiURL,
          token,
        ),
      [fake.url, fake.url, data.token] as const,
    );
    await page.locator('#connect-ui').waitFor();
    expect(await page.frameLocator('#connect-ui').locator('body').textContent()).toContain('not_found');
    expect(await events()).toEqual([]);
  });
});
