import { loadConfigOrExit } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { startServer } from './server.ts';

const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);
const running = await startServer(config, logger, {
  worker: !process.argv.includes('--web-only'),
});
/**
 * SIGTERM: /readyz turns 503 at once so a load balancer stops sending requests, open requests finish,
 * running jobs get SHUTDOWN_GRACE_SECONDS and what is still running is handed back to the queue.
 */
const shutdown = async () => {
  logger.info('shutting down');
  running.runtime.services.lifecycle.draining = true;
  await running.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
