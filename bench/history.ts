/**
 * Generates (or checks) the cached histories the rebuild and as-of benchmarks read, without running them:
 *
 *   npm run bench -- history --events 250000,1000000
 */
import { parseArgs } from './lib/args';
import { historyCommand } from './rebuild.bench';
import { runMain } from './lib/child';

runMain(module, () => historyCommand(parseArgs()));
