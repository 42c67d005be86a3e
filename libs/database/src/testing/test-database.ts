import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { connectPostgres, Database, openEmbedded } from '../database';

/**
 * One fresh database per test file (or per test), cloned from a template that jest's global setup migrated
 * once (test/setup/global-setup.ts): `CREATE DATABASE ... TEMPLATE` on a PostgreSQL server, or loading a dump
 * of a migrated PGlite for the embedded engine. Which one follows TEST_DATABASE_URL (set from DATABASE_URL by
 * the global setup).
 */
export interface TestDatabase extends Database {
  /** Opens a second, independent connection to the same database (a "restart" of a client). */
  reconnect(): Promise<Database>;
  /** The connection string, on a server; undefined on PGlite. */
  readonly url?: string;
}

export const TEST_ENV = {
  serverUrl: 'HELPLINE_TEST_SERVER_URL',
  template: 'HELPLINE_TEST_TEMPLATE',
} as const;

export function testEngine(): 'postgres' | 'pglite' {
  return process.env[TEST_ENV.serverUrl] ? 'postgres' : 'pglite';
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const template = process.env[TEST_ENV.template];
  if (!template)
    throw new Error('The jest global setup did not prepare a template database (test/setup/global-setup.ts)');
  const serverUrl = process.env[TEST_ENV.serverUrl];
  if (serverUrl) return createServerDatabase(serverUrl, template);
  return createEmbeddedDatabase(template);
}

async function createServerDatabase(serverUrl: string, template: string): Promise<TestDatabase> {
  const name = `${template}_${randomBytes(5).toString('hex')}`;
  await withAdminClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  const url = databaseUrl(serverUrl, name);
  const opened: Database[] = [];
  const open = () => {
    const database = connectPostgres({ connectionString: url, maxConnections: 20, applicationName: 'helpline-test' });
    opened.push(database);
    return database;
  };
  const main = open();
  return {
    ...main,
    url,
    async reconnect() {
      return open();
    },
    async close() {
      await Promise.all(opened.map((database) => database.close().catch(() => undefined)));
      await withAdminClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function createEmbeddedDatabase(templateFile: string): Promise<TestDatabase> {
  const dump = new Blob([readFileSync(templateFile)]);
  const main = await openEmbedded({ loadDataDir: dump });
  return {
    ...main,
    // One PGlite is one session: a "reconnect" is a new kysely handle on the same instance.
    async reconnect() {
      return { ...main, close: async () => undefined };
    },
  };
}

export function databaseUrl(serverUrl: string, databaseName: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

export async function withAdminClient<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
