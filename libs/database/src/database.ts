import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { acquireDataDirLock } from './data-dir-lock';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { Client, Pool, types as pgTypes } from 'pg';
import { PGlitePool } from './pglite-pool';
import { prepareStatementsOf } from './prepared-statements';

export type DatabaseKind = 'pglite' | 'postgres';

/** The one schema-agnostic handle; each repository narrows it to its own tables with `db.withTables<T>()`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shared by every repository, each with its own tables
export type AnyKysely = Kysely<any>;

export type Unlisten = () => Promise<void>;

/**
 * A connection to the project's PostgreSQL, real (pg) or embedded (PGlite), through one code path.
 * Both return int8 as a JS number (guarded) and jsonb as objects, so repositories see the same values.
 */
export interface Database {
  readonly kind: DatabaseKind;
  readonly db: AnyKysely;
  /** LISTEN on a channel; the callback gets each NOTIFY payload. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<Unlisten>;
  close(): Promise<void>;
}

const INT8_OID = 20;
const NUMERIC_ARRAY_SAFE = Number.MAX_SAFE_INTEGER;

export function parseInt8(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || Math.abs(parsed) > NUMERIC_ARRAY_SAFE) {
    throw new RangeError(`int8 value ${value} is beyond JavaScript's safe integer range`);
  }
  return parsed;
}

export interface PostgresOptions {
  connectionString: string;
  maxConnections?: number;
  applicationName?: string;
  connectionTimeoutMillis?: number;
  /** Run parameterised statements as prepared statements, one per text and connection (default true). */
  preparedStatements?: boolean;
}

export function connectPostgres(options: PostgresOptions): Database {
  const typeParsers = {
    getTypeParser: (oid: number, format?: 'text' | 'binary'): unknown =>
      oid === INT8_OID ? parseInt8 : pgTypes.getTypeParser(oid, format),
  };
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'helpline',
    types: typeParsers,
    // While the server is away a request fails in seconds (and is answered 503) instead of waiting for it.
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
  });
  // A client that loses its server must not crash the process. pg-pool listens for errors on idle clients only:
  // a checked-out client that receives the server's shutdown between two statements would raise an unhandled
  // 'error' event. Its pending query fails on its own, and the pool discards a client that is no longer queryable.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
    if (options.preparedStatements ?? true) prepareStatementsOf(client);
  });
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  const listeners = new Set<() => Promise<void>>();
  return {
    kind: 'postgres',
    db,
    /**
     * LISTEN on a connection of its own. When the server ends that session (a restart, a failover, a terminated
     * backend) it reconnects with backoff and LISTENs again, then calls `onNotify('')` once, since notifications
     * sent while it was away are lost: the listener should look for what it may have missed.
     */
    async listen(channel, onNotify) {
      let current: Client | undefined;
      let stopped = false;
      let retryMs = 100;
      const connect = async (): Promise<void> => {
        const client = new Client({ connectionString: options.connectionString, types: typeParsers });
        client.on('error', () => undefined);
        client.on('end', () => {
          if (client === current && !stopped) reconnectLater();
        });
        client.on('notification', (message) => {
          if (message.channel === channel) onNotify(message.payload ?? '');
        });
        try {
          await client.connect();
          await client.query(`LISTEN ${quoteIdentifier(channel)}`);
        } catch (error) {
          await client.end().catch(() => undefined);
          throw error;
        }
        current = client;
        retryMs = 100;
        if (stopped) await client.end().catch(() => undefined);
      };
      const reconnectLater = () => {
        current = undefined;
        setTimeout(() => {
          if (stopped) return;
          connect().then(
            () => onNotify(''),
            () => {
              retryMs = Math.min(retryMs * 2, 5_000);
              reconnectLater();
            },
          );
        }, retryMs).unref();
      };
      await connect();
      const unlisten = async () => {
        stopped = true;
        listeners.delete(unlisten);
        await current?.end().catch(() => undefined);
      };
      listeners.add(unlisten);
      return unlisten;
    },
    async close() {
      await Promise.all([...listeners].map((unlisten) => unlisten()));
      await db.destroy();
    },
  };
}

export interface EmbeddedOptions {
  /** A folder that keeps the data across restarts; omit for an in-memory database. */
  dataDir?: string;
  /** Start from a dump of another instance (see `dumpEmbedded`), e.g. a migrated template in tests. */
  loadDataDir?: Blob;
}

export async function openEmbedded(options: EmbeddedOptions = {}): Promise<Database> {
  let releaseLock = async () => undefined as void;
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    releaseLock = acquireDataDirLock(options.dataDir);
  }
  try {
    const pglite = await PGlite.create({
      dataDir: options.dataDir ? join(options.dataDir, 'pgdata') : undefined,
      loadDataDir: options.loadDataDir,
      parsers: { [INT8_OID]: parseInt8 },
    });
    return fromPGlite(pglite, releaseLock);
  } catch (error) {
    await releaseLock();
    throw error;
  }
}

export async function dumpEmbedded(database: Database, compression: 'none' | 'gzip' = 'none'): Promise<Blob> {
  if (!(database instanceof Object) || !embeddedInstances.has(database)) {
    throw new Error('dumpEmbedded needs an embedded (PGlite) database');
  }
  return embeddedInstances.get(database)!.dumpDataDir(compression);
}

const embeddedInstances = new WeakMap<Database, PGlite>();

export function fromPGlite(pglite: PGlite, onClose: () => Promise<void> = async () => undefined): Database {
  const db = new Kysely({ dialect: new PostgresDialect({ pool: new PGlitePool(pglite) }) });
  const database: Database = {
    kind: 'pglite',
    db,
    async listen(channel, onNotify) {
      const unlisten = await pglite.listen(channel, onNotify);
      return async () => {
        if (!pglite.closed) await unlisten();
      };
    },
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
      await onClose();
    },
  };
  embeddedInstances.set(database, pglite);
  return database;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
