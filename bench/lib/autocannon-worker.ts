/**
 * The load generator of the HTTP benchmark, in a process of its own (so it does not share the API's event
 * loop): runs autocannon with the spec given as JSON and prints its figures for the parent.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { emitResult } from './child';

export interface LoadSpec {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  /** A fixed path, or `{caseId}` in it, filled from the ids in `caseIdsFile` in turn. */
  readonly path: string;
  readonly caseIdsFile?: string;
  readonly body?: string;
  readonly headers: Record<string, string>;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly total: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly durationSeconds: number;
  readonly generatorCpuS: number;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]!) as LoadSpec;
  const ids = spec.caseIdsFile ? readFileSync(spec.caseIdsFile, 'utf8').split('\n').filter(Boolean) : [];
  let next = 0;
  const request: autocannon.Request = {
    method: spec.method,
    path: spec.path.replace('{caseId}', ids[0] ?? ''),
    headers: spec.headers,
    body: spec.body,
    ...(ids.length > 0
      ? {
          setupRequest: (req: autocannon.Request) => ({
            ...req,
            path: spec.path.replace('{caseId}', ids[next++ % ids.length]!), // ids is not empty here
          }),
        }
      : {}),
  };
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    requests: [request],
    // autocannon 9 runs an untimed warm-up first when asked (not in @types/autocannon 7).
    ...(spec.warmupSeconds > 0 ? { warmup: { connections: spec.connections, duration: spec.warmupSeconds } } : {}),
  });
  const cpu = process.cpuUsage(cpuBefore);
  const out: LoadResult = {
    requestsPerSecond: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSeconds: result.duration,
    generatorCpuS: (cpu.user + cpu.system) / 1e6,
  };
  emitResult(out);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
