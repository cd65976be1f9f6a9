import type { AppServices } from '../app-services.ts';
import type { JobDefinition } from './queue.ts';

/** Every declared job; queues are created for all of them at start. */
export const jobDefinitions: JobDefinition<unknown, AppServices>[] = [];
