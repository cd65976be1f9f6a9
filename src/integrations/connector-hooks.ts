import type { Tx } from '../platform/db/tenant-scope.ts';
import type { IntegrationRow } from '../platform/db/schema.ts';

/**
 * What the connection lifecycle needs from the connector without importing it (dependencies point from
 * connectors to integrations, never back). The Notion connector supplies these in connectors/notion/hooks.ts.
 */
export interface ConnectorHooks {
  /** Workspace name and icon shown on the Integrations page, read through the new connection. */
  describeWorkspace(connection: {
    connectionId: string;
    providerConfigKey: string;
  }): Promise<{ name: string | null; icon: string | null }>;
  /**
   * Runs in the transaction that stores a connection. `replaced` is true when it is a different Nango
   * connection than before (a new workspace, perhaps), false for a re-authorisation of the same one.
   */
  onConnected(trx: Tx, integration: IntegrationRow, change: { replaced: boolean }): Promise<void>;
  /** Runs in the disconnect transaction, just before the record is deleted: stop work and mark documents. */
  onDisconnected(trx: Tx, integration: IntegrationRow): Promise<void>;
  /** Runs after the disconnect committed: cancel queued jobs of that connection. */
  afterDisconnected(integration: IntegrationRow): Promise<void>;
  /**
   * A provider event Nango forwarded for a connection (e.g. a Notion page edit), signature already checked.
   * Must answer fast (Nango waits on it) and return a short word for what was done. Throws only on our own
   * transient failures, so that Nango delivers the event again.
   */
  onForwardedEvent(event: { connectionId: string; payload: unknown }): Promise<string>;
}
