import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createFakeNotionApp } from './app.ts';
import { FakeNotionControl } from './control.ts';
import { FileUrlSigner } from './file-urls.ts';
import { FakeNotionStore } from './store.ts';
import { workspaceSpecSchema, type WorkspaceSpec } from './workspace-spec.ts';

export interface StartFakeNotionOptions {
  workspace: WorkspaceSpec;
  /** 0 or absent = an ephemeral port. */
  port?: number;
  hostname?: string;
  latencyMs?: number;
}

export interface FakeNotion {
  /** Base URL without `/v1`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The workspace's id, as Notion reports it in `/v1/users/me` and in webhook events. */
  workspaceId: string;
  control: FakeNotionControl;
  close(): Promise<void>;
}

/** Starts the fake Notion API on 127.0.0.1 (by default on an ephemeral port). */
export async function startFakeNotion(options: StartFakeNotionOptions): Promise<FakeNotion> {
  const store = new FakeNotionStore(workspaceSpecSchema.parse(options.workspace));
  const control = new FakeNotionControl(store, options.latencyMs ?? 0);
  const app = createFakeNotionApp({
    store,
    control,
    signer: new FileUrlSigner(),
  });
  const hostname = options.hostname ?? '127.0.0.1';
  const { server, port } = await new Promise<{
    server: ReturnType<typeof serve>;
    port: number;
  }>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname }, (info: AddressInfo) =>
      resolve({ server: s, port: info.port }),
    );
    s.once('error', reject);
  });
  return {
    url: `http://${hostname}:${port}`,
    workspaceId: store.spec.workspaceId,
    control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
