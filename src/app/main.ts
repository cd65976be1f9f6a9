import { loadConfigOrExit } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { startServer } from './server.ts';

const config = loadConfigOrExit();
const logger = createLogger(config.LOG_LEVEL);
const running = await startServer(config, logger, {
  worker: !process.argv.includes('--web-only'),
});
const shutdown = async () => {
  logger.info('shutting down');
  await running.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
