import { serve } from '@hono/node-server';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { bootstrap } from './bootstrap.ts';
import { createHttpApp } from './http/app.ts';
import { seedDemoTenant } from './accounts/demo-tenant.ts';

/** Web (and, unless --web-only, worker) entry point. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const webOnly = process.argv.includes('--web-only');
  const runtime = await bootstrap(config, logger, { web: true, worker: !webOnly });
  if (config.DEMO_ON_FIRST_START) await seedDemoTenant(runtime.services.db, logger, config.publicUrl);
  const app = createHttpApp(runtime.services);
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    logger.info({ port: info.port, embeddedDatabase: runtime.services.dbHandle.embedded, worker: !webOnly }, `Trust Center listening on ${config.publicUrl}`);
  });
  const shutdown = async () => {
    logger.info('shutting down');
    server.close();
    await runtime.stop();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

await main();
