import type { Command } from 'commander';
import { registerRunCommand } from './run.js';
import { registerSimCommand } from './sim.js';
import { registerStartCommand } from './start.js';

/** Adds every CLI command to the program. A new command is one file in this folder and one line here. */
export function registerCommands(program: Command): void {
  registerSimCommand(program);
  registerStartCommand(program);
  registerRunCommand(program);
  // Commands arrive with their issues: sim (simulator), start/run and the manual trading commands (CLI).
}
