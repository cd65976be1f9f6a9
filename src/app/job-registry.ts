import type { AppServices } from '../platform/app-services.ts';
import type { JobDefinition } from '../platform/jobs/queue.ts';
import { notionConnector } from '../connectors/notion/index.ts';
import { unreferencedFileSweep } from '../documents/asset-sweep.ts';

/** Every declared job; queues are created for all of them at start. */
export const jobDefinitions: JobDefinition<unknown, AppServices>[] = [...notionConnector.jobs];

/** Recurring jobs a worker schedules. */
export const schedules = notionConnector.schedules;

/** Upkeep each worker process runs on a timer: the reaper of stuck work, the sweep of unreferenced files. */
export const maintenance = [notionConnector.maintenance, unreferencedFileSweep];
