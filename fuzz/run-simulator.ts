import { finish, parseArgs } from './lib/report.js';
import { runSimulatorFuzz } from './simulator.js';

// npm run fuzz:simulator -- --messages N --seed S
const args = parseArgs(process.argv.slice(2));
const result = await runSimulatorFuzz(args);
process.exitCode = finish('simulator', args, result.counts, result.figures, result.examples);
