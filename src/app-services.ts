import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { DatabaseHandle } from './db/client.ts';
import type { Db } from './db/tenant-scope.ts';
import type { FileStorage } from './storage/storage.ts';
import type { JobQueue } from './jobs/queue.ts';

/** Everything a request handler or job needs, built once at start (see src/bootstrap.ts). */
export interface AppServices {
  config: Config;
  logger: Logger;
  dbHandle: DatabaseHandle;
  db: Db;
  storage: FileStorage;
  jobs: JobQueue<AppServices>;
}
