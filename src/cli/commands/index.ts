import type { Command } from 'commander';
import { registerSimCommand } from './sim.js';

/** Adds every CLI command to the program. A new command is one file in this folder and one line here. */
export function registerCommands(program: Command): void {
  registerSimCommand(program);
  // Commands arrive with their issues: sim (simulator), start/run and the manual trading commands (CLI).
}
