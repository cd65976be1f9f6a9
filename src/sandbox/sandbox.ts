import crypto from 'node:crypto';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import { startFakeNotion, type FakeNotion } from './fake-notion/index.ts';
import { startFakeNango, type FakeNango } from './fake-nango/index.ts';
import { demoWorkspace } from './demo-workspace/workspace.ts';

export interface Sandbox {
  nangoHost: string;
  /** The fake Nango's Connect UI origin (its own port, as Nango Cloud's connect.nango.dev). */
  nangoConnectUiUrl: string;
  notionBaseUrl: string;
  secretKey: string;
  webhookSigningKey: string;
  fakeNotion: FakeNotion;
  fakeNango: FakeNango;
  close(): Promise<void>;
}

/**
 * Sandbox mode: a fake Nango and a fake Notion holding the demo workspace, in this process, so the whole
 * connect → import → sync flow works with no accounts and no network. Keys are random per start; the
 * real SDKs talk to the fakes over HTTP exactly as they would to the real services.
 */
export async function startSandbox(config: Config, logger: Logger): Promise<Sandbox> {
  const fakeNotion = await startFakeNotion({
    workspace: demoWorkspace(),
    port: config.SANDBOX_NOTION_PORT,
  });
  const secretKey = crypto.randomUUID();
  const webhookSigningKey = crypto.randomUUID();
  const fakeNango = await startFakeNango({
    port: config.SANDBOX_NANGO_PORT,
    secretKey,
    webhookSigningKey,
    integrationId: config.NANGO_INTEGRATION_ID,
    notionBaseUrl: fakeNotion.url,
    // Read lazily: with PORT=0 the app's address is only known after it starts listening.
    webhookUrl: () => `${config.publicUrl}/api/webhooks/nango`,
    notionWorkspaceId: fakeNotion.workspaceId,
    logger,
  });
  // Notion POSTs its webhook events to Nango, which routes them by workspace and forwards them to us.
  const unsubscribe = fakeNotion.control.onWebhookEvent((event, _rawBody, headers) => {
    void fakeNango.control.forwardNotionEvent(event, headers);
  });
  logger.warn(
    { nangoHost: fakeNango.url, nangoConnectUiUrl: fakeNango.connectUiUrl, notionBaseUrl: fakeNotion.url },
    'SANDBOX MODE: Notion and Nango are simulated in-process with a demo workspace. Set NANGO_SECRET_KEY to use real Nango.',
  );
  return {
    nangoHost: fakeNango.url,
    nangoConnectUiUrl: fakeNango.connectUiUrl,
    notionBaseUrl: fakeNotion.url,
    secretKey,
    webhookSigningKey,
    fakeNotion,
    fakeNango,
    close: async () => {
      unsubscribe();
      await fakeNango.close();
      await fakeNotion.close();
    },
  };
}
