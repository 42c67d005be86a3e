import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port';
import { execForm, finalStageInstructions, readCompose, repositoryRoot } from '../support/infra-files';

/**
 * The image's entry point is the command `npm start` runs, on the build `npm install` makes: started here from the
 * build, it answers the image's own HEALTHCHECK. (`docker build` itself was not run: no Docker engine here.)
 */
describe("the image's entry point (infra/Dockerfile)", () => {
  const stage = finalStageInstructions();
  const argumentOf = (instruction: string) => stage.filter((each) => each.instruction === instruction).at(-1)?.argument;
  const command = execForm(argumentOf('CMD')!);
  const started: ChildProcess[] = [];

  beforeAll(() => {
    // What `npm install` (prepare) and `npm start` do first: build dist/ when the sources changed.
    execFileSync(process.execPath, [join(repositoryRoot, 'scripts', 'build.cjs'), '--quiet'], { cwd: repositoryRoot });
  });
  afterAll(() => {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('runs the same command as npm start, from the build, as a user that is not root', () => {
    const packageJson = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(command).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(packageJson.scripts.start).toMatch(new RegExp(`&& ${command.join(' ').replace(/\./g, '\\.')}$`));
    expect(existsSync(join(repositoryRoot, command[1]!))).toBe(true);
    expect(argumentOf('USER')).toBe('node');
    expect(argumentOf('ENTRYPOINT')).toBeUndefined();
  });

  it('installs production dependencies only and copies the built apps and libs', () => {
    const dockerfile = readFileSync(join(repositoryRoot, 'infra', 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    const copied = stage.filter((each) => each.instruction === 'COPY').map((each) => each.argument);
    expect(copied).toEqual(
      expect.arrayContaining(['--from=build /app/dist/apps ./dist/apps', '--from=build /app/dist/libs ./dist/libs']),
    );
  });

  it('starts from the build and answers its own health check; so does the projector on its port', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'helpline-image-'));
    const port = await freePort();
    const api = start(command, { PORT: String(port), DATA_DIR: dataDir });
    await waitForHealth(port, api);
    const healthcheck = execForm(argumentOf('HEALTHCHECK')!.replace(/^.*?CMD\s+/, ''));
    expect(runHealthcheck(healthcheck, { PORT: String(port) })).toBe(0);
    expect(runHealthcheck(healthcheck, { PORT: String(await freePort()) })).toBe(1);
    await stop(api);

    // The embedded store is one process's at a time: the projector gets the folder once the API has stopped.
    const projector = readCompose().services.projector!;
    const projectorPort = await freePort();
    const worker = start(projector.command!, { DATA_DIR: dataDir, PROJECTOR_PORT: String(projectorPort) });
    await waitForHealth(projectorPort, worker);
    const projectorCheck = projector
      .healthcheck!.test.slice(1)
      .map((word) => word.replace('127.0.0.1:3001', `127.0.0.1:${projectorPort}`));
    expect(runHealthcheck(projectorCheck, {})).toBe(0);
    await stop(worker);
  });

  function start(words: readonly string[], environment: Record<string, string>): ChildProcess {
    const [executable, ...args] = words;
    expect(executable).toBe('node');
    const child = spawn(process.execPath, args, {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'warn', ...environment },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    started.push(child);
    return child;
  }

  /**
   * The check as Docker runs it: unhealthy only after `--retries=3` failures in a row, so one attempt that fails
   * on a loaded machine (CI failed once so, on Node 24) does not make the container unhealthy.
   */
  function runHealthcheck(words: readonly string[], environment: Record<string, string>): number {
    const [executable, ...args] = words;
    expect(executable).toBe('node');
    let status = 1;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        execFileSync(process.execPath, args, { env: { PATH: process.env.PATH, ...environment }, timeout: 10_000 });
        return 0;
      } catch (error) {
        status = (error as { status: number }).status;
      }
    }
    return status;
  }
});

async function waitForHealth(port: number, child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  for (let attempt = 0; attempt < 600; attempt++) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${stderr}`);
    const healthy = await fetch(`http://127.0.0.1:${port}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no /health on port ${port} within a minute: ${stderr}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
