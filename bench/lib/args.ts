/** Command-line flags of the benchmarks: `--quick`, `--rounds 3` / `--rounds=3`, positional names. */
export interface BenchArgs {
  readonly positional: string[];
  readonly flags: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[] = process.argv.slice(2)): BenchArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name = '', inline] = arg.slice(2).split(/=(.*)/s, 2);
    const next = argv[index + 1];
    if (inline !== undefined) flags.set(name, inline);
    else if (next !== undefined && !next.startsWith('--') && VALUE_FLAGS.has(name)) {
      flags.set(name, next);
      index++;
    } else flags.set(name, true);
  }
  return { positional, flags };
}

/** Flags that take a value (so `--rounds 3` is read as one flag, not a flag and a benchmark name). */
const VALUE_FLAGS = new Set([
  'rounds',
  'events',
  'sizes',
  'duration',
  'connections',
  'cases',
  'seconds',
  'streams',
  'events-per-append',
  'concurrency',
  'worker',
  'profile-dir',
  'projections',
  'systems',
]);

export function flagNumber(args: BenchArgs, name: string, fallback: number): number {
  const value = args.flags.get(name);
  if (value === undefined || value === true) return fallback;
  const parsed = Number(String(value).replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000'));
  if (!Number.isFinite(parsed)) throw new Error(`--${name} needs a number, got ${String(value)}`);
  return parsed;
}

export function flagNumbers(args: BenchArgs, name: string, fallback: readonly number[]): number[] {
  const value = args.flags.get(name);
  if (value === undefined || value === true) return [...fallback];
  return String(value)
    .split(',')
    .map((part) => Number(part.trim().replace(/_/g, '').replace(/k$/i, '000').replace(/m$/i, '000000')));
}

export function flagBoolean(args: BenchArgs, name: string): boolean {
  return args.flags.has(name);
}

export function flagString(args: BenchArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}
