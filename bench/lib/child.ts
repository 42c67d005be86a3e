import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const RESULT_MARK = 'BENCH_RESULT ';

export interface ChildOptions {
  /** Extra node flags, e.g. --cpu-prof. */
  readonly nodeArgs?: readonly string[];
  /** Wrap the child in /usr/bin/time -v and report its maximum resident set size. */
  readonly timeV?: boolean;
  /** Forward the child's ordinary output lines (progress) to ours. */
  readonly echo?: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

export interface ChildOutcome<T> {
  readonly result: T;
  /** Max RSS from /usr/bin/time -v, in bytes (when asked for and available). */
  readonly maxRssBytes?: number;
  readonly wallMs: number;
}

/**
 * Runs `node <script> <args>` and returns the JSON the child printed on its `BENCH_RESULT` line. Each system
 * or measurement runs in a process of its own, so that one library's global state (pg type parsers, JIT
 * state, heap) cannot bias another's figures.
 */
export async function runChild<T>(
  script: string,
  args: readonly string[],
  options: ChildOptions = {},
): Promise<ChildOutcome<T>> {
  const useTime = options.timeV === true && existsSync('/usr/bin/time');
  const nodeCommand = [process.execPath, ...(options.nodeArgs ?? []), script, ...args];
  const [command, ...commandArgs] = useTime ? ['/usr/bin/time', '-v', ...nodeCommand] : nodeCommand;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command!, commandArgs, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    let result: T | undefined;
    let stdoutRest = '';
    let stderrText = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdoutRest += chunk;
      const lines = stdoutRest.split('\n');
      stdoutRest = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(RESULT_MARK)) result = JSON.parse(line.slice(RESULT_MARK.length)) as T;
        else if (options.echo !== false && line.trim() !== '') process.stdout.write(`    ${line}\n`);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderrText += chunk;
      if (stderrText.length > 200_000) stderrText = stderrText.slice(-100_000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (stdoutRest.startsWith(RESULT_MARK)) result = JSON.parse(stdoutRest.slice(RESULT_MARK.length)) as T;
      const wallMs = performance.now() - started;
      const rssMatch = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderrText);
      if (code !== 0 || result === undefined) {
        const tail = stderrText
          .split('\n')
          .filter(
            (line) =>
              !/^\s+(Command being timed|User time|System time|Percent of CPU|Elapsed|Average|Maximum|Major|Minor|Voluntary|Involuntary|Swaps|File system|Socket|Signals|Page size|Exit status)/.test(
                line,
              ),
          )
          .slice(-30)
          .join('\n');
        reject(
          new Error(
            `child ${script} ${args.join(' ')} exited with ${code}${result === undefined ? ' without a result' : ''}\n${tail}`,
          ),
        );
        return;
      }
      resolve({ result, wallMs, maxRssBytes: rssMatch ? Number(rssMatch[1]) * 1024 : undefined });
    });
  });
}

/** In a child: print the result for the parent. */
export function emitResult(result: unknown): void {
  process.stdout.write(`${RESULT_MARK}${JSON.stringify(result)}\n`);
}

/** Samples this process's resident set size; `peak` is the highest seen. */
export class RssSampler {
  peak = process.memoryUsage().rss;
  private timer?: NodeJS.Timeout;

  start(intervalMs = 50): this {
    this.timer = setInterval(() => {
      const rss = process.memoryUsage().rss;
      if (rss > this.peak) this.peak = rss;
    }, intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): number {
    if (this.timer) clearInterval(this.timer);
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
    return this.peak;
  }
}

export interface TimedCommand {
  readonly wallMs: number;
  readonly maxRssBytes?: number;
  readonly stdout: string;
}

/** Runs a node script that knows nothing of the benchmarks (e.g. the CLI) under /usr/bin/time -v. */
export async function runTimedNode(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<TimedCommand> {
  const useTime = existsSync('/usr/bin/time');
  const [command, ...commandArgs] = useTime
    ? ['/usr/bin/time', '-v', process.execPath, script, ...args]
    : [process.execPath, script, ...args];
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      if (code !== 0) {
        reject(
          new Error(`${script} ${args.join(' ')} exited with ${code}\n${stderr.split('\n').slice(-25).join('\n')}`),
        );
        return;
      }
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({ wallMs, stdout, maxRssBytes: rss ? Number(rss[1]) * 1024 : undefined });
    });
  });
}

/** Runs a benchmark script's main when the file is run directly: exit 0 when it ends, 1 (with the error) if it fails. */
export function runMain(module: NodeJS.Module, main: () => Promise<void>): void {
  if (require.main !== module) return;
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
