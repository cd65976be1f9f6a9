import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import { bootstrap, type Runtime } from './bootstrap.ts';
import type { DatabaseHandle } from '../platform/db/client.ts';
import { createHttpApp } from './http-app.ts';
import { seedDemoTenant } from './demo-tenant.ts';

export interface RunningServer {
  url: string;
  runtime: Runtime;
  server: ServerType;
  close(): Promise<void>;
}

/** Start the HTTP server (and the worker unless `worker` is false). Port 0 picks a free port. */
export async function startServer(
  config: Config,
  logger: Logger,
  opts: { worker: boolean; db?: DatabaseHandle },
): Promise<RunningServer> {
  const runtime = await bootstrap(config, logger, { web: true, worker: opts.worker }, opts.db);
  try {
    const app = createHttpApp(runtime.services);
    const server = serve({
      fetch: app.fetch,
      port: config.PORT,
      hostname: config.HOST,
    });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.HOST}:${port}`;
    // With PORT=0 the address is only known now; links we hand out (webhooks, magic links) must use it.
    if (config.PORT === 0 && !config.PUBLIC_URL) config.publicUrl = url;
    if (config.DEMO_ON_FIRST_START) await seedDemoTenant(runtime.services.db, logger, config.publicUrl);
    logger.info(
      {
        url,
        embeddedDatabase: runtime.services.dbHandle.embedded,
        worker: opts.worker,
        sandbox: config.sandbox,
      },
      `Trust Center listening on ${config.publicUrl}`,
    );
    return {
      url,
      runtime,
      server,
      close: async () => {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await runtime.stop();
      },
    };
  } catch (err) {
    await runtime.stop();
    throw err;
  }
}
