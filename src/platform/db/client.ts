import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.ts';

/**
 * PGlite's node-postgres shim shares ONE backend session; pg-pool's default `query()` destroys the client
 * after a SQL error, and the replacement would reuse the same session out of protocol sync. Checking out
 * and releasing explicitly keeps that single session healthy.
 */
class PglitePool extends pg.Pool {
  // @ts-expect-error promise-only override of an overloaded method
  override async query(text: string, values?: unknown[]) {
    const client = await this.connect();
    try {
      return await client.query(text, values);
    } finally {
      client.release();
    }
  }
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  /** The one pool for this database. pg-boss shares it in embedded mode (one PGlite = one session). */
  pool: pg.Pool;
  embedded: boolean;
  databaseUrl: string | undefined;
  /**
   * Embedded only: subscribe to NOTIFY on a channel. PGlite is one session in this process, so a
   * notification is delivered before the committing statement returns, with no delay and no loss.
   */
  listen?: (channel: string, onPayload: (payload: string) => void) => Promise<void>;
  close(): Promise<void>;
}

/** Open real PostgreSQL when a URL is given, otherwise embedded PGlite persisted under dataDir. */
export async function openDatabase(opts: {
  databaseUrl?: string | undefined;
  dataDir?: string;
  onConnectionError?: (err: Error) => void;
}): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 10,
      // A server that stopped answering must fail a checkout (503, retried by the client) rather than hold
      // the request forever; keep-alive notices half-open connections after a failover.
      connectionTimeoutMillis: 10_000,
      keepAlive: true,
    });
    // Any pooled connection can drop: a failover, a restart, an administrator or an idle-in-transaction
    // timeout terminating the session. pg-pool listens on idle clients only; a client that is checked out
    // (a transaction waiting on Notion, say) emits 'error' with nobody listening, which crashes the process.
    // Every client therefore gets a listener of its own for its whole life. The statement in flight still
    // fails (the request answers 503, see isConnectionError), and pg-pool discards the broken client on
    // release because it is no longer queryable, so the next checkout opens a fresh connection.
    pool.on('connect', (client) => client.on('error', (err) => opts.onConnectionError?.(err)));
    // pg-pool re-emits an idle client's error on the pool itself, which must be heard too.
    pool.on('error', (err) => opts.onConnectionError?.(err));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      pool,
      embedded: false,
      databaseUrl: opts.databaseUrl,
      close: () => db.destroy(),
    };
  }
  const pgDir = opts.dataDir ? path.join(opts.dataDir, 'pg') : undefined;
  const release = pgDir ? acquireDirLock(pgDir) : () => {};
  try {
    if (pgDir) fs.mkdirSync(path.dirname(pgDir), { recursive: true });
    const pglite = await PGlite.create(pgDir ? { dataDir: pgDir } : {});
    const pool: pg.Pool = new PglitePool(createPgConfig(pglite)) as unknown as pg.Pool;
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      pool,
      embedded: true,
      databaseUrl: undefined,
      listen: async (channel, onPayload) => {
        pglite.onNotification((from, payload) => {
          if (from === channel) onPayload(payload);
        });
        // LISTEN goes through the pool like every other statement. PGlite is one session: a statement sent
        // around the pool (pglite.listen) can land between another client's Parse and Bind and destroy its
        // unnamed prepared statement, which failed the first maintenance pass and crashed `npm start`.
        await pool.query(`listen ${pg.escapeIdentifier(channel)}`);
      },
      close: async () => {
        await db.destroy();
        await pglite.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** Another live process holds the embedded database (the CLI then hands its command to that process). */
export class EmbeddedDatabaseInUse extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The embedded database in ${dir} is in use by process ${pid}. Stop it, or set DATABASE_URL to share a PostgreSQL server.`,
    );
    this.name = 'EmbeddedDatabaseInUse';
  }
}

/**
 * PGlite has no inter-process lock; two processes opening one data directory corrupt it. A pid lockfile
 * turns that into a clear start-up error (a stale lock from a dead process is taken over).
 */
function acquireDirLock(dir: string): () => void {
  const lockPath = `${dir}.lock`;
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
  } catch {
    const holder = Number(fs.readFileSync(lockPath, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) throw new EmbeddedDatabaseInUse(dir, holder);
    fs.writeFileSync(lockPath, String(process.pid));
  }
  return () => fs.rmSync(lockPath, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
