import 'reflect-metadata';
import { ConfigurationError, resolveSettings, Settings } from '@helpline/config';
import { EmbeddedStoreBusyError } from '@helpline/database';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApiApp } from './bootstrap';
import { printDemoTokens } from './platform/demo-tokens';

async function main(): Promise<void> {
  let settings: Settings;
  try {
    settings = resolveSettings(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\nThe service did not start. See README.md, "Configuration".\n`);
      process.exit(2);
    }
    throw error;
  }
  let app;
  try {
    // scripts/build.cjs puts the built console beside the API's build: dist/console next to dist/apps.
    const consoleDir = join(__dirname, '..', '..', '..', 'console');
    app = await createApiApp({
      settings,
      consoleDir: existsSync(join(consoleDir, 'index.html')) ? consoleDir : undefined,
    });
  } catch (error) {
    if (error instanceof EmbeddedStoreBusyError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(3);
    }
    throw error;
  }
  await app.listen(settings.port);
  const where =
    settings.database.kind === 'embedded'
      ? `embedded PostgreSQL (PGlite) in ${settings.database.dataDir}`
      : 'PostgreSQL server (DATABASE_URL)';
  process.stdout.write(
    `\nHelpline API listening on http://localhost:${settings.port} (console: /console/, OpenAPI: /docs), events and read models on ${where}\n`,
  );
  if (settings.developmentMode) await printDemoTokens(settings);
}

void main();
