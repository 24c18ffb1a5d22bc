import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';

/**
 * venuekit's version from its package.json, the nearest one above this file named venuekit (two
 * levels up from src/cli or dist/cli; further from a bundle of the CLI, as tests build).
 */
export function packageVersion(): string {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'venuekit') return pkg.version;
    } catch {
      // no package.json here: keep climbing
    }
    if (new URL('../', dir).href === dir.href) return '0.0.0';
  }
}

/** The `venuekit` command line. Each command lives in its own file under ./commands. */
export function buildProgram(): Command {
  const program = new Command('venuekit')
    .description('Exchange connectors that never lose track of an order, a fill or a balance')
    .version(packageVersion())
    .showHelpAfterError()
    // Set before the commands are added, so each inherits it: a mistake on the command line exits 2,
    // as venuekit's own usage errors do (commander's default is 1); help and version stay 0.
    .exitOverride((err) => {
      throw new CommanderError(err.exitCode === 0 ? 0 : 2, err.code, err.message);
    });
  registerCommands(program);
  return program;
}
