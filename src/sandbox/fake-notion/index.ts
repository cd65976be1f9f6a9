export { startFakeNotion, type FakeNotion } from './server.ts';
export type { RequestLogEntry } from './control.ts';
export type { NotionWebhookEvent } from './webhook-events.ts';
export { generateLargeWorkspace, generateNestedPage } from './generators.ts';
export { b, fakeId, rich } from './builders.ts';
export type { BlockSpec, PageSpec } from './workspace-spec.ts';
