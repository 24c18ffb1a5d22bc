import type { Command } from 'commander';

/** Adds every CLI command to the program. A new command is one file in this folder and one line here. */
export function registerCommands(_program: Command): void {
  // Commands arrive with their issues: sim (simulator), start/run and the manual trading commands (CLI).
}
