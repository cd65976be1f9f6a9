import fs from 'node:fs';
import type { Config } from '../platform/config.ts';
import type { Logger } from '../platform/logger.ts';
import type { AppServices } from '../platform/app-services.ts';
import { openDatabase, type DatabaseHandle } from '../platform/db/client.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { createStorage } from '../platform/storage/storage.ts';
import { sweepTemporaryFiles } from '../platform/storage/local-storage.ts';
import { JobQueue } from '../platform/jobs/queue.ts';
import { listAllConnections } from '../integrations/connections.repo.ts';
import { jobDefinitions, maintenance, schedules } from './job-registry.ts';
import type { Sandbox, SandboxAccess } from '../sandbox/sandbox.ts';
import { serveCliHandoff } from './cli-handoff.ts';
import type { NangoSettings } from '../platform/app-services.ts';

/** How long a worker started before the web process waits for the sandbox's fakes. */
const SANDBOX_JOIN_TIMEOUT_MS = 60_000;

/** A temporary file untouched this long belongs to no live upload (those write to it continuously). */
const TEMP_FILE_GRACE_MS = 15 * 60_000;

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
      onConnectionError: (err) => logger.warn({ err }, 'a database connection was lost; it will be replaced'),
    }));
  let sandbox: Sandbox | null = null;
  let forgetSandbox = () => {};
  try {
    await migrateToLatest(dbHandle.db);
    const storage =
      config.STORAGE_DRIVER === 's3'
        ? await createStorage({
            driver: 's3',
            bucket: config.S3_BUCKET!,
            region: config.S3_REGION,
            endpoint: config.S3_ENDPOINT,
            accessKeyId: config.S3_ACCESS_KEY_ID,
            secretAccessKey: config.S3_SECRET_ACCESS_KEY,
            forcePathStyle: config.S3_FORCE_PATH_STYLE,
          })
        : await createStorage({ driver: 'local', dir: config.filesDir });
    if (config.STORAGE_DRIVER === 'local') {
      const swept = await sweepTemporaryFiles(config.filesDir, TEMP_FILE_GRACE_MS);
      if (swept.files > 0) logger.info(swept, 'removed temporary files of interrupted uploads');
    }
    // Loaded only in sandbox mode, so production never loads the fakes. They run once, in the web process;
    // a worker-only process joins them (sandbox.json in DATA_DIR) instead of starting fakes of its own.
    const sandboxModule = config.sandbox ? await import('../sandbox/sandbox.ts') : null;
    sandbox = sandboxModule && role.web ? await sandboxModule.startSandbox(config, logger) : null;
    if (sandboxModule && sandbox) forgetSandbox = sandboxModule.recordSandbox(config.dataDir, sandbox);
    const sandboxAccess: SandboxAccess | null =
      sandbox ?? (sandboxModule ? await sandboxModule.joinSandbox(config.dataDir, SANDBOX_JOIN_TIMEOUT_MS) : null);
    if (sandbox) {
      // The fakes keep nothing on disk; connections stored before a restart are recreated so they keep working.
      for (const row of await listAllConnections(dbHandle.db))
        sandbox.fakeNango.control.restoreConnection({
          connectionId: row.nango_connection_id,
          organizationId: row.tenant_id,
          endUserId: row.connected_by,
        });
    }
    const nangoSettings = resolveNangoSettings(config, sandboxAccess);
    const jobs = await JobQueue.start<AppServices>({
      handle: dbHandle,
      logger,
      schedule: role.worker,
      definitions: jobDefinitions,
    });
    const services: AppServices = {
      lifecycle: { draining: false, beforeStop: [] },
      config,
      logger,
      dbHandle,
      db: dbHandle.db,
      storage,
      jobs,
      sandbox: sandboxAccess && {
        nangoHost: sandboxAccess.nangoHost,
        nangoConnectUiUrl: sandboxAccess.nangoConnectUiUrl,
        notionBaseUrl: sandboxAccess.notionBaseUrl,
      },
      nangoSettings,
      downloadPolicy: {
        maxBytes: config.DOWNLOAD_MAX_BYTES,
        timeoutMs: config.DOWNLOAD_TIMEOUT_MS,
        // The sandbox's fake Notion serves files over plain HTTP on loopback; nothing else gets that exemption,
        // and it names the port, so other services on loopback stay out of reach.
        allowHttpHosts: sandboxAccess
          ? [...config.DOWNLOAD_HTTP_ALLOW_HOSTS, new URL(sandboxAccess.notionBaseUrl).host]
          : config.DOWNLOAD_HTTP_ALLOW_HOSTS,
      },
    };
    const upkeep = role.worker ? maintenance.map((task) => startMaintenance(services, task)) : [];
    if (role.worker) {
      await jobs.work(jobDefinitions, services);
      for (const { job, cron } of schedules) await jobs.schedule(job, cron, {});
    }
    // This process holds the embedded database: CLI processes hand their commands to it (app/cli-handoff.ts).
    const stopHandoff =
      dbHandle.embedded && !openedDb
        ? await serveCliHandoff(config.dataDir, { config, withDb: (fn) => fn(dbHandle.db) }, logger).catch(
            (err: unknown) => {
              // The app works without it; only the CLI must then wait until the app is stopped.
              logger.warn({ err }, 'CLI commands cannot be handed to this process (socket not available)');
              return undefined;
            },
          )
        : undefined;
    return {
      services,
      stop: async () => {
        services.lifecycle.draining = true;
        await stopHandoff?.();
        await Promise.all(upkeep.map((task) => task.stop()));
        // Running jobs get the grace period to finish; what is still running then is handed back.
        await jobs.stop(config.SHUTDOWN_GRACE_SECONDS * 1000);
        await Promise.all(services.lifecycle.beforeStop.map((flush) => flush()));
        forgetSandbox();
        await sandbox?.close();
        await dbHandle.close();
      },
    };
  } catch (err) {
    forgetSandbox();
    await sandbox?.close();
    await dbHandle.close();
    throw err;
  }
}

/**
 * Run an upkeep task (the connector's reaper) now, for work handed back by a process that shut down, and
 * then every `intervalMs`. Passes never overlap within a process; the tasks are safe across processes.
 */
function startMaintenance(s: AppServices, task: (typeof maintenance)[number]): { stop(): Promise<void> } {
  let pass: Promise<void> = Promise.resolve();
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    pass = task
      .run(s)
      .then(() => s.logger.debug('maintenance pass done'))
      .catch((err: unknown) => s.logger.warn({ err }, 'maintenance pass failed'))
      .finally(() => {
        running = false;
      });
  };
  tick();
  const timer = setInterval(tick, task.intervalMs(s));
  return {
    stop: async () => {
      clearInterval(timer);
      await pass;
    },
  };
}

/** Real Nango from configuration, or the sandbox's fake; null when neither is available. */
function resolveNangoSettings(config: Config, sandbox: SandboxAccess | null): NangoSettings | null {
  if (sandbox)
    return {
      host: sandbox.nangoHost,
      secretKey: sandbox.secretKey,
      webhookSigningKey: sandbox.webhookSigningKey,
      integrationId: config.NANGO_INTEGRATION_ID,
      connectUiUrl: null,
    };
  if (!config.NANGO_SECRET_KEY) return null;
  return {
    host: config.NANGO_HOST,
    secretKey: config.NANGO_SECRET_KEY,
    // loadConfig refuses to start without the signing key when NANGO_SECRET_KEY is set.
    webhookSigningKey: config.NANGO_WEBHOOK_SIGNING_KEY ?? '',
    integrationId: config.NANGO_INTEGRATION_ID,
    connectUiUrl: config.NANGO_CONNECT_UI_URL ?? null,
  };
}
