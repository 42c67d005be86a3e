import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Relative imports: jest's module name mapper does not apply to global setup.
import {
  connectPostgres,
  databaseUrl,
  dumpEmbedded,
  migrateToLatest,
  openEmbedded,
  TEST_ENV,
  withAdminClient,
} from '../../libs/database/src/index';

/** Migrates one template database for the whole run; every test file clones it (see test-database.ts). */
export default async function globalSetup(): Promise<void> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const template = `helpline_tpl_${process.pid}`;
    await withAdminClient(serverUrl, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${template}"`);
    });
    const database = connectPostgres({ connectionString: databaseUrl(serverUrl, template) });
    try {
      await migrateToLatest(database.db);
    } finally {
      await database.close();
    }
    process.env[TEST_ENV.serverUrl] = serverUrl;
    process.env[TEST_ENV.template] = template;
    return;
  }
  const database = await openEmbedded();
  try {
    await migrateToLatest(database.db);
    const dump = await dumpEmbedded(database);
    const file = join(mkdtempSync(join(tmpdir(), 'helpline-jest-')), 'template.tar');
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    process.env[TEST_ENV.template] = file;
  } finally {
    await database.close();
  }
}
