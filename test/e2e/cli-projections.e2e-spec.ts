import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, testEngine, type TestDatabase } from '@helpline/database';
import { allProjections } from '@helpline/composition';
import { buildProgram, CliError } from '../../apps/cli/src/program';

/**
 * The CLI's `projections rebuild --all` on the store the README's commands use: the embedded PGlite of DATA_DIR, or
 * a fresh database of the PostgreSQL server when the suite runs with DATABASE_URL.
 */
describe('npm run cli -- projections rebuild', () => {
  const saved = { ...process.env };
  let dataDir: string | undefined;
  let serverDatabase: TestDatabase | undefined;

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'silent';
    if (testEngine() === 'postgres') {
      serverDatabase = await createTestDatabase();
      Object.assign(process.env, {
        DATABASE_URL: serverDatabase.url,
        AUTH_JWT_SECRET: 'cli-test-jwt-secret-that-is-long-enough-for-hs256',
        MASTER_KEY: Buffer.alloc(32, 3).toString('base64'),
        PSEUDONYM_SECRET: 'cli-test-pseudonym-secret-long-enough-0123456789',
        KEY_STORE_DIR: mkdtempSync(join(tmpdir(), 'helpline-cli-keys-')),
      });
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'helpline-cli-'));
      delete process.env.DATABASE_URL;
      process.env.DATA_DIR = dataDir;
    }
    await cli('seed-history', '--scale', '0.05');
  });

  afterAll(async () => {
    process.env = saved;
    await serverDatabase?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<string> {
    const written: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await buildProgram().parseAsync(['node', 'helpline', ...args]);
      return written.join('');
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  }

  it('rebuilds every read model at once with --all, each up to the head of the log', async () => {
    const output = await cli('projections', 'rebuild', '--all');
    const rebuilt = [...output.matchAll(/^Rebuilt ([\w-]+): (.*)$/gm)].map((match) => ({
      name: match[1],
      result: JSON.parse(match[2]!) as { eventsApplied: number },
    }));
    expect(rebuilt.map((r) => r.name).sort()).toEqual(allProjections.map((p) => p.name).sort());
    expect(rebuilt.find((r) => r.name === 'case-queue')?.result.eventsApplied).toBeGreaterThan(100);

    const status = JSON.parse(await cli('projections', 'status', '--json')) as Array<{
      name: string;
      status: string;
      lagEvents: number;
      rebuild: { active: boolean } | null;
    }>;
    for (const row of status) {
      expect(row).toMatchObject({ lagEvents: 0 });
      expect(row.status).not.toBe('failed');
      expect(row.rebuild?.active ?? false).toBe(false);
    }
  });

  it('asks for one read model or --all, not both and not neither', async () => {
    await expect(cli('projections', 'rebuild')).rejects.toThrow(CliError);
    await expect(cli('projections', 'rebuild', 'case-queue', '--all')).rejects.toThrow(
      'Name one read model, or pass --all.',
    );
  });
});
