import { runConnectorFuzz } from './connector.js';
import { finish, parseArgs } from './lib/report.js';

// npm run fuzz:connector -- --messages N --seed S
const args = parseArgs(process.argv.slice(2));
const result = runConnectorFuzz(args);
process.exitCode = finish('connector', args, result.counts, result.figures, result.examples);
