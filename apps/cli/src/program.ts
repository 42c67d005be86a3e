import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { isRole, isUnitRole, mintDevelopmentToken, ROLES, Role } from '@helpline/auth';
import { ConfigurationError, resolveSettings, Settings } from '@helpline/config';
import type { ResolveOptions } from '@helpline/config';
import { allLines, configureLines, isLineId, SEED_LINES } from '@helpline/domain';
import { DirectoryService } from '@helpline/directory';
import { Database, EmbeddedStoreBusyError, migrateToLatest } from '@helpline/database';
import { createCaseServices } from '@helpline/cases';
import { InvalidMasterKeyError, parseMasterKey, rotateMasterKey } from '@helpline/privacy';
import { formatPosition } from '@helpline/event-store';
import type { ProjectionRunner } from '@helpline/projections';
import { createProjectionRunner, openDatabase, openEventStore } from '@helpline/composition';
import { registerBackupCommands } from './commands/backup.commands';
import { registerDirectoryCommands } from './commands/directory.commands';
import { registerEvaluationCommands } from './commands/evaluation.commands';
import { registerHandoffsCommands } from './commands/handoffs.commands';

/** A command that fails in a way the user can fix ends with the reason and a non-zero exit code, not a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function loadSettings(options?: ResolveOptions): Settings {
  try {
    const settings = resolveSettings(process.env, options);
    configureLines(settings.lines ?? SEED_LINES);
    return settings;
  } catch (error) {
    if (error instanceof ConfigurationError) throw new CliError(error.message, 2);
    throw error;
  }
}

/** Opens the same store as the API (DATA_DIR or DATABASE_URL), runs the work, closes it. */
export async function withDatabase<T>(settings: Settings, work: (database: Database) => Promise<T>): Promise<T> {
  let database: Database;
  try {
    database = await openDatabase(settings, 'helpline-cli');
  } catch (error) {
    if (error instanceof EmbeddedStoreBusyError) throw new CliError(error.message, 3);
    throw error;
  }
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

export function fail(message: string, exitCode = 1): never {
  throw new CliError(message, exitCode);
}

export async function busy<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof EmbeddedStoreBusyError) throw new CliError(error.message, 3);
    throw error;
  }
}

const support = { loadSettings, withDatabase, fail, busy };

/**
 * A service_staff token names a service of the resource directory. While the API holds the embedded store the
 * directory cannot be read here: the token is minted with a warning (the API refuses nothing for it, but the user
 * would see an empty inbox).
 */
async function checkServiceInDirectory(settings: Settings, serviceId: string): Promise<void> {
  let found: boolean;
  try {
    found = await withDatabase(settings, async (database) => {
      await migrateToLatest(database.db);
      return (await DirectoryService.onDatabase(database).findService(serviceId)) !== undefined;
    });
  } catch (error) {
    if (error instanceof CliError && error.exitCode === 3) {
      process.stderr.write(
        `Warning: could not check service ${serviceId} against the directory (the running API holds the embedded store).\n`,
      );
      return;
    }
    throw error;
  }
  if (!found)
    throw new CliError(
      `Unknown service ${serviceId}: it is not in the resource directory (npm run cli -- directory export lists it).`,
    );
}

function parseRole(value: string): Role {
  if (!isRole(value)) throw new InvalidArgumentError(`must be one of ${ROLES.join(', ')}`);
  return value;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function buildProgram(): Command {
  const program = new Command()
    .name('helpline')
    .description(
      'Helpline case routing: operations for the people who run the system and for evaluators.\nUses the same store as the API: DATA_DIR (embedded) or DATABASE_URL.',
    )
    .showHelpAfterError()
    .exitOverride((error) => {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        process.exit(0);
      process.exit(error.exitCode || 1);
    });

  program
    .command('migrate')
    .description('apply every pending database migration')
    .action(async () => {
      const applied = await withDatabase(loadSettings(), (database) => migrateToLatest(database.db));
      process.stdout.write(
        applied.length === 0
          ? 'The database is up to date.\n'
          : `Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join('\n')}\n`,
      );
    });

  program
    .command('token')
    .description(
      'print a development bearer token (HS256, signed with AUTH_JWT_SECRET or the embedded secret) on stdout',
    )
    .addOption(
      new Option('--role <role>', `the user's role (${ROLES.join(', ')})`).argParser(parseRole).makeOptionMandatory(),
    )
    .option('--line <line>', 'a line the user works on (repeat for several)', collect)
    .option('--service <service-id>', 'the directory service a service_staff user belongs to')
    .option('--unit <unit-id>', 'the territorial social-service unit of a social_worker or unit_officer')
    .option('--sub <id>', 'the user id', undefined)
    .option(
      '--ttl <seconds>',
      'lifetime in seconds',
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n <= 0)
          throw new InvalidArgumentError('must be a positive whole number of seconds');
        return n;
      },
      12 * 3600,
    )
    .action(
      async (options: { role: Role; line?: string[]; service?: string; unit?: string; sub?: string; ttl: number }) => {
        const settings = loadSettings({ generateDevelopmentSecrets: false });
        if (settings.auth.kind !== 'hs256')
          throw new CliError(
            'Tokens come from your OpenID Connect provider when AUTH_JWKS_URL is set; this command mints development tokens only.',
          );
        if (options.role === 'service_staff' && !options.service)
          throw new CliError('A service_staff token needs --service <service-id>.');
        if (isUnitRole(options.role) && !options.unit)
          throw new CliError(`A ${options.role} token needs --unit <unit-id>.`);
        const unknownLines = (options.line ?? []).filter((line) => line !== '*' && !isLineId(line));
        if (unknownLines.length > 0)
          throw new CliError(
            `Unknown line ${unknownLines.join(', ')}: the lines are ${allLines()
              .map((line) => line.id)
              .join(', ')}.`,
          );
        if (options.service) await checkServiceInDirectory(settings, options.service);
        const token = await mintDevelopmentToken(settings.auth.secret, {
          sub: options.sub ?? `dev-${options.role}`,
          role: options.role,
          lines: options.line ?? [],
          serviceId: options.service,
          unitId: options.unit,
          expiresIn: options.ttl,
          issuer: settings.auth.issuer,
          audience: settings.auth.audience,
        });
        process.stdout.write(`${token}\n`);
      },
    );

  program
    .command('callbacks')
    .description('call-back maintenance')
    .command('discard-expired')
    .description(
      'destroy call-back numbers kept past their retention time (safe to run while the service runs on a server)',
    )
    .action(async () => {
      const settings = loadSettings();
      const result = await withDatabase(settings, async (database) => {
        await migrateToLatest(database.db);
        const eventStore = await openEventStore(settings, database);
        try {
          return await createCaseServices(database, eventStore, settings).retention.sweep();
        } finally {
          await eventStore.close();
        }
      });
      process.stdout.write(
        `Discarded ${result.discarded} call-back number(s) past retention; destroyed ${result.orphanKeysDestroyed} leftover key(s).\n`,
      );
    });

  program
    .command('keys')
    .description('the keys that protect personal data')
    .command('rotate-master-key')
    .description(
      'rotate MASTER_KEY: move what it wraps in the database into the key store, re-wrap the key store under the new ' +
        'key; idempotent and resumable. Stop the API and the projectors first; then start them with the new MASTER_KEY',
    )
    .requiredOption('--new-key-file <path>', 'a file holding the new master key (32 random bytes, base64)')
    .action(async (options: { newKeyFile: string }) => {
      const settings = loadSettings();
      const newMasterKey = readFileSync(options.newKeyFile, 'utf8').trim();
      try {
        parseMasterKey(newMasterKey);
      } catch (error) {
        if (error instanceof InvalidMasterKeyError) {
          throw new CliError('The new key file does not hold a master key (32 random bytes, base64)', 2);
        }
        throw error;
      }
      if (newMasterKey === settings.masterKey.toString('base64')) {
        throw new CliError('The new master key is the current one', 2);
      }
      const result = await withDatabase(settings, async (database) => {
        await migrateToLatest(database.db);
        return rotateMasterKey(database, settings.keyStoreDir, settings.masterKey.toString('base64'), newMasterKey);
      });
      process.stdout.write(
        `Moved ${result.movedIntoKeyStore} key(s) from the database into the key store; re-wrapped ${result.rewrapped} ` +
          'key-store key(s) under the new master key. Start the services with the new MASTER_KEY, then destroy the old one.\n',
      );
    });

  program
    .command('retention')
    .description("erasure by each line's retention policy")
    .command('run')
    .description(
      'erase the personal data of cases closed longer ago than their line keeps them (reason retention_policy); idempotent',
    )
    .option('--dry-run', 'count what is due, erase nothing')
    .action(async (options: { dryRun?: boolean }) => {
      const settings = loadSettings();
      const result = await withDatabase(settings, async (database) => {
        await migrateToLatest(database.db);
        const eventStore = await openEventStore(settings, database);
        try {
          return await createCaseServices(database, eventStore, settings).caseRetention.run(new Date(), {
            dryRun: options.dryRun === true,
          });
        } finally {
          await eventStore.close();
        }
      });
      const byLine = Object.entries(result.erasedByLine)
        .map(([lineId, count]) => `${lineId}: ${count}`)
        .join(', ');
      process.stdout.write(
        `${result.dryRun ? 'Would erase' : 'Erased'} the personal data of ${result.erased} case(s) past their line's ` +
          `retention${byLine ? ` (${byLine})` : ''}; ${result.examined} case(s) still hold personal data.\n`,
      );
    });

  const projections = program.command('projections').description('the read models built from the log');
  projections
    .command('status')
    .description('per read model: position, lag in events and seconds, rebuilding or not, error')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const rows = await withRunner(loadSettings(), async (runner) => runner.status());
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify(
            rows.map((row) => ({ ...row, position: formatPosition(row.position) })),
            null,
            2,
          )}\n`,
        );
        return;
      }
      const lines = rows.map((row) =>
        [
          row.name.padEnd(22),
          `v${row.version}`.padEnd(5),
          row.status.padEnd(11),
          formatPosition(row.position).padEnd(16),
          `lag ${row.lagEvents}${row.lagEventsCapped ? '+' : ''} events / ${Math.round(row.lagSeconds)} s`.padEnd(28),
          row.rebuild?.active ? `rebuilding ${Math.round(row.rebuild.progress * 100)}%` : '',
          row.error ? `stopped at event ${row.error.eventId}: ${row.error.message}` : '',
        ]
          .join(' ')
          .trimEnd(),
      );
      process.stdout.write(
        `${['name'.padEnd(22), 'ver'.padEnd(5), 'status'.padEnd(11), 'position'.padEnd(16), 'lag'].join(' ')}\n${lines.join('\n')}\n`,
      );
    });
  projections
    .command('rebuild [name]')
    .description(
      'rebuild a read model from the start of the log into new tables, then swap them in (the live one keeps answering)',
    )
    .option('--all', 'every read model, all at once (each reads the log and writes its own tables)')
    .action(async (name: string | undefined, options: { all?: boolean }) => {
      if (!name === !options.all) throw new CliError('Name one read model, or pass --all.');
      const results = await withRunner(loadSettings(), async (runner) => {
        if (name && !runner.names.includes(name))
          throw new CliError(`There is no read model named ${name}. Known: ${runner.names.join(', ')}`);
        const names = name ? [name] : runner.names;
        const controller = new AbortController();
        process.once('SIGINT', () => controller.abort());
        const applied = new Map<string, number>();
        const progress = () =>
          void process.stderr.write(
            `\r${[...applied].map(([projectionName, events]) => `${projectionName} ${events}`).join(', ')} events applied   `,
          );
        return Promise.all(
          names.map(async (each) => ({
            name: each,
            result: await runner.rebuild(each, {
              signal: controller.signal,
              onProgress: (rebuildProgress) => {
                applied.set(each, rebuildProgress.eventsApplied);
                progress();
              },
            }),
          })),
        );
      });
      process.stderr.write('\n');
      for (const { name: rebuilt, result } of results)
        process.stdout.write(`Rebuilt ${rebuilt}: ${JSON.stringify(result)}\n`);
    });

  registerDirectoryCommands(program, support);
  registerHandoffsCommands(program, support);
  registerEvaluationCommands(program, support);
  registerBackupCommands(program, support);
  return program;
}

async function withRunner<T>(settings: Settings, work: (runner: ProjectionRunner) => Promise<T>): Promise<T> {
  return withDatabase(settings, async (database) => {
    await migrateToLatest(database.db);
    const eventStore = await openEventStore(settings, database);
    const runner = createProjectionRunner({
      database,
      eventStore,
      settings,
      metrics: false,
      ownerId: `cli:${process.pid}`,
    });
    try {
      await runner.initialize();
      return await work(runner);
    } finally {
      await runner.stop();
      await eventStore.close();
    }
  });
}
