/**
 * `npm run bench` runs every benchmark against the local PostgreSQL server (BENCH_DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/); `npm run bench -- append` (or rebuild, http, asof) runs one; `history`
 * only generates or checks the cached histories. Flags: --quick (small sizes, one round), --rounds N,
 * --cpu-prof (V8 CPU profiles of the measured processes, summarised at the end). See docs/benchmarks.md.
 *
 * Each benchmark runs in a process of its own, so that one's heap and libraries cannot bias the next.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from './lib/args';

const BENCHMARKS: Record<string, string> = {
  append: 'append.bench.js',
  rebuild: 'rebuild.bench.js',
  http: 'http.bench.js',
  asof: 'asof.bench.js',
};

const COMMANDS: Record<string, string> = {
  history: 'history.js',
};

function usage(): string {
  return [
    'usage: npm run bench [-- <name>…] [--quick] [--rounds N] [--cpu-prof]',
    `  names: ${Object.keys(BENCHMARKS).join(', ')} (default: all of them, in that order)`,
    '  history --events 250000,1000000   generate (or check) the cached histories only',
    '  BENCH_DATABASE_URL overrides the server (default postgres://postgres@127.0.0.1:5432/); databases are named bench_*',
  ].join('\n');
}

function main(): number {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  if (args.flags.has('help')) {
    console.log(usage());
    return 0;
  }
  const names = args.positional.filter((name) => BENCHMARKS[name] || COMMANDS[name]);
  const unknown = args.positional.filter((name) => !BENCHMARKS[name] && !COMMANDS[name]);
  const flags = argv.filter((arg) => !names.includes(arg));
  if (unknown.length > 0) {
    console.error(`unknown benchmark ${unknown.join(', ')}\n${usage()}`);
    return 2;
  }
  const selected = names.length > 0 ? names : Object.keys(BENCHMARKS);
  const started = Date.now();
  let failed = 0;
  for (const name of selected) {
    const script = join(__dirname, (BENCHMARKS[name] ?? COMMANDS[name])!); // `selected` holds known names only
    const benchStarted = Date.now();
    const outcome = spawnSync(process.execPath, [script, ...flags], { stdio: 'inherit' });
    const took = ((Date.now() - benchStarted) / 1000).toFixed(0);
    if (outcome.status !== 0) {
      failed++;
      console.error(`\n${name}: failed (exit ${outcome.status ?? outcome.signal}) after ${took} s\n`);
    } else {
      console.log(`\n(${name}: ${took} s)\n`);
    }
  }
  console.log(
    `benchmarks done in ${((Date.now() - started) / 60000).toFixed(1)} min${failed ? `, ${failed} failed` : ''}`,
  );
  return failed ? 1 : 0;
}

process.exit(main());
