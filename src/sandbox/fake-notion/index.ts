export { startFakeNotion, type FakeNotion, type StartFakeNotionOptions } from './server.ts';
export {
  FakeNotionControl,
  type FailureStatus,
  type RequestCounters,
  type RequestLogEntry,
  type WebhookListener,
} from './control.ts';
export type { NotionWebhookEvent } from './webhook-events.ts';
export { generateLargeWorkspace, generateNestedPage, type LargeWorkspace } from './generators.ts';
export { b, fakeId, prop, rich, text } from './builders.ts';
export {
  workspaceSpecSchema,
  type BlockSpec,
  type DatabaseSpec,
  type PageSpec,
  type WorkspaceSpec,
} from './workspace-spec.ts';
export type { PageEdit } from './store.ts';
