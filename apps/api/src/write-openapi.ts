import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '@helpline/config';
import { buildOpenApiDocument, createApiApp } from './bootstrap';

/**
 * Writes the API's OpenAPI document to the file named by the first argument, without a listening server: the app is
 * composed on a throw-away embedded database, its routes described, then closed. `npm run openapi` runs it and then
 * generates the console's typed client from the file (docs/console.md).
 */
async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: write-openapi <out.json>');
  const dataDir = mkdtempSync(join(tmpdir(), 'helpline-openapi-'));
  try {
    const settings = resolveSettings({ DATA_DIR: dataDir, PROJECTIONS_IN_PROCESS: 'false', LOG_LEVEL: 'silent' });
    const app = await createApiApp({ settings });
    try {
      writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
