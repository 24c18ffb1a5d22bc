import { runLiveConnectorFuzz } from './connector-live.js';
import { finish, parseArgs } from './lib/report.js';

// npm run fuzz:connector-live -- --messages N --seed S
const args = parseArgs(process.argv.slice(2), { messages: 5_000 });
const result = await runLiveConnectorFuzz(args);
process.exitCode = finish('connector-live', args, result.counts, result.figures, result.examples);
// The connector's own timers must not keep the process: a hang would already be counted.
setTimeout(() => process.exit(), 2_000).unref();
