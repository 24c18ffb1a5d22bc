#!/usr/bin/env node
import { CommanderError } from 'commander';
import { buildProgram } from './program.js';

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    // commander has already printed its own errors (and help or the version)
    if (err instanceof CommanderError) process.exit(err.exitCode);
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
