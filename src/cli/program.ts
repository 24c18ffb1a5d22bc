import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The `venuekit` command line. Each command lives in its own file under ./commands. */
export function buildProgram(): Command {
  const program = new Command('venuekit')
    .description('Exchange connectors that never lose track of an order, a fill or a balance')
    .version(packageVersion())
    .showHelpAfterError();
  registerCommands(program);
  return program;
}
