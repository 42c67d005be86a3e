import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { TEST_ENV, withAdminClient } from '../../libs/database/src/testing/test-database';

export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEST_ENV.template];
  const serverUrl = process.env[TEST_ENV.serverUrl];
  if (!template) return;
  if (!serverUrl) {
    rmSync(dirname(template), { recursive: true, force: true });
    return;
  }
  await withAdminClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `${template}%`,
    ]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}
