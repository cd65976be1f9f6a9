import type { AppServices } from '../platform/app-services.ts';
import type { JobDefinition } from '../platform/jobs/queue.ts';
import { notionConnector } from '../connectors/notion/index.ts';

/** Every declared job; queues are created for all of them at start. */
export const jobDefinitions: JobDefinition<unknown, AppServices>[] = [...notionConnector.jobs];

/** Recurring jobs a worker schedules. */
export const schedules = notionConnector.schedules;
