import { randomBytes, randomUUID } from 'node:crypto';

/** Connect sessions live 30 minutes, like Nango's `CONNECT_SESSION_TTL_MS`. */
const SESSION_TTL_MS = 30 * 60 * 1000;

export interface EndUserInput {
  id: string;
  email?: string | undefined;
  display_name?: string | undefined;
  tags?: Record<string, string> | undefined;
}

export interface OrganizationInput {
  id: string;
  display_name?: string | undefined;
}

export interface FakeSession {
  token: string;
  expiresAt: number;
  endUser: EndUserInput | null;
  organization: OrganizationInput | null;
  allowedIntegrations: string[] | null;
  tags: Record<string, string>;
  webhookUrlOverride: string | null;
  /** Set for reconnect sessions: completing auth re-uses this connection instead of creating one. */
  reconnectConnectionId: string | null;
}

export interface FakeCredentials {
  type: 'OAUTH2';
  access_token: string;
  raw: {
    access_token: string;
    token_type: 'bearer';
    bot_id: string;
    workspace_id: string;
    workspace_name: string;
    workspace_icon: string;
    owner: { type: 'user'; user: { object: 'user'; id: string } };
    duplicated_template_id: null;
  };
}

export interface FakeConnection {
  id: number;
  connectionId: string;
  providerConfigKey: string;
  provider: string;
  endUser: EndUserInput | null;
  organization: OrganizationInput | null;
  tags: Record<string, string>;
  metadata: Record<string, unknown> | null;
  connectionConfig: { workspace_id: string };
  webhookUrlOverride: string | null;
  createdAt: number;
  updatedAt: number;
  credentials: FakeCredentials;
  /** Log id of the active auth error (a failed refresh); Nango lists it under `errors` until it clears. */
  authErrorLogId: string | null;
  deleted: boolean;
}

export interface ProxiedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  status: number | null;
}

const WORKSPACE_NAME = 'Acme Security (sandbox)';
// Notion returns an emoji or an image URL here; an emoji keeps the fake free of external assets.
const WORKSPACE_ICON = '🛡️';

/** In-memory state of one fake Nango environment, with a clock that tests can move forward. */
export class FakeNangoStore {
  sessions = new Map<string, FakeSession>();
  connections = new Map<string, FakeConnection>();
  proxied: ProxiedRequest[] = [];
  private nextId = 1;
  private clockOffsetMs = 0;

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  reset(): void {
    this.sessions.clear();
    this.connections.clear();
    this.proxied = [];
    this.nextId = 1;
    this.clockOffsetMs = 0;
  }

  createSession(input: Omit<FakeSession, 'token' | 'expiresAt'>): FakeSession {
    const session: FakeSession = {
      ...input,
      token: `nango_connect_session_${randomBytes(32).toString('hex')}`,
      expiresAt: this.now() + SESSION_TTL_MS,
    };
    this.sessions.set(session.token, session);
    return session;
  }

  /** A session stays usable until it expires, even after a connection was created with it. */
  liveSession(token: string): FakeSession | undefined {
    const session = this.sessions.get(token);
    return session && session.expiresAt > this.now() ? session : undefined;
  }

  liveConnection(connectionId: string, providerConfigKey?: string): FakeConnection | undefined {
    const conn = this.connections.get(connectionId);
    if (!conn || conn.deleted) return undefined;
    if (providerConfigKey !== undefined && conn.providerConfigKey !== providerConfigKey) return undefined;
    return conn;
  }

  liveConnections(): FakeConnection[] {
    return [...this.connections.values()].filter((c) => !c.deleted);
  }

  createConnection(
    session: Pick<FakeSession, 'endUser' | 'organization' | 'tags' | 'webhookUrlOverride'>,
    providerConfigKey: string,
    opts: { workspaceId?: string; accessToken?: string; connectionId?: string },
  ): FakeConnection {
    const now = this.now();
    const workspaceId = opts.workspaceId ?? randomUUID();
    const conn: FakeConnection = {
      id: this.nextId++,
      connectionId: opts.connectionId ?? randomUUID(),
      providerConfigKey,
      provider: 'notion',
      endUser: session.endUser,
      organization: session.organization,
      tags: { ...session.tags },
      metadata: null,
      connectionConfig: { workspace_id: workspaceId },
      webhookUrlOverride: session.webhookUrlOverride,
      createdAt: now,
      updatedAt: now,
      credentials: newCredentials(workspaceId, opts.accessToken),
      authErrorLogId: null,
      deleted: false,
    };
    this.connections.set(conn.connectionId, conn);
    return conn;
  }

  /** Re-authorisation keeps the connection id and replaces the tokens, like Nango's override flow. */
  overrideConnection(conn: FakeConnection, session: FakeSession, opts: { accessToken?: string }): FakeConnection {
    conn.credentials = newCredentials(conn.connectionConfig.workspace_id, opts.accessToken);
    conn.tags = { ...conn.tags, ...session.tags };
    conn.endUser = session.endUser ?? conn.endUser;
    conn.organization = session.organization ?? conn.organization;
    conn.updatedAt = this.now();
    return conn;
  }
}

function newCredentials(workspaceId: string, accessToken?: string): FakeCredentials {
  const token = accessToken ?? `ntn_${randomBytes(24).toString('hex')}`;
  return {
    type: 'OAUTH2',
    access_token: token,
    raw: {
      access_token: token,
      token_type: 'bearer',
      bot_id: randomUUID(),
      workspace_id: workspaceId,
      workspace_name: WORKSPACE_NAME,
      workspace_icon: WORKSPACE_ICON,
      owner: { type: 'user', user: { object: 'user', id: randomUUID() } },
      duplicated_template_id: null,
    },
  };
}
