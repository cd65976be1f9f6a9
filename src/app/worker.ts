import { loadConfigOrExit } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { bootstrap } from './bootstrap.ts';

/** Worker-only entry point: runs jobs and the schedule against a shared PostgreSQL, serves no HTTP. */
const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);
const runtime = await bootstrap(config, logger, { web: false, worker: true });
logger.info('worker started');
/** SIGTERM: running jobs get SHUTDOWN_GRACE_SECONDS to finish; what is still running is handed back. */
const shutdown = async () => {
  logger.info('shutting down');
  await runtime.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
