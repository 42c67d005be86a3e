import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenVerifier } from '@helpline/auth';
import { resolveSettings } from '@helpline/config';
import { buildProgram, CliError } from '../../apps/cli/src/program';

/** `npm run cli -- token` mints only what the API it serves will accept, with the API's own secret. */
describe('npm run cli -- token', () => {
  const saved = { ...process.env };
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'helpline-cli-token-'));
    for (const variable of ['DATABASE_URL', 'AUTH_JWT_SECRET', 'MASTER_KEY', 'PSEUDONYM_SECRET', 'AUTH_JWKS_URL'])
      delete process.env[variable];
    Object.assign(process.env, { DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(dataDir, { recursive: true, force: true });
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

  /** What `npm start` does first on a fresh DATA_DIR: make and keep the development secrets. */
  const startApiOnce = () => resolveSettings(process.env);

  it('refuses to mint in a DATA_DIR no API has used, and creates no secrets there', async () => {
    await expect(cli('token', '--role', 'operator', '--line', 'sostienimi')).rejects.toThrow(
      /start the API with this DATA_DIR first/,
    );
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false);
  });

  it("mints with the API's own secret a token the API accepts", async () => {
    const settings = startApiOnce();
    const token = (await cli('token', '--role', 'operator', '--line', 'sostienimi', '--sub', 'op-9')).trim();
    const principal = await new TokenVerifier(settings.auth).verify(token);
    expect(principal).toMatchObject({ id: 'op-9', role: 'operator', lines: ['sostienimi'] });
    expect(JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')).authJwtSecret).toBe(
      settings.auth.kind === 'hs256' ? settings.auth.secret : undefined,
    );
  });

  it('refuses a line the service does not run', async () => {
    startApiOnce();
    const minting = cli('token', '--role', 'operator', '--line', 'sostienimi', '--line', 'no-such-line');
    await expect(minting).rejects.toThrow(CliError);
    await expect(cli('token', '--role', 'operator', '--line', 'nope')).rejects.toThrow(/Unknown line nope/);
  });

  it('refuses a service that is not in the resource directory, and mints for one that is', async () => {
    startApiOnce();
    await expect(cli('token', '--role', 'service_staff', '--service', 'no-such-service')).rejects.toThrow(
      /Unknown service no-such-service/,
    );
    await cli('directory', 'import', '--sample');
    const token = (await cli('token', '--role', 'service_staff', '--service', 'esempio-serd-alcologia')).trim();
    expect(token.split('.')).toHaveLength(3);
  });
});
