/**
 * Generates (or checks) the cached histories the rebuild and as-of benchmarks read, without running them:
 *
 *   npm run bench -- history --events 250000,1000000
 */
import { parseArgs } from './lib/args';
import { historyCommand } from './rebuild.bench';

historyCommand(parseArgs()).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
