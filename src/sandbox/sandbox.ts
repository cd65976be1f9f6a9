import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import { startFakeNotion, type FakeNotion } from './fake-notion/index.ts';
import { startFakeNango, type FakeNango } from './fake-nango/index.ts';
import { demoWorkspace } from './demo-workspace/workspace.ts';

/** Where the sandbox's fakes listen and the keys to use them: all another process needs to join them. */
export interface SandboxAccess {
  nangoHost: string;
  /** The fake Nango's Connect UI origin (its own port, as Nango Cloud's connect.nango.dev). */
  nangoConnectUiUrl: string;
  notionBaseUrl: string;
  secretKey: string;
  webhookSigningKey: string;
}

export interface Sandbox extends SandboxAccess {
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

/** The file in DATA_DIR through which worker processes find the fakes a web process runs. */
const endpointsFile = (dataDir: string) => path.join(dataDir, 'sandbox.json');

/**
 * Record where this process's fakes listen, so `start:worker` processes on the same DATA_DIR use them instead
 * of starting fakes of their own (which would know none of the connections). Readable by the owner only:
 * it holds the fakes' random keys.
 */
export function recordSandbox(dataDir: string, sandbox: SandboxAccess): () => void {
  const file = endpointsFile(dataDir);
  const { nangoHost, nangoConnectUiUrl, notionBaseUrl, secretKey, webhookSigningKey } = sandbox;
  const record = { pid: process.pid, nangoHost, nangoConnectUiUrl, notionBaseUrl, secretKey, webhookSigningKey };
  fs.writeFileSync(file, JSON.stringify(record), {
    mode: 0o600,
  });
  return () => {
    const current = readEndpoints(dataDir);
    if (current?.pid === process.pid) fs.rmSync(file, { force: true });
  };
}

function readEndpoints(dataDir: string): (SandboxAccess & { pid: number }) | null {
  try {
    return JSON.parse(fs.readFileSync(endpointsFile(dataDir), 'utf8')) as SandboxAccess & { pid: number };
  } catch {
    return null;
  }
}

/**
 * The fakes of the web process on this DATA_DIR, waiting up to `timeoutMs` for it to start them (workers may
 * start first). A record left by a process that is gone does not count.
 */
export async function joinSandbox(dataDir: string, timeoutMs: number): Promise<SandboxAccess> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readEndpoints(dataDir);
    if (found && isAlive(found.pid)) {
      const { nangoHost, nangoConnectUiUrl, notionBaseUrl, secretKey, webhookSigningKey } = found;
      return { nangoHost, nangoConnectUiUrl, notionBaseUrl, secretKey, webhookSigningKey };
    }
    if (Date.now() > deadline)
      throw new Error(
        `Sandbox mode: no web process runs the sandbox's fake Nango and Notion for ${dataDir}. Start \`npm run start:web\` with the same DATA_DIR first.`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
