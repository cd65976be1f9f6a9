import fs from 'node:fs';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { AppServices } from '../platform/app-services.ts';
import { openDatabase, type DatabaseHandle } from '../platform/db/client.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { createStorage } from '../platform/storage/storage.ts';
import { JobQueue } from '../platform/jobs/queue.ts';
import { jobDefinitions, schedules } from './job-registry.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import type { NangoSettings } from '../platform/app-services.ts';

export interface Runtime {
  services: AppServices;
  stop(): Promise<void>;
}

/**
 * Open the database (migrating it), storage and the job queue, and start job workers when this process
 * is a worker. `web` processes only enqueue; `worker` processes also run the schedule.
 */
export async function bootstrap(
  config: Config,
  logger: Logger,
  role: { web: boolean; worker: boolean },
  openedDb?: DatabaseHandle,
): Promise<Runtime> {
  for (const warning of config.warnings) logger.warn(warning);
  fs.mkdirSync(config.dataDir, { recursive: true });
  const dbHandle =
    openedDb ??
    (await openDatabase({
      databaseUrl: config.DATABASE_URL,
      dataDir: config.dataDir,
      onIdleClientError: (err) => logger.warn({ err }, 'an idle database connection was closed by the server'),
    }));
  let sandbox: Sandbox | null = null;
  try {
    await migrateToLatest(dbHandle.db);
    const storage =
      config.STORAGE_DRIVER === 's3'
        ? createStorage({
            driver: 's3',
            bucket: config.S3_BUCKET!,
            region: config.S3_REGION,
            endpoint: config.S3_ENDPOINT,
            accessKeyId: config.S3_ACCESS_KEY_ID,
            secretAccessKey: config.S3_SECRET_ACCESS_KEY,
            forcePathStyle: config.S3_FORCE_PATH_STYLE,
          })
        : createStorage({ driver: 'local', dir: config.filesDir });
    // Loaded only in sandbox mode, so production never loads the fakes.
    sandbox = config.sandbox ? await (await import('../sandbox/sandbox.ts')).startSandbox(config, logger) : null;
    if (sandbox) {
      // The fakes keep nothing on disk; connections stored before a restart are recreated so they keep working.
      const stored = await dbHandle.db
        .selectFrom('integrations')
        .select(['nango_connection_id', 'tenant_id', 'connected_by'])
        .execute();
      for (const row of stored)
        sandbox.fakeNango.control.restoreConnection({
          connectionId: row.nango_connection_id,
          organizationId: row.tenant_id,
          endUserId: row.connected_by,
        });
    }
    const nangoSettings = resolveNangoSettings(config, sandbox);
    const jobs = await JobQueue.start<AppServices>({
      handle: dbHandle,
      logger,
      schedule: role.worker,
      definitions: jobDefinitions,
    });
    const services: AppServices = {
      config,
      logger,
      dbHandle,
      db: dbHandle.db,
      storage,
      jobs,
      sandbox,
      nangoSettings,
      downloadPolicy: {
        maxBytes: config.DOWNLOAD_MAX_BYTES,
        timeoutMs: config.DOWNLOAD_TIMEOUT_MS,
        // The sandbox's fake Notion serves files over plain HTTP on loopback; nothing else gets that exemption.
        allowHttpHosts: sandbox
          ? [...config.DOWNLOAD_HTTP_ALLOW_HOSTS, new URL(sandbox.notionBaseUrl).hostname]
          : config.DOWNLOAD_HTTP_ALLOW_HOSTS,
      },
    };
    if (role.worker) {
      await jobs.work(jobDefinitions, services);
      for (const { job, cron } of schedules) await jobs.schedule(job, cron, {});
    }
    return {
      services,
      stop: async () => {
        await jobs.stop();
        await sandbox?.close();
        await dbHandle.close();
      },
    };
  } catch (err) {
    await sandbox?.close();
    await dbHandle.close();
    throw err;
  }
}

/** Real Nango from configuration, or the sandbox's fake; null when neither is available. */
function resolveNangoSettings(config: Config, sandbox: Sandbox | null): NangoSettings | null {
  if (sandbox)
    return {
      host: sandbox.nangoHost,
      secretKey: sandbox.secretKey,
      webhookSigningKey: sandbox.webhookSigningKey,
      integrationId: config.NANGO_INTEGRATION_ID,
    };
  if (!config.NANGO_SECRET_KEY) return null;
  return {
    host: config.NANGO_HOST,
    secretKey: config.NANGO_SECRET_KEY,
    webhookSigningKey: config.NANGO_WEBHOOK_SIGNING_KEY ?? config.NANGO_SECRET_KEY,
    integrationId: config.NANGO_INTEGRATION_ID,
  };
}
