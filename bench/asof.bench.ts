/**
 * As-of replay benchmark: the evaluators' report of the year 2020, replayed from the log as of the year's last
 * day (`npm run cli -- replay --as-of 2020-12-31 --from 2020-01 --to 2020-12 --out <dir>`), on two cached
 * histories of the rebuild benchmark (so that one run shows whether time and memory grow with the history),
 * beside the bare SELECT of the whole log (the reading ceiling) in the same run. Wall time, log events per second
 * and the CLI process's max RSS (/usr/bin/time -v).
 *
 *   npm run bench -- asof [--quick] [--sizes 250000,1000000] [--rounds 2]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchArgs, flagBoolean, flagNumber, flagNumbers, parseArgs } from './lib/args';
import { runChild, runTimedNode, runMain } from './lib/child';
import { cliEnvironment, CLI, ensureHistory } from './lib/history';
import { describeLoad, describeMachine, LoadSampler, loadNow, machineInfo } from './lib/machine';
import { withAdmin } from './lib/pg-admin';
import { fmt, fmtMb, median, ratio, seconds, table } from './lib/stats';

/**
 * A calendar year of the seeded history (Sept 2019 – Nov 2020), as evaluators get it (a month, a quarter or a
 * calendar year, once ended), replayed as of its last day: every event of the history.
 */
const AS_OF = '2020-12-31';
const FROM = '2020-01';
const TO = '2020-12';

export async function asOfBenchmark(args: BenchArgs): Promise<void> {
  const quick = flagBoolean(args, 'quick');
  const sizes = flagNumbers(args, 'sizes', quick ? [100_000] : [250_000, 1_000_000]);
  const rounds = flagNumber(args, 'rounds', quick ? 1 : 2);
  console.log(
    `## asof: the evaluators' report of the calendar year ${FROM} … ${TO} replayed from the log as of ${AS_OF}`,
  );
  console.log(describeMachine(await machineInfo()));
  console.log(loadNow());
  const sampler = new LoadSampler().start();
  const rows: string[][] = [];
  for (const size of sizes) {
    const { name, meta } = await ensureHistory({ targetEvents: size });
    const inYear = await withAdmin(async (client) => {
      const { rows: counts } = await client.query<{ n: string }>(
        `select count(*) as n from events where occurred_at <= $1`,
        [`${AS_OF}T23:59:59.999+01:00`],
      );
      return Number(counts[0]!.n);
    }, name);
    console.log(
      `  history ${name}: ${fmt(meta.events)} events (${fmt(inYear)} occurred by the as-of date), generated on ${meta.generatedAt.slice(0, 16)} in ${seconds(meta.seconds * 1000)}`,
    );
    const replays: Array<{ ms: number; rss?: number }> = [];
    const selects: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const steps = round % 2 === 0 ? (['replay', 'select'] as const) : (['select', 'replay'] as const);
      for (const step of steps) {
        if (step === 'select') {
          const { result } = await runChild<{ wallMs: number; events: number }>(join(__dirname, 'rebuild.bench.js'), [
            '--worker',
            JSON.stringify({ mode: 'select', database: name }),
          ]);
          selects.push(result.wallMs);
          console.log(
            `  round ${round + 1} bare SELECT of the whole log       ${seconds(result.wallMs).padStart(8)}  ${fmt((result.events / result.wallMs) * 1000)} events/s`,
          );
        } else {
          const out = mkdtempSync(join(tmpdir(), 'helpline-bench-asof-'));
          try {
            const run = await runTimedNode(
              CLI,
              ['replay', '--as-of', AS_OF, '--from', FROM, '--to', TO, '--out', out],
              cliEnvironment(name),
            );
            replays.push({ ms: run.wallMs, rss: run.maxRssBytes });
            console.log(
              `  round ${round + 1} as-of replay (CLI, whole process)   ${seconds(run.wallMs).padStart(8)}  max RSS ${fmtMb(run.maxRssBytes ?? NaN)}; the CLI says: ${run.stdout.split('\n')[0]}`,
            );
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
  console.log(
    table(
      ['history', 'as-of replay (CLI)', 'log events/s', 'max RSS (time -v)', 'bare SELECT', 'replay / SELECT'],
      rows,
    ),
  );
  if (rows.length > 1) {
    const [first, last] = [rows[0]!, rows.at(-1)!];
    console.log(`max RSS from the smallest to the largest history: ${first[3]} → ${last[3]}`);
  }
  console.log(describeLoad(load));
}

runMain(module, () => asOfBenchmark(parseArgs()));
