/**
 * As-of replay benchmark: the evaluators' monthly report of a year, replayed from the log as of the year's last
 * day (`npm run cli -- replay --as-of 2025-12-31 --from 2025-01 --to 2025-12 --out <dir>`, issue 7), on the
 * cached history of the rebuild benchmark, beside the bare SELECT of the whole log (the reading ceiling) in the
 * same run. Wall time, log events per second and the CLI process's max RSS (/usr/bin/time -v).
 *
 *   npm run bench -- asof [--quick] [--sizes 250000,1000000] [--rounds 2]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchArgs, flagBoolean, flagNumber, flagNumbers, parseArgs } from './lib/args';
import { runChild, runTimedNode } from './lib/child';
import { ensureHistory } from './lib/history';
import { describeLoad, describeMachine, LoadSampler, loadNow, machineInfo } from './lib/machine';
import { databaseUrl, withAdmin } from './lib/pg-admin';
import { fmt, fmtMb, median, ratio, seconds, table } from './lib/stats';

const CLI = join(__dirname, '..', 'apps', 'cli', 'src', 'main.js');
const AS_OF = '2025-12-31';

function cliEnvironment(database: string): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: databaseUrl(database),
    AUTH_JWT_SECRET: 'bench-jwt-secret-that-is-long-enough-for-hs256',
    MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    PSEUDONYM_SECRET: 'bench-pseudonym-secret-long-enough-0123456789',
    LOG_LEVEL: 'silent',
  };
}

/** True when the built CLI has the evaluators' `replay --as-of` command (issue 7). */
export function replayCommandExists(): boolean {
  const help = spawnSync(process.execPath, [CLI, 'replay', '--help'], { encoding: 'utf8', env: { ...process.env, ...cliEnvironment('bench_probe') } });
  return help.status === 0 && help.stdout.includes('--as-of');
}

export async function asOfBenchmark(args: BenchArgs): Promise<void> {
  const quick = flagBoolean(args, 'quick');
  const sizes = flagNumbers(args, 'sizes', quick ? [25_000, 100_000] : [250_000, 1_000_000]);
  const rounds = flagNumber(args, 'rounds', quick ? 1 : 2);
  console.log(`## asof: the evaluators' report of 2025 replayed from the log as of ${AS_OF}`);
  if (!replayCommandExists()) {
    console.log('TODO: the evaluation replay command (`npm run cli -- replay --as-of <date> --out <dir>`) is not in this build; this benchmark waits for issue 7.');
    return;
  }
  console.log(describeMachine(await machineInfo()));
  console.log(loadNow());
  const sampler = new LoadSampler().start();
  const rows: string[][] = [];
  for (const size of sizes) {
    const { name, meta } = await ensureHistory({ targetEvents: size });
    const inYear = await withAdmin(async (client) => {
      const { rows: counts } = await client.query<{ n: string }>(`select count(*) as n from events where occurred_at < '2026-01-01T00:00:00+01:00'`);
      return Number(counts[0].n);
    }, name);
    console.log(`  history ${name}: ${fmt(meta.events)} events (${fmt(inYear)} occurred in 2025), generated on ${meta.generatedAt.slice(0, 16)} in ${seconds(meta.seconds * 1000)}`);
    const replays: Array<{ ms: number; rss?: number }> = [];
    const selects: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const steps = round % 2 === 0 ? (['replay', 'select'] as const) : (['select', 'replay'] as const);
      for (const step of steps) {
        if (step === 'select') {
          const { result } = await runChild<{ wallMs: number; events: number }>(join(__dirname, 'rebuild.bench.js'), ['--worker', JSON.stringify({ mode: 'select', database: name })]);
          selects.push(result.wallMs);
          console.log(`  round ${round + 1} bare SELECT of the whole log       ${seconds(result.wallMs).padStart(8)}  ${fmt((result.events / result.wallMs) * 1000)} events/s`);
        } else {
          const out = mkdtempSync(join(tmpdir(), 'helpline-bench-asof-'));
          try {
            const run = await runTimedNode(CLI, ['replay', '--as-of', AS_OF, '--from', '2025-01', '--to', '2025-12', '--out', out], cliEnvironment(name));
            replays.push({ ms: run.wallMs, rss: run.maxRssBytes });
            console.log(`  round ${round + 1} as-of replay (CLI, whole process)   ${seconds(run.wallMs).padStart(8)}  max RSS ${fmtMb(run.maxRssBytes ?? NaN)}; the CLI says: ${run.stdout.split('\n')[0]}`);
          } finally {
            rmSync(out, { recursive: true, force: true });
          }
        }
      }
    }
    const replayMs = median(replays.map((r) => r.ms));
    const selectMs = median(selects);
    rows.push([
      `${fmt(meta.events)} events`,
      seconds(replayMs),
      fmt((meta.events / replayMs) * 1000),
      fmtMb(Math.max(...replays.map((r) => r.rss ?? NaN))),
      seconds(selectMs),
      ratio(replayMs, selectMs, 1),
    ]);
  }
  const load = sampler.stop();
  console.log('');
  console.log(table(['history', 'as-of replay (CLI)', 'log events/s', 'max RSS (time -v)', 'bare SELECT', 'replay / SELECT'], rows));
  console.log(describeLoad(load));
}

if (require.main === module) {
  asOfBenchmark(parseArgs()).then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
