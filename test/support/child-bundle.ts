import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/venuekit-test/', import.meta.url));

/**
 * Bundles a TypeScript entry point (a test's child process) into one ESM file and returns its path,
 * so each child starts with plain `node` in a few hundred milliseconds instead of compiling through
 * tsx on every start. Packages stay external and resolve from the project's node_modules, which is
 * why the bundle is written inside the project. Built from source on every test run: never dist/.
 */
export async function bundleChild(entry: string | URL): Promise<string> {
  const entryPath = entry instanceof URL ? fileURLToPath(entry) : entry;
  mkdirSync(CACHE_DIR, { recursive: true });
  const name = createHash('sha256').update(entryPath).update(String(process.pid)).digest('hex').slice(0, 16);
  const outfile = `${CACHE_DIR}${name}.mjs`;
  await build({
    entryPoints: [entryPath],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    outfile,
    logLevel: 'error',
  });
  return outfile;
}
