import fs from 'node:fs';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { AppServices } from './app-services.ts';
import { openDatabase, type DatabaseHandle } from './db/client.ts';
import { migrateToLatest } from './db/migrate.ts';
import { createStorage } from './storage/storage.ts';
import { JobQueue } from './jobs/queue.ts';
import { jobDefinitions } from './jobs/registry.ts';

export interface Runtime { services: AppServices; stop(): Promise<void> }

/**
 * Open the database (migrating it), storage and the job queue, and start job workers when this process
 * is a worker. `web` processes only enqueue; `worker` processes also run the schedule.
 */
export async function bootstrap(config: Config, logger: Logger, role: { web: boolean; worker: boolean }, openedDb?: DatabaseHandle): Promise<Runtime> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const dbHandle = openedDb ?? await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  try {
    await migrateToLatest(dbHandle.db);
    const storage = config.STORAGE_DRIVER === 's3'
      ? createStorage({ driver: 's3', bucket: config.S3_BUCKET!, region: config.S3_REGION, endpoint: config.S3_ENDPOINT, accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY, forcePathStyle: config.S3_FORCE_PATH_STYLE })
      : createStorage({ driver: 'local', dir: config.filesDir });
    const jobs = await JobQueue.start<AppServices>({ handle: dbHandle, logger, schedule: role.worker, definitions: jobDefinitions });
    const services: AppServices = { config, logger, dbHandle, db: dbHandle.db, storage, jobs };
    if (role.worker) await jobs.work(jobDefinitions, services);
    return {
      services,
      stop: async () => {
        await jobs.stop();
        await dbHandle.close();
      },
    };
  } catch (err) {
    await dbHandle.close();
    throw err;
  }
}
